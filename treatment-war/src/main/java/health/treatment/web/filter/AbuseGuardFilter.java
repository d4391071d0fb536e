package health.treatment.web.filter;

import health.treatment.web.audit.AbuseSignals;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.OptionalLong;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses floods cheaply, inside the audit filter (so each refusal is still counted there) and before any resource or
 * store work:
 *
 * <ul>
 *   <li>A request under {@code /api} that the container answered 401 (no or bad token: its only pass through the
 *       filters is the error page's ERROR dispatch) counts against its source address's unauthenticated limit
 *       ({@link RateLimits#unauthenticatedWait}, in memory); over it, the answer becomes 429 with
 *       {@code Retry-After}.</li>
 *   <li>With quarantine on ({@link AbuseSignals#quarantineWait}), a client or address whose abuse budget is spent is
 *       answered 429 on every request under {@code /api} until its window ends.</li>
 * </ul>
 * The container verifies a presented token before any filter runs (that check is Liberty's, cached per token); what
 * this filter saves is everything after it: the resource, the store, and an audit row per attempt (see
 * {@code RejectionAggregator}).
 */
public class AbuseGuardFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient RateLimits rateLimits;

    @Inject
    transient AbuseSignals abuse;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String source = request.getRemoteAddr();
        OptionalLong wait = OptionalLong.empty();
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            if (isApiError(request)
                    && Integer.valueOf(401).equals(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE))) {
                wait = abuse.quarantineWait(null, source);
                if (wait.isEmpty()) {
                    wait = rateLimits.unauthenticatedWait(source);
                }
            }
        } else {
            Principal principal = request.getUserPrincipal();
            String client = principal instanceof JsonWebToken token ? token.getSubject() : null;
            wait = abuse.quarantineWait(client, source);
        }
        if (wait.isPresent()) {
            request.setAttribute(RequestAuditor.REASON, "rate_limited");
            response.setHeader("Retry-After", Long.toString(wait.getAsLong()));
            ProblemResponses.write(response, Problem.of(ProblemKind.TOO_MANY_REQUESTS));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isApiError(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
                && uri.startsWith(request.getContextPath() + "/api/");
    }
}
