package health.treatment.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.core.TreatmentSchema;
import health.treatment.core.ValidationLimits;
import health.treatment.core.ValidationResult;
import health.treatment.core.Violation;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.leadpony.justify.api.JsonValidationService;

/**
 * The validation-time schema (published schema minus the date-time formats and the root anyOf, which the engine checks
 * itself) rejects exactly what the published schema rejects: identical violation lists, in the same order, from an
 * engine running Justify on the published schema unchanged (the reference) and from the production engine.
 */
class ValidationSchemaTest {

    private static final ValidationLimits LIMITS = ValidationLimits.defaults();
    private static final ValidationEngine REFERENCE = new ValidationEngine(LIMITS, false);
    private static final ValidationEngine PRODUCTION = new ValidationEngine(LIMITS);

    private static final String FULL = "{\"patient_id\": \"P-7731\", \"encounter_id\": \"E-4410\","
            + " \"machine_id\": \"DX2020\", \"technician_id\": \"T-5521\","
            + " \"treatment_start\": \"2025-03-28T08:00:00+01:00\", \"treatment_end\": \"2025-03-28T12:03:30.250+01:00\","
            + " \"session_duration\": 240, \"uf_volume\": 2.4, \"uf_rate\": 600, \"conductivity\": 13.50,"
            + " \"blood_flow\": 300, \"dialysate_flow\": 500, \"dialysate_temperature\": 36.5,"
            + " \"arterial_pressure\": -150, \"venous_pressure\": 180, \"alarms\": [\"A12\", \"B03\"],"
            + " \"notes\": \"line one\\nline two\","
            + " \"observations\": [{\"system\": \"http://loinc.org\", \"code\": \"8867-4\", \"value\": 72, \"unit\": \"/min\","
            + " \"time\": \"2025-03-28T08:30:00Z\"}, {\"system\": \"urn:oid:2.16.840.1.113883.6.24\", \"code\": \"150456\","
            + " \"value\": 97.5, \"unit\": \"%\", \"time\": \"2025-03-28t09:30:00z\"}]}";
    private static final String ARTICLE = "{\"patient_id\": \"123456\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
            + "\"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5, "
            + "\"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}";
    private static final String[] DATE_TIMES = {
        "\"2025-06-30T23:59:60Z\"",
        "\"2025-03-28T08:00:00+19:00\"",
        "\"2025-03-28T08:00:00.1234567890Z\"",
        "\"2025-02-30T08:00:00Z\"",
        "\"2025-03-28T08:00:00\"",
        "\"x\"",
        "\"2025-03-28T08:00:00+23:59\"",
        "\"+12025-03-28T08:00:00Z\"",
        "\"2025-03-28T08:00:00Zt\"",
        "\"\"",
        "\"2025-03-28T08:00:00-01:00\"",
        "\"2025-03-28 08:00:00Z\"",
        "\"2025-03-28T24:00:00Z\"",
        "1",
        "null",
        "{}",
        "[\"2025-03-28T08:00:00Z\"]",
        "\"" + "2025-03-28T08:00:00.".concat("1".repeat(60)) + "Z\""
    };
    private static final String[] STRINGS = {
        "\"A..B\"",
        "\"a.b\"",
        "\"../x\"",
        "\"<script>\"",
        "\"x y\"",
        "\"DX2020\\n\"",
        "\"\\n\"",
        "\"ok\\u2028\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\u0000\"",
        "\"\\u0085\"",
        "\"\\r\"",
        "\"\\t\"",
        "\"mm[Hg]\"",
        "\"http://loinc.org\"",
        "\"urn:oid:1.2\"",
        "\"1http:x\"",
        "\"http:\"",
        "\":x\"",
        "\"h t:x\"",
        "\"http://a b\"",
        "\"a:<b>\"",
        "\"\\u00e9\"",
        "\"\"",
        "\"A12\"",
        "\"é\""
    };
    private static final String[] KEYS = {
        "patient_id",
        "encounter_id",
        "machine_id",
        "treatment_start",
        "treatment_end",
        "session_duration",
        "alarms",
        "observations",
        "time",
        "code",
        "value",
        "system",
        "unit",
        "notes",
        "technician_id"
    };
    private static final String[] VALUES = {
        "null",
        "true",
        "0",
        "-1",
        "\"\"",
        "[]",
        "{}",
        "[{}]",
        "[{\"time\": \"2025-02-30T08:00:00Z\"}]",
        "{\"0\": {\"time\": \"bad\"}}",
        "[[{\"time\": \"bad\"}]]",
        "[1, {\"time\": \"2025-03-28T08:00:00\", \"time\": \"z\"}]",
        "\"2025-03-28T08:00:00Z\""
    };

    @Test
    void theDerivedSchemaIsThePublishedOneWithoutItsFormatsPatternsAndRootAnyOf() {
        JsonObject published = read(TreatmentSchema.json());
        ValidationSchema derived = new ValidationSchema(JsonProvider.provider(), JsonValidationService.newInstance());

        JsonObject expected = Json.createObjectBuilder((JsonObject) without(published, Set.of("format", "pattern")))
                .remove("anyOf")
                .build();
        assertThat(read(derived.json)).isEqualTo(expected);
        assertThat(published.toString()).contains("\"anyOf\"", "\"format\"", "\"pattern\"");
        // Every removed keyword is evaluated by the engine: 3 date-times and 9 patterns in v1.
        int checks = derived.rootMembers.size()
                + derived.rootArrayItems.size()
                + derived.rootArrayItemMembers.values().stream()
                        .mapToInt(Map::size)
                        .sum();
        assertThat(checks).isEqualTo(12);
        assertThat(derived.rootMembers.keySet())
                .containsExactlyInAnyOrder(
                        "patient_id",
                        "encounter_id",
                        "treatment_start",
                        "treatment_end",
                        "machine_id",
                        "technician_id",
                        "notes");
        assertThat(derived.rootArrayItems.keySet()).containsExactly("alarms");
        assertThat(derived.rootArrayItemMembers.get("observations").keySet())
                .containsExactlyInAnyOrder("system", "code", "unit", "time");
        assertThat(derived.patternsWithoutFastPath).isEmpty();
    }

    private static JsonValue without(JsonValue value, Set<String> keywords) {
        if (value instanceof JsonObject) {
            var b = Json.createObjectBuilder();
            ((JsonObject) value).forEach((k, v) -> {
                if (!keywords.contains(k)) {
                    b.add(k, without(v, keywords));
                }
            });
            return b.build();
        }
        if (value instanceof JsonArray) {
            var b = Json.createArrayBuilder();
            ((JsonArray) value).forEach(v -> b.add(without(v, keywords)));
            return b.build();
        }
        return value;
    }

    @Test
    void everyInvalidTestDocumentGetsTheSameViolationsAsWithThePublishedSchema() throws IOException {
        Path dir = Paths.get("src/test/resources/invalid");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        for (Path file : files) {
            assertSame(Files.readAllBytes(file), file.toString());
        }
    }

    @Test
    void dateTimesAndIdentifiersInEveryPositionGetTheSameViolations() {
        for (String seed : new String[] {FULL, ARTICLE}) {
            for (String key : new String[] {"treatment_start", "treatment_end", "time"}) {
                for (String value : DATE_TIMES) {
                    String doc =
                            seed.replace("\"" + key + "\": \"", "\"" + key + "\": " + value + ", \"x" + key + "\": \"");
                    assertSame(utf8(doc), doc);
                    assertSame(utf8(doc.substring(0, doc.length() - 1)), doc); // incomplete: no cross-field rules
                    assertSame(utf8(doc + "{}"), doc); // trailing content: no cross-field rules either
                }
            }
            for (String drop : new String[] {"\"patient_id\"", "\"encounter_id\""}) {
                String doc = seed.replace(drop, "\"other_id\"");
                assertSame(utf8(doc), doc);
                assertSame(utf8(doc.replace("\"patient_id\"", "\"x\"").replace("\"encounter_id\"", "\"y\"")), doc);
                assertSame(
                        utf8(doc.replace("\"patient_id\"", "\"x\"").replace("\"encounter_id\"", "\"y\"") + " x"), doc);
            }
        }
    }

    @Test
    void patternedStringsInEveryPositionGetTheSameViolations() {
        for (String key : new String[] {
            "patient_id",
            "encounter_id",
            "machine_id",
            "technician_id",
            "notes",
            "system",
            "code",
            "unit",
            "time",
            "treatment_start"
        }) {
            for (String value : STRINGS) {
                String doc =
                        FULL.replace("\"" + key + "\": \"", "\"" + key + "\": " + value + ", \"x" + key + "\": \"");
                assertSame(utf8(doc), doc);
                assertSame(utf8(doc.substring(0, doc.length() - 2)), doc);
            }
        }
        for (String value : STRINGS) {
            String doc = FULL.replace("[\"A12\", \"B03\"]", "[\"A12\", " + value + ", 3, " + value + "]");
            assertSame(utf8(doc), doc);
            assertSame(utf8(doc.substring(0, doc.length() - 2)), doc);
        }
    }

    @Test
    void seededMutationsGetTheSameViolations() {
        Random random = new Random(0x5EED_2026L);
        String[] seeds = {FULL, ARTICLE};
        for (int i = 0; i < 4000; i++) {
            byte[] doc = utf8(seeds[i % 2]);
            for (int r = 1 + random.nextInt(3); r > 0; r--) {
                doc = mutate(doc, random);
            }
            assertSame(doc, "mutation " + i + ": " + new String(doc, StandardCharsets.ISO_8859_1));
        }
    }

    private static void assertSame(byte[] doc, String what) {
        ValidationResult expected = REFERENCE.validate(doc);
        ValidationResult actual = PRODUCTION.validate(doc);
        assertThat(actual.isValid()).as(what).isEqualTo(expected.isValid());
        assertThat(actual.violations()).as(what).isEqualTo(expected.violations());
        List<Violation> fromStream =
                PRODUCTION.validate(new ByteArrayInputStream(doc)).violations();
        assertThat(fromStream)
                .as(what)
                .isEqualTo(REFERENCE.validate(new ByteArrayInputStream(doc)).violations());
        if (expected.isValid()) {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    private static byte[] mutate(byte[] doc, Random random) {
        String s = new String(doc, StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            return new byte[] {'{'};
        }
        int pos = random.nextInt(s.length());
        switch (random.nextInt(6)) {
            case 0: { // replace a value after a colon
                int colon = s.indexOf(':', pos);
                if (colon < 0) {
                    return doc;
                }
                int end = colon + 1;
                while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
                    end++;
                }
                int which = random.nextInt(3);
                String[] pool = which == 0 ? DATE_TIMES : which == 1 ? STRINGS : VALUES;
                return utf8(s.substring(0, colon + 1) + pool[random.nextInt(pool.length)] + s.substring(end));
            }
            case 1: { // rename a key
                String key = KEYS[random.nextInt(KEYS.length)];
                String other = random.nextBoolean() ? KEYS[random.nextInt(KEYS.length)] : "zz";
                return utf8(s.replaceFirst("\"" + key + "\"", "\"" + other + "\""));
            }
            case 2: // truncate
                return utf8(s.substring(0, pos));
            case 3: { // duplicate a slice
                int from = random.nextInt(pos + 1);
                return utf8(s.substring(0, pos) + s.substring(from, pos) + s.substring(pos));
            }
            case 4: { // change one character of the document
                String alphabet = "0123456789:-+TtZz.x\" ,{}[]";
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                return utf8(s.substring(0, pos) + c + s.substring(pos + 1));
            }
            default: { // append trailing content
                return utf8(s + (random.nextBoolean() ? "{}" : " x"));
            }
        }
    }

    private static JsonObject read(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
