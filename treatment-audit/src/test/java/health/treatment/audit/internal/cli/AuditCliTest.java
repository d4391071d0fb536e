package health.treatment.audit.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditSigningKey;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.testing.Events;
import health.treatment.audit.testing.InMemoryAuditStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCliTest {
    @TempDir
    Path dir;

    Path export;
    Path publicKey;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    final InMemoryAuditStore store = new InMemoryAuditStore();
    AuditSigningKey key;
    AuditTrail trail;

    @BeforeEach
    void exportATrail() throws Exception {
        key = AuditSigningKey.generate();
        trail = trail(key);
        for (int i = 1; i <= 30; i++) {
            trail.record(Events.create(i));
        }
        trail.sealPending();
        export = dir.resolve("export.ndjson");
        try (OutputStream o = Files.newOutputStream(export)) {
            trail.export(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), o);
        }
        publicKey = Files.writeString(dir.resolve("audit.pem"), key.publicKeyPem());
    }

    AuditTrail trail(AuditSigningKey k) {
        return AuditTrail.create(
                store,
                new AuditConfig("node-a", k, 10, Duration.ofDays(1), Duration.ofSeconds(30), 1000, Clock.systemUTC()));
    }

    Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    int run(String... args) {
        return AuditCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void intactExportExitsZeroAndSaysSo() {
        assertThat(run("verify", export.toString(), "--public-key", publicKey.toString()))
                .isZero();
        assertThat(stdout()).isEqualTo("INTACT: 30 events, last sequence 30, 3 checkpoints verified");
    }

    @Test
    void optionBeforeTheFileIsAcceptedToo() {
        assertThat(run("verify", "--public-key", publicKey.toString(), export.toString()))
                .isZero();
    }

    @Test
    void tamperedExportExitsOneWithTheFirstBadSequence() throws Exception {
        String text = Files.readString(export).replace("\"record_id\":\"rec-17\"", "\"record_id\":\"rec-71\"");
        Files.writeString(export, text);
        assertThat(run("verify", export.toString(), "--public-key", publicKey.toString()))
                .isEqualTo(1);
        assertThat(stdout()).isEqualTo("BROKEN at sequence 17: hash_mismatch");
    }

    @Test
    void wrongKeyExitsOne() throws Exception {
        Path other = Files.writeString(
                dir.resolve("other.pem"), AuditSigningKey.generate().publicKeyPem());
        assertThat(run("verify", export.toString(), "--public-key", other.toString()))
                .isEqualTo(1);
        assertThat(stdout()).isEqualTo("BROKEN at sequence 10: checkpoint_signature_invalid");
    }

    @Test
    void garbageExportExitsOneAsMalformed() throws Exception {
        Files.writeString(export, "this is not json\n");
        assertThat(run("verify", export.toString(), "--public-key", publicKey.toString()))
                .isEqualTo(1);
        assertThat(stdout()).isEqualTo("BROKEN at sequence 0: malformed_export");
    }

    @Test
    void usageAndIoErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("verify", export.toString())).isEqualTo(2);
        assertThat(run("check", export.toString(), "--public-key", publicKey.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: java -jar treatment-audit.jar verify");
        assertThat(run("verify", dir.resolve("missing.ndjson").toString(), "--public-key", publicKey.toString()))
                .isEqualTo(2);
        assertThat(run("verify", export.toString(), "--public-key", export.toString()))
                .isEqualTo(2);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aTrustedCheckpointThatTheExportExtendsKeepsItIntact() throws Exception {
        Path kept = write("kept.json", trail.latestCheckpoint().orElseThrow().toJson() + "\n");
        assertThat(run(
                        "verify",
                        export.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--trusted-checkpoint",
                        kept.toString()))
                .isZero();
        assertThat(stdout())
                .isEqualTo("INTACT: 30 events, last sequence 30, 3 checkpoints verified (extends the "
                        + "trusted checkpoint at sequence 30)");
    }

    @Test
    void aTrustedCheckpointTheExportDoesNotReachIsReportedAtItsSequence() throws Exception {
        for (int i = 31; i <= 40; i++) {
            trail.record(Events.create(i));
        }
        trail.sealPending(); // checkpoint 40, not in the export taken before
        Path kept = write("kept.json", trail.latestCheckpoint().orElseThrow().toJson());
        assertThat(run(
                        "--trusted-checkpoint",
                        kept.toString(),
                        "--public-key",
                        publicKey.toString(),
                        export.toString()))
                .isEqualTo(2); // "verify" comes first
        assertThat(run(
                        "verify",
                        "--trusted-checkpoint",
                        kept.toString(),
                        "--public-key",
                        publicKey.toString(),
                        export.toString()))
                .isEqualTo(1);
        assertThat(stdout()).isEqualTo("BROKEN at sequence 40: trusted_checkpoint_missing");
    }

    @Test
    void aTrustedCheckpointWithAnotherHeadOrAnotherSignerIsReported() throws Exception {
        String json = trail.latestCheckpoint().orElseThrow().toJson();
        String head = trail.latestCheckpoint().orElseThrow().headHash();
        Path edited = write("edited.json", json.replace(head, "ab".repeat(32)));
        assertThat(run(
                        "verify",
                        export.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--trusted-checkpoint",
                        edited.toString()))
                .isEqualTo(1);
        assertThat(stdout()).isEqualTo("BROKEN at sequence 30: trusted_checkpoint_invalid");
    }

    @Test
    void aMalformedOrRepeatedTrustedCheckpointIsAUsageError() throws Exception {
        Path junk = write("junk.json", "{\"sequence\":1}");
        assertThat(run(
                        "verify",
                        export.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--trusted-checkpoint",
                        junk.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a checkpoint JSON");
        Path kept = write("kept.json", trail.latestCheckpoint().orElseThrow().toJson());
        assertThat(run(
                        "verify",
                        export.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--trusted-checkpoint",
                        kept.toString(),
                        "--trusted-checkpoint",
                        kept.toString()))
                .isEqualTo(2);
        assertThat(run("verify", export.toString(), "--public-key", publicKey.toString(), "--trusted-checkpoint"))
                .isEqualTo(2);
        assertThat(run("verify", export.toString(), "--public-key", publicKey.toString(), "--verbose"))
                .isEqualTo(2);
        assertThat(run("verify", export.toString(), export.toString(), "--public-key", publicKey.toString()))
                .isEqualTo(2);
        assertThat(run(
                        "verify",
                        export.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--trusted-checkpoint",
                        dir.resolve("missing.json").toString()))
                .isEqualTo(2);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aRotatedTrailNeedsEveryKeyEachCheckpointIsCheckedWithTheKeyItNames() throws Exception {
        trail.registerSigningKey();
        AuditSigningKey next = AuditSigningKey.generate();
        AuditTrail rotated = trail(next);
        rotated.registerSigningKey();
        for (int i = 31; i <= 40; i++) {
            rotated.record(Events.create(i));
        }
        rotated.sealPending(); // checkpoint 40 by the new key
        Path all = dir.resolve("all.ndjson");
        try (OutputStream o = Files.newOutputStream(all)) {
            rotated.export(1, Long.MAX_VALUE, o);
        }
        Path nextKey = write("next.pem", next.publicKeyPem());
        assertThat(run("verify", all.toString(), "--public-key", nextKey.toString()))
                .isEqualTo(1);
        assertThat(stdout()).isEqualTo("BROKEN at sequence 10: checkpoint_signature_invalid");
        out.reset();
        assertThat(run(
                        "verify",
                        all.toString(),
                        "--public-key",
                        nextKey.toString(),
                        "--public-key",
                        publicKey.toString()))
                .isZero();
        assertThat(stdout()).isEqualTo("INTACT: 40 events, last sequence 40, 4 checkpoints verified");
    }
}
