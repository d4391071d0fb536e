package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.jdbc.JdbcAuditStore;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The insider attack on the audit trail, on PostgreSQL (its own execution and database: it breaks the trail on
 * purpose). Someone with write access to the database deletes every checkpoint above sequence K, edits and deletes
 * events after K, recomputes the (unkeyed) chain hashes and moves the chain head back: the stored trail is
 * consistent again. An auditor who kept a later checkpoint proves the rewrite, on the server and offline.
 */
@ExtendWith(ArquillianExtension.class)
class TamperAttackIT {

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    static Connection database() throws Exception {
        return DriverManager.getConnection(System.getenv("DB_URL"), System.getenv("DB_USER"), "");
    }

    @Test
    void aRewriteAfterTheLastSurvivingCheckpointFailsAgainstACheckpointTheAuditorKept() throws Exception {
        JsonObject earlier = AuditAnchoringIT.checkpointCoveringANewRecord();
        JsonObject kept = AuditAnchoringIT.checkpointCoveringANewRecord();
        long k = earlier.getJsonNumber("sequence").longValue();
        long keptSequence = kept.getJsonNumber("sequence").longValue();
        assertThat(keptSequence).isGreaterThan(k + 1);
        Path keptFile = Files.writeString(dir.resolve("kept.json"), kept.toString());
        Path key = AuditAnchoringIT.currentSigningKey(kept.getString("key_id"), dir.resolve("key.pem"));

        rewriteAfter(k, earlier.getString("head_hash"));

        HttpResponse<String> verify = AuditAnchoringIT.postVerify(AuditAnchoringIT.AUDITOR, kept.toString());
        assertThat(verify.statusCode()).isEqualTo(200);
        JsonObject result = TreatmentFlowIT.json(verify.body());
        assertThat(result.getBoolean("intact")).as(verify.body()).isFalse();
        assertThat(result.getJsonNumber("first_bad_sequence").longValue()).isEqualTo(keptSequence);
        assertThat(result.getString("reason")).startsWith("trusted_checkpoint");

        HttpResponse<String> export = Https.get("/api/v1/audit/export", AuditAnchoringIT.AUDITOR);
        assertThat(export.statusCode()).isEqualTo(200);
        Path exportFile = Files.writeString(dir.resolve("export.ndjson"), export.body());
        AuditAnchoringIT.CliRun offline = AuditAnchoringIT.cli(
                "verify",
                exportFile.toString(),
                "--public-key",
                key.toString(),
                "--trusted-checkpoint",
                keptFile.toString());
        assertThat(offline.exitCode()).as(offline.output()).isEqualTo(1);
        assertThat(offline.output()).contains("sequence " + keptSequence);
    }

    /**
     * The attack, in one transaction holding the chain-state row (so the server cannot extend the chain meanwhile):
     * checkpoints above k deleted, the first event after k edited (a 201 turned into a 403), the last two events
     * deleted, every hash after k recomputed with the trail's own hash function, the head moved back.
     */
    private static void rewriteAfter(long k, String hashAtK) throws Exception {
        try (Connection c = database()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT head_seq FROM audit_chain_state WHERE id = 1 FOR UPDATE")
                        .close();
                s.executeUpdate("DELETE FROM audit_checkpoint WHERE seq > " + k);
            }
            List<SealedEvent> after = new JdbcAuditStore(() -> c).sealedRange(k + 1, Long.MAX_VALUE, 100_000);
            assertThat(after).hasSizeGreaterThan(3);
            long last = after.get(after.size() - 1).sequence();
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_event WHERE seq > ?")) {
                delete.setLong(1, last - 2);
                delete.executeUpdate();
            }
            byte[] hash = Hex.decode(hashAtK);
            long head = k;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE audit_event SET outcome = ?, http_status = ?, reason_code = ?, hash = ? WHERE seq = ?")) {
                for (SealedEvent e : after.subList(0, after.size() - 2)) {
                    AuditEvent event = e.sequence() == k + 1
                            ? e.event().completed(e.event().recordId(), Outcome.FORBIDDEN, 403, "forbidden")
                            : e.event();
                    hash = Canonical.chain(hash, event, e.sequence());
                    update.setString(1, event.outcome().code());
                    update.setInt(2, event.httpStatus());
                    update.setString(3, event.reasonCode());
                    update.setString(4, Hex.encode(hash));
                    update.setLong(5, e.sequence());
                    update.executeUpdate();
                    head = e.sequence();
                }
            }
            long checkpointUs;
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT created_us FROM audit_checkpoint WHERE seq = " + k)) {
                checkpointUs = r.next() ? r.getLong(1) : 0;
            }
            try (PreparedStatement state = c.prepareStatement("UPDATE audit_chain_state SET head_seq = ?, "
                    + "head_hash = ?, checkpoint_seq = ?, checkpoint_us = ? WHERE id = 1")) {
                state.setLong(1, head);
                state.setString(2, Hex.encode(hash));
                state.setLong(3, k);
                state.setLong(4, checkpointUs);
                state.executeUpdate();
            }
            c.commit();
        }
    }
}
