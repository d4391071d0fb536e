package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A malformed unsealed audit row, written into the outbox behind the application's back (PostgreSQL, in the
 * tamper execution after {@link TamperAttackIT}): sealing goes on past it, the row is recorded in the chain as a
 * tamper finding, verification names its sequence, and readiness and the metrics report it.
 */
@ExtendWith(ArquillianExtension.class)
class TamperSealerFindingIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    private static void outboxRow(Connection c, long outboxId, String outcome, String requestId) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_outbox (outbox_id, event_time_us, "
                + "client_id, roles, action, resource_type, outcome, http_status, node_id, request_id) "
                + "VALUES (?, ?, 'gw-x', 'gateway', 'treatment.create', 'Treatment', ?, 201, 'node-x', ?)")) {
            Instant now = Instant.now();
            insert.setLong(1, outboxId);
            insert.setLong(2, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
            insert.setString(3, outcome);
            insert.setString(4, requestId);
            insert.executeUpdate();
        }
    }

    @Test
    void aMalformedOutboxRowIsRecordedAsAFindingAndSealingGoesOn() throws Exception {
        long base = 8_000_000_000_000_000L + (System.nanoTime() & 0xffffff) * 4;
        String after = "after-" + UUID.randomUUID();
        try (Connection c = TamperAttackIT.database()) {
            outboxRow(c, base, "exploded", "bad-" + UUID.randomUUID()); // no such outcome: not a valid event
            outboxRow(c, base + 1, "success", after);
        }

        JsonObject finding = AuditEvents.matching(
                        e -> "audit.tamper_detected".equals(e.getString("action"))
                                && ("outbox-" + base).equals(e.getString("request_id", null)),
                        1)
                .get(0);
        long findingSequence = finding.getJsonNumber("sequence").longValue();
        assertThat(finding.toString()).doesNotContain("exploded").doesNotContain("gw-x");
        JsonObject next = AuditEvents.matching(e -> after.equals(e.getString("request_id", null)), 1)
                .get(0);
        assertThat(next.getJsonNumber("sequence").longValue()).isGreaterThan(findingSequence);

        JsonObject verify = TreatmentFlowIT.json(
                Https.get("/api/v1/audit/verify", AuditAnchoringIT.AUDITOR).body());
        assertThat(verify.getBoolean("intact")).isFalse();
        assertThat(verify.getString("reason")).isEqualTo("tamper_finding");
        assertThat(verify.getJsonNumber("first_bad_sequence").longValue()).isEqualTo(findingSequence);

        HttpResponse<String> ready = Https.get("/health/ready", null);
        JsonObject data =
                TreatmentFlowIT.json(ready.body()).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                        .filter(check -> check.getString("name").equals("treatment-ready"))
                        .findFirst()
                        .orElseThrow()
                        .getJsonObject("data");
        assertThat(data.getJsonNumber("audit_tamper_findings").longValue()).isPositive();
        assertThat(data.getJsonNumber("audit_last_tamper_sequence").longValue()).isEqualTo(findingSequence);

        String metrics =
                Https.get("/metrics", Tokens.rs256("prom-1", "monitor")).body();
        assertThat(Scrape.sum(metrics, "treatment_audit_tamper_findings_total")).isPositive();
    }
}
