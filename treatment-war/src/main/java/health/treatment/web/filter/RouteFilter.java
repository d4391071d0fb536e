package health.treatment.web.filter;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Records the matched route template (e.g. {@code /api/v1/treatments/{id}}) for logs and metrics. Runs before authentication and authorization so
 * that rejected requests are counted under their endpoint too.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class RouteFilter implements ContainerRequestFilter {

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Class<?> type = resourceInfo.getResourceClass();
        Method method = resourceInfo.getResourceMethod();
        if (type == null || method == null || servletRequest == null) {
            return;
        }
        StringBuilder route = new StringBuilder(servletRequest.getServletPath());
        append(route, type.getAnnotation(Path.class));
        append(route, method.getAnnotation(Path.class));
        servletRequest.setAttribute(Labels.ROUTE_ATTRIBUTE, route.toString());
    }

    private static void append(StringBuilder route, Path path) {
        if (path == null) {
            return;
        }
        String p = path.value();
        if (!p.startsWith("/")) {
            route.append('/');
        }
        route.append(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
    }
}
