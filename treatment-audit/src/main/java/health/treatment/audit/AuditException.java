package health.treatment.audit;

/**
 * Root of every unchecked failure raised by this module (store unavailable, invalid configuration, invalid event field).
 * Messages never carry submitted values: they name the field and the rule, never the content.
 */
public class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
