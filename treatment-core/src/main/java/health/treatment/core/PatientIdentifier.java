package health.treatment.core;

import java.util.regex.Pattern;

/**
 * The rule for a patient identifier outside a record (a search or an erasure request carries one in its body): the
 * same as the schema's {@code patient_id} (a unit test keeps them equal). Never echo a rejected value: it is PHI.
 */
public final class PatientIdentifier {

    /** 1 to 64 letters, digits and {@code - . _ : /}, without {@code ..}. */
    public static final Pattern PATTERN = Pattern.compile("^(?!.*\\.\\.)[A-Za-z0-9\\-._:/]+$");

    public static final int MAX_LENGTH = 64;

    private PatientIdentifier() {}

    /** Whether {@code value} is an identifier a record's {@code patient_id} could hold. */
    public static boolean isValid(String value) {
        return value != null
                && !value.isEmpty()
                && value.length() <= MAX_LENGTH
                && PATTERN.matcher(value).matches();
    }
}
