package health.treatment.web.problem;

/**
 * The WAR's exception root: a failure that already knows which problem it is. Mapped by {@link ThrowableMapper};
 * its message is never sent to the client.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final long retryAfterSeconds;

    public ProblemException(ProblemKind kind, Throwable cause) {
        this(Problem.of(kind), cause);
    }

    public ProblemException(Problem problem, Throwable cause) {
        this(problem, cause, 0);
    }

    /** A problem the client may retry after {@code retryAfterSeconds} (sent as {@code Retry-After}; 0 = none). */
    public ProblemException(Problem problem, Throwable cause, long retryAfterSeconds) {
        super(problem.title(), cause);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
