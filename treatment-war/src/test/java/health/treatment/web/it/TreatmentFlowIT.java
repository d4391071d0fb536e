package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ingest flow end to end: submit, read back, idempotency, validation, rate limit, audit trail. */
@ExtendWith(ArquillianExtension.class)
class TreatmentFlowIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    static String article(String patientId, String machineId) {
        return SecurityIT.ARTICLE
                .replace("\"123456\"", "\"" + patientId + "\"")
                .replace("\"DX2020\"", "\"" + machineId + "\"");
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    static HttpResponse<String> submit(String token, String body, String idempotencyKey) {
        HttpRequest.Builder b = Https.request("/api/v1/treatments")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return Https.send(b.build());
    }

    @Test
    void articleExampleIsStoredReadBackByTheClinicianAndAuditedInAVerifiableChain() throws Exception {
        HttpResponse<String> created =
                Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json(created.body()).getString("id");
        assertThat(created.headers().firstValue("Location"))
                .hasValueSatisfying(v -> assertThat(v).endsWith("/api/v1/treatments/" + id));
        assertThat(created.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));

        HttpResponse<String> read = Https.get("/api/v1/treatments/" + id, Tokens.rs256("dr-1", "clinician"));
        assertThat(read.statusCode()).isEqualTo(200);
        JsonObject body = json(read.body());
        assertThat(body.getString("id")).isEqualTo(id);
        JsonObject record = body.getJsonObject("record");
        assertThat(record.getString("patient_id")).isEqualTo("123456");
        assertThat(record.getString("machine_id")).isEqualTo("DX2020");
        assertThat(record.getJsonArray("alarms")).hasSize(2);
        assertThat(record.getJsonNumber("uf_volume").doubleValue()).isEqualTo(2.4);

        assertProblem(Https.get("/api/v1/treatments/" + id, Tokens.rs256("DX2020", "device")), 403);
        assertProblem(Https.get("/api/v1/treatments/" + UUID.randomUUID(), Tokens.rs256("dr-1", "clinician")), 404);

        List<JsonObject> events = eventsFor(id, 2);
        assertThat(events).extracting(e -> e.getString("action")).contains("treatment.create", "treatment.read");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.toString()).doesNotContain("123456");
            assertThat(e.getString("hash")).isNotBlank();
        });

        JsonObject verify = json(Https.get("/api/v1/audit/verify", Tokens.rs256("aud-1", "auditor"))
                .body());
        assertThat(verify.getBoolean("intact")).isTrue();
        assertThat(verify.getJsonNumber("events_checked").longValue()).isPositive();
        assertThat(verify.get("first_bad_sequence")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void gatewaySubmitsForAnyMachine() {
        HttpResponse<String> r = submit(Tokens.rs256("gw-7", "gateway"), article("MRN-77", "DX5000"), null);
        assertThat(r.statusCode()).isEqualTo(201);
    }

    @Test
    void replayWithTheSameKeyAndBodyReturnsTheSameIdAndADifferentBodyIsAConflict() {
        String token = Tokens.rs256("DX3030", "device");
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = submit(token, article("MRN-1", "DX3030"), key);
        assertThat(first.statusCode()).isEqualTo(201);
        String id = json(first.body()).getString("id");

        // Same record, other whitespace and key order: the same submission.
        String reordered = "{ \"machine_id\":\"DX3030\", \"alarms\":[\"A12\",\"B03\"], \"patient_id\":\"MRN-1\","
                + " \"treatment_start\":\"2025-03-28T08:00:00Z\", \"treatment_end\":\"2025-03-28T10:00:00Z\","
                + " \"uf_volume\":2.4, \"conductivity\":13.5 }";
        HttpResponse<String> replay = submit(token, reordered, key);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay.body()).getString("id")).isEqualTo(id);

        HttpResponse<String> conflict = submit(token, article("MRN-2", "DX3030"), key);
        assertProblem(conflict, 409);
        assertThat(conflict.body()).doesNotContain("MRN-2").doesNotContain("MRN-1");

        // Keys are scoped to the client: another client may use the same key for its own record.
        HttpResponse<String> other = submit(Tokens.rs256("gw-9", "gateway"), article("MRN-3", "DX3030"), key);
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(json(other.body()).getString("id")).isNotEqualTo(id);
    }

    @Test
    void twentyParallelSubmitsWithOneKeyStoreExactlyOneRecordAndTheAuditLogShowsOneCreation() throws Exception {
        String token = Tokens.rs256("DX4040", "device");
        String key = UUID.randomUUID().toString();
        String body = article("MRN-PAR-" + UUID.randomUUID().toString().substring(0, 8), "DX4040");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> submit(token, body, key)));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get());
            }
            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201);
            assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
            Set<String> ids =
                    responses.stream().map(r -> json(r.body()).getString("id")).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            // The SIEM copy follows commits: the 19 losers' attempts that rolled back left no "201" line.
            String id = ids.iterator().next();
            Thread.sleep(1000); // a phantom line would have been written before the answers; give the appender time
            assertThat(AuditLogFile.matching(e -> id.equals(e.getString("record_id", null)), 20))
                    .extracting(e -> e.getInt("http_status"))
                    .containsOnly(200, 201)
                    .filteredOn(status -> status == 201)
                    .hasSize(1);
            assertThat(AuditLogFile.matching(
                            e -> id.equals(e.getString("record_id", null)) && e.getInt("http_status") == 200, 19))
                    .hasSize(19);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstBurstOfANewClientAndMachineIsServedWithoutServerErrors() throws Exception {
        // On PostgreSQL a new client's and machine's rate-limit rows are created by the first requests; 32 at once
        // once made Bucket4j's delaying optimisation answer all but one with a 500 (BucketNotFoundException).
        String gateway = "gw-burst-" + UUID.randomUUID().toString().substring(0, 8);
        String machine = "DX-B" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(java.util.Locale.ROOT);
        String token = Tokens.rs256(gateway, "gateway");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 32; i++) {
                String body = article("MRN-BURST-" + i, machine);
                futures.add(pool.submit(() -> {
                    start.await();
                    return submit(token, body, null);
                }));
            }
            start.countDown();
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidRecordIsA400ProblemListingEveryViolationWithPointersAndCodesButNoValues() {
        String body = "{\"patient_id\": \"CANARY-VALUE-9\", \"treatment_start\": \"2025-03-28T08:00:00\","
                + " \"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": -3, \"machine_id\": \"DX2020\","
                + " \"alarms\": [\"<script>\"], \"colour\": \"CANARY-VALUE-9\"}";
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020", "device"), body);
        JsonObject problem = assertProblem(r, 400);
        JsonArray violations = problem.getJsonArray("violations");
        List<String> found = violations.getValuesAs(JsonObject.class).stream()
                .map(v -> v.getString("pointer") + " " + v.getString("code"))
                .toList();
        assertThat(found).contains("/uf_volume minimum", "/alarms/0 pattern");
        assertThat(found).anySatisfy(v -> assertThat(v).startsWith("/treatment_start"));
        assertThat(found).anySatisfy(v -> assertThat(v).endsWith("unknown_property"));
        assertThat(r.body()).doesNotContain("CANARY-VALUE-9").doesNotContain("<script>");
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreRejected() {
        String token = Tokens.rs256("DX2020", "device");
        assertProblem(
                Https.postJson(
                        "/api/v1/treatments", token, SecurityIT.ARTICLE.replace("{", "{\"machine_id\": \"DX2020\", ")),
                400);
        assertProblem(Https.postJson("/api/v1/treatments", token, SecurityIT.ARTICLE + " {}"), 400);
    }

    @Test
    void nonJsonContentTypeIs415() {
        HttpResponse<String> r = Https.send(Https.request("/api/v1/treatments")
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + Tokens.rs256("DX2020", "device"))
                .POST(HttpRequest.BodyPublishers.ofString(SecurityIT.ARTICLE))
                .build());
        assertProblem(r, 415);
    }

    @Test
    void malformedIdempotencyKeyIs400() {
        HttpResponse<String> r = submit(Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE, "bad key <x>");
        assertProblem(r, 400);
    }

    @Test
    void clientOverItsRateLimitGets429WithRetryAfter() {
        String token = Tokens.rs256("DX-RATE-" + UUID.randomUUID().toString().substring(0, 8), "device");
        HttpResponse<String> last = null;
        for (int i = 0; i < 150; i++) { // 101 suffice within one minute; the margin covers a window boundary
            // Invalid bodies count too: the limit applies before validation.
            last = Https.postJson("/api/v1/treatments", token, "{}");
            if (last.statusCode() == 429) {
                break;
            }
        }
        assertProblem(last, 429);
        assertThat(last.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
    }

    @Test
    void aClientThatWaitsRetryAfterIsAdmittedAgain() throws Exception {
        String machine = "DX-WAIT-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Tokens.rs256(machine, "device");
        HttpResponse<String> last = null;
        for (int i = 0; i < 150 && (last == null || last.statusCode() != 429); i++) {
            last = Https.postJson("/api/v1/treatments", token, "{}");
        }
        assertProblem(last, 429);
        long wait = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
        Thread.sleep(wait * 1000);
        HttpResponse<String> admitted = submit(token, article("MRN-WAIT", machine), null);
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(201);
    }

    @Test
    void rejectedAttemptsAreAuditedToo() throws Exception {
        String subject = "DX-AUD-" + UUID.randomUUID().toString().substring(0, 8);
        Https.postJson("/api/v1/treatments", Tokens.rs256(subject, "device"), "{\"x\": 1}");
        Https.get("/api/v1/audit/events", Tokens.rs256(subject, "device"));
        List<JsonObject> events = eventsMatching(e -> subject.equals(e.getString("client_id", null)), 2);
        assertThat(events).extracting(e -> e.getString("outcome")).contains("client_error", "forbidden");
    }

    @Test
    void auditQueryValidatesItsParametersAndPages() {
        String auditor = Tokens.rs256("aud-1", "auditor");
        assertProblem(Https.get("/api/v1/audit/events?from=yesterday", auditor), 400);
        assertProblem(Https.get("/api/v1/audit/events?limit=0", auditor), 400);
        assertProblem(Https.get("/api/v1/audit/events?limit=1001", auditor), 400);
        assertProblem(Https.get("/api/v1/audit/events?limit=ten", auditor), 400); // not a 404 (JAX-RS conversion)
        assertProblem(Https.get("/api/v1/audit/events?after=not-a-cursor", auditor), 400);
        JsonObject page = json(Https.get("/api/v1/audit/events?limit=1&from=2000-01-01T00:00:00Z", auditor)
                .body());
        assertThat(page.getJsonArray("events")).hasSizeLessThanOrEqualTo(1);
    }

    private static List<JsonObject> eventsFor(String recordId, int atLeast) throws InterruptedException {
        return eventsMatching(e -> recordId.equals(e.getString("record_id", null)), atLeast);
    }

    private static List<JsonObject> eventsMatching(java.util.function.Predicate<JsonObject> filter, int atLeast)
            throws InterruptedException {
        return AuditEvents.matching(filter, atLeast);
    }
}
