package health.treatment.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sliding-window detector over rejected attempts (unauthenticated, forbidden, client_error, rate_limited), per client
 * id and per source IP. Crossing the threshold yields one {@link SecurityAlert} and one WARN line (ids and counts only,
 * no PHI), then stays silent for that key until a full window has passed. State is per node (a best-effort signal; the
 * durable record is the audit trail itself, which a SIEM can aggregate across nodes). Thread-safe.
 */
public final class AbuseDetector {
    private static final Logger LOG = LogManager.getLogger(AbuseDetector.class);

    private final AbuseThresholds thresholds;
    private final Clock clock;
    private final Map<String, Window> windows;

    public AbuseDetector(AbuseThresholds t, Clock clock) {
        this.thresholds = Objects.requireNonNull(t, "thresholds");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Access-ordered LRU: a spray of new IPs evicts the idlest keys instead of growing without bound.
        this.windows = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > thresholds.maxTrackedKeys();
            }
        };
    }

    /** Counts the event if it is a rejection; returns an alert when this event crossed a threshold. */
    public Optional<SecurityAlert> observe(AuditEvent e) {
        if (!e.outcome().isRejection()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<SecurityAlert> alert = Optional.empty();
        synchronized (windows) {
            if (e.clientId() != null) {
                alert = count("client", e.clientId(), now);
            }
            if (e.sourceIp() != null) {
                Optional<SecurityAlert> ipAlert = count("source_ip", e.sourceIp(), now);
                if (alert.isEmpty()) {
                    alert = ipAlert;
                }
            }
        }
        return alert;
    }

    private Optional<SecurityAlert> count(String scope, String key, Instant now) {
        Window w = windows.computeIfAbsent(scope + '\u0000' + key, k -> new Window());
        Instant horizon = now.minus(thresholds.window());
        w.times.addLast(now);
        Iterator<Instant> it = w.times.iterator();
        while (it.hasNext() && !it.next().isAfter(horizon)) {
            it.remove();
        }
        // Keep at most threshold+1 timestamps: enough to know the threshold is crossed.
        while (w.times.size() > thresholds.maxRejections() + 1) {
            w.times.removeFirst();
        }
        if (w.times.size() > thresholds.maxRejections() && (w.silentUntil == null || !now.isBefore(w.silentUntil))) {
            w.silentUntil = now.plus(thresholds.window());
            SecurityAlert a = new SecurityAlert(scope, key, w.times.size(), thresholds.window(), now);
            LOG.warn(
                    "security alert: more than {} rejected attempts within {} for {} {}",
                    thresholds.maxRejections(),
                    thresholds.window(),
                    scope,
                    key);
            return Optional.of(a);
        }
        return Optional.empty();
    }

    private static final class Window {
        final ArrayDeque<Instant> times = new ArrayDeque<>();
        Instant silentUntil;
    }
}
