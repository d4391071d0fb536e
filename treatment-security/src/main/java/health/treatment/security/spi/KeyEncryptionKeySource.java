package health.treatment.security.spi;

/**
 * Supplies the key-encryption key. Called once when the key ring opens. Out of the box:
 * {@link Pkcs12KeyEncryptionKeySource}; for a PKCS#11 HSM, obtain the {@link javax.crypto.SecretKey} from the
 * provider's {@link java.security.KeyStore} and wrap it with {@link JcaKeyEncryptionKey#aesGcm(javax.crypto.SecretKey,
 * java.security.Provider)}; for a cloud KMS, implement {@link KeyEncryptionKey} over the KMS encrypt/decrypt calls.
 */
public interface KeyEncryptionKeySource {

    /**
     * Returns the KEK.
     *
     * @throws health.treatment.security.KeyRingException if it cannot be obtained (missing keystore, wrong password,
     *     missing alias, wrong key type); the message names the location, never the secret
     */
    KeyEncryptionKey keyEncryptionKey();

    /** Where the KEK lives, for logs and status (e.g. keystore path and alias); never secret material. */
    String description();
}
