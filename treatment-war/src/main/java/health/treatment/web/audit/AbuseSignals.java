package health.treatment.web.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.web.filter.RateLimits;
import health.treatment.web.metrics.MetricsFilter;
import health.treatment.web.persistence.GuardedStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The abuse detector: counts rejected attempts (unauthenticated, forbidden, invalid, rate-limited) per client and per
 * source address in budgets shared by every node ({@link RateLimits#countAbuse}: the rate limits' table on
 * PostgreSQL). When a budget is spent ({@code treatment.abuse.max-rejections} within
 * {@code treatment.abuse.window-seconds}) it raises, once per window and key: a security event in the audit trail
 * ({@code security.abuse_detected}, reason {@code abuse_threshold}), one WARN line (scope and key: a client id or an
 * address, never request content) and {@code treatment_security_alerts_total{scope}}. With
 * {@code treatment.abuse.quarantine} set to {@code client}, {@code address} or {@code client-and-address}, such a
 * client or address is then answered 429 until its window is over ({@link #quarantineWait}); {@code off} by default,
 * and addresses are better left out where a clinic's devices share one address behind NAT.
 */
@ApplicationScoped
public class AbuseSignals {

    private static final Logger LOG = LogManager.getLogger(AbuseSignals.class);

    @Inject
    RateLimits rateLimits;

    @Inject
    GuardedStore store;

    @Inject
    AuditConfig auditConfig;

    @Inject
    ServletContext servletContext;

    /** {@code off}, {@code client}, {@code address} or {@code client-and-address}. */
    @Inject
    @ConfigProperty(name = "treatment.abuse.quarantine", defaultValue = "off")
    String quarantineMode;

    private boolean quarantineClients;
    private boolean quarantineAddresses;

    @Inject
    @ConfigProperty(name = "treatment.abuse.max-rejections", defaultValue = "20")
    long maxRejections;

    @Inject
    @ConfigProperty(name = "treatment.abuse.window-seconds", defaultValue = "60")
    long windowSeconds;

    /** Keys alerted in their current window on this node (so a spent budget raises one alert, not one per attempt). */
    private Cache<String, Boolean> alerted;

    @PostConstruct
    void open() {
        switch (quarantineMode.trim()) {
            case "off" -> {}
            case "client" -> quarantineClients = true;
            case "address" -> quarantineAddresses = true;
            case "client-and-address" -> {
                quarantineClients = true;
                quarantineAddresses = true;
            }
            default ->
                throw new IllegalArgumentException(
                        "treatment.abuse.quarantine must be off, client, address or client-and-address");
        }
        alerted = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Duration.ofSeconds(windowSeconds))
                .build();
    }

    /** Counts {@code event} if it is a rejection, and raises the alert when it spends a budget. */
    public void observe(AuditEvent event) {
        if (!event.outcome().isRejection()) {
            return;
        }
        if (event.clientId() != null) {
            count("client", event.clientId());
        }
        if (event.sourceIp() != null) {
            count("source_ip", event.sourceIp());
        }
    }

    /** Seconds until the quarantine of this client or address ends; empty when none (or quarantine is off). */
    public OptionalLong quarantineWait(String clientId, String sourceIp) {
        if (quarantineClients && clientId != null) {
            OptionalLong wait = rateLimits.abuseWait("client", clientId);
            if (wait.isPresent()) {
                return wait;
            }
        }
        return quarantineAddresses && sourceIp != null
                ? rateLimits.abuseWait("source_ip", sourceIp)
                : OptionalLong.empty();
    }

    private void count(String scope, String key) {
        if (!rateLimits.countAbuse(scope, key) || alerted.asMap().putIfAbsent(scope + '\u0000' + key, true) != null) {
            return;
        }
        boolean quarantined = scope.equals("client") ? quarantineClients : quarantineAddresses;
        LOG.warn(
                "security alert: more than {} rejected attempts within {} s for {} {}{}",
                maxRejections,
                windowSeconds,
                scope,
                key,
                quarantined ? " (quarantined until the window ends)" : "");
        MetricsFilter.metrics(servletContext).recordSecurityAlert(scope);
        AuditEvent.Builder alert = AuditEvent.builder()
                .time(Instant.now())
                .action("security.abuse_detected")
                .resourceType("Client")
                .roles(List.of())
                .outcome(Outcome.SUCCESS)
                .httpStatus(0)
                .reasonCode(quarantined ? "abuse_threshold.quarantined" : "abuse_threshold")
                .nodeId(auditConfig.nodeId())
                .requestId(UUID.randomUUID().toString());
        if (scope.equals("client")) {
            alert.clientId(key);
        } else {
            alert.sourceIp(key);
        }
        try {
            store.audit(alert.build());
        } catch (RuntimeException e) {
            LOG.error(
                    "could not audit a security alert for {}: {}",
                    scope,
                    e.getClass().getName());
        }
    }
}
