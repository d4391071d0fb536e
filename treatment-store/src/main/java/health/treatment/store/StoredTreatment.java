package health.treatment.store;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A stored record, decrypted: PHI. Never log it; {@link #toString()} redacts the document.
 *
 * @param id the record id
 * @param machineId the submitting machine
 * @param receivedAt when the server stored it
 * @param canonicalJson the record as canonical JSON ({@link health.treatment.core.TreatmentRecord#toJson()})
 */
public record StoredTreatment(String id, String machineId, OffsetDateTime receivedAt, String canonicalJson) {
    public StoredTreatment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(canonicalJson, "canonicalJson");
    }

    @Override
    public String toString() {
        return "StoredTreatment[id=" + id + ", machineId=" + machineId + ", receivedAt=" + receivedAt
                + ", record=redacted]";
    }
}
