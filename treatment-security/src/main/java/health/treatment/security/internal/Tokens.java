package health.treatment.security.internal;

import com.google.crypto.tink.prf.PrfSet;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** The keyed deterministic functions behind blind indexes and pseudonyms. */
public final class Tokens {
    public static final int BLIND_INDEX_BYTES = 32;
    public static final int PSEUDONYM_BYTES = 16;

    private Tokens() {}

    /** base64url (no padding) of the full 32-byte HMAC-SHA256 output over {@code input}. */
    public static String blindIndex(PrfSet prf, byte[] input) throws GeneralSecurityException {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(prf.computePrimary(input, BLIND_INDEX_BYTES));
    }

    /** {@code "pt_"} + base32 of the first 16 bytes (128 bits) of HMAC-SHA256 over {@code input}. */
    public static String pseudonym(PrfSet prf, byte[] input) throws GeneralSecurityException {
        return "pt_" + Identifiers.base32(prf.computePrimary(input, PSEUDONYM_BYTES));
    }
}
