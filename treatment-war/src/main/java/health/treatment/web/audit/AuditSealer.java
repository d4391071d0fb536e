package health.treatment.web.audit;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditException;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.SealResult;
import health.treatment.store.TreatmentStore;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals the audit outbox: every node runs this, the database lease lets one node at a time chain and sign.
 * Each run is its own transaction. Events wait at most about one interval between their write and their seal
 * ({@code treatment.audit.seal-interval-ms}, default 1000).
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

    private volatile ScheduledFuture<?> job;
    private int batchSize;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        batchSize = config.sealBatchSize();
        job = scheduler.scheduleWithFixedDelay(this::run, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> running = job;
        if (running != null) {
            running.cancel(false);
        }
    }

    private void run() {
        try {
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
        return store.inAuditTransaction(AuditTrail::sealPending);
    }
}
