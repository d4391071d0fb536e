package health.treatment.audit;

import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.Ed25519;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.internal.StrictJson;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.PublicKey;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A signed statement "the chain up to {@code sequence} has head hash {@code headHash}" made at {@code time}.
 * A {@link Kind#PURGE} checkpoint additionally means "events 1..sequence were deleted by retention"; verification of
 * the remainder starts from it.
 *
 * <p>Security guarantee: with Ed25519 (JDK), a checkpoint that verifies under a trusted public key was produced by the
 * holder of the private key; no one else can forge one, so edits, deletions and truncations at or before a checkpoint
 * are detectable even by someone who can rewrite the whole database, as long as that checkpoint is still stored or
 * the auditor kept it: deleting checkpoints themselves (and rewriting what they covered) is detectable only against a
 * kept copy ({@link AuditTrail#verify(java.util.Optional)}) or the SIEM copy of every signature. The signed message is
 * {@code "TACP1" || kind || sequence || headHash || time} (see {@code Canonical}). Which keys are trusted, and for
 * which period, is decided by the verifier ({@link AuditTrail#verify(java.util.Optional)}, {@link AuditVerifier}),
 * never by the checkpoint: {@code keyId} only says which key to try.
 *
 * <p>{@link #toJson()} / {@link #fromJson(String)} are the file format an auditor keeps (what
 * {@code checkpoints/latest} serves) and hands back to {@link AuditTrail#verify(java.util.Optional)} or to the
 * offline verifier's {@code --trusted-checkpoint}.
 *
 * @param sequence  last sequence covered (0 = empty chain)
 * @param headHash  hex SHA-256 chain hash at {@code sequence}
 * @param time      when it was signed (microsecond precision)
 * @param kind      periodic or purge anchor
 * @param keyId     first 16 hex digits of SHA-256 over the X.509 public key
 * @param signature hex Ed25519 signature (64 bytes)
 */
public record Checkpoint(long sequence, String headHash, Instant time, Kind kind, String keyId, String signature) {

    private static final int MAX_JSON = 4096;
    private static final Set<String> FIELDS = Set.of("sequence", "head_hash", "time", "kind", "key_id", "signature");
    private static final Pattern RFC3339_UTC =
            Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{128}");

    public enum Kind {
        PERIODIC,
        PURGE;

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

    /**
     * This checkpoint as one line of JSON, fields in this order:
     * {@code {"sequence":N,"head_hash":"hex","time":"2026-12-02T03:04:05.123456Z","kind":"periodic|purge",
     * "key_id":"hex","signature":"hex"}} (time in RFC 3339, UTC, always six fraction digits; the same field names as
     * an export's checkpoint line).
     */
    public String toJson() {
        return Json.createObjectBuilder()
                .add("sequence", sequence)
                .add("head_hash", headHash)
                .add("time", Canonical.rfc3339Micros(time))
                .add("kind", kind.code())
                .add("key_id", keyId)
                .add("signature", signature)
                .build()
                .toString();
    }

    /**
     * Reads what {@link #toJson()} wrote (whitespace around it is allowed, the field order is free). Strict: exactly
     * the six fields, each of its type and form; {@code time} an RFC 3339 UTC instant ({@code Z}) with at most
     * microsecond precision; {@code signature} 64 bytes of lower-case hex. Does NOT verify the signature.
     *
     * @throws AuditException on anything else, with a fixed message naming the problem (never echoing the input)
     */
    public static Checkpoint fromJson(String json) {
        if (json == null || json.length() > MAX_JSON) {
            throw new AuditException(
                    "checkpoint JSON: not a single JSON object of at most " + MAX_JSON + " characters");
        }
        JsonObject m;
        try {
            m = StrictJson.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new AuditException("checkpoint JSON: not a single JSON object");
        }
        if (!m.keySet().equals(FIELDS)) {
            throw new AuditException("checkpoint JSON: the fields must be exactly sequence, head_hash, time, kind, "
                    + "key_id and signature");
        }
        long sequence;
        if (!(m.get("sequence") instanceof JsonNumber n)
                || n.bigDecimalValue().signum() < 0
                || n.bigDecimalValue().stripTrailingZeros().scale() > 0) {
            throw new AuditException("checkpoint JSON: sequence must be a non-negative integer");
        }
        try {
            sequence = n.bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new AuditException("checkpoint JSON: sequence must be a non-negative integer");
        }
        String headHash = string(m, "head_hash");
        if (headHash == null || !Hex.isHash(headHash)) {
            throw new AuditException("checkpoint JSON: head_hash must be 64 lower-case hex digits");
        }
        String t = string(m, "time");
        if (t == null || !RFC3339_UTC.matcher(t).matches()) {
            throw new AuditException("checkpoint JSON: time must be an RFC 3339 UTC instant");
        }
        Instant time;
        try {
            time = Instant.parse(t);
        } catch (DateTimeException e) {
            throw new AuditException("checkpoint JSON: time must be an RFC 3339 UTC instant");
        }
        if (!time.truncatedTo(ChronoUnit.MICROS).equals(time)) {
            throw new AuditException("checkpoint JSON: time must not be more precise than microseconds");
        }
        Kind kind;
        if ("periodic".equals(string(m, "kind"))) {
            kind = Kind.PERIODIC;
        } else if ("purge".equals(string(m, "kind"))) {
            kind = Kind.PURGE;
        } else {
            throw new AuditException("checkpoint JSON: kind must be periodic or purge");
        }
        String keyId = string(m, "key_id");
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new AuditException("checkpoint JSON: key_id must be 16 lower-case hex digits");
        }
        String signature = string(m, "signature");
        if (signature == null || !SIGNATURE.matcher(signature).matches()) {
            throw new AuditException("checkpoint JSON: signature must be 128 lower-case hex digits");
        }
        return new Checkpoint(sequence, headHash, time, kind, keyId, signature);
    }

    /** The member's text when it is a JSON string, else null (the caller names the field in its error). */
    private static String string(JsonObject m, String name) {
        JsonValue v = m.get(name);
        return v instanceof JsonString s ? s.getString() : null;
    }

    /** The exact bytes the signature covers. */
    public byte[] signedMessage() {
        return Canonical.checkpointMessage(kind.code(), sequence, Hex.decode(headHash), time);
    }

    /**
     * True when the signature verifies under {@code key}. Never throws for a bad signature (returns false); a key that
     * is not Ed25519 also yields false.
     */
    public boolean verifySignature(PublicKey key) {
        return Ed25519.verifies(key, signedMessage(), signature);
    }
}
