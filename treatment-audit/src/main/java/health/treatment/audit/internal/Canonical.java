package health.treatment.audit.internal;

import health.treatment.audit.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The canonical byte encodings that the hash chain and the checkpoint signatures cover. Auditors re-implement exactly
 * this (see treatment-audit/README.md); any change needs a new magic/version.
 *
 * <pre>
 * u8     = one byte; u32/i32/i64 = big-endian two's complement
 * str    = u8 0 (absent) | u8 1, u32 byte length, UTF-8 bytes
 * time   = i64 microseconds since 1970-01-01T00:00:00Z
 *
 * event  = "TAE1" (4 ASCII bytes)
 *          time(time) | u8 0 or (u8 1, time(device_time))
 *          str(client_id) | u32 role count, then per role (sorted, unique): u32 length, UTF-8
 *          str(token_id) | str(certificate_thumbprint) | str(action) | str(resource_type) | str(record_id)
 *          str(outcome code) | i32 http_status | str(reason_code) | str(source_ip) | str(node_id) | str(request_id)
 *
 * hash(n) = SHA-256( hash(n-1) [32 bytes] || event(n) || i64 n )      hash(0) = 32 zero bytes
 *
 * checkpoint message = "TACP1" (5 ASCII bytes) || u8 kind (0 periodic, 1 purge) || i64 sequence
 *                      || head hash [32 bytes] || time(checkpoint time)
 * signature          = Ed25519(private key, checkpoint message), 64 bytes
 *
 * key endorsement    = "TASK1" (5 ASCII bytes) || key id [16 ASCII bytes] || u32 length, X.509 public key
 *                      || time(valid_from) || u8 0 (open) or (u8 1, time(valid_until))
 * endorsement        = Ed25519(endorsing key, key endorsement), 64 bytes
 * </pre>
 */
public final class Canonical {
    public static final byte[] GENESIS = new byte[32];
    private static final byte[] EVENT_MAGIC = "TAE1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECKPOINT_MAGIC = "TACP1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_MAGIC = "TASK1".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter RFC3339_MICROS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Canonical() {}

    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    public static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    public static byte[] encode(AuditEvent e) {
        Out out = new Out();
        out.raw(EVENT_MAGIC);
        out.i64(micros(e.time()));
        if (e.deviceTime() == null) {
            out.u8(0);
        } else {
            out.u8(1);
            out.i64(micros(e.deviceTime()));
        }
        out.str(e.clientId());
        List<String> roles = e.roles();
        out.i32(roles.size());
        for (String r : roles) {
            byte[] b = r.getBytes(StandardCharsets.UTF_8);
            out.i32(b.length);
            out.raw(b);
        }
        out.str(e.tokenId());
        out.str(e.certificateThumbprint());
        out.str(e.action());
        out.str(e.resourceType());
        out.str(e.recordId());
        out.str(e.outcome().code());
        out.i32(e.httpStatus());
        out.str(e.reasonCode());
        out.str(e.sourceIp());
        out.str(e.nodeId());
        out.str(e.requestId());
        return out.bytes();
    }

    /** hash(n) = SHA-256(prev || event || n). */
    public static byte[] chain(byte[] previousHash, AuditEvent event, long sequence) {
        MessageDigest sha = sha256();
        sha.update(previousHash);
        sha.update(encode(event));
        sha.update(ByteBuffer.allocate(8).putLong(sequence).array());
        return sha.digest();
    }

    /**
     * What a checkpoint signs. {@code kindCode} is {@code Checkpoint.Kind#code()} ("periodic" or "purge"): a string,
     * so that this layout does not depend on the public type that uses it.
     */
    public static byte[] checkpointMessage(String kindCode, long sequence, byte[] headHash, Instant time) {
        int kind = switch (kindCode) {
            case "periodic" -> 0;
            case "purge" -> 1;
            default -> throw new IllegalArgumentException("unknown checkpoint kind");
        };
        Out out = new Out();
        out.raw(CHECKPOINT_MAGIC);
        out.u8(kind);
        out.i64(sequence);
        out.raw(headHash);
        out.i64(micros(time));
        return out.bytes();
    }

    /**
     * What a key endorsement signs: "the key {@code keyId} with this X.509 public key signs checkpoints from
     * {@code validFrom} to {@code validUntil} (null: still current)".
     */
    public static byte[] keyEndorsementMessage(
            String keyId, byte[] publicKeyX509, Instant validFrom, Instant validUntil) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        if (id.length != 16) {
            throw new IllegalArgumentException("key id must be 16 characters");
        }
        Out out = new Out();
        out.raw(KEY_MAGIC);
        out.raw(id);
        out.i32(publicKeyX509.length);
        out.raw(publicKeyX509);
        out.i64(micros(validFrom));
        if (validUntil == null) {
            out.u8(0);
        } else {
            out.u8(1);
            out.i64(micros(validUntil));
        }
        return out.bytes();
    }

    /** RFC 3339, UTC, always six fraction digits (e.g. {@code 2026-12-02T03:04:05.123456Z}). */
    public static String rfc3339Micros(Instant t) {
        return RFC3339_MICROS.format(t.truncatedTo(ChronoUnit.MICROS));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);

        void raw(byte[] b) {
            buf.writeBytes(b);
        }

        void u8(int v) {
            buf.write(v);
        }

        void i32(int v) {
            raw(ByteBuffer.allocate(4).putInt(v).array());
        }

        void i64(long v) {
            raw(ByteBuffer.allocate(8).putLong(v).array());
        }

        void str(String s) {
            if (s == null) {
                u8(0);
                return;
            }
            u8(1);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            raw(b);
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
