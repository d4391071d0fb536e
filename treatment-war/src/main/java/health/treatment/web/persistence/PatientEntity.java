package health.treatment.web.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A patient known only by a keyed pseudonym; the identifier itself is stored encrypted. */
@Entity
@Table(name = "patient")
public class PatientEntity {

    @Id
    @Column(name = "patient_ref", length = 80, nullable = false, updatable = false)
    private String patientRef;

    @Column(name = "blind_index", length = 80, nullable = false, updatable = false)
    private String blindIndex;

    @Column(name = "identifier_cipher", nullable = false)
    private byte[] identifierCipher;

    @Column(name = "wrapped_data_key")
    private byte[] wrappedDataKey;

    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected PatientEntity() {
        // for JPA
    }

    public PatientEntity(String patientRef, String blindIndex, byte[] identifierCipher, byte[] wrappedDataKey,
                         OffsetDateTime createdAt) {
        this.patientRef = patientRef;
        this.blindIndex = blindIndex;
        this.identifierCipher = identifierCipher.clone();
        this.wrappedDataKey = wrappedDataKey == null ? null : wrappedDataKey.clone();
        this.createdAt = createdAt;
    }

    public String patientRef() {
        return patientRef;
    }

    public String blindIndex() {
        return blindIndex;
    }

    public byte[] identifierCipher() {
        return identifierCipher.clone();
    }

    /** The wrapped per-patient data key, or null once the patient's data has been crypto-shredded. */
    public byte[] wrappedDataKey() {
        return wrappedDataKey == null ? null : wrappedDataKey.clone();
    }

    /** Crypto-shredding: without this key the patient's records can no longer be decrypted, backups included. */
    public void destroyDataKey() {
        this.wrappedDataKey = null;
    }

    /** After an erasure: a fresh data key and the identifier encrypted under it. */
    public void rekey(byte[] identifierCipher, byte[] wrappedDataKey) {
        this.identifierCipher = identifierCipher.clone();
        this.wrappedDataKey = wrappedDataKey.clone();
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "PatientEntity[" + patientRef + "]";
    }
}
