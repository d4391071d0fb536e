package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FHIR R4 output (issue 12, item 3): with {@code Accept: application/fhir+json} a read and the change feed answer a
 * {@code collection} Bundle and a search a {@code searchset}, as {@code application/fhir+json}; plain JSON stays the
 * default; roles and audit events are those of the JSON answers; no identifier ever goes into a URL. HAPI's validator
 * checks the mapping itself in treatment-core (FhirR4ValidationTest). Runs on H2 and PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class FhirIT {

    private static final String FHIR = "application/fhir+json";
    private static final Set<String> URL_MEMBERS = Set.of("fullUrl", "reference", "url");
    private static final String CLINICIAN = Tokens.rs256("dr-fhir", "clinician");
    private static final String ENGINE = Tokens.rs256("engine-fhir", "integration");
    private static final String GATEWAY = Tokens.rs256("gw-fhir", "gateway");

    /** A machine of this test's own, so other tests' submissions do not spend its rate limit. */
    private static final String MACHINE = "FH" + (1000 + new Random().nextInt(8999));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    private static String article(String patientId, int day) {
        return SecurityIT.ARTICLE
                .replace("\"123456\"", "\"" + patientId + "\"")
                .replace("\"DX2020\"", "\"" + MACHINE + "\"")
                .replace("2025-03-28", "2025-03-" + day);
    }

    private static String store(String json) {
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", GATEWAY, json);
        assertThat(r.statusCode()).isEqualTo(201);
        return TreatmentFlowIT.json(r.body()).getString("id");
    }

    private static HttpResponse<String> get(String path, String token, String accept) {
        HttpRequest.Builder b = Https.request(path).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Https.send(b.build());
    }

    private static HttpResponse<String> search(String token, String body, String accept) {
        HttpRequest.Builder b = Https.request("/api/v1/treatments/search")
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Https.send(b.build());
    }

    private static JsonObject fhirBody(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith(FHIR));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonObject bundle = TreatmentFlowIT.json(r.body());
        assertThat(bundle.getString("resourceType")).isEqualTo("Bundle");
        return bundle;
    }

    private static List<JsonObject> resources(JsonObject bundle, String type) {
        if (!bundle.containsKey("entry")) {
            return List.of();
        }
        return bundle.getJsonArray("entry").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getJsonObject("resource"))
                .filter(r -> r.getString("resourceType").equals(type))
                .toList();
    }

    /** Our record id of each Procedure in the Bundle, in order. */
    private static List<String> recordIds(JsonObject bundle) {
        return resources(bundle, "Procedure").stream()
                .map(p -> p.getJsonArray("identifier").getValuesAs(JsonObject.class).stream()
                        .filter(i -> i.getString("system").equals("https://treatment.health/fhir/sid/record-id"))
                        .findFirst()
                        .orElseThrow()
                        .getString("value"))
                .toList();
    }

    /** Every URL the Bundle holds (fullUrl, reference, link url) and the Link header: none may hold an identifier. */
    private static void assertNoIdentifierInAnyUrl(HttpResponse<String> r, JsonObject bundle, String... identifiers) {
        List<String> urls = new ArrayList<>(r.headers().allValues("Link"));
        collectUrls(bundle, urls);
        for (String url : urls) {
            for (String identifier : identifiers) {
                assertThat(url).doesNotContain(identifier);
            }
        }
        if (bundle.containsKey("entry")) {
            assertThat(bundle.getJsonArray("entry").getValuesAs(JsonObject.class))
                    .allSatisfy(e -> assertThat(e.getString("fullUrl")).matches("urn:uuid:[0-9a-f-]{36}"));
        }
    }

    private static void collectUrls(JsonValue value, List<String> urls) {
        if (value instanceof JsonObject object) {
            object.forEach((name, member) -> {
                if (URL_MEMBERS.contains(name) && member instanceof JsonString s) {
                    urls.add(s.getString());
                } else {
                    collectUrls(member, urls);
                }
            });
        } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            value.asJsonArray().forEach(v -> collectUrls(v, urls));
        }
    }

    /** The link of the given relation, as a path and query on this server. */
    private static String link(JsonObject bundle, String relation) {
        return bundle.getJsonArray("link").getValuesAs(JsonObject.class).stream()
                .filter(l -> l.getString("relation").equals(relation))
                .map(l -> URI.create(l.getString("url")))
                .map(u -> u.getRawPath() + "?" + u.getRawQuery())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no link " + relation + " in " + bundle));
    }

    @Test
    void aReadOfTheArticleExampleIsACollectionOfOneProcedureOneDeviceAndFourObservationsWithStableIds()
            throws Exception {
        String patient = "FHIR-" + UUID.randomUUID().toString().substring(0, 8);
        String id = store(article(patient, 28));

        HttpResponse<String> first = get("/api/v1/treatments/" + id, CLINICIAN, FHIR);
        JsonObject bundle = fhirBody(first);
        assertThat(bundle.getString("type")).isEqualTo("collection");
        assertThat(resources(bundle, "Procedure")).hasSize(1);
        assertThat(resources(bundle, "Device")).hasSize(1);
        assertThat(resources(bundle, "Observation")).hasSize(4); // uf_volume, conductivity, alarms A12 and B03
        assertThat(recordIds(bundle)).containsExactly(id);

        JsonObject procedure = resources(bundle, "Procedure").get(0);
        assertThat(procedure.getString("status")).isEqualTo("completed");
        assertThat(procedure
                        .getJsonObject("subject")
                        .getJsonObject("identifier")
                        .getString("value"))
                .isEqualTo(patient);
        // the development configuration keeps the documented placeholder system
        assertThat(procedure
                        .getJsonObject("subject")
                        .getJsonObject("identifier")
                        .getString("system"))
                .isEqualTo("https://treatment.health/fhir/sid/patient-id");
        assertThat(resources(bundle, "Device")
                        .get(0)
                        .getJsonArray("identifier")
                        .getJsonObject(0)
                        .getString("value"))
                .isEqualTo(MACHINE);
        assertNoIdentifierInAnyUrl(first, bundle, patient);

        // the same record read again is the same Bundle: the same ids, so an EHR deduplicates
        HttpResponse<String> second = get("/api/v1/treatments/" + id, CLINICIAN, FHIR + "; fhirVersion=4.0");
        assertThat(fhirBody(second)).isEqualTo(bundle);

        // both reads were audited as reads, as the JSON ones are
        assertThat(AuditEvents.matching(
                        e -> "treatment.read".equals(e.getString("action"))
                                && id.equals(e.getString("record_id", null))
                                && "dr-fhir".equals(e.getString("client_id", null)),
                        2))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void plainJsonStaysTheDefaultAndAnUnsupportedAcceptIsStill406() {
        String id = store(article("FHIR-DEFAULT", 27));
        for (String accept : new String[] {
            null,
            "*/*",
            "application/json",
            "application/json, " + FHIR + ";q=0.5",
            "application/*",
            FHIR + ";q=0, application/json;q=0.1"
        }) {
            HttpResponse<String> r = get("/api/v1/treatments/" + id, CLINICIAN, accept);
            assertThat(r.statusCode()).as(String.valueOf(accept)).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(String.valueOf(accept))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(TreatmentFlowIT.json(r.body()).getString("id")).isEqualTo(id);
        }
        HttpResponse<String> preferred = get("/api/v1/treatments/" + id, CLINICIAN, "application/json;q=0.5, " + FHIR);
        assertThat(fhirBody(preferred).getString("type")).isEqualTo("collection");
        assertProblem(get("/api/v1/treatments/" + id, CLINICIAN, "text/html"), 406);
    }

    @Test
    void aSearchIsASearchsetWhoseNextLinkCarriesOnlyTheCursor() throws Exception {
        String patient = "FHIRS-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int day = 20; day <= 22; day++) {
            ids.add(0, store(article(patient, day))); // newest first
        }

        HttpResponse<String> firstPage = search(CLINICIAN, "{\"patient_id\":\"" + patient + "\",\"limit\":2}", FHIR);
        JsonObject page = fhirBody(firstPage);
        assertThat(page.getString("type")).isEqualTo("searchset");
        assertThat(page.containsKey("total")).isFalse(); // more pages follow: the total is not known
        Map<String, String> modes = page.getJsonArray("entry").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(
                        e -> e.getJsonObject("resource").getString("id"),
                        e -> e.getJsonObject("resource").getString("resourceType") + ":"
                                + e.getJsonObject("search").getString("mode"),
                        (a, b) -> a));
        assertThat(modes.values()).contains("Procedure:match", "Device:include", "Observation:include");
        assertThat(recordIds(page)).containsExactly(ids.get(0), ids.get(1));
        assertNoIdentifierInAnyUrl(firstPage, page, patient);

        String next = link(page, "next");
        assertThat(next).startsWith("/api/v1/treatments/search?after=");
        assertThat(firstPage.headers().allValues("Link"))
                .anySatisfy(l -> assertThat(l).contains("rel=\"next\""));
        String cursor = URLDecoder.decode(next.substring(next.indexOf("after=") + 6), StandardCharsets.UTF_8);
        JsonObject last = fhirBody(search(
                CLINICIAN, "{\"patient_id\":\"" + patient + "\",\"limit\":2,\"after\":\"" + cursor + "\"}", FHIR));
        assertThat(recordIds(last)).containsExactly(ids.get(2));
        assertThat(last.containsKey("link")).isFalse();

        JsonObject whole = fhirBody(search(CLINICIAN, "{\"patient_id\":\"" + patient + "\"}", FHIR));
        assertThat(whole.getInt("total")).isEqualTo(3); // a single page is the whole result
        assertThat(recordIds(whole)).containsExactlyElementsOf(ids);
        // one Device for the machine however many records name it
        assertThat(resources(whole, "Device")).hasSize(1);

        List<JsonObject> audited = AuditEvents.matching(
                e -> "treatment.search".equals(e.getString("action"))
                        && "dr-fhir".equals(e.getString("client_id", null)),
                3);
        assertThat(audited.toString()).doesNotContain(patient);
        assertThat(audited)
                .filteredOn(e -> "search_result".equals(e.getString("reason_code", null)))
                .extracting(e -> e.getString("record_id"))
                .containsAll(ids);
    }

    @Test
    void theChangeFeedIsACollectionPagedByACursorLink() throws Exception {
        String cursor = endOfTheFeed();
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stored.add(store(
                    article("FHIRF-" + i + "-" + UUID.randomUUID().toString().substring(0, 6), 25)));
        }

        List<String> seen = new ArrayList<>();
        String path = "/api/v1/treatments/changes?limit=2&after=" + cursor;
        for (int pages = 0; pages < 50; pages++) {
            HttpResponse<String> r = get(path, ENGINE, FHIR);
            JsonObject page = fhirBody(r);
            assertThat(page.getString("type")).isEqualTo("collection");
            assertNoIdentifierInAnyUrl(r, page, "FHIRF-");
            List<String> ids = recordIds(page);
            seen.addAll(ids);
            assertThat(r.headers().allValues("Link"))
                    .anySatisfy(l -> assertThat(l).contains("rel=\"next\""));
            path = link(page, "https://treatment.health/fhir/link-relation/next-page");
            assertThat(path).startsWith("/api/v1/treatments/changes?after=").contains("limit=2");
            if (ids.isEmpty()) {
                break;
            }
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.stream().filter(stored::contains).toList()).containsExactlyElementsOf(stored);
        assertThat(AuditEvents.matching(
                        e -> "treatment.changes".equals(e.getString("action"))
                                && "engine-fhir".equals(e.getString("client_id", null)),
                        2))
                .isNotEmpty();
    }

    @Test
    void theRolesAreTheSameInFhir() {
        String id = store(article("FHIR-ROLES", 26));
        String body = "{\"patient_id\":\"FHIR-ROLES\"}";
        for (String role : List.of("device", "gateway", "auditor", "integration", "privacy-officer")) {
            String token = Tokens.rs256("fhir-" + role, role);
            assertProblem(get("/api/v1/treatments/" + id, token, FHIR), 403);
            assertProblem(search(token, body, FHIR), 403);
        }
        for (String role : List.of("device", "gateway", "auditor", "clinician", "privacy-officer")) {
            assertProblem(get("/api/v1/treatments/changes", Tokens.rs256("fhir-" + role, role), FHIR), 403);
        }
        assertProblem(get("/api/v1/treatments/" + id, null, FHIR), 401);
        assertProblem(search(null, body, FHIR), 401);
        assertProblem(get("/api/v1/treatments/changes", null, FHIR), 401);
        // errors stay problem+json whatever was asked for
        assertProblem(get("/api/v1/treatments/" + UUID.randomUUID(), CLINICIAN, FHIR), 404);
    }

    @Test
    void theOpenApiDocumentListsTheFhirMediaTypeOnTheThreeOperations() {
        HttpResponse<String> r = Https.send(Https.request("/openapi")
                .header("Accept", "application/json")
                .GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject paths = TreatmentFlowIT.json(r.body()).getJsonObject("paths");
        for (String[] operation : new String[][] {
            {"/api/v1/treatments/{id}", "get"},
            {"/api/v1/treatments/search", "post"},
            {"/api/v1/treatments/changes", "get"}
        }) {
            JsonObject content = paths.getJsonObject(operation[0])
                    .getJsonObject(operation[1])
                    .getJsonObject("responses")
                    .getJsonObject("200")
                    .getJsonObject("content");
            assertThat(content).as(operation[0]).containsKeys("application/json", FHIR);
            assertThat(content.getJsonObject(FHIR).getJsonObject("schema").getString("$ref"))
                    .endsWith("/FhirBundle");
        }
    }

    /** The cursor at the end of the feed (past what other tests stored), followed in plain JSON. */
    private static String endOfTheFeed() {
        String cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            HttpResponse<String> r = Https.get(
                    "/api/v1/treatments/changes?limit=1000" + (cursor == null ? "" : "&after=" + cursor), ENGINE);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject page = TreatmentFlowIT.json(r.body());
            cursor = page.getString("next");
            if (page.getJsonArray("records").isEmpty()) {
                return cursor;
            }
        }
        throw new AssertionError("the feed did not end");
    }
}
