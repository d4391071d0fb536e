package health.treatment.store;

/**
 * The store failed (the database is unreachable or refused the work). Messages are fixed texts: never a record, an
 * identifier or a driver message.
 */
public class TreatmentStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TreatmentStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public TreatmentStoreException(String message) {
        super(message);
    }
}
