package health.treatment.web.audit;

import health.treatment.audit.AuditException;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.SealResult;
import health.treatment.web.persistence.DatabaseMigrations;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    DatabaseMigrations migrations;

    @Inject
    AuditTrail trail;

    @Inject
    @ConfigProperty(name = "treatment.audit.seal-interval-ms", defaultValue = "1000")
    long intervalMillis;

    @Inject
    AuditSealer self; // through the proxy, so sealOnce() runs in a transaction

    private volatile ScheduledFuture<?> job;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        migrations.migrate(); // sealing needs the audit tables
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
            self.sealOnce();
        } catch (AuditException e) {
            // The audit jar's messages are fixed texts without event content: safe to log, and they say why.
            LOG.warn("audit sealing failed, retrying next run: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Other exceptions (driver, container) are logged by type only. Unsealed events stay in the outbox.
            LOG.warn("audit sealing failed, retrying next run: {}", e.getClass().getName());
        }
    }

    /** One sealing pass in its own transaction; a no-op on nodes that do not hold the lease. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SealResult sealOnce() {
        return trail.sealPending();
    }
}
