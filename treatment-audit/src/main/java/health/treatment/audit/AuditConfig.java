package health.treatment.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable trail configuration (the WAR builds it from MicroProfile Config; this library reads no configuration).
 *
 * @param nodeId                this node's id (lease holder name), {@code [A-Za-z0-9_.-]{1,64}}
 * @param signingKey            checkpoint signing key (the trail's root of trust, see {@link AuditTrail#verify})
 * @param checkpointEveryEvents sign a checkpoint at least every N sealed events
 * @param checkpointInterval    ... or when this much time passed since the last one and new events were sealed
 * @param leaseDuration         how long a sealer keeps leadership without renewing (renewed on every seal run); run
 *                              the sealer job more often than this
 * @param sealBatchSize         most events sealed per {@link AuditTrail#sealPending()} call (bounds transaction size)
 * @param clock                 time source (server time); also "now" for the freshness check of verification
 * @param staleAfterIntervals   {@link AuditTrail#verify} fails ({@code unsigned_tail_stale}) when an event older than
 *                              this many checkpoint intervals is not covered by a signed checkpoint; 1..10000
 */
public record AuditConfig(
        String nodeId,
        AuditSigningKey signingKey,
        int checkpointEveryEvents,
        Duration checkpointInterval,
        Duration leaseDuration,
        int sealBatchSize,
        Clock clock,
        int staleAfterIntervals) {

    /** Default of {@link #staleAfterIntervals()}. */
    public static final int DEFAULT_STALE_AFTER_INTERVALS = 3;

    public AuditConfig {
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new AuditException("audit config: nodeId must match [A-Za-z0-9_.-]{1,64}");
        }
        Objects.requireNonNull(signingKey, "signingKey");
        if (checkpointEveryEvents < 1) {
            throw new AuditException("audit config: checkpointEveryEvents must be >= 1");
        }
        if (checkpointInterval == null || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new AuditException("audit config: checkpointInterval must be positive");
        }
        if (leaseDuration == null || leaseDuration.isNegative() || leaseDuration.isZero()) {
            throw new AuditException("audit config: leaseDuration must be positive");
        }
        if (sealBatchSize < 1 || sealBatchSize > 100_000) {
            throw new AuditException("audit config: sealBatchSize must be 1..100000");
        }
        Objects.requireNonNull(clock, "clock");
        if (staleAfterIntervals < 1 || staleAfterIntervals > 10_000) {
            throw new AuditException("audit config: staleAfterIntervals must be 1..10000");
        }
        try {
            checkpointInterval.multipliedBy(staleAfterIntervals);
        } catch (ArithmeticException e) {
            throw new AuditException("audit config: checkpointInterval times staleAfterIntervals is too long");
        }
    }

    /** The form without {@code staleAfterIntervals} (it defaults to {@value #DEFAULT_STALE_AFTER_INTERVALS}). */
    public AuditConfig(
            String nodeId,
            AuditSigningKey signingKey,
            int checkpointEveryEvents,
            Duration checkpointInterval,
            Duration leaseDuration,
            int sealBatchSize,
            Clock clock) {
        this(
                nodeId,
                signingKey,
                checkpointEveryEvents,
                checkpointInterval,
                leaseDuration,
                sealBatchSize,
                clock,
                DEFAULT_STALE_AFTER_INTERVALS);
    }

    /**
     * Defaults: checkpoint every 1000 events or 60 s, 30 s lease, 1000 events per seal run, system UTC clock, stale
     * after 3 intervals (180 s).
     */
    public static AuditConfig defaults(String nodeId, AuditSigningKey signingKey) {
        return new AuditConfig(
                nodeId,
                signingKey,
                1000,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                1000,
                Clock.systemUTC(),
                DEFAULT_STALE_AFTER_INTERVALS);
    }

    /** This configuration with another {@link #staleAfterIntervals()}. */
    public AuditConfig withStaleAfterIntervals(int intervals) {
        return new AuditConfig(
                nodeId,
                signingKey,
                checkpointEveryEvents,
                checkpointInterval,
                leaseDuration,
                sealBatchSize,
                clock,
                intervals);
    }

    /** How old an event may get without a signed checkpoint covering it: checkpointInterval x staleAfterIntervals. */
    public Duration staleAfter() {
        return checkpointInterval.multipliedBy(staleAfterIntervals);
    }
}
