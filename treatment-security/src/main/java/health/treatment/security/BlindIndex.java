package health.treatment.security;

import java.util.Objects;

/**
 * Keyed, deterministic lookup token for a patient identifier: base64url (no padding) of HMAC-SHA256 over the normalised
 * identifier. Equal identifiers (after normalisation) give equal tokens under the same blind-index key; without the key
 * the token reveals nothing but equality.
 *
 * @param value 43 base64url characters
 */
public record BlindIndex(String value) {

    public BlindIndex {
        Objects.requireNonNull(value, "value");
        if (!isBase64Url43(value)) {
            throw new IllegalArgumentException("blind index must be 43 base64url characters");
        }
    }

    // Hand-written rather than a regex: this runs on every lookup, and a regex match costs a few hundred ns.
    private static boolean isBase64Url43(String s) {
        if (s.length() != 43) {
            return false;
        }
        for (int i = 0; i < 43; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
