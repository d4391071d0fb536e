package health.treatment.web.filter;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Rate limit per authenticated client, after authentication and authorization and before validation (DESIGN
 * section 3): every request counts, including ones later rejected. The client is the token's subject. The per-machine
 * limit for gateways and the batch item budget are applied by the submit resource once the body names the machines.
 *
 * <p>{@code @Dependent}: a bean-defining annotation, so every JAX-RS runtime fills {@code @Inject} fields (some
 * make providers CDI beans only when they carry one).
 */
@Dependent
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class RateLimitFilter implements ContainerRequestFilter {

    @Inject
    RateLimits limits;

    @Override
    public void filter(ContainerRequestContext context) {
        Principal principal = context.getSecurityContext() == null
                ? null
                : context.getSecurityContext().getUserPrincipal();
        if (principal instanceof JsonWebToken token && token.getSubject() != null) {
            limits.checkClient(token.getSubject());
        }
        // Unauthenticated requests never reach a resource; nothing to count against here.
    }
}
