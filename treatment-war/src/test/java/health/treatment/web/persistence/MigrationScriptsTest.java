package health.treatment.web.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.api.resource.LoadableResource;
import org.junit.jupiter.api.Test;

class MigrationScriptsTest {

    private final ClassLoader loader = MigrationScriptsTest.class.getClassLoader();

    @Test
    void everyMigrationOfEveryModuleIsListed() throws IOException {
        for (String module : List.of("treatment-store", "treatment-audit")) {
            Path root = Path.of("..", module, "src/main/resources");
            try (Stream<Path> files = Files.walk(root.resolve("db/migration"))) {
                List<String> onDisk = files.filter(f -> f.toString().endsWith(".sql"))
                        .map(f -> root.relativize(f).toString().replace('\\', '/'))
                        .toList();
                assertThat(onDisk).as(module).isNotEmpty();
                assertThat(MigrationScripts.SCRIPTS).containsAll(onDisk);
            }
        }
        assertThat(Files.exists(Path.of("src/main/resources/db/migration"))).isFalse();
    }

    @Test
    void everyListedMigrationIsOnTheClasspathIncludingTheAuditJars() {
        MigrationScripts scripts = new MigrationScripts(loader);
        for (String path : MigrationScripts.SCRIPTS) {
            assertThat(scripts.getResource(path)).as(path).isNotNull();
        }
    }

    @Test
    void versionedMigrationsAreOfferedToFlywayByPrefixAndSuffix() {
        MigrationScripts scripts = new MigrationScripts(loader);
        assertThat(scripts.getResources("V", new String[] {".sql"}))
                .extracting(LoadableResource::getFilename)
                .containsExactlyInAnyOrder(
                        "V1__treatment_records.sql",
                        "V2__rate_limit_buckets.sql",
                        "V3__patient_key_version.sql",
                        "V4__search_and_change_feed.sql",
                        "V100__audit_trail.sql",
                        "V101__audit_outbox.sql",
                        "V102__audit_signing_keys.sql");
        assertThat(scripts.getResources("R", new String[] {".sql"})).isEmpty();
    }

    @Test
    void aMissingMigrationFailsLoudly() {
        ClassLoader empty = new ClassLoader(null) {};
        assertThatThrownBy(() -> new MigrationScripts(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Schema migration missing");
    }
}
