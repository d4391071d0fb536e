package health.treatment.web.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.Checkpoint;
import health.treatment.core.TreatmentSchema;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.openapi.api.SmallRyeOpenAPI;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The document SmallRye OpenAPI builds from the WAR's classes, as {@code /openapi} and the build do: the static
 * {@code META-INF/openapi.yaml}, the annotations, {@link OpenApiModel} as model reader and filter.
 */
class OpenApiModelTest {

    private static JsonObject document;
    private static JsonObject schemas;

    @BeforeAll
    static void buildDocument() throws IOException, URISyntaxException {
        // The reader and filter are found through mp.openapi.model.reader and mp.openapi.filter in the WAR's
        // META-INF/microprofile-config.properties, as on the server and in the build-time generator.
        Config config = new SmallRyeConfigBuilder().addDefaultSources().build();
        assertThat(config.getValue("mp.openapi.model.reader", String.class)).isEqualTo(OpenApiModel.class.getName());
        assertThat(config.getValue("mp.openapi.filter", String.class)).isEqualTo(OpenApiModel.class.getName());
        document = parse(SmallRyeOpenAPI.builder()
                .withConfig(config)
                .withApplicationClassLoader(OpenApiModelTest.class.getClassLoader())
                .withIndex(indexOfThisPackage())
                .build()
                .toJSON());
        schemas = document.getJsonObject("components").getJsonObject("schemas");
    }

    @Test
    void treatmentRecordIsTheCoreSchemaWithOnlyIdAndDialectMovedToExtensions() {
        JsonObject core = parse(TreatmentSchema.json());
        JsonObject expected =
                Json.createObjectBuilder(core).remove("$schema").remove("$id").build();

        JsonObject embedded = schemas.getJsonObject(OpenApiModel.TREATMENT_RECORD);
        JsonObject withoutExtensions = Json.createObjectBuilder(embedded)
                .remove("x-json-schema-id")
                .remove("x-json-schema-source")
                .build();

        assertThat(withoutExtensions).isEqualTo(expected);
        assertThat(embedded.getString("x-json-schema-id")).isEqualTo(TreatmentSchema.ID);
        assertThat(embedded).doesNotContainKeys("$schema", "$id");
    }

    @Test
    void treatmentRecordKeepsPatternsBoundsUnitsAndClosedObjects() {
        JsonObject record = schemas.getJsonObject(OpenApiModel.TREATMENT_RECORD);
        JsonObject properties = record.getJsonObject("properties");

        assertThat(record.getBoolean("additionalProperties")).isFalse();
        assertThat(record.getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("treatment_start", "machine_id");
        assertThat(record.getJsonArray("anyOf")).hasSize(2);

        JsonObject machineId = properties.getJsonObject("machine_id");
        assertThat(machineId.getString("type")).isEqualTo("string");
        assertThat(machineId.getString("pattern")).isEqualTo("^[A-Za-z0-9_.\\-]+$");
        assertThat(machineId.getInt("minLength")).isEqualTo(1);
        assertThat(machineId.getInt("maxLength")).isEqualTo(64);

        assertThat(properties.getJsonObject("treatment_start").getString("format"))
                .isEqualTo("date-time");
        assertThat(properties.getJsonObject("session_duration").getInt("maximum"))
                .isEqualTo(20160);
        assertThat(properties.getJsonObject("uf_volume").getString("description"))
                .contains("litres (L)");
        assertThat(properties.getJsonObject("arterial_pressure").getInt("minimum"))
                .isEqualTo(-700);
        assertThat(properties.getJsonObject("alarms").getInt("maxItems")).isEqualTo(256);
        assertThat(properties.getJsonObject("alarms").getJsonObject("items").getString("pattern"))
                .isEqualTo("^[A-Za-z0-9_.\\-]+$");

        JsonObject observation = properties.getJsonObject("observations").getJsonObject("items");
        assertThat(observation.getBoolean("additionalProperties")).isFalse();
        assertThat(observation.getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("system", "code", "value", "unit", "time");
    }

    @Test
    void problemIsOneSchemaWithViolationsOfPointerAndCode() {
        JsonObject problem = schemas.getJsonObject(OpenApiModel.PROBLEM);
        assertThat(problem.getJsonObject("properties")).containsKeys("type", "title", "status", "detail", "violations");
        assertThat(problem.getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("type", "title", "status", "detail");
        JsonObject violation =
                problem.getJsonObject("properties").getJsonObject("violations").getJsonObject("items");
        assertThat(violation.getJsonObject("properties")).containsOnlyKeys("pointer", "code");
        assertThat(violation.getJsonObject("properties").getJsonObject("code").getJsonArray("enum"))
                .contains(Json.createValue("pattern"), Json.createValue("unknown_property"));
    }

    @Test
    void everyErrorResponseIsAProblemAndRetryHeadersAreDocumented() {
        JsonObject responses = document.getJsonObject("components").getJsonObject("responses");
        assertThat(responses)
                .containsKeys(
                        OpenApiModel.BAD_REQUEST,
                        OpenApiModel.VALIDATION_FAILED,
                        OpenApiModel.UNAUTHORIZED,
                        OpenApiModel.FORBIDDEN,
                        OpenApiModel.NOT_FOUND,
                        OpenApiModel.CONFLICT,
                        OpenApiModel.PAYLOAD_TOO_LARGE,
                        OpenApiModel.UNSUPPORTED_MEDIA_TYPE,
                        OpenApiModel.TOO_MANY_REQUESTS,
                        OpenApiModel.INTERNAL_ERROR,
                        OpenApiModel.SERVICE_UNAVAILABLE);
        responses
                .values()
                .forEach(response -> assertThat(response.asJsonObject()
                                .getJsonObject("content")
                                .getJsonObject("application/problem+json")
                                .getJsonObject("schema")
                                .getString("$ref"))
                        .isEqualTo("#/components/schemas/Problem"));
        assertThat(responses.getJsonObject(OpenApiModel.TOO_MANY_REQUESTS).getJsonObject("headers"))
                .containsKey("Retry-After");
        assertThat(responses.getJsonObject(OpenApiModel.SERVICE_UNAVAILABLE).getJsonObject("headers"))
                .containsKey("Retry-After");
        assertThat(responses.getJsonObject(OpenApiModel.UNAUTHORIZED).getJsonObject("headers"))
                .containsKey("WWW-Authenticate");
    }

    @Test
    void responseBodiesNameTheWireFields() {
        assertThat(schemas.getJsonObject(OpenApiModel.STORED_TREATMENT)
                        .getJsonObject("properties")
                        .getJsonObject("record")
                        .getString("$ref"))
                .isEqualTo("#/components/schemas/TreatmentRecord");
        assertThat(schemas.getJsonObject(OpenApiModel.AUDIT_EVENT).getJsonObject("properties"))
                .containsKeys(
                        "time",
                        "client_id",
                        "roles",
                        "token_id",
                        "action",
                        "resource_type",
                        "record_id",
                        "outcome",
                        "http_status",
                        "reason_code",
                        "source_ip",
                        "node_id",
                        "request_id",
                        "sequence",
                        "hash");
        assertThat(schemas.getJsonObject(OpenApiModel.AUDIT_EVENT_PAGE).getJsonObject("properties"))
                .containsOnlyKeys("events", "next");
        assertThat(schemas.getJsonObject(OpenApiModel.AUDIT_VERIFICATION).getJsonObject("properties"))
                .containsOnlyKeys(
                        "intact",
                        "events_checked",
                        "last_sequence",
                        "last_signed_sequence",
                        "checkpoints_verified",
                        "reason",
                        "public_key_id",
                        "first_bad_sequence",
                        "last_signed_time",
                        "oldest_unsigned_event_time",
                        "trusted_checkpoint_sequence");
        // The checkpoint schema names exactly the fields of the audit jar's checkpoint JSON.
        assertThat(schemas.getJsonObject(OpenApiModel.AUDIT_CHECKPOINT).getJsonObject("properties"))
                .containsOnlyKeys("sequence", "head_hash", "time", "kind", "key_id", "signature");
        assertThat(schemas.getJsonObject(OpenApiModel.AUDIT_CHECKPOINT_PAGE).getJsonObject("properties"))
                .containsOnlyKeys("checkpoints", "next");
        assertThat(schemas.getJsonObject(OpenApiModel.ERASURE_REQUEST).getJsonObject("properties"))
                .containsOnlyKeys("patient_id");
        assertThat(schemas.getJsonObject(OpenApiModel.ERASURE_RESULT).getJsonObject("properties"))
                .containsOnlyKeys("status", "records");
    }

    @Test
    void theCheckpointSchemaMatchesTheJsonTheAuditJarWrites() {
        Checkpoint c = new Checkpoint(
                7,
                "0".repeat(64),
                Instant.parse("2026-12-02T03:04:05.123456Z"),
                Checkpoint.Kind.PERIODIC,
                "0123456789abcdef",
                "ab".repeat(64));
        JsonObject json = Json.createReader(new StringReader(c.toJson())).readObject();
        assertThat(json.keySet())
                .containsExactlyInAnyOrderElementsOf(schemas.getJsonObject(OpenApiModel.AUDIT_CHECKPOINT)
                        .getJsonObject("properties")
                        .keySet());
    }

    @Test
    void everyReferenceResolvesInsideTheDocument() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/");
            String[] parts = ref.substring(2).split("/");
            assertThat(document.getJsonObject(parts[0]).getJsonObject(parts[1]))
                    .as(ref)
                    .containsKey(parts[2]);
        }
    }

    @Test
    void draft07DefinitionsBecomeComponentsAndTheirReferencesFollow() {
        String draft07 = """
                {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "https://example.test/s.json",
                 "type": "object", "additionalProperties": false,
                 "definitions": {"Code": {"type": "string", "pattern": "^[A-Z]+$"}},
                 "properties": {"a": {"$ref": "#/definitions/Code"}, "self": {"$ref": "#"},
                                "pair": {"type": "array", "items": [{"type": "integer"}, {"type": "null"}],
                                         "additionalItems": false}}}""";
        Map<String, Schema> converted = OpenApiModel.componentSchemas(draft07, "Root");
        assertThat(converted).containsOnlyKeys("Root", "Code");

        var components = OASFactory.createComponents();
        converted.forEach(components::addSchema);
        JsonObject out = serialise(OASFactory.createOpenAPI().components(components))
                .getJsonObject("components")
                .getJsonObject("schemas");
        JsonObject properties = out.getJsonObject("Root").getJsonObject("properties");
        assertThat(out.getJsonObject("Root")).doesNotContainKeys("definitions", "$schema", "$id");
        assertThat(properties.getJsonObject("a").getString("$ref")).isEqualTo("#/components/schemas/Code");
        assertThat(properties.getJsonObject("self").getString("$ref")).isEqualTo("#/components/schemas/Root");
        assertThat(properties.getJsonObject("pair").getJsonArray("prefixItems")).hasSize(2);
        assertThat(properties.getJsonObject("pair").getBoolean("items")).isFalse();
        assertThat(out.getJsonObject("Code").getString("pattern")).isEqualTo("^[A-Z]+$");
    }

    @Test
    void unknownReferencesAreRefusedRatherThanPublishedDangling() {
        assertThatThrownBy(() -> OpenApiModel.componentSchemas(
                        "{\"properties\": {\"a\": {\"$ref\": \"other.json#/x\"}}}", "Root"))
                .isInstanceOf(IllegalStateException.class);
    }

    private static void collectRefs(JsonValue value, List<String> refs) {
        switch (value.getValueType()) {
            case OBJECT ->
                value.asJsonObject().forEach((key, v) -> {
                    if (key.equals("$ref") && v instanceof JsonString s) {
                        refs.add(s.getString());
                    } else {
                        collectRefs(v, refs);
                    }
                });
            case ARRAY -> value.asJsonArray().forEach(v -> collectRefs(v, refs));
            default -> {}
        }
    }

    /** The WAR's resources, the application and the annotated bodies: every class of this package. */
    private static Index indexOfThisPackage() throws IOException, URISyntaxException {
        Indexer indexer = new Indexer();
        try (Stream<Path> classes = Files.list(
                Path.of(OpenApiModel.class.getResource("OpenApiModel.class").toURI())
                        .getParent())) {
            for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(c)) {
                    indexer.index(in);
                }
            }
        }
        return indexer.complete();
    }

    private static JsonObject serialise(OpenAPI model) {
        return parse(SmallRyeOpenAPI.builder()
                .withConfig(new SmallRyeConfigBuilder().build())
                .withInitialModel(model)
                .enableModelReader(false)
                .enableAnnotationScan(false)
                .enableStandardStaticFiles(false)
                .build()
                .toJSON());
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
