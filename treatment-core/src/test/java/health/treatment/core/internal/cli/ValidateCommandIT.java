package health.treatment.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built jar exactly as the README does: {@code java -jar target/treatment-core-<version>.jar validate FILE}. */
class ValidateCommandIT {

    @TempDir
    Path dir;

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            List<Path> jars = files.filter(
                            p -> p.getFileName().toString().matches("treatment-core-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                    .collect(Collectors.toList());
            assertThat(jars).hasSize(1);
            return jars.get(0);
        }
    }

    private static Process start(String... args) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        // Only the jar and its manifest Class-Path: no test class path leaks into the child.
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }

    @Test
    void theStandaloneJarValidatesTheArticleExampleAndExitsZero() throws Exception {
        Path file = Files.writeString(
                dir.resolve("article.json"),
                "{\"patient_id\": \"123456\","
                        + " \"treatment_start\": \"2025-03-28T08:00:00Z\", \"treatment_end\": \"2025-03-28T10:00:00Z\","
                        + " \"uf_volume\": 2.4, \"conductivity\": 13.5, \"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}");

        Process p = start("validate", file.toString());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).isZero();
        assertThat(out.trim()).isEqualTo("{\"file\":\"" + file + "\",\"valid\":true,\"violations\":[]}");
    }

    @Test
    void theStandaloneJarExitsOneForAnInvalidFileAndTwoForUsageErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"machine_id\": \"<script>\"}");

        Process invalid = start("validate", file.toString());
        String out = new String(invalid.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Process usage = start();
        String err = new String(usage.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(invalid.waitFor()).isEqualTo(1);
        assertThat(out)
                .contains("\"valid\":false")
                .contains("\"code\":\"pattern\"")
                .doesNotContain("<script>");
        assertThat(usage.waitFor()).isEqualTo(2);
        assertThat(err).contains("usage:");
    }
}
