package health.treatment.web.persistence;

import health.treatment.store.TreatmentStoreException;

/**
 * The store could not serve a request now: it failed, its circuit is open, the request timed out or too many were
 * already waiting on it. Answered 503 with {@code Retry-After}; nothing of the request was committed for it to
 * report. Not logged per request: {@link GuardedStore} logs the circuit's transitions once each.
 */
public final class StoreUnavailableException extends TreatmentStoreException {
    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String message) {
        super(message);
    }

    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
