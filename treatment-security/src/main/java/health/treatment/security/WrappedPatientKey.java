package health.treatment.security;

import java.util.Arrays;
import java.util.Objects;

/**
 * A per-patient data key, encrypted ("wrapped") under the key ring. Store it next to the patient; deleting every copy
 * of these bytes crypto-shreds that patient's data encrypted with {@link PhiProtection#encryptForPatient}.
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
