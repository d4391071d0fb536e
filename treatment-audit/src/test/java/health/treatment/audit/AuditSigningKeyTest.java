package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSigningKeyTest {

    @Test
    void toStringRedactsThePrivateKey() {
        AuditSigningKey key = AuditSigningKey.generate();
        assertThat(key.toString()).contains("redacted", key.keyId()).doesNotContain("PRIVATE");
        assertThat(key.keyId()).matches("[0-9a-f]{16}");
    }

    @Test
    void developmentKeyIsWrittenOwnerOnlyOnceAndReloaded(@TempDir Path dir) throws Exception {
        AuditSigningKey first = AuditSigningKey.loadOrCreateDevelopment(dir.resolve("keys"));
        Path priv = dir.resolve("keys").resolve(AuditSigningKey.PRIVATE_FILE);
        Path pub = dir.resolve("keys").resolve(AuditSigningKey.PUBLIC_FILE);
        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(pub))
                .startsWith("-----BEGIN PUBLIC KEY-----")
                .isEqualTo(first.publicKeyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
                .isEqualTo("rw-------");
        AuditSigningKey again = AuditSigningKey.loadOrCreateDevelopment(dir.resolve("keys"));
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(AuditSigningKey.load(priv, pub).publicKey()).isEqualTo(first.publicKey());
    }

    @Test
    void mismatchedPairIsRefused(@TempDir Path dir) throws Exception {
        AuditSigningKey.loadOrCreateDevelopment(dir.resolve("a"));
        AuditSigningKey.loadOrCreateDevelopment(dir.resolve("b"));
        assertThatThrownBy(() -> AuditSigningKey.load(
                        dir.resolve("a").resolve(AuditSigningKey.PRIVATE_FILE),
                        dir.resolve("b").resolve(AuditSigningKey.PUBLIC_FILE)))
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("do not match");
    }

    @Test
    void unreadableFilesGiveAnErrorWithoutPathOrKeyMaterial(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key");
        assertThatThrownBy(() -> AuditSigningKey.load(junk, junk))
                .isInstanceOf(AuditException.class)
                .hasMessage("audit signing key: cannot read the PEM files");
    }

    @Test
    void sealablePemRoundTripsThePairAndRefusesAnythingElse() {
        AuditSigningKey key = AuditSigningKey.generate();
        AuditSigningKey back = AuditSigningKey.fromSealablePem(key.toSealablePem());
        assertThat(back.keyId()).isEqualTo(key.keyId());
        byte[] message = "checkpoint".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(java.util.Arrays.equals(back.sign(message), key.sign(message)))
                .isTrue(); // Ed25519 is deterministic

        byte[] mixed = (new String(key.toSealablePem(), java.nio.charset.StandardCharsets.US_ASCII)
                                .split("-----END PRIVATE KEY-----\n")[0]
                        + "-----END PRIVATE KEY-----\n"
                        + AuditSigningKey.generate().publicKeyPem())
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> AuditSigningKey.fromSealablePem(mixed)).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> AuditSigningKey.fromSealablePem(new byte[] {1, 2}))
                .isInstanceOf(AuditException.class)
                .hasMessageNotContaining("PRIVATE");
    }
}
