package health.treatment.web.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A stored treatment record. The whole canonical document is one ciphertext bound to the record id;
 * only non-identifying columns needed for routing and queries stay in clear.
 */
@Entity
@Table(name = "treatment_record")
public class TreatmentRecordEntity {

    @Id
    @Column(name = "id", length = 36, nullable = false, updatable = false)
    private String id;

    @Column(name = "patient_ref", length = 80, updatable = false)
    private String patientRef;

    @Column(name = "machine_id", length = 64, nullable = false, updatable = false)
    private String machineId;

    @Column(name = "treatment_start", nullable = false, updatable = false)
    private OffsetDateTime treatmentStart;

    @Column(name = "received_at", nullable = false, updatable = false)
    private OffsetDateTime receivedAt;

    @Column(name = "submitted_by", length = 255, nullable = false, updatable = false)
    private String submittedBy;

    @Column(name = "document_cipher", nullable = false)
    private byte[] documentCipher;

    protected TreatmentRecordEntity() {
        // for JPA
    }

    public TreatmentRecordEntity(String id, String patientRef, String machineId, OffsetDateTime treatmentStart,
                                 OffsetDateTime receivedAt, String submittedBy, byte[] documentCipher) {
        this.id = id;
        this.patientRef = patientRef;
        this.machineId = machineId;
        this.treatmentStart = treatmentStart;
        this.receivedAt = receivedAt;
        this.submittedBy = submittedBy;
        this.documentCipher = documentCipher.clone();
    }

    public String id() {
        return id;
    }

    /** The pseudonymous patient reference, or null when the record carries only an encounter reference. */
    public String patientRef() {
        return patientRef;
    }

    public String machineId() {
        return machineId;
    }

    public OffsetDateTime treatmentStart() {
        return treatmentStart;
    }

    public OffsetDateTime receivedAt() {
        return receivedAt;
    }

    public String submittedBy() {
        return submittedBy;
    }

    public byte[] documentCipher() {
        return documentCipher.clone();
    }

    /** Used by key rotation's re-encryption job: same record, new ciphertext under the current primary key. */
    public void replaceDocumentCipher(byte[] cipher) {
        this.documentCipher = cipher.clone();
    }

    @Override
    public String toString() {
        return "TreatmentRecordEntity[" + id + "]";
    }
}
