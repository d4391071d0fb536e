package health.treatment.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Re-implements the documented encoding independently (as an auditor would) and compares. */
class CanonicalTest {

    private static final AuditEvent EVENT = AuditEvent.builder()
            .time(Instant.parse("2026-03-28T08:00:00.000001Z"))
            .deviceTime(Instant.parse("2026-03-28T07:59:59Z"))
            .clientId("DX2020")
            .roles(List.of("device"))
            .tokenId("jti-1")
            .action("treatment.create")
            .resourceType("Treatment")
            .recordId("r-1")
            .outcome(Outcome.SUCCESS)
            .httpStatus(201)
            .sourceIp("10.1.2.3")
            .nodeId("node-a")
            .build();

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeByte(1);
        out.writeInt(b.length);
        out.write(b);
    }

    @Test
    void eventEncodingMatchesTheDocumentedLayout() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeBytes("TAE1");
        out.writeLong(1774684800000001L);
        out.writeByte(1);
        out.writeLong(1774684799000000L);
        str(out, "DX2020");
        out.writeInt(1);
        out.writeInt(6);
        out.writeBytes("device");
        str(out, "jti-1");
        str(out, null);
        str(out, "treatment.create");
        str(out, "Treatment");
        str(out, "r-1");
        str(out, "success");
        out.writeInt(201);
        str(out, null);
        str(out, "10.1.2.3");
        str(out, "node-a");
        str(out, null);
        assertThat(Canonical.encode(EVENT)).isEqualTo(buf.toByteArray());

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(new byte[32]);
        sha.update(buf.toByteArray());
        sha.update(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
        assertThat(Canonical.chain(Canonical.GENESIS, EVENT, 1)).isEqualTo(sha.digest());
    }

    @Test
    void checkpointMessageMatchesTheDocumentedLayout() throws Exception {
        byte[] head = new byte[32];
        head[0] = 7;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeBytes("TACP1");
        out.writeByte(1);
        out.writeLong(42);
        out.write(head);
        out.writeLong(1_000_000L);
        assertThat(Canonical.checkpointMessage(Checkpoint.Kind.PURGE.code(), 42, head, Instant.ofEpochSecond(1)))
                .isEqualTo(buf.toByteArray());
    }

    @Test
    void anyFieldChangeOrPositionChangeChangesTheHash() {
        byte[] h = Canonical.chain(Canonical.GENESIS, EVENT, 1);
        AuditEvent other = AuditEvent.builder()
                .time(EVENT.time())
                .deviceTime(EVENT.deviceTime())
                .clientId("DX2021")
                .roles(EVENT.roles())
                .tokenId("jti-1")
                .action("treatment.create")
                .resourceType("Treatment")
                .recordId("r-1")
                .outcome(Outcome.SUCCESS)
                .httpStatus(201)
                .sourceIp("10.1.2.3")
                .nodeId("node-a")
                .build();
        assertThat(Canonical.chain(Canonical.GENESIS, other, 1)).isNotEqualTo(h);
        assertThat(Canonical.chain(Canonical.GENESIS, EVENT, 2)).isNotEqualTo(h);
        assertThat(Canonical.chain(h, EVENT, 1)).isNotEqualTo(h);
    }
}
