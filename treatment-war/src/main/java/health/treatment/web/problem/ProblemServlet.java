package health.treatment.web.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Target of every {@code <error-page>} in web.xml: the container's own errors (unknown path, {@code /WEB-INF},
 * security challenges, uncaught exceptions outside JAX-RS) become problems instead of the container's HTML page,
 * which names the product, exception classes and the requested path.
 */
public class ProblemServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
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
        if (problem.status() == 401 && req.getHeader("Authorization") != null
                && !resp.containsHeader("WWW-Authenticate")) {
            resp.setHeader("WWW-Authenticate", ProblemResponses.BEARER_INVALID_TOKEN);
        }
        ProblemResponses.write(resp, problem);
    }
}
