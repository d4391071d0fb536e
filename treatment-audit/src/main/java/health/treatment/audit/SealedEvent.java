package health.treatment.audit;

import health.treatment.audit.internal.Hex;
import java.util.Objects;

/**
 * An event with its place in the chain.
 *
 * @param sequence gap-free position, from 1
 * @param hash     hex SHA-256 chain hash as stored (not re-verified by the read that produced it)
 * @param event    the event
 */
public record SealedEvent(long sequence, String hash, AuditEvent event) {
    public SealedEvent {
        if (sequence < 1) {
            throw new AuditException("sealed event: sequence must be >= 1");
        }
        // A malformed stored hash is tampering the verifier must report, so only null is rejected here.
        if (hash == null) {
            throw new AuditException("sealed event: hash is required");
        }
        Objects.requireNonNull(event, "event");
    }

    /** True when the stored hash has the canonical form (lower-case hex, 32 bytes). */
    public boolean hasWellFormedHash() {
        return Hex.isHash(hash);
    }
}
