package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import health.treatment.security.PatientReference;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Per-patient data keys: a one-key AES-256-GCM keyset, serialized encrypted under the PHI key ring with the patient
 * reference as associated data. Wrapped layout: {@code 0x01 || len(ref) (1 byte) || ref (ASCII) || encrypted keyset}.
 */
public final class PatientKeys {
  private static final byte VERSION = 1;

  private PatientKeys() {}

  /** A freshly generated patient key: its wrapped form (to store) and its primitive (to use now). */
  public record NewKey(byte[] wrapped, Aead aead) {
    @Override
    public String toString() {
      return "PatientKeys.NewKey[redacted]";
    }
  }

  public static NewKey newKey(Aead ring, PatientReference patient) throws GeneralSecurityException {
    KeysetHandle key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, TinkSetup.configuration());
    return new NewKey(wrap(ring, patient, key), key.getPrimitive(TinkSetup.configuration(), Aead.class));
  }

  public static byte[] newWrappedKey(Aead ring, PatientReference patient) throws GeneralSecurityException {
    return newKey(ring, patient).wrapped();
  }

  private static byte[] wrap(Aead ring, PatientReference patient, KeysetHandle key) throws GeneralSecurityException {
    byte[] ref = patient.value().getBytes(StandardCharsets.US_ASCII);
    byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(
        key, ring, Aad.of(Aad.PATIENT_KEY, patient.value()), TinkSetup.configuration());
    byte[] out = new byte[2 + ref.length + wrapped.length];
    out[0] = VERSION;
    out[1] = (byte) ref.length;
    System.arraycopy(ref, 0, out, 2, ref.length);
    System.arraycopy(wrapped, 0, out, 2 + ref.length, wrapped.length);
    return out;
  }

  /**
   * Unwraps and returns the patient's AEAD.
   *
   * @throws GeneralSecurityException if malformed, modified, or wrapped under keys this ring does not hold
   */
  public static Aead unwrap(Aead ring, byte[] wrappedKey) throws GeneralSecurityException {
    if (wrappedKey.length < 3 || wrappedKey[0] != VERSION) {
      throw new GeneralSecurityException("invalid wrapped patient key");
    }
    int refLength = wrappedKey[1] & 0xff;
    if (wrappedKey.length < 2 + refLength + 1) {
      throw new GeneralSecurityException("invalid wrapped patient key");
    }
    String ref = new String(wrappedKey, 2, refLength, StandardCharsets.US_ASCII);
    byte[] wrapped = Arrays.copyOfRange(wrappedKey, 2 + refLength, wrappedKey.length);
    KeysetHandle key = TinkProtoKeysetFormat.parseEncryptedKeyset(
        wrapped, ring, Aad.of(Aad.PATIENT_KEY, ref), TinkSetup.configuration());
    return key.getPrimitive(TinkSetup.configuration(), Aead.class);
  }
}
