package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Erasure requests: crypto-shredding of one patient, identifier in the body, audited by pseudonym only. */
@ExtendWith(ArquillianExtension.class)
class ErasureIT {

    static final String PRIVACY_OFFICER = Tokens.rs256("po-1", "privacy-officer");
    static final String CLINICIAN = Tokens.rs256("dr-1", "clinician");
    static final String DEVICE = Tokens.rs256("DX8080", "device");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    static String newPatient() {
        return "MRN-ER-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    static String store(String patient) {
        HttpResponse<String> created = TreatmentFlowIT.submit(DEVICE, TreatmentFlowIT.article(patient, "DX8080"), null);
        assertThat(created.statusCode()).isEqualTo(201);
        return TreatmentFlowIT.json(created.body()).getString("id");
    }

    static HttpResponse<String> erase(String token, String body) {
        return Https.postJson("/api/v1/patients/erasure", token, body);
    }

    static int read(String id) {
        return Https.get("/api/v1/treatments/" + id, CLINICIAN).statusCode();
    }

    @Test
    void erasureMakesEveryRecordOfThePatientUnreadableAndOnlyThatPatient() {
        String patient = newPatient();
        String other = newPatient();
        String first = store(patient);
        String second = store(patient);
        String kept = store(other);

        HttpResponse<String> erased = erase(PRIVACY_OFFICER, "{\"patient_id\": \"" + patient + "\"}");
        assertThat(erased.statusCode()).isEqualTo(200);
        JsonObject body = TreatmentFlowIT.json(erased.body());
        assertThat(body.getString("status")).isEqualTo("erased");
        assertThat(body.getInt("records")).isEqualTo(2);
        assertThat(erased.body()).doesNotContain(patient);

        assertThat(read(first)).isEqualTo(404);
        assertThat(read(second)).isEqualTo(404);
        assertThat(read(kept)).isEqualTo(200);

        HttpResponse<String> again = erase(PRIVACY_OFFICER, "{\"patient_id\": \"" + patient + "\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TreatmentFlowIT.json(again.body()).getString("status")).isEqualTo("already_erased");
    }

    @Test
    void aRecordAfterTheErasureIsStoredUnderANewKeyEvenWhenManyArriveAtOnce() throws Exception {
        String patient = newPatient();
        String before = store(patient);
        assertThat(erase(PRIVACY_OFFICER, "{\"patient_id\": \"" + patient + "\"}")
                        .statusCode())
                .isEqualTo(200);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(pool.submit(() -> store(patient)));
            }
            for (Future<String> id : ids) {
                assertThat(read(id.get())).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(read(before)).isEqualTo(404);
    }

    @Test
    void theAuditTrailNamesThePseudonymNeverTheIdentifier() throws Exception {
        String patient = newPatient();
        store(patient);
        assertThat(erase(PRIVACY_OFFICER, "{\"patient_id\": \"" + patient + "\"}")
                        .statusCode())
                .isEqualTo(200);
        List<JsonObject> events = AuditEvents.matching(
                e -> "patient.erasure".equals(e.getString("action"))
                        && "po-1".equals(e.getString("client_id", null))
                        && e.getInt("http_status") == 200,
                1);
        for (JsonObject e : events) {
            assertThat(e.getString("record_id")).matches("pt_[a-z2-7]{26}");
            assertThat(e.toString()).doesNotContain(patient);
        }
    }

    @Test
    void unknownPatientsAreNotFoundAndMalformedRequestsAreRejectedWithoutEchoingThem() {
        assertProblem(erase(PRIVACY_OFFICER, "{\"patient_id\": \"" + newPatient() + "\"}"), 404);
        String secret = "MRN-SECRET-" + UUID.randomUUID().toString().substring(0, 6);
        for (String bad : List.of(
                "{}",
                "[]",
                "\"" + secret + "\"",
                "{\"patient_id\": 42}",
                "{\"patient_id\": \"" + secret + "..x\"}",
                "{\"patient_id\": \"" + secret + "\", \"extra\": 1}",
                "{\"patient_id\": \"" + "A".repeat(65) + "\"}",
                "{\"patient_id\": \"" + secret)) {
            HttpResponse<String> r = erase(PRIVACY_OFFICER, bad);
            assertProblem(r, 400);
            assertThat(r.body()).doesNotContain(secret);
        }
    }

    @Test
    void onlyPrivacyOfficersMayErase() {
        String body = "{\"patient_id\": \"" + newPatient() + "\"}";
        assertProblem(erase(CLINICIAN, body), 403);
        assertProblem(erase(DEVICE, body), 403);
        assertProblem(erase(Tokens.rs256("aud-1", "auditor"), body), 403);
        ProblemAssert.assertRefusedWithoutToken(erase(null, body));
        assertProblem(Https.get("/api/v1/patients/erasure", PRIVACY_OFFICER), 405);
    }
}
