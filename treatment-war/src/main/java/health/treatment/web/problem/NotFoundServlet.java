package health.treatment.web.problem;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Replaces the container's default (static file) servlet: the WAR serves no files, so every path not mapped
 * to JAX-RS or another servlet is a 404 problem, whatever the method.
 */
public class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ProblemResponses.write(resp, Problem.of(ProblemKind.NOT_FOUND));
    }
}
