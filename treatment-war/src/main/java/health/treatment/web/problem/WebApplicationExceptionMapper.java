package health.treatment.web.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The JAX-RS runtime's own failures (404, 405, 406, 415, 401/403 from the role check, 400 from parameter
 * conversion, ...) as problems. Keeps the headers the client needs ({@code Allow}, {@code Retry-After}); drops
 * everything else the exception carried, including its message and entity.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status < 400) {
            return original; // redirects and the like are not failures
        }
        ProblemKind kind = Failures.classify(e.getCause());
        Problem problem = kind != null ? Problem.of(kind) : Problem.forStatus(status);
        Response.ResponseBuilder b = ProblemResponses.jaxrs(problem);
        if (original != null) {
            copy(original, b, HttpHeaders.ALLOW);
            copy(original, b, HttpHeaders.RETRY_AFTER);
        }
        if (problem.status() >= 500) {
            ThrowableMapper.logServerError(e);
        }
        return b.build();
    }

    private static void copy(Response from, Response.ResponseBuilder to, String header) {
        Object v = from.getHeaders().getFirst(header);
        if (v != null) {
            to.header(header, v);
        }
    }
}
