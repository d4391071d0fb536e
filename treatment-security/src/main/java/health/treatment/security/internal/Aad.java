package health.treatment.security.internal;

import health.treatment.security.FieldBinding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Associated data encodings. Every part is written as a 4-byte big-endian length followed by its UTF-8 bytes, and the
 * first part is a domain tag, so encodings for different purposes and different splits never collide.
 */
public final class Aad {
    public static final String PHI_FIELD = "treatment/phi-field/v1";
    public static final String PATIENT_FIELD = "treatment/patient-field/v1";
    /** Layout 1 patient keys, wrapped under the PHI key ring. */
    public static final String PATIENT_KEY = "treatment/patient-key/v1";
    /** Layout 2 patient keys, wrapped under a wrapping-key epoch; the epoch number is a part too. */
    public static final String PATIENT_KEY_EPOCH = "treatment/patient-key/v2";

    public static final String WRAP_STATE = "treatment/patient-wrap-state/v1";
    public static final String KEYSET = "treatment/keyset/v1";
    public static final String SEALED_SECRET = "treatment/sealed-secret/v1";

    private Aad() {}

    public static byte[] field(String domain, FieldBinding binding) {
        return of(domain, binding.recordId(), binding.field());
    }

    public static byte[] of(String... parts) {
        byte[][] encoded = new byte[parts.length][];
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            encoded[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            length += 4 + encoded[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] part : encoded) {
            out.putInt(part.length).put(part);
        }
        return out.array();
    }
}
