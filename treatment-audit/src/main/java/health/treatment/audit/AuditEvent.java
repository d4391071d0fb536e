package health.treatment.audit;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One audited access attempt: metadata only, never a payload and never a patient identifier.
 *
 * <p>Every string is bounded and restricted to a small character set, checked here, so free text (which could carry
 * PHI) cannot enter the trail, the JSON audit log or an export. Violations raise {@link AuditException} naming the field,
 * never the value. Nullable components are optional; {@code time} is truncated to microseconds so that it survives a
 * database round trip unchanged (the hash covers it).
 *
 * @param time                  server time of the attempt (required)
 * @param deviceTime            time claimed by the device, or null
 * @param clientId              authenticated client id / token subject, or null when unauthenticated
 * @param roles                 roles (groups) of the caller; sorted and de-duplicated, never null
 * @param tokenId               JWT id ({@code jti}), or null
 * @param certificateThumbprint client certificate thumbprint (base64url or hex), or null
 * @param action                e.g. {@code treatment.create}, {@code treatment.read}, {@code audit.query},
 *                              {@code audit.verify}, {@code auth.failure} (required)
 * @param resourceType          e.g. {@code Treatment}, or null
 * @param recordId              internal record reference (never a patient identifier), or null
 * @param outcome               outcome (required)
 * @param httpStatus            HTTP status, or 0 when not an HTTP request
 * @param reasonCode            failure reason code {@code [a-z0-9_.-]{1,64}}, or null
 * @param sourceIp              caller IP address, or null
 * @param nodeId                node that handled the attempt (required)
 * @param requestId             request correlation id, or null
 */
public record AuditEvent(
        Instant time,
        Instant deviceTime,
        String clientId,
        List<String> roles,
        String tokenId,
        String certificateThumbprint,
        String action,
        String resourceType,
        String recordId,
        Outcome outcome,
        int httpStatus,
        String reasonCode,
        String sourceIp,
        String nodeId,
        String requestId) {

    public AuditEvent {
        if (time == null) {
            throw new AuditException("audit event: time is required");
        }
        time = time.truncatedTo(ChronoUnit.MICROS);
        deviceTime = deviceTime == null ? null : deviceTime.truncatedTo(ChronoUnit.MICROS);
        check("client_id", clientId, AuditFields.CLIENT_ID, false);
        roles = normaliseRoles(roles);
        check("token_id", tokenId, AuditFields.TOKEN_ID, false);
        check("certificate_thumbprint", certificateThumbprint, AuditFields.THUMBPRINT, false);
        check("action", action, AuditFields.ACTION, true);
        check("resource_type", resourceType, AuditFields.RESOURCE_TYPE, false);
        check("record_id", recordId, AuditFields.RECORD_ID, false);
        if (outcome == null) {
            throw new AuditException("audit event: outcome is required");
        }
        if (httpStatus != 0 && (httpStatus < 100 || httpStatus > 599)) {
            throw new AuditException("audit event: http_status must be 0 or 100..599");
        }
        check("reason_code", reasonCode, AuditFields.REASON_CODE, false);
        check("source_ip", sourceIp, AuditFields.SOURCE_IP, false);
        check("node_id", nodeId, AuditFields.NODE_ID, true);
        check("request_id", requestId, AuditFields.REQUEST_ID, false);
    }

    private static void check(String field, String value, AuditFields.Rule rule, boolean required) {
        if (value == null) {
            if (required) {
                throw new AuditException("audit event: " + field + " is required");
            }
            return;
        }
        if (!rule.matches(value)) {
            // Name the rule, never echo the value: it might be the PHI we are keeping out.
            throw new AuditException(
                    "audit event: " + field + " must match " + rule.pattern().pattern());
        }
    }

    private static List<String> normaliseRoles(List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            return List.of();
        }
        if (roles.size() > AuditFields.MAX_ROLES) {
            throw new AuditException("audit event: at most " + AuditFields.MAX_ROLES + " roles");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String r : roles) {
            check("roles", Objects.requireNonNull(r, "role"), AuditFields.ROLE, true);
            sorted.add(r);
        }
        return List.copyOf(new ArrayList<>(sorted));
    }

    /**
     * This attempt completed: the same who, where and when, with the record it touched and what became of it (the
     * event of an attempt is built before its outcome is known, e.g. before a write commits).
     */
    public AuditEvent completed(String recordId, Outcome outcome, int httpStatus, String reasonCode) {
        return builder()
                .time(time)
                .deviceTime(deviceTime)
                .clientId(clientId)
                .roles(roles)
                .tokenId(tokenId)
                .certificateThumbprint(certificateThumbprint)
                .action(action)
                .resourceType(resourceType)
                .recordId(recordId)
                .outcome(outcome)
                .httpStatus(httpStatus)
                .reasonCode(reasonCode)
                .sourceIp(sourceIp)
                .nodeId(nodeId)
                .requestId(requestId)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This event as one JSON object (the shape used by the audit log line and the NDJSON export). */
    public String toJson() {
        return toJsonObject().toString();
    }

    /** This event as a JSON-P object, the members of {@link #toJson()} in the same order. */
    public JsonObject toJsonObject() {
        return AuditEventJson.toJsonObject(this);
    }

    /**
     * Reads what {@link #toJsonObject()} wrote; the constructor re-validates every field.
     *
     * @throws IllegalArgumentException when a member is missing or of the wrong JSON type
     * @throws AuditException           when a member breaks its field rule
     */
    public static AuditEvent fromJson(JsonObject json) {
        return AuditEventJson.fromJsonObject(json);
    }

    /**
     * This event as a FHIR R4 {@code AuditEvent} resource (JSON), following the IHE BALP vocabulary: {@code type} is the
     * DICOM/FHIR audit event type, {@code subtype} the RESTful interaction, {@code action} C/R/U/D/E, {@code outcome}
     * 0/4/8, one requesting {@code agent}, the observing {@code source} node and the touched {@code entity}.
     */
    public String toFhirAuditEvent() {
        return FhirAuditEvent.of(this).toString();
    }

    /** Fluent builder; {@link #build()} runs the constructor checks. */
    public static final class Builder {
        private Instant time;
        private Instant deviceTime;
        private String clientId;
        private List<String> roles = List.of();
        private String tokenId;
        private String certificateThumbprint;
        private String action;
        private String resourceType;
        private String recordId;
        private Outcome outcome;
        private int httpStatus;
        private String reasonCode;
        private String sourceIp;
        private String nodeId;
        private String requestId;

        private Builder() {}

        public Builder time(Instant v) {
            this.time = v;
            return this;
        }

        public Builder deviceTime(Instant v) {
            this.deviceTime = v;
            return this;
        }

        public Builder clientId(String v) {
            this.clientId = v;
            return this;
        }

        public Builder roles(List<String> v) {
            this.roles = v;
            return this;
        }

        public Builder tokenId(String v) {
            this.tokenId = v;
            return this;
        }

        public Builder certificateThumbprint(String v) {
            this.certificateThumbprint = v;
            return this;
        }

        public Builder action(String v) {
            this.action = v;
            return this;
        }

        public Builder resourceType(String v) {
            this.resourceType = v;
            return this;
        }

        public Builder recordId(String v) {
            this.recordId = v;
            return this;
        }

        public Builder outcome(Outcome v) {
            this.outcome = v;
            return this;
        }

        public Builder httpStatus(int v) {
            this.httpStatus = v;
            return this;
        }

        public Builder reasonCode(String v) {
            this.reasonCode = v;
            return this;
        }

        public Builder sourceIp(String v) {
            this.sourceIp = v;
            return this;
        }

        public Builder nodeId(String v) {
            this.nodeId = v;
            return this;
        }

        public Builder requestId(String v) {
            this.requestId = v;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    time,
                    deviceTime,
                    clientId,
                    roles,
                    tokenId,
                    certificateThumbprint,
                    action,
                    resourceType,
                    recordId,
                    outcome,
                    httpStatus,
                    reasonCode,
                    sourceIp,
                    nodeId,
                    requestId);
        }
    }
}
