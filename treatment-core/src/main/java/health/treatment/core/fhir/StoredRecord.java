package health.treatment.core.fhir;

import health.treatment.core.TreatmentCoreException;
import health.treatment.core.TreatmentRecord;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationLimits;
import health.treatment.core.ValidationResult;
import java.nio.charset.StandardCharsets;
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

    /**
     * Binds stored canonical JSON back to a record. The byte limit is the ceiling, not the request limit: canonical
     * JSON escapes what the submission may have sent raw, so it can be a little longer than the accepted document.
     */
    private static final TreatmentValidator STORED = TreatmentValidator.create(
            ValidationLimits.defaults().withMaxDocumentBytes(ValidationLimits.MAX_DOCUMENT_BYTES_CEILING));

    public StoredRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(record, "record");
        if (recordId.isEmpty()) {
            throw new TreatmentCoreException("recordId must not be empty");
        }
    }

    /**
     * A stored record from its canonical JSON ({@link TreatmentRecord#toJson()}, what a store keeps).
     *
     * @throws TreatmentCoreException when the JSON is not a valid record (the message names no value)
     */
    public static StoredRecord fromJson(String recordId, OffsetDateTime receivedAt, String canonicalJson) {
        ValidationResult result = STORED.validate(canonicalJson.getBytes(StandardCharsets.UTF_8));
        if (!(result instanceof ValidationResult.Valid valid)) {
            throw new TreatmentCoreException("the stored JSON is not a valid treatment record");
        }
        return new StoredRecord(recordId, receivedAt, valid.record());
    }
}
