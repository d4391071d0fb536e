package health.treatment.web.filter;

import health.treatment.web.persistence.RateLimitWindows;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemException;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.sql.SQLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rate limit per authenticated client, after authentication and authorization and before validation (DESIGN
 * section 3): every request counts, including ones later rejected. Counts live in the shared database so the limit
 * holds across nodes. The per-machine limit for gateways is applied by the submit resource once the body names the
 * machine ({@link #checkMachine}).
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class RateLimitFilter implements ContainerRequestFilter {

    @Inject
    RateLimitWindows windows;

    @Inject
    @ConfigProperty(name = "treatment.ratelimit.per-minute", defaultValue = "100")
    int perMinute;

    @Override
    public void filter(ContainerRequestContext context) {
        Principal principal = context.getSecurityContext() == null ? null
                : context.getSecurityContext().getUserPrincipal();
        if (principal == null || principal.getName() == null) {
            return; // unauthenticated requests never reach a resource; nothing to count against
        }
        check("client:" + principal.getName());
    }

    /** Counts one request for the machine; throws a 429 problem when over the limit. */
    public void checkMachine(String machineId) {
        check("machine:" + machineId);
    }

    private void check(String bucket) {
        RateLimitWindows.Count count;
        try {
            count = windows.increment(bucket);
        } catch (SQLException e) {
            throw new ProblemException(ProblemKind.UNAVAILABLE, e);
        }
        if (count.requests() > perMinute) {
            throw new ProblemException(Problem.of(ProblemKind.TOO_MANY_REQUESTS), null, count.secondsUntilReset());
        }
    }
}
