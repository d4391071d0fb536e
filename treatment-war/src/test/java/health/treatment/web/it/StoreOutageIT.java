package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database goes away under the running server and comes back (PostgreSQL, execution {@code it-store-outage}, a
 * database of its own): the server's connections are terminated and new ones refused
 * ({@code ALTER DATABASE ... ALLOW_CONNECTIONS false}), which is what a stopped database looks like to the pool,
 * without stopping the cluster other suites use. While it is away every request that needs the store gets 503
 * problem+json with {@code Retry-After}, within the circuit's timeout and, once the circuit is open, at once;
 * readiness and the metrics say the circuit is open. When it is back the server serves again without a restart, and a
 * client that retried each submission under its idempotency key ends with exactly one record per key, each with its
 * audit event. The longer, scripted outage under load (the cluster really stopped) is {@code bench/faults}.
 */
@ExtendWith(ArquillianExtension.class)
class StoreOutageIT {

    private static final String CLIENT = "gw-outage";
    private static final String GATEWAY = Tokens.rs256(CLIENT, "gateway");
    private static final int KEYS = 30;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @AfterEach
    void databaseIsBack() throws Exception {
        allowConnections(true);
    }

    @Test
    void whileTheDatabaseIsAwayRequestsGet503FastAndAfterwardsEveryRetriedKeyHasExactlyOneAuditedRecord()
            throws Exception {
        String before = created(submit("before"));
        assertThat(readiness().getString("store_circuit")).isEqualTo("closed");

        allowConnections(false);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = submit("key-" + i);
            millis.add((System.nanoTime() - start) / 1_000_000);
            ProblemAssert.assertProblem(response, 503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        }
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(15_000)); // the circuit's timeout is 12 s
        assertThat(millis.subList(KEYS - 10, KEYS))
                .allSatisfy(ms -> assertThat(ms).isLessThan(1_000));
        HttpResponse<String> ready = Https.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(check(ready).getString("store_circuit")).isEqualTo("open");
        assertThat(metric("treatment_store_circuit_open")).isEqualTo(1);
        assertThat(metric("treatment_audit_events_lost_total")).isPositive();

        allowConnections(true);
        Map<String, String> ids = new HashMap<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            HttpResponse<String> response = submit(key);
            while (response.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(500); // shorter than Retry-After: the test wants to see recovery as soon as it happens
                response = submit(key);
            }
            assertThat(response.statusCode()).as(key).isEqualTo(201); // nothing committed during the outage
            ids.put(key, created(response));
        }
        for (int i = 0; i < KEYS; i++) {
            HttpResponse<String> replay = submit("key-" + i);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(TreatmentFlowIT.json(replay.body()).getString("id")).isEqualTo(ids.get("key-" + i));
        }
        assertThat(readiness().getString("store_circuit")).isEqualTo("closed");
        assertThat(Https.get("/health/ready", null).statusCode()).isEqualTo(200);

        try (Connection c = TamperAttackIT.database()) {
            assertThat(count(c, "SELECT COUNT(*) FROM idempotency_key WHERE client_id = ?"))
                    .isEqualTo(KEYS + 1);
            assertThat(count(c, "SELECT COUNT(*) FROM treatment_record WHERE submitted_by = ?"))
                    .isEqualTo(KEYS + 1);
            for (String id : ids.values()) {
                assertThat(auditedCreations(c, id)).as(id).isEqualTo(1);
            }
            assertThat(auditedCreations(c, before)).isEqualTo(1);
        }
    }

    private static HttpResponse<String> submit(String key) {
        return TreatmentFlowIT.submit(GATEWAY, TreatmentFlowIT.article("MRN-" + key, "DX2020"), key);
    }

    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(201);
        return TreatmentFlowIT.json(response.body()).getString("id");
    }

    private static JsonObject readiness() {
        return check(Https.get("/health/ready", null));
    }

    private static JsonObject check(HttpResponse<String> ready) {
        return TreatmentFlowIT.json(ready.body()).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("treatment-ready"))
                .findFirst()
                .orElseThrow()
                .getJsonObject("data");
    }

    private static long metric(String name) {
        String metrics =
                Https.get("/metrics", Tokens.rs256("prom-1", "monitor")).body();
        assertThat(metrics).contains("\n" + name + " ");
        return (long) Scrape.sum(metrics, name);
    }

    /** Cuts the server off its database (terminating its connections) or lets it connect again. */
    private static void allowConnections(boolean allow) throws Exception {
        String database = URI.create(System.getenv("DB_URL").substring("jdbc:".length()))
                .getPath()
                .substring(1);
        try (Connection admin = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:5432/postgres", System.getenv("DB_USER"), "");
                Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
    }

    private static long count(Connection c, String query) throws Exception {
        try (PreparedStatement p = c.prepareStatement(query)) {
            p.setString(1, CLIENT);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static long auditedCreations(Connection c, String recordId) throws Exception {
        try (PreparedStatement p = c.prepareStatement("SELECT (SELECT COUNT(*) FROM audit_event WHERE record_id = ? "
                + "AND action = 'treatment.create' AND http_status = 201) + (SELECT COUNT(*) FROM audit_outbox "
                + "WHERE record_id = ? AND action = 'treatment.create' AND http_status = 201)")) {
            p.setString(1, recordId);
            p.setString(2, recordId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
