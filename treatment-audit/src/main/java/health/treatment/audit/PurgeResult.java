package health.treatment.audit;

import java.util.Optional;

/**
 * @param purgedThroughSequence every event with a sequence up to this one is gone (0 when nothing was ever purged)
 * @param eventsDeleted         events deleted by this call
 * @param anchor                the signed purge checkpoint written by this call (empty when nothing was purged)
 */
public record PurgeResult(long purgedThroughSequence, long eventsDeleted, Optional<Checkpoint> anchor) {}
