package health.treatment.core;

/**
 * Limits of a batch upload, on top of the per-record {@link ValidationLimits} each item is validated with.
 *
 * @param maxBatchBytes largest accepted batch body in bytes (UTF-8 on the wire); at most one byte more is read
 * @param maxItems most records in one batch
 */
public record BatchLimits(int maxBatchBytes, int maxItems) {

    /** 4 MiB, the default batch body limit of the HTTP API. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
    /** 1000 records per batch. */
    public static final int DEFAULT_MAX_ITEMS = 1000;

    public BatchLimits {
        if (maxBatchBytes < 2 || maxBatchBytes > 64 * 1024 * 1024) {
            throw new TreatmentCoreException("maxBatchBytes must be between 2 and 64 MiB");
        }
        if (maxItems < 1 || maxItems > 100_000) {
            throw new TreatmentCoreException("maxItems must be between 1 and 100000");
        }
    }

    public static BatchLimits defaults() {
        return new BatchLimits(DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_ITEMS);
    }
}
