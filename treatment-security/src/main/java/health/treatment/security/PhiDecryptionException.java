package health.treatment.security;

/**
 * A ciphertext could not be decrypted: it was modified, is bound to another record or field, was produced under a key
 * this key ring does not hold, or the per-patient key was destroyed. Checked because the caller must decide what a
 * failed decryption means (404, alert, audit).
 *
 * <p>The message is one of a few fixed phrases; it never contains plaintext, ciphertext, bindings or keys, and no cause
 * is attached (lower-level messages are not under our control).
 */
public class PhiDecryptionException extends Exception {
    private static final long serialVersionUID = 1L;

    public PhiDecryptionException(String message) {
        super(message);
    }
}
