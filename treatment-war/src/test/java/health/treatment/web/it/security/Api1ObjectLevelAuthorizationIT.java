package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static health.treatment.web.it.security.SecurityDeployment.record;
import static health.treatment.web.it.security.SecurityDeployment.unique;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API1:2023, broken object level authorisation: a caller reaches only the objects its role and identity allow,
 * whatever id, key or identifier it puts in a request. Records are written by devices (only for their own machine:
 * SecurityIT, BatchIT) and read by clinicians; the cases here are the ones the other ITs do not cover.
 */
@ExtendWith(ArquillianExtension.class)
class Api1ObjectLevelAuthorizationIT {

    private static final String SUBMIT = "/api/v1/treatments";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static HttpResponse<String> submit(String token, String body, String key) {
        HttpRequest.Builder b = SecurityClient.request(SUBMIT, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return SecurityClient.send(b.build());
    }

    private static String stored(String token, String body) {
        HttpResponse<String> r = submit(token, body, null);
        assertThat(r.statusCode()).isEqualTo(201);
        return json(r.body()).getString("id");
    }

    /**
     * No device or gateway reads a record back by id, not even the one it just wrote, and the answer is the same
     * 403 for a stored record and for an id that does not exist: no existence oracle for a non-clinician.
     */
    @Test
    void noDeviceOrGatewayReadsARecordByIdAndTheAnswerDoesNotRevealWhetherItExists() {
        String machine = unique("DXA");
        String device = SecurityTokens.token(machine, "device");
        String id = stored(device, record("MRN-BOLA-1", machine));
        String missing = UUID.randomUUID().toString();
        for (String token : List.of(
                device,
                SecurityTokens.token(unique("DXB"), "device"),
                SecurityTokens.token(unique("gw"), "gateway"),
                SecurityTokens.token("aud-1", "auditor"),
                SecurityTokens.token("engine-1", "integration"),
                SecurityTokens.token("po-1", "privacy-officer"))) {
            HttpResponse<String> existing = SecurityClient.get(SUBMIT + "/" + id, token);
            HttpResponse<String> absent = SecurityClient.get(SUBMIT + "/" + missing, token);
            assertProblem(existing, 403);
            assertProblem(absent, 403);
            assertThat(existing.body()).isEqualTo(absent.body()).doesNotContain("MRN-BOLA-1");
        }
        HttpResponse<String> clinician =
                SecurityClient.get(SUBMIT + "/" + id, SecurityTokens.token("dr-1", "clinician"));
        assertThat(clinician.statusCode()).isEqualTo(200);
    }

    /**
     * Idempotency keys are scoped to the authenticated client: another client using the same key neither gets the
     * first client's record id back (a replay would hand it out) nor a 409 (which would tell it the key is taken).
     */
    @Test
    void anotherClientsIdempotencyKeyNeitherReplaysTheirRecordNorRevealsThatTheKeyIsTaken() {
        String key = "bola-" + UUID.randomUUID();
        String machine = unique("DXK");
        String body = record("MRN-BOLA-2", machine);
        HttpResponse<String> first = submit(SecurityTokens.token(machine, "device"), body, key);
        assertThat(first.statusCode()).isEqualTo(201);
        String firstId = json(first.body()).getString("id");

        HttpResponse<String> gatewaySameBody = submit(SecurityTokens.token(unique("gw-k"), "gateway"), body, key);
        assertThat(gatewaySameBody.statusCode()).isEqualTo(201);
        assertThat(json(gatewaySameBody.body()).getString("id")).isNotEqualTo(firstId);

        String other = unique("DXO");
        HttpResponse<String> otherDevice =
                submit(SecurityTokens.token(other, "device"), record("MRN-BOLA-3", other), key);
        assertThat(otherDevice.statusCode()).isEqualTo(201);
        assertThat(json(otherDevice.body()).getString("id")).isNotEqualTo(firstId);

        HttpResponse<String> replay = submit(SecurityTokens.token(machine, "device"), body, key);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay.body()).getString("id")).isEqualTo(firstId);
    }

    /**
     * A clinician's search returns the named patient's records and nothing else: not a patient whose identifier
     * starts with it, and a wildcard or pattern is refused (400) instead of matching anything.
     */
    @Test
    void aSearchReturnsOnlyTheNamedPatientsRecordsAndPatternsMatchNothing() {
        String gateway = SecurityTokens.token(unique("gw-s"), "gateway");
        String patient = unique("MRN-S");
        String mine = stored(gateway, record(patient, "DX7001"));
        stored(gateway, record(patient + "0", "DX7001"));
        stored(gateway, record("X" + patient, "DX7001"));
        String clinician = SecurityTokens.token("dr-bola", "clinician");

        HttpResponse<String> r =
                SecurityClient.postJson(SUBMIT + "/search", clinician, "{\"patient_id\":\"" + patient + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).getJsonArray("records").getValuesAs(JsonObject.class))
                .extracting(rec -> rec.getString("id"))
                .containsExactly(mine);

        for (String pattern : List.of(patient + "%", patient + "*", "%", "*", ".*", patient.substring(0, 6) + "_%")) {
            HttpResponse<String> p =
                    SecurityClient.postJson(SUBMIT + "/search", clinician, "{\"patient_id\":\"" + pattern + "\"}");
            if (p.statusCode() == 200) {
                assertThat(json(p.body()).getJsonArray("records")).as(pattern).isEmpty();
            } else {
                assertProblem(p, 400);
                assertThat(p.body()).doesNotContain(patient);
            }
        }
    }

    /** Record ids are UUID version 7 with 74 random bits: the next id cannot be derived from one a client saw. */
    @Test
    void recordIdsAreNotGuessableFromOneAnother() {
        String machine = unique("DXG");
        String device = SecurityTokens.token(machine, "device");
        String a = stored(device, record("MRN-BOLA-4", machine));
        String b = stored(device, record("MRN-BOLA-5", machine));
        for (String id : List.of(a, b)) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
        }
        // After the 48-bit time stamp: the random parts differ in far more than a counter's low bits.
        long randomA = UUID.fromString(a).getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL;
        long randomB = UUID.fromString(b).getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL;
        assertThat(Long.bitCount(randomA ^ randomB)).isGreaterThan(8);
    }
}
