package health.treatment.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    @Test
    void rendersCumulativeHistogramPerMethodEndpointAndStatus() {
        RequestMetrics m = new RequestMetrics();
        m.record("POST", "/api/v1/treatments", 201, 3_000_000L); // 3 ms
        m.record("POST", "/api/v1/treatments", 201, 300_000_000L); // 300 ms
        m.record("GET", "unmatched", 404, 1_000_000L);
        String text = m.render();
        String labels = "method=\"POST\",endpoint=\"/api/v1/treatments\",status=\"201\",outcome=\"success\"";
        assertThat(text)
                .contains("# TYPE http_server_request_duration_seconds histogram")
                .contains("http_server_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 1")
                .contains("http_server_request_duration_seconds_bucket{" + labels + ",le=\"0.25\"} 1")
                .contains("http_server_request_duration_seconds_bucket{" + labels + ",le=\"0.5\"} 2")
                .contains("http_server_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 2")
                .contains("http_server_request_duration_seconds_count{" + labels + "} 2")
                .contains("endpoint=\"unmatched\",status=\"404\",outcome=\"client_error\"");
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
                .contains("treatment_security_alerts_total{scope=\"client\"} 2")
                .contains("treatment_security_alerts_total{scope=\"source_ip\"} 1")
                .contains("treatment_security_alerts_total{scope=\"other\"} 1")
                .doesNotContain("CANARY");
    }
}
