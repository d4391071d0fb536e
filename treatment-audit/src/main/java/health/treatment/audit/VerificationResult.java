package health.treatment.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Outcome of verifying a stored chain ({@link AuditTrail#verify(Optional)}) or an export ({@link AuditVerifier}).
 *
 * <p>The reason codes and what each means are {@link VerifyReasons}; {@code firstBadSequence} is where the check
 * failed.
 *
 * @param intact                  true when no check failed
 * @param eventsChecked           events whose hash was recomputed
 * @param firstBadSequence        where a check failed (absent when intact)
 * @param reasonCode              one of {@link VerifyReasons}
 * @param lastSequence            last sequence seen (the anchor's when there were no events)
 * @param checkpointsVerified     checkpoints whose signature and head hash were checked
 * @param lastSignedSequence      highest sequence covered by a verified checkpoint; events after it are protected by
 *                                the chain only (an attacker with write access could rewrite them consistently)
 * @param lastSignedTime          time of the verified checkpoint at {@code lastSignedSequence} (empty when none)
 * @param oldestUnsignedEventTime oldest event time among the events no verified checkpoint covers (for the stored
 *                                chain including events still pending sealing); empty when every event is signed.
 *                                When a check failed, as far as verification got.
 */
public record VerificationResult(
        boolean intact,
        long eventsChecked,
        OptionalLong firstBadSequence,
        String reasonCode,
        long lastSequence,
        int checkpointsVerified,
        long lastSignedSequence,
        Optional<Instant> lastSignedTime,
        Optional<Instant> oldestUnsignedEventTime) {

    public VerificationResult {
        Objects.requireNonNull(firstBadSequence, "firstBadSequence");
        if (intact == firstBadSequence.isPresent()) {
            throw new AuditException("verification result: firstBadSequence must be present exactly when broken");
        }
        if (reasonCode == null || !reasonCode.matches("[a-z_]{1,40}")) {
            throw new AuditException("verification result: bad reason code");
        }
        Objects.requireNonNull(lastSignedTime, "lastSignedTime");
        Objects.requireNonNull(oldestUnsignedEventTime, "oldestUnsignedEventTime");
    }

    /** The form before freshness was reported (times unknown). */
    public VerificationResult(
            boolean intact,
            long eventsChecked,
            OptionalLong firstBadSequence,
            String reasonCode,
            long lastSequence,
            int checkpointsVerified,
            long lastSignedSequence) {
        this(
                intact,
                eventsChecked,
                firstBadSequence,
                reasonCode,
                lastSequence,
                checkpointsVerified,
                lastSignedSequence,
                Optional.empty(),
                Optional.empty());
    }

    /** The four-component form from the original contract (counters unknown). */
    public VerificationResult(boolean intact, long eventsChecked, OptionalLong firstBadSequence, String reasonCode) {
        this(intact, eventsChecked, firstBadSequence, reasonCode, 0, 0, 0);
    }

    /** One human-readable line, as printed by the CLI. */
    public String summary() {
        if (intact) {
            return "INTACT: " + eventsChecked + " events, last sequence " + lastSequence + ", " + checkpointsVerified
                    + " checkpoints verified"
                    + (lastSignedSequence < lastSequence
                            ? " (events after sequence " + lastSignedSequence + " not yet covered by a checkpoint)"
                            : "");
        }
        return "BROKEN at sequence " + firstBadSequence.getAsLong() + ": " + reasonCode;
    }
}
