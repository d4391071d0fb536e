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
 * Runs only in the it-production-refused execution: TREATMENT_DEPLOYMENT=production with the development issuer,
 * audience and key location (see the WAR POM). The server must never honour a token then, not even one signed by
 * a development key left behind in the key location.
 */
@ExtendWith(ArquillianExtension.class)
class ProductionTrustRefusedIT {

    private static final String DEV_ISSUER = "https://treatment.local/dev";
    private static final String DEV_AUDIENCE = "treatment-ingest";
    private static final List<String> VARIABLES =
            List.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    private static String devToken(String sub, String group) {
        return Tokens.rs256(
                Tokens.claims(sub, group)
                        .issuer(DEV_ISSUER)
                        .audience(DEV_AUDIENCE)
                        .build(),
                TestKeys.rsa());
    }

    @Test
    void readinessIsDownAndNamesTheVariablesToSet() {
        HttpResponse<String> ready = Https.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"jwt\":\"refused\"");
        VARIABLES.forEach(name -> assertThat(ready.body()).contains(name));
    }

    @Test
    void noDevelopmentKeyIsGeneratedAndNoApiRequestIsAnswered2xxEvenWithADevelopmentKeyInPlace() throws Exception {
        Path devKeys = Path.of(System.getProperty("it.dev.keys.dir"));
        assertThat(devKeys.resolve("private.pem")).doesNotExist();
        // A development key pair left over from an earlier run: its public half is where the location points.
        Files.createDirectories(devKeys);
        Files.writeString(devKeys.resolve("public.pem"), TestKeys.rsaPublicPem());
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertServedNothing(
                        Https.postJson("/api/v1/treatments", devToken("DX2020", "device"), SecurityIT.ARTICLE));
                assertServedNothing(Https.get("/api/v1/treatments/abc", devToken("dr-1", "clinician")));
                assertServedNothing(Https.get("/api/v1/audit/events", devToken("aud-1", "auditor")));
                assertServedNothing(Https.get("/api/v1/audit/verify", devToken("aud-1", "auditor")));
                assertServedNothing(Https.postJson("/api/v1/treatments", null, SecurityIT.ARTICLE));
            }
        } finally {
            Files.delete(devKeys.resolve("public.pem"));
        }
    }

    private static void assertServedNothing(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.uri().getPath()).isGreaterThanOrEqualTo(400);
        assertThat(r.body()).doesNotContain("123456");
    }

    @Test
    void oneErrorLineNamesTheVariables() throws Exception {
        Path logs = Path.of(
                System.getProperty("it.wlp.home"), "usr", "servers", System.getProperty("it.server.name"), "logs");
        List<String> lines;
        try (Stream<Path> files = Files.list(logs)) {
            lines = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".log")
                            || f.getFileName().toString().equals("app.json"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f, StandardCharsets.ISO_8859_1).stream();
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .filter(l -> l.contains("production refuses development JWT trust"))
                    // Liberty's own CWMMH0052W warning quotes the DOWN readiness data, reason included: not ours
                    .filter(l -> l.contains("JwtTrust"))
                    .toList();
        }
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(l -> {
            assertThat(l).contains("ERROR");
            VARIABLES.forEach(name -> assertThat(l).contains(name));
        });
    }
}
