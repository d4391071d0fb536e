package health.treatment.audit;

import health.treatment.audit.internal.StrictJson;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of an {@link AuditEvent} (the audit log line and the event inside an export line): snake_case
 * members in a fixed order, absent members for null values. The hash chain does not cover this text (it covers the
 * canonical bytes), so the shape can be read back by any JSON parser.
 */
final class AuditEventJson {
    /** Created once: {@code Json.createObjectBuilder()} would look the provider up on every call. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private AuditEventJson() {}

    static JsonObject toJsonObject(AuditEvent e) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("time", e.time().toString());
        optional(
                b, "device_time", e.deviceTime() == null ? null : e.deviceTime().toString());
        optional(b, "client_id", e.clientId());
        JsonArrayBuilder roles = JSON.createArrayBuilder();
        e.roles().forEach(roles::add);
        b.add("roles", roles);
        optional(b, "token_id", e.tokenId());
        optional(b, "certificate_thumbprint", e.certificateThumbprint());
        optional(b, "action", e.action());
        optional(b, "resource_type", e.resourceType());
        optional(b, "record_id", e.recordId());
        b.add("outcome", e.outcome().code());
        b.add("http_status", e.httpStatus());
        optional(b, "reason_code", e.reasonCode());
        optional(b, "source_ip", e.sourceIp());
        optional(b, "node_id", e.nodeId());
        optional(b, "request_id", e.requestId());
        return b.build();
    }

    private static void optional(JsonObjectBuilder b, String name, String value) {
        if (value != null) {
            b.add(name, value);
        }
    }

    /** Inverse of {@link #toJsonObject}; the AuditEvent constructor re-validates every field. */
    static AuditEvent fromJsonObject(JsonObject o) {
        String deviceTime = StrictJson.optionalString(o, "device_time");
        long status = StrictJson.optionalLong(o, "http_status");
        if (status < 0 || status > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field http_status is out of range");
        }
        return new AuditEvent(
                Instant.parse(StrictJson.requiredString(o, "time")),
                deviceTime == null ? null : Instant.parse(deviceTime),
                StrictJson.optionalString(o, "client_id"),
                roles(o),
                StrictJson.optionalString(o, "token_id"),
                StrictJson.optionalString(o, "certificate_thumbprint"),
                StrictJson.optionalString(o, "action"),
                StrictJson.optionalString(o, "resource_type"),
                StrictJson.optionalString(o, "record_id"),
                Outcome.fromCode(StrictJson.requiredString(o, "outcome")),
                (int) status,
                StrictJson.optionalString(o, "reason_code"),
                StrictJson.optionalString(o, "source_ip"),
                StrictJson.optionalString(o, "node_id"),
                StrictJson.optionalString(o, "request_id"));
    }

    private static List<String> roles(JsonObject o) {
        JsonValue v = o.get("roles");
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw new IllegalArgumentException("field roles is not an array");
        }
        List<String> roles = new ArrayList<>(array.size());
        for (JsonValue role : array) {
            if (!(role instanceof JsonString s)) {
                throw new IllegalArgumentException("field roles holds a non-string");
            }
            roles.add(s.getString());
        }
        return roles;
    }
}
