package health.treatment.web.filter;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The route templates under {@code /api}, for requests the container answered before JAX-RS matched them (the
 * security constraint on {@code /api/*} rejects a request without a valid token before any filter or resource
 * runs; its error dispatch still needs a bounded endpoint name for the audit trail, the metrics and the access
 * log). Matched requests take their template from {@link RouteFilter}; a unit test keeps this table equal to the
 * resources' {@code @Path}s.
 */
public final class ApiRoutes {

    /**
     * A route: its template, and the audit action and resource type of a request to it that the container or a
     * filter answered (a request the resource handled is audited by the resource itself, with a finer action).
     * {@code methods} are the HTTP methods the route serves; another method is audited as {@code <kind>.other}.
     */
    public record Route(String template, Set<String> methods, String action, String resourceType) {

        /** The audit action of a request with {@code method} to this route. */
        public String actionFor(String method) {
            return methods.contains(method) ? action : action.substring(0, action.indexOf('.')) + ".other";
        }
    }

    /** Every route, most specific first. */
    public static final List<Route> ROUTES = List.of(
            new Route("/api/v1/treatments/batch", Set.of("POST"), "treatment.create", "Treatment"),
            new Route("/api/v1/treatments/search", Set.of("POST"), "treatment.search", "Treatment"),
            new Route("/api/v1/treatments/changes", Set.of("GET"), "treatment.changes", "Treatment"),
            new Route("/api/v1/treatments/{id}", Set.of("GET"), "treatment.read", "Treatment"),
            new Route("/api/v1/treatments", Set.of("POST"), "treatment.create", "Treatment"),
            new Route("/api/v1/audit/events", Set.of("GET"), "audit.query", "AuditEvent"),
            new Route("/api/v1/audit/verify", Set.of("GET", "POST"), "audit.verify", "AuditEvent"),
            new Route("/api/v1/audit/export", Set.of("GET"), "audit.export", "AuditEvent"),
            new Route("/api/v1/audit/checkpoints/latest", Set.of("GET"), "audit.checkpoints", "AuditEvent"),
            new Route("/api/v1/audit/checkpoints", Set.of("GET"), "audit.checkpoints", "AuditEvent"),
            new Route("/api/v1/audit/signing-keys", Set.of("GET"), "audit.signing_keys", "AuditEvent"),
            new Route("/api/v1/patients/erasure", Set.of("POST"), "patient.erasure", "Patient"));

    /** Every template, most specific first. */
    public static final List<String> TEMPLATES =
            ROUTES.stream().map(Route::template).toList();

    /** The route of a template from {@link #TEMPLATES} (or of {@link Labels#endpoint}), if it is one. */
    public static Optional<Route> route(String template) {
        return ROUTES.stream().filter(r -> r.template().equals(template)).findFirst();
    }

    private ApiRoutes() {}

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
