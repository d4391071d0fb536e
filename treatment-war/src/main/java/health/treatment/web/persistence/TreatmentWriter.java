package health.treatment.web.persistence;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.core.TreatmentRecord;
import health.treatment.security.FieldBinding;
import health.treatment.security.PatientReference;
import health.treatment.security.PhiDecryptionException;
import health.treatment.security.PhiProtection;
import health.treatment.security.WrappedPatientKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores and reads treatment records. Each method is one database transaction holding the clinical write (or read)
 * and its audit event together: a committed record always has its audit event, a rolled-back one never does.
 *
 * <p>What reaches the database: the whole canonical record encrypted under the patient's own data key (so erasing
 * that key erases the patient's records, backups included) and bound to the record id; the patient identifier only
 * as a ciphertext, a keyed blind index and a keyed pseudonym. Records without a patient identifier (encounter
 * reference only) are encrypted under the key ring directly.
 */
@ApplicationScoped
public class TreatmentWriter {

    static final String DOCUMENT_FIELD = "document";
    static final String PATIENT_ID_FIELD = "patient_id";

    @Inject
    TreatmentStore store;

    @Inject
    PhiProtection phi;

    @Inject
    AuditTrail audit;

    /** A stored record's id and its decrypted canonical JSON. */
    public record StoredTreatment(String id, String machineId, OffsetDateTime receivedAt, String canonicalJson) {
    }

    /** Thrown when a stored record cannot be decrypted (tampered, key destroyed, wrong key ring). */
    public static final class UnreadableRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableRecordException() {
            super("stored treatment record cannot be decrypted");
        }
    }

    /**
     * Stores a new record ({@code canonicalJson} is {@code record.toJson()}, computed once by the caller) and,
     * when given, its idempotency key, and records {@code event} (completed with the new
     * record id) in the same transaction. A clash on the idempotency key or on a concurrently created patient
     * surfaces as a {@link jakarta.persistence.PersistenceException} and rolls everything back.
     */
    @Transactional
    public String create(TreatmentRecord record, String canonicalJson, String clientId,
                         Optional<String> idempotencyKey, AuditEvent.Builder event) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        FieldBinding documentBinding = new FieldBinding(id, DOCUMENT_FIELD);

        String patientRef = null;
        byte[] document;
        if (record.patientId().isPresent()) {
            PatientEntity patient = patientFor(record.patientId().get(), now);
            patientRef = patient.patientRef();
            document = phi.encryptForPatient(new WrappedPatientKey(patient.wrappedDataKey()), canonicalJson,
                    documentBinding);
        } else {
            document = phi.encrypt(canonicalJson, documentBinding);
        }
        store.insert(new TreatmentRecordEntity(id, patientRef, record.machineId(), record.treatmentStart(), now,
                clientId, document));
        if (idempotencyKey.isPresent()) {
            store.insert(new IdempotencyKeyEntity(clientId, idempotencyKey.get(), id, now));
        }
        audit.record(event.recordId(id).build());
        return id;
    }

    /** The record an earlier request stored under this client's idempotency key, decrypted for comparison. */
    @Transactional
    public Optional<StoredTreatment> findByIdempotencyKey(String clientId, String idempotencyKey) {
        return store.findIdempotencyKey(clientId, idempotencyKey)
                .flatMap(key -> store.findRecord(key.recordId()))
                .map(this::decrypt);
    }

    /**
     * Reads and decrypts a record, completing {@code event} as a success (200, record id) or a not-found (404) and
     * recording it in the same transaction.
     */
    @Transactional
    public Optional<StoredTreatment> read(String id, AuditEvent.Builder event) {
        Optional<StoredTreatment> stored = store.findRecord(id).map(this::decrypt);
        audit.record(stored.isPresent()
                ? event.recordId(id).outcome(Outcome.SUCCESS).httpStatus(200).build()
                : event.outcome(Outcome.CLIENT_ERROR).httpStatus(404).reasonCode("not_found").build());
        return stored;
    }

    private PatientEntity patientFor(String patientId, OffsetDateTime now) {
        PatientReference ref = phi.pseudonym(patientId);
        Optional<PatientEntity> existing = store.findPatient(ref.value());
        if (existing.isPresent() && existing.get().wrappedDataKey() != null) {
            return existing.get();
        }
        WrappedPatientKey key = phi.newPatientKey(ref);
        byte[] identifier = phi.encryptForPatient(key, patientId, new FieldBinding(ref.value(), PATIENT_ID_FIELD));
        if (existing.isPresent()) {
            // The patient's earlier data was erased (crypto-shredded): new data gets a new key, the old stays unreadable.
            existing.get().rekey(identifier, key.bytes());
            return existing.get();
        }
        PatientEntity patient = new PatientEntity(ref.value(), phi.blindIndex(patientId).value(), identifier,
                key.bytes(), now);
        store.insert(patient);
        return patient;
    }

    private StoredTreatment decrypt(TreatmentRecordEntity entity) {
        FieldBinding binding = new FieldBinding(entity.id(), DOCUMENT_FIELD);
        try {
            String json;
            if (entity.patientRef() == null) {
                json = phi.decrypt(entity.documentCipher(), binding);
            } else {
                byte[] key = store.findPatient(entity.patientRef())
                        .map(PatientEntity::wrappedDataKey)
                        .orElseThrow(UnreadableRecordException::new);
                json = phi.decryptForPatient(new WrappedPatientKey(key), entity.documentCipher(), binding);
            }
            return new StoredTreatment(entity.id(), entity.machineId(), entity.receivedAt(), json);
        } catch (PhiDecryptionException e) {
            throw new UnreadableRecordException();
        }
    }
}
