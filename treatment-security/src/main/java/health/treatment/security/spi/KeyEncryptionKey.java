package health.treatment.security.spi;

import java.security.GeneralSecurityException;

/**
 * The key-encryption key (KEK) as an AEAD: it encrypts the serialized keysets and nothing else. Implementations may
 * keep the key outside the JVM (HSM, KMS); the library never asks for its bytes.
 *
 * <p>Contract (as Tink's {@code Aead}): {@code decrypt(encrypt(p, ad), ad)} returns {@code p}; decryption with a
 * modified ciphertext, a different associated data or a different key throws {@link GeneralSecurityException}.
 * Encryption must be randomized (fresh nonce per call). Implementations must be thread-safe.
 */
public interface KeyEncryptionKey {

    /** Encrypts {@code plaintext}, authenticating {@code associatedData} (not encrypted, must be supplied to decrypt). */
    byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

    /**
     * Decrypts and verifies.
     *
     * @throws GeneralSecurityException if the ciphertext or associated data was modified or another key was used
     */
    byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;
}
