package health.treatment.web.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Request counts and latencies by method, route template and status, rendered in the Prometheus text format.
 * Labels come from a bounded vocabulary (methods, route templates, status codes): never paths, ids or PHI.
 * Thread-safe; lock-free on the recording path.
 */
public final class RequestMetrics {

    /** Histogram bucket upper bounds in seconds. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private static final String NAME = "http_server_request_duration_seconds";

    private static final String ALERTS = "treatment_security_alerts_total";
    /** Alert scopes the abuse detector (AbuseSignals) raises; anything else is counted as "other" (bounded labels). */
    private static final List<String> ALERT_SCOPES = List.of("client", "source_ip", "other");

    private final Map<Key, Series> series = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> alerts = new ConcurrentHashMap<>();

    record Key(String method, String endpoint, int status) {}

    private static final class Series {
        final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
        final AtomicLong count = new AtomicLong();
        final DoubleAdder sum = new DoubleAdder();
    }

    /** Records one finished request. */
    public void record(String method, String endpoint, int status, long nanos) {
        Series s = series.computeIfAbsent(new Key(method, endpoint, status), k -> new Series());
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                s.buckets.incrementAndGet(i);
                break; // cumulative counts are computed when rendering
            }
        }
        s.count.incrementAndGet();
        s.sum.add(seconds);
    }

    /** Counts one security alert (repeated rejected requests from one client or address) by scope. */
    public void recordSecurityAlert(String scope) {
        String label = ALERT_SCOPES.contains(scope) ? scope : "other";
        alerts.computeIfAbsent(label, k -> new AtomicLong()).incrementAndGet();
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String render() {
        StringBuilder b = new StringBuilder(4096);
        b.append("# HELP ")
                .append(NAME)
                .append(" Duration of HTTP requests by method, route template, status and outcome.\n");
        b.append("# TYPE ").append(NAME).append(" histogram\n");
        series.entrySet().stream()
                .sorted((x, y) -> x.getKey().toString().compareTo(y.getKey().toString()))
                .forEach(e -> renderSeries(b, e.getKey(), e.getValue()));
        b.append("# HELP ")
                .append(ALERTS)
                .append(" Security alerts raised by the abuse detector (repeated rejected requests), by scope.\n");
        b.append("# TYPE ").append(ALERTS).append(" counter\n");
        for (String scope : ALERT_SCOPES) {
            AtomicLong n = alerts.get(scope);
            b.append(ALERTS)
                    .append("{scope=\"")
                    .append(scope)
                    .append("\"} ")
                    .append(n == null ? 0 : n.get())
                    .append('\n');
        }
        return b.toString();
    }

    /** One counter without labels, in the text exposition format (for counts kept elsewhere). */
    public static String counter(String name, String help, long value) {
        return "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " + value + "\n";
    }

    /** One gauge without labels, in the text exposition format. */
    public static String gauge(String name, String help, long value) {
        return "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + value + "\n";
    }

    private static void renderSeries(StringBuilder b, Key k, Series s) {
        String labels = "method=\"" + escape(k.method()) + "\",endpoint=\"" + escape(k.endpoint()) + "\",status=\""
                + k.status() + "\",outcome=\"" + outcome(k.status()) + "\"";
        long count = s.count.get();
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += s.buckets.get(i);
            b.append(NAME)
                    .append("_bucket{")
                    .append(labels)
                    .append(",le=\"")
                    .append(BUCKETS[i])
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        b.append(NAME)
                .append("_bucket{")
                .append(labels)
                .append(",le=\"+Inf\"} ")
                .append(count)
                .append('\n');
        b.append(NAME)
                .append("_count{")
                .append(labels)
                .append("} ")
                .append(count)
                .append('\n');
        b.append(NAME)
                .append("_sum{")
                .append(labels)
                .append("} ")
                .append(s.sum.sum())
                .append('\n');
    }

    static String outcome(int status) {
        return status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
