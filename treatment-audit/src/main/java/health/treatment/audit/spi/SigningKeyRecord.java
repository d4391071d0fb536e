package health.treatment.audit.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the signing-key registry ({@code audit_signing_key}) exactly as stored. Stored rows prove nothing by
 * themselves: the trail trusts a row only when its endorsement verifies under a key it already trusts.
 *
 * @param keyId       key id the row claims (16 hex digits)
 * @param publicKey   base64 of the X.509 SubjectPublicKeyInfo
 * @param validFrom   start of the period the key signs checkpoints in
 * @param validUntil  end of that period; empty while the key is current
 * @param endorsedBy  key id of the key that signed {@code endorsement} (the key itself while current)
 * @param endorsement hex Ed25519 signature over the key endorsement message ({@code "TASK1" ...})
 */
public record SigningKeyRecord(
        String keyId,
        String publicKey,
        Instant validFrom,
        Optional<Instant> validUntil,
        String endorsedBy,
        String endorsement) {
    public SigningKeyRecord {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(endorsedBy, "endorsedBy");
        Objects.requireNonNull(endorsement, "endorsement");
    }
}
