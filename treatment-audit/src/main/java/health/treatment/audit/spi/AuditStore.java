package health.treatment.audit.spi;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.SealedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Persistence of the trail. Implementations NEVER begin, commit or roll back transactions: every method runs in the
 * caller's current transaction (JTA in the WAR, resource-local in tests), so the outbox insert commits or rolls back
 * with the clinical write. Failures are reported as {@link health.treatment.audit.AuditException}.
 */
public interface AuditStore {

    /** Inserts one pending (unsealed) event. Must not read or lock the chain head (request-time path). */
    void append(AuditEvent event);

    /** Inserts pending events, in one batch where the store can; the default appends one by one. */
    default void appendAll(List<AuditEvent> events) {
        for (AuditEvent event : events) {
            append(event);
        }
    }

    /** Reads the chain-state row with a pessimistic write lock held until the caller's transaction ends. */
    ChainState lockChainState();

    /** Reads the chain-state row without locking. */
    ChainState readChainState();

    /** Writes the chain-state row previously locked with {@link #lockChainState()}. */
    void saveChainState(ChainState state);

    /**
     * Up to {@code limit} unsealed events, oldest insertion first. A row that does not form a valid event is returned
     * as {@link PendingEvent#invalid} in its place (never an exception: one bad row must not stop sealing).
     */
    List<PendingEvent> unsealed(int limit);

    /** Event time of the oldest pending (unsealed) row by insertion order; empty when none is pending. */
    Optional<Instant> oldestPendingTime();

    /** Assigns the chain positions of pending events (one batch of a seal run, in sequence order). */
    void seal(List<SealedPosition> positions);

    /**
     * Writes events straight into the chain at the given positions (in sequence order), without a pending row: for
     * {@link health.treatment.audit.AuditTrail#appendSealed}, which holds the chain-state lock.
     */
    void appendSealed(List<SealedEvent> events);

    void saveCheckpoint(Checkpoint checkpoint);

    /**
     * All stored checkpoints ordered by sequence (periodic before purge at equal sequence). Unbounded: the trail
     * itself never calls it (it pages with {@link #checkpointsAfter}); for tests and tools on small trails.
     */
    List<Checkpoint> checkpoints();

    /**
     * Up to {@code limit} checkpoints with {@code sequence > afterSequence}, ordered by sequence (periodic before
     * purge at equal sequence). Must be an indexed read (no scan of all checkpoints).
     */
    List<Checkpoint> checkpointsAfter(long afterSequence, int limit);

    /** The checkpoint with the highest sequence (purge after periodic at equal sequence); indexed. */
    Optional<Checkpoint> latestCheckpoint();

    /** The checkpoint of that kind with the highest sequence; indexed. */
    Optional<Checkpoint> latestCheckpoint(Checkpoint.Kind kind);

    /** Sealed events with {@code sequence >= fromSequence} (and {@code <= toSequence}), ascending, at most limit. */
    List<SealedEvent> sealedRange(long fromSequence, long toSequence, int limit);

    /** Sealed events with time in [from, to) and sequence greater than {@code afterSequence}, ascending. */
    List<SealedEvent> sealedByTime(Instant from, Instant to, long afterSequence, int limit);

    /** Smallest and largest sealed sequence with time in [from, to); empty when none. */
    OptionalLong minSequence(Instant from, Instant to);

    OptionalLong maxSequence(Instant from, Instant to);

    Optional<SealedEvent> sealedAt(long sequence);

    /** Smallest and largest sealed sequence overall; empty when none (indexed: the sequence is the key). */
    OptionalLong firstSealedSequence();

    OptionalLong lastSealedSequence();

    /** Deletes sealed events with {@code sequence <= through}; returns how many. */
    long deleteSealedThrough(long through);

    /** Deletes checkpoints with {@code sequence <= through}, except the given one. */
    void deleteCheckpointsThrough(long through, Checkpoint keep);

    /**
     * Every row of the signing-key registry (a handful: keys rotate rarely), as stored. A row that cannot even be
     * read into a {@link SigningKeyRecord} (NULL where none belongs) is left out.
     */
    List<SigningKeyRecord> signingKeys();

    /** The registry row of that key id, if any (primary-key read). */
    Optional<SigningKeyRecord> signingKey(String keyId);

    /** Inserts a registry row. */
    void insertSigningKey(SigningKeyRecord key);

    /** Replaces the validity and endorsement of the registry row with {@code key.keyId()}. */
    void updateSigningKey(SigningKeyRecord key);
}
