package health.treatment.store;

/**
 * What became of an erasure request ({@link TreatmentStore#erasePatient}). Every outcome but {@link Unavailable} has
 * its audit event committed, in the same transaction as the erasure, when it is returned.
 */
public sealed interface ErasureOutcome {

    /** HTTP status the outcome stands for (200, 404 or 503). */
    int httpStatus();

    /**
     * The patient's data key was destroyed just now: every stored record of the patient (and the stored identifier) is
     * unreadable in the live database from this commit on.
     *
     * @param patientRef the patient's pseudonym (safe to log; never the identifier)
     * @param records how many records are stored for the patient (all now unreadable)
     */
    record Erased(String patientRef, int records) implements ErasureOutcome {
        @Override
        public int httpStatus() {
            return 200;
        }
    }

    /** The patient's data key had been destroyed before and nothing was stored since: nothing changed. */
    record AlreadyErased(String patientRef) implements ErasureOutcome {
        @Override
        public int httpStatus() {
            return 200;
        }
    }

    /** No record was ever stored for that identifier. */
    record NotFound() implements ErasureOutcome {
        @Override
        public int httpStatus() {
            return 404;
        }
    }

    /** The database failed: nothing was erased and nothing audited. The request may be repeated. */
    record Unavailable() implements ErasureOutcome {
        @Override
        public int httpStatus() {
            return 503;
        }
    }
}
