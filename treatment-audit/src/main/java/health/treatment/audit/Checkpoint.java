package health.treatment.audit;

import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.Hex;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A signed statement "the chain up to {@code sequence} has head hash {@code headHash}" made at {@code time}.
 * A {@link Kind#PURGE} checkpoint additionally means "events 1..sequence were deleted by retention"; verification of
 * the remainder starts from it.
 *
 * <p>Security guarantee: with Ed25519 (JDK), a checkpoint that verifies under the trail's public key was produced by the
 * holder of the private key; no one else can forge one, so edits, deletions and truncations at or before the latest
 * checkpoint are detectable even by someone who can rewrite the whole database. The signed message is
 * {@code "TACP1" || kind || sequence || headHash || time} (see {@code Canonical}).
 *
 * @param sequence  last sequence covered (0 = empty chain)
 * @param headHash  hex SHA-256 chain hash at {@code sequence}
 * @param time      when it was signed (microsecond precision)
 * @param kind      periodic or purge anchor
 * @param keyId     first 16 hex digits of SHA-256 over the X.509 public key
 * @param signature hex Ed25519 signature (64 bytes)
 */
public record Checkpoint(long sequence, String headHash, Instant time, Kind kind, String keyId, String signature) {

    public enum Kind {
        PERIODIC, PURGE;

        public String code() {
            return this == PERIODIC ? "periodic" : "purge";
        }

        public static Kind fromCode(String code) {
            return switch (code) {
                case "periodic" -> PERIODIC;
                case "purge" -> PURGE;
                default -> throw new AuditException("unknown checkpoint kind");
            };
        }
    }

    public Checkpoint {
        if (sequence < 0) {
            throw new AuditException("checkpoint: sequence must be >= 0");
        }
        if (!Hex.isHash(headHash)) {
            throw new AuditException("checkpoint: head hash must be 64 lower-case hex digits");
        }
        Objects.requireNonNull(time, "time");
        time = time.truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(kind, "kind");
        if (keyId == null || !keyId.matches("[0-9a-f]{16}")) {
            throw new AuditException("checkpoint: key id must be 16 lower-case hex digits");
        }
        if (signature == null || !signature.matches("[0-9a-f]{1,256}")) {
            throw new AuditException("checkpoint: signature must be lower-case hex");
        }
    }

    /** The exact bytes the signature covers. */
    public byte[] signedMessage() {
        return Canonical.checkpointMessage(kind, sequence, Hex.decode(headHash), time);
    }

    /**
     * True when the signature verifies under {@code key}. Never throws for a bad signature (returns false); a key that
     * is not Ed25519 also yields false.
     */
    public boolean verifySignature(PublicKey key) {
        try {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(key);
            sig.update(signedMessage());
            return sig.verify(Hex.decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
