package health.treatment.web.metrics;

import health.treatment.web.filter.Labels;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Times every request of the WAR (REQUEST dispatch) into the shared {@link RequestMetrics}. */
public class MetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** Servlet context attribute holding the {@link RequestMetrics}. */
    public static final String CONTEXT_ATTRIBUTE = RequestMetrics.class.getName();

    private transient RequestMetrics metrics;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        metrics = metrics(config.getServletContext());
    }

    public static synchronized RequestMetrics metrics(jakarta.servlet.ServletContext ctx) {
        Object m = ctx.getAttribute(CONTEXT_ATTRIBUTE);
        if (m instanceof RequestMetrics rm) {
            return rm;
        }
        RequestMetrics rm = new RequestMetrics();
        ctx.setAttribute(CONTEXT_ATTRIBUTE, rm);
        return rm;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            metrics.record(Labels.method(req), Labels.endpoint(req), res.getStatus(), System.nanoTime() - start);
        }
    }
}
