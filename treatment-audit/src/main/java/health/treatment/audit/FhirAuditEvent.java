package health.treatment.audit;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;

/**
 * An {@link AuditEvent} as a FHIR R4 {@code AuditEvent} resource, following the IHE Basic Audit Log Patterns (BALP):
 * {@code type} is the DICOM "User Authentication" type for {@code auth.*} actions and the FHIR "RESTful Operation"
 * otherwise, {@code subtype} the RESTful interaction plus our own action code, {@code action} C/R/U/D/E,
 * {@code outcome} 0/4/8, one requesting {@code agent}, the observing {@code source} node and the touched
 * {@code entity}.
 */
final class FhirAuditEvent {
    private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    private static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private static final String SECURITY_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    private static final String AUDIT_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String ACTION_SYSTEM = "urn:health:treatment:audit:action";
    private static final String ROLE_SYSTEM = "urn:health:treatment:role";
    private static final String REQUEST_SYSTEM = "urn:health:treatment:audit";

    /** Created once: {@code Json.createObjectBuilder()} would look the provider up on every call. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private FhirAuditEvent() {}

    /** The RESTful interaction and the FHIR action code for the verb that ends our action name. */
    private record Interaction(String code, String crud) {
        static Interaction of(String action) {
            return switch (action.substring(action.lastIndexOf('.') + 1)) {
                case "create" -> new Interaction("create", "C");
                case "read" -> new Interaction("read", "R");
                case "query", "search" -> new Interaction("search-type", "E");
                case "update" -> new Interaction("update", "U");
                case "delete", "purge" -> new Interaction("delete", "D");
                default -> new Interaction(null, "E");
            };
        }
    }

    static JsonObject of(AuditEvent e) {
        String action = e.action();
        boolean authentication = action.startsWith("auth.");
        Interaction interaction = Interaction.of(action);

        JsonArrayBuilder subtypes = JSON.createArrayBuilder();
        if (interaction.code() != null && !authentication) {
            subtypes.add(coding(RESTFUL_INTERACTION, interaction.code(), null));
        }
        subtypes.add(coding(ACTION_SYSTEM, action, null));

        JsonObjectBuilder fhir = JSON.createObjectBuilder()
                .add("resourceType", "AuditEvent")
                .add(
                        "type",
                        authentication
                                ? coding(DICOM, "110114", "User Authentication")
                                : coding(AUDIT_EVENT_TYPE, "rest", "RESTful Operation"))
                .add("subtype", subtypes)
                .add("action", interaction.crud())
                .add("recorded", e.time().toString())
                .add("outcome", e.outcome().fhirOutcome());
        if (e.reasonCode() != null) {
            fhir.add("outcomeDesc", e.reasonCode());
        }
        fhir.add("agent", JSON.createArrayBuilder().add(agent(e)));
        fhir.add(
                "source",
                JSON.createObjectBuilder()
                        .add("site", e.nodeId())
                        .add("observer", JSON.createObjectBuilder().add("display", e.nodeId()))
                        .add(
                                "type",
                                JSON.createArrayBuilder()
                                        .add(coding(SECURITY_SOURCE_TYPE, "4", "Application Server"))));
        JsonArrayBuilder entities = JSON.createArrayBuilder();
        boolean anyEntity = false;
        if (e.resourceType() != null || e.recordId() != null) {
            JsonObjectBuilder what = JSON.createObjectBuilder();
            if (e.recordId() != null) {
                what.add("reference", (e.resourceType() == null ? "Resource" : e.resourceType()) + "/" + e.recordId());
            } else {
                what.add("display", e.resourceType());
            }
            entities.add(JSON.createObjectBuilder()
                    .add("what", what)
                    .add("type", coding(AUDIT_ENTITY_TYPE, "2", "System Object")));
            anyEntity = true;
        }
        if (e.requestId() != null) {
            entities.add(JSON.createObjectBuilder()
                    .add(
                            "what",
                            JSON.createObjectBuilder()
                                    .add(
                                            "identifier",
                                            JSON.createObjectBuilder().add("value", e.requestId())))
                    .add("type", coding(REQUEST_SYSTEM, "request", null)));
            anyEntity = true;
        }
        if (anyEntity) {
            fhir.add("entity", entities);
        }
        return fhir.build();
    }

    private static JsonObjectBuilder agent(AuditEvent e) {
        JsonObjectBuilder agent = JSON.createObjectBuilder()
                .add(
                        "type",
                        JSON.createObjectBuilder()
                                .add(
                                        "coding",
                                        JSON.createArrayBuilder()
                                                .add(coding(PARTICIPATION_TYPE, "IRCP", "information recipient"))));
        if (!e.roles().isEmpty()) {
            JsonArrayBuilder roles = JSON.createArrayBuilder();
            for (String role : e.roles()) {
                roles.add(JSON.createObjectBuilder()
                        .add("coding", JSON.createArrayBuilder().add(coding(ROLE_SYSTEM, role, null))));
            }
            agent.add("role", roles);
        }
        agent.add(
                "who",
                JSON.createObjectBuilder()
                        .add(
                                "identifier",
                                JSON.createObjectBuilder()
                                        .add("value", e.clientId() == null ? "anonymous" : e.clientId())));
        if (e.tokenId() != null) {
            agent.add("altId", e.tokenId());
        }
        agent.add("requestor", true);
        if (e.sourceIp() != null) {
            agent.add(
                    "network",
                    JSON.createObjectBuilder().add("address", e.sourceIp()).add("type", "2"));
        }
        return agent;
    }

    private static JsonObjectBuilder coding(String system, String code, String display) {
        JsonObjectBuilder c = JSON.createObjectBuilder().add("system", system).add("code", code);
        if (display != null) {
            c.add("display", display);
        }
        return c;
    }
}
