package health.treatment.audit.internal;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditException;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.VerificationResult;
import health.treatment.audit.VerifyReasons;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Streams an NDJSON export through a {@link ChainVerifier}; JDK and JSON-P only. No freshness check: offline, "now" is not
 * known reliably (the server-side verify judges staleness).
 */
public final class ExportReader {
    private static final int MAX_LINE = 64 * 1024;

    private ExportReader() {}

    public static VerificationResult verify(InputStream ndjson, PublicKey key) throws IOException {
        return read(ndjson, new ChainVerifier(key));
    }

    /**
     * @param trust   which checkpoints count as signed
     * @param trusted a checkpoint the auditor kept (its signature must pass {@code trust}): the export must contain
     *                its sequence with its head hash (as an event, or as the start line) and chain from it
     */
    public static VerificationResult verify(InputStream ndjson, ChainVerifier.Trust trust, Optional<Checkpoint> trusted)
            throws IOException {
        ChainVerifier v = new ChainVerifier(trust);
        if (trusted.isPresent()) {
            Checkpoint t = trusted.get();
            String bad = trust.check(t);
            if (bad != null) {
                v.fail(t.sequence(), VerifyReasons.TRUSTED_CHECKPOINT_INVALID);
                return v.finish(0);
            }
            v.trusted(t.sequence(), Hex.decode(t.headHash()), VerifyReasons.TRUSTED_CHECKPOINT_MISSING);
        }
        return read(ndjson, v);
    }

    private static VerificationResult read(InputStream ndjson, ChainVerifier v) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(ndjson, StandardCharsets.UTF_8));
        boolean sawHeader = false;
        boolean sawStart = false;
        long lineNo = 0;
        String line;
        while ((line = in.readLine()) != null && !v.failed()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonObject m;
            String type;
            try {
                if (line.length() > MAX_LINE) {
                    throw new IllegalArgumentException("line too long");
                }
                m = StrictJson.parseObject(line);
                type = StrictJson.requiredString(m, "type");
            } catch (IllegalArgumentException e) {
                v.fail(0, VerifyReasons.MALFORMED_EXPORT);
                break;
            }
            try {
                switch (type) {
                    case "header" -> {
                        if (!ExportWriter.FORMAT.equals(StrictJson.optionalString(m, "format"))) {
                            v.fail(0, VerifyReasons.MALFORMED_EXPORT);
                        }
                        sawHeader = true;
                    }
                    case "start" -> {
                        if (sawStart || !Hex.isHash(StrictJson.requiredString(m, "hash"))) {
                            v.fail(0, VerifyReasons.MALFORMED_EXPORT);
                        } else {
                            v.anchor(
                                    StrictJson.requiredLong(m, "sequence"),
                                    Hex.decode(StrictJson.requiredString(m, "hash")));
                            sawStart = true;
                        }
                    }
                    case "checkpoint" ->
                        v.checkpoint(new Checkpoint(
                                StrictJson.requiredLong(m, "sequence"),
                                StrictJson.requiredString(m, "head_hash"),
                                Instant.parse(StrictJson.requiredString(m, "time")),
                                Checkpoint.Kind.fromCode(StrictJson.requiredString(m, "kind")),
                                StrictJson.requiredString(m, "key_id"),
                                StrictJson.requiredString(m, "signature")));
                    case "event" -> {
                        long seq = StrictJson.requiredLong(m, "sequence");
                        if (!sawStart) {
                            v.fail(seq, VerifyReasons.MALFORMED_EXPORT);
                            break;
                        }
                        AuditEvent event;
                        try {
                            event = AuditEvent.fromJson(m.getJsonObject("event"));
                        } catch (RuntimeException e) {
                            v.invalidEvent(seq);
                            break;
                        }
                        v.event(seq, StrictJson.requiredString(m, "hash"), event);
                    }
                    default -> v.fail(0, VerifyReasons.MALFORMED_EXPORT);
                }
            } catch (IllegalArgumentException | AuditException | ClassCastException | DateTimeParseException e) {
                v.fail(0, VerifyReasons.MALFORMED_EXPORT);
            }
        }
        if (!sawHeader && !v.failed()) {
            v.fail(0, VerifyReasons.MALFORMED_EXPORT);
        }
        return v.finish(0);
    }
}
