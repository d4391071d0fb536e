package health.treatment.security.internal;

import java.util.OptionalInt;

/**
 * Tink's ciphertext layout for AES-GCM keys with the TINK output prefix:
 * {@code 0x01 || key id (4 bytes, big-endian) || IV (12) || ciphertext || tag (16)}.
 */
public final class CiphertextLayout {
    public static final int PREFIX_LENGTH = 5;
    public static final int IV_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    private static final byte TINK_START_BYTE = 1;

    private CiphertextLayout() {}

    /** The key id in the prefix, if the ciphertext is long enough and has the TINK prefix. */
    public static OptionalInt keyId(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < PREFIX_LENGTH || ciphertext[0] != TINK_START_BYTE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(((ciphertext[1] & 0xff) << 24)
                | ((ciphertext[2] & 0xff) << 16)
                | ((ciphertext[3] & 0xff) << 8)
                | (ciphertext[4] & 0xff));
    }
}
