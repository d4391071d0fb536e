package health.treatment.web.problem;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Replaces the container's default (static file) servlet: the WAR serves no files, so every path not mapped
 * to JAX-RS or another servlet is a 404 problem, whatever the method; TRACE is a 405 on every path.
 */
public class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (Methods.TRACE.equals(req.getMethod())) {
            // Normally denied by web.xml's constraint before it gets here; kept for containers that let it through.
            String info = req.getPathInfo();
            Methods.notAllowed(req, resp, req.getServletPath() + (info == null ? "" : info));
            return;
        }
        ProblemResponses.write(resp, Problem.of(ProblemKind.NOT_FOUND));
    }

    /**
     * Declared only so that Liberty does not refuse TRACE itself (403 with an empty body, before any filter) for a
     * servlet that keeps {@link HttpServlet}'s default; {@link #service} answers every method.
     */
    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        service(req, resp);
    }
}
