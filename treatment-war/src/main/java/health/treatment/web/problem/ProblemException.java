package health.treatment.web.problem;

/**
 * The WAR's exception root: a failure that already knows which problem it is. Mapped by {@link ThrowableMapper};
 * its message is never sent to the client.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(ProblemKind kind, Throwable cause) {
        this(Problem.of(kind), cause);
    }

    public ProblemException(Problem problem, Throwable cause) {
        super(problem.title(), cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
