package health.treatment.web.rest;

import health.treatment.audit.AuditFields;
import health.treatment.core.PatientIdentifier;
import health.treatment.core.TreatmentSchema;
import health.treatment.core.ViolationCodes;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The parts of the OpenAPI document that are computed from Java code; the rest is static
 * ({@code META-INF/openapi.yaml}: info, tags, security scheme, shared responses and headers, the body schemas),
 * annotated ({@link AuditBodies}, the resources' operations) or both.
 *
 * <ul>
 *   <li>As model reader: the treatment-record and batch-item schemas, converted from {@code treatment-core}'s Draft-07
 *       schema when the document is built (never copied into the WAR).
 *   <li>As filter: the facts the static schemas must not copy: every audit field pattern ({@link AuditFields}), the
 *       violation codes ({@link ViolationCodes}), the patient identifier rule ({@link PatientIdentifier}); and the
 *       error responses every {@code /api} operation can give (the security and rate-limit filters and the error
 *       mappers answer them for every route), so the resources list only their own.
 * </ul>
 *
 * <p>Only model methods that MP OpenAPI 3.1 and 4.x share are called, except where noted ({@link #setType}, and
 * Draft-07 keywords OpenAPI 3.0 cannot express, which the record schema does not use): the same WAR serves the whole
 * document on MP OpenAPI 3.1 servers (Payara 6) too. Registered with {@code mp.openapi.model.reader} and
 * {@code mp.openapi.filter}, which the build-time generator in the WAR POM reads as well.
 */
public class OpenApiModel implements OASModelReader, OASFilter {

    /** Component names the resource annotations refer to. */
    public static final String TREATMENT_RECORD = "TreatmentRecord";

    public static final String PROBLEM = "Problem";
    public static final String RECORD_ID = "RecordId";
    public static final String STORED_TREATMENT = "StoredTreatment";
    public static final String AUDIT_EVENT = "AuditEvent";
    public static final String AUDIT_EVENT_PAGE = "AuditEventPage";
    public static final String AUDIT_VERIFICATION = "AuditVerification";
    public static final String AUDIT_CHECKPOINT = "AuditCheckpoint";
    public static final String AUDIT_CHECKPOINT_PAGE = "AuditCheckpointPage";
    public static final String AUDIT_SIGNING_KEYS = "AuditSigningKeys";
    public static final String ERASURE_REQUEST = "ErasureRequest";
    public static final String ERASURE_RESULT = "ErasureResult";
    public static final String TREATMENT_BATCH_ITEM = "TreatmentBatchItem";
    public static final String TREATMENT_BATCH = "TreatmentBatch";
    public static final String BATCH_RESULTS = "BatchResults";
    public static final String TREATMENT_SEARCH = "TreatmentSearch";
    public static final String TREATMENT_PAGE = "TreatmentPage";
    public static final String FHIR_BUNDLE = "FhirBundle";

    /** Reusable responses ({@code #/components/responses/...}). */
    public static final String BAD_REQUEST = "BadRequest";

    public static final String VALIDATION_FAILED = "ValidationFailed";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    /** Reusable headers ({@code #/components/headers/...}). */
    public static final String LOCATION = "Location";

    /** What every operation under {@code /api} can answer, whatever the resource does. */
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "401", UNAUTHORIZED,
            "403", FORBIDDEN,
            "429", TOO_MANY_REQUESTS,
            "500", INTERNAL_ERROR,
            "503", SERVICE_UNAVAILABLE);

    private static final String X_ROLES = "x-roles";
    private static final String COMPONENT_SCHEMAS = "#/components/schemas/";

    @Override
    public OpenAPI buildModel() {
        Components components = OASFactory.createComponents();
        treatmentRecordSchemas().forEach(components::addSchema);
        Map<String, Schema> batchItem = componentSchemas(TreatmentSchema.batchItemJson(), TREATMENT_BATCH_ITEM);
        batchItem.get(TREATMENT_BATCH_ITEM).addExtension("x-json-schema-id", TreatmentSchema.BATCH_ITEM_ID);
        batchItem.forEach(components::addSchema);
        return OASFactory.createOpenAPI().components(components);
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        schemas.get(AUDIT_EVENT).getProperties().forEach((name, property) -> {
            try {
                String pattern = AuditFields.pattern(name);
                (property.getItems() != null ? property.getItems() : property).setPattern(pattern);
            } catch (IllegalArgumentException notPatternRestricted) {
                // time, outcome, sequence ...: their schema says all there is
            }
        });
        property(schemas, PROBLEM, "violations")
                .getItems()
                .getProperties()
                .get("code")
                .setEnumeration(new ArrayList<>(new TreeSet<>(ViolationCodes.all())));
        for (Schema identifier : List.of(
                property(schemas, ERASURE_REQUEST, "patient_id"),
                property(schemas, TREATMENT_SEARCH, "patient_id"),
                property(schemas, TREATMENT_SEARCH, "encounter_id"))) {
            identifier.setMaxLength(PatientIdentifier.MAX_LENGTH);
            identifier.setPattern(PatientIdentifier.PATTERN.pattern());
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().stream()
                .flatMap(path -> path.getOperations().values().stream())
                .forEach(operation -> {
                    // x-roles is a JSON list in the annotations (parseValue); Payara 6 publishes its text instead.
                    if (operation.getExtensions() != null
                            && operation.getExtensions().get(X_ROLES) instanceof String roles) {
                        try (JsonReader reader = Json.createReader(new StringReader(roles))) {
                            operation.addExtension(X_ROLES, reader.readArray().getValuesAs(JsonString::getString));
                        }
                    }
                    // Sorted by status code: the shared ones among the operation's own.
                    Map<String, APIResponse> byCode =
                            new TreeMap<>(operation.getResponses().getAPIResponses());
                    EVERY_OPERATION.forEach((code, ref) -> byCode.putIfAbsent(
                            code, OASFactory.createAPIResponse().ref(ref)));
                    operation.getResponses().setAPIResponses(new LinkedHashMap<>(byCode));
                });
    }

    private static Schema property(Map<String, Schema> schemas, String schema, String property) {
        return schemas.get(schema).getProperties().get(property);
    }

    /**
     * The treatment-record schema from {@code treatment-core} as component schemas: {@value #TREATMENT_RECORD} plus
     * one component per Draft-07 {@code definitions} entry (none in v1).
     */
    static Map<String, Schema> treatmentRecordSchemas() {
        Map<String, Schema> result = componentSchemas(TreatmentSchema.json(), TREATMENT_RECORD);
        // $id and $schema are dropped by the converter: in OpenAPI 3.1 a $id would re-base the rewritten $refs and
        // $schema would switch the dialect away from the document's. Kept as extensions for traceability.
        Schema record = result.get(TREATMENT_RECORD);
        record.addExtension("x-json-schema-id", TreatmentSchema.ID);
        record.addExtension(
                "x-json-schema-source", "treatment-core " + TreatmentSchema.RESOURCE + " (JSON Schema Draft-07)");
        return result;
    }

    /**
     * Converts a Draft-07 JSON Schema document into component schemas: the root under {@code rootName}, then one
     * component per {@code definitions}/{@code $defs} entry (at any depth), {@code #/definitions/X} references
     * rewritten to {@code #/components/schemas/X} and {@code #} to the root.
     */
    static Map<String, Schema> componentSchemas(String draft07Json, String rootName) {
        JsonObject root;
        try (JsonReader reader = Json.createReader(new StringReader(draft07Json))) {
            root = reader.readObject();
        }
        Map<String, Schema> result = new LinkedHashMap<>();
        result.put(rootName, null);
        result.put(rootName, new Converter(result, rootName).schema(root));
        return result;
    }

    /**
     * Draft-07 (JSON-P) to MicroProfile OpenAPI {@link Schema}. The keywords OpenAPI 3.0 has too go through the
     * methods MP OpenAPI 3.1 and 4.x share; the others (type lists, boolean schemas, tuples, const, if/then/else,
     * patternProperties, dependencies, numeric exclusive bounds ...) need MP OpenAPI 4's {@code Schema.set}, so a
     * server with MP OpenAPI 3.x refuses such a schema (NoSuchMethodError) rather than publish a weaker one.
     */
    @SuppressWarnings("deprecation")
    private record Converter(Map<String, Schema> components, String rootName) {

        /** Draft-07 keywords whose value is a map of name to schema, or one schema, beyond the shared ones. */
        private static final Set<String> SCHEMA_MAPS = Set.of("patternProperties", "dependentSchemas");

        private static final Set<String> SCHEMA_VALUES = Set.of(
                "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems");

        Object schemaOrBoolean(JsonValue value) {
            return value instanceof JsonObject object ? schema(object) : value.getValueType() == ValueType.TRUE;
        }

        Schema schema(JsonObject object) {
            Schema schema = OASFactory.createSchema();
            boolean tuple = object.get("items") instanceof JsonArray;
            object.forEach((key, value) -> {
                switch (key) {
                    case "$schema", "$id" -> {
                        // see treatmentRecordSchemas()
                    }
                    case "definitions", "$defs" ->
                        value.asJsonObject().forEach((name, definition) -> {
                            if (components.containsKey(name)) {
                                throw new IllegalStateException("duplicate schema definition name: " + name);
                            }
                            components.put(name, schema(definition.asJsonObject()));
                        });
                    case "$ref" -> schema.setRef(ref(((JsonString) value).getString()));
                    case "type" -> {
                        if (value instanceof JsonString type) {
                            setType(schema, SchemaType.valueOf(type.getString().toUpperCase(Locale.ROOT)));
                        } else {
                            schema.set(key, plain(value));
                        }
                    }
                    case "title" -> schema.setTitle(((JsonString) value).getString());
                    case "description" -> schema.setDescription(((JsonString) value).getString());
                    case "format" -> schema.setFormat(((JsonString) value).getString());
                    case "pattern" -> schema.setPattern(((JsonString) value).getString());
                    case "minLength" -> schema.setMinLength(((JsonNumber) value).intValueExact());
                    case "maxLength" -> schema.setMaxLength(((JsonNumber) value).intValueExact());
                    case "minItems" -> schema.setMinItems(((JsonNumber) value).intValueExact());
                    case "maxItems" -> schema.setMaxItems(((JsonNumber) value).intValueExact());
                    case "minimum" -> schema.setMinimum(((JsonNumber) value).bigDecimalValue());
                    case "maximum" -> schema.setMaximum(((JsonNumber) value).bigDecimalValue());
                    case "required" -> schema.setRequired(value.asJsonArray().getValuesAs(JsonString::getString));
                    case "enum" ->
                        schema.setEnumeration(value.asJsonArray().stream()
                                .map(OpenApiModel::plain)
                                .toList());
                    case "properties" -> {
                        if (value.asJsonObject().values().stream().allMatch(JsonObject.class::isInstance)) {
                            value.asJsonObject().forEach((name, p) -> schema.addProperty(name, schema((JsonObject) p)));
                        } else {
                            schema.set(key, schemaMap(value)); // a boolean schema among them
                        }
                    }
                    case "anyOf", "allOf", "oneOf" -> {
                        List<Object> list = value.asJsonArray().stream()
                                .map(this::schemaOrBoolean)
                                .toList();
                        if (!list.stream().allMatch(Schema.class::isInstance)) {
                            schema.set(key, list); // a boolean schema among them
                        } else if (key.equals("anyOf")) {
                            list.forEach(s -> schema.addAnyOf((Schema) s));
                        } else if (key.equals("allOf")) {
                            list.forEach(s -> schema.addAllOf((Schema) s));
                        } else {
                            list.forEach(s -> schema.addOneOf((Schema) s));
                        }
                    }
                    case "additionalProperties" -> {
                        // setAdditionalPropertiesBoolean: deprecated in MP OpenAPI 4, the one MP OpenAPI 3.x has
                        if (value instanceof JsonObject additional) {
                            schema.setAdditionalPropertiesSchema(schema(additional));
                        } else {
                            schema.setAdditionalPropertiesBoolean(value.getValueType() == ValueType.TRUE);
                        }
                    }
                    case "items" -> {
                        if (tuple) {
                            schema.set(
                                    "prefixItems",
                                    value.asJsonArray().stream()
                                            .map(this::schemaOrBoolean)
                                            .toList());
                        } else if (value instanceof JsonObject items) {
                            schema.setItems(schema(items));
                        } else {
                            schema.set(key, schemaOrBoolean(value));
                        }
                    }
                    case "additionalItems" -> schema.set(tuple ? "items" : key, schemaOrBoolean(value));
                    case "dependencies" ->
                        value.asJsonObject().forEach((name, dependency) -> {
                            boolean names = dependency instanceof JsonArray;
                            String target = names ? "dependentRequired" : "dependentSchemas";
                            @SuppressWarnings("unchecked")
                            Map<String, Object> map = (Map<String, Object>) schema.get(target);
                            Map<String, Object> copy = map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
                            copy.put(name, names ? plain(dependency) : schemaOrBoolean(dependency));
                            schema.set(target, copy);
                        });
                    default -> {
                        if (SCHEMA_MAPS.contains(key)) {
                            schema.set(key, schemaMap(value));
                        } else if (SCHEMA_VALUES.contains(key)) {
                            schema.set(key, schemaOrBoolean(value));
                        } else {
                            schema.set(key, plain(value));
                        }
                    }
                }
            });
            return schema;
        }

        private Map<String, Object> schemaMap(JsonValue value) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.asJsonObject().forEach((name, sub) -> map.put(name, schemaOrBoolean(sub)));
            return map;
        }

        private String ref(String ref) {
            if (ref.equals("#")) {
                return COMPONENT_SCHEMAS + rootName;
            }
            for (String prefix : List.of("#/definitions/", "#/$defs/")) {
                if (ref.startsWith(prefix)) {
                    return COMPONENT_SCHEMAS + ref.substring(prefix.length());
                }
            }
            throw new IllegalStateException("unsupported $ref in the treatment-record schema: " + ref);
        }
    }

    /** A JSON value as plain Java: String, Long or BigDecimal, Boolean, List, Map, null. */
    private static Object plain(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> {
                JsonNumber n = (JsonNumber) value;
                yield n.isIntegral() ? (Object) n.bigIntegerValue().longValueExact() : n.bigDecimalValue();
            }
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                value.asJsonArray().forEach(v -> list.add(plain(v)));
                yield list;
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                value.asJsonObject().forEach((k, v) -> map.put(k, plain(v)));
                yield map;
            }
        };
    }

    private static final Method SET_ONE_TYPE = setOneType();

    /**
     * The one method MP OpenAPI 3.x and 4.x do not share: OpenAPI 3.1's {@code type} is a list
     * ({@code addType(SchemaType)} in MP OpenAPI 4), OpenAPI 3.0's one value ({@code setType(SchemaType)} in 3.x).
     */
    private static void setType(Schema schema, SchemaType type) {
        try {
            SET_ONE_TYPE.invoke(schema, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set a schema type", e);
        }
    }

    private static Method setOneType() {
        try {
            return Schema.class.getMethod("addType", SchemaType.class);
        } catch (NoSuchMethodException mpOpenApi3) {
            try {
                return Schema.class.getMethod("setType", SchemaType.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("no MicroProfile OpenAPI Schema type setter", e);
            }
        }
    }
}
