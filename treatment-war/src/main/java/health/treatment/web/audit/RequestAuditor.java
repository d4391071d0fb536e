package health.treatment.web.audit;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditFields;
import health.treatment.audit.Outcome;
import health.treatment.security.CallerRules;
import health.treatment.store.TreatmentStoreException;
import health.treatment.web.filter.Callers;
import health.treatment.web.filter.RequestIdFilter;
import health.treatment.web.persistence.GuardedStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the current HTTP request into audit events: who (token subject, roles, token id, client certificate),
 * where (source address, node, request id) and when. Never the body, the query string or the raw path. The audit
 * jar sanitises every value ({@link AuditFields}).
 *
 * <p>Events that accompany a write or a read are committed by the treatment store together with it; every other
 * outcome (rejections, failures, queries) goes through {@link #recordOutcome} or {@link #record}, which commit the
 * event through the store's grouped writer before returning.
 */
@ApplicationScoped
public class RequestAuditor {

    /** Request attribute set once the request's outcome is in the trail, so it is never audited twice. */
    public static final String AUDITED = RequestAuditor.class.getName() + ".audited";
    /**
     * Request attribute a filter sets to the reason code of a rejection it answered itself (e.g.
     * {@code certificate_mismatch}); the audit filter records it instead of the reason its status implies.
     */
    public static final String REASON = RequestAuditor.class.getName() + ".reason";

    @Inject
    AuditConfig config;

    @Inject
    GuardedStore store;

    @Inject
    AbuseSignals abuseSignals;

    private final AtomicLong lost = new AtomicLong();

    /** A builder filled with everything the request says about who, where and when. */
    public AuditEvent.Builder begin(HttpServletRequest request, String action, String resourceType) {
        AuditEvent.Builder event = AuditEvent.builder()
                .time(Instant.now())
                .action(action)
                .resourceType(resourceType)
                .nodeId(config.nodeId())
                .requestId(AuditFields.requestId((String) request.getAttribute(RequestIdFilter.ATTRIBUTE)))
                .sourceIp(AuditFields.sourceIp(request.getRemoteAddr()));
        Principal principal = request.getUserPrincipal();
        if (principal instanceof JsonWebToken token) {
            event.clientId(AuditFields.clientId(token.getSubject()))
                    .tokenId(AuditFields.tokenId(token.getTokenID()))
                    .roles(AuditFields.roles(token.getGroups()));
        }
        // The same x5t#S256 value a certificate-bound token names (RFC 8705); none when the chain cannot be encoded.
        Callers.clientCertificate(request).map(CallerRules::thumbprintOf).ifPresent(event::certificateThumbprint);
        return event;
    }

    /** The event of an attempt whose outcome the store decides (it completes it with the record and the status). */
    public AuditEvent attempt(HttpServletRequest request, String action, String resourceType) {
        return begin(request, action, resourceType)
                .outcome(Outcome.SUCCESS)
                .httpStatus(200)
                .build();
    }

    /**
     * Commits an event now (rejections, failures, queries) and marks the request as audited.
     *
     * @throws TreatmentStoreException if the trail cannot take it (the request must not succeed unaudited: 503)
     */
    public void record(HttpServletRequest request, AuditEvent event) {
        store.audit(event);
        committed(request, event);
    }

    /** Commits the outcome of a request that wrote nothing else (a rejection, a failure). */
    public void recordOutcome(
            HttpServletRequest request, String action, String resourceType, int status, String reasonCode) {
        record(
                request,
                begin(request, action, resourceType)
                        .outcome(Outcome.forHttpStatus(status))
                        .httpStatus(status)
                        .reasonCode(reasonCode)
                        .build());
    }

    /** The store committed {@code event} for this request: mark it audited and feed the abuse detector. */
    public void committed(HttpServletRequest request, AuditEvent event) {
        request.setAttribute(AUDITED, Boolean.TRUE);
        abuseSignals.observe(event);
    }

    /** Counts an outcome that could not be audited (the response was already decided): {@link #lostEvents()}. */
    public void lost() {
        lost.incrementAndGet();
    }

    /** Request outcomes this node answered but could not put into the trail (the store was unavailable). */
    public long lostEvents() {
        return lost.get();
    }

    /**
     * A rejection counted into an aggregate instead of audited on its own ({@link RejectionAggregator}): mark the
     * request audited and feed the abuse detector all the same.
     */
    public void aggregated(HttpServletRequest request, AuditEvent event) {
        committed(request, event);
    }
}
