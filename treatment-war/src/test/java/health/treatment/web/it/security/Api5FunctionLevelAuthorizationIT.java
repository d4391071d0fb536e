package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static health.treatment.web.it.security.SecurityDeployment.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OWASP API5:2023, broken function level authorisation: every operation is open to its roles only (DESIGN section 3:
 * devices and gateways submit, clinicians read and search, the integration engine reads the change feed, privacy
 * officers erase, auditors read the trail, the monitor scrapes metrics), checked for every role on every operation.
 */
@ExtendWith(ArquillianExtension.class)
class Api5FunctionLevelAuthorizationIT {

    /** The machine of the device tokens below, so a device's own submissions pass its machine check. */
    private static final String MACHINE = "DX5005";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    record Operation(String method, String path, String body, Set<String> roles) {

        HttpResponse<String> call(String token) {
            HttpRequest.Builder b = SecurityClient.request(path, token);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return SecurityClient.send(b.build());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Operation> OPERATIONS = List.of(
            new Operation("POST", "/api/v1/treatments", record("MRN-FLA", MACHINE), Set.of("device", "gateway")),
            new Operation(
                    "POST",
                    "/api/v1/treatments/batch",
                    "[" + record("MRN-FLA", MACHINE) + "]",
                    Set.of("device", "gateway")),
            new Operation("GET", "/api/v1/treatments/" + UUID.randomUUID(), null, Set.of("clinician")),
            new Operation(
                    "POST", "/api/v1/treatments/search", "{\"patient_id\":\"MRN-FLA-NONE\"}", Set.of("clinician")),
            new Operation("GET", "/api/v1/treatments/changes", null, Set.of("integration")),
            new Operation(
                    "POST", "/api/v1/patients/erasure", "{\"patient_id\":\"MRN-FLA-NONE\"}", Set.of("privacy-officer")),
            new Operation("GET", "/api/v1/audit/events", null, Set.of("auditor")),
            new Operation("GET", "/api/v1/audit/verify", null, Set.of("auditor")),
            new Operation("POST", "/api/v1/audit/verify", "{}", Set.of("auditor")),
            new Operation("GET", "/api/v1/audit/export", null, Set.of("auditor")),
            new Operation("GET", "/api/v1/audit/checkpoints", null, Set.of("auditor")),
            new Operation("GET", "/api/v1/audit/checkpoints/latest", null, Set.of("auditor")),
            new Operation("GET", "/api/v1/audit/signing-keys", null, Set.of("auditor")),
            new Operation("GET", "/metrics", null, Set.of("monitor")));

    /** Every role there is, and names that are not roles. Each subject its own, so no rate limit is shared. */
    static final Map<String, String> TOKENS = Map.of(
            "device", SecurityTokens.token(MACHINE, "device"),
            "gateway", SecurityTokens.token("gw-fla", "gateway"),
            "clinician", SecurityTokens.token("dr-fla", "clinician"),
            "auditor", SecurityTokens.token("aud-fla", "auditor"),
            "integration", SecurityTokens.token("engine-fla", "integration"),
            "privacy-officer", SecurityTokens.token("po-fla", "privacy-officer"),
            "monitor", SecurityTokens.token("prom-fla", "monitor"),
            "admin", SecurityTokens.token("admin-fla", "admin", "administrator", "root", "*", "**"));

    static Stream<Operation> operations() {
        return OPERATIONS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyOperationIsRefusedWith403ToEveryOtherRoleAndServedToItsOwn(Operation op) {
        TOKENS.forEach((role, token) -> {
            HttpResponse<String> r = op.call(token);
            if (op.roles().contains(role)) {
                assertThat(r.statusCode())
                        .as("%s as %s", op, role)
                        .isNotIn(401, 403)
                        .isLessThan(500);
            } else {
                assertThat(r.statusCode()).as("%s as %s", op, role).isEqualTo(403);
                assertProblem(r, 403);
                assertThat(r.body()).doesNotContain("MRN-FLA");
            }
        });
    }

    /** Roles come from the {@code groups} claim only, exactly spelt: not from other claims IdPs use, not by case. */
    @Test
    void rolesInOtherClaimsOrOtherSpellingsGrantNothing() {
        List<String> tokens = List.of(
                SecurityTokens.sign(SecurityTokens.claims("aud-x")
                        .claim("roles", List.of("auditor"))
                        .build()),
                SecurityTokens.sign(
                        SecurityTokens.claims("aud-x").claim("scope", "auditor").build()),
                SecurityTokens.sign(SecurityTokens.claims("aud-x")
                        .claim("realm_access", Map.of("roles", List.of("auditor")))
                        .build()),
                SecurityTokens.token("aud-x", "Auditor"),
                SecurityTokens.token("aud-x", "AUDITOR"),
                SecurityTokens.token("aud-x", " auditor"),
                SecurityTokens.token("aud-x", "auditor,clinician"),
                SecurityTokens.token("aud-x", "auditor "));
        for (String token : tokens) {
            assertProblem(SecurityClient.get("/api/v1/audit/events", token), 403);
        }
    }

    /** Method-override headers are not honoured: the method on the request line is the one authorised and served. */
    @Test
    void methodOverrideHeadersChangeNothing() {
        String device = TOKENS.get("device");
        for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            HttpResponse<String> read = SecurityClient.send(SecurityClient.request("/api/v1/treatments", device)
                    .header("Content-Type", "application/json")
                    .header(header, "GET")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build());
            assertProblem(read, 400); // the POST was validated as a submission, not turned into a read
            HttpResponse<String> audit = SecurityClient.send(SecurityClient.request("/api/v1/audit/events", device)
                    .header(header, "OPTIONS")
                    .GET()
                    .build());
            assertProblem(audit, 403);
        }
    }

    /** The integration role reads the feed; it cannot submit, and a device cannot read the feed (issue 11 brief). */
    @Test
    void theIntegrationRoleCannotSubmitAndADeviceCannotReadTheFeed() {
        assertProblem(
                SecurityClient.postJson("/api/v1/treatments", TOKENS.get("integration"), record("MRN-FLA", MACHINE)),
                403);
        assertProblem(SecurityClient.get("/api/v1/treatments/changes", TOKENS.get("device")), 403);
        assertProblem(
                SecurityClient.postJson(
                        "/api/v1/patients/erasure", TOKENS.get("device"), "{\"patient_id\":\"MRN-FLA-NONE\"}"),
                403);
        assertProblem(SecurityClient.get("/api/v1/audit/export", TOKENS.get("device")), 403);
    }
}
