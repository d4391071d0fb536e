package health.treatment.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key the trail trusts for checkpoints, with the period it signs in (see {@link AuditTrail#signingKeys()}).
 * Safe to publish: auditors pin these keys for the offline verifier ({@code --public-key}).
 *
 * @param keyId        first 16 hex digits of SHA-256 over the X.509 public key
 * @param publicKeyPem X.509 {@code PUBLIC KEY} PEM
 * @param validFrom    start of its period (the epoch for the first key a trail registered: it signed the trail
 *                     before the registry existed)
 * @param validUntil   end of its period; empty for the configured (current) key
 */
public record SigningKeyInfo(String keyId, String publicKeyPem, Instant validFrom, Optional<Instant> validUntil) {
    public SigningKeyInfo {
        if (keyId == null || !keyId.matches("[0-9a-f]{16}")) {
            throw new AuditException("signing key info: key id must be 16 lower-case hex digits");
        }
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
    }
}
