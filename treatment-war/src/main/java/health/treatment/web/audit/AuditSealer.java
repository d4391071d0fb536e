package health.treatment.web.audit;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditException;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.SealResult;
import health.treatment.store.TreatmentStore;
import health.treatment.web.config.PeriodicJob;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals the audit outbox: every node runs this, the database lease lets one node at a time chain and sign.
 * Each run is its own transaction. Events wait at most about one interval between their write and their seal
 * ({@code treatment.audit.seal-interval-ms}, default 1000).
 *
 * <p>Also: registers this node's checkpoint signing key in the trail before the first seal (so a rotated key is
 * vouched for by its successor), writes every checkpoint it signed to the audit log once its transaction committed
 * (the SIEM copy anchors the trail outside the database), and counts tamper findings (outbox rows the audit jar
 * could not seal and recorded in the chain instead) for {@code /metrics} and the readiness check.
 */
@ApplicationScoped
public class AuditSealer {

    private static final Logger LOG = LogManager.getLogger(AuditSealer.class);
    /** Bounds one run, so a huge backlog cannot keep this scheduler thread for long; the next run continues. */
    private static final int MAX_BATCHES_PER_RUN = 50;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    TreatmentStore store;

    @Inject
    AuditConfig config;

    @Inject
    @ConfigProperty(name = "treatment.audit.seal-interval-ms", defaultValue = "1000")
    long intervalMillis;

    private volatile PeriodicJob job;
    private volatile boolean keyRegistered;
    private volatile boolean leader;
    private volatile Instant lastSealed;
    private final AtomicLong tamperFindings = new AtomicLong();
    private volatile OptionalLong lastTamperFinding = OptionalLong.empty();
    private int batchSize;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        batchSize = config.sealBatchSize();
        job = PeriodicJob.start(scheduler, this::run, Duration.ofMillis(intervalMillis));
    }

    @PreDestroy
    void stop() {
        PeriodicJob running = job;
        if (running != null) {
            running.stop();
        }
    }

    private void run() {
        try {
            if (!keyRegistered) {
                store.inAuditTransaction(trail -> {
                    trail.registerSigningKey();
                    return null;
                });
                keyRegistered = true;
            }
            // One seal pass takes at most the configured batch; under load more events arrive per interval than one
            // batch holds, so keep sealing (each batch its own short transaction) until the outbox is drained.
            for (int batches = 0; batches < MAX_BATCHES_PER_RUN; batches++) {
                SealResult result = sealOnce();
                if (!result.leader() || result.sealed() < batchSize) {
                    break;
                }
            }
        } catch (AuditException e) {
            // The audit jar's messages are fixed texts without event content: safe to log, and they say why.
            LOG.warn("audit sealing failed, retrying next run: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Other exceptions (driver, container) are logged by type only. Unsealed events stay in the outbox.
            LOG.warn("audit sealing failed, retrying next run: {}", e.getClass().getName());
        }
    }

    /** One sealing pass in its own transaction; a no-op on nodes that do not hold the lease. */
    public SealResult sealOnce() {
        SealResult result = store.inAuditTransaction(AuditTrail::sealPending);
        // Committed: now the SIEM copy may show the checkpoints (never one whose transaction rolled back).
        AuditTrail.logCommittedCheckpoints(result.checkpoints());
        leader = result.leader();
        if (result.leader()) {
            lastSealed = Instant.now();
        }
        for (long sequence : result.tamperFindings()) {
            tamperFindings.incrementAndGet();
            lastTamperFinding = OptionalLong.of(sequence);
        }
        return result;
    }

    /** Whether this node held the sealer lease at its last run: the node that runs the trail's one-node jobs. */
    public boolean isLeader() {
        return leader;
    }

    /** When this node last ran a seal pass as the leader. */
    public Optional<Instant> lastSealed() {
        return Optional.ofNullable(lastSealed);
    }

    /** Tamper findings this node recorded in the chain since it started, and the sequence of the latest. */
    public long tamperFindings() {
        return tamperFindings.get();
    }

    public OptionalLong lastTamperFinding() {
        return lastTamperFinding;
    }
}
