package health.treatment.core;

import health.treatment.core.internal.BatchReader;
import health.treatment.core.internal.ValidationEngine;
import java.io.InputStream;

/**
 * Validates treatment record documents against {@link TreatmentSchema} and the cross-field rules, in one streaming pass.
 *
 * <p>Immutable and thread-safe: create once (loading the schema costs milliseconds) and share. {@code validate} never
 * throws for a bad document: every problem is reported as a {@link Violation} in {@link ValidationResult.Invalid}, with
 * messages that never contain submitted values. It throws {@link TreatmentCoreException} only when the caller's stream
 * fails with an I/O error, and {@link NullPointerException} for a null argument.
 *
 * <p>Input must be UTF-8 JSON. At most {@code limits().maxDocumentBytes() + 1} bytes are read from a stream; a larger
 * document yields the single violation {@link ViolationCodes#DOCUMENT_TOO_LARGE}. The stream is not closed.
 */
public final class TreatmentValidator {

    private final ValidationEngine engine;
    private final ValidationEngine batchItems;

    private TreatmentValidator(ValidationLimits limits) {
        this.engine = new ValidationEngine(limits);
        this.batchItems = new ValidationEngine(limits, TreatmentSchema.batchItemJson());
    }

    public static TreatmentValidator create(ValidationLimits limits) {
        return new TreatmentValidator(limits);
    }

    /** A validator with {@link ValidationLimits#defaults()}. */
    public static TreatmentValidator createDefault() {
        return create(ValidationLimits.defaults());
    }

    public ValidationResult validate(InputStream document) {
        return engine.validate(document);
    }

    public ValidationResult validate(byte[] document) {
        return engine.validate(document);
    }

    /**
     * Validates a batch upload: a JSON array of at most {@code limits.maxItems()} records (each may carry an
     * {@code idempotency_key} member, see {@link TreatmentSchema#batchItemJson()}), at most
     * {@code limits.maxBatchBytes()} bytes. Each item is validated as a document of its own, with this validator's
     * limits, and gets its own result; a body that is not such an array is refused as a whole. Never throws for a bad
     * body; reads at most {@code maxBatchBytes + 1} bytes and does not close the stream.
     *
     * @throws TreatmentCoreException only when the caller's stream fails with an I/O error
     */
    public BatchValidation validateBatch(InputStream body, BatchLimits limits) {
        return new BatchReader(batchItems, limits).read(body);
    }

    public ValidationLimits limits() {
        return engine.limits();
    }

    @Override
    public String toString() {
        return "TreatmentValidator[schema=" + TreatmentSchema.ID + ", limits=" + engine.limits() + "]";
    }
}
