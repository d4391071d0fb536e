package health.treatment.audit.spi;

import java.time.Instant;

/**
 * The single chain-state row: the sealer lease and the chain head. Only read for update by the sealer and the purge,
 * never at request time.
 *
 * @param leaseHolder          node id holding the sealer lease, or null
 * @param leaseExpires         when the lease lapses
 * @param headSequence         last sealed sequence (0 = empty chain)
 * @param headHash             hex hash at {@code headSequence} (64 zeros for the empty chain)
 * @param checkpointSequence   sequence of the last periodic checkpoint
 * @param checkpointTime       time of the last periodic checkpoint
 */
public record ChainState(
        String leaseHolder,
        Instant leaseExpires,
        long headSequence,
        String headHash,
        long checkpointSequence,
        Instant checkpointTime) {}
