package health.treatment.store.internal;

/** What a writer did with one {@link Pending} write. */
public sealed interface WriteResult {

    /** The record (or the audit event alone, then {@code recordId} is null) committed. */
    record Written(String recordId) implements WriteResult {}

    /** Nothing written: this client's idempotency key already names {@code recordId}. */
    record KeyExists(String recordId) implements WriteResult {}

    /** Nothing known to be written: the database failed or the store is closing. */
    record Failed(Throwable cause) implements WriteResult {}
}
