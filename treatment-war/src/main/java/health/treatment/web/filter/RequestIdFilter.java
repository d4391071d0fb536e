package health.treatment.web.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plain token, otherwise a fresh UUID.
 * The id is echoed back, put in Log4j's ThreadContext as {@code request_id} (so every log line carries it) and
 * one access line per request is logged with the route template, never the raw path or query (they could carry
 * identifiers).
 */
public class RequestIdFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    /** Request attribute holding the id, for code that runs outside the request thread's ThreadContext. */
    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Logger ACCESS = LogManager.getLogger("health.treatment.web.access");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String id = (String) req.getAttribute(ATTRIBUTE);
        // The first dispatch this filter sees logs the access line: the REQUEST, or the ERROR dispatch of a request
        // the container's security constraint rejected before any filter ran.
        boolean first = id == null;
        if (id == null) {
            String incoming = req.getHeader(HEADER);
            id = incoming != null && ACCEPTED.matcher(incoming).matches()
                    ? incoming
                    : UUID.randomUUID().toString();
            req.setAttribute(ATTRIBUTE, id);
        }
        res.setHeader(HEADER, id);
        String previous = ThreadContext.get(MDC_KEY);
        ThreadContext.put(MDC_KEY, id);
        long start = System.nanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            if (first) {
                ACCESS.info(
                        "{} {} -> {} in {} ms",
                        Labels.method(req),
                        Labels.endpoint(req),
                        res.getStatus(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            if (previous == null) {
                ThreadContext.remove(MDC_KEY);
            } else {
                ThreadContext.put(MDC_KEY, previous);
            }
        }
    }
}
