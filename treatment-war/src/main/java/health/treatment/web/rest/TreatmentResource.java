package health.treatment.web.rest;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.core.TreatmentSchema;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import health.treatment.core.Violation;
import health.treatment.core.fhir.FhirR4;
import health.treatment.security.Caller;
import health.treatment.security.CallerRules;
import health.treatment.security.Decision;
import health.treatment.security.Role;
import health.treatment.store.ReadOutcome;
import health.treatment.store.StoredTreatment;
import health.treatment.store.Submission;
import health.treatment.store.SubmitOutcome;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.config.JsonFactories;
import health.treatment.web.filter.Callers;
import health.treatment.web.filter.RateLimits;
import health.treatment.web.persistence.GuardedStore;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Treatment records: devices and gateways submit, clinicians read. The resource only sequences the rules that
 * live in the jars — validate (core), authorise the caller for the machine (security), store encrypted and audit
 * in one transaction (persistence + audit) — and turns each outcome into an HTTP answer.
 */
@Path("/v1/treatments")
// One instance: a request-scoped bean per request cost measurable CPU; the @Context fields are proxies.
@ApplicationScoped
@Tag(name = "Treatments")
public class TreatmentResource {

    /** Record ids are UUIDs; anything else cannot exist, so it is a 404 without a database lookup. */
    static final Pattern RECORD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static final String CREATE = "treatment.create";
    static final String READ = "treatment.read";
    static final String RESOURCE = "Treatment";

    @Inject
    TreatmentValidator validator;

    @Inject
    GuardedStore store;

    @Inject
    RequestAuditor auditor;

    @Inject
    RateLimits rateLimits;

    @Context
    HttpServletRequest request;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @Inject
    FhirAnswers fhir;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed({Role.Names.DEVICE, Role.Names.GATEWAY})
    @Operation(
            summary = "Submit a treatment record",
            description = "Roles (token `groups` claim): `device`, `gateway`. A device may only submit records whose "
                    + "`machine_id` equals its token subject (otherwise 403); a gateway may submit for any machine. "
                    + "201 Created with Location and a JSON body holding the record id. With an `Idempotency-Key` "
                    + "(scoped to the authenticated client), a replay of the same body returns 200 with the same id; "
                    + "the same key with a different body is a 409.",
            extensions =
                    @Extension(
                            name = "x-roles",
                            value = "[\"" + Role.Names.DEVICE + "\", \"" + Role.Names.GATEWAY + "\"]",
                            parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @RequestBody(
            required = true,
            description = "One treatment record (JSON Schema " + TreatmentSchema.ID
                    + "), at most 65536 bytes on the wire by default.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.TREATMENT_RECORD)))
    @Parameter(
            name = "Idempotency-Key",
            in = ParameterIn.HEADER,
            required = false,
            description = "Optional client token making the submission idempotent (scoped to the authenticated "
                    + "client): 1-128 letters, digits or - _ . :",
            schema =
                    @Schema(
                            type = SchemaType.STRING,
                            minLength = 1,
                            maxLength = 128,
                            pattern = "^[A-Za-z0-9_.:-]{1,128}$"))
    @APIResponse(
            responseCode = "201",
            description = "Created: the record is stored (and audited).",
            headers = @Header(name = "Location", ref = OpenApiModel.LOCATION),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = OpenApiModel.RECORD_ID)))
    @APIResponse(
            responseCode = "200",
            description = "Idempotent replay: same Idempotency-Key and same record as before; the same id.",
            headers = @Header(name = "Location", ref = OpenApiModel.LOCATION),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = OpenApiModel.RECORD_ID)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.VALIDATION_FAILED)
    @APIResponse(responseCode = "409", ref = OpenApiModel.CONFLICT)
    @APIResponse(responseCode = "413", ref = OpenApiModel.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = OpenApiModel.UNSUPPORTED_MEDIA_TYPE)
    public Response submit(InputStream body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Caller caller = Callers.from((JsonWebToken) request.getUserPrincipal());
        if (idempotencyKey != null && !Submission.isIdempotencyKey(idempotencyKey)) {
            return reject(
                    CREATE,
                    400,
                    "invalid_idempotency_key",
                    ProblemResponses.jaxrs(Problem.of(
                                    ProblemKind.BAD_REQUEST,
                                    "The Idempotency-Key header must be 1-128 letters, digits or -_.:"))
                            .build());
        }

        ValidationResult result = validator.validate(body);
        if (result instanceof ValidationResult.Invalid invalid) {
            return invalid.isTooLarge()
                    ? reject(
                            CREATE,
                            413,
                            "body_too_large",
                            ProblemResponses.jaxrs(Problem.of(ProblemKind.PAYLOAD_TOO_LARGE))
                                    .build())
                    : reject(
                            CREATE,
                            400,
                            "validation_failed",
                            ProblemResponses.jaxrs(Problem.of(ProblemKind.VALIDATION)
                                            .withViolations(violations(invalid.violations())))
                                    .build());
        }
        var record = ((ValidationResult.Valid) result).record();

        Decision allowed = CallerRules.maySubmit(caller, record.machineId());
        if (!allowed.allowed()) {
            return reject(
                    CREATE,
                    403,
                    allowed.reasonCode(),
                    ProblemResponses.jaxrs(Problem.of(
                                    ProblemKind.FORBIDDEN, "This client may not submit records for that machine."))
                            .build());
        }
        if (caller.roles().contains(Role.GATEWAY)) {
            rateLimits.checkMachine(record.machineId()); // a device's own limit is its client limit
        }

        AuditEvent attempt = auditor.attempt(request, CREATE, RESOURCE);
        SubmitOutcome outcome =
                store.submit(new Submission(record, caller.subject(), Optional.ofNullable(idempotencyKey), attempt));
        if (outcome instanceof SubmitOutcome.Created created) {
            auditor.committed(request, attempt.completed(created.id(), Outcome.SUCCESS, 201, null));
            return Response.created(location(created.id()))
                    .type(MediaType.APPLICATION_JSON)
                    .header("Cache-Control", "no-store")
                    .entity(idBody(created.id()))
                    .build();
        }
        if (outcome instanceof SubmitOutcome.Replayed replayed) {
            auditor.committed(request, attempt.completed(replayed.id(), Outcome.SUCCESS, 200, null));
            return Response.ok(idBody(replayed.id()), MediaType.APPLICATION_JSON)
                    .location(location(replayed.id()))
                    .header("Cache-Control", "no-store")
                    .build();
        }
        // KeyReused (the guarded store throws instead of returning Unavailable: nothing was committed, 503)
        auditor.committed(request, attempt.completed(null, Outcome.CLIENT_ERROR, 409, null));
        return ProblemResponses.jaxrs(Problem.of(
                        ProblemKind.CONFLICT, "This Idempotency-Key was already used with a different record."))
                .build();
    }

    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, FhirR4.MEDIA_TYPE, Problem.MEDIA_TYPE})
    @RolesAllowed(Role.Names.CLINICIAN)
    @Operation(
            summary = "Read a treatment record with identifiers decrypted",
            description = "Roles (token `groups` claim): `clinician`. The stored record with patient identifiers "
                    + "decrypted (PHI: Cache-Control: no-store). Every read is audited. With `Accept: "
                    + "application/fhir+json`, a FHIR R4 `collection` Bundle (Procedure, Device, Observations; see "
                    + "docs/fhir-mapping.md).",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.CLINICIAN + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @Parameter(
            name = "id",
            in = ParameterIn.PATH,
            required = true,
            description = "Record id (UUID) from the Location header or body of the submission.",
            schema =
                    @Schema(
                            type = SchemaType.STRING,
                            format = "uuid",
                            pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))
    @APIResponse(
            responseCode = "200",
            description = "The record.",
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = OpenApiModel.STORED_TREATMENT)),
                @Content(mediaType = FhirR4.MEDIA_TYPE, schema = @Schema(ref = OpenApiModel.FHIR_BUNDLE))
            })
    @APIResponse(responseCode = "404", ref = OpenApiModel.NOT_FOUND)
    public Response read(@PathParam("id") String id) {
        if (!RECORD_ID.matcher(id).matches()) {
            return reject(
                    READ,
                    404,
                    "not_found",
                    ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_FOUND)).build());
        }
        AuditEvent attempt = auditor.attempt(request, READ, RESOURCE);
        ReadOutcome outcome = store.read(id, attempt);
        if (!(outcome instanceof ReadOutcome.Found found)) {
            auditor.committed(request, attempt.completed(null, Outcome.CLIENT_ERROR, 404, null));
            return ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_FOUND)).build();
        }
        auditor.committed(request, attempt.completed(id, Outcome.SUCCESS, 200, null));
        if (FhirAnswers.wanted(headers)) {
            return fhir.read(found.treatment());
        }
        return Response.ok(storedJson(found.treatment()), MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .build();
    }

    /** A stored record as a read answers it: {@code {"id":..,"received_at":..,"record":{..}}}. */
    static String storedJson(StoredTreatment treatment) {
        return "{\"id\":" + JsonFactories.PROVIDER.createValue(treatment.id())
                + ",\"received_at\":"
                + JsonFactories.PROVIDER.createValue(
                        treatment.receivedAt().toInstant().toString())
                + ",\"record\":" + treatment.canonicalJson() + "}";
    }

    private Response reject(String action, int status, String reason, Response response) {
        auditor.recordOutcome(request, action, RESOURCE, status, reason);
        return response;
    }

    URI location(String id) {
        return uriInfo.getBaseUriBuilder()
                .path(TreatmentResource.class)
                .path(id)
                .build();
    }

    static String idBody(String id) {
        return JsonFactories.BUILDERS
                .createObjectBuilder()
                .add("id", id)
                .build()
                .toString();
    }

    static List<Problem.Violation> violations(List<Violation> violations) {
        return violations.stream()
                .map(v -> new Problem.Violation(v.pointer(), v.code()))
                .toList();
    }
}
