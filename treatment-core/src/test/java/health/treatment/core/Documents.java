package health.treatment.core;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Test documents shared by the tests. */
final class Documents {

    /** The source article's example, exactly as written. */
    static final String ARTICLE_EXAMPLE = "{\"patient_id\": \"123456\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
            + "\"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5, "
            + "\"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}";

    /** Every field, with canary values that must never appear in messages or toString. */
    static final String FULL = "{\"patient_id\": \"CANARY-PATIENT-7731\", \"encounter_id\": \"CANARY-ENC-4410\","
            + " \"machine_id\": \"DX2020\", \"technician_id\": \"CANARY-TECH-5521\","
            + " \"treatment_start\": \"2025-03-28T08:00:00+01:00\", \"treatment_end\": \"2025-03-28T12:03:30.250+01:00\","
            + " \"session_duration\": 240, \"uf_volume\": 2.4, \"uf_rate\": 600, \"conductivity\": 13.50,"
            + " \"blood_flow\": 300, \"dialysate_flow\": 500, \"dialysate_temperature\": 36.5,"
            + " \"arterial_pressure\": -150, \"venous_pressure\": 180, \"alarms\": [\"A12\", \"B03\"],"
            + " \"notes\": \"CANARY-NOTES-9902 line one\\nline two\\ttabbed \\\"quoted\\\" \\u00e9\","
            + " \"observations\": [{\"system\": \"http://loinc.org\", \"code\": \"8867-4\", \"value\": 72, \"unit\": \"/min\","
            + " \"time\": \"2025-03-28T08:30:00Z\"}, {\"system\": \"urn:oid:2.16.840.1.113883.6.24\", \"code\": \"150456\","
            + " \"value\": 97.5, \"unit\": \"%\", \"time\": \"2025-03-28t09:30:00z\"}]}";

    static final String[] CANARIES = {"CANARY-PATIENT-7731", "CANARY-ENC-4410", "CANARY-TECH-5521", "CANARY-NOTES-9902"
    };

    /**
     * Codes about the document as a whole (size, encoding, syntax, root type): for them the pointer {@code ""} is exact.
     * Any other code points at {@code ""} only when the member at fault sits under a root property whose name is not a
     * plain token, which a pointer must not echo.
     */
    static final Set<String> WHOLE_DOCUMENT_CODES = Set.of(
            ViolationCodes.DOCUMENT_TOO_LARGE,
            ViolationCodes.MALFORMED_JSON,
            ViolationCodes.INVALID_UTF8,
            ViolationCodes.TRAILING_CONTENT,
            ViolationCodes.NOT_AN_OBJECT,
            ViolationCodes.NOT_AN_ARRAY);

    /** Codes of rules on members the schema names (all plain tokens): never reported at {@code ""}. */
    static final Set<String> MEMBER_CODES = Set.of(
            ViolationCodes.REQUIRED,
            ViolationCodes.TYPE,
            ViolationCodes.TOO_SHORT,
            ViolationCodes.PATTERN,
            ViolationCodes.MINIMUM,
            ViolationCodes.MAXIMUM,
            ViolationCodes.TOO_FEW_ITEMS,
            ViolationCodes.FORMAT_DATE_TIME,
            ViolationCodes.ENUM,
            ViolationCodes.OFFSET_REQUIRED,
            ViolationCodes.END_BEFORE_START,
            ViolationCodes.DURATION_MISMATCH,
            ViolationCodes.IDENTIFIER_REQUIRED);

    private Documents() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
