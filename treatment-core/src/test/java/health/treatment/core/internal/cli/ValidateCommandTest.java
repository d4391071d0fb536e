package health.treatment.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    private static final String ARTICLE = "{\"patient_id\": \"123456\", \"treatment_start\": \"2025-03-28T08:00:00Z\","
            + " \"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5,"
            + " \"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ValidateCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsAnEmptyViolationListAndExitsZeroWhenAllFilesAreValid() throws IOException {
        Path a = file("a.json", ARTICLE);

        int status = run("validate", a.toString());

        assertThat(status).isZero();
        assertThat(stdout())
                .isEqualTo("{\"file\":\"" + a + "\",\"valid\":true,\"violations\":[]}" + System.lineSeparator());
        assertThat(err.size()).isZero();
    }

    @Test
    void printsOneLinePerFileAndExitsOneWhenAnyFileIsInvalid() throws IOException {
        Path good = file("good.json", ARTICLE);
        Path bad = file("bad.json", "{\"patient_id\": \"CANARY-PATIENT-7731\", \"machine_id\": \"DX2020\"}");

        int status = run("validate", good.toString(), bad.toString());

        assertThat(status).isEqualTo(1);
        String[] lines = stdout().split(System.lineSeparator());
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("\"valid\":true");
        assertThat(lines[1])
                .startsWith("{\"file\":\"" + bad + "\",\"valid\":false,\"violations\":[")
                .contains("{\"pointer\":\"/treatment_start\",\"code\":\"required\",\"message\":\"")
                .doesNotContain("CANARY");
    }

    @Test
    void exitsTwoWithAMessageOnStderrForAMissingFile() throws IOException {
        Path good = file("good.json", ARTICLE);

        int status = run("validate", dir.resolve("missing.json").toString(), good.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read").contains("missing.json");
        assertThat(stdout()).contains("\"valid\":true");
    }

    @Test
    void exitsTwoWithUsageForMissingArguments() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("validate")).isEqualTo(2);
        assertThat(run("check", "x.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("usage: java -jar treatment-core.jar validate FILE...");
        assertThat(stdout()).isEmpty();
    }
}
