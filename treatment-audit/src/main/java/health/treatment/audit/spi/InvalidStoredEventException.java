package health.treatment.audit.spi;

import health.treatment.audit.AuditException;

/**
 * A stored sealed row no longer forms a valid event (a field was edited into something the event constructor
 * rejects). Stores raise it from range reads so the verifier can report {@code invalid_event} at that sequence.
 */
public class InvalidStoredEventException extends AuditException {
    private static final long serialVersionUID = 1L;
    private final long sequence;

    public InvalidStoredEventException(long sequence, Throwable cause) {
        super("stored audit event at sequence " + sequence + " is not a valid event", cause);
        this.sequence = sequence;
    }

    public long sequence() {
        return sequence;
    }
}
