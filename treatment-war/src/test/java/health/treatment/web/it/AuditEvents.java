package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads the audit trail as an auditor does. */
final class AuditEvents {

    private AuditEvents() {}

    /** Events appear once the sealer has chained them (about a second); pages through the whole trail. */
    static List<JsonObject> matching(Predicate<JsonObject> filter, int atLeast) throws InterruptedException {
        String auditor = Tokens.rs256("aud-1", "auditor");
        List<JsonObject> matching = List.of();
        for (int attempt = 0; attempt < 30 && matching.size() < atLeast; attempt++) {
            Thread.sleep(500);
            matching = new ArrayList<>();
            String cursor = null;
            do {
                String path = "/api/v1/audit/events?limit=1000" + (cursor == null ? "" : "&after=" + cursor);
                HttpResponse<String> r = Https.get(path, auditor);
                assertThat(r.statusCode()).isEqualTo(200);
                JsonObject page = TreatmentFlowIT.json(r.body());
                for (JsonObject e : page.getJsonArray("events").getValuesAs(JsonObject.class)) {
                    if (filter.test(e)) {
                        matching.add(e);
                    }
                }
                cursor = page.isNull("next") ? null : page.getString("next");
            } while (cursor != null);
        }
        assertThat(matching).hasSizeGreaterThanOrEqualTo(atLeast);
        return matching;
    }
}
