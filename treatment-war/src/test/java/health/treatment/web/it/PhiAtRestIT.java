package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN section 5, proven: canary identifiers and notes go in through every path (accepted, replayed, rejected,
 * read back) and are then searched for, in plaintext, in every file of the server (logs, the embedded database)
 * and, when the suite runs on PostgreSQL, in the database cluster's files.
 */
@ExtendWith(ArquillianExtension.class)
class PhiAtRestIT {

    private static final String RUN =
            UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    private static final String CANARY_PATIENT = "CANARYPATIENT-" + RUN;
    private static final String CANARY_ENCOUNTER = "CANARYENCOUNTER-" + RUN;
    private static final String CANARY_NOTE = "canarynote" + RUN.toLowerCase();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @Test
    void canaryIdentifiersNeverReachAnyServerOrDatabaseFileInPlaintext() throws Exception {
        String device = Tokens.rs256("DX6060", "device");
        String record = "{\"patient_id\": \"" + CANARY_PATIENT + "\", \"encounter_id\": \"" + CANARY_ENCOUNTER + "\","
                + " \"treatment_start\": \"2025-03-28T08:00:00Z\", \"treatment_end\": \"2025-03-28T10:00:00Z\","
                + " \"machine_id\": \"DX6060\", \"notes\": \"Patient said " + CANARY_NOTE + " at noon\"}";
        HttpResponse<String> created = TreatmentFlowIT.submit(device, record, "phi-" + RUN);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TreatmentFlowIT.submit(device, record, "phi-" + RUN).statusCode())
                .isEqualTo(200);
        String id = TreatmentFlowIT.json(created.body()).getString("id");

        HttpResponse<String> read = Https.get("/api/v1/treatments/" + id, Tokens.rs256("dr-1", "clinician"));
        assertThat(read.body()).contains(CANARY_PATIENT).contains(CANARY_NOTE); // decrypted for the clinician only

        // Rejected paths: invalid record, wrong machine, wrong role, no token.
        Https.postJson("/api/v1/treatments", device, record.replace("\"DX6060\"", "\"DX6060\", \"extra\": 1"));
        Https.postJson("/api/v1/treatments", Tokens.rs256("DX0000", "device"), record);
        Https.postJson("/api/v1/treatments", Tokens.rs256("dr-1", "clinician"), record);
        Https.postJson("/api/v1/treatments", null, record);
        Https.postJson("/api/v1/treatments", device, "{\"patient_id\": \"" + CANARY_PATIENT + "\"");

        Thread.sleep(3000); // let the embedded database and the log appenders write to disk

        List<String> leaks = new ArrayList<>();
        Path server = ServerFiles.dir();
        scan(server, leaks);
        if ("postgresql".equals(System.getenv("DB_KIND"))) {
            Path cluster = Path.of(System.getProperty("it.postgres.data", "/var/lib/postgresql"));
            scan(cluster, leaks);
        }
        assertThat(leaks).as("files containing a canary in plaintext").isEmpty();
        // The scan only proves something if the logs were written: JSON lines with request ids, masking active.
        Path appLog = server.resolve("logs").resolve("app.json");
        assertThat(appLog).exists();
        assertThat(Files.readString(appLog)).contains("request_id");
        assertThat(server.resolve("logs").resolve("audit.json")).exists();
    }

    private static void scan(Path root, List<String> leaks) throws IOException {
        byte[][] canaries = {
            CANARY_PATIENT.getBytes(StandardCharsets.UTF_8),
            CANARY_ENCOUNTER.getBytes(StandardCharsets.UTF_8),
            CANARY_NOTE.getBytes(StandardCharsets.UTF_8)
        };
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (contains(file, canaries)) {
                    leaks.add(file.toString());
                }
            }
        }
    }

    /** Streams the file in blocks (database files can be large), overlapping blocks so no match is split. */
    private static boolean contains(Path file, byte[][] needles) throws IOException {
        int overlap = 64;
        byte[] buffer = new byte[1 << 20];
        int carried = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer, carried, buffer.length - carried)) > 0) {
                int length = carried + read;
                for (byte[] needle : needles) {
                    if (indexOf(buffer, length, needle) >= 0) {
                        return true;
                    }
                }
                carried = Math.min(overlap, length);
                System.arraycopy(buffer, length - carried, buffer, 0, carried);
            }
        } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException skipped) {
            return false; // e.g. a socket or lock file that vanished; content files are readable as the test user
        }
        return false;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
