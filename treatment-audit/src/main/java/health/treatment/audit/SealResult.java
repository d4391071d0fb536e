package health.treatment.audit;

/**
 * What one {@link AuditTrail#sealPending()} run did.
 *
 * @param leader             false when another node holds the sealer lease (nothing was done)
 * @param sealed             events sealed in this run
 * @param headSequence       chain head after the run (as seen by this run; 0 when not leader)
 * @param checkpointsWritten signed checkpoints written in this run
 */
public record SealResult(boolean leader, int sealed, long headSequence, int checkpointsWritten) {
    public static SealResult notLeader() {
        return new SealResult(false, 0, 0, 0);
    }
}
