package health.treatment.web.it;

import java.nio.file.Path;

/**
 * The directory where the server under test writes its own files (logs, embedded database, development keys):
 * Liberty's server directory, or the data directory a Payara Micro run gives with TREATMENT_DATA_DIR
 * (system property {@code it.server.dir}, set by failsafe).
 */
final class ServerFiles {

    private ServerFiles() {}

    static Path dir() {
        String dir = System.getProperty("it.server.dir");
        if (dir != null) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("it.wlp.home"), "usr", "servers", System.getProperty("it.server.name"));
    }

    static Path logs() {
        return dir().resolve("logs");
    }
}
