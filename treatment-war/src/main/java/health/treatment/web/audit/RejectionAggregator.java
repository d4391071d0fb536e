package health.treatment.web.audit;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps a flood of rejected requests from filling the audit trail, while every attempt stays counted (HIPAA counts
 * failed attempts). Per window ({@code treatment.audit.rejection-window-seconds}, default 60) the first
 * {@code treatment.audit.rejections-per-source} (default 20) rejections of a source address are audited one by one;
 * the rest are counted, and when the window ends one aggregate event per source and reason is written: same action,
 * resource type, outcome and status as the first suppressed attempt, {@code reason_code}
 * {@code <reason>.aggregated.<count>} and {@code record_id} {@code window-<epoch second of its start>}. A node-wide
 * budget ({@code treatment.audit.rejections-per-window}, default 1000 individual events) bounds a spray of new
 * addresses the same way: beyond it, rejections are aggregated under no address. Per node, in memory: an aggregate
 * not yet written when a node stops is lost (its individual attempts were refused anyway, and are in the access log).
 */
@ApplicationScoped
public class RejectionAggregator {

    private static final Logger LOG = LogManager.getLogger(RejectionAggregator.class);
    /** Sources tracked per window; the rest are aggregated under no address. */
    private static final int MAX_SOURCES = 10_000;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    TreatmentStore store;

    @Inject
    AuditConfig auditConfig;

    @Inject
    @ConfigProperty(name = "treatment.audit.rejections-per-source", defaultValue = "20")
    int perSource;

    @Inject
    @ConfigProperty(name = "treatment.audit.rejections-per-window", defaultValue = "1000")
    int perWindow;

    @Inject
    @ConfigProperty(name = "treatment.audit.rejection-window-seconds", defaultValue = "60")
    long windowSeconds;

    private final Object lock = new Object();
    private Map<String, Integer> admitted = new HashMap<>();
    private Map<Key, Suppressed> suppressed = new HashMap<>();
    private int admittedInWindow;
    private Instant windowStart = Instant.now();
    private volatile PeriodicJob job;

    /** The fields of a rejected attempt that an aggregate keeps. */
    public record Rejection(String sourceIp, String action, String resourceType, int httpStatus, String reasonCode) {}

    private record Key(String sourceIp, String reasonCode) {}

    private static final class Suppressed {
        final Rejection first;
        long count;

        Suppressed(Rejection first) {
            this.first = first;
        }
    }

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        job = PeriodicJob.start(scheduler, this::flush, Duration.ofSeconds(windowSeconds));
    }

    @PreDestroy
    void stop() {
        PeriodicJob running = job;
        if (running != null) {
            running.stop();
        }
        flush();
    }

    /** True when this rejection is to be audited on its own; false when it was counted into an aggregate. */
    public boolean admit(Rejection r) {
        synchronized (lock) {
            String source = r.sourceIp() == null ? "" : r.sourceIp();
            int seen = admitted.getOrDefault(source, 0);
            boolean tracked = admitted.containsKey(source) || admitted.size() < MAX_SOURCES;
            if (tracked && seen < perSource && admittedInWindow < perWindow) {
                admitted.put(source, seen + 1);
                admittedInWindow++;
                return true;
            }
            // A source audited individually in this window gets its own aggregate; the rest of a spray shares one.
            Key key = new Key(admitted.containsKey(source) ? r.sourceIp() : null, r.reasonCode());
            suppressed.computeIfAbsent(key, k -> new Suppressed(r)).count++;
            return false;
        }
    }

    /** Ends the window: writes one aggregate event per source and reason that had suppressed rejections. */
    void flush() {
        Map<Key, Suppressed> ended;
        Instant start;
        synchronized (lock) {
            ended = suppressed;
            start = windowStart;
            suppressed = new HashMap<>();
            admitted = new HashMap<>();
            admittedInWindow = 0;
            windowStart = Instant.now();
        }
        if (ended.isEmpty()) {
            return;
        }
        List<AuditEvent> events = new ArrayList<>(ended.size());
        for (Map.Entry<Key, Suppressed> e : ended.entrySet()) {
            Rejection first = e.getValue().first;
            String reason =
                    (e.getKey().reasonCode() == null ? "rejected" : e.getKey().reasonCode());
            events.add(AuditEvent.builder()
                    .time(Instant.now())
                    .action(first.action())
                    .resourceType(first.resourceType())
                    .sourceIp(e.getKey().sourceIp())
                    .outcome(Outcome.forHttpStatus(first.httpStatus()))
                    .httpStatus(first.httpStatus())
                    .reasonCode(truncate(reason, 40) + ".aggregated." + e.getValue().count)
                    .recordId("window-" + start.getEpochSecond())
                    .nodeId(auditConfig.nodeId())
                    .requestId(UUID.randomUUID().toString())
                    .build());
        }
        try {
            if (!store.audit(events)) {
                LOG.error("could not audit {} aggregate(s) of rejected requests", events.size());
            }
        } catch (RuntimeException ex) {
            LOG.error(
                    "could not audit {} aggregate(s) of rejected requests: {}",
                    events.size(),
                    ex.getClass().getName());
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
