package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.audit.internal.cli.AuditCli;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's routine, end to end: keep the latest signed checkpoint, later export the trail and verify it offline
 * (and on the server) against the kept checkpoint; the signing keys; the checkpoints' copy in the audit log.
 */
@ExtendWith(ArquillianExtension.class)
class AuditAnchoringIT {

    static final String AUDITOR = Tokens.rs256("aud-1", "auditor");

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    /** Submits a record and waits until a signed checkpoint covers it; returns that checkpoint. */
    static JsonObject checkpointCoveringANewRecord() throws InterruptedException {
        String device = Tokens.rs256("DX7070", "device");
        HttpResponse<String> created = TreatmentFlowIT.submit(
                device,
                TreatmentFlowIT.article("MRN-CP-" + UUID.randomUUID().toString().substring(0, 8), "DX7070"),
                null);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = TreatmentFlowIT.json(created.body()).getString("id");
        long sequence = AuditEvents.matching(
                        e -> id.equals(e.getString("record_id", null)) && e.getInt("http_status") == 201, 1)
                .get(0)
                .getJsonNumber("sequence")
                .longValue();
        for (int attempt = 0; attempt < 60; attempt++) {
            HttpResponse<String> latest = Https.get("/api/v1/audit/checkpoints/latest", AUDITOR);
            if (latest.statusCode() == 200) {
                JsonObject checkpoint = TreatmentFlowIT.json(latest.body());
                if (checkpoint.getJsonNumber("sequence").longValue() >= sequence) {
                    return checkpoint;
                }
            } else {
                assertProblem(latest, 404);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no signed checkpoint covered sequence " + sequence + " within 30 s");
    }

    static HttpResponse<String> postVerify(String token, String body) {
        return Https.postJson("/api/v1/audit/verify", token, body);
    }

    /** Runs the audit jar's offline verifier; returns its exit code and output. */
    static CliRun cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AuditCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    record CliRun(int exitCode, String output) {}

    /** The current signing key's PEM, written to {@code file}. */
    static Path currentSigningKey(String keyId, Path file) throws Exception {
        HttpResponse<String> keys = Https.get("/api/v1/audit/signing-keys", AUDITOR);
        assertThat(keys.statusCode()).isEqualTo(200);
        List<JsonObject> list =
                TreatmentFlowIT.json(keys.body()).getJsonArray("keys").getValuesAs(JsonObject.class);
        JsonObject current = list.stream()
                .filter(k -> k.getString("key_id").equals(keyId))
                .findFirst()
                .orElseThrow();
        assertThat(current.isNull("valid_until")).isTrue();
        assertThat(current.getString("public_key_pem")).startsWith("-----BEGIN PUBLIC KEY-----");
        Files.writeString(file, current.getString("public_key_pem"));
        return file;
    }

    @Test
    void aKeptCheckpointProvesOnTheServerAndOfflineThatTheTrailStillExtendsIt() throws Exception {
        JsonObject kept = checkpointCoveringANewRecord();
        Path keptFile = Files.writeString(dir.resolve("kept.json"), kept.toString());
        Path key = currentSigningKey(kept.getString("key_id"), dir.resolve("signing-key.pem"));

        checkpointCoveringANewRecord(); // the trail grows past the kept checkpoint

        HttpResponse<String> verify = postVerify(AUDITOR, kept.toString());
        assertThat(verify.statusCode()).isEqualTo(200);
        JsonObject result = TreatmentFlowIT.json(verify.body());
        assertThat(result.getBoolean("intact")).as(verify.body()).isTrue();
        assertThat(result.getJsonNumber("trusted_checkpoint_sequence").longValue())
                .isEqualTo(kept.getJsonNumber("sequence").longValue());

        HttpResponse<String> export = Https.send(Https.request("/api/v1/audit/export")
                .header("Authorization", "Bearer " + AUDITOR)
                .GET()
                .build());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
        Path exportFile = Files.writeString(dir.resolve("export.ndjson"), export.body());

        CliRun offline = cli(
                "verify",
                exportFile.toString(),
                "--public-key",
                key.toString(),
                "--trusted-checkpoint",
                keptFile.toString());
        assertThat(offline.exitCode()).as(offline.output()).isZero();
        assertThat(offline.output()).startsWith("INTACT");
    }

    @Test
    void aForgedOrAlteredCheckpointIsNotTrusted() throws Exception {
        JsonObject kept = checkpointCoveringANewRecord();
        String hash = kept.getString("head_hash");
        String altered = kept.toString().replace(hash, (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1));
        JsonObject result = TreatmentFlowIT.json(postVerify(AUDITOR, altered).body());
        assertThat(result.getBoolean("intact")).isFalse();
        assertThat(result.getJsonNumber("first_bad_sequence").longValue())
                .isEqualTo(kept.getJsonNumber("sequence").longValue());
    }

    @Test
    void theVerifyBodyMustBeACheckpointAndOnlyAuditorsMayVerify() {
        for (String bad : List.of("", "{}", "[]", "{\"sequence\": \"x\"}", "not json")) {
            assertProblem(postVerify(AUDITOR, bad), 400);
        }
        assertProblem(postVerify(Tokens.rs256("dr-1", "clinician"), "{}"), 403);
        ProblemAssert.assertRefusedWithoutToken(postVerify(null, "{}"));
        assertProblem(Https.get("/api/v1/audit/checkpoints/latest", Tokens.rs256("DX2020", "device")), 403);
        assertProblem(Https.get("/api/v1/audit/signing-keys", Tokens.rs256("dr-1", "clinician")), 403);
        assertProblem(Https.get("/api/v1/audit/export", Tokens.rs256("dr-1", "clinician")), 403);
    }

    @Test
    void checkpointsArePagedBySequence() throws Exception {
        checkpointCoveringANewRecord();
        checkpointCoveringANewRecord();
        HttpResponse<String> first = Https.get("/api/v1/audit/checkpoints?limit=1", AUDITOR);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonObject page = TreatmentFlowIT.json(first.body());
        assertThat(page.getJsonArray("checkpoints")).hasSize(1);
        String next = page.getString("next");
        long firstSequence = page.getJsonArray("checkpoints")
                .getJsonObject(0)
                .getJsonNumber("sequence")
                .longValue();
        JsonObject second =
                TreatmentFlowIT.json(Https.get("/api/v1/audit/checkpoints?limit=1000&after=" + next, AUDITOR)
                        .body());
        assertThat(second.getJsonArray("checkpoints")).isNotEmpty();
        assertThat(second.getJsonArray("checkpoints")
                        .getJsonObject(0)
                        .getJsonNumber("sequence")
                        .longValue())
                .isGreaterThan(firstSequence);

        assertProblem(Https.get("/api/v1/audit/checkpoints?after=abc", AUDITOR), 400);
        assertProblem(Https.get("/api/v1/audit/checkpoints?limit=0", AUDITOR), 400);
        assertProblem(Https.get("/api/v1/audit/checkpoints?limit=ten", AUDITOR), 400);
        assertProblem(Https.get("/api/v1/audit/export?from_seq=0", AUDITOR), 400);
        assertProblem(Https.get("/api/v1/audit/export?from_seq=5&to_seq=4", AUDITOR), 400);
    }

    @Test
    void everySignedCheckpointIsAlsoInTheAuditLog() throws Exception {
        JsonObject latest = checkpointCoveringANewRecord();
        List<JsonObject> lines = AuditLogFile.matching(
                e -> "checkpoint".equals(e.getString("type", null))
                        && latest.getString("signature").equals(e.getString("signature", null)),
                1);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).getJsonNumber("sequence").longValue())
                .isEqualTo(latest.getJsonNumber("sequence").longValue());
        assertThat(lines.get(0).getString("head_hash")).isEqualTo(latest.getString("head_hash"));
    }
}
