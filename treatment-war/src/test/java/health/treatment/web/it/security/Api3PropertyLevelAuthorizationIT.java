package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static health.treatment.web.it.security.SecurityDeployment.record;
import static health.treatment.web.it.security.SecurityDeployment.unique;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OWASP API3:2023, broken object property level authorisation: a client cannot set a property the server owns
 * (mass assignment: the schema has {@code additionalProperties: false} at every level) and no answer carries a
 * property its caller has no use for (excessive data exposure).
 */
@ExtendWith(ArquillianExtension.class)
class Api3PropertyLevelAuthorizationIT {

    private static final String CANARY = "CANARY-PROP-91c2";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** Server-owned or invented members added to a valid record: refused, named by pointer, value not echoed. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "id",
                "received_at",
                "client_id",
                "created_by",
                "record_id",
                "source_ip",
                "role",
                "groups",
                "is_admin",
                "__proto__",
                "patient_pseudonym"
            })
    void aRecordWithAPropertyTheSchemaDoesNotDefineIsRefusedNamingIt(String member) {
        String machine = unique("DXP");
        String body = record("MRN-PROP", machine).replaceFirst("\\{", "{\"" + member + "\": \"" + CANARY + "\", ");
        HttpResponse<String> r =
                SecurityClient.postJson("/api/v1/treatments", SecurityTokens.token(machine, "device"), body);
        JsonObject problem = assertProblem(r, 400);
        assertThat(problem.getJsonArray("violations").getValuesAs(JsonObject.class))
                .anySatisfy(v -> {
                    assertThat(v.getString("pointer"))
                            .isEqualTo("/" + member.replace("~", "~0").replace("/", "~1"));
                    assertThat(v.getString("code")).isEqualTo("unknown_property");
                });
        assertThat(r.body()).doesNotContain(CANARY).doesNotContain("MRN-PROP");
    }

    /** The same inside a batch item: that item is refused, the valid one beside it is stored. */
    @Test
    void aBatchItemWithAServerOwnedPropertyIsRefusedAlone() {
        String machine = unique("DXQ");
        String forged = record("MRN-PROP-B", machine).replaceFirst("\\{", "{\"id\": \"" + CANARY + "\", ");
        HttpResponse<String> r = SecurityClient.postJson(
                "/api/v1/treatments/batch",
                SecurityTokens.token(machine, "device"),
                "[" + forged + "," + record("MRN-PROP-C", machine) + "]");
        assertThat(r.statusCode()).isLessThan(500);
        assertThat(r.body()).doesNotContain(CANARY);
        List<JsonObject> results = json(r.body()).getJsonArray("results").getValuesAs(JsonObject.class);
        assertThat(results).extracting(i -> i.getInt("status")).containsExactly(400, 201);
        assertThat(results.get(1).getString("id")).isNotEqualTo(CANARY);
    }

    /** Values of the wrong shape are refused too: objects where the schema wants strings or numbers, operators. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"alarms\": [{\"code\": \"A1\"}]",
                "\"alarms\": {\"$ne\": null}",
                "\"alarms\": [\"A12\"], \"constructor\": {\"prototype\": {\"role\": \"auditor\"}}"
            })
    void aRecordWithAnObjectWhereTheSchemaHasNoneIsRefused(String alarms) {
        String machine = unique("DXN");
        String body = record("MRN-PROP-N", machine).replace("\"alarms\": [\"A12\", \"B03\"]", alarms);
        assertProblem(
                SecurityClient.postJson("/api/v1/treatments", SecurityTokens.token(machine, "device"), body), 400);
    }

    /** A submission's answer is the new id and nothing of the record (the device has it; no PHI comes back). */
    @Test
    void aSubmissionAnswersOnlyTheIdAndTheReadAnswersOnlyTheStoredRecord() {
        String machine = unique("DXR");
        String patient = unique("MRN-R");
        HttpResponse<String> created = SecurityClient.postJson(
                "/api/v1/treatments", SecurityTokens.token(machine, "device"), record(patient, machine));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonObject body = json(created.body());
        assertThat(body.keySet()).containsExactly("id");
        assertThat(created.body()).doesNotContain(patient);

        HttpResponse<String> read = SecurityClient.get(
                "/api/v1/treatments/" + body.getString("id"), SecurityTokens.token("dr-prop", "clinician"));
        assertThat(read.statusCode()).isEqualTo(200);
        JsonObject stored = json(read.body());
        assertThat(stored.keySet()).containsExactlyInAnyOrder("id", "received_at", "record");
        // Nothing the server keeps for itself: no submitting client, source address, pseudonym or key material.
        assertThat(stored.getJsonObject("record").keySet())
                .containsExactlyInAnyOrder(
                        "patient_id",
                        "treatment_start",
                        "treatment_end",
                        "uf_volume",
                        "conductivity",
                        "machine_id",
                        "alarms");
        assertThat(read.body())
                .doesNotContain("client_id")
                .doesNotContain("pseudonym")
                .doesNotContain("127.0.0.1");
    }

    /** The audit trail an auditor reads names pseudonyms, never a patient identifier from a record. */
    @Test
    void theAuditTrailNeverExposesARecordsPatientIdentifier() throws Exception {
        String machine = unique("DXT");
        String patient = unique("MRN-T");
        assertThat(SecurityClient.postJson(
                                "/api/v1/treatments", SecurityTokens.token(machine, "device"), record(patient, machine))
                        .statusCode())
                .isEqualTo(201);
        String auditor = SecurityTokens.token("aud-prop", "auditor");
        // The export holds every sealed event; the submission's event is sealed within about a second.
        String export = "";
        for (int attempt = 0; attempt < 30 && !export.contains("\"" + machine + "\""); attempt++) {
            Thread.sleep(500);
            HttpResponse<String> r = SecurityClient.get("/api/v1/audit/export", auditor);
            assertThat(r.statusCode()).isEqualTo(200);
            export = r.body();
        }
        assertThat(export).contains("\"" + machine + "\"").doesNotContain(patient);
    }
}
