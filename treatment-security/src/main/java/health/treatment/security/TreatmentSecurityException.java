package health.treatment.security;

/**
 * Root of this module's unchecked exceptions. Named so it cannot be confused with {@link java.lang.SecurityException}.
 *
 * <p>Messages never contain plaintext, ciphertext, patient identifiers or key material.
 */
public class TreatmentSecurityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TreatmentSecurityException(String message) {
        super(message);
    }

    public TreatmentSecurityException(String message, Throwable cause) {
        super(message, cause);
    }
}
