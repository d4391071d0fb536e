package health.treatment.core;

import static health.treatment.core.Documents.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import health.treatment.core.internal.BatchReader;
import health.treatment.core.internal.ValidationEngine;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the validator with Jazzer (see docs/fuzzing.md). For every input, as a single document
 * and as a batch body: the outcome is a result (Valid or Invalid; Items or Rejected), never an exception; every
 * message is one of the validator's fixed sentences and never contains the marker the structured target plants in
 * names and values; every pointer is a sanitized JSON Pointer, {@code ""} only where no member can be named.
 *
 * <p>{@code mvn verify} runs both targets in regression mode, on the empty input and the seed corpus in
 * {@code TreatmentValidatorFuzzTestInputs} (test resources of this package): seconds. {@code JAZZER_FUZZ=1} fuzzes
 * one target per run; its generated corpus and findings go to {@code target/jazzer} (surefire configuration in the
 * pom), never to the source tree. A finding becomes a regression seed by moving it into its target's inputs folder.
 */
class TreatmentValidatorFuzzTest {

    private static final TreatmentValidator VALIDATOR = TreatmentValidator.createDefault();
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final BatchLimits BATCH = BatchLimits.defaults();
    /** Every message of a document's (or a batch item's) violation. */
    private static final Set<String> SENTENCES = new ValidationEngine(VALIDATOR.limits()).sentences();
    /** Every message of a refused batch. */
    private static final Set<String> BATCH_SENTENCES = BatchReader.rejectionSentences(BATCH);
    /** Planted by the structured target in property names and string values; no message may contain it. */
    private static final String MARKER = "Qx7Marker";
    /** What {@code Pointers.sanitize} lets through: plain tokens (and array indexes) only. */
    private static final Pattern POINTER = Pattern.compile("(/[A-Za-z0-9_.\\-]{1,64})*");

    private static final Set<String> IDENTIFIER_POINTERS = Set.of("/patient_id", "/encounter_id");

    private static final String[][] ARTICLE = {
        {"patient_id", "\"123456\""},
        {"treatment_start", "\"2025-03-28T08:00:00Z\""},
        {"treatment_end", "\"2025-03-28T10:00:00Z\""},
        {"uf_volume", "2.4"},
        {"conductivity", "13.5"},
        {"machine_id", "\"DX2020\""},
        {"alarms", "[\"A12\", \"B03\"]"}
    };
    private static final String[] KEYS = {
        "patient_id",
        "encounter_id",
        "machine_id",
        "technician_id",
        "treatment_start",
        "treatment_end",
        "session_duration",
        "uf_volume",
        "uf_rate",
        "conductivity",
        "blood_flow",
        "dialysate_flow",
        "dialysate_temperature",
        "arterial_pressure",
        "venous_pressure",
        "alarms",
        "notes",
        "observations",
        "idempotency_key",
        MARKER,
        "x-" + MARKER,
        "<" + MARKER + ">",
        MARKER + "/~",
        ""
    };
    private static final String[] OBSERVATION_KEYS = {"system", "code", "value", "unit", "time", MARKER};
    private static final String[] STRINGS = {
        "DX2020",
        "A12",
        "2025-03-28T08:00:00Z",
        "2025-03-28T08:00:00",
        "2025-02-30T08:00:00Z",
        "2025-06-30T23:59:60Z",
        "2025-03-28t09:30:00.123+01:00",
        "http://loinc.org",
        "urn:oid:2.16.840.1.113883.6.24",
        "8867-4",
        "/min",
        "mm[Hg]",
        "../etc",
        "A..B",
        "<script>",
        "",
        " ",
        "\u0000",
        "\ud800",
        "\u00e9",
        "\ud83d\ude00",
        "line\nbreak"
    };
    private static final String[] NUMBERS = {
        "0",
        "-0",
        "1",
        "-1",
        "2.4",
        "13.50",
        "240",
        "20160",
        "20161",
        "1e2",
        "1E+2",
        "-1.5e-3",
        "1e400",
        "12345678901234567890.123",
        "0.0000000000000000000001",
        "1" + "0".repeat(300)
    };

    @FuzzTest(maxDuration = "5m")
    void arbitraryBytesYieldOnlyResults(byte[] input) {
        checkDocument(input, false);
        checkBatch(input, false);
        checkBatch(concat(utf8("["), input, utf8("]")), false);
    }

    @FuzzTest(maxDuration = "5m")
    void structuredRecordsYieldOnlyResultsWithFixedMessages(FuzzedDataProvider data) {
        String record = record(data);
        byte[] doc = utf8(record);
        checkDocument(doc, true);
        checkBatch(utf8("[" + record + ", " + Documents.ARTICLE_EXAMPLE + "]"), true);
        BatchValidation batch = VALIDATOR.validateBatch(new ByteArrayInputStream(utf8("[" + record + "]")), BATCH);
        if (batch instanceof BatchValidation.Items
                && !record.contains("idempotency_key")
                && ((BatchValidation.Items) batch).items().size() == 1
                && doc.length < VALIDATOR.limits().maxDocumentBytes()) {
            // An item is judged exactly as the same record sent alone.
            assertThat(((BatchValidation.Items) batch).items().get(0).result()).isEqualTo(VALIDATOR.validate(doc));
        }
    }

    @Test
    void theSeedDocumentsAndEveryInvalidTestDocumentSatisfyTheFuzzProperties() throws IOException {
        List<byte[]> docs = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(
                Files.list(Path.of("src/test/resources/invalid")),
                Files.list(Path.of("src/test/resources/health/treatment/core/TreatmentValidatorFuzzTestInputs")))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().endsWith(".csv"))
                    .toList()) {
                docs.add(Files.readAllBytes(file));
            }
        }
        assertThat(docs).hasSizeGreaterThan(40);
        for (byte[] doc : docs) {
            arbitraryBytesYieldOnlyResults(doc);
        }
        checkDocument(utf8(Documents.FULL), false);
    }

    @Test
    void theMarkerIsInNoFixedSentence() {
        assertThat(SENTENCES).isNotEmpty().noneMatch(s -> s.contains(MARKER));
        assertThat(BATCH_SENTENCES).hasSize(7).noneMatch(s -> s.contains(MARKER));
    }

    @Test
    void aTenMegabyteInputIsRefusedByTheSizeLimitsAfterReadingOneByteMoreThanThem() {
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';

        assertThat(((ValidationResult.Invalid) VALIDATOR.validate(big)).isTooLarge())
                .isTrue();
        ByteArrayInputStream document = new ByteArrayInputStream(big);
        ValidationResult fromStream = VALIDATOR.validate(document);
        assertThat(fromStream.violations())
                .extracting(Violation::pointer, Violation::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("", ViolationCodes.DOCUMENT_TOO_LARGE));
        assertThat(big.length - document.available())
                .isEqualTo(VALIDATOR.limits().maxDocumentBytes() + 1);
        ByteArrayInputStream body = new ByteArrayInputStream(big);
        BatchValidation batch = VALIDATOR.validateBatch(body, BATCH);
        assertThat(((BatchValidation.Rejected) batch).isTooLarge()).isTrue();
        assertThat(big.length - body.available()).isEqualTo(BATCH.maxBatchBytes() + 1);
    }

    private static void checkDocument(byte[] doc, boolean marked) {
        ValidationResult result = VALIDATOR.validate(doc);
        checkResult(result, marked);
        assertThat(VALIDATOR.validate(new ByteArrayInputStream(doc))).isEqualTo(result);
    }

    private static void checkResult(ValidationResult result, boolean marked) {
        assertThat(result).isNotNull();
        if (result instanceof ValidationResult.Valid) {
            TreatmentRecord record = ((ValidationResult.Valid) result).record();
            // What the store keeps of a valid record is itself valid and binds to the same record.
            assertThat(VALIDATOR.validate(utf8(record.toJson()))).isEqualTo(result);
            return;
        }
        assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
        assertThat(result.violations()).isNotEmpty();
        for (Violation v : result.violations()) {
            checkViolation(v, SENTENCES, marked);
            if (v.pointer().isEmpty()) {
                assertThat(Documents.MEMBER_CODES).as(v.code() + " at \"\"").doesNotContain(v.code());
            }
            if (ViolationCodes.IDENTIFIER_REQUIRED.equals(v.code())) {
                assertThat(v.pointer()).isIn(IDENTIFIER_POINTERS);
            }
        }
    }

    private static void checkBatch(byte[] body, boolean marked) {
        BatchValidation batch = VALIDATOR.validateBatch(new ByteArrayInputStream(body), BATCH);
        assertThat(batch).isNotNull();
        if (batch instanceof BatchValidation.Rejected) {
            Violation v = ((BatchValidation.Rejected) batch).violation();
            checkViolation(v, BATCH_SENTENCES, marked);
            assertThat(v.pointer()).isEmpty();
            return;
        }
        assertThat(batch).isInstanceOf(BatchValidation.Items.class);
        List<BatchValidation.Item> items = ((BatchValidation.Items) batch).items();
        assertThat(items.size()).isLessThanOrEqualTo(BATCH.maxItems());
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).index()).isEqualTo(i);
            checkResult(items.get(i).result(), marked);
        }
    }

    private static void checkViolation(Violation v, Set<String> sentences, boolean marked) {
        assertThat(ViolationCodes.all()).contains(v.code());
        assertThat(sentences).as("message of " + v.code()).contains(v.message());
        if (marked) {
            assertThat(v.message()).doesNotContain(MARKER);
        }
        assertThat(POINTER.matcher(v.pointer()).matches())
                .as("pointer is sanitized")
                .isTrue();
    }

    /** The article's record with members set, removed, repeated or damaged as the fuzzer decides. */
    private static String record(FuzzedDataProvider data) {
        List<String[]> members = new ArrayList<>(Arrays.asList(ARTICLE));
        for (int edits = data.consumeInt(0, 8); edits > 0; edits--) {
            switch (data.consumeInt(0, 3)) {
                case 0: { // set (replace or add)
                    String key = key(data, KEYS);
                    String value = value(data, 0);
                    members.removeIf(m -> m[0].equals(key));
                    members.add(data.consumeInt(0, members.size()), new String[] {key, value});
                    break;
                }
                case 1: // remove
                    if (!members.isEmpty()) {
                        members.remove(data.consumeInt(0, members.size() - 1));
                    }
                    break;
                case 2: // repeat a member (duplicate key)
                    if (!members.isEmpty()) {
                        members.add(members.get(data.consumeInt(0, members.size() - 1)));
                    }
                    break;
                default: // replace a value, keeping the name
                    if (!members.isEmpty()) {
                        int i = data.consumeInt(0, members.size() - 1);
                        members.set(i, new String[] {members.get(i)[0], value(data, 0)});
                    }
            }
        }
        StringBuilder json = new StringBuilder("{");
        for (String[] m : members) {
            json.append(json.length() > 1 ? ", " : "")
                    .append(JSON.createValue(m[0]))
                    .append(": ")
                    .append(m[1]);
        }
        json.append('}');
        switch (data.consumeInt(0, 7)) {
            case 0: // cut short
                return json.substring(0, data.consumeInt(0, json.length()));
            case 1: { // text spliced in anywhere
                int at = data.consumeInt(0, json.length());
                return json.substring(0, at) + data.consumeString(8) + json.substring(at);
            }
            case 2: // something after the object
                return json + data.consumeString(4);
            default:
                return json.toString();
        }
    }

    private static String key(FuzzedDataProvider data, String[] known) {
        return data.consumeBoolean() ? data.pickValue(known) : data.consumeAsciiString(12) + MARKER;
    }

    /** A JSON value as text, at most four levels deep. */
    private static String value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth < 3 ? 9 : 6)) {
            case 0:
                return data.pickValue(new String[] {"null", "true", "false"});
            case 1:
                return Long.toString(data.consumeLong());
            case 2:
                return data.pickValue(NUMBERS);
            case 3:
                return JSON.createValue(data.pickValue(STRINGS) + (data.consumeBoolean() ? MARKER : ""))
                        .toString();
            case 4:
                return JSON.createValue(data.consumeString(40) + MARKER).toString();
            case 5:
                return JSON.createValue(MARKER + data.consumeAsciiString(80)).toString();
            case 6:
                return "\"" + dateTime(data) + "\"";
            case 7:
            case 8: { // an array, often of observation-like objects
                StringBuilder array = new StringBuilder("[");
                for (int n = data.consumeInt(0, 4); n > 0; n--) {
                    array.append(array.length() > 1 ? ", " : "").append(value(data, depth + 1));
                }
                return array.append(']').toString();
            }
            default: {
                StringBuilder object = new StringBuilder("{");
                for (int n = data.consumeInt(0, 5); n > 0; n--) {
                    object.append(object.length() > 1 ? ", " : "")
                            .append(JSON.createValue(key(data, OBSERVATION_KEYS)))
                            .append(": ")
                            .append(value(data, depth + 1));
                }
                return object.append('}').toString();
            }
        }
    }

    /** Mostly well-formed RFC 3339 date-times, with impossible fields and odd offsets now and then. */
    private static String dateTime(FuzzedDataProvider data) {
        String offset = data.pickValue(new String[] {"Z", "z", "+01:00", "-05:30", "+23:59", "+24:00", "", "+0100"});
        String fraction = data.consumeBoolean() ? "" : "." + data.consumeInt(0, 999_999_999);
        return String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                data.consumeInt(0, 9999),
                data.consumeInt(0, 13),
                data.consumeInt(0, 32),
                data.consumeInt(0, 24),
                data.consumeInt(0, 60),
                data.consumeInt(0, 61),
                fraction,
                offset);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
