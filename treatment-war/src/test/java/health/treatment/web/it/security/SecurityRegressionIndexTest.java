package health.treatment.web.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Keeps docs/security-regression.md true: every {@code Class#method} it names is a test method of that class in
 * the WAR's test sources, each OWASP API Security Top 10 (2023) category has at least one, and every test of the
 * security package is in the index. Runs with the unit tests (no server).
 */
class SecurityRegressionIndexTest {

    private static final Path INDEX = Path.of("..", "docs", "security-regression.md");
    private static final Path TEST_SOURCES = Path.of("src", "test", "java");
    private static final Pattern REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");
    private static final Pattern CATEGORY = Pattern.compile("^## (API(\\d+):2023) .+$", Pattern.MULTILINE);

    /** Category heading ("API1:2023") to the references in its section, in the order of the page. */
    private static Map<String, List<String[]>> sections() throws IOException {
        String text = Files.readString(INDEX, StandardCharsets.UTF_8);
        Map<String, List<String[]>> sections = new LinkedHashMap<>();
        Matcher heading = CATEGORY.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (heading.find()) {
            starts.add(new int[] {heading.start(), heading.end()});
            names.add(heading.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
            Matcher ref = REFERENCE.matcher(text.substring(starts.get(i)[1], end));
            List<String[]> refs = new ArrayList<>();
            while (ref.find()) {
                refs.add(new String[] {ref.group(1), ref.group(2)});
            }
            sections.put(names.get(i), refs);
        }
        return sections;
    }

    private static Class<?> testClass(String simpleName) throws IOException, ClassNotFoundException {
        try (Stream<Path> files = Files.walk(TEST_SOURCES)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().equals(simpleName + ".java"))
                    .toList();
            assertThat(matches).as("test source of %s", simpleName).hasSize(1);
            String name = TEST_SOURCES
                    .relativize(matches.get(0))
                    .toString()
                    .replace('/', '.')
                    .replace('\\', '.');
            // Not initialised: the ITs' static fields read the test keys, which exist only after the unit tests.
            return Class.forName(
                    name.substring(0, name.length() - ".java".length()),
                    false,
                    SecurityRegressionIndexTest.class.getClassLoader());
        }
    }

    private static boolean isTest(Method m) {
        return m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class);
    }

    @Test
    void everyCategoryOfTheTopTenHasASectionWithAtLeastOneTest() throws IOException {
        Map<String, List<String[]>> sections = sections();
        assertThat(sections.keySet())
                .containsExactly(
                        "API1:2023",
                        "API2:2023",
                        "API3:2023",
                        "API4:2023",
                        "API5:2023",
                        "API6:2023",
                        "API7:2023",
                        "API8:2023",
                        "API9:2023",
                        "API10:2023");
        sections.forEach((category, refs) -> assertThat(refs).as(category).isNotEmpty());
    }

    @Test
    void everyTestTheIndexNamesExists() throws Exception {
        List<String> missing = new ArrayList<>();
        for (List<String[]> refs : sections().values()) {
            for (String[] ref : refs) {
                Class<?> type = testClass(ref[0]);
                boolean found = Arrays.stream(type.getDeclaredMethods())
                        .anyMatch(m -> m.getName().equals(ref[1]) && isTest(m));
                if (!found) {
                    missing.add(ref[0] + "#" + ref[1]);
                }
            }
        }
        assertThat(missing).as("tests named in %s that do not exist", INDEX).isEmpty();
    }

    /** Each test of a class {@code Api<N>…IT} is listed under its own category, {@code API<N>:2023}. */
    @Test
    void everyTestOfTheSecurityPackageIsInTheIndexUnderItsCategory() throws Exception {
        Map<String, List<String[]>> sections = sections();
        Path pkg = TEST_SOURCES.resolve(
                SecurityRegressionIndexTest.class.getPackageName().replace('.', '/'));
        List<String> unindexed = new ArrayList<>();
        try (Stream<Path> files = Files.list(pkg)) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("Api\\d+.*IT\\.java"))
                    .toList()) {
                String simple = file.getFileName().toString().replace(".java", "");
                String category = "API" + simple.replaceAll("^Api(\\d+).*$", "$1") + ":2023";
                Set<String> indexed = new LinkedHashSet<>();
                sections.getOrDefault(category, List.of()).forEach(r -> indexed.add(r[0] + "#" + r[1]));
                Arrays.stream(testClass(simple).getDeclaredMethods())
                        .filter(SecurityRegressionIndexTest::isTest)
                        .map(m -> simple + "#" + m.getName())
                        .filter(r -> !indexed.contains(r))
                        .map(r -> r + " (under " + category + ")")
                        .forEach(unindexed::add);
            }
        }
        assertThat(unindexed).as("security tests missing from %s", INDEX).isEmpty();
    }
}
