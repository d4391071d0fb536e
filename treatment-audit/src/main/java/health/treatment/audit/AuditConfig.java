package health.treatment.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable trail configuration (the WAR builds it from MicroProfile Config; this library reads no configuration).
 *
 * @param nodeId                this node's id (lease holder name), {@code [A-Za-z0-9_.-]{1,64}}
 * @param signingKey            checkpoint signing key
 * @param checkpointEveryEvents sign a checkpoint at least every N sealed events
 * @param checkpointInterval    ... or when this much time passed since the last one and new events were sealed
 * @param leaseDuration         how long a sealer keeps leadership without renewing (renewed on every seal run); run
 *                              the sealer job more often than this
 * @param sealBatchSize         most events sealed per {@link AuditTrail#sealPending()} call (bounds transaction size)
 * @param clock                 time source (server time)
 */
public record AuditConfig(String nodeId, AuditSigningKey signingKey, int checkpointEveryEvents,
                          Duration checkpointInterval, Duration leaseDuration, int sealBatchSize, Clock clock) {

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
    }

    /** Defaults: checkpoint every 1000 events or 60 s, 30 s lease, 1000 events per seal run, system UTC clock. */
    public static AuditConfig defaults(String nodeId, AuditSigningKey signingKey) {
        return new AuditConfig(nodeId, signingKey, 1000, Duration.ofSeconds(60), Duration.ofSeconds(30), 1000,
                Clock.systemUTC());
    }
}
