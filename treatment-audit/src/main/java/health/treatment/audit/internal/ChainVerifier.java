package health.treatment.audit.internal;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.VerificationResult;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Streaming chain check shared by the stored-trail verifier and the export verifier. Feed an anchor, then checkpoints
 * and events in sequence order (a checkpoint may come before or right after the event it covers), then call
 * {@link #finish()}. The first failure sticks; later input is ignored.
 */
public final class ChainVerifier {
    private final PublicKey key;
    private long anchorSequence;
    private byte[] anchorHash = Canonical.GENESIS;
    private long lastSequence;
    private byte[] lastHash = Canonical.GENESIS;
    private long eventsChecked;
    private int checkpointsVerified;
    private long lastSignedSequence;
    private final TreeMap<Long, Checkpoint> pending = new TreeMap<>();
    private VerificationResult failure;

    public ChainVerifier(PublicKey key) {
        this.key = key;
    }

    /** Where the chain starts: (0, zeros) for a full chain; a purge checkpoint or an export's start line otherwise. */
    public void anchor(long sequence, byte[] hash) {
        this.anchorSequence = sequence;
        this.anchorHash = hash.clone();
        this.lastSequence = sequence;
        this.lastHash = hash.clone();
    }

    public long anchorSequence() {
        return anchorSequence;
    }

    public boolean failed() {
        return failure != null;
    }

    public void checkpoint(Checkpoint c) {
        if (failure != null) {
            return;
        }
        if (!c.verifySignature(key)) {
            fail(c.sequence(), "checkpoint_signature_invalid");
            return;
        }
        if (c.sequence() < anchorSequence) {
            return; // Older than the retained chain: nothing left to compare it with.
        }
        if (c.sequence() == anchorSequence && c.sequence() < lastSequence) {
            compare(c, anchorHash);
        } else if (c.sequence() == lastSequence) {
            compare(c, lastHash);
        } else if (c.sequence() > lastSequence) {
            pending.put(c.sequence(), c);
        } else {
            fail(c.sequence(), "checkpoint_out_of_order");
        }
    }

    private void compare(Checkpoint c, byte[] hash) {
        if (!MessageDigest.isEqual(Hex.decode(c.headHash()), hash)) {
            fail(c.sequence(), "checkpoint_mismatch");
            return;
        }
        checkpointsVerified++;
        lastSignedSequence = Math.max(lastSignedSequence, c.sequence());
    }

    public void event(long sequence, String storedHash, AuditEvent event) {
        if (failure != null) {
            return;
        }
        long expected = lastSequence + 1;
        if (sequence != expected) {
            // A missing event (deleted, or a later one moved up) shows as a gap at the first missing number.
            fail(sequence > expected ? expected : sequence, "sequence_gap");
            return;
        }
        if (event == null) {
            fail(sequence, "invalid_event");
            return;
        }
        byte[] computed = Canonical.chain(lastHash, event, sequence);
        eventsChecked++;
        if (!Hex.isHash(storedHash) || !MessageDigest.isEqual(computed, Hex.decode(storedHash))) {
            fail(sequence, "hash_mismatch");
            return;
        }
        lastSequence = sequence;
        lastHash = computed;
        Checkpoint c = pending.remove(sequence);
        if (c != null) {
            compare(c, computed);
        }
    }

    /** An event whose fields no longer pass validation (edited into something the constructor rejects). */
    public void invalidEvent(long sequence) {
        if (failure == null) {
            fail(sequence, "invalid_event");
        }
    }

    public void fail(long sequence, String reason) {
        if (failure == null) {
            failure = new VerificationResult(false, eventsChecked, OptionalLong.of(sequence), reason, lastSequence,
                    checkpointsVerified, lastSignedSequence);
        }
    }

    /**
     * @param expectedHeadSequence head recorded by the store outside the signed checkpoints (0 when unknown); used to
     *                             flag a truncated tail that no checkpoint covers yet
     */
    public VerificationResult finish(long expectedHeadSequence) {
        if (failure == null && !pending.isEmpty()) {
            // A signed checkpoint vouches for events that are no longer there.
            fail(lastSequence + 1, "truncated");
        }
        if (failure == null && expectedHeadSequence > lastSequence) {
            fail(lastSequence + 1, "truncated");
        }
        if (failure != null) {
            return failure;
        }
        return new VerificationResult(true, eventsChecked, OptionalLong.empty(), "ok", lastSequence,
                checkpointsVerified, lastSignedSequence);
    }
}
