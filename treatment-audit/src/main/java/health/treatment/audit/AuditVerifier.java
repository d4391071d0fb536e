package health.treatment.audit;

import health.treatment.audit.internal.ChainVerifier;
import health.treatment.audit.internal.ExportReader;
import health.treatment.audit.internal.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Offline verification of an NDJSON export (see {@link AuditTrail#export}) with only the JDK and the trail's public
 * key(s). Detects edited, deleted, inserted and reordered event lines at the first affected sequence, checkpoints not
 * signed by a given key, and a tail cut below a checkpoint the export still contains. Events after the last
 * checkpoint in the export are protected by the hash chain only ({@link VerificationResult#lastSignedSequence()});
 * a trusted checkpoint kept from earlier extends that protection (see
 * {@link #verifyExport(InputStream, Collection, Optional)}). Freshness ({@code unsigned_tail_stale}) is not judged
 * offline: "now" is not known reliably there; the server-side {@link AuditTrail#verify(Optional)} judges it.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /**
     * @throws IOException only when reading the stream fails; malformed content yields a broken result
     *                     ({@code malformed_export}), never an exception
     */
    public static VerificationResult verifyExport(InputStream ndjson, PublicKey key) throws IOException {
        return ExportReader.verify(ndjson, key);
    }

    /**
     * Verifies an export against pinned public keys (each checkpoint is checked with the key whose key id it names;
     * unknown key id: {@code checkpoint_signature_invalid}; key periods are not known offline) and, optionally, a
     * checkpoint the auditor kept: it must verify under one of the keys ({@code trusted_checkpoint_invalid}
     * otherwise), and the export must contain its sequence with exactly its head hash (as an event, or as the start
     * line) and chain on from it; otherwise broken at that sequence ({@code trusted_checkpoint_mismatch},
     * {@code trusted_checkpoint_missing}).
     *
     * @throws IOException only when reading the stream fails
     */
    public static VerificationResult verifyExport(
            InputStream ndjson, Collection<PublicKey> keys, Optional<Checkpoint> trusted) throws IOException {
        Objects.requireNonNull(trusted, "trusted");
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (PublicKey k : keys) {
            byId.put(Pem.keyId(k), k);
        }
        return ExportReader.verify(ndjson, ChainVerifier.keyIds(byId), trusted);
    }
}
