package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static health.treatment.web.it.ProblemAssert.assertSecurityHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Health, OpenAPI, metrics and TLS: the platform endpoints and the transport. */
@ExtendWith(ArquillianExtension.class)
class PlatformIT {

    /** A qualified Java class name, e.g. {@code io.openliberty.restfulws.mpmetrics.Callback}. */
    private static final Pattern JAVA_CLASS = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/health/live", "/health/ready"})
    void healthNeedsNoTokenAndIsUp(String path) {
        HttpResponse<String> r = Https.get(path, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"UP\"");
        assertSecurityHeaders(r);
    }

    @Test
    void livenessReportsTheApplicationCheck() {
        assertThat(Https.get("/health/live", null).body()).contains("treatment-live");
    }

    @Test
    void openApiNeedsNoTokenAndDescribesTheBearerScheme() {
        HttpResponse<String> r = Https.get("/openapi", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("Treatment ingest API")
                .contains("bearerJwt")
                .contains("/api/v1/treatments")
                .contains("/api/v1/audit/verify");
        assertSecurityHeaders(r);
    }

    @Test
    void metricsAreScrapeableWithAMonitorTokenAndCountByRouteAndOutcome() {
        Https.get("/api/v1/audit/verify", null); // a 401
        Https.get("/api/v1/audit/verify", Tokens.rs256("aud-1", "auditor")); // a 200
        Https.get("/nope-" + ErrorsIT.CANARY, null); // unmatched: the raw path must not become a label
        HttpResponse<String> r = Https.get("/metrics", Tokens.rs256("prometheus", "monitor"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body())
                .contains("# TYPE http_server_request_duration_seconds histogram")
                .doesNotContain(ErrorsIT.CANARY)
                .doesNotContain("aud-1");
        String count = "http_server_request_duration_seconds_count";
        assertThat(Scrape.sum(
                        r.body(),
                        count,
                        "method",
                        "GET",
                        "endpoint",
                        "/api/v1/audit/verify",
                        "status",
                        "401",
                        "outcome",
                        "client_error"))
                .isPositive();
        assertThat(Scrape.sum(
                        r.body(),
                        count,
                        "method",
                        "GET",
                        "endpoint",
                        "/api/v1/audit/verify",
                        "status",
                        "200",
                        "outcome",
                        "success"))
                .isPositive();
        assertThat(Scrape.sum(r.body(), count, "endpoint", "unmatched", "status", "404"))
                .isPositive();
        assertSecurityHeaders(r);
    }

    @Test
    void metricsRefuseOtherMethodsWithAProblem() {
        HttpResponse<String> r = Https.send(Https.request("/metrics")
                .header("Authorization", "Bearer " + Tokens.rs256("prometheus", "monitor"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
        assertProblem(r, 405);
    }

    /**
     * mpMetrics once put the exception's class and message into a header of every error response. The metrics in the
     * WAR must not bring anything like it back: no header of an error, from /metrics or the API, names a Java class.
     */
    @Test
    void errorResponsesCarryNoHeaderNamingAJavaClass() {
        String monitor = Tokens.rs256("prometheus", "monitor");
        String device = Tokens.rs256("DX2020", "device");
        List<HttpResponse<String>> errors = List.of(
                Https.send(Https.request("/metrics")
                        .header("Authorization", "Bearer " + monitor)
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build()),
                Https.get("/metrics", device),
                Https.get("/metrics", null),
                Https.send(Https.request("/api/v1/treatments")
                        .header("Authorization", "Bearer " + device)
                        .DELETE()
                        .build()),
                TreatmentFlowIT.submit(device, TreatmentFlowIT.article("MRN-HDR-1", "DX9999"), null),
                Https.get("/api/v1/audit/verify", device),
                Https.postJson("/api/v1/treatments", device, "{\"machine_id\":"));
        assertThat(errors).extracting(HttpResponse::statusCode).containsExactly(405, 403, 401, 405, 403, 403, 400);
        for (HttpResponse<String> r : errors) {
            r.headers().map().forEach((name, values) -> {
                assertThat(name).as("header name").doesNotContain(".").doesNotContainIgnoringCase("exception");
                assertThat(values)
                        .as("header %s", name)
                        .noneSatisfy(v -> assertThat(v).containsPattern(JAVA_CLASS));
            });
        }
    }

    @Test
    void tls13IsAccepted() throws IOException {
        assertThat(handshake(new String[] {"TLSv1.3"}, null)).isEqualTo("TLSv1.3");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
            })
    void tls12WithForwardSecrecyAndAeadIsAccepted(String suite) throws IOException {
        assertThat(handshake(new String[] {"TLSv1.2"}, new String[] {suite})).isEqualTo("TLSv1.2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_256_CBC_SHA",
                "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"
            })
    void tls12WithStaticRsaOrCbcIsRefused(String suite) {
        assertThatThrownBy(() -> handshake(new String[] {"TLSv1.2"}, new String[] {suite}))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void tls11IsRefused() {
        assertThatThrownBy(() -> handshake(new String[] {"TLSv1.1"}, null)).isInstanceOf(IOException.class);
    }

    private static String handshake(String[] protocols, String[] suites) throws IOException {
        try (SSLSocket s = (SSLSocket) Https.trustAll().getSocketFactory().createSocket(Https.HOST, Https.port())) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(protocols);
            if (suites != null) {
                s.setEnabledCipherSuites(suites);
            }
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }
}
