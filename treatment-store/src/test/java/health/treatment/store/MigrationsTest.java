package health.treatment.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void everyScriptTheJarShipsIsPublishedAndEveryPublishedScriptIsOnTheClassPath() throws IOException {
        Path root = Path.of("src/main/resources");
        try (Stream<Path> files = Files.walk(root.resolve("db/migration"))) {
            List<String> onDisk = files.filter(f -> f.toString().endsWith(".sql"))
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .toList();
            assertThat(TreatmentStore.MIGRATIONS).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        for (String script : TreatmentStore.MIGRATIONS) {
            assertThat(MigrationsTest.class.getClassLoader().getResource(script))
                    .as(script)
                    .isNotNull();
        }
    }

    @Test
    void theKeyVersionMigrationKeepsExistingPatientsAsLayoutOneKeysAndErasedOnesErased() throws Exception {
        String url = "jdbc:h2:mem:migrate_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration/treatment")
                .target("2")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO patient (patient_ref, blind_index, identifier_cipher, wrapped_data_key, created_at) VALUES "
                            + "('pt_a', 'bi-a', X'01', X'0102', CURRENT_TIMESTAMP), ('pt_b', 'bi-b', X'01', NULL, CURRENT_TIMESTAMP)");
            Flyway.configure()
                    .dataSource(url, "sa", "")
                    .locations("classpath:db/migration/treatment")
                    .load()
                    .migrate();
            try (ResultSet r = s.executeQuery("SELECT patient_ref, key_version, key_epoch, erased_at, wrapped_data_key "
                    + "FROM patient ORDER BY patient_ref")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(2)).isZero();
                assertThat(r.getInt(3)).as("layout 1, under the PHI ring").isZero();
                assertThat(r.getObject(4)).isNull();
                assertThat(r.next()).isTrue();
                assertThat(r.getBytes(5)).as("still erased").isNull();
            }
            try (ResultSet r =
                    s.executeQuery("SELECT min_wrapping_epoch, erasures_covered_before FROM patient_key_floor")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isZero();
                assertThat(r.getObject(2)).isNull();
                assertThat(r.next()).isFalse();
            }
            s.execute("SHUTDOWN");
        }
    }
}
