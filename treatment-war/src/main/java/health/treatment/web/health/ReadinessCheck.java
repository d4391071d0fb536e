package health.treatment.web.health;

import health.treatment.security.KeyRingStatus;
import health.treatment.security.PhiProtection;
import health.treatment.web.audit.AuditSealer;
import health.treatment.web.config.JwtTrust;
import health.treatment.web.persistence.DatabaseMigrations;
import health.treatment.web.persistence.GuardedStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the database answers with a current schema, the store's circuit breaker is closed, the PHI key ring is
 * loaded and the JWT trust settings are acceptable for the deployment mode. The database is probed through the
 * breaker ({@link GuardedStore#probe}), so a probe is one of its trial calls: a node that no request reaches while
 * it is not ready still finds out by itself when the database is back. Also reports the audit tamper findings this node recorded (see
 * {@link AuditSealer}), without going down for them. Reports states only, never key ids, URLs or error messages (the endpoint
 * needs no token); a refused JWT trust names the variables to set, which is configuration, not a secret.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    GuardedStore store;

    @Inject
    DatabaseMigrations migrations;

    @Inject
    PhiProtection phi;

    @Inject
    JwtTrust jwtTrust;

    @Inject
    AuditSealer sealer;

    @Override
    public HealthCheckResponse call() {
        boolean migrated = migrations.isMigrated();
        boolean database = migrated && store.probe();
        Optional<Instant> circuitOpen = store.openSince();
        boolean keys = keysLoaded();
        var refusal = jwtTrust.refusal();
        var response = HealthCheckResponse.named("treatment-ready")
                .status(database && circuitOpen.isEmpty() && keys && refusal.isEmpty())
                .withData("database", database ? "up" : circuitOpen.isPresent() ? "not_probed" : "down")
                .withData("store_circuit", circuitOpen.isPresent() ? "open" : "closed")
                .withData("keys", keys ? "loaded" : "missing")
                .withData("jwt", refusal.isEmpty() ? "trusted" : "refused");
        circuitOpen.ifPresent(since -> response.withData("store_circuit_open_since", since.toString()));
        refusal.ifPresent(reason -> response.withData("reason", reason));
        // An alert, not a reason to stop serving: sealing goes on past the bad row, an auditor must look at it.
        response.withData("audit_tamper_findings", sealer.tamperFindings());
        sealer.lastTamperFinding().ifPresent(seq -> response.withData("audit_last_tamper_sequence", seq));
        return response.build();
    }

    private boolean keysLoaded() {
        try {
            KeyRingStatus status = phi.status();
            return status.keyCount() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
