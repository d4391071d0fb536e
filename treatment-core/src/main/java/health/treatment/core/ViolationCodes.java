package health.treatment.core;

import java.util.Set;

/**
 * Every stable {@link Violation#code()}. Clients and the HTTP layer may rely on these strings; new codes may be added,
 * existing ones never change meaning.
 */
public final class ViolationCodes {

    // Resource limits and well-formedness (checked while streaming).

    /** The document is larger than {@link ValidationLimits#maxDocumentBytes()}; pointer {@code ""}; HTTP 413. */
    public static final String DOCUMENT_TOO_LARGE = "document_too_large";
    /** The document is not well-formed JSON (includes empty and truncated documents); pointer is the enclosing container. */
    public static final String MALFORMED_JSON = "malformed_json";
    /** The document is not valid UTF-8. */
    public static final String INVALID_UTF8 = "invalid_utf8";
    /** Something other than whitespace follows the root value. */
    public static final String TRAILING_CONTENT = "trailing_content";
    /** An object has the same property name twice; pointer is the repeated member. */
    public static final String DUPLICATE_KEY = "duplicate_key";
    /** The root value is not a JSON object. */
    public static final String NOT_AN_OBJECT = "not_an_object";
    /** A batch body is not a JSON array (batch uploads only). */
    public static final String NOT_AN_ARRAY = "not_an_array";
    /** Objects and arrays are nested deeper than {@link ValidationLimits#maxDepth()}. */
    public static final String TOO_DEEP = "too_deep";

    // Schema (treatment-record-v1).

    /** A property the schema does not define ({@code additionalProperties: false}); pointer is the property. */
    public static final String UNKNOWN_PROPERTY = "unknown_property";
    /** A required property is missing; pointer is where the property should be. */
    public static final String REQUIRED = "required";
    /** The value has the wrong JSON type (including a non-integer where an integer is required). */
    public static final String TYPE = "type";
    /** The string is shorter than allowed. */
    public static final String TOO_SHORT = "too_short";
    /** The string is longer than allowed (by the schema or by {@link ValidationLimits#maxStringLength()}). */
    public static final String TOO_LONG = "too_long";
    /** The string contains characters the field does not allow. */
    public static final String PATTERN = "pattern";
    /** The number is below the field's minimum. */
    public static final String MINIMUM = "minimum";
    /** The number is above the field's maximum. */
    public static final String MAXIMUM = "maximum";
    /** The array has more items than allowed (by the schema or by {@link ValidationLimits#maxArrayItems()}). */
    public static final String TOO_MANY_ITEMS = "too_many_items";
    /** The array has fewer items than allowed. */
    public static final String TOO_FEW_ITEMS = "too_few_items";
    /** The string is not an RFC 3339 date-time (or names an impossible date such as 2025-02-30). */
    public static final String FORMAT_DATE_TIME = "format_date_time";
    /** The value is not one of the allowed values. */
    public static final String ENUM = "enum";
    /** Any other schema rule (reserved for future schema versions). */
    public static final String SCHEMA = "schema";

    // Cross-field rules (checked in code after the schema).

    /** A date-time has no offset (Z or +hh:mm); local times are ambiguous. */
    public static final String OFFSET_REQUIRED = "offset_required";
    /** treatment_end is before treatment_start; pointer {@code /treatment_end}. */
    public static final String END_BEFORE_START = "end_before_start";
    /** session_duration differs from treatment_end - treatment_start by more than 5 minutes; pointer {@code /session_duration}. */
    public static final String DURATION_MISMATCH = "duration_mismatch";
    /**
     * Neither patient_id nor encounter_id is given: two violations with this code, pointers {@code /patient_id} and
     * {@code /encounter_id} (either member satisfies both).
     */
    public static final String IDENTIFIER_REQUIRED = "identifier_required";

    /** Tolerance of the {@link #DURATION_MISMATCH} rule, in minutes (device clocks and rounding). */
    public static final int DURATION_TOLERANCE_MINUTES = 5;

    private static final Set<String> ALL = Set.of(
            DOCUMENT_TOO_LARGE,
            MALFORMED_JSON,
            INVALID_UTF8,
            TRAILING_CONTENT,
            DUPLICATE_KEY,
            NOT_AN_OBJECT,
            NOT_AN_ARRAY,
            TOO_DEEP,
            UNKNOWN_PROPERTY,
            REQUIRED,
            TYPE,
            TOO_SHORT,
            TOO_LONG,
            PATTERN,
            MINIMUM,
            MAXIMUM,
            TOO_MANY_ITEMS,
            TOO_FEW_ITEMS,
            FORMAT_DATE_TIME,
            ENUM,
            SCHEMA,
            OFFSET_REQUIRED,
            END_BEFORE_START,
            DURATION_MISMATCH,
            IDENTIFIER_REQUIRED);

    private ViolationCodes() {}

    /** Every code defined here. */
    public static Set<String> all() {
        return ALL;
    }
}
