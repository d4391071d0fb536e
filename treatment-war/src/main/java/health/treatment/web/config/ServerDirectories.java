package health.treatment.web.config;

import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the running server keeps its own files (development keys, key rings, logs): never inside the repository,
 * and the same rule on every server. log4j2.xml resolves its log directory the same way.
 */
final class ServerDirectories {

    /** MP Config key of the data directory (environment variable {@code TREATMENT_DATA_DIR}). */
    static final String DATA_DIR = "treatment.data-dir";
    /** The default under the working directory when neither the setting nor Liberty's output directory exists. */
    static final String PORTABLE_DEFAULT = "treatment-data";

    private ServerDirectories() {}

    /**
     * {@code treatment.data-dir} when set; else Liberty's {@code server.output.dir} (so a Liberty server keeps
     * everything in its own directory, as before); else {@code ./treatment-data} under the working directory, on
     * servers that have no such property (Payara Micro, for one).
     */
    static Path dataDir() {
        Optional<String> configured = ConfigProvider.getConfig().getOptionalValue(DATA_DIR, String.class);
        return dataDir(configured.orElse(null), System.getProperty("server.output.dir"));
    }

    static Path dataDir(String configured, String libertyOutputDir) {
        Path dir;
        if (configured != null && !configured.isBlank()) {
            dir = Path.of(configured);
        } else if (libertyOutputDir != null && !libertyOutputDir.isBlank()) {
            dir = Path.of(libertyOutputDir);
        } else {
            dir = Path.of(PORTABLE_DEFAULT);
        }
        return dir.toAbsolutePath().normalize();
    }

    /** A configured path, or the default under the data directory. */
    static Path resolve(String configured, String defaultChild) {
        return configured == null || configured.isBlank()
                ? dataDir().resolve(defaultChild)
                : Path.of(configured).toAbsolutePath().normalize();
    }
}
