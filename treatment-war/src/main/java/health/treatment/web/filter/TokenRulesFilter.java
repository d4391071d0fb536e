package health.treatment.web.filter;

import health.treatment.security.CallerRules;
import health.treatment.security.Decision;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Rules every verified token must meet on every endpoint, right after authentication and before the role check,
 * the rate limit and any resource:
 *
 * <ul>
 *   <li>a subject ({@code sub}): rate-limit buckets, idempotency scope and the device/machine rule all key on it,
 *       so a token without one is 401 (MP JWT itself accepts it and names the principal after {@code upn});</li>
 *   <li>RFC 8705 certificate binding: a token with {@code cnf.x5t#S256} is honoured only over a TLS connection
 *       presenting that certificate, so a stolen bound token is not a bearer token anywhere.</li>
 * </ul>
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class TokenRulesFilter implements ContainerRequestFilter {

    /** Audit reason code of a verified token without a subject. */
    static final String NO_SUBJECT = "token_without_subject";

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        Principal principal = context.getSecurityContext() == null
                ? null
                : context.getSecurityContext().getUserPrincipal();
        if (!(principal instanceof JsonWebToken token)) {
            return; // no caller: BearerChallengeFilter (protected methods) or nothing to check
        }
        if (token.getSubject() == null || token.getSubject().isBlank()) {
            reject(context, NO_SUBJECT);
            return;
        }
        Decision binding = CallerRules.certificateBinding(Callers.from(token), Callers.clientCertificate(request));
        if (!binding.allowed()) {
            reject(context, binding.reasonCode());
        }
    }

    private void reject(ContainerRequestContext context, String reason) {
        request.setAttribute(RequestAuditor.REASON, reason);
        context.abortWith(ProblemResponses.unauthorized(true));
    }
}
