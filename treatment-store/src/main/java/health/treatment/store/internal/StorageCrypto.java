package health.treatment.store.internal;

import health.treatment.security.FieldBinding;
import health.treatment.security.PatientReference;
import health.treatment.security.PhiDecryptionException;
import health.treatment.security.PhiProtection;
import health.treatment.security.WrappedPatientKey;
import health.treatment.store.TreatmentStoreException;
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
 *   <li>The data key is stored wrapped under a wrapping-key epoch and bound to the pseudonym: a wrapped key copied to
 *       another patient's row is refused, never used.</li>
 *   <li>Erasure sets the wrapped key to NULL: from that commit the live database cannot decrypt the patient's records
 *       or identifier. A backup taken before still can, with the live keys, until the next rotation
 *       ({@code TreatmentStore.rewrapPatientKeys}) destroyed the epoch in force when it was taken; then it cannot, for
 *       any patient.</li>
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
    record PatientKeyMaterial(WrappedPatientKey key, byte[] identifierCipher) {}

    PatientReference pseudonym(String patientId) {
        return phi.pseudonym(patientId);
    }

    String blindIndex(String patientId) {
        return phi.blindIndex(patientId).value();
    }

    String encounterIndex(String encounterId) {
        return phi.encounterIndex(encounterId).value();
    }

    /** A new data key for the patient (first record, or the first after an erasure) and the identifier under it. */
    PatientKeyMaterial newPatientKey(PatientReference ref, String patientId) {
        WrappedPatientKey key = phi.newPatientKey(ref);
        byte[] identifier = phi.encryptForPatient(ref, key, patientId, new FieldBinding(ref.value(), PATIENT_ID_FIELD));
        return new PatientKeyMaterial(key, identifier);
    }

    /**
     * Makes sure new patient keys are wrapped under {@code floor} or later (the database's floor, raised by a rotation):
     * a node that has not seen the rotation's epoch yet re-reads its key store.
     *
     * @throws TreatmentStoreException if even the re-read key store has no such epoch (another key directory?)
     */
    void requireWrappingEpoch(int floor) {
        if (phi.wrappingEpochs().current() < floor) {
            phi.reload();
            if (phi.wrappingEpochs().current() < floor) {
                throw new TreatmentStoreException("treatment store: the database requires wrapping epoch " + floor
                        + " or later, and the key store holds "
                        + phi.wrappingEpochs().current());
            }
        }
    }

    /** The patient's key wrapped under the current epoch (a rotation). */
    WrappedPatientKey rewrap(PatientReference ref, WrappedPatientKey key) throws PhiDecryptionException {
        return phi.rewrapPatientKey(ref, key);
    }

    /** Starts a new wrapping epoch (a rotation) and returns it. */
    int beginWrappingEpoch() {
        return phi.beginWrappingEpoch();
    }

    /** Destroys every wrapping epoch before {@code epoch} (the end of a rotation). */
    void destroyWrappingEpochsBefore(int epoch) {
        phi.destroyWrappingEpochsBefore(epoch);
    }

    /** After an erasure: this node keeps no unwrapped copy of any patient key. */
    void forgetCachedPatientKeys() {
        phi.forgetCachedPatientKeys();
    }

    /**
     * Seals a document under the patient's key, or under the key ring when the record names no patient (null ref and
     * key).
     */
    byte[] sealDocument(String recordId, String patientRef, WrappedPatientKey patientKey, String canonicalJson) {
        FieldBinding binding = new FieldBinding(recordId, DOCUMENT_FIELD);
        return patientRef == null
                ? phi.encrypt(canonicalJson, binding)
                : phi.encryptForPatient(new PatientReference(patientRef), patientKey, canonicalJson, binding);
    }

    /**
     * Opens a stored document.
     *
     * @param patientRef the row's patient reference, null when the record names none ({@code patientKey} is then
     *     ignored; otherwise it is the patient's wrapped key, null once erased)
     * @throws PhiDecryptionException if the key is gone, bound to another patient, or the bytes or their binding were
     *     altered
     */
    String openDocument(String recordId, String patientRef, byte[] patientKey, byte[] cipher)
            throws PhiDecryptionException {
        FieldBinding binding = new FieldBinding(recordId, DOCUMENT_FIELD);
        if (patientRef == null) {
            return phi.decrypt(cipher, binding);
        }
        if (patientKey == null) {
            throw new PhiDecryptionException("the patient's data key was destroyed");
        }
        return phi.decryptForPatient(
                new PatientReference(patientRef), new WrappedPatientKey(patientKey), cipher, binding);
    }
}
