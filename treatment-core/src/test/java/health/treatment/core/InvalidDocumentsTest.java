package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code src/test/resources/invalid/} is rejected with (at least) the pointer/code pairs listed for it
 * in {@code expectations.csv}. Regenerate both with {@code src/test/scripts/generate_invalid.py}.
 */
class InvalidDocumentsTest {

    private static final Path DIR = Paths.get("src/test/resources/invalid");
    private static final TreatmentValidator VALIDATOR = TreatmentValidator.createDefault();

    static Map<String, Set<String>> expectations() {
        try (Stream<String> lines = Files.lines(DIR.resolve("expectations.csv"), StandardCharsets.UTF_8)) {
            Map<String, Set<String>> byFile = new LinkedHashMap<>();
            lines.filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(line -> {
                String[] cells = line.split(",", -1);
                byFile.computeIfAbsent(cells[0], f -> new TreeSet<>()).add(cells[1] + " " + cells[2]);
            });
            return byFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> documents() {
        return expectations().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} is rejected with {1}")
    @MethodSource("documents")
    void rejectsTheDocumentWithTheExpectedPointersAndCodes(String file, Set<String> expected) throws IOException {
        ValidationResult result;
        try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
            result = VALIDATOR.validate(in);
        }

        assertThat(result.isValid()).as(file).isFalse();
        Set<String> actual = result.violations().stream()
                .map(v -> v.pointer() + " " + v.code())
                .collect(Collectors.toSet());
        assertThat(actual).as(file).containsAll(expected);
        assertThat(result.violations())
                .allSatisfy(v -> assertThat(ViolationCodes.all()).contains(v.code()));
    }

    @ParameterizedTest(name = "{0} gives the same result from bytes and from a stream")
    @MethodSource("documents")
    void byteArrayAndStreamInputAgree(String file, Set<String> expected) throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve(file));
        List<Violation> fromBytes = VALIDATOR.validate(bytes).violations();
        List<Violation> fromStream =
                VALIDATOR.validate(new java.io.ByteArrayInputStream(bytes)).violations();

        assertThat(fromBytes).as(file).isEqualTo(fromStream);
    }

    @ParameterizedTest(name = "{0} points at the whole document only for problems of the whole document")
    @MethodSource("documents")
    void violationsNameTheMemberAtFault(String file, Set<String> expected) throws IOException {
        List<Violation> violations =
                VALIDATOR.validate(Files.readAllBytes(DIR.resolve(file))).violations();

        // The exceptions (e.g. an unknown property whose name cannot be echoed) are listed in expectations.csv.
        assertThat(violations)
                .filteredOn(v -> v.pointer().isEmpty())
                .allSatisfy(v -> assertThat(
                                Documents.WHOLE_DOCUMENT_CODES.contains(v.code()) || expected.contains(" " + v.code()))
                        .as(file + ": " + v.code() + " at \"\"")
                        .isTrue());
    }

    @Test
    void thereAreAtLeastFortyInvalidDocumentsAndEachHasAnExpectation() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("expectations.csv"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        assertThat(expectations().keySet()).containsExactlyInAnyOrderElementsOf(files);
    }
}
