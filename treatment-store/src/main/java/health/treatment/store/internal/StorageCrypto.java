package health.treatment.store.internal;

import health.treatment.security.FieldBinding;
import health.treatment.security.PatientReference;
import health.treatment.security.PhiDecryptionException;
import health.treatment.security.PhiProtection;
import health.treatment.security.WrappedPatientKey;
import java.util.Objects;

/**
 * The storage crypto policy: which key seals what, bound to what.
 *
 * <ul>
 *   <li>A record's whole canonical document is encrypted under its patient's own data key (so destroying that key
 *       shreds every record of the patient), bound to (record id, {@code document}): a ciphertext moved to another row
 *       does not decrypt. A record with an encounter reference only is encrypted under the key ring, same binding.</li>
 *   <li>A patient is stored under a keyed pseudonym; the identifier only as a ciphertext under the patient's key,
 *       bound to (pseudonym, {@code patient_id}), and as a keyed blind index for lookups.</li>
 *   <li>A patient whose key was destroyed gets a new key with the next record (re-keying): the new key reads the new
 *       records only; the earlier ones stay unreadable.</li>
 * </ul>
 */
public final class StorageCrypto {

  static final String DOCUMENT_FIELD = "document";
  static final String PATIENT_ID_FIELD = "patient_id";

  private final PhiProtection phi;

  public StorageCrypto(PhiProtection phi) {
    this.phi = Objects.requireNonNull(phi, "phi");
  }

  /** A patient's row values: a new data key and the identifier encrypted under it. */
  record PatientKeyMaterial(WrappedPatientKey key, byte[] identifierCipher) {
  }

  PatientReference pseudonym(String patientId) {
    return phi.pseudonym(patientId);
  }

  String blindIndex(String patientId) {
    return phi.blindIndex(patientId).value();
  }

  /** A new data key for the patient (first record, or the first after an erasure) and the identifier under it. */
  PatientKeyMaterial newPatientKey(PatientReference ref, String patientId) {
    WrappedPatientKey key = phi.newPatientKey(ref);
    byte[] identifier = phi.encryptForPatient(key, patientId, new FieldBinding(ref.value(), PATIENT_ID_FIELD));
    return new PatientKeyMaterial(key, identifier);
  }

  /** Seals a document under the patient's key, or under the key ring when the record names no patient (null key). */
  byte[] sealDocument(String recordId, WrappedPatientKey patientKey, String canonicalJson) {
    FieldBinding binding = new FieldBinding(recordId, DOCUMENT_FIELD);
    return patientKey == null ? phi.encrypt(canonicalJson, binding)
        : phi.encryptForPatient(patientKey, canonicalJson, binding);
  }

  /**
   * Opens a stored document.
   *
   * @param hasPatient whether the row names a patient (then {@code patientKey} must be its key; null once erased)
   * @throws PhiDecryptionException if the key is gone or the bytes or their binding were altered
   */
  String openDocument(String recordId, boolean hasPatient, byte[] patientKey, byte[] cipher)
      throws PhiDecryptionException {
    FieldBinding binding = new FieldBinding(recordId, DOCUMENT_FIELD);
    if (!hasPatient) {
      return phi.decrypt(cipher, binding);
    }
    if (patientKey == null) {
      throw new PhiDecryptionException("the patient's data key was destroyed");
    }
    return phi.decryptForPatient(new WrappedPatientKey(patientKey), cipher, binding);
  }
}
