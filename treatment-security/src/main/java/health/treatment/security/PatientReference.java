package health.treatment.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Stable internal pseudonym for a patient: {@code "pt_"} followed by 26 lowercase base32 characters (128 bits of a keyed
 * PRF over the normalised identifier, with a key separate from the blind index). Safe to log and to use as a key.
 *
 * @param value the reference
 */
public record PatientReference(String value) {
    private static final Pattern FORMAT = Pattern.compile("pt_[a-z2-7]{26}");

    public PatientReference {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("patient reference must be 'pt_' followed by 26 base32 characters");
        }
    }
}
