package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** MicroProfile JWT on every /api endpoint: who gets in, who gets 401 or 403, and what the errors look like. */
@ExtendWith(ArquillianExtension.class)
class SecurityIT {

    static final String ARTICLE = "{\"patient_id\": \"123456\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
            + "\"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5, "
            + "\"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", (BiFunction<String, String, String>) Tokens::expired),
                Arguments.of("wrong issuer", (BiFunction<String, String, String>) Tokens::wrongIssuer),
                Arguments.of("wrong audience", (BiFunction<String, String, String>) Tokens::wrongAudience),
                Arguments.of("wrong key", (BiFunction<String, String, String>) Tokens::wrongKey),
                Arguments.of("alg none", (BiFunction<String, String, String>) Tokens::algNone),
                Arguments.of(
                        "HS256 with the public key", (BiFunction<String, String, String>) Tokens::hs256WithPublicKey),
                Arguments.of("garbage", (BiFunction<String, String, String>) (s, g) -> "not.a.token"));
    }

    @Test
    void submitWithoutTokenIsRejectedWith401ProblemAndBearerChallenge() {
        ProblemAssert.assertRefusedWithoutToken(Https.postJson("/api/v1/treatments", null, ARTICLE));
    }

    /** On every server (Payara once ended these with an empty 200 before the WAR ran, unaudited). */
    @Test
    void aRequestWithoutTokenIsAuditedAsUnauthenticated() throws InterruptedException {
        String requestId = "notoken-" + UUID.randomUUID();
        HttpResponse<String> r = Https.send(Https.request("/api/v1/treatments")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(ARTICLE))
                .build());
        ProblemAssert.assertRefusedWithoutToken(r);
        JsonObject event = AuditEvents.matching(e -> requestId.equals(e.getString("request_id", null)), 1)
                .get(0);
        assertThat(event.getInt("http_status")).isEqualTo(401);
        assertThat(event.getString("reason_code")).isEqualTo("unauthenticated");
        assertThat(event.getString("action")).isEqualTo("treatment.create");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void submitWithBadTokenIsRejectedWith401Problem(String name, BiFunction<String, String, String> mint) {
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", mint.apply("DX2020", "device"), ARTICLE);
        assertProblem(r, 401);
        assertThat(r.body()).doesNotContain("123456");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void auditWithBadTokenIsRejectedWith401Problem(String name, BiFunction<String, String, String> mint) {
        assertProblem(Https.get("/api/v1/audit/verify", mint.apply("aud-1", "auditor")), 401);
    }

    @Test
    void rejectedTokensAreNotWrittenToTheServerLog() throws Exception {
        String otherServicesToken = Tokens.wrongAudience("DX2020", "device"); // validly signed: a live credential
        assertProblem(Https.postJson("/api/v1/treatments", otherServicesToken, ARTICLE), 401);
        java.nio.file.Path logs = ServerFiles.logs();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(logs)) {
            for (java.nio.file.Path file :
                    files.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertThat(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(otherServicesToken.substring(otherServicesToken.lastIndexOf('.') + 1));
            }
        }
    }

    @Test
    void deviceAndGatewaySubmitAndGet201() {
        assertThat(Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020", "device"), ARTICLE)
                        .statusCode())
                .isEqualTo(201);
        assertThat(Https.postJson("/api/v1/treatments", Tokens.rs256("gw-1", "gateway"), ARTICLE)
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void deviceMaySubmitOnlyForItsOwnMachine() {
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", Tokens.rs256("DX9999", "device"), ARTICLE);
        assertProblem(r, 403);
        assertThat(r.body()).doesNotContain("123456").doesNotContain("DX2020");
    }

    @Test
    void clinicianAndAuditorMayNotSubmit() {
        assertProblem(Https.postJson("/api/v1/treatments", Tokens.rs256("dr-1", "clinician"), ARTICLE), 403);
        assertProblem(Https.postJson("/api/v1/treatments", Tokens.rs256("aud-1", "auditor"), ARTICLE), 403);
    }

    @Test
    void tokenWithoutGroupsIsForbidden() {
        assertProblem(Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020"), ARTICLE), 403);
    }

    @Test
    void onlyClinicianReadsRecords() {
        assertProblem(Https.get("/api/v1/treatments/abc", Tokens.rs256("dr-1", "clinician")), 404);
        assertProblem(Https.get("/api/v1/treatments/abc", Tokens.rs256("DX2020", "device")), 403);
        assertProblem(Https.get("/api/v1/treatments/abc", Tokens.rs256("aud-1", "auditor")), 403);
        ProblemAssert.assertRefusedWithoutToken(Https.get("/api/v1/treatments/abc", null));
    }

    @Test
    void onlyAuditorReadsTheAuditTrail() {
        for (String path : new String[] {"/api/v1/audit/events", "/api/v1/audit/verify"}) {
            assertThat(Https.get(path, Tokens.rs256("aud-1", "auditor")).statusCode())
                    .isEqualTo(200);
            assertProblem(Https.get(path, Tokens.rs256("dr-1", "clinician")), 403);
            assertProblem(Https.get(path, Tokens.rs256("DX2020", "device")), 403);
            ProblemAssert.assertRefusedWithoutToken(Https.get(path, null));
        }
    }

    @Test
    void certificateBoundTokenWithoutThatClientCertificateIsRejectedWith401() {
        // RFC 8705: cnf.x5t#S256 binds the token to one TLS client certificate; this connection presents none.
        String bound = Tokens.rs256(
                Tokens.claims("DX2020", "device")
                        .claim("cnf", java.util.Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"))
                        .build(),
                TestKeys.rsa());
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", bound, ARTICLE);
        assertProblem(r, 401);
        assertThat(r.body()).doesNotContain("123456");
    }

    @Test
    void es256TokenIsRejectedWhileTheServerIsConfiguredForRs256() {
        assertProblem(Https.postJson("/api/v1/treatments", Tokens.es256("DX2020", "device"), ARTICLE), 401);
    }
}
