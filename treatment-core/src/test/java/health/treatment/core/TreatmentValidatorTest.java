package health.treatment.core;

import static health.treatment.core.Documents.ARTICLE_EXAMPLE;
import static health.treatment.core.Documents.FULL;
import static health.treatment.core.Documents.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreatmentValidatorTest {

    private static final TreatmentValidator VALIDATOR = TreatmentValidator.createDefault();

    private static TreatmentRecord valid(String json) {
        ValidationResult result = VALIDATOR.validate(utf8(json));
        assertThat(result.violations()).isEmpty();
        assertThat(result.isValid()).isTrue();
        return ((ValidationResult.Valid) result).record();
    }

    @Test
    void acceptsTheArticleExampleExactlyAsWritten() {
        TreatmentRecord record = valid(ARTICLE_EXAMPLE);

        assertThat(record.patientId()).contains("123456");
        assertThat(record.encounterId()).isEmpty();
        assertThat(record.machineId()).isEqualTo("DX2020");
        assertThat(record.treatmentStart()).isEqualTo(OffsetDateTime.parse("2025-03-28T08:00:00Z"));
        assertThat(record.treatmentEnd()).contains(OffsetDateTime.parse("2025-03-28T10:00:00Z"));
        assertThat(record.settings().ufVolume()).contains(new BigDecimal("2.4"));
        assertThat(record.settings().conductivity()).contains(new BigDecimal("13.5"));
        assertThat(record.alarms()).containsExactly("A12", "B03");
    }

    @Test
    void acceptsTheArticleExampleFromAStream() {
        assertThat(VALIDATOR
                        .validate(new ByteArrayInputStream(utf8(ARTICLE_EXAMPLE)))
                        .isValid())
                .isTrue();
    }

    @Test
    void toJsonOfTheArticleExampleRoundTripsToAnEqualRecord() {
        TreatmentRecord record = valid(ARTICLE_EXAMPLE);

        String json = record.toJson();

        assertThat(json)
                .isEqualTo("{\"patient_id\":\"123456\",\"machine_id\":\"DX2020\","
                        + "\"treatment_start\":\"2025-03-28T08:00:00Z\",\"treatment_end\":\"2025-03-28T10:00:00Z\","
                        + "\"uf_volume\":2.4,\"conductivity\":13.5,\"alarms\":[\"A12\",\"B03\"]}");
        assertThat(valid(json)).isEqualTo(record);
    }

    @Test
    void bindsEveryFieldAndRoundTripsAFullDocument() {
        TreatmentRecord record = valid(FULL);

        assertThat(record.encounterId()).contains("CANARY-ENC-4410");
        assertThat(record.sessionDuration()).contains(Duration.ofMinutes(240));
        assertThat(record.treatmentEnd()).contains(OffsetDateTime.parse("2025-03-28T12:03:30.250+01:00"));
        assertThat(record.settings().venousPressure()).contains(new BigDecimal("180"));
        assertThat(record.settings().arterialPressure()).contains(new BigDecimal("-150"));
        assertThat(record.notes()).contains("CANARY-NOTES-9902 line one\nline two\ttabbed \"quoted\" \u00e9");
        assertThat(record.observations()).hasSize(2);
        assertThat(record.observations().get(1).time()).isEqualTo(OffsetDateTime.parse("2025-03-28T09:30:00Z"));

        TreatmentRecord again = valid(record.toJson());

        assertThat(again).isEqualTo(record);
        assertThat(again.toJson()).isEqualTo(record.toJson());
    }

    @Test
    void acceptsAnEncounterReferenceWithoutAPatientIdentifier() {
        TreatmentRecord record = valid("{\"encounter_id\": \"ENC-1\", \"machine_id\": \"M1\","
                + " \"treatment_start\": \"2025-03-28T08:00:00-05:00\"}");

        assertThat(record.patientId()).isEmpty();
        assertThat(record.encounterId()).contains("ENC-1");
    }

    @Test
    void aRecordWithoutAnyIdentifierIsToldBothMembersThatCanBeGiven() {
        ValidationResult result = VALIDATOR.validate(utf8(ARTICLE_EXAMPLE.replace("\"patient_id\": \"123456\", ", "")));

        assertThat(result.violations())
                .extracting(Violation::pointer, Violation::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/patient_id", ViolationCodes.IDENTIFIER_REQUIRED),
                        org.assertj.core.groups.Tuple.tuple("/encounter_id", ViolationCodes.IDENTIFIER_REQUIRED));
        assertThat(result.violations())
                .extracting(Violation::message)
                .containsOnly("At least one of patient_id and encounter_id is required.");
    }

    @Test
    void anIdentifierOfTheWrongShapeIsNotAlsoReportedAsMissing() {
        ValidationResult result = VALIDATOR.validate(utf8(ARTICLE_EXAMPLE.replace("\"123456\"", "123456")));

        assertThat(result.violations())
                .extracting(Violation::pointer, Violation::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/patient_id", ViolationCodes.TYPE));
    }

    @Test
    void acceptsContinuousTherapiesOfSeveralDays() {
        valid("{\"patient_id\": \"1\", \"machine_id\": \"CRRT-7\", \"treatment_start\": \"2025-03-20T08:00:00Z\","
                + " \"treatment_end\": \"2025-03-28T08:02:00Z\", \"session_duration\": 11520, \"uf_volume\": 40,"
                + " \"dialysate_flow\": 33.3, \"blood_flow\": 150}");
    }

    @Test
    void toleratesDurationDifferencesOfUpToFiveMinutes() {
        valid("{\"patient_id\": \"1\", \"machine_id\": \"M\", \"treatment_start\": \"2025-03-28T08:00:00Z\","
                + " \"treatment_end\": \"2025-03-28T10:00:00Z\", \"session_duration\": 125}");
    }

    @Test
    void reportsAllProblemsOfADocumentNotOnlyTheFirst() {
        ValidationResult result = VALIDATOR.validate(
                utf8(
                        "{\"patient_id\": \"\", \"machine_id\": \"<x>\","
                                + " \"treatment_start\": \"2025-02-30T08:00:00Z\", \"uf_volume\": -1, \"alarms\": [1], \"colour\": \"red\"}"));

        assertThat(result.violations())
                .extracting(Violation::pointer, Violation::code)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("/patient_id", ViolationCodes.TOO_SHORT),
                        org.assertj.core.groups.Tuple.tuple("/machine_id", ViolationCodes.PATTERN),
                        org.assertj.core.groups.Tuple.tuple("/treatment_start", ViolationCodes.FORMAT_DATE_TIME),
                        org.assertj.core.groups.Tuple.tuple("/uf_volume", ViolationCodes.MINIMUM),
                        org.assertj.core.groups.Tuple.tuple("/alarms/0", ViolationCodes.TYPE),
                        org.assertj.core.groups.Tuple.tuple("/colour", ViolationCodes.UNKNOWN_PROPERTY));
    }

    @Test
    void keepsTheViolationsFoundBeforeAParseError() {
        ValidationResult result =
                VALIDATOR.validate(utf8("{\"colour\": \"red\", \"uf_volume\": 999, \"alarms\": [\"A1\","));

        assertThat(result.violations())
                .extracting(Violation::code)
                .containsExactly(
                        ViolationCodes.UNKNOWN_PROPERTY, ViolationCodes.MAXIMUM, ViolationCodes.MALFORMED_JSON);
    }

    @Test
    void readsAtMostOneByteMoreThanTheLimitFromAStream() {
        CountingEndlessStream in = new CountingEndlessStream();
        TreatmentValidator small =
                TreatmentValidator.create(ValidationLimits.defaults().withMaxDocumentBytes(1000));

        ValidationResult result = small.validate(in);

        assertThat(result.violations())
                .containsExactly(new Violation(
                        "", ViolationCodes.DOCUMENT_TOO_LARGE, "The document is larger than the limit of 1000 bytes."));
        assertThat(in.count).isEqualTo(1001);
    }

    @Test
    void acceptsADocumentOfExactlyTheLimit() {
        byte[] doc = utf8(ARTICLE_EXAMPLE);
        TreatmentValidator exact =
                TreatmentValidator.create(ValidationLimits.defaults().withMaxDocumentBytes(doc.length));

        assertThat(exact.validate(doc).isValid()).isTrue();
        assertThat(exact.validate(new ByteArrayInputStream(doc)).isValid()).isTrue();
        assertThat(exact.validate(utf8(ARTICLE_EXAMPLE + " ")).violations())
                .extracting(Violation::code)
                .containsExactly(ViolationCodes.DOCUMENT_TOO_LARGE);
        assertThat(exact.validate(new ByteArrayInputStream(utf8(ARTICLE_EXAMPLE + " ")))
                        .violations())
                .extracting(Violation::code)
                .containsExactly(ViolationCodes.DOCUMENT_TOO_LARGE);
    }

    @Test
    void reportsAnOversizedDocumentAsTooLargeEvenWhenItIsAlsoMalformedEarly() {
        byte[] doc = utf8("{,," + " ".repeat(70_000) + "}");

        ValidationResult result = VALIDATOR.validate(new ByteArrayInputStream(doc));

        assertThat(((ValidationResult.Invalid) result).isTooLarge()).isTrue();
        assertThat(result.violations()).hasSize(1);
    }

    @Test
    void leavesTheCallersStreamOpen() {
        TrackingStream in = new TrackingStream(utf8(ARTICLE_EXAMPLE));

        VALIDATOR.validate(in);

        assertThat(in.closed).isFalse();
    }

    @Test
    void wrapsIoErrorsOfTheCallersStreamInTheModuleException() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("network gone");
            }
        };

        assertThatThrownBy(() -> VALIDATOR.validate(failing))
                .isInstanceOf(TreatmentCoreException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void exposesItsLimits() {
        ValidationLimits limits = new ValidationLimits(1024, 4, 10, 100);

        assertThat(TreatmentValidator.create(limits).limits()).isEqualTo(limits);
        assertThat(TreatmentValidator.createDefault().limits()).isEqualTo(ValidationLimits.defaults());
    }

    @Test
    void appliesTheConfiguredDepthLimit() {
        TreatmentValidator shallow = TreatmentValidator.create(new ValidationLimits(65_536, 2, 1000, 4096));

        ValidationResult result = shallow.validate(utf8("{\"patient_id\": \"1\", \"machine_id\": \"M\","
                + " \"treatment_start\": \"2025-03-28T08:00:00Z\", \"observations\": [{}]}"));

        assertThat(result.violations())
                .extracting(Violation::pointer, Violation::code)
                .contains(org.assertj.core.groups.Tuple.tuple("/observations/0", ViolationCodes.TOO_DEEP));
    }

    @Test
    void theDeepestConfigurableDepthLimitIsReportedAsAViolationNotAParserException() {
        TreatmentValidator deepest = TreatmentValidator.create(new ValidationLimits(65_536, 1000, 1000, 4096));
        String doc = "{\"x\": " + "[".repeat(1000) + "]".repeat(1000) + "}"; // 1001 levels

        ValidationResult result = deepest.validate(utf8(doc));

        assertThat(result.violations()).extracting(Violation::code).contains(ViolationCodes.TOO_DEEP);
        assertThat(deepest.validate(new ByteArrayInputStream(utf8(doc)))).isEqualTo(result);
        BatchValidation batch =
                deepest.validateBatch(new ByteArrayInputStream(utf8("[" + doc + "]")), BatchLimits.defaults());
        assertThat(((BatchValidation.Items) batch).items().get(0).result()).isEqualTo(result);
    }

    @Test
    void validResultHasNoViolationsAndInvalidResultIsImmutable() {
        ValidationResult result = VALIDATOR.validate(utf8("{}"));

        assertThat(result.isValid()).isFalse();
        assertThatThrownBy(() -> result.violations().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ValidationResult.Invalid(List.of())).isInstanceOf(TreatmentCoreException.class);
        assertThat(new ValidationResult.Valid(valid(ARTICLE_EXAMPLE)).violations())
                .isEmpty();
        assertThat(Optional.of(result).map(ValidationResult::isValid)).contains(false);
    }

    private static final class CountingEndlessStream extends InputStream {
        long count;

        @Override
        public int read() {
            count++;
            return ' ';
        }
    }

    private static final class TrackingStream extends ByteArrayInputStream {
        boolean closed;

        TrackingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
