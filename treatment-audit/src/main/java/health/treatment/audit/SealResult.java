package health.treatment.audit;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link AuditTrail#sealPending()} run did.
 *
 * @param leader         false when another node holds the sealer lease (nothing was done)
 * @param sealed         events sealed in this run (tamper findings included)
 * @param headSequence   chain head after the run (as seen by this run; 0 when not leader)
 * @param checkpoints    the checkpoints signed in this run, ascending; once the run's transaction committed, hand
 *                       them to {@link AuditTrail#logCommittedCheckpoints}
 * @param tamperFindings sequences at which a tamper finding was sealed in place of a pending row that was not a valid
 *                       event (see {@link AuditTrail#sealPending()}), ascending
 */
public record SealResult(
        boolean leader, int sealed, long headSequence, List<Checkpoint> checkpoints, List<Long> tamperFindings) {

    public SealResult {
        checkpoints = List.copyOf(Objects.requireNonNull(checkpoints, "checkpoints"));
        tamperFindings = List.copyOf(Objects.requireNonNull(tamperFindings, "tamperFindings"));
    }

    public static SealResult notLeader() {
        return new SealResult(false, 0, 0, List.of(), List.of());
    }

    /** Signed checkpoints written in this run. */
    public int checkpointsWritten() {
        return checkpoints.size();
    }
}
