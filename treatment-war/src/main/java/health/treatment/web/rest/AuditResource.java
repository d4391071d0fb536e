package health.treatment.web.rest;

import health.treatment.web.config.JsonFactories;
import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditException;
import health.treatment.audit.AuditPage;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.VerificationResult;
import health.treatment.store.TreatmentStore;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail for auditors: metadata-only events, paged, and verification of the hash chain. */
@Path("/v1/audit")
@RequestScoped
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "Audit", description = "The tamper-evident audit trail, for auditors.")
public class AuditResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String RESOURCE = "AuditEvent";

    @Inject
    TreatmentStore store;

    @Inject
    AuditConfig auditConfig;

    @Inject
    RequestAuditor auditor;

    @Context
    HttpServletRequest request;

    @GET
    @Path("/events")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Audit events (metadata only), paged",
            description = "Sealed events with server time in [from, to), in sequence order. `from`/`to` are RFC 3339 "
                    + "instants, `limit` 1-1000 (default 100), `after` the opaque `next` cursor of the previous page. "
                    + "Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"auditor\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @Parameter(name = "from", in = ParameterIn.QUERY,
            description = "Inclusive lower bound of the server time: RFC 3339 date-time with an offset. Default: the "
                    + "beginning of the trail.",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(name = "to", in = ParameterIn.QUERY,
            description = "Exclusive upper bound of the server time: RFC 3339 date-time with an offset. Default: now.",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Page size, 1 to 1000 (default 100).",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000",
                    defaultValue = "100"))
    @Parameter(name = "after", in = ParameterIn.QUERY,
            description = "Opaque cursor: the `next` value of the previous page.",
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "One page of events; `next` is null on the last page.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = OpenApiModel.AUDIT_EVENT_PAGE)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiModel.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiModel.FORBIDDEN)
    @APIResponse(responseCode = "429", ref = OpenApiModel.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "500", ref = OpenApiModel.INTERNAL_ERROR)
    @APIResponse(responseCode = "503", ref = OpenApiModel.SERVICE_UNAVAILABLE)
    public Response events(@QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        Optional<Instant> start = instant(from);
        Optional<Instant> end = instant(to);
        if ((from != null && start.isEmpty()) || (to != null && end.isEmpty())) {
            return badRequest("'from' and 'to' must be RFC 3339 date-times with an offset.");
        }
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            return badRequest("'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        AuditPage page;
        try {
            Instant since = start.orElse(Instant.EPOCH);
            Instant until = end.orElse(Instant.now().plusSeconds(60));
            page = store.inAuditTransaction(trail -> trail.events(since, until, Optional.ofNullable(after), pageSize));
        } catch (AuditException invalidCursor) {
            return badRequest("'after' is not a cursor this server issued.");
        }
        JsonArrayBuilder events = JsonFactories.BUILDERS.createArrayBuilder();
        for (SealedEvent sealed : page.events()) {
            JsonObjectBuilder event = JsonFactories.BUILDERS.createObjectBuilder(parse(sealed.event().toJson()));
            events.add(event.add("sequence", sealed.sequence()).add("hash", sealed.hash()));
        }
        JsonObjectBuilder body = JsonFactories.BUILDERS.createObjectBuilder().add("events", events);
        page.nextCursor().ifPresentOrElse(next -> body.add("next", next), () -> body.addNull("next"));
        audited("audit.query", 200);
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/verify")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Verify the audit chain",
            description = "Recomputes every sealed event's hash and checks every signed checkpoint: `intact`, or the "
                    + "first bad sequence number and a reason code. Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"auditor\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @APIResponse(responseCode = "200", description = "The verification result (also when the chain is broken).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = OpenApiModel.AUDIT_VERIFICATION)))
    @APIResponse(responseCode = "401", ref = OpenApiModel.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiModel.FORBIDDEN)
    @APIResponse(responseCode = "429", ref = OpenApiModel.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "500", ref = OpenApiModel.INTERNAL_ERROR)
    @APIResponse(responseCode = "503", ref = OpenApiModel.SERVICE_UNAVAILABLE)
    public Response verify() {
        VerificationResult result = store.inAuditTransaction(AuditTrail::verify);
        JsonObjectBuilder body = JsonFactories.BUILDERS.createObjectBuilder()
                .add("intact", result.intact())
                .add("events_checked", result.eventsChecked())
                .add("last_sequence", result.lastSequence())
                .add("last_signed_sequence", result.lastSignedSequence())
                .add("checkpoints_verified", result.checkpointsVerified())
                .add("reason", result.reasonCode())
                .add("public_key_id", auditConfig.signingKey().keyId());
        result.firstBadSequence().ifPresentOrElse(
                seq -> body.add("first_bad_sequence", seq), () -> body.addNull("first_bad_sequence"));
        audited("audit.verify", 200);
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    private void audited(String action, int status) {
        auditor.record(request, auditor.begin(request, action, RESOURCE)
                .outcome(Outcome.SUCCESS).httpStatus(status).build());
    }

    private Response badRequest(String detail) {
        auditor.recordOutcome(request, "audit.query", RESOURCE, 400, "invalid_query");
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.BAD_REQUEST, detail)).build();
    }

    private static Optional<Instant> instant(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = JsonFactories.READERS.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
