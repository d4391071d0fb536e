package health.treatment.security;

import java.util.Arrays;
import java.util.Objects;

/**
 * A per-patient data key, encrypted ("wrapped") under a wrapping epoch of the key ring (layout 2) or, for keys from
 * before epochs, under the PHI key ring (layout 1), bound to its patient reference. Store it next to the patient;
 * deleting every copy of these bytes crypto-shreds that patient's data encrypted with
 * {@link PhiProtection#encryptForPatient} (copies in backups: see {@link PhiProtection}).
 *
 * <p>The bytes are ciphertext, but still treated as sensitive: {@link #toString()} redacts, and the accessor returns
 * a copy.
 *
 * @param bytes the wrapped key; non-empty
 */
public record WrappedPatientKey(byte[] bytes) {
    public WrappedPatientKey {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("wrapped patient key must not be empty");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The wrapping epoch this key names (not secret: a key-store id): {@code >= 1} for layout 2; 0 for layout 1 (wrapped
     * under the PHI key ring, before epochs) and for bytes in no known layout.
     */
    public int wrappingEpoch() {
        if (bytes.length >= 7 && bytes[0] == 2) {
            int epoch = ((bytes[1] & 0xff) << 24)
                    | ((bytes[2] & 0xff) << 16)
                    | ((bytes[3] & 0xff) << 8)
                    | (bytes[4] & 0xff);
            return Math.max(epoch, 0);
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedPatientKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WrappedPatientKey[redacted]";
    }
}
