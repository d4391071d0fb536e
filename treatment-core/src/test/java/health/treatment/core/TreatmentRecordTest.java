package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreatmentRecordTest {

    private static final OffsetDateTime START = OffsetDateTime.parse("2025-03-28T08:00:00Z");

    private static TreatmentRecord record(
            Optional<String> patient,
            Optional<String> encounter,
            Optional<OffsetDateTime> end,
            Optional<Duration> duration) {
        return new TreatmentRecord(
                "DX2020",
                patient,
                encounter,
                START,
                end,
                duration,
                Optional.of("CANARY-TECH-5521"),
                MachineSettings.none(),
                List.of("A12"),
                Optional.of("CANARY-NOTES-9902"),
                List.of());
    }

    @Test
    void toStringRedactsIdentifiersTechnicianAndNotes() {
        TreatmentRecord r = record(
                Optional.of("CANARY-PATIENT-7731"), Optional.of("CANARY-ENC-4410"), Optional.empty(), Optional.empty());

        assertThat(r.toString()).contains("DX2020").contains("<redacted>");
        for (String canary : Documents.CANARIES) {
            assertThat(r.toString()).doesNotContain(canary);
        }
    }

    @Test
    void toStringOfAValidatedFullRecordRevealsNoCanary() {
        TreatmentRecord r = ((ValidationResult.Valid)
                        TreatmentValidator.createDefault().validate(Documents.utf8(Documents.FULL)))
                .record();

        for (String canary : Documents.CANARIES) {
            assertThat(r.toString()).doesNotContain(canary);
        }
    }

    @Test
    void requiresAPatientOrEncounterIdentifier() {
        assertThatThrownBy(() -> record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(TreatmentCoreException.class)
                .hasMessageNotContaining("DX2020");
    }

    @Test
    void rejectsAnEndBeforeTheStart() {
        assertThatThrownBy(() -> record(
                        Optional.of("1"), Optional.empty(), Optional.of(START.minusSeconds(1)), Optional.empty()))
                .isInstanceOf(TreatmentCoreException.class);
    }

    @Test
    void rejectsIdentifiersOutsideTheSchemaWithoutEchoingThem() {
        assertThatThrownBy(() ->
                        record(Optional.of("CANARY PATIENT"), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(TreatmentCoreException.class)
                .hasMessageNotContaining("CANARY");
        assertThatThrownBy(() -> record(Optional.of("../x"), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(TreatmentCoreException.class);
    }

    @Test
    void rejectsDurationsThatAreNotWholeMinutesAndOffsetsWithSeconds() {
        assertThatThrownBy(() -> record(
                        Optional.of("1"), Optional.empty(), Optional.empty(), Optional.of(Duration.ofSeconds(90))))
                .isInstanceOf(TreatmentCoreException.class);
        assertThatThrownBy(() -> new TreatmentRecord(
                        "M",
                        Optional.of("1"),
                        Optional.empty(),
                        START.withOffsetSameInstant(ZoneOffset.ofTotalSeconds(3601)),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        MachineSettings.none(),
                        List.of(),
                        Optional.empty(),
                        List.of()))
                .isInstanceOf(TreatmentCoreException.class);
    }

    @Test
    void copiesListsSoTheRecordStaysImmutable() {
        List<String> alarms = new java.util.ArrayList<>(List.of("A1"));
        TreatmentRecord r = new TreatmentRecord(
                "M",
                Optional.of("1"),
                Optional.empty(),
                START,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                MachineSettings.none(),
                alarms,
                Optional.empty(),
                List.of());

        alarms.add("A2");

        assertThat(r.alarms()).containsExactly("A1");
        assertThatThrownBy(() -> r.alarms().add("A3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aHandBuiltRecordSerializesToJsonTheValidatorAccepts() {
        TreatmentRecord r = record(
                Optional.of("MRN:12/34"),
                Optional.empty(),
                Optional.of(START.plusHours(4)),
                Optional.of(Duration.ofMinutes(240)));

        ValidationResult result = TreatmentValidator.createDefault().validate(Documents.utf8(r.toJson()));

        assertThat(result.violations()).isEmpty();
        assertThat(((ValidationResult.Valid) result).record()).isEqualTo(r);
    }
}
