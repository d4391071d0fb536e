package health.treatment.web.it;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The audit log file (the SIEM copy of the trail) of the server under test: one JSON object per line. */
final class AuditLogFile {

    private AuditLogFile() {}

    static Path path() {
        return ServerFiles.logs().resolve("audit.json");
    }

    /** The lines matching {@code filter}, once at least {@code atLeast} are there (the appender may lag a little). */
    static List<JsonObject> matching(Predicate<JsonObject> filter, int atLeast)
            throws IOException, InterruptedException {
        List<JsonObject> found = List.of();
        for (int attempt = 0; attempt < 20; attempt++) {
            found = new ArrayList<>();
            for (String line : Files.readAllLines(path(), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = TreatmentFlowIT.json(line);
                if (filter.test(o)) {
                    found.add(o);
                }
            }
            if (found.size() >= atLeast) {
                break;
            }
            Thread.sleep(250);
        }
        return found;
    }
}
