package health.treatment.core;

/**
 * Root of every exception this module throws. Raised for misuse (for example an impossible {@link ValidationLimits}
 * or a {@link TreatmentRecord} that breaks its invariants), for I/O failures of the caller's stream and for a stored
 * document that no longer binds ({@link TreatmentRecord#fromJson}); never for a submitted document, whose problems are
 * reported as {@link ValidationResult.Invalid}. Messages never contain submitted values.
 */
public class TreatmentCoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TreatmentCoreException(String message) {
        super(message);
    }

    public TreatmentCoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
