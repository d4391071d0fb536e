package health.treatment.security.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.security.KeyRingException;
import health.treatment.security.Secret;
import health.treatment.security.spi.KeyEncryptionKey;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionKeyTest {
    private static final byte[] AD = "keyset/phi".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void pkcs12KekEncryptsAndAuthenticates() throws Exception {
        Path keystore = dir.resolve("kek.p12");
        Secret password = Secret.of("pw".toCharArray());
        Pkcs12KeyEncryptionKeySource.createKeystore(keystore, password, "kek");
        KeyEncryptionKey kek = new Pkcs12KeyEncryptionKeySource(keystore, password, "kek").keyEncryptionKey();

        byte[] ciphertext = kek.encrypt("keyset bytes".getBytes(StandardCharsets.UTF_8), AD);
        assertThat(new String(kek.decrypt(ciphertext, AD), StandardCharsets.UTF_8))
                .isEqualTo("keyset bytes");
        assertThat(kek.encrypt(new byte[1], AD)).isNotEqualTo(kek.encrypt(new byte[1], AD));
        assertThatThrownBy(() -> kek.decrypt(ciphertext, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
        ciphertext[ciphertext.length / 2] ^= 1;
        assertThatThrownBy(() -> kek.decrypt(ciphertext, AD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void pkcs12SourceFailsClearlyWithoutRevealingThePassword() throws Exception {
        Path keystore = dir.resolve("kek.p12");
        Pkcs12KeyEncryptionKeySource.createKeystore(keystore, Secret.of("right-SECRET".toCharArray()), "kek");
        assertThatThrownBy(
                        () -> new Pkcs12KeyEncryptionKeySource(keystore, Secret.of("wrong-SECRET".toCharArray()), "kek")
                                .keyEncryptionKey())
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("cannot be opened")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> new Pkcs12KeyEncryptionKeySource(
                                keystore, Secret.of("right-SECRET".toCharArray()), "missing")
                        .keyEncryptionKey())
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("alias 'missing'");
        assertThatThrownBy(() -> new Pkcs12KeyEncryptionKeySource(dir.resolve("none.p12"), Secret.of("x"), "kek")
                        .keyEncryptionKey())
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> Pkcs12KeyEncryptionKeySource.createKeystore(keystore, Secret.of("x"), "kek"))
                .isInstanceOf(KeyRingException.class);
    }

    @Test
    void pkcs12SourceRejectsKeysThatAreNotAes256() throws Exception {
        Path keystore = dir.resolve("aes128.p12");
        char[] pw = "pw".toCharArray();
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(128);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, pw);
        ks.setEntry("kek", new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(pw));
        try (OutputStream out = Files.newOutputStream(keystore)) {
            ks.store(out, pw);
        }
        assertThatThrownBy(() -> new Pkcs12KeyEncryptionKeySource(keystore, Secret.of(pw), "kek").keyEncryptionKey())
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("not AES-256");
    }

    @Test
    void secretRedactsAndCanBeDestroyed() {
        Secret secret = Secret.of("hunter2".toCharArray());
        assertThat(secret.toString()).isEqualTo("Secret[redacted]");
        assertThat(secret.revealForKeyStore()).containsExactly("hunter2".toCharArray());
        secret.destroy();
        assertThat(secret.isDestroyed()).isTrue();
        assertThatThrownBy(secret::revealForKeyStore).isInstanceOf(IllegalStateException.class);
    }
}
