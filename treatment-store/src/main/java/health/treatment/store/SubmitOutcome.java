package health.treatment.store;

/**
 * What became of one {@link Submission}. Every outcome has been audited (committed) when it is returned.
 */
public sealed interface SubmitOutcome {

    /** HTTP status the outcome stands for (201, 200, 409 or 503). */
    int httpStatus();

    /** Stored: the record, its idempotency key and its audit event were committed together. */
    record Created(String id) implements SubmitOutcome {
        @Override
        public int httpStatus() {
            return 201;
        }
    }

    /** The same client sent the same record under the same idempotency key before: nothing new was stored. */
    record Replayed(String id) implements SubmitOutcome {
        @Override
        public int httpStatus() {
            return 200;
        }
    }

    /** The idempotency key was used by this client for a different record: nothing was stored. */
    record KeyReused() implements SubmitOutcome {
        @Override
        public int httpStatus() {
            return 409;
        }
    }

    /**
     * The store could not take the record (database failing, overloaded, shutting down): nothing is known to be stored.
     * A client may retry; with an idempotency key a retry can never store the record twice.
     */
    record Unavailable() implements SubmitOutcome {
        @Override
        public int httpStatus() {
            return 503;
        }
    }
}
