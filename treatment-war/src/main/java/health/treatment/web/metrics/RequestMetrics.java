package health.treatment.web.metrics;

import health.treatment.web.filter.Labels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Request counts and latencies by method, route template, status and outcome, and the security alerts by scope, in
 * a Micrometer registry that renders the Prometheus text format. Labels come from a bounded vocabulary
 * ({@link Labels}: methods, route templates, status codes): never paths, ids or PHI; a meter filter also caps the
 * endpoint and status values, should a new source of label values ever slip past it. Thread-safe; recording is
 * lock-free (Micrometer's timer: adders and atomic bucket counts).
 */
public final class RequestMetrics {

    /** Histogram bucket upper bounds in seconds (the timer's service level objectives; no percentiles). */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Distinct endpoint or status values a timer series may have; later ones are not recorded (there are ~15). */
    static final int MAX_LABEL_VALUES = 64;

    // Prometheus names: the registry appends the base unit (_seconds) and _total for counters.
    private static final String REQUESTS = "http.server.request.duration";
    private static final String ALERTS = "treatment.security.alerts";
    /** Alert scopes the abuse detector (AbuseSignals) raises; anything else is counted as "other" (bounded labels). */
    private static final List<String> ALERT_SCOPES = List.of("client", "source_ip", "other");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Meter.MeterProvider<Timer> requests;
    private final Map<String, Counter> alerts;

    public RequestMetrics() {
        registry.config()
                .meterFilter(
                        MeterFilter.maximumAllowableTags(REQUESTS, "endpoint", MAX_LABEL_VALUES, MeterFilter.deny()))
                .meterFilter(
                        MeterFilter.maximumAllowableTags(REQUESTS, "status", MAX_LABEL_VALUES, MeterFilter.deny()));
        requests = Timer.builder(REQUESTS)
                .description("Duration of HTTP requests by method, route template, status and outcome.")
                .serviceLevelObjectives(Arrays.stream(BUCKETS)
                        .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9)))
                        .toArray(Duration[]::new))
                .withRegistry(registry);
        alerts = ALERT_SCOPES.stream()
                .collect(Collectors.toUnmodifiableMap(
                        Function.identity(),
                        scope -> Counter.builder(ALERTS)
                                .description(
                                        "Security alerts raised by the abuse detector (repeated rejected requests), by scope.")
                                .tag("scope", scope)
                                .register(registry)));
    }

    /** Records one finished request. */
    public void record(String method, String endpoint, int status, long nanos) {
        requests.withTags(
                        "method",
                        method,
                        "endpoint",
                        endpoint,
                        "status",
                        Integer.toString(status),
                        "outcome",
                        Labels.outcome(status))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one security alert (repeated rejected requests from one client or address) by scope. */
    public void recordSecurityAlert(String scope) {
        alerts.getOrDefault(scope, alerts.get("other")).increment();
    }

    /**
     * A counter kept elsewhere, read at each scrape. The registry holds {@code source} weakly: the caller keeps it.
     * {@code name} in Micrometer's form ({@code a.b.c}); rendered as {@code a_b_c_total}.
     */
    public <T> void counter(String name, String help, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).description(help).register(registry);
    }

    /** A gauge kept elsewhere, read at each scrape ({@code name} rendered as {@code a_b_c}). */
    public <T> void gauge(String name, String help, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value)
                .description(help)
                .strongReference(true)
                .register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String render() {
        return registry.scrape();
    }
}
