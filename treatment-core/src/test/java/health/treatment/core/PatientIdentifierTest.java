package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class PatientIdentifierTest {

    @Test
    void theRuleIsTheSchemasPatientIdRule() {
        JsonObject patientId = Json.createReader(new StringReader(TreatmentSchema.json()))
                .readObject()
                .getJsonObject("properties")
                .getJsonObject("patient_id");
        assertThat(PatientIdentifier.PATTERN.pattern()).isEqualTo(patientId.getString("pattern"));
        assertThat(PatientIdentifier.MAX_LENGTH).isEqualTo(patientId.getInt("maxLength"));
        assertThat(patientId.getInt("minLength")).isEqualTo(1);
    }

    @Test
    void acceptsWhatARecordAcceptsAndNothingElse() {
        assertThat(PatientIdentifier.isValid("MRN-123456")).isTrue();
        assertThat(PatientIdentifier.isValid("urn:oid:1.2/77")).isTrue();
        assertThat(PatientIdentifier.isValid("a".repeat(64))).isTrue();
        assertThat(PatientIdentifier.isValid("a".repeat(65))).isFalse();
        assertThat(PatientIdentifier.isValid("")).isFalse();
        assertThat(PatientIdentifier.isValid(null)).isFalse();
        assertThat(PatientIdentifier.isValid("a..b")).isFalse();
        assertThat(PatientIdentifier.isValid("MRN 1")).isFalse();
    }

    @Test
    void aRecordWithAnIdentifierTheRuleAcceptsIsValid() {
        String id = "urn:oid:1.2/77-x_y";
        String json = "{\"patient_id\": \"" + id + "\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
                + "\"machine_id\": \"DX2020\"}";
        assertThat(TreatmentValidator.createDefault().validate(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(ValidationResult.Valid.class);
    }
}
