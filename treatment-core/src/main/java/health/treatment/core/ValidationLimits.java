package health.treatment.core;

/**
 * Resource limits applied while a document is streamed, before and independently of the schema.
 *
 * @param maxDocumentBytes largest accepted document in bytes (UTF-8 on the wire); the validator reads at most one byte more
 * @param maxDepth deepest accepted nesting of objects and arrays (the root object is depth 1; valid records need 3)
 * @param maxArrayItems largest accepted array, any array (the schema bounds each known array more tightly)
 * @param maxStringLength longest accepted string or property name in characters (the schema bounds each known field more tightly)
 */
public record ValidationLimits(int maxDocumentBytes, int maxDepth, int maxArrayItems, int maxStringLength) {

    /** 64 KiB, the default body limit of the HTTP API. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 65_536;

    /** Upper bound for {@link #maxDocumentBytes()}: the document is held in memory while it is bound. */
    public static final int MAX_DOCUMENT_BYTES_CEILING = 16 * 1024 * 1024;

    public ValidationLimits {
        if (maxDocumentBytes < 2 || maxDocumentBytes > MAX_DOCUMENT_BYTES_CEILING) {
            throw new TreatmentCoreException("maxDocumentBytes must be between 2 and " + MAX_DOCUMENT_BYTES_CEILING);
        }
        if (maxDepth < 1 || maxDepth > 1000) {
            throw new TreatmentCoreException("maxDepth must be between 1 and 1000");
        }
        if (maxArrayItems < 1) {
            throw new TreatmentCoreException("maxArrayItems must be positive");
        }
        if (maxStringLength < 1) {
            throw new TreatmentCoreException("maxStringLength must be positive");
        }
    }

    /**
     * 64 KiB documents, depth 8 (valid records need 3), 1000 items per array (the schema allows 500 observations) and
     * 4096 characters per string (the schema allows 2000 for notes).
     */
    public static ValidationLimits defaults() {
        return new ValidationLimits(DEFAULT_MAX_DOCUMENT_BYTES, 8, 1000, 4096);
    }

    /** A copy with another document size limit, e.g. the one configured for the HTTP API. */
    public ValidationLimits withMaxDocumentBytes(int bytes) {
        return new ValidationLimits(bytes, maxDepth, maxArrayItems, maxStringLength);
    }
}
