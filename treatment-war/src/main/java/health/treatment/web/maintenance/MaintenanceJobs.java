package health.treatment.web.maintenance;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.audit.PurgeResult;
import health.treatment.store.TreatmentStore;
import health.treatment.web.audit.AuditSealer;
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
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The jobs that run on one node at a time (the audit sealer's lease holder, see {@link AuditSealer#isLeader()}), every
 * {@code treatment.maintenance.interval-seconds} (default 3600):
 *
 * <ul>
 *   <li>Audit retention, {@code treatment.retention.audit-events} (an ISO-8601 duration, default {@code P2192D}: six
 *       years, HIPAA's documentation period; {@code keep} disables it): deletes the oldest sealed events and leaves a
 *       signed purge checkpoint, from which verification and exports start; the checkpoint goes to the audit log
 *       once committed, and the purge is itself an audit event ({@code audit.retention_purged}).</li>
 *   <li>Record retention, {@code treatment.retention.treatment-records} (default {@code keep}): deletes records
 *       received longer ago, with an audit event per run (the store writes it).</li>
 *   <li>Re-wrap of the patient keys after an erasure, once {@code treatment.erasure.rewrap-delay} (default
 *       {@code PT24H}: erasures of one day share one re-wrap) has passed since the oldest erasure not yet covered:
 *       every surviving patient key is wrapped under a new epoch and the old epoch is destroyed, so a backup taken
 *       before the erasure can no longer decrypt the erased patient's records (nor, which is the price, any
 *       patient-keyed record of that backup: see the README).</li>
 * </ul>
 * A failed job is logged (type only: driver messages may quote data) and retried on the next run.
 */
@ApplicationScoped
public class MaintenanceJobs {

    private static final Logger LOG = LogManager.getLogger(MaintenanceJobs.class);
    private static final String KEEP = "keep";
    private static final int RECORDS_PER_RUN = 10_000;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    TreatmentStore store;

    @Inject
    AuditConfig auditConfig;

    @Inject
    AuditSealer sealer;

    @Inject
    @ConfigProperty(name = "treatment.maintenance.interval-seconds", defaultValue = "3600")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "treatment.retention.audit-events", defaultValue = "P2192D")
    String auditRetention;

    @Inject
    @ConfigProperty(name = "treatment.retention.treatment-records", defaultValue = KEEP)
    String recordRetention;

    @Inject
    @ConfigProperty(name = "treatment.erasure.rewrap-delay", defaultValue = "PT24H")
    String rewrapDelay;

    private volatile PeriodicJob job;
    private Optional<Duration> auditEvents;
    private Optional<Duration> treatmentRecords;
    private Duration rewrapAfter;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        auditEvents = retention("treatment.retention.audit-events", auditRetention);
        treatmentRecords = retention("treatment.retention.treatment-records", recordRetention);
        rewrapAfter = duration("treatment.erasure.rewrap-delay", rewrapDelay);
        job = PeriodicJob.start(scheduler, this::run, Duration.ofSeconds(intervalSeconds));
    }

    @PreDestroy
    void stop() {
        PeriodicJob running = job;
        if (running != null) {
            running.stop();
        }
    }

    private void run() {
        if (!sealer.isLeader()) {
            return;
        }
        attempt("audit retention", this::purgeAuditEvents);
        attempt("record retention", this::purgeRecords);
        attempt("patient key re-wrap", this::rewrapAfterErasures);
    }

    private static void attempt(String name, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed, retrying next run: {}", name, e.getClass().getName());
        }
    }

    void purgeAuditEvents() {
        if (auditEvents.isEmpty()) {
            return;
        }
        Instant cutoff = auditConfig.clock().instant().minus(auditEvents.get());
        PurgeResult purged = store.inAuditTransaction(trail -> trail.purgeBefore(cutoff));
        if (purged.anchor().isEmpty()) {
            return;
        }
        AuditTrail.logCommittedCheckpoints(List.of(purged.anchor().get()));
        store.audit(job("audit.retention_purged", "AuditEvent")
                .recordId("seq-" + purged.purgedThroughSequence())
                .build());
        LOG.info(
                "audit retention: {} events deleted through sequence {}, signed anchor written",
                purged.eventsDeleted(),
                purged.purgedThroughSequence());
    }

    void purgeRecords() {
        if (treatmentRecords.isEmpty()) {
            return;
        }
        Instant cutoff = Instant.now().minus(treatmentRecords.get());
        long deleted = store.purgeRecordsReceivedBefore(cutoff, RECORDS_PER_RUN);
        if (deleted > 0) {
            LOG.info("record retention: {} records received before {} deleted", deleted, cutoff);
        }
    }

    void rewrapAfterErasures() {
        Optional<Instant> oldest = store.oldestErasureAwaitingRewrap();
        if (oldest.isEmpty() || oldest.get().plus(rewrapAfter).isAfter(Instant.now())) {
            return;
        }
        var result = store.rewrapPatientKeys();
        LOG.info("patient keys re-wrapped after erasures: {}", result);
    }

    private AuditEvent.Builder job(String action, String resourceType) {
        return AuditEvent.builder()
                .time(Instant.now())
                .action(action)
                .resourceType(resourceType)
                .roles(List.of())
                .outcome(Outcome.SUCCESS)
                .httpStatus(0)
                .nodeId(auditConfig.nodeId())
                .requestId(UUID.randomUUID().toString());
    }

    private static Optional<Duration> retention(String name, String value) {
        return KEEP.equalsIgnoreCase(value.trim()) ? Optional.empty() : Optional.of(duration(name, value));
    }

    private static Duration duration(String name, String value) {
        try {
            Duration d = Duration.parse(value.trim());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive ISO-8601 duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as P2192D, or keep");
        }
    }
}
