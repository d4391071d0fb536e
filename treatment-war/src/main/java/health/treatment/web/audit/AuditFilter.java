package health.treatment.web.audit;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.web.filter.ApiRoutes;
import health.treatment.web.filter.Labels;
import health.treatment.web.filter.RateLimits;
import health.treatment.web.persistence.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Every access attempt under {@code /api} ends in the audit trail (HIPAA counts failed attempts too): requests the
 * resources did not audit themselves — no or bad token, wrong role, rate-limited, too large, unknown route, server
 * error — are recorded here after the response is decided, in a transaction of their own. Mapped twice: on the
 * REQUEST dispatch of {@code /api/*}, and on the ERROR dispatch of the error page, for requests the container's
 * security constraint rejected before any filter ran (their only dispatch through this filter). Rejections beyond a
 * source's per-window threshold are counted into one aggregate event per source and reason
 * ({@link RejectionAggregator}), so a flood cannot fill the trail; a failed role check also counts against the
 * client's rate limit (DESIGN section 3: rejected requests count).
 */
public class AuditFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(AuditFilter.class);

    @Inject
    transient RequestAuditor auditor;

    @Inject
    transient RejectionAggregator aggregator;

    @Inject
    transient RateLimits rateLimits;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ERROR && !isApiError(request)) {
            chain.doFilter(request, response);
            return;
        }
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            if (request.getAttribute(RequestAuditor.AUDITED) == null) {
                auditAlone(request, status);
            }
        }
    }

    private void auditAlone(HttpServletRequest request, int status) {
        try {
            String reason =
                    request.getAttribute(RequestAuditor.REASON) instanceof String given ? given : reasonFor(status);
            String action = actionFor(request);
            String resourceType = resourceTypeFor(request);
            AuditEvent event = auditor.begin(request, action, resourceType)
                    .outcome(Outcome.forHttpStatus(status))
                    .httpStatus(status)
                    .reasonCode(reason)
                    .build();
            if (status == 403 && event.clientId() != null) {
                rateLimits.countRejected(event.clientId()); // a failed role check counts against the client's limit
            }
            if (event.outcome().isRejection()
                    && !aggregator.admit(new RejectionAggregator.Rejection(
                            event.sourceIp(), action, resourceType, status, reason))) {
                auditor.aggregated(request, event); // a flood: counted into one aggregate event per source and reason
                return;
            }
            auditor.record(request, event);
        } catch (StoreUnavailableException e) {
            // The database is down (the store circuit logged that once): counted, not logged per request.
            auditor.lost();
        } catch (RuntimeException e) {
            // The response is already decided; losing this event must at least be visible to operators.
            auditor.lost();
            LOG.error("could not audit a {} response: {}", status, e.getClass().getName());
        }
    }

    private static boolean isApiError(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
                && uri.startsWith(request.getContextPath() + "/api/");
    }

    static String actionFor(HttpServletRequest request) {
        String method = Labels.method(request);
        return ApiRoutes.route(Labels.endpoint(request))
                .map(r -> r.actionFor(method))
                .orElse("api.unmatched");
    }

    private static String resourceTypeFor(HttpServletRequest request) {
        return ApiRoutes.route(Labels.endpoint(request))
                .map(ApiRoutes.Route::resourceType)
                .orElse("Treatment");
    }

    static String reasonFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "store_unavailable";
            default -> status >= 500 ? "server_error" : status >= 400 ? "client_error" : null;
        };
    }
}
