package health.treatment.web.config;

import java.nio.file.Path;

/** Where the running server keeps its own files (keys, database, logs): never inside the repository. */
final class ServerDirectories {

    private ServerDirectories() {
    }

    /** Liberty's {@code server.output.dir}; the working directory elsewhere. */
    static Path outputDir() {
        String dir = System.getProperty("server.output.dir");
        return Path.of(dir == null ? "." : dir).toAbsolutePath().normalize();
    }

    /** A configured path, or the default under the server's output directory. */
    static Path resolve(String configured, String defaultChild) {
        return configured == null || configured.isBlank()
                ? outputDir().resolve(defaultChild)
                : Path.of(configured).toAbsolutePath().normalize();
    }
}
