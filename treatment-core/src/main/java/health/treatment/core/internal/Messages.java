package health.treatment.core.internal;

import static health.treatment.core.ViolationCodes.*;

import health.treatment.core.ValidationLimits;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One fixed English sentence per violation code. Sentences may name a configured limit, never a submitted value:
 * documents carry PHI and error responses and logs must not.
 */
final class Messages {

    private static final Map<String, String> FIXED = Map.ofEntries(
            Map.entry(MALFORMED_JSON, "The document is not well-formed JSON."),
            Map.entry(INVALID_UTF8, "The document is not valid UTF-8."),
            Map.entry(TRAILING_CONTENT, "Only whitespace may follow the JSON object."),
            Map.entry(DUPLICATE_KEY, "The property appears more than once in the same object."),
            Map.entry(NOT_AN_OBJECT, "The document must be a JSON object."),
            Map.entry(UNKNOWN_PROPERTY, "The property is not defined by the treatment record schema."),
            Map.entry(REQUIRED, "The required property is missing."),
            Map.entry(TYPE, "The value has the wrong JSON type for this field."),
            Map.entry(TOO_SHORT, "The string is shorter than this field allows."),
            Map.entry(TOO_LONG, "The value is longer than this field allows."),
            Map.entry(PATTERN, "The string contains characters this field does not allow."),
            Map.entry(MINIMUM, "The number is below the minimum this field allows."),
            Map.entry(MAXIMUM, "The number is above the maximum this field allows."),
            Map.entry(TOO_MANY_ITEMS, "The array has more items than this field allows."),
            Map.entry(TOO_FEW_ITEMS, "The array has fewer items than this field requires."),
            Map.entry(FORMAT_DATE_TIME, "The value must be an RFC 3339 date-time such as 2025-03-28T08:00:00Z."),
            Map.entry(ENUM, "The value is not one of the values this field allows."),
            Map.entry(SCHEMA, "The value does not satisfy the treatment record schema."),
            Map.entry(OFFSET_REQUIRED, "The date-time must carry an offset (Z or +hh:mm)."),
            Map.entry(END_BEFORE_START, "treatment_end must not be before treatment_start."),
            Map.entry(
                    DURATION_MISMATCH,
                    "session_duration differs from treatment_end minus treatment_start by more than "
                            + DURATION_TOLERANCE_MINUTES + " minutes."),
            Map.entry(IDENTIFIER_REQUIRED, "At least one of patient_id and encounter_id is required."));

    private final String tooLarge;
    private final String tooDeep;
    private final String tooManyItemsLimit;
    private final String tooLongLimit;

    Messages(ValidationLimits limits) {
        tooLarge = "The document is larger than the limit of " + limits.maxDocumentBytes() + " bytes.";
        tooDeep = "Objects and arrays are nested deeper than the limit of " + limits.maxDepth() + " levels.";
        tooManyItemsLimit = "The array has more than the limit of " + limits.maxArrayItems() + " items.";
        tooLongLimit = "The string is longer than the limit of " + limits.maxStringLength() + " characters.";
    }

    String of(String code) {
        switch (code) {
            case DOCUMENT_TOO_LARGE:
                return tooLarge;
            case TOO_DEEP:
                return tooDeep;
            default:
                return FIXED.getOrDefault(code, FIXED.get(SCHEMA));
        }
    }

    String arrayLimit() {
        return tooManyItemsLimit;
    }

    String stringLimit() {
        return tooLongLimit;
    }

    /** Every sentence this instance hands out: the fixed set a violation message is taken from. */
    Set<String> sentences() {
        Set<String> all = new HashSet<>(FIXED.values());
        all.addAll(Set.of(tooLarge, tooDeep, tooManyItemsLimit, tooLongLimit));
        return Set.copyOf(all);
    }
}
