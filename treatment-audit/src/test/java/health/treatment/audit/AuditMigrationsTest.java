package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AuditMigrationsTest {

    @Test
    void everyScriptTheJarShipsIsPublishedAndEveryPublishedScriptIsOnTheClassPath() throws IOException {
        Path root = Path.of("src/main/resources");
        try (Stream<Path> files = Files.walk(root.resolve("db/migration"))) {
            List<String> onDisk = files.filter(f -> f.toString().endsWith(".sql"))
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .toList();
            assertThat(AuditTrail.MIGRATIONS).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        for (String script : AuditTrail.MIGRATIONS) {
            assertThat(AuditMigrationsTest.class.getClassLoader().getResource(script))
                    .as(script)
                    .isNotNull();
        }
    }
}
