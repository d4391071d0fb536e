package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-node jobs, in their own execution with short periods (audit retention 20 s, record retention 40 s,
 * re-wrap 2 s after an erasure, a run every 2 s): what each leaves behind, seen from outside.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the re-wrap first: record retention would take its records
class MaintenanceIT {

    static final String DEVICE = Tokens.rs256("DX9090", "device");

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    static String store(String patient) {
        HttpResponse<String> created = TreatmentFlowIT.submit(DEVICE, TreatmentFlowIT.article(patient, "DX9090"), null);
        assertThat(created.statusCode()).isEqualTo(201);
        return TreatmentFlowIT.json(created.body()).getString("id");
    }

    static List<Integer> wrappingEpochFiles() throws Exception {
        Path keys = Path.of(System.getProperty("it.maintenance.keys.dir"), "keysets");
        try (Stream<Path> files = Files.list(keys)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("patient-wrap-[0-9]+\\.tink"))
                    .map(n -> Integer.parseInt(n.replaceAll("[^0-9]", "")))
                    .sorted()
                    .toList();
        }
    }

    @Test
    @Order(1)
    void afterAnErasureThePatientKeysAreRewrappedUnderANewEpochAndTheOldOneIsDestroyed() throws Exception {
        String erased = "MRN-RW-" + UUID.randomUUID().toString().substring(0, 8);
        String kept = "MRN-RW-" + UUID.randomUUID().toString().substring(0, 8);
        store(erased);
        String keptRecord = store(kept);
        List<Integer> before = wrappingEpochFiles();
        assertThat(before).isNotEmpty();

        assertThat(ErasureIT.erase(ErasureIT.PRIVACY_OFFICER, "{\"patient_id\": \"" + erased + "\"}")
                        .statusCode())
                .isEqualTo(200);
        AuditEvents.matching(e -> "patient.keys_rewrapped".equals(e.getString("action")), 1);

        List<Integer> after = wrappingEpochFiles();
        assertThat(after).hasSize(1);
        assertThat(after.get(0)).isGreaterThan(before.get(before.size() - 1));
        assertThat(ErasureIT.read(keptRecord)).isEqualTo(200); // the surviving patient's key was re-wrapped
    }

    @Test
    @Order(2)
    void retentionPurgesTheOldestAuditEventsAndRecordsAndTheTrailStillVerifies() throws Exception {
        String old = store("MRN-RT-" + UUID.randomUUID().toString().substring(0, 8));

        // A purge checkpoint appears once events are older than 20 s; the record goes after 40 s.
        JsonObject purge = null;
        for (int attempt = 0; attempt < 120 && purge == null; attempt++) {
            Thread.sleep(500);
            JsonObject page =
                    TreatmentFlowIT.json(Https.get("/api/v1/audit/checkpoints?limit=1000", AuditAnchoringIT.AUDITOR)
                            .body());
            purge = page.getJsonArray("checkpoints").getValuesAs(JsonObject.class).stream()
                    .filter(c -> "purge".equals(c.getString("kind")))
                    .findFirst()
                    .orElse(null);
        }
        assertThat(purge).as("a signed purge anchor").isNotNull();
        AuditEvents.matching(e -> "audit.retention_purged".equals(e.getString("action")), 1);

        for (int attempt = 0; attempt < 120 && ErasureIT.read(old) != 404; attempt++) {
            Thread.sleep(500);
        }
        assertThat(ErasureIT.read(old)).isEqualTo(404);
        AuditEvents.matching(e -> "treatment.retention_purged".equals(e.getString("action")), 1);

        // Verification starts from the purge anchor: intact, on the server and offline, against a kept checkpoint.
        JsonObject kept = AuditAnchoringIT.checkpointCoveringANewRecord();
        JsonObject verify = TreatmentFlowIT.json(AuditAnchoringIT.postVerify(AuditAnchoringIT.AUDITOR, kept.toString())
                .body());
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isTrue();
        Path key = AuditAnchoringIT.currentSigningKey(kept.getString("key_id"), dir.resolve("key.pem"));
        Path export = Files.writeString(
                dir.resolve("export.ndjson"),
                Https.get("/api/v1/audit/export", AuditAnchoringIT.AUDITOR).body());
        Path keptFile = Files.writeString(dir.resolve("kept.json"), kept.toString());
        AuditAnchoringIT.CliRun offline = AuditAnchoringIT.cli(
                "verify",
                export.toString(),
                "--public-key",
                key.toString(),
                "--trusted-checkpoint",
                keptFile.toString());
        assertThat(offline.exitCode()).as(offline.output()).isZero();
    }
}
