package health.treatment.web.problem;

import health.treatment.web.persistence.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Last line of defence for JAX-RS: anything not mapped elsewhere becomes a problem. Without it Liberty answers
 * 500 with the raw exception message as the body (measured), which could echo submitted values.
 */
@Provider
public class ThrowableMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LogManager.getLogger(ThrowableMapper.class);

    @Override
    public Response toResponse(Throwable t) {
        if (t instanceof StoreUnavailableException) {
            // Expected while the database is down (the circuit logs that once): no error line per request.
            return ProblemResponses.jaxrs(Problem.of(ProblemKind.UNAVAILABLE)).build();
        }
        if (t instanceof ProblemException p) {
            if (p.problem().status() >= 500) {
                logServerError(p.getCause() == null ? p : p.getCause());
            }
            Response.ResponseBuilder response = ProblemResponses.jaxrs(p.problem());
            if (p.retryAfterSeconds() > 0) {
                response.header("Retry-After", Long.toString(p.retryAfterSeconds()));
            }
            return response.build();
        }
        ProblemKind kind = Failures.classify(t);
        if (kind == null) {
            kind = ProblemKind.INTERNAL;
        }
        if (kind == ProblemKind.INTERNAL || kind == ProblemKind.UNAVAILABLE) {
            logServerError(t);
        }
        return ProblemResponses.jaxrs(Problem.of(kind)).build();
    }

    /** Logs the exception type only: messages of parsers and drivers can quote submitted data. */
    static void logServerError(Throwable t) {
        StringBuilder chain = new StringBuilder(t.getClass().getName());
        Throwable c = t.getCause();
        for (int i = 0; c != null && i < 8; i++, c = c.getCause()) {
            chain.append(" <- ").append(c.getClass().getName());
        }
        LOG.error("unhandled failure: {}", chain);
    }
}
