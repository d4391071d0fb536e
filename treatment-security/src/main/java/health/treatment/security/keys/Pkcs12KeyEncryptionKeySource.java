package health.treatment.security.keys;

import health.treatment.security.KeyRingException;
import health.treatment.security.Secret;
import health.treatment.security.spi.KeyEncryptionKey;
import health.treatment.security.spi.KeyEncryptionKeySource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * KEK from a PKCS12 keystore holding an AES-256 {@code SecretKeyEntry}. Create one with
 * {@code keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12 -alias <alias> -keystore <file>} or
 * {@link #createKeystore}. The entry password is the store password (keytool's default for PKCS12).
 */
public final class Pkcs12KeyEncryptionKeySource implements KeyEncryptionKeySource {
    private final Path keystore;
    private final Secret password;
    private final String alias;

    public Pkcs12KeyEncryptionKeySource(Path keystore, Secret password, String alias) {
        this.keystore = Objects.requireNonNull(keystore, "keystore");
        this.password = Objects.requireNonNull(password, "password");
        this.alias = Objects.requireNonNull(alias, "alias");
        if (alias.isBlank()) {
            throw new IllegalArgumentException("alias must not be blank");
        }
    }

    @Override
    public KeyEncryptionKey keyEncryptionKey() {
        if (!Files.isRegularFile(keystore)) {
            throw new KeyRingException("KEK keystore not found: " + keystore);
        }
        char[] pw = password.revealForKeyStore();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            KeyStore.Entry entry = ks.getEntry(alias, new KeyStore.PasswordProtection(pw));
            if (!(entry instanceof KeyStore.SecretKeyEntry secretEntry)) {
                throw new KeyRingException("KEK alias '" + alias + "' is missing or not a secret key in " + keystore);
            }
            SecretKey key = secretEntry.getSecretKey();
            if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
                throw new KeyRingException("KEK alias '" + alias + "' is not an AES key in " + keystore);
            }
            byte[] encoded = key.getEncoded();
            if (encoded != null) {
                int length = encoded.length;
                Arrays.fill(encoded, (byte) 0);
                if (length != 32) {
                    throw new KeyRingException("KEK alias '" + alias + "' is not AES-256 in " + keystore);
                }
            }
            return JcaKeyEncryptionKey.aesGcm(key);
        } catch (IOException | GeneralSecurityException e) {
            // PKCS12 reports a wrong password as IOException; the message carries no secret.
            throw new KeyRingException(
                    "KEK keystore cannot be opened (wrong password or damaged file): " + keystore, e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /**
     * Creates a new PKCS12 keystore at {@code keystore} with a fresh AES-256 key under {@code alias}. Fails if the file
     * exists. The file is created owner-read/write only where the file system is POSIX.
     */
    public static void createKeystore(Path keystore, Secret password, String alias) {
        if (Files.exists(keystore)) {
            throw new KeyRingException("refusing to overwrite existing keystore: " + keystore);
        }
        char[] pw = password.revealForKeyStore();
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pw);
            ks.setEntry(
                    alias, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(pw));
            Path tmp = PrivateFiles.createTempBeside(keystore);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, pw);
            }
            PrivateFiles.moveAtomically(tmp, keystore);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyRingException("KEK keystore cannot be created: " + keystore, e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    @Override
    public String description() {
        return "PKCS12 " + keystore + " alias " + alias;
    }

    @Override
    public String toString() {
        return "Pkcs12KeyEncryptionKeySource[" + description() + ", password redacted]";
    }
}
