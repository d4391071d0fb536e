package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static health.treatment.web.it.security.SecurityDeployment.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API10:2023, unsafe consumption of APIs. What this service consumes from others: the identity provider's
 * tokens (claims it did not write itself), the identity provider's key set (from the configured location only:
 * Api7ServerSideRequestForgeryIT, ProductionTrustRefusedIT) and the database (StoreOutageIT). Here: claims of
 * unexpected shape or content, validly signed, are handled without a server error, without log injection, and
 * identity comes from {@code sub} alone.
 */
@ExtendWith(ArquillianExtension.class)
class Api10UnsafeConsumptionIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    private static JWTClaimsSet.Builder base(String sub) {
        return SecurityTokens.claims(sub, "device");
    }

    /** Claims of the wrong type or absurd size: refused (401/403) or served, never a 5xx, always a problem. */
    @Test
    void claimsOfUnexpectedShapeNeverCauseAServerError() {
        List<JWTClaimsSet> odd = List.of(
                base("DX2020").claim("groups", "device").build(),
                base("DX2020").claim("groups", Map.of("device", true)).build(),
                base("DX2020").claim("groups", List.of(1, 2, 3)).build(),
                base("DX2020").claim("groups", null).build(),
                base("DX2020").claim("upn", List.of("a", "b")).build(),
                base("DX2020").claim("exp", "tomorrow").build(),
                base("DX2020").claim("cnf", "not-an-object").build(),
                base("DX2020").claim("cnf", Map.of("x5t#S256", 42)).build(),
                base("D".repeat(5000)).build(),
                base("DX2020\u0000").build(),
                base("DX2020\u202e0202XD").build());
        for (JWTClaimsSet claims : odd) {
            HttpResponse<String> r = SecurityClient.postJson(
                    "/api/v1/treatments", SecurityTokens.sign(claims), record("MRN-ODD", "DX2020"));
            assertThat(r.statusCode()).as(claims.toString()).isLessThan(500);
            if (r.statusCode() >= 400) {
                assertProblem(r, r.statusCode());
            }
            assertThat(r.body()).doesNotContain("MRN-ODD");
        }
    }

    /**
     * A subject carrying line breaks cannot forge lines in the server's line-oriented logs (messages.log,
     * console.log, the application's JSON lines app.json and audit.json). Liberty's FFDC incident dumps under
     * logs/ffdc are not line-oriented: they copy a failing value verbatim (seen: a subject Liberty's principal mapping
     * could not handle), so they are not for a line-based log shipper (docs/abuse-and-faults.md).
     */
    @Test
    void aSubjectWithLineBreaksCannotForgeLogLines() throws IOException {
        String marker = "FORGED-LOG-LINE-" + SecurityDeployment.unique("");
        String sub = "DX2020\r\n" + marker + " audit ok\n{\"forged\":\"" + marker + "\"}";
        HttpResponse<String> r = SecurityClient.postJson(
                "/api/v1/treatments", SecurityTokens.sign(base(sub).build()), record("MRN-LOG", "DX2020"));
        assertThat(r.statusCode()).isLessThan(500);
        assertThat(r.body()).doesNotContain(marker);
        Path logs = Path.of(
                System.getProperty("it.wlp.home"), "usr", "servers", System.getProperty("it.server.name"), "logs");
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> lineLogs = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("(messages|console|app|audit).*\\.(log|json)"))
                    .toList();
            assertThat(lineLogs).extracting(p -> p.getFileName().toString()).contains("messages.log", "app.json");
            for (Path file : lineLogs) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    assertThat(line)
                            .as(file.toString())
                            .doesNotStartWith(marker)
                            .doesNotStartWith("{\"forged\"");
                }
            }
        }
    }

    /** The caller is its {@code sub}: an inconsistent {@code upn} or {@code preferred_username} changes nothing. */
    @Test
    void theIdentityIsTheSubjectNotAnotherNameClaim() {
        String machine = SecurityDeployment.unique("DXI");
        String other = SecurityDeployment.unique("DXJ");
        String token = SecurityTokens.sign(SecurityTokens.claims(machine, "device")
                .claim("upn", other)
                .claim("preferred_username", other)
                .build());
        assertThat(SecurityClient.postJson("/api/v1/treatments", token, record("MRN-ID", machine))
                        .statusCode())
                .isEqualTo(201);
        assertProblem(SecurityClient.postJson("/api/v1/treatments", token, record("MRN-ID", other)), 403);
    }
}
