package health.treatment.web.problem;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Target of every {@code <error-page>} in web.xml: the container's own errors (unknown path, {@code /WEB-INF},
 * security challenges, uncaught exceptions outside JAX-RS) become problems instead of the container's HTML page,
 * which names the product, exception classes and the requested path.
 *
 * <p>Only the container's ERROR dispatch reaches the problem it describes. A client asking for {@value #PATH}
 * itself gets the same 404 as any unknown path: otherwise anyone could make the server answer 500 at will and
 * inflate its server-error metrics.
 *
 * <p>TRACE is never served (web.xml's constraint denies it before authentication, so it arrives here as a 403):
 * the answer is 405 with the target's {@code Allow}. This servlet's own path is left out of that constraint, since
 * Liberty checks the constraints again for the error dispatch, with the original method.
 */
public class ProblemServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The error pages' location (web.xml). */
    public static final String PATH = "/_problem";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean error = req.getDispatcherType() == DispatcherType.ERROR;
        if (Methods.TRACE.equals(req.getMethod())) {
            Methods.notAllowed(req, resp, error ? originalPath(req) : PATH);
            return;
        }
        if (!error) {
            ProblemResponses.write(resp, Problem.of(ProblemKind.NOT_FOUND));
            return;
        }
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : resp.getStatus();
        Object ex = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Problem problem;
        if (ex instanceof Throwable t && Failures.classify(t) != null) {
            problem = Problem.of(Failures.classify(t));
        } else {
            problem = Problem.forStatus(status < 400 ? 500 : status);
        }
        if (problem.status() >= 500 && ex instanceof Throwable t) {
            ThrowableMapper.logServerError(t);
        }
        if (problem.status() == 401
                && req.getHeader("Authorization") != null
                && !resp.containsHeader("WWW-Authenticate")) {
            resp.setHeader("WWW-Authenticate", ProblemResponses.BEARER_INVALID_TOKEN);
        }
        ProblemResponses.write(resp, problem);
    }

    /**
     * Declared only so that Liberty lets TRACE error dispatches reach this servlet: it refuses TRACE (403, empty
     * body) to any servlet that keeps {@link HttpServlet}'s default {@code doTrace}. {@link #service} answers
     * every method itself.
     */
    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        service(req, resp);
    }

    /** The path within the context of the request the error is about. */
    private static String originalPath(HttpServletRequest req) {
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s ? s : req.getRequestURI();
        String context = req.getContextPath();
        return path != null && !context.isEmpty() && path.startsWith(context) ? path.substring(context.length()) : path;
    }
}
