package health.treatment.security.keys;

import health.treatment.security.spi.KeyEncryptionKey;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A {@link KeyEncryptionKey} over any JCA AES {@link SecretKey}, including non-extractable HSM keys (the key object is
 * only handed to {@link Cipher}). AES-GCM with a random 96-bit nonce and 128-bit tag; output layout
 * {@code 0x01 || nonce(12) || ciphertext || tag(16)}.
 *
 * <p>Random 96-bit nonces are safe for far more than the handful of keyset encryptions a KEK performs.
 */
public final class JcaKeyEncryptionKey implements KeyEncryptionKey {
    private static final byte VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final Provider provider;

    private JcaKeyEncryptionKey(SecretKey key, Provider provider) {
        this.key = Objects.requireNonNull(key, "key");
        this.provider = provider;
    }

    /** AES-GCM with the default JCA provider. */
    public static JcaKeyEncryptionKey aesGcm(SecretKey key) {
        return new JcaKeyEncryptionKey(key, null);
    }

    /** AES-GCM with a specific provider, e.g. SunPKCS11 for an HSM. */
    public static JcaKeyEncryptionKey aesGcm(SecretKey key, Provider provider) {
        return new JcaKeyEncryptionKey(key, Objects.requireNonNull(provider, "provider"));
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        Cipher cipher = cipher();
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        byte[] body = cipher.doFinal(plaintext);
        byte[] out = new byte[1 + NONCE_LENGTH + body.length];
        out[0] = VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
        System.arraycopy(body, 0, out, 1 + NONCE_LENGTH, body.length);
        return out;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        if (ciphertext.length < 1 + NONCE_LENGTH + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new GeneralSecurityException("invalid key-encryption ciphertext");
        }
        Cipher cipher = cipher();
        cipher.init(
                Cipher.DECRYPT_MODE,
                key,
                new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(ciphertext, 1, 1 + NONCE_LENGTH)));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(ciphertext, 1 + NONCE_LENGTH, ciphertext.length - 1 - NONCE_LENGTH);
    }

    private Cipher cipher() throws GeneralSecurityException {
        return provider == null
                ? Cipher.getInstance("AES/GCM/NoPadding")
                : Cipher.getInstance("AES/GCM/NoPadding", provider);
    }

    @Override
    public String toString() {
        return "JcaKeyEncryptionKey[AES/GCM, key redacted]";
    }
}
