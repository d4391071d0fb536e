package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs only in the it-production-bootstrap execution: production mode, a new KEK, an empty key directory and
 * TREATMENT_KEYS_BOOTSTRAP=true (see the WAR POM). The server creates its key ring and audit signing key under the
 * KEK, logs only key ids, and then works end to end.
 */
@ExtendWith(ArquillianExtension.class)
class ProductionBootstrapIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @Test
    void aBootstrappedInstallationIsReadyAndStoresAndReadsRecords() {
        HttpResponse<String> ready = Https.get("/health/ready", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"jwt\":\"trusted\"");

        HttpResponse<String> created =
                Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = TreatmentFlowIT.json(created.body()).getString("id");
        HttpResponse<String> read = Https.get("/api/v1/treatments/" + id, Tokens.rs256("dr-1", "clinician"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(TreatmentFlowIT.json(read.body()).getJsonObject("record").getString("patient_id"))
                .isEqualTo("123456");
    }

    @Test
    void theKeysLiveOnlyEncryptedUnderTheKekAndTheLogsNameKeyIdsOnly() throws Exception {
        Path keys = Path.of(System.getProperty("it.production.keys.dir"));
        assertThat(keys.resolve("phi-aead.tink")).exists();
        assertThat(keys.resolve("blind-index-prf.tink")).exists();
        assertThat(keys.resolve("pseudonym-prf.tink")).exists();
        assertThat(keys.resolve("sealed-audit-signing-key.tink")).exists();
        try (Stream<Path> files = Files.list(keys)) {
            for (Path f : files.toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                        .as(f.toString())
                        .doesNotContain("PRIVATE KEY");
            }
        }
        List<String> lines = logLines();
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains("Key bootstrap: created a new key ring")
                        .containsPattern("PHI key id -?[0-9]+"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains("Key bootstrap: created the audit signing key")
                        .containsPattern("[0-9a-f]{16}"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("PRIVATE KEY"));
    }

    @Test
    void theAuditTrailVerifiesWithTheSealedSigningKey() throws Exception {
        Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE);
        HttpResponse<String> verify = Https.get("/api/v1/audit/verify", Tokens.rs256("aud-1", "auditor"));
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(verify.body()).contains("\"intact\":true");
    }

    @Test
    void behindATrustedProxyTheForwardedClientAddressIsAudited() throws Exception {
        // This run sets TRUSTED_PROXIES to the loopback addresses (the default trusts no proxy: TokenTrustIT).
        String requestId = "proxied-" + java.util.UUID.randomUUID();
        HttpResponse<String> r = Https.send(Https.request("/api/v1/treatments")
                .header("Authorization", "Bearer " + Tokens.rs256("DX2020", "device"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .header("X-Forwarded-For", "203.0.113.41")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(SecurityIT.ARTICLE))
                .build());
        assertThat(r.statusCode()).isEqualTo(201);
        jakarta.json.JsonObject event = AuditEvents.matching(e -> requestId.equals(e.getString("request_id", null)), 1)
                .get(0);
        assertThat(event.getString("source_ip")).isEqualTo("203.0.113.41");
    }

    private static List<String> logLines() throws Exception {
        Path logs = Path.of(
                System.getProperty("it.wlp.home"), "usr", "servers", System.getProperty("it.server.name"), "logs");
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(Files::isRegularFile)
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f, StandardCharsets.ISO_8859_1).stream();
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }
}
