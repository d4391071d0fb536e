package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a verified token must also satisfy, on every endpoint: a subject, its certificate binding (RFC 8705, with
 * real TLS client certificates: the test server asks for one and trusts client-a and client-b, see TestKeys and
 * the WAR POM), its maximum age; and what the server takes from the connection rather than from headers.
 */
@ExtendWith(ArquillianExtension.class)
class TokenTrustIT {

    private static final String SUBMIT = "/api/v1/treatments";
    private static final String VERIFY = "/api/v1/audit/verify";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    private static String bound(String client, String sub, String... groups) {
        return Tokens.rs256(
                Tokens.claims(sub, groups)
                        .claim("cnf", Map.of("x5t#S256", TestKeys.thumbprint(client)))
                        .build(),
                TestKeys.rsa());
    }

    private static HttpResponse<String> post(HttpClient client, String path, String token, String json) {
        return Https.send(
                client,
                Https.request(path)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    private static HttpResponse<String> get(HttpClient client, String path, String token) {
        return Https.send(
                client,
                Https.request(path)
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
    }

    @Test
    void aVerifiedTokenWithoutSubjectIs401OnEveryEndpointAndAudited() throws Exception {
        String device = Tokens.rs256(
                Tokens.claims(null, "device").claim("upn", "DX2020").build(), TestKeys.rsa());
        String clinician = Tokens.rs256(
                Tokens.claims(null, "clinician").claim("upn", "dr-nosub").build(), TestKeys.rsa());
        String auditor = Tokens.rs256(
                Tokens.claims(null, "auditor").claim("upn", "aud-nosub").build(), TestKeys.rsa());
        String requestId = "nosub-" + UUID.randomUUID();
        HttpResponse<String> submit = Https.send(Https.request(SUBMIT)
                .header("Authorization", "Bearer " + device)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(SecurityIT.ARTICLE))
                .build());
        assertProblem(submit, 401);
        assertThat(submit.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        assertProblem(Https.get("/api/v1/treatments/abc", clinician), 401);
        assertProblem(Https.get(VERIFY, auditor), 401);

        JsonObject event = AuditEvents.matching(e -> requestId.equals(e.getString("request_id", null)), 1)
                .get(0);
        assertThat(event.getInt("http_status")).isEqualTo(401);
        // Liberty verifies a token without sub (upn names the caller) and the WAR refuses it; Payara's MP JWT refuses
        // it itself, so the audit records the container's 401 (docs/portability.md).
        assertThat(event.getString("reason_code"))
                .isEqualTo(Servers.payara() ? "unauthenticated" : "token_without_subject");
    }

    @Test
    void aBoundTokenOverTheMatchingCertificateIsServedOnEveryEndpoint() throws InterruptedException {
        HttpClient clientA = Https.withClientCertificate(TestKeys.CLIENT_A);
        HttpResponse<String> created =
                post(clientA, SUBMIT, bound(TestKeys.CLIENT_A, "DX2020", "device"), SecurityIT.ARTICLE);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = TreatmentFlowIT.json(created.body()).getString("id");
        // The audit event names the certificate by the same x5t#S256 value the token is bound to.
        JsonObject event = AuditEvents.matching(
                        e -> id.equals(e.getString("record_id", null))
                                && "treatment.create".equals(e.getString("action", null)),
                        1)
                .get(0);
        assertThat(event.getString("certificate_thumbprint")).isEqualTo(TestKeys.thumbprint(TestKeys.CLIENT_A));

        HttpResponse<String> read =
                get(clientA, "/api/v1/treatments/" + id, bound(TestKeys.CLIENT_A, "dr-bound", "clinician"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("123456");
        assertThat(get(clientA, VERIFY, bound(TestKeys.CLIENT_A, "aud-bound", "auditor"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aBoundTokenOverAnotherCertificateOrNoneIs401OnEveryEndpoint() {
        String device = bound(TestKeys.CLIENT_A, "DX2020", "device");
        String clinician = bound(TestKeys.CLIENT_A, "dr-bound", "clinician");
        String auditor = bound(TestKeys.CLIENT_A, "aud-bound", "auditor");
        HttpClient clientB = Https.withClientCertificate(TestKeys.CLIENT_B);
        HttpClient none = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(Https.trustAll())
                .build();
        for (HttpClient client : List.of(clientB, none)) {
            HttpResponse<String> submit = post(client, SUBMIT, device, SecurityIT.ARTICLE);
            assertProblem(submit, 401);
            assertThat(submit.body()).doesNotContain("123456");
            assertProblem(get(client, "/api/v1/treatments/abc", clinician), 401);
            assertProblem(get(client, "/api/v1/audit/events", auditor), 401);
            assertProblem(get(client, VERIFY, auditor), 401);
        }
    }

    @Test
    void anUntrustedClientCertificateIsNeverServed() {
        HttpClient untrusted = Https.withClientCertificate(TestKeys.CLIENT_UNTRUSTED);
        String device = bound(TestKeys.CLIENT_UNTRUSTED, "DX2020", "device");
        try {
            HttpResponse<String> r = post(untrusted, SUBMIT, device, SecurityIT.ARTICLE);
            assertProblem(r, 401); // if the handshake is allowed at all, the certificate was not accepted
        } catch (IllegalStateException handshakeRefused) {
            assertThat(handshakeRefused).hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void unboundTokensAreUnaffectedByAClientCertificate() {
        HttpClient clientA = Https.withClientCertificate(TestKeys.CLIENT_A);
        assertThat(post(clientA, SUBMIT, Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE)
                        .statusCode())
                .isEqualTo(201);
        assertThat(Https.postJson(SUBMIT, Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE)
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void aTokenOlderThanTheConfiguredMaximumAgeIs401() {
        // The test server sets MP_JWT_VERIFY_TOKEN_AGE=3600: issued two hours ago, still unexpired.
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        String old = Tokens.rs256(
                Tokens.claims("DX2020", "device")
                        .issueTime(Date.from(issued))
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
                        .build(),
                TestKeys.rsa());
        assertProblem(Https.postJson(SUBMIT, old, SecurityIT.ARTICLE), 401);
        Instant recent = Instant.now().minus(Duration.ofMinutes(5));
        String fresh = Tokens.rs256(
                Tokens.claims("DX2020", "device").issueTime(Date.from(recent)).build(), TestKeys.rsa());
        assertThat(Https.postJson(SUBMIT, fresh, SecurityIT.ARTICLE).statusCode())
                .isEqualTo(201);
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerDoNotChangeTheAuditedSourceAddress() throws Exception {
        String requestId = "xff-" + UUID.randomUUID();
        HttpResponse<String> r = Https.send(Https.request(SUBMIT)
                .header("Authorization", "Bearer " + Tokens.rs256("DX2020", "device"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .header("X-Forwarded-For", "203.0.113.77")
                .header("Forwarded", "for=203.0.113.78")
                .POST(HttpRequest.BodyPublishers.ofString(SecurityIT.ARTICLE))
                .build());
        assertThat(r.statusCode()).isEqualTo(201);
        JsonObject event = AuditEvents.matching(e -> requestId.equals(e.getString("request_id", null)), 1)
                .get(0);
        assertThat(event.getString("source_ip"))
                .doesNotContain("203.0.113")
                .isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
    }

    @Test
    void metricsNeedATokenWithTheMonitorRole() {
        ProblemAssert.assertRefusedWithoutToken(Https.get("/metrics", null));
        assertProblem(Https.get("/metrics", Tokens.rs256("DX2020", "device")), 403);
        HttpResponse<String> scrape = Https.get("/metrics", Tokens.rs256("prometheus", "monitor"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("http_server_request_duration_seconds");
    }
}
