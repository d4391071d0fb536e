package health.treatment.web.rest;

import health.treatment.audit.AuditFields;
import health.treatment.core.PatientIdentifier;
import health.treatment.core.TreatmentSchema;
import health.treatment.core.ViolationCodes;
import health.treatment.web.problem.Problem;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.LogManager;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The parts of the OpenAPI document that annotations cannot express: the published treatment-record JSON Schema
 * (taken from {@code treatment-core} when the document is built, never copied into the WAR), the RFC 9457
 * {@code Problem} body, the response bodies and the reusable error responses the resource annotations refer to.
 *
 * <p>Registered with {@code mp.openapi.model.reader} for {@code /openapi} and given to the build-time generator in
 * the WAR POM, so both documents are the same.
 */
public class OpenApiModel implements OASModelReader {

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
    public static final String RETRY_AFTER = "RetryAfter";

    public static final String LOCATION = "Location";
    public static final String WWW_AUTHENTICATE = "WWWAuthenticate";

    private static final String COMPONENT_SCHEMAS = "#/components/schemas/";
    private static final String DRAFT07_DEFINITIONS = "#/definitions/";
    /** Draft-07 keywords whose value is a map of name to schema. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "dependentSchemas");
    /** Draft-07 keywords whose value is one schema (or a boolean schema). */
    private static final Set<String> SCHEMA_VALUES = Set.of(
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedProperties",
            "unevaluatedItems");
    /** Draft-07 keywords whose value is a list of schemas. */
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf");

    @Override
    public OpenAPI buildModel() {
        try {
            return fullModel();
        } catch (LinkageError olderApi) {
            // The model is written against MP OpenAPI 4 (OpenAPI 3.1 schemas: type lists, arbitrary keywords). A server
            // with MP OpenAPI 3.x (e.g. Payara 6) lacks those methods: serve the annotations' document rather than
            // failing the deployment; the build's target/openapi document stays the complete reference.
            LogManager.getLogger(OpenApiModel.class)
                    .warn(
                            "MP OpenAPI older than 4.0 ({}): /openapi is served without"
                                    + " the record schema and the shared responses; see the build's openapi.json",
                            olderApi.getClass().getSimpleName());
            return OASFactory.createOpenAPI();
        }
    }

    private OpenAPI fullModel() {
        Components components = OASFactory.createComponents();
        treatmentRecordSchemas().forEach(components::addSchema);
        components.addSchema(PROBLEM, problemSchema());
        components.addSchema(RECORD_ID, recordIdSchema());
        components.addSchema(STORED_TREATMENT, storedTreatmentSchema());
        components.addSchema(AUDIT_EVENT, auditEventSchema());
        components.addSchema(AUDIT_EVENT_PAGE, auditEventPageSchema());
        components.addSchema(AUDIT_VERIFICATION, auditVerificationSchema());
        components.addSchema(AUDIT_CHECKPOINT, auditCheckpointSchema());
        components.addSchema(AUDIT_CHECKPOINT_PAGE, auditCheckpointPageSchema());
        components.addSchema(AUDIT_SIGNING_KEYS, auditSigningKeysSchema());
        components.addSchema(ERASURE_REQUEST, erasureRequestSchema());
        components.addSchema(ERASURE_RESULT, erasureResultSchema());
        batchSchemas().forEach(components::addSchema);
        components.addSchema(TREATMENT_SEARCH, treatmentSearchSchema());
        components.addSchema(TREATMENT_PAGE, treatmentPageSchema());
        components.addSchema(FHIR_BUNDLE, fhirBundleSchema());

        components.addHeader(
                RETRY_AFTER,
                OASFactory.createHeader()
                        .description("Seconds to wait before retrying (RFC 9110 delay-seconds).")
                        .schema(OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .minimum(BigDecimal.ZERO)));
        components.addHeader(
                LOCATION,
                OASFactory.createHeader()
                        .description("Path of the record: /api/v1/treatments/{id}.")
                        .schema(OASFactory.createSchema()
                                .addType(SchemaType.STRING)
                                .format("uri-reference")));
        components.addHeader(
                WWW_AUTHENTICATE,
                OASFactory.createHeader()
                        .description(
                                "Bearer challenge (RFC 6750), e.g. Bearer realm=\"MP-JWT\", error=\"invalid_token\".")
                        .schema(string()));

        components.addResponse(
                BAD_REQUEST,
                problemResponse(
                        "Bad request: a query parameter or header is malformed (problem type bad-request).", null));
        components.addResponse(
                VALIDATION_FAILED,
                problemResponse(
                        "The body is not a valid treatment record (problem type validation, with every violation as a JSON "
                                + "Pointer and a stable code), is not well-formed JSON (malformed-json), or the Idempotency-Key "
                                + "header is malformed (bad-request). Submitted values are never echoed.",
                        null));
        components.addResponse(
                UNAUTHORIZED,
                problemResponse(
                        "No valid bearer token (missing, expired, wrong issuer, audience or signature).",
                        WWW_AUTHENTICATE));
        components.addResponse(
                FORBIDDEN,
                problemResponse(
                        "The token's groups do not allow this operation (or a device submitted for another machine).",
                        null));
        components.addResponse(NOT_FOUND, problemResponse("No record with this id.", null));
        components.addResponse(
                CONFLICT,
                problemResponse("The Idempotency-Key was already used by this client with a different record.", null));
        components.addResponse(
                PAYLOAD_TOO_LARGE,
                problemResponse("The body exceeds the limit (default 65536 bytes, counted on the wire).", null));
        components.addResponse(UNSUPPORTED_MEDIA_TYPE, problemResponse("The body is not application/json.", null));
        components.addResponse(
                TOO_MANY_REQUESTS,
                problemResponse(
                        "Rate limit exceeded (per client and per machine, default 100 requests/minute).", RETRY_AFTER));
        components.addResponse(
                INTERNAL_ERROR,
                problemResponse("Unexpected server error (never a stack trace or product name).", null));
        components.addResponse(
                SERVICE_UNAVAILABLE, problemResponse("The store is temporarily unavailable.", RETRY_AFTER));

        return OASFactory.createOpenAPI().components(components);
    }

    /**
     * The treatment-record schema from {@code treatment-core} as component schemas: {@value #TREATMENT_RECORD} plus
     * one component per Draft-07 {@code definitions} entry (none in v1), with {@code #/definitions/X} references
     * rewritten to {@code #/components/schemas/X} and {@code #} to {@code #/components/schemas/TreatmentRecord}.
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
     * component per {@code definitions}/{@code $defs} entry (at any depth), every {@code $ref} pointing at them.
     */
    static Map<String, Schema> componentSchemas(String draft07Json, String rootName) {
        JsonObject root;
        try (JsonReader reader = Json.createReader(new StringReader(draft07Json))) {
            root = reader.readObject();
        }
        Map<String, Schema> definitions = new LinkedHashMap<>();
        Schema schema = new Converter(definitions, rootName).schema(root);
        Map<String, Schema> result = new LinkedHashMap<>();
        result.put(rootName, schema);
        result.putAll(definitions);
        return result;
    }

    /** Converts a Draft-07 JSON Schema (JSON-P) into MicroProfile OpenAPI {@link Schema} objects. */
    private static final class Converter {
        private final Map<String, Schema> definitions;
        private final String rootName;

        Converter(Map<String, Schema> definitions, String rootName) {
            this.definitions = definitions;
            this.rootName = rootName;
        }

        Object schemaOrBoolean(JsonValue value) {
            if (value.getValueType() == JsonValue.ValueType.TRUE) {
                return Boolean.TRUE;
            }
            if (value.getValueType() == JsonValue.ValueType.FALSE) {
                return Boolean.FALSE;
            }
            return schema(value.asJsonObject());
        }

        Schema schema(JsonObject object) {
            Schema schema = OASFactory.createSchema();
            boolean tuple =
                    object.containsKey("items") && object.get("items").getValueType() == JsonValue.ValueType.ARRAY;
            for (Map.Entry<String, JsonValue> e : object.entrySet()) {
                String key = e.getKey();
                JsonValue value = e.getValue();
                switch (key) {
                    case "$schema", "$id" -> {
                        // see treatmentRecordSchemas()
                    }
                    case "definitions", "$defs" ->
                        value.asJsonObject().forEach((name, def) -> {
                            if (definitions.containsKey(name) || rootName.equals(name)) {
                                throw new IllegalStateException("duplicate schema definition name: " + name);
                            }
                            definitions.put(name, schema(def.asJsonObject()));
                        });
                    case "$ref" -> schema.setRef(ref(((JsonString) value).getString(), rootName));
                    case "type" -> schema.setType(types(value));
                    case "items" -> {
                        if (tuple) {
                            schema.set("prefixItems", schemaList(value.asJsonArray()));
                        } else {
                            schema.set("items", schemaOrBoolean(value));
                        }
                    }
                    case "additionalItems" -> schema.set(tuple ? "items" : "additionalItems", schemaOrBoolean(value));
                    case "dependencies" ->
                        value.asJsonObject().forEach((name, dep) -> {
                            String target = dep.getValueType() == JsonValue.ValueType.ARRAY
                                    ? "dependentRequired"
                                    : "dependentSchemas";
                            @SuppressWarnings("unchecked")
                            Map<String, Object> map = (Map<String, Object>) schema.get(target);
                            Map<String, Object> copy = map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
                            copy.put(
                                    name,
                                    dep.getValueType() == JsonValue.ValueType.ARRAY
                                            ? plain(dep)
                                            : schemaOrBoolean(dep));
                            schema.set(target, copy);
                        });
                    default -> {
                        if (SCHEMA_MAPS.contains(key)) {
                            Map<String, Object> map = new LinkedHashMap<>();
                            value.asJsonObject().forEach((name, sub) -> map.put(name, schemaOrBoolean(sub)));
                            schema.set(key, map);
                        } else if (SCHEMA_VALUES.contains(key)) {
                            schema.set(key, schemaOrBoolean(value));
                        } else if (SCHEMA_LISTS.contains(key)) {
                            schema.set(key, schemaList(value.asJsonArray()));
                        } else {
                            schema.set(key, plain(value));
                        }
                    }
                }
            }
            return schema;
        }

        private List<Object> schemaList(JsonArray array) {
            List<Object> list = new ArrayList<>();
            array.forEach(v -> list.add(schemaOrBoolean(v)));
            return list;
        }
    }

    private static String ref(String ref, String rootName) {
        if (ref.equals("#")) {
            return COMPONENT_SCHEMAS + rootName;
        }
        if (ref.startsWith(DRAFT07_DEFINITIONS)) {
            return COMPONENT_SCHEMAS + ref.substring(DRAFT07_DEFINITIONS.length());
        }
        if (ref.startsWith("#/$defs/")) {
            return COMPONENT_SCHEMAS + ref.substring("#/$defs/".length());
        }
        throw new IllegalStateException("unsupported $ref in the treatment-record schema: " + ref);
    }

    private static List<SchemaType> types(JsonValue value) {
        List<SchemaType> types = new ArrayList<>();
        if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            value.asJsonArray().forEach(v -> types.add(type(((JsonString) v).getString())));
        } else {
            types.add(type(((JsonString) value).getString()));
        }
        return types;
    }

    private static SchemaType type(String name) {
        return SchemaType.valueOf(name.toUpperCase(Locale.ROOT));
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

    // --- Hand-written schemas of the other bodies ----------------------------------------------------------------

    static Schema problemSchema() {
        Schema violation = object().description(
                        "One violation: where (JSON Pointer into the submitted document) and what (stable code). "
                                + "Never the submitted value.")
                .addProperty(
                        "pointer",
                        string().maxLength(1024).description("JSON Pointer (RFC 6901); \"\" is the whole document."))
                .addProperty(
                        "code",
                        string().maxLength(64)
                                .description(
                                        "Stable violation code; new codes may be added, existing ones never change meaning.")
                                .enumeration(new ArrayList<>(new TreeSet<>(ViolationCodes.all()))))
                .required(List.of("pointer", "code"));
        return object().description("RFC 9457 problem details: the body of every error response (" + Problem.MEDIA_TYPE
                        + "). Texts are chosen by the server; never a stack trace, product name or submitted value.")
                .addProperty(
                        "type",
                        string().format("uri-reference")
                                .description("Problem type URI, " + Problem.TYPE_BASE + "<slug>, e.g. "
                                        + Problem.TYPE_BASE + "validation."))
                .addProperty("title", string().description("Short summary of the problem type."))
                .addProperty(
                        "status",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .minimum(BigDecimal.valueOf(400))
                                .maximum(BigDecimal.valueOf(599))
                                .description("HTTP status code."))
                .addProperty("detail", string().description("Explanation of this occurrence."))
                .addProperty(
                        "violations",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .items(violation)
                                .description("Validation problems only: every violation found, not only the first."))
                .required(List.of("type", "title", "status", "detail"));
    }

    static Schema recordIdSchema() {
        return object().description("The id of a stored record (also in the Location header).")
                .addProperty("id", uuid().description("Record id (UUID); not a patient identifier."))
                .required(List.of("id"));
    }

    static Schema storedTreatmentSchema() {
        return object().description(
                        "A stored record with identifiers decrypted (PHI: sent with Cache-Control: no-store).")
                .addProperty("id", uuid().description("Record id (UUID)."))
                .addProperty("received_at", dateTime().description("Server time the record was accepted (UTC)."))
                .addProperty("record", OASFactory.createSchema().ref(TREATMENT_RECORD))
                .required(List.of("id", "received_at", "record"));
    }

    /**
     * The batch upload: {@value #TREATMENT_BATCH_ITEM} (treatment-core's batch item schema: the record plus an
     * optional idempotency_key, converted like the record), {@value #TREATMENT_BATCH} (an array of them) and
     * {@value #BATCH_RESULTS} (the answer).
     */
    static Map<String, Schema> batchSchemas() {
        Map<String, Schema> result =
                new LinkedHashMap<>(componentSchemas(TreatmentSchema.batchItemJson(), TREATMENT_BATCH_ITEM));
        result.get(TREATMENT_BATCH_ITEM).addExtension("x-json-schema-id", TreatmentSchema.BATCH_ITEM_ID);
        result.put(
                TREATMENT_BATCH,
                OASFactory.createSchema()
                        .addType(SchemaType.ARRAY)
                        .maxItems(1000)
                        .description(
                                "Up to 1000 treatment records (the limit is configurable), each judged on its own.")
                        .items(OASFactory.createSchema().ref(TREATMENT_BATCH_ITEM)));
        Schema item = object().description(
                        "The outcome of one item: 201 stored or 200 replayed (with id), otherwise a problem.")
                .addProperty(
                        "status",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .enumeration(List.of(200, 201, 400, 403, 409, 429, 503)))
                .addProperty("id", uuid().description("Record id (201 and 200 only)."))
                .addProperty("problem", OASFactory.createSchema().ref(PROBLEM))
                .required(List.of("status"));
        result.put(
                BATCH_RESULTS,
                object().description("One result per submitted item, in request order.")
                        .addProperty(
                                "results",
                                OASFactory.createSchema()
                                        .addType(SchemaType.ARRAY)
                                        .items(item))
                        .required(List.of("results")));
        return result;
    }

    static Schema auditEventSchema() {
        return object().description("One sealed audit event: metadata of an access attempt, never a payload or PHI. "
                        + "Optional fields are absent when unknown.")
                .addProperty("time", dateTime().description("Server time of the attempt (microsecond precision)."))
                .addProperty("device_time", dateTime().description("Time claimed by the device, if any."))
                .addProperty(
                        "client_id",
                        string().pattern(AuditFields.pattern("client_id"))
                                .description("Authenticated client (token subject); absent when unauthenticated."))
                .addProperty(
                        "roles",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .items(string().pattern(AuditFields.pattern("roles")))
                                .description("Roles (groups claim) of the caller, sorted; empty when unauthenticated."))
                .addProperty(
                        "token_id",
                        string().pattern(AuditFields.pattern("token_id")).description("JWT id (jti)."))
                .addProperty(
                        "certificate_thumbprint",
                        string().pattern(AuditFields.pattern("certificate_thumbprint"))
                                .description("Client certificate thumbprint, when mutual TLS is used."))
                .addProperty(
                        "action",
                        string().pattern(AuditFields.pattern("action"))
                                .description(
                                        "e.g. treatment.create, treatment.read, audit.query, audit.verify, auth.failure."))
                .addProperty(
                        "resource_type",
                        string().pattern(AuditFields.pattern("resource_type"))
                                .description("e.g. Treatment, AuditEvent."))
                .addProperty(
                        "record_id",
                        string().pattern(AuditFields.pattern("record_id"))
                                .description("Internal record reference (never a patient identifier)."))
                .addProperty(
                        "outcome",
                        string().enumeration(List.of(
                                "success",
                                "client_error",
                                "unauthenticated",
                                "forbidden",
                                "rate_limited",
                                "server_error")))
                .addProperty(
                        "http_status",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .description("HTTP status answered; 0 when not an HTTP request."))
                .addProperty(
                        "reason_code",
                        string().pattern(AuditFields.pattern("reason_code"))
                                .description("Failure reason code, e.g. not_found, validation_failed."))
                .addProperty(
                        "source_ip",
                        string().pattern(AuditFields.pattern("source_ip")).description("Caller IP address."))
                .addProperty(
                        "node_id",
                        string().pattern(AuditFields.pattern("node_id"))
                                .description("Server node that handled the attempt."))
                .addProperty(
                        "request_id",
                        string().pattern(AuditFields.pattern("request_id")).description("Request correlation id."))
                .addProperty(
                        "sequence",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .format("int64")
                                .minimum(BigDecimal.ONE)
                                .description("Gap-free position in the chain, from 1."))
                .addProperty(
                        "hash", string().pattern("^[0-9a-f]{64}$").description("Hex SHA-256 chain hash as stored."))
                .required(List.of("time", "roles", "action", "outcome", "http_status", "node_id", "sequence", "hash"));
    }

    static Schema auditEventPageSchema() {
        return object().description("One page of audit events in sequence order.")
                .addProperty(
                        "events",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .maxItems(1000)
                                .items(OASFactory.createSchema().ref(AUDIT_EVENT)))
                .addProperty(
                        "next",
                        OASFactory.createSchema()
                                .type(List.of(SchemaType.STRING, SchemaType.NULL))
                                .description(
                                        "Opaque cursor for the next page (pass as `after`); null on the last page."))
                .required(List.of("events", "next"));
    }

    static Schema auditVerificationSchema() {
        Schema count = OASFactory.createSchema()
                .addType(SchemaType.INTEGER)
                .format("int64")
                .minimum(BigDecimal.ZERO);
        return object().description("Result of verifying the audit hash chain and its signed checkpoints.")
                .addProperty(
                        "intact",
                        OASFactory.createSchema().addType(SchemaType.BOOLEAN).description("True when no check failed."))
                .addProperty("events_checked", copyOf(count).description("Events whose hash was recomputed."))
                .addProperty("last_sequence", copyOf(count).description("Last sequence number seen."))
                .addProperty(
                        "last_signed_sequence",
                        copyOf(count)
                                .description(
                                        "Highest sequence covered by a verified signed checkpoint; later events are protected by the "
                                                + "chain only."))
                .addProperty(
                        "checkpoints_verified",
                        copyOf(count).description("Checkpoints whose signature and head hash were checked."))
                .addProperty(
                        "reason",
                        string().pattern("^[a-z_]{1,40}$")
                                .description(
                                        "ok; hash_mismatch, sequence_gap, invalid_event, truncated (events edited, missing, "
                                                + "unreadable or cut off); checkpoint_mismatch, checkpoint_signature_invalid, "
                                                + "checkpoint_out_of_order, checkpoint_outside_key_validity (a checkpoint that does "
                                                + "not hold); trusted_checkpoint_mismatch, trusted_checkpoint_missing, "
                                                + "trusted_checkpoint_purged, trusted_checkpoint_invalid (the kept checkpoint of a "
                                                + "POST is not extended by the trail, or is not one of its signed checkpoints); "
                                                + "tamper_finding (the sealer recorded an invalid outbox row at that sequence); "
                                                + "unsigned_tail_stale (events older than the freshness limit are not yet covered by "
                                                + "a signed checkpoint)."))
                .addProperty(
                        "public_key_id",
                        string().description("Id of the public key that verifies the checkpoint signatures."))
                .addProperty(
                        "first_bad_sequence",
                        OASFactory.createSchema()
                                .type(List.of(SchemaType.INTEGER, SchemaType.NULL))
                                .format("int64")
                                .description("First sequence number at which a check failed; null when intact."))
                .addProperty(
                        "last_signed_time",
                        OASFactory.createSchema()
                                .type(List.of(SchemaType.STRING, SchemaType.NULL))
                                .format("date-time")
                                .description("When the checkpoint at last_signed_sequence was signed; null when none."))
                .addProperty(
                        "oldest_unsigned_event_time",
                        OASFactory.createSchema()
                                .type(List.of(SchemaType.STRING, SchemaType.NULL))
                                .format("date-time")
                                .description(
                                        "Oldest event not yet covered by a signed checkpoint (including events still "
                                                + "waiting to be sealed); null when every event is signed."))
                .addProperty(
                        "trusted_checkpoint_sequence",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .format("int64")
                                .description("POST only: the sequence of the kept checkpoint checked."))
                .required(List.of(
                        "intact",
                        "events_checked",
                        "last_sequence",
                        "last_signed_sequence",
                        "checkpoints_verified",
                        "reason",
                        "public_key_id",
                        "first_bad_sequence",
                        "last_signed_time",
                        "oldest_unsigned_event_time"));
    }

    static Schema auditCheckpointSchema() {
        return object().description("A signed statement: the chain up to `sequence` has head hash `head_hash`, made at "
                        + "`time` with the key `key_id`. Ed25519 over \"TACP1\" || kind || sequence || head hash || "
                        + "time (see the audit jar). Keep one: it lets you prove later that the trail still extends "
                        + "it.")
                .addProperty(
                        "sequence",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .format("int64")
                                .minimum(BigDecimal.ZERO)
                                .description("Last sequence covered (0: the empty chain)."))
                .addProperty(
                        "head_hash",
                        string().pattern("^[0-9a-f]{64}$").description("Hex SHA-256 chain hash at `sequence`."))
                .addProperty("time", dateTime().description("When it was signed (UTC, microsecond precision)."))
                .addProperty(
                        "kind",
                        string().enumeration(List.of("periodic", "purge"))
                                .description(
                                        "periodic, or purge: events up to `sequence` were deleted by retention, verification of "
                                                + "the rest starts here."))
                .addProperty(
                        "key_id",
                        string().pattern("^[0-9a-f]{16}$")
                                .description("The signing key (see /api/v1/audit/signing-keys)."))
                .addProperty("signature", string().pattern("^[0-9a-f]{1,256}$").description("Hex Ed25519 signature."))
                .required(List.of("sequence", "head_hash", "time", "kind", "key_id", "signature"));
    }

    static Schema auditCheckpointPageSchema() {
        return object().description("One page of signed checkpoints in sequence order.")
                .addProperty(
                        "checkpoints",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .maxItems(1000)
                                .items(OASFactory.createSchema().ref(AUDIT_CHECKPOINT)))
                .addProperty(
                        "next",
                        OASFactory.createSchema()
                                .type(List.of(SchemaType.STRING, SchemaType.NULL))
                                .description("Pass as `after` for the next page; null on the last page."))
                .required(List.of("checkpoints", "next"));
    }

    static Schema auditSigningKeysSchema() {
        Schema key = object().description("A public key that signs (or signed) checkpoints, and when.")
                .addProperty(
                        "key_id",
                        string().pattern("^[0-9a-f]{16}$")
                                .description("First 16 hex digits of SHA-256 over the X.509 public key."))
                .addProperty("public_key_pem", string().description("Ed25519 public key, X.509 PEM."))
                .addProperty("valid_from", dateTime().description("Checkpoints made from this time on."))
                .addProperty(
                        "valid_until",
                        OASFactory.createSchema()
                                .type(List.of(SchemaType.STRING, SchemaType.NULL))
                                .format("date-time")
                                .description("... and until this time; null for the current key."))
                .required(List.of("key_id", "public_key_pem", "valid_from", "valid_until"));
        return object().description("The keys this trail trusts for its checkpoints.")
                .addProperty(
                        "keys",
                        OASFactory.createSchema().addType(SchemaType.ARRAY).items(key))
                .required(List.of("keys"));
    }

    static Schema erasureRequestSchema() {
        return object().description(
                        "The patient whose data to erase. The identifier is PHI: it is never logged, stored in "
                                + "clear or echoed.")
                .addProperty(
                        "patient_id",
                        string().minLength(1)
                                .maxLength(PatientIdentifier.MAX_LENGTH)
                                .pattern(PatientIdentifier.PATTERN.pattern())
                                .description("The patient identifier, as the records carried it."))
                .required(List.of("patient_id"));
    }

    static Schema erasureResultSchema() {
        return object().description("The patient's data key is destroyed.")
                .addProperty("status", string().enumeration(List.of("erased", "already_erased")))
                .addProperty(
                        "records",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .format("int32")
                                .minimum(BigDecimal.ZERO)
                                .description("Records made unreadable by this request."))
                .required(List.of("status", "records"));
    }

    static Schema treatmentSearchSchema() {
        Schema identifier = string().minLength(1)
                .maxLength(PatientIdentifier.MAX_LENGTH)
                .pattern(PatientIdentifier.PATTERN.pattern());
        return object().description(
                        "A search for one patient's or one encounter's records (exactly one of patient_id and "
                                + "encounter_id). The identifier is PHI: it travels in the body, never in a URL, and is "
                                + "matched through a keyed blind index; it is never logged, stored in clear or echoed.")
                .addProperty("patient_id", copyOf(identifier).description("The patient identifier."))
                .addProperty("encounter_id", copyOf(identifier).description("The encounter identifier."))
                .addProperty("from", dateTime().description("Earliest treatment_start (inclusive, RFC 3339)."))
                .addProperty("to", dateTime().description("Latest treatment_start (inclusive, RFC 3339)."))
                .addProperty(
                        "machine_id",
                        string().minLength(1).maxLength(64).description("Only records from this machine."))
                .addProperty(
                        "limit",
                        OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .format("int32")
                                .minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.valueOf(100))
                                .description("Records per page (default 20)."))
                .addProperty(
                        "after",
                        string().maxLength(100)
                                .description("The next cursor of the previous page of the same search."));
    }

    static Schema treatmentPageSchema() {
        return object().description(
                        "A page of records, each as a read returns it. For a search, newest treatment first, "
                                + "and next is absent on the last page; for the change feed, in feed (commit) order, and next "
                                + "is always present: poll with it to get the records stored later.")
                .addProperty(
                        "records",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .items(OASFactory.createSchema().ref(STORED_TREATMENT)))
                .addProperty("next", string().description("Opaque cursor of the next page (never an identifier)."))
                .required(List.of("records"));
    }

    /** Only the envelope: the resources are FHIR R4's (https://hl7.org/fhir/R4/bundle.html), see docs/fhir-mapping.md. */
    static Schema fhirBundleSchema() {
        return OASFactory.createSchema()
                .addType(SchemaType.OBJECT)
                .description("A FHIR R4 Bundle (application/fhir+json): per record a Procedure, the machine's Device "
                        + "and Observations (settings, duration, readings, alarms) with deterministic ids; "
                        + "docs/fhir-mapping.md maps every field. Validate it with a FHIR validator, not this schema.")
                .externalDocs(OASFactory.createExternalDocumentation().url("https://hl7.org/fhir/R4/bundle.html"))
                .addProperty("resourceType", string().enumeration(List.of("Bundle")))
                .addProperty("type", string().enumeration(List.of("collection", "searchset")))
                .addProperty(
                        "total",
                        OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(BigDecimal.ZERO))
                .addProperty(
                        "link",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .items(OASFactory.createSchema()
                                        .addType(SchemaType.OBJECT)
                                        .addProperty("relation", string())
                                        .addProperty("url", string().format("uri"))))
                .addProperty(
                        "entry",
                        OASFactory.createSchema()
                                .addType(SchemaType.ARRAY)
                                .items(OASFactory.createSchema()
                                        .addType(SchemaType.OBJECT)
                                        .addProperty("fullUrl", string().format("uri"))
                                        .addProperty(
                                                "resource",
                                                OASFactory.createSchema().addType(SchemaType.OBJECT))))
                .required(List.of("resourceType", "type"));
    }

    private static APIResponse problemResponse(String description, String header) {
        APIResponse response = OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent()
                        .addMediaType(
                                Problem.MEDIA_TYPE,
                                OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().ref(PROBLEM))));
        if (header != null) {
            String name = header.equals(RETRY_AFTER) ? "Retry-After" : "WWW-Authenticate";
            response.addHeader(name, OASFactory.createHeader().ref(header));
        }
        return response;
    }

    private static Schema object() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).set("additionalProperties", Boolean.FALSE);
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(SchemaType.STRING);
    }

    private static Schema uuid() {
        return string().format("uuid").pattern("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    }

    private static Schema dateTime() {
        return string().format("date-time");
    }

    private static Schema copyOf(Schema schema) {
        Schema copy = OASFactory.createSchema();
        copy.setAll(schema.getAll());
        return copy;
    }
}
