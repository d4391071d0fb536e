package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Floods and abusive clients, in their own execution with the production defaults for the unauthenticated limit
 * (60 per minute per address) and the audit threshold (20 individual rejections per address and window), a 10 s
 * aggregation window and client quarantine on.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FloodIT {

    static final int FLOOD = 5000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @Test
    @Order(1)
    void anUnauthenticatedFloodIsRefusedCheaplyAuditedInBoundedRowsAndDoesNotStopAValidDevice() throws Exception {
        Instant start = Instant.now();
        String device = Tokens.rs256("DX5151", "device");
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        List<Integer> statuses;
        List<Integer> deviceStatuses = new ArrayList<>();
        try {
            Future<List<Integer>> valid = pool.submit(() -> {
                List<Integer> seen = new ArrayList<>();
                while (flooding.get() && seen.size() < 60) {
                    seen.add(TreatmentFlowIT.submit(
                                    device,
                                    TreatmentFlowIT.article(
                                            "MRN-FL-"
                                                    + UUID.randomUUID()
                                                            .toString()
                                                            .substring(0, 8),
                                            "DX5151"),
                                    null)
                            .statusCode());
                    Thread.sleep(100);
                }
                return seen;
            });
            List<Future<List<Integer>>> attackers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                attackers.add(pool.submit(() -> {
                    List<Integer> seen = new ArrayList<>();
                    for (int i = 0; i < FLOOD / 8; i++) {
                        HttpResponse<String> r = Https.postJson("/api/v1/treatments", null, SecurityIT.ARTICLE);
                        if (r.statusCode() == 429) {
                            assertThat(r.headers().firstValue("Retry-After")).isPresent();
                            assertThat(r.headers().firstValue("Content-Type"))
                                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
                        }
                        seen.add(r.statusCode());
                    }
                    return seen;
                }));
            }
            statuses = new ArrayList<>();
            for (Future<List<Integer>> a : attackers) {
                statuses.addAll(a.get());
            }
            flooding.set(false);
            deviceStatuses.addAll(valid.get());
        } finally {
            pool.shutdownNow();
        }
        Map<Integer, Long> byStatus =
                statuses.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long seconds =
                Math.max(1, java.time.Duration.between(start, Instant.now()).toSeconds());
        assertThat(byStatus.keySet()).containsOnly(401, 429);
        // 60 per minute per address, refilled continuously while the flood lasted.
        assertThat(byStatus.get(401)).isBetween(1L, 60L + seconds + 1);
        assertThat(deviceStatuses).isNotEmpty().containsOnly(201);

        // Every attempt is in the trail, but at most 20 per window one by one; the rest as counted aggregates.
        java.util.function.Predicate<JsonObject> anonymousRejection = e -> !e.containsKey("client_id")
                && "treatment.create".equals(e.getString("action"))
                && !Instant.parse(e.getString("time")).isBefore(start)
                && (e.getInt("http_status") == 401 || e.getInt("http_status") == 429);
        List<JsonObject> rejections = List.of();
        long total = 0;
        for (int attempt = 0; attempt < 40 && total < FLOOD; attempt++) {
            Thread.sleep(1000); // the aggregates are written when their window (10 s) ends
            rejections = AuditEvents.matching(anonymousRejection, 1);
            total = rejections.stream().mapToLong(FloodIT::attempts).sum();
        }
        assertThat(total).isEqualTo(FLOOD);
        long windows = seconds / 10 + 2;
        long individual = rejections.stream().filter(e -> attempts(e) == 1).count();
        long aggregates = rejections.size() - individual;
        assertThat(individual).isLessThanOrEqualTo(20 * windows);
        assertThat(aggregates).isBetween(1L, 2 * windows); // one per reason (unauthenticated, rate_limited) and window
    }

    /** How many attempts an audit event stands for: 1, or the count of an aggregate. */
    static long attempts(JsonObject event) {
        String reason = event.getString("reason_code", "");
        int at = reason.indexOf(".aggregated.");
        return at < 0 ? 1 : Long.parseLong(reason.substring(at + ".aggregated.".length()));
    }

    @Test
    @Order(2)
    void aClientThatKeepsBeingRejectedRaisesOneSecurityEventAndIsQuarantined() throws Exception {
        String abuser = Tokens.rs256("DX6161", "device");
        String bystander = Tokens.rs256("DX6262", "device");
        for (int i = 0; i < 25; i++) { // records for a machine that is not the device's own: 403 each
            TreatmentFlowIT.submit(abuser, TreatmentFlowIT.article("MRN-AB-" + i, "DX0001"), null);
        }
        HttpResponse<String> own =
                TreatmentFlowIT.submit(abuser, TreatmentFlowIT.article("MRN-AB-OWN", "DX6161"), null);
        assertThat(own.statusCode()).isEqualTo(429);
        assertThat(own.headers().firstValue("Retry-After")).isPresent();
        assertThat(TreatmentFlowIT.submit(bystander, TreatmentFlowIT.article("MRN-BY-1", "DX6262"), null)
                        .statusCode())
                .isEqualTo(201);

        List<JsonObject> alerts = AuditEvents.matching(
                e -> "security.abuse_detected".equals(e.getString("action"))
                        && "DX6161".equals(e.getString("client_id", null)),
                1);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getString("reason_code")).isEqualTo("abuse_threshold.quarantined");
        String metrics =
                Https.get("/metrics", Tokens.rs256("prom-1", "monitor")).body();
        assertThat(Scrape.sum(metrics, "treatment_security_alerts_total", "scope", "client"))
                .isEqualTo(1);
    }
}
