package health.treatment.audit.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditSigningKey;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.testing.Events;
import health.treatment.audit.testing.InMemoryAuditStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar verifies an export on the bare JDK: no classpath besides the jar itself. */
class AuditCliJarIT {

    @Test
    void packagedJarRunsStandaloneWithExitCodes(@TempDir Path dir) throws Exception {
        AuditSigningKey key = AuditSigningKey.generate();
        AuditTrail trail = AuditTrail.create(new InMemoryAuditStore(), AuditConfig.defaults("node-a", key));
        for (int i = 1; i <= 5; i++) {
            trail.record(Events.create(i));
        }
        trail.sealPending();
        Path export = dir.resolve("e.ndjson");
        try (OutputStream o = Files.newOutputStream(export)) {
            trail.export(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), o);
        }
        Path pem = Files.writeString(dir.resolve("k.pem"), key.publicKeyPem());
        Path jar = Path.of("target", "treatment-audit-0.1.0-SNAPSHOT-cli.jar").toAbsolutePath();
        assertThat(jar).exists();

        assertThat(run(dir, jar, "verify", export.toString(), "--public-key", pem.toString()))
                .isEqualTo("0:INTACT: 5 events, last sequence 5, 1 checkpoints verified");
        // Several pinned keys and a kept checkpoint: still JDK only.
        Path other = Files.writeString(
                dir.resolve("other.pem"), AuditSigningKey.generate().publicKeyPem());
        Path kept = Files.writeString(
                dir.resolve("kept.json"), trail.latestCheckpoint().orElseThrow().toJson());
        assertThat(run(
                        dir,
                        jar,
                        "verify",
                        export.toString(),
                        "--public-key",
                        other.toString(),
                        "--public-key",
                        pem.toString(),
                        "--trusted-checkpoint",
                        kept.toString()))
                .isEqualTo("0:INTACT: 5 events, last sequence 5, 1 checkpoints verified (extends the trusted "
                        + "checkpoint at sequence 5)");
        for (int i = 6; i <= 7; i++) {
            trail.record(Events.create(i));
        }
        trail.sealPending();
        trail.checkpointNow();
        Path later = Files.writeString(
                dir.resolve("later.json"),
                trail.latestCheckpoint().orElseThrow().toJson());
        assertThat(run(
                        dir,
                        jar,
                        "verify",
                        export.toString(),
                        "--public-key",
                        pem.toString(),
                        "--trusted-checkpoint",
                        later.toString()))
                .isEqualTo("1:BROKEN at sequence 7: trusted_checkpoint_missing");
        Files.writeString(export, Files.readString(export).replace("rec-3", "rec-4"));
        assertThat(run(dir, jar, "verify", export.toString(), "--public-key", pem.toString()))
                .isEqualTo("1:BROKEN at sequence 3: hash_mismatch");
        assertThat(run(dir, jar, "verify")).startsWith("2:");
    }

    private static String run(Path dir, Path jar, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() + ":" + output;
    }
}
