package health.treatment.web.problem;

import health.treatment.store.TreatmentStoreException;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import java.sql.SQLException;

/** Classifies a failure by walking its cause chain, so wrapped parser or limit failures keep their meaning. */
public final class Failures {

    private static final int MAX_DEPTH = 16;

    private Failures() {}

    private static ProblemKind kindOf(Problem p) {
        for (ProblemKind k : ProblemKind.values()) {
            if (k.type().equals(p.type())) {
                return k;
            }
        }
        return ProblemKind.forStatus(p.status());
    }

    /** The problem kind a throwable stands for, or {@code null} when it is not one we recognise. */
    public static ProblemKind classify(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof RequestBodyTooLargeException) {
                return ProblemKind.PAYLOAD_TOO_LARGE;
            }
            if (c instanceof ProblemException p) {
                return kindOf(p.problem());
            }
        }
        c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof JsonException || c instanceof JsonbException) {
                return ProblemKind.MALFORMED_JSON;
            }
        }
        c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            // The store (database, transaction manager) failed: retryable, never the caller's fault.
            if (c instanceof SQLException || c instanceof TreatmentStoreException) {
                return ProblemKind.UNAVAILABLE;
            }
        }
        return null;
    }
}
