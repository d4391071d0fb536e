package health.treatment.web.persistence;

import health.treatment.audit.AuditTrail;
import health.treatment.store.TreatmentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The schema migrations, named explicitly rather than found by scanning the classpath: Flyway's classpath
 * scanning depends on how each app server exposes WAR and nested-jar URLs, an explicit list does not. Each jar
 * publishes its own list (a unit test in each checks that every script it ships is listed).
 */
final class MigrationScripts implements ResourceProvider {

    /** Every migration, in any order (Flyway orders them by version): the store's 1–99, the audit trail's 100+. */
    static final List<String> SCRIPTS = Stream.concat(
                    TreatmentStore.MIGRATIONS.stream(), AuditTrail.MIGRATIONS.stream())
            .toList();

    private final ClassLoader classLoader;
    private final List<LoadableResource> resources;

    MigrationScripts(ClassLoader classLoader) {
        this.classLoader = classLoader;
        this.resources = SCRIPTS.stream().map(this::load).toList();
    }

    @Override
    public LoadableResource getResource(String name) {
        return resources.stream()
                .filter(r -> r.getRelativePath().equals(name))
                .findFirst()
                .orElse(null);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return resources.stream()
                .filter(r -> r.getFilename().startsWith(prefix))
                .filter(r -> Arrays.stream(suffixes).anyMatch(r.getFilename()::endsWith))
                .toList();
    }

    private LoadableResource load(String path) {
        try (InputStream in = classLoader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Schema migration missing from the deployment: " + path);
            }
            return new Script(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema migration " + path, e);
        }
    }

    /** One script held in memory (they are small). */
    private static final class Script extends LoadableResource {
        private final String path;
        private final String text;

        Script(String path, String text) {
            this.path = path;
            this.text = text;
        }

        @Override
        public Reader read() {
            return new StringReader(text);
        }

        @Override
        public String getAbsolutePath() {
            return path;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return path;
        }

        @Override
        public String getFilename() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        @Override
        public String getRelativePath() {
            return path;
        }
    }
}
