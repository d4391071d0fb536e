package health.treatment.security.keys;

import health.treatment.security.KeyRingException;
import health.treatment.security.Secret;
import health.treatment.security.spi.KeyEncryptionKey;
import health.treatment.security.spi.KeyEncryptionKeySource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Development only: a PKCS12 KEK keystore in the key directory, created on first use with a random password stored in
 * a file beside it (both owner-only where POSIX). Convenient and deliberately not secure: whoever reads the directory
 * reads the keys.
 */
public final class DevelopmentKeyEncryptionKeySource implements KeyEncryptionKeySource {
    public static final String KEYSTORE_FILE = "kek.p12";
    public static final String PASSWORD_FILE = "kek.p12.password";
    public static final String ALIAS = "phi-kek-development";

    private final Path directory;
    private volatile boolean created;

    public DevelopmentKeyEncryptionKeySource(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    @Override
    public synchronized KeyEncryptionKey keyEncryptionKey() {
        Path keystore = directory.resolve(KEYSTORE_FILE);
        Path passwordFile = directory.resolve(PASSWORD_FILE);
        try {
            if (!Files.exists(keystore)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                byte[] password = Base64.getUrlEncoder().withoutPadding().encode(random);
                Arrays.fill(random, (byte) 0);
                PrivateFiles.writePrivately(passwordFile, password);
                Secret secret = readPassword(passwordFile);
                Arrays.fill(password, (byte) 0);
                Pkcs12KeyEncryptionKeySource.createKeystore(keystore, secret, ALIAS);
                secret.destroy();
                created = true;
            }
            Secret secret = readPassword(passwordFile);
            try {
                return new Pkcs12KeyEncryptionKeySource(keystore, secret, ALIAS).keyEncryptionKey();
            } finally {
                secret.destroy();
            }
        } catch (IOException e) {
            throw new KeyRingException("development key directory cannot be prepared: " + directory, e);
        }
    }

    private static Secret readPassword(Path passwordFile) throws IOException {
        if (!Files.isRegularFile(passwordFile)) {
            throw new KeyRingException("development KEK password file missing: " + passwordFile);
        }
        byte[] bytes = Files.readAllBytes(passwordFile);
        CharBuffer chars = StandardCharsets.US_ASCII.decode(ByteBuffer.wrap(bytes));
        char[] password = Arrays.copyOf(chars.array(), chars.limit());
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(chars.array(), '\0');
        Secret secret = Secret.of(password);
        Arrays.fill(password, '\0');
        return secret;
    }

    /** Whether the last {@link #keyEncryptionKey()} call created the keystore. */
    public boolean createdKeystore() {
        return created;
    }

    public Path directory() {
        return directory;
    }

    /** The enclosing source repository (a parent holding {@code .git}), if the key directory sits inside one. */
    public Optional<Path> enclosingRepository() {
        for (Path p = directory; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String description() {
        return "development PKCS12 " + directory.resolve(KEYSTORE_FILE);
    }

    @Override
    public String toString() {
        return "DevelopmentKeyEncryptionKeySource[" + directory + "]";
    }
}
