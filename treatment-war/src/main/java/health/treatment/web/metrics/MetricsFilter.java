package health.treatment.web.metrics;

import health.treatment.web.filter.Labels;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Times every request of the WAR into the shared {@link RequestMetrics}: on its REQUEST dispatch, or, for a request
 * the container's security constraint rejected before any filter ran, on the error page's ERROR dispatch.
 */
public class MetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** Servlet context attribute holding the {@link RequestMetrics}. */
    public static final String CONTEXT_ATTRIBUTE = RequestMetrics.class.getName();

    private static final String MEASURED = MetricsFilter.class.getName() + ".measured";

    private transient RequestMetrics metrics;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        metrics = metrics(config.getServletContext());
    }

    public static synchronized RequestMetrics metrics(ServletContext ctx) {
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
        if (req.getAttribute(MEASURED) != null) {
            chain.doFilter(req, res); // an error dispatch of a request already being measured
            return;
        }
        req.setAttribute(MEASURED, Boolean.TRUE);
        long start = System.nanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            metrics.record(Labels.method(req), Labels.endpoint(req), res.getStatus(), System.nanoTime() - start);
        }
    }
}
