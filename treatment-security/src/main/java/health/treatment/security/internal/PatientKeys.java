package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import health.treatment.security.PatientReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Per-patient data keys: a one-key AES-256-GCM keyset, serialized encrypted with the patient reference as associated
 * data. Two wrapped layouts:
 *
 * <ul>
 *   <li>2 (written now): {@code 0x02 || epoch (4 bytes, big-endian) || len(ref) (1) || ref (ASCII) || keyset}, the
 *       keyset encrypted under the wrapping keyset of that epoch, associated data (ref, epoch);</li>
 *   <li>1 (before epochs): {@code 0x01 || len(ref) (1) || ref || keyset}, encrypted under the PHI key ring,
 *       associated data (ref). Still unwrapped while the epochs accept it (see {@link WrappingEpochs}).</li>
 * </ul>
 */
public final class PatientKeys {
    private static final byte V1 = 1;
    private static final byte V2 = 2;
    private static final int V2_HEADER = 1 + 4 + 1;

    private PatientKeys() {}

    /** A freshly generated patient key: its wrapped form (to store) and its primitive (to use now). */
    public record NewKey(byte[] wrapped, Aead aead) {
        @Override
        public String toString() {
            return "PatientKeys.NewKey[redacted]";
        }
    }

    /** A new data key wrapped under {@code wrapping}, the keyset of {@code epoch} (layout 2). */
    public static NewKey newKey(Aead wrapping, int epoch, PatientReference patient) throws GeneralSecurityException {
        KeysetHandle key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, TinkSetup.configuration());
        return new NewKey(wrap(wrapping, epoch, patient, key), key.getPrimitive(TinkSetup.configuration(), Aead.class));
    }

    /**
     * A new data key in layout 1, wrapped under the PHI key ring: what the code before wrapping epochs wrote. Only for
     * tests of the upgrade path; nothing in production writes it.
     */
    public static byte[] newWrappedKey(Aead ring, PatientReference patient) throws GeneralSecurityException {
        KeysetHandle key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, TinkSetup.configuration());
        byte[] ref = patient.value().getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(
                key, ring, Aad.of(Aad.PATIENT_KEY, patient.value()), TinkSetup.configuration());
        byte[] out = new byte[2 + ref.length + wrapped.length];
        out[0] = V1;
        out[1] = (byte) ref.length;
        System.arraycopy(ref, 0, out, 2, ref.length);
        System.arraycopy(wrapped, 0, out, 2 + ref.length, wrapped.length);
        return out;
    }

    /** Layout 2 of {@code key} under the keyset of {@code epoch}. */
    public static byte[] wrap(Aead wrapping, int epoch, PatientReference patient, KeysetHandle key)
            throws GeneralSecurityException {
        byte[] ref = patient.value().getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(
                key, wrapping, aadV2(patient.value(), epoch), TinkSetup.configuration());
        return ByteBuffer.allocate(V2_HEADER + ref.length + wrapped.length)
                .put(V2)
                .putInt(epoch)
                .put((byte) ref.length)
                .put(ref)
                .put(wrapped)
                .array();
    }

    /**
     * The epoch a wrapped key names: {@code >= 1} for layout 2, 0 for layout 1 (wrapped under the PHI key ring).
     *
     * @throws GeneralSecurityException if the bytes are in no known layout
     */
    public static int epoch(byte[] wrappedKey) throws GeneralSecurityException {
        return header(wrappedKey).epoch;
    }

    /**
     * The patient reference a wrapped key is bound to (associated data of its encryption, so it cannot be changed
     * without the unwrap failing).
     *
     * @throws GeneralSecurityException if the bytes are in no known layout
     */
    public static String patientReference(byte[] wrappedKey) throws GeneralSecurityException {
        return header(wrappedKey).ref;
    }

    /**
     * Unwraps and returns the patient's AEAD.
     *
     * @throws GeneralSecurityException if malformed, modified, or wrapped under an epoch (or, for layout 1, a ring) the
     *     snapshot does not hold or no longer accepts
     */
    public static Aead unwrap(KeyRing ring, byte[] wrappedKey) throws GeneralSecurityException {
        return unwrapKeyset(ring, wrappedKey).getPrimitive(TinkSetup.configuration(), Aead.class);
    }

    /** As {@link #unwrap}, the keyset itself (for re-wrapping under another epoch). */
    public static KeysetHandle unwrapKeyset(KeyRing ring, byte[] wrappedKey) throws GeneralSecurityException {
        Header h = header(wrappedKey);
        if (!ring.epochs().accepts(h.epoch)) {
            throw new GeneralSecurityException("wrapping epoch not held");
        }
        byte[] keyset = Arrays.copyOfRange(wrappedKey, h.keysetOffset, wrappedKey.length);
        if (h.epoch == 0) {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(
                    keyset, ring.phiAead(), Aad.of(Aad.PATIENT_KEY, h.ref), TinkSetup.configuration());
        }
        return TinkProtoKeysetFormat.parseEncryptedKeyset(
                keyset, ring.epochs().aead(h.epoch), aadV2(h.ref, h.epoch), TinkSetup.configuration());
    }

    private static byte[] aadV2(String ref, int epoch) {
        return Aad.of(Aad.PATIENT_KEY_EPOCH, ref, Integer.toString(epoch));
    }

    /** The clear part of a wrapped key; the encrypted keyset starts at {@code keysetOffset}. */
    private record Header(int epoch, String ref, int keysetOffset) {}

    private static Header header(byte[] w) throws GeneralSecurityException {
        if (w.length >= 3 && w[0] == V1) {
            int refLength = w[1] & 0xff;
            if (w.length >= 2 + refLength + 1) {
                return new Header(0, new String(w, 2, refLength, StandardCharsets.US_ASCII), 2 + refLength);
            }
        } else if (w.length >= V2_HEADER + 1 && w[0] == V2) {
            int epoch = ByteBuffer.wrap(w, 1, 4).getInt();
            int refLength = w[5] & 0xff;
            if (epoch >= 1 && w.length >= V2_HEADER + refLength + 1) {
                return new Header(
                        epoch, new String(w, V2_HEADER, refLength, StandardCharsets.US_ASCII), V2_HEADER + refLength);
            }
        }
        throw new GeneralSecurityException("invalid wrapped patient key");
    }
}
