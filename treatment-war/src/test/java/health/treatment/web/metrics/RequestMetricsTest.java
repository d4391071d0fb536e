package health.treatment.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    /** The labels of one series as the registry writes them (sorted by name; Prometheus ignores the order). */
    private static final String LABELS =
            "endpoint=\"/api/v1/treatments\",method=\"POST\",outcome=\"success\",status=\"201\"";

    @Test
    void rendersCumulativeHistogramPerMethodEndpointAndStatus() {
        RequestMetrics m = new RequestMetrics();
        m.record("POST", "/api/v1/treatments", 201, 3_000_000L); // 3 ms
        m.record("POST", "/api/v1/treatments", 201, 300_000_000L); // 300 ms
        m.record("GET", "unmatched", 404, 1_000_000L);
        String text = m.render();
        assertThat(text)
                .contains("# TYPE http_server_request_duration_seconds histogram")
                .contains("http_server_request_duration_seconds_bucket{" + LABELS + ",le=\"0.005\"} 1\n")
                .contains("http_server_request_duration_seconds_bucket{" + LABELS + ",le=\"0.25\"} 1\n")
                .contains("http_server_request_duration_seconds_bucket{" + LABELS + ",le=\"0.5\"} 2\n")
                .contains("http_server_request_duration_seconds_bucket{" + LABELS + ",le=\"+Inf\"} 2\n")
                .contains("http_server_request_duration_seconds_count{" + LABELS + "} 2\n")
                .contains("http_server_request_duration_seconds_sum{" + LABELS + "} 0.303\n")
                .contains("endpoint=\"unmatched\",method=\"GET\",outcome=\"client_error\",status=\"404\"");
    }

    @Test
    void bucketsAreExactlyTheConfiguredBoundsWithoutPercentiles() {
        RequestMetrics m = new RequestMetrics();
        m.record("GET", "/metrics", 200, 1L);
        List<String> bounds = m.render()
                .lines()
                .filter(l -> l.startsWith("http_server_request_duration_seconds_bucket{"))
                .map(l -> l.substring(l.indexOf("le=\"") + 4, l.indexOf("\"}")))
                .toList();
        assertThat(bounds)
                .containsExactly(
                        "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
        assertThat(m.render()).doesNotContain("quantile");
    }

    /** Micrometer adds one series per timer that the hand-written histogram did not have: the recent maximum. */
    @Test
    void rendersTheRecentMaximumAsAGauge() {
        RequestMetrics m = new RequestMetrics();
        m.record("POST", "/api/v1/treatments", 201, 300_000_000L);
        assertThat(m.render())
                .contains("# TYPE http_server_request_duration_seconds_max gauge")
                .contains("http_server_request_duration_seconds_max{" + LABELS + "} 0.3\n");
    }

    @Test
    void escapesLabelValues() {
        RequestMetrics m = new RequestMetrics();
        m.record("GET", "/a\"b", 500, 1L);
        assertThat(m.render()).contains("endpoint=\"/a\\\"b\"").contains("outcome=\"server_error\"");
    }

    @Test
    void countsSecurityAlertsByBoundedScope() {
        RequestMetrics m = new RequestMetrics();
        m.recordSecurityAlert("client");
        m.recordSecurityAlert("client");
        m.recordSecurityAlert("source_ip");
        m.recordSecurityAlert("CANARY-PATIENT-1"); // never becomes a label value
        String text = m.render();
        assertThat(text)
                .contains("# TYPE treatment_security_alerts_total counter")
                .contains("treatment_security_alerts_total{scope=\"client\"} 2.0\n")
                .contains("treatment_security_alerts_total{scope=\"source_ip\"} 1.0\n")
                .contains("treatment_security_alerts_total{scope=\"other\"} 1.0\n")
                .doesNotContain("CANARY");
    }

    @Test
    void everyAlertScopeIsRenderedBeforeTheFirstAlert() {
        assertThat(new RequestMetrics().render())
                .contains("treatment_security_alerts_total{scope=\"client\"} 0.0\n")
                .contains("treatment_security_alerts_total{scope=\"source_ip\"} 0.0\n")
                .contains("treatment_security_alerts_total{scope=\"other\"} 0.0\n");
    }

    @Test
    void readsCountersAndGaugesKeptElsewhereAtEachScrape() {
        RequestMetrics m = new RequestMetrics();
        AtomicLong findings = new AtomicLong();
        AtomicLong open = new AtomicLong();
        m.counter("treatment.audit.tamper.findings", "Tamper findings.", findings, AtomicLong::get);
        m.gauge("treatment.store.circuit.open", "Circuit open.", open, AtomicLong::get);
        assertThat(m.render())
                .contains("# TYPE treatment_audit_tamper_findings_total counter\n")
                .contains("treatment_audit_tamper_findings_total 0.0\n")
                .contains("# TYPE treatment_store_circuit_open gauge\n")
                .contains("treatment_store_circuit_open 0.0\n");
        findings.set(3);
        open.set(1);
        assertThat(m.render())
                .contains("treatment_audit_tamper_findings_total 3.0\n")
                .contains("treatment_store_circuit_open 1.0\n");
    }

    /** Labels bounds the values; should anything unbounded ever reach it, the registry stops adding series. */
    @Test
    void capsTheNumberOfEndpointAndStatusValues() {
        RequestMetrics m = new RequestMetrics();
        for (int i = 0; i < 500; i++) {
            m.record("GET", "/leak-" + i, 200, 1L);
            m.record("GET", "/metrics", 1000 + i, 1L);
        }
        List<String> counts = m.render()
                .lines()
                .filter(l -> l.startsWith("http_server_request_duration_seconds_count{"))
                .toList();
        assertThat(counts.stream().filter(l -> l.contains("/leak-"))).hasSize(RequestMetrics.MAX_LABEL_VALUES - 1);
        assertThat(counts).hasSizeLessThanOrEqualTo(2 * RequestMetrics.MAX_LABEL_VALUES);
    }
}
