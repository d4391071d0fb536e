package health.treatment.audit;

import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.ChainVerifier;
import health.treatment.audit.internal.Ed25519;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.internal.Pem;
import health.treatment.audit.spi.SigningKeyRecord;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a trail trusts for checkpoints, derived from the configured key and the registry rows (never from a row
 * alone). Trust rule:
 * <ul>
 *   <li>the configured key is trusted, for checkpoints of any time (it is the root of trust: whoever holds it can sign
 *       anything anyway, and trails older than the registry were signed by it before any row existed);</li>
 *   <li>a registered key is trusted when its row's endorsement verifies under an already trusted key (a fixpoint:
 *       key3 vouches for key2, which vouched for key1), the row names a closed period that ended no later than the
 *       endorser's period began (a key only vouches for keys retired by the time it took over, so a leaked retired
 *       key cannot vouch for a new one that signs "now"), and its key id is the id of its public key. Its checkpoints
 *       count only when their time lies within [valid_from, valid_until].</li>
 * </ul>
 */
final class SigningKeys implements ChainVerifier.Trust {

    private record Trusted(String keyId, PublicKey key, Instant from, Instant until) {}

    private final Map<String, Trusted> trusted;

    private SigningKeys(Map<String, Trusted> trusted) {
        this.trusted = trusted;
    }

    static SigningKeys resolve(AuditSigningKey configured, List<SigningKeyRecord> rows) {
        Map<String, Trusted> trusted = new LinkedHashMap<>();
        Instant configuredFrom = Instant.EPOCH;
        for (SigningKeyRecord r : rows) {
            if (r.keyId().equals(configured.keyId()) && isCurrentSelfEndorsed(r, configured.publicKey())) {
                configuredFrom = r.validFrom();
            }
        }
        trusted.put(configured.keyId(), new Trusted(configured.keyId(), configured.publicKey(), configuredFrom, null));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (SigningKeyRecord r : rows) {
                if (trusted.containsKey(r.keyId())
                        || r.endorsedBy().equals(r.keyId())
                        || r.validUntil().isEmpty()) {
                    continue;
                }
                Trusted by = trusted.get(r.endorsedBy());
                Instant until = r.validUntil().get();
                if (by == null || until.isAfter(by.from()) || r.validFrom().isAfter(until)) {
                    continue;
                }
                PublicKey key = decode(r.publicKey());
                if (key == null || !Pem.keyId(key).equals(r.keyId()) || !endorses(by.key(), r, key)) {
                    continue;
                }
                trusted.put(r.keyId(), new Trusted(r.keyId(), key, r.validFrom(), until));
                grew = true;
            }
        }
        return new SigningKeys(trusted);
    }

    /** The row of a current key that endorses itself (its id, its public key, no end, its own valid signature). */
    static boolean isCurrentSelfEndorsed(SigningKeyRecord r, PublicKey expected) {
        PublicKey key = decode(r.publicKey());
        return key != null
                && r.validUntil().isEmpty()
                && r.endorsedBy().equals(r.keyId())
                && Pem.keyId(key).equals(r.keyId())
                && (expected == null || key.equals(expected))
                && endorses(key, r, key);
    }

    @Override
    public String check(Checkpoint c) {
        Trusted t = trusted.get(c.keyId());
        if (t == null || !c.verifySignature(t.key())) {
            return VerifyReasons.CHECKPOINT_SIGNATURE_INVALID;
        }
        if (t.until() != null && (c.time().isBefore(t.from()) || c.time().isAfter(t.until()))) {
            return VerifyReasons.CHECKPOINT_OUTSIDE_KEY_VALIDITY;
        }
        return null;
    }

    List<SigningKeyInfo> infos() {
        List<SigningKeyInfo> out = new ArrayList<>();
        for (Trusted t : trusted.values()) {
            out.add(new SigningKeyInfo(
                    t.keyId(),
                    Pem.encode("PUBLIC KEY", t.key().getEncoded()),
                    t.from(),
                    Optional.ofNullable(t.until())));
        }
        out.sort(Comparator.comparing(SigningKeyInfo::validFrom)
                .thenComparing(i -> i.validUntil().isEmpty())
                .thenComparing(SigningKeyInfo::keyId));
        return out;
    }

    static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    static byte[] message(SigningKeyRecord r, PublicKey key) {
        return Canonical.keyEndorsementMessage(
                r.keyId(), key.getEncoded(), r.validFrom(), r.validUntil().orElse(null));
    }

    /** A row for {@code keyId}'s public key and period, endorsed by {@code endorser}. */
    static SigningKeyRecord endorsed(
            String keyId, PublicKey key, Instant from, Optional<Instant> until, AuditSigningKey endorser) {
        byte[] message = Canonical.keyEndorsementMessage(keyId, key.getEncoded(), from, until.orElse(null));
        return new SigningKeyRecord(
                keyId, base64(key), from, until, endorser.keyId(), Hex.encode(endorser.sign(message)));
    }

    private static boolean endorses(PublicKey endorser, SigningKeyRecord r, PublicKey key) {
        return Ed25519.verifies(endorser, message(r, key), r.endorsement());
    }

    static PublicKey decode(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
