package health.treatment.web.rest;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditException;
import health.treatment.audit.AuditPage;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.Outcome;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.SigningKeyInfo;
import health.treatment.audit.VerificationResult;
import health.treatment.security.Role;
import health.treatment.store.TreatmentStore;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.config.JsonFactories;
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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The audit trail for auditors: metadata-only events, paged; verification of the hash chain (against a checkpoint
 * the auditor kept, too); the signed checkpoints and the keys that sign them; and the export for the offline
 * verifier.
 */
@Path("/v1/audit")
@RequestScoped
@RolesAllowed(Role.Names.AUDITOR)
@Tag(name = "Audit")
public class AuditResource {

    /** The export's media type: newline-delimited JSON. */
    public static final String EXPORT_MEDIA_TYPE = "application/x-ndjson";

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
    @Operation(
            summary = "Audit events (metadata only), paged",
            description = "Sealed events with server time in [from, to), in sequence order. `from`/`to` are RFC 3339 "
                    + "instants, `limit` 1-1000 (default 100), `after` the opaque `next` cursor of the previous page. "
                    + "Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @Parameter(
            name = "from",
            in = ParameterIn.QUERY,
            description = "Inclusive lower bound of the server time: RFC 3339 date-time with an offset. Default: the "
                    + "beginning of the trail.",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(
            name = "to",
            in = ParameterIn.QUERY,
            description = "Exclusive upper bound of the server time: RFC 3339 date-time with an offset. Default: now.",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            description = "Page size, 1 to 1000 (default 100).",
            schema =
                    @Schema(
                            type = SchemaType.INTEGER,
                            format = "int32",
                            minimum = "1",
                            maximum = "1000",
                            defaultValue = "100"))
    @Parameter(
            name = "after",
            in = ParameterIn.QUERY,
            description = "Opaque cursor: the `next` value of the previous page.",
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(
            responseCode = "200",
            description = "One page of events; `next` is null on the last page.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_EVENT_PAGE)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    public Response events(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("after") String after) {
        Optional<Instant> start = instant(from);
        Optional<Instant> end = instant(to);
        if ((from != null && start.isEmpty()) || (to != null && end.isEmpty())) {
            return badRequest("'from' and 'to' must be RFC 3339 date-times with an offset.");
        }
        OptionalInt size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (size.isEmpty()) {
            return badRequest("'limit' must be an integer from 1 to " + MAX_LIMIT + ".");
        }
        int pageSize = size.getAsInt();
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
            JsonObjectBuilder event = JsonFactories.BUILDERS.createObjectBuilder(
                    parse(sealed.event().toJson()));
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
    @Operation(
            summary = "Verify the audit chain",
            description = "Recomputes every sealed event's hash and checks every signed checkpoint against the "
                    + "signing keys valid when it was made: `intact`, or the first bad sequence number and a reason "
                    + "code. Fails with `unsigned_tail_stale` when events older than the freshness limit are not yet "
                    + "covered by a signed checkpoint. This alone cannot detect a rewrite of the trail after its "
                    + "last surviving checkpoint by someone with write access to the database: POST a checkpoint you "
                    + "kept to prove the trail still extends it. Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @APIResponse(
            responseCode = "200",
            description = "The verification result (also when the chain is broken).",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_VERIFICATION)))
    public Response verify() {
        return verified(Optional.empty());
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(
            summary = "Verify the audit chain against a checkpoint you kept",
            description = "As GET, and in addition the trail must contain the kept checkpoint's sequence with exactly "
                    + "its head hash, and every later event must chain from it; otherwise `intact` is false and "
                    + "`first_bad_sequence` names the kept checkpoint's sequence. The body is the JSON served by "
                    + "`GET /api/v1/audit/checkpoints/latest`. Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @RequestBody(
            required = true,
            description = "A signed checkpoint, as served by `checkpoints/latest`.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_CHECKPOINT)))
    @APIResponse(
            responseCode = "200",
            description = "The verification result (also when the chain is broken).",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_VERIFICATION)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = OpenApiModel.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = OpenApiModel.UNSUPPORTED_MEDIA_TYPE)
    public Response verifyAgainst(InputStream body) throws IOException {
        byte[] json = body.readAllBytes(); // over the body limit: RequestBodyTooLargeException, answered 413
        Checkpoint trusted;
        try {
            trusted = Checkpoint.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (AuditException malformed) {
            return badRequest(
                    "audit.verify",
                    "The body must be a signed checkpoint as served by " + "/api/v1/audit/checkpoints/latest.");
        }
        return verified(Optional.of(trusted));
    }

    private Response verified(Optional<Checkpoint> trusted) {
        VerificationResult result = store.inAuditTransaction(trail -> trail.verify(trusted));
        JsonObjectBuilder body = JsonFactories.BUILDERS
                .createObjectBuilder()
                .add("intact", result.intact())
                .add("events_checked", result.eventsChecked())
                .add("last_sequence", result.lastSequence())
                .add("last_signed_sequence", result.lastSignedSequence())
                .add("checkpoints_verified", result.checkpointsVerified())
                .add("reason", result.reasonCode())
                .add("public_key_id", auditConfig.signingKey().keyId());
        result.firstBadSequence()
                .ifPresentOrElse(seq -> body.add("first_bad_sequence", seq), () -> body.addNull("first_bad_sequence"));
        result.lastSignedTime()
                .ifPresentOrElse(
                        t -> body.add("last_signed_time", t.toString()), () -> body.addNull("last_signed_time"));
        result.oldestUnsignedEventTime()
                .ifPresentOrElse(
                        t -> body.add("oldest_unsigned_event_time", t.toString()),
                        () -> body.addNull("oldest_unsigned_event_time"));
        trusted.ifPresent(c -> body.add("trusted_checkpoint_sequence", c.sequence()));
        audited("audit.verify", 200);
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/checkpoints/latest")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(
            summary = "The newest signed checkpoint",
            description = "Keep it: a later `POST /api/v1/audit/verify` (or the offline verifier's "
                    + "`--trusted-checkpoint`) with this JSON proves the trail still extends it. 404 while the trail "
                    + "has no checkpoint yet. Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @APIResponse(
            responseCode = "200",
            description = "The newest signed checkpoint.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_CHECKPOINT)))
    @APIResponse(responseCode = "404", ref = OpenApiModel.NOT_FOUND)
    public Response latestCheckpoint() {
        Optional<Checkpoint> latest = store.inAuditTransaction(AuditTrail::latestCheckpoint);
        if (latest.isEmpty()) {
            auditor.recordOutcome(request, "audit.checkpoints", RESOURCE, 404, "no_checkpoint");
            return ProblemResponses.jaxrs(
                            Problem.of(ProblemKind.NOT_FOUND, "The audit trail has no signed checkpoint yet."))
                    .build();
        }
        audited("audit.checkpoints", 200);
        return Response.ok(latest.get().toJson(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/checkpoints")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(
            summary = "Signed checkpoints, paged",
            description = "Checkpoints with a sequence above `after` (default 0), in sequence order, `limit` 1-1000 "
                    + "(default 100). Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @Parameter(
            name = "after",
            in = ParameterIn.QUERY,
            description = "Only checkpoints above this sequence: the `next` value of the previous page.",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{1,18}$"))
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            description = "Page size, 1 to 1000 (default 100).",
            schema =
                    @Schema(
                            type = SchemaType.INTEGER,
                            format = "int32",
                            minimum = "1",
                            maximum = "1000",
                            defaultValue = "100"))
    @APIResponse(
            responseCode = "200",
            description = "One page of checkpoints; `next` is null on the last page.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_CHECKPOINT_PAGE)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    public Response checkpoints(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        OptionalLong afterSequence = sequence(after);
        if (after != null && afterSequence.isEmpty()) {
            return badRequest("audit.checkpoints", "'after' must be a sequence number (the 'next' of a page).");
        }
        OptionalInt size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (size.isEmpty()) {
            return badRequest("audit.checkpoints", "'limit' must be an integer from 1 to " + MAX_LIMIT + ".");
        }
        int pageSize = size.getAsInt();
        long from = afterSequence.orElse(0);
        List<Checkpoint> page = store.inAuditTransaction(trail -> trail.checkpoints(from, pageSize));
        JsonArrayBuilder items = JsonFactories.BUILDERS.createArrayBuilder();
        page.forEach(c -> items.add(parse(c.toJson())));
        JsonObjectBuilder body = JsonFactories.BUILDERS.createObjectBuilder().add("checkpoints", items);
        if (page.size() == pageSize) { // perhaps more: the next page (empty if none) says
            body.add("next", Long.toString(page.get(page.size() - 1).sequence()));
        } else {
            body.addNull("next");
        }
        audited("audit.checkpoints", 200);
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/signing-keys")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(
            summary = "The public keys that sign checkpoints",
            description = "Every key this trail trusts, with the period it signed in: the current key (no "
                    + "`valid_until`) and retired ones, each vouched for by its successor. Pin them: the offline "
                    + "verifier takes them as `--public-key` files. Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @APIResponse(
            responseCode = "200",
            description = "The signing keys.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.AUDIT_SIGNING_KEYS)))
    public Response signingKeys() {
        List<SigningKeyInfo> keys = store.inAuditTransaction(AuditTrail::signingKeys);
        JsonArrayBuilder items = JsonFactories.BUILDERS.createArrayBuilder();
        for (SigningKeyInfo k : keys) {
            JsonObjectBuilder key = JsonFactories.BUILDERS
                    .createObjectBuilder()
                    .add("key_id", k.keyId())
                    .add("public_key_pem", k.publicKeyPem())
                    .add("valid_from", k.validFrom().toString());
            k.validUntil().ifPresentOrElse(u -> key.add("valid_until", u.toString()), () -> key.addNull("valid_until"));
            items.add(key);
        }
        audited("audit.signing_keys", 200);
        return Response.ok(
                        JsonFactories.BUILDERS
                                .createObjectBuilder()
                                .add("keys", items)
                                .build()
                                .toString(),
                        MediaType.APPLICATION_JSON)
                .build();
    }

    @GET
    @Path("/export")
    @Produces({EXPORT_MEDIA_TYPE, Problem.MEDIA_TYPE})
    @Operation(
            summary = "Export the trail for the offline verifier",
            description = "NDJSON, streamed: a header, the chain hash before the first exported event, the sealed "
                    + "events from `from_seq` to `to_seq` (default: the whole retained trail), extended to the next "
                    + "signed checkpoint, and the checkpoints in that range. Verify it with "
                    + "`java -jar treatment-audit.jar verify EXPORT --public-key KEY.pem [--trusted-checkpoint "
                    + "KEPT.json]`. Roles (token `groups` claim): `auditor`.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.AUDITOR + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @Parameter(
            name = "from_seq",
            in = ParameterIn.QUERY,
            description = "First sequence to export (default 1).",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
    @Parameter(
            name = "to_seq",
            in = ParameterIn.QUERY,
            description = "Last sequence to export (default: the head).",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
    @APIResponse(
            responseCode = "200",
            description = "The export, one JSON object per line.",
            content = @Content(mediaType = EXPORT_MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    public Response export(@QueryParam("from_seq") String fromSeq, @QueryParam("to_seq") String toSeq) {
        OptionalLong from = sequence(fromSeq);
        OptionalLong to = sequence(toSeq);
        if ((fromSeq != null && (from.isEmpty() || from.getAsLong() < 1))
                || (toSeq != null && to.isEmpty())
                || (from.isPresent() && to.isPresent() && to.getAsLong() < from.getAsLong())) {
            return badRequest(
                    "audit.export",
                    "'from_seq' and 'to_seq' must be sequence numbers from 1, " + "'to_seq' not below 'from_seq'.");
        }
        long first = from.orElse(1);
        long last = to.orElse(Long.MAX_VALUE);
        audited("audit.export", 200); // committed before the first byte: an export is audited even if cut short
        StreamingOutput ndjson = out -> store.inAuditTransaction(trail -> {
            trail.export(first, last, out);
            return null;
        });
        return Response.ok(ndjson, EXPORT_MEDIA_TYPE).build();
    }

    private void audited(String action, int status) {
        auditor.record(
                request,
                auditor.begin(request, action, RESOURCE)
                        .outcome(Outcome.SUCCESS)
                        .httpStatus(status)
                        .build());
    }

    private Response badRequest(String detail) {
        return badRequest("audit.query", detail);
    }

    private Response badRequest(String action, String detail) {
        auditor.recordOutcome(request, action, RESOURCE, 400, "invalid_query");
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.BAD_REQUEST, detail))
                .build();
    }

    private static OptionalLong sequence(String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(value));
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
