package health.treatment.web.filter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Bounded, PHI-free names for a request, shared by the access log and the metrics: the HTTP method from a fixed
 * set and the matched route template (e.g. {@code /api/v1/treatments/{id}}), never the raw path.
 */
public final class Labels {

    /** Request attribute set by {@link RouteFilter} once JAX-RS has matched a resource method. */
    public static final String ROUTE_ATTRIBUTE = Labels.class.getName() + ".route";
    /** Endpoint label of every request no route matched (unknown paths must not become label values). */
    public static final String UNMATCHED = "unmatched";

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

    private Labels() {}

    public static String method(HttpServletRequest req) {
        String m = req.getMethod();
        return m != null && METHODS.contains(m) ? m : "OTHER";
    }

    public static String endpoint(HttpServletRequest req) {
        Object route = req.getAttribute(ROUTE_ATTRIBUTE);
        if (route instanceof String s) {
            return s;
        }
        // An error dispatch for a request the container rejected before JAX-RS ran: name it by its original path.
        if (req.getDispatcherType() == DispatcherType.ERROR
                && req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            String path = uri.startsWith(req.getContextPath())
                    ? uri.substring(req.getContextPath().length())
                    : uri;
            return ApiRoutes.templateOf(path).orElse(UNMATCHED);
        }
        return UNMATCHED;
    }

    public static String outcome(int status) {
        if (status >= 500) {
            return "server_error";
        }
        if (status >= 400) {
            return "client_error";
        }
        return "success";
    }
}
