package health.treatment.store;

/** What a read found; the read has been audited (committed) when it returns. */
public sealed interface ReadOutcome {

    /** The record, decrypted. */
    record Found(StoredTreatment treatment) implements ReadOutcome {}

    /** No record with that id. */
    record NotFound() implements ReadOutcome {}

    /**
     * The record exists but cannot be decrypted: its patient's data key was destroyed (erasure) or the stored bytes
     * were altered. Nothing is returned; to the client it is as gone as an unknown record.
     */
    record Unreadable() implements ReadOutcome {}
}
