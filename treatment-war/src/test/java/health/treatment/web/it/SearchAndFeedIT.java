package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records reach the EHR: a clinician's search by patient or encounter (identifier in the body, never in a URL;
 * paged newest first; audited with the pseudonym, the count and the ids) and the interface engine's change feed
 * (every record once, in order, behind a cursor; audited per page). Runs on H2 and PostgreSQL; the out-of-order
 * commit case of the feed is proved in the store's tests with writers on two nodes (AbstractTreatmentStoreIT).
 */
@ExtendWith(ArquillianExtension.class)
class SearchAndFeedIT {

    private static final String CLINICIAN = Tokens.rs256("dr-search", "clinician");
    private static final String ENGINE = Tokens.rs256("engine-1", "integration");
    private static final String GATEWAY = Tokens.rs256("gw-search", "gateway");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    /** A machine of this test's own, so other tests' submissions do not spend its rate limit. */
    private static final String MACHINE = "DX" + (1000 + new java.util.Random().nextInt(8999));

    private static String article(String patientId, int day, String machine) {
        return SecurityIT.ARTICLE
                .replace("\"123456\"", "\"" + patientId + "\"")
                .replace("\"DX2020\"", "\"" + machine + "\"")
                .replace("2025-03-28", "2025-03-" + day);
    }

    private static String store(String json) {
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", GATEWAY, json);
        assertThat(r.statusCode()).isEqualTo(201);
        return TreatmentFlowIT.json(r.body()).getString("id");
    }

    private static HttpResponse<String> search(String token, String body) {
        return Https.postJson("/api/v1/treatments/search", token, body);
    }

    @Test
    void aClinicianFindsAPatientsRecordsNewestFirstInPagesAndTheSearchIsAuditedWithoutTheIdentifier() throws Exception {
        String patient = "SRCH-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int day = 20; day <= 24; day++) {
            ids.add(store(article(patient, day, MACHINE)));
        }
        Collections.reverse(ids); // newest first

        List<String> seen = new ArrayList<>();
        String next = null;
        for (int page = 0; page < 3; page++) {
            HttpResponse<String> r = search(
                    CLINICIAN,
                    "{\"patient_id\":\"" + patient + "\",\"limit\":2"
                            + (next == null ? "" : ",\"after\":\"" + next + "\"") + "}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonObject body = TreatmentFlowIT.json(r.body());
            body.getJsonArray("records").getValuesAs(JsonObject.class).forEach(rec -> {
                assertThat(rec.getJsonObject("record").getString("patient_id")).isEqualTo(patient);
                seen.add(rec.getString("id"));
            });
            next = body.containsKey("next") ? body.getString("next") : null;
            assertThat(next == null ? "" : next).doesNotContain(patient);
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(next).isNull();

        HttpResponse<String> period = search(
                CLINICIAN,
                "{\"patient_id\":\"" + patient
                        + "\",\"from\":\"2025-03-21T00:00:00Z\",\"to\":\"2025-03-22T23:59:59Z\"}");
        assertThat(TreatmentFlowIT.json(period.body()).getJsonArray("records").getValuesAs(JsonObject.class))
                .extracting(rec -> rec.getString("id"))
                .containsExactly(ids.get(2), ids.get(3));

        List<JsonObject> audited = AuditEvents.matching(
                e -> "treatment.search".equals(e.getString("action"))
                        && "dr-search".equals(e.getString("client_id", null)),
                5 + 2 + 1);
        assertThat(audited)
                .anySatisfy(e -> assertThat(e.getString("reason_code", "")).isEqualTo("results.2"));
        assertThat(audited)
                .filteredOn(e -> "search_result".equals(e.getString("reason_code", null)))
                .extracting(e -> e.getString("record_id"))
                .containsAll(ids);
        assertThat(audited.toString()).doesNotContain(patient);
        assertNowhereInTheServerLogs(patient);
    }

    @Test
    void anEncounterSearchFindsThatEncounterOnly() {
        String encounter = "ENC-" + UUID.randomUUID().toString().substring(0, 8);
        String id = store(
                article("P", 26, MACHINE).replace("\"patient_id\": \"P\"", "\"encounter_id\": \"" + encounter + "\""));
        store(article("P", 26, MACHINE).replace("\"patient_id\": \"P\"", "\"encounter_id\": \"" + encounter + "-X\""));
        HttpResponse<String> r = search(CLINICIAN, "{\"encounter_id\":\"" + encounter + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TreatmentFlowIT.json(r.body()).getJsonArray("records").getValuesAs(JsonObject.class))
                .extracting(rec -> rec.getString("id"))
                .containsExactly(id);
    }

    @Test
    void onlyCliniciansSearchAndABadSearchGetsASpecificProblemThatEchoesNothing() {
        String body = "{\"patient_id\":\"SECRET-77\"}";
        for (String role : List.of("device", "gateway", "auditor", "integration", "privacy-officer")) {
            assertProblem(search(Tokens.rs256("who-" + role, role), body), 403);
        }
        assertProblem(search(null, body), 401);
        for (String bad : List.of(
                "{}",
                "{\"patient_id\":\"SECRET-77\",\"encounter_id\":\"SECRET-78\"}",
                "{\"patient_id\":\"SECRET 77 <script>\"}",
                "{\"patient_id\":\"SECRET-77\",\"name\":\"SECRET-NAME\"}",
                "{\"patient_id\":\"SECRET-77\",\"from\":\"yesterday-SECRET\"}",
                "{\"patient_id\":\"SECRET-77\",\"limit\":0}",
                "{\"patient_id\":\"SECRET-77\",\"limit\":101}",
                "{\"patient_id\":\"SECRET-77\",\"after\":\"SECRET\"}",
                "[\"SECRET-77\"]",
                "{\"patient_id\":\"SECRET-77\"")) {
            HttpResponse<String> r = search(CLINICIAN, bad);
            JsonObject problem = assertProblem(r, 400);
            assertThat(problem.getString("detail", "")).isNotBlank();
            assertThat(r.body()).doesNotContain("SECRET");
        }
    }

    @Test
    void theIntegrationEngineGetsEveryNewRecordOnceInOrderAndPollsAtTheEndWithTheSameCursor() throws Exception {
        String cursor = followToTheEnd(null, new ArrayList<>(), 1000); // past what other tests stored
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stored.add(store(
                    article("FEED-" + i + "-" + UUID.randomUUID().toString().substring(0, 6), 25, MACHINE)));
        }
        List<String> seen = new ArrayList<>();
        String end = followToTheEnd(cursor, seen, 3);
        assertThat(seen).containsSubsequence(stored);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.stream().filter(stored::contains).toList()).containsExactlyElementsOf(stored);

        HttpResponse<String> again = Https.get("/api/v1/treatments/changes?after=" + end, ENGINE);
        assertThat(TreatmentFlowIT.json(again.body()).getJsonArray("records")).isEmpty();
        assertThat(TreatmentFlowIT.json(again.body()).getString("next")).isEqualTo(end);

        assertThat(AuditEvents.matching(
                        e -> "treatment.changes".equals(e.getString("action"))
                                && "engine-1".equals(e.getString("client_id", null)),
                        3))
                .isNotEmpty();
    }

    @Test
    void onlyTheIntegrationRoleReadsTheFeedAndBadCursorsAndLimitsAreProblems() {
        for (String role : List.of("device", "gateway", "clinician", "auditor", "privacy-officer")) {
            assertProblem(Https.get("/api/v1/treatments/changes", Tokens.rs256("who-" + role, role)), 403);
        }
        assertProblem(Https.get("/api/v1/treatments/changes", null), 401);
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?after=bm9wZQ", "?after=%25%25")) {
            JsonObject problem = assertProblem(Https.get("/api/v1/treatments/changes" + query, ENGINE), 400);
            assertThat(problem.getString("detail", "")).isNotBlank();
        }
    }

    /** Pages through the feed from {@code cursor} (null: the start) until a page is empty; returns the last cursor. */
    private static String followToTheEnd(String cursor, List<String> seen, int limit) {
        for (int pages = 0; pages < 10_000; pages++) {
            HttpResponse<String> r = Https.get(
                    "/api/v1/treatments/changes?limit=" + limit + (cursor == null ? "" : "&after=" + cursor), ENGINE);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject page = TreatmentFlowIT.json(r.body());
            List<JsonObject> records = page.getJsonArray("records").getValuesAs(JsonObject.class);
            records.forEach(rec -> seen.add(rec.getString("id")));
            cursor = page.getString("next");
            if (records.isEmpty()) {
                return cursor;
            }
        }
        throw new AssertionError("the feed did not end");
    }

    private static void assertNowhereInTheServerLogs(String text) throws IOException {
        Path logs = AuditLogFile.path().getParent();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(text);
            }
        }
    }
}
