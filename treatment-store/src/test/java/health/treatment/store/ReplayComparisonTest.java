package health.treatment.store;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.core.TreatmentRecord;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An idempotent replay is judged on bound records, so documents stored by an earlier canonical writer still match. */
class ReplayComparisonTest {

    /** What the hand-written writer before JSON-P stored: U+2028 escaped, the same members in the same order. */
    private static final String STORED_BY_EARLIER_WRITER = "{\"patient_id\":\"123456\",\"machine_id\":\"DX2020\","
            + "\"treatment_start\":\"2025-03-28T08:00:00Z\",\"treatment_end\":\"2025-03-28T10:00:00Z\",\"uf_volume\":2.4,"
            + "\"conductivity\":13.5,\"alarms\":[\"A12\",\"B03\"],\"notes\":\"line\\u2028break\"}";

    private static TreatmentRecord bind(String json) {
        ValidationResult r = TreatmentValidator.createDefault().validate(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(ValidationResult.Valid.class);
        return ((ValidationResult.Valid) r).record();
    }

    @Test
    void aDocumentStoredByTheEarlierWriterMatchesTheSameRecord() {
        TreatmentRecord submitted = bind(STORED_BY_EARLIER_WRITER);
        assertThat(submitted.toJson()).isNotEqualTo(STORED_BY_EARLIER_WRITER); // the texts differ ...
        assertThat(TreatmentStore.sameRecord(STORED_BY_EARLIER_WRITER, submitted))
                .isTrue(); // ... the records do not
        assertThat(TreatmentStore.sameRecord(submitted.toJson(), submitted)).isTrue();
    }

    @Test
    void aDifferentRecordDoesNotMatch() {
        TreatmentRecord other = bind(STORED_BY_EARLIER_WRITER.replace("13.5", "13.6"));
        assertThat(TreatmentStore.sameRecord(STORED_BY_EARLIER_WRITER, other)).isFalse();
        // Same value, other scale: the record keeps numbers exactly as submitted, so this is another record too.
        TreatmentRecord rescaled = bind(STORED_BY_EARLIER_WRITER.replace("13.5", "13.50"));
        assertThat(TreatmentStore.sameRecord(STORED_BY_EARLIER_WRITER, rescaled))
                .isFalse();
    }

    @Test
    void anUnreadableStoredDocumentDoesNotMatch() {
        TreatmentRecord submitted = bind(STORED_BY_EARLIER_WRITER);
        assertThat(TreatmentStore.sameRecord("{", submitted)).isFalse();
    }
}
