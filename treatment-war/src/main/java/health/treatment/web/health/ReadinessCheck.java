package health.treatment.web.health;

import health.treatment.security.KeyRingStatus;
import health.treatment.security.PhiProtection;
import health.treatment.web.audit.AuditSealer;
import health.treatment.web.config.JwtTrust;
import health.treatment.web.persistence.DatabaseMigrations;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the database answers with a current schema, the PHI key ring is loaded and the JWT trust settings are
 * acceptable for the deployment mode. Also reports the audit tamper findings this node recorded (see
 * {@link AuditSealer}), without going down for them. Reports states only, never key ids, URLs or error messages (the endpoint
 * needs no token); a refused JWT trust names the variables to set, which is configuration, not a secret.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private static final int DATABASE_TIMEOUT_SECONDS = 2;

    @Resource(lookup = "jdbc/treatment")
    DataSource dataSource;

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
        boolean database = databaseReady();
        boolean keys = keysLoaded();
        var refusal = jwtTrust.refusal();
        var response = HealthCheckResponse.named("treatment-ready")
                .status(database && keys && refusal.isEmpty())
                .withData("database", database ? "up" : "down")
                .withData("keys", keys ? "loaded" : "missing")
                .withData("jwt", refusal.isEmpty() ? "trusted" : "refused");
        refusal.ifPresent(reason -> response.withData("reason", reason));
        // An alert, not a reason to stop serving: sealing goes on past the bad row, an auditor must look at it.
        response.withData("audit_tamper_findings", sealer.tamperFindings());
        sealer.lastTamperFinding().ifPresent(seq -> response.withData("audit_last_tamper_sequence", seq));
        return response.build();
    }

    private boolean databaseReady() {
        if (!migrations.isMigrated()) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(DATABASE_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
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
