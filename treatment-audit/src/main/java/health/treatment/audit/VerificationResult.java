package health.treatment.audit;

import java.util.OptionalLong;

/**
 * Outcome of verifying a stored chain or an export.
 *
 * @param intact              true when no check failed
 * @param eventsChecked       events whose hash was recomputed
 * @param firstBadSequence    the first sequence number at which a check failed (absent when intact)
 * @param reasonCode          {@code ok}, {@code hash_mismatch}, {@code sequence_gap}, {@code checkpoint_mismatch},
 *                            {@code checkpoint_signature_invalid}, {@code checkpoint_out_of_order}, {@code truncated},
 *                            {@code invalid_event} or {@code malformed_export}
 * @param lastSequence        last sequence seen (the anchor's when there were no events)
 * @param checkpointsVerified checkpoints whose signature and head hash were checked
 * @param lastSignedSequence  highest sequence covered by a verified checkpoint; events after it are protected by the
 *                            chain only (an attacker with write access could rewrite them consistently)
 */
public record VerificationResult(boolean intact, long eventsChecked, OptionalLong firstBadSequence, String reasonCode,
                                 long lastSequence, int checkpointsVerified, long lastSignedSequence) {

    public VerificationResult {
        if (intact == firstBadSequence.isPresent()) {
            throw new AuditException("verification result: firstBadSequence must be present exactly when broken");
        }
        if (reasonCode == null || !reasonCode.matches("[a-z_]{1,40}")) {
            throw new AuditException("verification result: bad reason code");
        }
    }

    /** The four-component form from the original contract (counters unknown). */
    public VerificationResult(boolean intact, long eventsChecked, OptionalLong firstBadSequence, String reasonCode) {
        this(intact, eventsChecked, firstBadSequence, reasonCode, 0, 0, 0);
    }

    /** One human-readable line, as printed by the CLI. */
    public String summary() {
        if (intact) {
            return "INTACT: " + eventsChecked + " events, last sequence " + lastSequence + ", " + checkpointsVerified
                    + " checkpoints verified" + (lastSignedSequence < lastSequence
                    ? " (events after sequence " + lastSignedSequence + " not yet covered by a checkpoint)" : "");
        }
        return "BROKEN at sequence " + firstBadSequence.getAsLong() + ": " + reasonCode;
    }
}
