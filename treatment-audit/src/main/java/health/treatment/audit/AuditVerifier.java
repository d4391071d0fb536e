package health.treatment.audit;

import health.treatment.audit.internal.ExportReader;

import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;

/**
 * Offline verification of an NDJSON export (see {@link AuditTrail#export}) with only the JDK and the trail's public
 * key. Detects edited, deleted, inserted and reordered event lines at the first affected sequence, checkpoints not
 * signed by {@code key}, and a tail cut below a checkpoint the export still contains. Events after the last
 * checkpoint in the export are protected by the hash chain only ({@link VerificationResult#lastSignedSequence()}).
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /**
     * @throws IOException only when reading the stream fails; malformed content yields a broken result
     *                     ({@code malformed_export}), never an exception
     */
    public static VerificationResult verifyExport(InputStream ndjson, PublicKey key) throws IOException {
        return ExportReader.verify(ndjson, key);
    }
}
