package health.treatment.audit.internal;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.VerificationResult;
import health.treatment.audit.VerifyReasons;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Streaming chain check shared by the stored-trail verifier and the export verifier. Optionally set a trusted
 * checkpoint, then an anchor, then feed checkpoints and events in sequence order (a checkpoint may come before or
 * right after the event it covers), then call {@link #finish}. The first hard failure sticks; later input is ignored.
 * Tamper findings and staleness are soft: reported by {@link #finish} only when nothing else failed.
 */
public final class ChainVerifier {

    /** The action of a recorded tamper finding (see {@code AuditTrail#sealPending}). */
    public static final String TAMPER_ACTION = "audit.tamper_detected";

    /** Decides whether a checkpoint is signed by a trusted key within that key's period. */
    @FunctionalInterface
    public interface Trust {
        /** @return null when trusted, otherwise the reason code ({@code checkpoint_signature_invalid}, ...) */
        String check(Checkpoint c);
    }

    private final Trust trust;
    private long anchorSequence;
    private byte[] anchorHash = Canonical.GENESIS;
    private long lastSequence;
    private byte[] lastHash = Canonical.GENESIS;
    private long eventsChecked;
    private int checkpointsVerified;
    private long lastSignedSequence;
    private Instant lastSignedTime;
    private Instant oldestUnsigned;
    private long firstTamperFinding = -1;
    private final TreeMap<Long, Checkpoint> pending = new TreeMap<>();
    private long trustedSequence = -1;
    private byte[] trustedHash;
    private String trustedBelowAnchor;
    private boolean trustedReached;
    private VerificationResult failure;

    /** Trusts checkpoints whose signature verifies under {@code key}, whatever their key id and time. */
    public ChainVerifier(PublicKey key) {
        this(c -> c.verifySignature(key) ? null : VerifyReasons.CHECKPOINT_SIGNATURE_INVALID);
    }

    public ChainVerifier(Trust trust) {
        this.trust = trust;
    }

    /** Trusts each checkpoint under the key whose key id it names (offline verification with pinned keys). */
    public static Trust keyIds(Map<String, PublicKey> keysById) {
        return c -> {
            PublicKey key = keysById.get(c.keyId());
            return key != null && c.verifySignature(key) ? null : VerifyReasons.CHECKPOINT_SIGNATURE_INVALID;
        };
    }

    /**
     * The chain must contain {@code sequence} with exactly {@code hash}, and everything after it must chain from it.
     * Call before {@link #anchor}; the signature of the trusted checkpoint is the caller's to check.
     *
     * @param belowAnchorReason reported (at {@code sequence}) when the anchor lies above it
     */
    public void trusted(long sequence, byte[] hash, String belowAnchorReason) {
        this.trustedSequence = sequence;
        this.trustedHash = hash.clone();
        this.trustedBelowAnchor = belowAnchorReason;
    }

    /** Where the chain starts: (0, zeros) for a full chain; a purge checkpoint or an export's start line otherwise. */
    public void anchor(long sequence, byte[] hash) {
        this.anchorSequence = sequence;
        this.anchorHash = hash.clone();
        this.lastSequence = sequence;
        this.lastHash = hash.clone();
        if (trustedHash != null && failure == null && !trustedReached) {
            if (trustedSequence < sequence) {
                fail(trustedSequence, trustedBelowAnchor);
            } else if (trustedSequence == sequence) {
                reachTrusted(hash);
            }
        }
    }

    public long anchorSequence() {
        return anchorSequence;
    }

    /** Last sequence that chained correctly (the anchor's before any event). */
    public long lastSequence() {
        return lastSequence;
    }

    public boolean failed() {
        return failure != null;
    }

    public void checkpoint(Checkpoint c) {
        if (failure != null) {
            return;
        }
        String bad = trust.check(c);
        if (bad != null) {
            fail(c.sequence(), bad);
            return;
        }
        if (c.sequence() < anchorSequence) {
            return; // Older than the retained chain: nothing left to compare it with.
        }
        if (c.sequence() == anchorSequence && c.sequence() < lastSequence) {
            compare(c, anchorHash, false);
        } else if (c.sequence() == lastSequence) {
            compare(c, lastHash, true);
        } else if (c.sequence() > lastSequence) {
            pending.put(c.sequence(), c);
        } else {
            fail(c.sequence(), VerifyReasons.CHECKPOINT_OUT_OF_ORDER);
        }
    }

    /** True while a checkpoint above the last chained sequence waits for its event. */
    public boolean hasPendingCheckpoint() {
        return !pending.isEmpty();
    }

    private void compare(Checkpoint c, byte[] hash, boolean coversAllSoFar) {
        if (!MessageDigest.isEqual(Hex.decode(c.headHash()), hash)) {
            fail(c.sequence(), VerifyReasons.CHECKPOINT_MISMATCH);
            return;
        }
        checkpointsVerified++;
        if (c.sequence() > lastSignedSequence
                || lastSignedTime == null
                || (c.sequence() == lastSignedSequence && c.time().isAfter(lastSignedTime))) {
            lastSignedSequence = c.sequence();
            lastSignedTime = c.time();
        }
        if (coversAllSoFar) {
            oldestUnsigned = null;
        }
    }

    private void reachTrusted(byte[] hash) {
        if (MessageDigest.isEqual(trustedHash, hash)) {
            trustedReached = true;
        } else {
            fail(trustedSequence, VerifyReasons.TRUSTED_CHECKPOINT_MISMATCH);
        }
    }

    public void event(long sequence, String storedHash, AuditEvent event) {
        if (failure != null) {
            return;
        }
        long expected = lastSequence + 1;
        if (sequence != expected) {
            // A missing event (deleted, or a later one moved up) shows as a gap at the first missing number.
            fail(sequence > expected ? expected : sequence, VerifyReasons.SEQUENCE_GAP);
            return;
        }
        if (event == null) {
            fail(sequence, VerifyReasons.INVALID_EVENT);
            return;
        }
        byte[] computed = Canonical.chain(lastHash, event, sequence);
        eventsChecked++;
        if (!Hex.isHash(storedHash) || !MessageDigest.isEqual(computed, Hex.decode(storedHash))) {
            fail(sequence, VerifyReasons.HASH_MISMATCH);
            return;
        }
        lastSequence = sequence;
        lastHash = computed;
        if (oldestUnsigned == null || event.time().isBefore(oldestUnsigned)) {
            oldestUnsigned = event.time();
        }
        if (firstTamperFinding < 0 && TAMPER_ACTION.equals(event.action())) {
            firstTamperFinding = sequence;
        }
        if (trustedHash != null && !trustedReached && sequence == trustedSequence) {
            reachTrusted(computed);
            if (failure != null) {
                return;
            }
        }
        Checkpoint c = pending.remove(sequence);
        if (c != null) {
            compare(c, computed, true);
        }
    }

    /** An event whose fields no longer pass validation (edited into something the constructor rejects). */
    public void invalidEvent(long sequence) {
        if (failure == null) {
            fail(sequence, VerifyReasons.INVALID_EVENT);
        }
    }

    public void fail(long sequence, String reason) {
        if (failure == null) {
            failure = result(false, OptionalLong.of(sequence), reason);
        }
    }

    private VerificationResult result(boolean intact, OptionalLong bad, String reason) {
        return new VerificationResult(
                intact,
                eventsChecked,
                bad,
                reason,
                lastSequence,
                checkpointsVerified,
                lastSignedSequence,
                Optional.ofNullable(lastSignedTime),
                Optional.ofNullable(oldestUnsigned));
    }

    /**
     * @param expectedHeadSequence head recorded by the store outside the signed checkpoints (0 when unknown); used to
     *                             flag a truncated tail that no checkpoint covers yet
     */
    public VerificationResult finish(long expectedHeadSequence) {
        return finish(expectedHeadSequence, null, null);
    }

    /**
     * @param expectedHeadSequence see {@link #finish(long)}
     * @param oldestPending        time of the oldest event not yet in the chain (pending sealing), or null
     * @param staleBefore          an unsigned event older than this fails {@code unsigned_tail_stale}; null: no
     *                             freshness check
     */
    public VerificationResult finish(long expectedHeadSequence, Instant oldestPending, Instant staleBefore) {
        if (failure == null && !pending.isEmpty()) {
            // A signed checkpoint vouches for events that are no longer there.
            fail(lastSequence + 1, VerifyReasons.TRUNCATED);
        }
        if (failure == null && expectedHeadSequence > lastSequence) {
            fail(lastSequence + 1, VerifyReasons.TRUNCATED);
        }
        if (failure == null && trustedHash != null && !trustedReached) {
            fail(trustedSequence, VerifyReasons.TRUSTED_CHECKPOINT_MISSING);
        }
        if (oldestPending != null && (oldestUnsigned == null || oldestPending.isBefore(oldestUnsigned))) {
            oldestUnsigned = oldestPending;
        }
        if (failure == null && firstTamperFinding >= 0) {
            fail(firstTamperFinding, VerifyReasons.TAMPER_FINDING);
        }
        if (failure == null && staleBefore != null && oldestUnsigned != null && oldestUnsigned.isBefore(staleBefore)) {
            fail(lastSignedSequence + 1, VerifyReasons.UNSIGNED_TAIL_STALE);
        }
        if (failure != null) {
            return failure;
        }
        return result(true, OptionalLong.empty(), VerifyReasons.OK);
    }
}
