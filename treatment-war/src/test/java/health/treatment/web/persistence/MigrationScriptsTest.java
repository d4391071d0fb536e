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
    void everyMigrationInTheWarIsListed() throws IOException {
        Path dir = Path.of("src/main/resources/db/migration/treatment");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> onDisk = files.map(f -> "db/migration/treatment/" + f.getFileName()).toList();
            assertThat(MigrationScripts.SCRIPTS).containsAll(onDisk);
        }
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
                .containsExactlyInAnyOrder("V1__treatment_records.sql", "V100__audit_trail.sql");
        assertThat(scripts.getResources("R", new String[] {".sql"})).isEmpty();
    }

    @Test
    void aMissingMigrationFailsLoudly() {
        ClassLoader empty = new ClassLoader(null) {
        };
        assertThatThrownBy(() -> new MigrationScripts(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Schema migration missing");
    }
}
