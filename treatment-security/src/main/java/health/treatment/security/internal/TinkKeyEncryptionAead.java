package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import health.treatment.security.spi.KeyEncryptionKey;
import java.security.GeneralSecurityException;
import java.util.Objects;

/** Lets Tink's encrypted-keyset serialization use our SPI's key-encryption key. */
public final class TinkKeyEncryptionAead implements Aead {
    private final KeyEncryptionKey kek;

    public TinkKeyEncryptionAead(KeyEncryptionKey kek) {
        this.kek = Objects.requireNonNull(kek, "kek");
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return kek.encrypt(plaintext, associatedData);
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return kek.decrypt(ciphertext, associatedData);
    }

    @Override
    public String toString() {
        return "TinkKeyEncryptionAead[redacted]";
    }
}
