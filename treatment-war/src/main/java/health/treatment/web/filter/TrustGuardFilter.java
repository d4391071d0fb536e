package health.treatment.web.filter;

import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.config.JwtTrust;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * First of all {@code /api} filters: while {@link JwtTrust} refuses the JWT settings (production with missing or
 * development values), every request is answered 503 whatever token it carries, so no token signed with a
 * development key is ever honoured.
 *
 * <p>{@code @Dependent}: a bean-defining annotation, so every JAX-RS runtime fills {@code @Inject} fields (some
 * make providers CDI beans only when they carry one).
 */
@Dependent
@Provider
@PreMatching
@Priority(1)
public class TrustGuardFilter implements ContainerRequestFilter {

    /** Audit reason code of requests refused while trust is refused. */
    static final String REASON = "jwt_trust_refused";

    @Inject
    JwtTrust trust;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        if (trust.refusal().isPresent()) {
            request.setAttribute(RequestAuditor.REASON, REASON);
            context.abortWith(ProblemResponses.jaxrs(Problem.of(
                            ProblemKind.UNAVAILABLE,
                            "The server's token verification is not configured for production."))
                    .build());
        }
    }
}
