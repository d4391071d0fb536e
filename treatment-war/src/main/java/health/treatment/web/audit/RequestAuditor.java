package health.treatment.web.audit;

import health.treatment.audit.AbuseDetector;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.web.filter.RequestIdFilter;
import health.treatment.web.metrics.MetricsFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the current HTTP request into audit events: who (token subject, roles, token id, client certificate),
 * where (source address, node, request id) and when. Never the body, the query string or the raw path.
 *
 * <p>Events that accompany a clinical write or read are recorded by the caller inside that transaction; every
 * other outcome (rejections, failures) goes through {@link #recordOutcome} or {@link #recordAlone}, in a transaction of its own, so a
 * rejected request is audited even though nothing else is written.
 */
@ApplicationScoped
public class RequestAuditor {

    /** Request attribute set once the request's outcome is in the trail, so it is never audited twice. */
    public static final String AUDITED = RequestAuditor.class.getName() + ".audited";

    private static final Pattern SAFE_CLIENT_ID = Pattern.compile("[A-Za-z0-9_.@:-]{1,128}");
    private static final Pattern SAFE_TOKEN_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern SAFE_ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern SAFE_IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    @Inject
    AuditTrail trail;

    @Inject
    AbuseDetector abuseDetector;

    @Inject
    ServletContext servletContext;

    /** A builder filled with everything the request says about who, where and when. */
    public AuditEvent.Builder begin(HttpServletRequest request, String action, String resourceType) {
        AuditEvent.Builder event = AuditEvent.builder()
                .time(Instant.now())
                .action(action)
                .resourceType(resourceType)
                .nodeId(trail.config().nodeId())
                .requestId((String) request.getAttribute(RequestIdFilter.ATTRIBUTE))
                .sourceIp(safe(request.getRemoteAddr(), SAFE_IP));
        Principal principal = request.getUserPrincipal();
        if (principal instanceof JsonWebToken token) {
            event.clientId(clientId(token.getSubject()))
                    .tokenId(safe(token.getTokenID(), SAFE_TOKEN_ID))
                    .roles(roles(token));
        }
        certificateThumbprint(request).ifPresent(event::certificateThumbprint);
        return event;
    }

    /** Records a completed event in its own transaction (used for rejections and failures). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAlone(HttpServletRequest request, AuditEvent event) {
        record(request, event);
    }

    /**
     * Records the outcome of a request that wrote nothing else (a rejection, a failure), in its own transaction.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordOutcome(HttpServletRequest request, String action, String resourceType, int status,
                              String reasonCode) {
        record(request, begin(request, action, resourceType)
                .outcome(outcomeFor(status)).httpStatus(status).reasonCode(reasonCode).build());
    }

    /** Records in the caller's transaction and marks the request as audited. */
    public void record(HttpServletRequest request, AuditEvent event) {
        trail.record(event);
        request.setAttribute(AUDITED, Boolean.TRUE);
        abuseDetector.observe(event).ifPresent(
                alert -> MetricsFilter.metrics(servletContext).recordSecurityAlert(alert.scope()));
    }

    public static Outcome outcomeFor(int status) {
        if (status < 400) {
            return Outcome.SUCCESS;
        }
        return switch (status) {
            case 401 -> Outcome.UNAUTHENTICATED;
            case 403 -> Outcome.FORBIDDEN;
            case 429 -> Outcome.RATE_LIMITED;
            default -> status >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
        };
    }

    /** Token subjects are client ids, not PHI; one that does not fit the trail's alphabet is recorded as its hash. */
    static String clientId(String subject) {
        if (subject == null || subject.isEmpty()) {
            return null;
        }
        return SAFE_CLIENT_ID.matcher(subject).matches() ? subject : "sha256:" + sha256(subject).substring(0, 43);
    }

    private static List<String> roles(JsonWebToken token) {
        List<String> roles = new ArrayList<>();
        if (token.getGroups() != null) {
            for (String group : token.getGroups()) {
                if (SAFE_ROLE.matcher(group).matches() && roles.size() < 16) {
                    roles.add(group);
                }
            }
        }
        return roles;
    }

    private static java.util.Optional<String> certificateThumbprint(HttpServletRequest request) {
        if (request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            try {
                return java.util.Optional.of(sha256(chain[0].getEncoded()));
            } catch (CertificateEncodingException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    private static String safe(String value, Pattern pattern) {
        return value != null && pattern.matcher(value).matches() ? value : null;
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** base64url(SHA-256), the RFC 8705 x5t#S256 form. */
    static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
