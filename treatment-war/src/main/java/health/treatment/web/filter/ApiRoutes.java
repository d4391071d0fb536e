package health.treatment.web.filter;

import java.util.List;
import java.util.Optional;

/**
 * The route templates under {@code /api}, for requests the container answered before JAX-RS matched them (the
 * security constraint on {@code /api/*} rejects a request without a valid token before any filter or resource
 * runs; its error dispatch still needs a bounded endpoint name for the audit trail, the metrics and the access
 * log). Matched requests take their template from {@link RouteFilter}; a unit test keeps this table equal to the
 * resources' {@code @Path}s.
 */
public final class ApiRoutes {

    /** Every template, most specific first. */
    public static final List<String> TEMPLATES = List.of(
            "/api/v1/treatments/batch",
            "/api/v1/treatments/{id}",
            "/api/v1/treatments",
            "/api/v1/audit/events",
            "/api/v1/audit/verify");

    private ApiRoutes() {
    }

    /** The template a path within the context (e.g. {@code /api/v1/treatments/abc}) matches, if any. */
    public static Optional<String> templateOf(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String template : TEMPLATES) {
            if (matches(template, p)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
            if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }
}
