package health.treatment.security;

/**
 * The key ring could not be loaded, created, rotated or persisted (missing or unreadable keysets, wrong key-encryption
 * key, keystore problems, refusal to create development keys in production). Unchecked: callers cannot recover at the
 * call site; the application should fail its readiness check.
 */
public class KeyRingException extends TreatmentSecurityException {
    private static final long serialVersionUID = 1L;

    public KeyRingException(String message) {
        super(message);
    }

    public KeyRingException(String message, Throwable cause) {
        super(message, cause);
    }
}
