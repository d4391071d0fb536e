package health.treatment.core.fhir;

import health.treatment.core.TreatmentRecord;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/** Records for the FHIR tests, bound by the real validator (as the server binds what it stores). */
final class FhirDocuments {

    /** The source article's example. */
    static final String ARTICLE_EXAMPLE = "{\"patient_id\":\"123456\",\"treatment_start\":\"2025-03-28T08:00:00Z\","
            + "\"treatment_end\":\"2025-03-28T10:00:00Z\",\"uf_volume\":2.4,\"conductivity\":13.5,"
            + "\"machine_id\":\"DX2020\",\"alarms\":[\"A12\",\"B03\"]}";

    /** Every field of the schema (with canary identifiers that must never show up in a URL). */
    static final String FULL = "{\"patient_id\":\"CANARY-PATIENT-7731\",\"encounter_id\":\"CANARY-ENC-4410\","
            + "\"machine_id\":\"DX2020\",\"technician_id\":\"CANARY-TECH-5521\","
            + "\"treatment_start\":\"2025-03-28T08:00:00+01:00\",\"treatment_end\":\"2025-03-28T12:03:30.250+01:00\","
            + "\"session_duration\":240,\"uf_volume\":2.4,\"uf_rate\":600,\"conductivity\":13.50,"
            + "\"blood_flow\":300,\"dialysate_flow\":500,\"dialysate_temperature\":36.5,"
            + "\"arterial_pressure\":-150,\"venous_pressure\":180,\"alarms\":[\"A12\",\"B03\",\"A12\"],"
            + "\"notes\":\"CANARY-NOTES-9902 line one\\nline two\\ttabbed \\\"quoted\\\" \\u00e9\","
            + "\"observations\":["
            + "{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"value\":72,\"unit\":\"/min\","
            + "\"time\":\"2025-03-28T08:30:00Z\"},"
            + "{\"system\":\"http://loinc.org\",\"code\":\"8310-5\",\"value\":36.9,\"unit\":\"Cel\","
            + "\"time\":\"2025-03-28T08:31:00Z\"},"
            + "{\"system\":\"urn:oid:2.16.840.1.113883.6.24\",\"code\":\"150456\",\"value\":97.5,\"unit\":\"%\","
            + "\"time\":\"2025-03-28t09:30:00z\"},"
            + "{\"system\":\"urn:iso:std:iso:11073:10101\",\"code\":\"149530\",\"value\":1E+2,\"unit\":\"/min\","
            + "\"time\":\"2025-03-28T09:31:00-05:00\"}]}";

    /** Only an encounter and a start: no patient, no end, no settings (a vital-sign monitor's session). */
    static final String ENCOUNTER_ONLY = "{\"encounter_id\":\"CANARY-ENC-0001\",\"machine_id\":\"MON-7\","
            + "\"treatment_start\":\"2025-03-28T08:00:00Z\",\"observations\":["
            + "{\"system\":\"http://loinc.org\",\"code\":\"8480-6\",\"value\":120,\"unit\":\"mm[Hg]\","
            + "\"time\":\"2025-03-28T08:05:00Z\"}]}";

    /** A session whose end is known only from its duration. */
    static final String DURATION_ONLY = "{\"patient_id\":\"P-42\",\"machine_id\":\"DX2020\","
            + "\"treatment_start\":\"2025-03-29T08:00:00+02:00\",\"session_duration\":180,\"blood_flow\":280}";

    static final String[] CANARIES = {
        "CANARY-PATIENT-7731", "CANARY-ENC-4410", "CANARY-TECH-5521", "CANARY-NOTES-9902", "CANARY-ENC-0001"
    };

    static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2025-03-28T10:00:05.123Z");

    private static final TreatmentValidator VALIDATOR = TreatmentValidator.createDefault();

    private FhirDocuments() {}

    static TreatmentRecord record(String json) {
        ValidationResult result = VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8));
        if (!(result instanceof ValidationResult.Valid valid)) {
            throw new AssertionError("test document is invalid: " + result);
        }
        return valid.record();
    }

    static StoredRecord stored(String recordId, String json) {
        return new StoredRecord(recordId, RECEIVED, record(json));
    }
}
