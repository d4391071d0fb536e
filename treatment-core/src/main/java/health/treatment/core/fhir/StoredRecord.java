package health.treatment.core.fhir;

import health.treatment.core.TreatmentCoreException;
import health.treatment.core.TreatmentRecord;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A treatment record as the server stored it: the input of the FHIR mapping. PHI (the record holds identifiers);
 * {@link #toString()} relies on {@link TreatmentRecord#toString()}, which redacts them.
 *
 * @param recordId our id of the record; every FHIR id and resource identifier is derived from it, so the same record
 *     always maps to the same resources
 * @param receivedAt when the server stored the record ({@code Observation.issued})
 * @param record the validated record
 */
public record StoredRecord(String recordId, OffsetDateTime receivedAt, TreatmentRecord record) {

    public StoredRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(record, "record");
        if (recordId.isEmpty()) {
            throw new TreatmentCoreException("recordId must not be empty");
        }
    }

    /**
     * A stored record from its canonical JSON ({@link TreatmentRecord#toJson()}, what a store keeps), bound by
     * {@link TreatmentRecord#fromJson}.
     *
     * @throws TreatmentCoreException when the JSON is not a valid record (the message names no value)
     */
    public static StoredRecord fromJson(String recordId, OffsetDateTime receivedAt, String canonicalJson) {
        return new StoredRecord(recordId, receivedAt, TreatmentRecord.fromJson(canonicalJson));
    }
}
