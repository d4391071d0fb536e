package health.treatment.security.internal;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/** Normalisation of patient identifiers before keyed hashing, and compact encodings. */
public final class Identifiers {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Identifiers() {}

    /**
     * Normalised UTF-8 bytes of a patient identifier: strip leading/trailing Unicode white space, Unicode NFC, then
     * locale-independent case folding (upper then lower case, {@link Locale#ROOT}), so "ab-12", " AB-12 " and the
     * decomposed forms of accented letters give the same blind index and pseudonym. Inner characters are kept as they
     * are: hospital MRNs may differ by punctuation.
     *
     * @throws IllegalArgumentException if blank (the message never contains the identifier)
     */
    public static byte[] normalise(String patientId) {
        Objects.requireNonNull(patientId, "patientId");
        String stripped = patientId.strip();
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException("patient identifier must not be blank");
        }
        if (isAscii(stripped)) {
            // Fast path for the common case: for ASCII, NFC is the identity and case folding is ASCII lower case.
            byte[] out = new byte[stripped.length()];
            for (int i = 0; i < out.length; i++) {
                char c = stripped.charAt(i);
                out[i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            }
            return out;
        }
        String nfc = Normalizer.normalize(stripped, Normalizer.Form.NFC);
        String folded = nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        // Case mapping can produce decomposed sequences again (e.g. U+0130); re-normalise.
        return Normalizer.normalize(folded, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4648 base32, lowercase, no padding. */
    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
