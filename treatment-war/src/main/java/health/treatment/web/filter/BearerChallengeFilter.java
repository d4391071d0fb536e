package health.treatment.web.filter;

import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Answers 401 problem+json with {@code WWW-Authenticate: Bearer} for a protected resource method when MP JWT has
 * established no caller (no token, or a token it rejected). The runtime's own role check would answer the same
 * status with an empty body; this filter runs just before it (authentication before authorization).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerChallengeFilter implements ContainerRequestFilter {

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Method method = resourceInfo.getResourceMethod();
        Class<?> type = resourceInfo.getResourceClass();
        if (method == null || type == null || !isProtected(type, method)) {
            return;
        }
        if (ctx.getSecurityContext() == null || ctx.getSecurityContext().getUserPrincipal() == null) {
            ctx.abortWith(ProblemResponses.unauthorized(ctx.getHeaderString("Authorization") != null));
        }
    }

    static boolean isProtected(Class<?> type, Method method) {
        if (method.isAnnotationPresent(PermitAll.class)) {
            return false;
        }
        if (method.isAnnotationPresent(RolesAllowed.class)) {
            return true;
        }
        return type.isAnnotationPresent(RolesAllowed.class) && !type.isAnnotationPresent(PermitAll.class);
    }
}
