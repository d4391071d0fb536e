package health.treatment.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.core.TreatmentCoreException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the FHIR mapping writes, element by element (HAPI's validator runs in {@link FhirR4ValidationTest}). */
class FhirR4Test {

    private static final String ARTICLE_ID = "6f1d0c52-3c1e-4a44-9d7a-0d6c3f2b9e11";
    private static final String FULL_ID = "0b8e5a34-7d2f-4c8e-a1b6-3e9f4d2c7a58";
    private static final FhirR4 FHIR = FhirR4.create(FhirOptions.defaults());

    private static JsonObject read(String id, String json) {
        return FHIR.collection(List.of(FhirDocuments.stored(id, json)), Optional.empty());
    }

    private static List<JsonObject> resources(JsonObject bundle, String type) {
        List<JsonObject> found = new ArrayList<>();
        for (JsonValue entry : bundle.getJsonArray("entry")) {
            JsonObject resource = entry.asJsonObject().getJsonObject("resource");
            if (resource.getString("resourceType").equals(type)) {
                found.add(resource);
            }
        }
        return found;
    }

    private static JsonObject observation(JsonObject bundle, String localCode) {
        return resources(bundle, "Observation").stream()
                .filter(o -> o.getJsonObject("code")
                        .getJsonArray("coding")
                        .getJsonObject(0)
                        .getString("code")
                        .equals(localCode))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Observation " + localCode));
    }

    @Test
    void theArticleExampleIsOneProcedureOneDeviceAndAnObservationPerSettingAndAlarm() {
        JsonObject bundle = read(ARTICLE_ID, FhirDocuments.ARTICLE_EXAMPLE);

        assertThat(bundle.getString("resourceType")).isEqualTo("Bundle");
        assertThat(bundle.getString("type")).isEqualTo("collection");
        assertThat(resources(bundle, "Procedure")).hasSize(1);
        assertThat(resources(bundle, "Device")).hasSize(1);
        assertThat(resources(bundle, "Observation")).hasSize(4); // uf_volume, conductivity, A12, B03

        JsonObject procedure = resources(bundle, "Procedure").get(0);
        assertThat(procedure.getString("status")).isEqualTo("completed");
        assertThat(procedure.getJsonObject("code").getJsonArray("coding").getJsonObject(0))
                .containsEntry("system", string("http://snomed.info/sct"))
                .containsEntry("code", string("302497006"));
        assertThat(procedure.getJsonObject("performedPeriod"))
                .containsEntry("start", string("2025-03-28T08:00:00Z"))
                .containsEntry("end", string("2025-03-28T10:00:00Z"));
        assertThat(procedure.getJsonObject("subject").getString("type")).isEqualTo("Patient");
        assertThat(procedure.getJsonObject("subject").getJsonObject("identifier"))
                .containsEntry("system", string(FhirOptions.DEFAULT_PATIENT_IDENTIFIER_SYSTEM))
                .containsEntry("value", string("123456"));
        assertThat(procedure.containsKey("encounter")).isFalse();
        assertThat(procedure.getJsonArray("identifier").getValuesAs(JsonObject.class))
                .anySatisfy(i -> assertThat(i)
                        .containsEntry("system", string(FhirR4.RECORD_IDENTIFIER_SYSTEM))
                        .containsEntry("value", string(ARTICLE_ID)));

        JsonObject device = resources(bundle, "Device").get(0);
        assertThat(device.getJsonArray("identifier").getJsonObject(0))
                .containsEntry("system", string(FhirR4.MACHINE_IDENTIFIER_SYSTEM))
                .containsEntry("value", string("DX2020"));
        assertThat(procedure.getJsonArray("usedReference").getJsonObject(0).getString("reference"))
                .isEqualTo("urn:uuid:" + device.getString("id"));

        JsonObject uf = observation(bundle, "uf-volume");
        assertThat(uf.getString("status")).isEqualTo("final");
        assertThat(uf.getJsonObject("valueQuantity").toString())
                .isEqualTo("{\"value\":2.4,\"unit\":\"L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"L\"}");
        assertThat(uf.getJsonArray("partOf").getJsonObject(0).getString("reference"))
                .isEqualTo("urn:uuid:" + procedure.getString("id"));
        assertThat(uf.getJsonObject("device").getString("reference")).isEqualTo("urn:uuid:" + device.getString("id"));
        assertThat(uf.getJsonObject("subject")).isEqualTo(procedure.getJsonObject("subject"));
        assertThat(uf.getJsonObject("effectivePeriod")).isEqualTo(procedure.getJsonObject("performedPeriod"));
        assertThat(uf.getString("issued")).isEqualTo("2025-03-28T10:00:05.123Z");
        assertThat(observation(bundle, "dialysate-conductivity")
                        .getJsonObject("valueQuantity")
                        .toString())
                .contains("\"value\":13.5", "\"code\":\"mS/cm\"");
        assertThat(resources(bundle, "Observation").stream()
                        .filter(o -> o.containsKey("valueString"))
                        .map(o -> o.getString("valueString")))
                .containsExactly("A12", "B03");
    }

    @Test
    void everyFieldOfTheSchemaLandsInAResource() {
        JsonObject bundle = read(FULL_ID, FhirDocuments.FULL);
        JsonObject procedure = resources(bundle, "Procedure").get(0);

        assertThat(procedure
                        .getJsonObject("subject")
                        .getJsonObject("identifier")
                        .getString("value"))
                .isEqualTo("CANARY-PATIENT-7731");
        assertThat(procedure.getJsonObject("encounter").getJsonObject("identifier"))
                .containsEntry("system", string(FhirOptions.DEFAULT_ENCOUNTER_IDENTIFIER_SYSTEM))
                .containsEntry("value", string("CANARY-ENC-4410"));
        assertThat(procedure
                        .getJsonArray("performer")
                        .getJsonObject(0)
                        .getJsonObject("actor")
                        .getJsonObject("identifier"))
                .containsEntry("system", string(FhirOptions.DEFAULT_PRACTITIONER_IDENTIFIER_SYSTEM))
                .containsEntry("value", string("CANARY-TECH-5521"));
        assertThat(procedure.getJsonObject("performedPeriod"))
                .containsEntry("start", string("2025-03-28T08:00:00+01:00"))
                .containsEntry("end", string("2025-03-28T12:03:30.25+01:00"));
        assertThat(procedure.getJsonArray("note").getJsonObject(0).getString("text"))
                .isEqualTo("CANARY-NOTES-9902 line one\nline two\ttabbed \"quoted\" é");

        Map<String, String> settings = Map.of(
                "uf-volume",
                "2.4 L",
                "uf-rate",
                "600 mL/h",
                "dialysate-conductivity",
                "13.50 mS/cm",
                "blood-flow",
                "300 mL/min",
                "dialysate-flow",
                "500 mL/min",
                "dialysate-temperature",
                "36.5 Cel",
                "arterial-pressure",
                "-150 mm[Hg]",
                "venous-pressure",
                "180 mm[Hg]",
                "session-duration",
                "240 min");
        settings.forEach((code, expected) -> {
            JsonObject quantity = observation(bundle, code).getJsonObject("valueQuantity");
            assertThat(quantity.getJsonNumber("value") + " " + quantity.getString("code"))
                    .as(code)
                    .isEqualTo(expected);
            assertThat(quantity.getString("system")).isEqualTo("http://unitsofmeasure.org");
            assertThat(observation(bundle, code).getJsonObject("encounter"))
                    .isEqualTo(procedure.getJsonObject("encounter"));
        });
        assertThat(observation(bundle, "blood-flow")
                        .getJsonObject("code")
                        .getJsonArray("coding")
                        .getJsonObject(1))
                .containsEntry("system", string("http://snomed.info/sct"))
                .containsEntry("code", string("401000124105"));

        List<JsonObject> readings = resources(bundle, "Observation").stream()
                .filter(o -> o.containsKey("effectiveDateTime"))
                .toList();
        assertThat(readings)
                .extracting(o -> o.getJsonObject("code")
                                .getJsonArray("coding")
                                .getJsonObject(0)
                                .getString("system") + "#"
                        + o.getJsonObject("code")
                                .getJsonArray("coding")
                                .getJsonObject(0)
                                .getString("code") + "="
                        + o.getJsonObject("valueQuantity").getJsonNumber("value") + " "
                        + o.getJsonObject("valueQuantity").getString("code") + "@" + o.getString("effectiveDateTime"))
                .containsExactly(
                        "http://loinc.org#8867-4=72 /min@2025-03-28T08:30:00Z",
                        "http://loinc.org#8310-5=36.9 Cel@2025-03-28T08:31:00Z",
                        // the HL7 OID of ISO/IEEE 11073 MDC becomes the URL FHIR names it by
                        "urn:iso:std:iso:11073:10101#150456=97.5 %@2025-03-28T09:30:00Z",
                        // a whole number sent with an exponent is written without one
                        "urn:iso:std:iso:11073:10101#149530=100 /min@2025-03-28T09:31:00-05:00");
        assertThat(readings)
                .extracting(o -> o.getJsonArray("category")
                        .getJsonObject(0)
                        .getJsonArray("coding")
                        .getJsonObject(0)
                        .getString("code"))
                .containsExactly("vital-signs", "vital-signs", "procedure", "procedure");
        assertThat(resources(bundle, "Observation").stream()
                        .filter(o -> o.containsKey("valueString"))
                        .map(o -> o.getString("valueString")))
                .containsExactly("A12", "B03", "A12");
        assertThat(resources(bundle, "Observation")).hasSize(8 + 1 + 4 + 3);
    }

    @Test
    void aRecordWithoutPatientNamesItsEncounterAndAnUnknownSubject() {
        JsonObject bundle = read(ARTICLE_ID, FhirDocuments.ENCOUNTER_ONLY);
        JsonObject procedure = resources(bundle, "Procedure").get(0);

        assertThat(procedure.getString("status")).isEqualTo("unknown"); // no end, no duration
        assertThat(procedure.getJsonObject("performedPeriod").keySet()).containsExactly("start");
        assertThat(procedure.getJsonObject("subject").containsKey("identifier")).isFalse();
        assertThat(procedure.getJsonObject("subject").getJsonArray("extension").getJsonObject(0))
                .containsEntry("url", string("http://hl7.org/fhir/StructureDefinition/data-absent-reason"));
        assertThat(procedure
                        .getJsonObject("encounter")
                        .getJsonObject("identifier")
                        .getString("value"))
                .isEqualTo("CANARY-ENC-0001");
        // no dialysis settings: not coded as hemodialysis
        assertThat(procedure.getJsonObject("code").getJsonArray("coding").getJsonObject(0))
                .containsEntry("system", string(FhirR4.SETTING_CODE_SYSTEM))
                .containsEntry("code", string("device-session"));
    }

    @Test
    void aDurationWithoutEndGivesTheEnd() {
        JsonObject procedure = resources(read(ARTICLE_ID, FhirDocuments.DURATION_ONLY), "Procedure")
                .get(0);
        assertThat(procedure.getString("status")).isEqualTo("completed");
        assertThat(procedure.getJsonObject("performedPeriod"))
                .containsEntry("start", string("2025-03-29T08:00:00+02:00"))
                .containsEntry("end", string("2025-03-29T11:00:00+02:00"));
    }

    @Test
    void theSameRecordAlwaysMapsToTheSameResources() {
        JsonObject first = read(FULL_ID, FhirDocuments.FULL);
        JsonObject second = FhirR4.create(FhirOptions.defaults())
                .collection(List.of(FhirDocuments.stored(FULL_ID, FhirDocuments.FULL)), Optional.empty());
        assertThat(second.toString()).isEqualTo(first.toString());

        List<String> ids = ids(first);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids)
                .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(5));
        // every resource carries an identifier of ours, so a receiver can create it conditionally
        for (JsonValue entry : first.getJsonArray("entry")) {
            JsonObject resource = entry.asJsonObject().getJsonObject("resource");
            assertThat(resource.getJsonArray("identifier").getJsonObject(0).getString("system"))
                    .startsWith("https://treatment.health/fhir/sid/");
            assertThat(entry.asJsonObject().getString("fullUrl")).isEqualTo("urn:uuid:" + resource.getString("id"));
        }
    }

    @Test
    void anotherRecordGetsOtherIdsButTheSameMachineTheSameDevice() {
        JsonObject a = read(ARTICLE_ID, FhirDocuments.ARTICLE_EXAMPLE);
        JsonObject b = read("11111111-2222-4333-8444-555555555555", FhirDocuments.ARTICLE_EXAMPLE);
        List<String> aIds = ids(a);
        List<String> bIds = ids(b);
        String device = resources(a, "Device").get(0).getString("id");
        assertThat(resources(b, "Device").get(0).getString("id")).isEqualTo(device);
        assertThat(aIds.stream().filter(id -> !id.equals(device)).filter(bIds::contains))
                .isEmpty();

        // in one Bundle the shared Device appears once (fullUrls are unique in a Bundle)
        JsonObject both = FHIR.collection(
                List.of(
                        FhirDocuments.stored(ARTICLE_ID, FhirDocuments.ARTICLE_EXAMPLE),
                        FhirDocuments.stored(FULL_ID, FhirDocuments.FULL)),
                Optional.empty());
        assertThat(resources(both, "Device")).hasSize(1);
        assertThat(resources(both, "Procedure")).hasSize(2);
        assertThat(fullUrls(both)).doesNotHaveDuplicates();
    }

    @Test
    void theIdentifierSystemsAreOptions() {
        FhirR4 hospital = FhirR4.create(FhirOptions.defaults()
                .withPatientIdentifierSystem("urn:oid:1.2.3.4.5")
                .withEncounterIdentifierSystem("https://hospital.example/sid/visit")
                .withPractitionerIdentifierSystem("https://hospital.example/sid/staff"));
        JsonObject procedure = resources(
                        hospital.collection(
                                List.of(FhirDocuments.stored(FULL_ID, FhirDocuments.FULL)), Optional.empty()),
                        "Procedure")
                .get(0);
        assertThat(procedure
                        .getJsonObject("subject")
                        .getJsonObject("identifier")
                        .getString("system"))
                .isEqualTo("urn:oid:1.2.3.4.5");
        assertThat(procedure
                        .getJsonObject("encounter")
                        .getJsonObject("identifier")
                        .getString("system"))
                .isEqualTo("https://hospital.example/sid/visit");
        assertThat(procedure
                        .getJsonArray("performer")
                        .getJsonObject(0)
                        .getJsonObject("actor")
                        .getJsonObject("identifier")
                        .getString("system"))
                .isEqualTo("https://hospital.example/sid/staff");
        // the systems do not change any id: the ids are ours, the systems the hospital's
        assertThat(ids(hospital.collection(
                        List.of(FhirDocuments.stored(FULL_ID, FhirDocuments.FULL)), Optional.empty())))
                .isEqualTo(ids(read(FULL_ID, FhirDocuments.FULL)));
        assertThat(hospital.options().patientIdentifierSystem()).isEqualTo("urn:oid:1.2.3.4.5");
    }

    @Test
    void anIdentifierSystemMustBeAnAbsoluteUri() {
        for (String bad : new String[] {"", " ", "mrn", "/relative/path", "https://x.example/ a", " urn:oid:1.2"}) {
            assertThatThrownBy(() -> FhirOptions.defaults().withPatientIdentifierSystem(bad))
                    .as(bad)
                    .isInstanceOf(TreatmentCoreException.class)
                    .hasMessageNotContaining(bad.isBlank() ? "\u0000" : bad);
        }
        assertThatThrownBy(() -> FhirOptions.defaults().withPatientIdentifierSystem(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void noIdentifierEverGoesIntoAUrl() {
        URI next = URI.create("https://treatment.example/api/v1/treatments/changes?after=b3BhcXVl&limit=2");
        List<StoredRecord> records = List.of(
                FhirDocuments.stored(FULL_ID, FhirDocuments.FULL),
                FhirDocuments.stored(ARTICLE_ID, FhirDocuments.ENCOUNTER_ONLY));
        for (JsonObject bundle : List.of(
                FHIR.collection(records, Optional.of(next)),
                FHIR.searchset(records, OptionalInt.empty(), Optional.of(next)))) {
            List<String> urls = new ArrayList<>();
            collect(bundle, (name) -> name.equals("fullUrl") || name.equals("reference") || name.equals("url"), urls);
            assertThat(urls).isNotEmpty();
            for (String url : urls) {
                for (String canary : FhirDocuments.CANARIES) {
                    assertThat(url).doesNotContain(canary);
                }
                assertThat(url).doesNotContain("123456");
            }
            assertThat(fullUrls(bundle)).allMatch(u -> u.matches("urn:uuid:[0-9a-f-]{36}"));
        }
    }

    @Test
    void aSearchsetMarksTheMatchesAndLinksTheNextPage() {
        URI next = URI.create("https://treatment.example/api/v1/treatments/search?after=opaque");
        JsonObject bundle = FHIR.searchset(
                List.of(FhirDocuments.stored(ARTICLE_ID, FhirDocuments.ARTICLE_EXAMPLE)),
                OptionalInt.of(7),
                Optional.of(next));
        assertThat(bundle.getString("type")).isEqualTo("searchset");
        assertThat(bundle.getInt("total")).isEqualTo(7);
        assertThat(bundle.getJsonArray("link").getJsonObject(0))
                .containsEntry("relation", string("next"))
                .containsEntry("url", string(next.toString()));
        Map<String, String> modes = bundle.getJsonArray("entry").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(
                        e -> e.getString("fullUrl"),
                        e -> e.getJsonObject("resource").getString("resourceType") + ":"
                                + e.getJsonObject("search").getString("mode")));
        assertThat(modes.values())
                .containsOnly("Procedure:match", "Device:include", "Observation:include")
                .contains("Procedure:match");
        assertThat(FHIR.searchset(List.of(), OptionalInt.empty(), Optional.empty())
                        .containsKey("total"))
                .isFalse();
        assertThatThrownBy(() -> FHIR.searchset(
                        List.of(FhirDocuments.stored(ARTICLE_ID, FhirDocuments.ARTICLE_EXAMPLE)),
                        OptionalInt.of(0),
                        Optional.empty()))
                .isInstanceOf(TreatmentCoreException.class);
    }

    @Test
    void aCollectionNamesItsNextPageWithOurRelationAndAnEmptyPageHasNoEntries() {
        URI next = URI.create("https://treatment.example/api/v1/treatments/changes?after=opaque");
        JsonObject empty = FHIR.collection(List.of(), Optional.of(next));
        assertThat(empty.containsKey("entry")).isFalse(); // FHIR JSON has no empty arrays
        assertThat(empty.getJsonArray("link").getJsonObject(0))
                .containsEntry("relation", string(FhirR4.NEXT_PAGE_RELATION))
                .containsEntry("url", string(next.toString()));
        assertThatThrownBy(() -> FHIR.collection(List.of(), Optional.of(URI.create("/relative"))))
                .isInstanceOf(TreatmentCoreException.class);
    }

    @Test
    void aStoredRecordBindsFromItsCanonicalJson() {
        StoredRecord stored = FhirDocuments.stored(FULL_ID, FhirDocuments.FULL);
        StoredRecord bound = StoredRecord.fromJson(
                FULL_ID, FhirDocuments.RECEIVED, stored.record().toJson());
        assertThat(bound).isEqualTo(stored);
        assertThatThrownBy(() -> StoredRecord.fromJson(FULL_ID, FhirDocuments.RECEIVED, "{\"patient_id\":\"CANARY\"}"))
                .isInstanceOf(TreatmentCoreException.class)
                .hasMessageNotContaining("CANARY");
    }

    @Test
    void toStringsPrintNoIdentifier() {
        StoredRecord stored = FhirDocuments.stored(FULL_ID, FhirDocuments.FULL);
        for (String canary : FhirDocuments.CANARIES) {
            assertThat(stored.toString()).doesNotContain(canary);
        }
        assertThat(FHIR.toString()).contains(FhirOptions.DEFAULT_PATIENT_IDENTIFIER_SYSTEM);
    }

    private static List<String> ids(JsonObject bundle) {
        return bundle.getJsonArray("entry").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getJsonObject("resource").getString("id"))
                .toList();
    }

    private static List<String> fullUrls(JsonObject bundle) {
        return bundle.getJsonArray("entry").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("fullUrl"))
                .toList();
    }

    private static void collect(JsonValue value, Predicate<String> names, List<String> found) {
        if (value instanceof JsonObject object) {
            object.forEach((name, member) -> {
                if (names.test(name) && member instanceof JsonString s) {
                    found.add(s.getString());
                } else {
                    collect(member, names, found);
                }
            });
        } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            value.asJsonArray().forEach(v -> collect(v, names, found));
        }
    }

    private static JsonString string(String s) {
        return jakarta.json.spi.JsonProvider.provider().createValue(s);
    }
}
