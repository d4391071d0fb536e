package health.treatment.web.metrics;

import health.treatment.web.filter.Labels;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text format, counts and latencies per route template only (no PHI, no ids,
 * bounded label values). Who may read it is decided where it is registered ({@link MetricsEndpoint}).
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        req.setAttribute(Labels.ROUTE_ATTRIBUTE, "/metrics");
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            resp.setHeader("Allow", "GET, HEAD");
            ProblemResponses.write(resp, Problem.of(ProblemKind.METHOD_NOT_ALLOWED));
            return;
        }
        byte[] body = MetricsFilter.metrics(getServletContext()).render().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.setContentLength(body.length);
        if (req.getMethod().equals("GET")) {
            resp.getOutputStream().write(body);
        }
    }
}
