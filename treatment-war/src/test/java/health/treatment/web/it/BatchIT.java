package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /api/v1/treatments/batch: order, partial failure, idempotent replay, device binding, limits, audit per item. */
@ExtendWith(ArquillianExtension.class)
class BatchIT {

    static final String PATH = "/api/v1/treatments/batch";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    static String record(String patient, String machine) {
        return TreatmentFlowIT.article(patient, machine);
    }

    static String keyed(String record, String key) {
        return record.replaceFirst("\\{", "{\"idempotency_key\": \"" + key + "\", ");
    }

    static HttpResponse<String> post(String token, String body, String batchKey) {
        HttpRequest.Builder b = Https.request(PATH)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (batchKey != null) {
            b.header("Idempotency-Key", batchKey);
        }
        return Https.send(b.build());
    }

    static List<JsonObject> results(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        return TreatmentFlowIT.json(r.body()).getJsonArray("results").getValuesAs(JsonObject.class);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void validItemsAreStoredInRequestOrderWhileInvalidOnesGetTheirOwnProblem() {
        String gateway = Tokens.rs256(unique("gw-batch"), "gateway");
        String invalid = record("CANARY-BATCH-1", "DX1").replace("\"uf_volume\": 2.4", "\"uf_volume\": -1");
        String body = "[" + record("MRN-B1", "DX1") + "," + invalid + ",1," + record("MRN-B2", "DX2") + "]";
        List<JsonObject> results = results(post(gateway, body, null));

        assertThat(results).extracting(r -> r.getInt("status")).containsExactly(201, 400, 400, 201);
        JsonObject problem = results.get(1).getJsonObject("problem");
        assertThat(problem.getString("type")).endsWith("/validation");
        assertThat(problem.getJsonArray("violations").getValuesAs(JsonObject.class))
                .extracting(v -> v.getString("pointer") + " " + v.getString("code"))
                .contains("/uf_volume minimum");
        assertThat(results.get(2)
                        .getJsonObject("problem")
                        .getJsonArray("violations")
                        .getJsonObject(0)
                        .getString("code"))
                .isEqualTo("not_an_object");

        // The stored ones read back as submitted.
        String clinician = Tokens.rs256("dr-batch", "clinician");
        for (int i : new int[] {0, 3}) {
            HttpResponse<String> read =
                    Https.get("/api/v1/treatments/" + results.get(i).getString("id"), clinician);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains(i == 0 ? "MRN-B1" : "MRN-B2");
        }
        assertThat(results.toString()).doesNotContain("CANARY-BATCH-1");
    }

    @Test
    void aDeviceMayOnlySendItsOwnMachinesRecords() {
        String machine = unique("DXB");
        String device = Tokens.rs256(machine, "device");
        List<JsonObject> results =
                results(post(device, "[" + record("MRN-D1", machine) + "," + record("MRN-D2", "DX-OTHER") + "]", null));
        assertThat(results).extracting(r -> r.getInt("status")).containsExactly(201, 403);
        assertThat(results.get(1).getJsonObject("problem").getInt("status")).isEqualTo(403);
    }

    @Test
    void itemKeysAndTheBatchKeyMakeEveryItemReplayableWithoutStoringTwice() {
        String gateway = Tokens.rs256(unique("gw-idem"), "gateway");
        String itemKey = unique("item");
        String body = "[" + keyed(record("MRN-K1", "DX1"), itemKey) + "," + record("MRN-K2", "DX2") + "]";
        String batchKey = unique("batch");
        List<JsonObject> first = results(post(gateway, body, batchKey));
        assertThat(first).extracting(r -> r.getInt("status")).containsExactly(201, 201);

        List<JsonObject> again = results(post(gateway, body, batchKey));
        assertThat(again).extracting(r -> r.getInt("status")).containsExactly(200, 200);
        assertThat(again)
                .extracting(r -> r.getString("id"))
                .containsExactly(first.get(0).getString("id"), first.get(1).getString("id"));

        // The same item key with another record is a conflict for that item only.
        List<JsonObject> conflict = results(post(
                gateway, "[" + keyed(record("MRN-K9", "DX1"), itemKey) + "," + record("MRN-K3", "DX3") + "]", null));
        assertThat(conflict).extracting(r -> r.getInt("status")).containsExactly(409, 201);
        // The item key is the one a single submission with that Idempotency-Key would use.
        HttpResponse<String> single = TreatmentFlowIT.submit(gateway, record("MRN-K1", "DX1"), itemKey);
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(TreatmentFlowIT.json(single.body()).getString("id"))
                .isEqualTo(first.get(0).getString("id"));
    }

    @Test
    void aBodyThatIsNotAnArrayOfRecordsIsRefusedWhole() {
        String gateway = Tokens.rs256(unique("gw-bad"), "gateway");
        JsonObject notArray = assertProblem(post(gateway, record("MRN-X", "DX1"), null), 400);
        assertThat(notArray.getJsonArray("violations").getJsonObject(0).getString("code"))
                .isEqualTo("not_an_array");
        assertProblem(post(gateway, "[" + record("MRN-X", "DX1") + ",", null), 400);
        String tooMany =
                Stream.generate(() -> record("MRN-M", "DX1")).limit(1001).collect(Collectors.joining(",", "[", "]"));
        JsonObject many = assertProblem(post(gateway, tooMany, null), 400);
        assertThat(many.getJsonArray("violations").getJsonObject(0).getString("code"))
                .isEqualTo("too_many_items");
        assertProblem(post(gateway, "[" + record("MRN-X", "DX1") + "]", "bad key <x>"), 400);
    }

    @Test
    void aBatchOverTheByteLimitIs413() {
        String gateway = Tokens.rs256(unique("gw-big"), "gateway");
        String padded =
                record("MRN-BIG", "DX1").replace("\"alarms\"", "\"notes\": \"" + "n".repeat(1900) + "\", \"alarms\"");
        String body = Stream.generate(() -> padded).limit(2300).collect(Collectors.joining(",", "[", "]"));
        assertThat(body.length()).isGreaterThan(4 * 1024 * 1024);
        assertProblem(post(gateway, body, null), 413);
    }

    @Test
    void aThousandRecordsAreAcceptedInOneRequest() {
        String gateway = Tokens.rs256(unique("gw-1000"), "gateway");
        String prefix = unique("P");
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append(record(prefix + "-" + i, "DX" + (i % 50)));
        }
        List<JsonObject> results = results(post(gateway, body.append(']').toString(), null));
        assertThat(results)
                .hasSize(1000)
                .allSatisfy(r -> assertThat(r.getInt("status")).isEqualTo(201));
        assertThat(results.stream().map(r -> r.getString("id")).distinct().count())
                .isEqualTo(1000);
    }

    @Test
    void everyItemHasItsOwnAuditEvent() throws Exception {
        String subject = unique("gw-aud");
        String gateway = Tokens.rs256(subject, "gateway");
        String invalid = record("MRN-A2", "DX1").replace("\"uf_volume\": 2.4", "\"uf_volume\": -1");
        List<JsonObject> results = results(post(
                gateway, "[" + record("MRN-A1", "DX1") + "," + invalid + "," + record("MRN-A3", "DX1") + "]", null));
        List<JsonObject> events = AuditEvents.matching(e -> subject.equals(e.getString("client_id", null)), 3);
        assertThat(events).hasSize(3);
        assertThat(events).extracting(e -> e.getInt("http_status")).containsExactlyInAnyOrder(201, 400, 201);
        assertThat(events)
                .filteredOn(e -> e.getInt("http_status") == 201)
                .extracting(e -> e.getString("record_id"))
                .containsExactlyInAnyOrder(
                        results.get(0).getString("id"), results.get(2).getString("id"));
        assertThat(events).allSatisfy(e -> assertThat(e.getString("action")).isEqualTo("treatment.create"));
    }

    @Test
    void theBatchCountsAsOneRequestAndItsItemsAgainstTheItemBudget() {
        // 100 requests per minute (the IT default) but 150 records in two batches of 75 are fine: the items budget
        // (10,000) is what they count against.
        String gateway = Tokens.rs256(unique("gw-budget"), "gateway");
        String body = java.util.stream.IntStream.range(0, 75)
                .mapToObj(i -> record(unique("MRN-R"), "DX-R" + i))
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(results(post(gateway, body, null))).hasSize(75);
        assertThat(results(post(gateway, body, null))).hasSize(75);
    }
}
