package health.treatment.web.rest;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.core.BatchLimits;
import health.treatment.core.BatchValidation;
import health.treatment.core.TreatmentRecord;
import health.treatment.core.TreatmentSchema;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import health.treatment.security.Caller;
import health.treatment.security.CallerRules;
import health.treatment.security.Decision;
import health.treatment.security.Role;
import health.treatment.store.Submission;
import health.treatment.store.SubmitOutcome;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.config.JsonFactories;
import health.treatment.web.filter.Callers;
import health.treatment.web.filter.RateLimits;
import health.treatment.web.persistence.GuardedStore;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemException;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
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
 * Batch upload for device backlogs: an array of records, each judged and stored on its own (the same rules as a
 * single submission), answered item by item in request order. The batch counts as one request against the client's
 * rate limit and its items against the client's item budget; a gateway's items also count against their machines.
 */
@Path("/v1/treatments/batch")
// One instance: a request-scoped bean per request cost measurable CPU; the @Context fields are proxies.
@ApplicationScoped
@Tag(name = "Treatments")
public class BatchResource {

    /** An {@code Idempotency-Key} for a whole batch gives item i the key {@code <key>:<i>}: it must leave room. */
    static final int MAX_BATCH_KEY_LENGTH = 123;

    @Inject
    TreatmentValidator validator;

    @Inject
    BatchLimits limits;

    @Inject
    GuardedStore store;

    @Inject
    RequestAuditor auditor;

    @Inject
    RateLimits rateLimits;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed({Role.Names.DEVICE, Role.Names.GATEWAY})
    @Operation(
            summary = "Submit a batch of treatment records (device backlogs)",
            description = "Roles (token `groups` claim): `device`, `gateway`. A JSON array of up to 1000 records "
                    + "(at most 4 MiB on the wire by default); each item may carry an `idempotency_key` member. Every "
                    + "item is validated, authorised (a device only for its own machine) and stored on its own: the "
                    + "answer is 200 with one result per item in request order, `{\"status\":201,\"id\":...}` "
                    + "(stored), `{\"status\":200,\"id\":...}` (idempotent replay) or `{\"status\":400|403|409|429|503,"
                    + "\"problem\":{...}}` (the same problem body as a single submission). Valid items are stored "
                    + "whatever happens to the others. An `Idempotency-Key` header makes every item idempotent as "
                    + "`<key>:<index>` (an item's own member wins). The batch counts as one request against the "
                    + "per-minute limit and its items against the per-client item budget.",
            extensions =
                    @Extension(
                            name = "x-roles",
                            value = "[\"" + Role.Names.DEVICE + "\", \"" + Role.Names.GATEWAY + "\"]",
                            parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @RequestBody(
            required = true,
            description = "A JSON array of batch items (JSON Schema " + TreatmentSchema.BATCH_ITEM_ID
                    + ": a treatment record plus an optional idempotency_key).",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.TREATMENT_BATCH)))
    @Parameter(
            name = "Idempotency-Key",
            in = ParameterIn.HEADER,
            required = false,
            description = "Optional client token making every item idempotent as <key>:<index> (scoped to the "
                    + "authenticated client): 1-123 letters, digits or - _ . :",
            schema =
                    @Schema(
                            type = SchemaType.STRING,
                            minLength = 1,
                            maxLength = MAX_BATCH_KEY_LENGTH,
                            pattern = "^[A-Za-z0-9_.:-]{1,123}$"))
    @APIResponse(
            responseCode = "200",
            description = "One result per item, in request order.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.BATCH_RESULTS)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.VALIDATION_FAILED)
    @APIResponse(responseCode = "413", ref = OpenApiModel.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = OpenApiModel.UNSUPPORTED_MEDIA_TYPE)
    public Response submitBatch(InputStream body, @HeaderParam("Idempotency-Key") String batchKey) {
        Caller caller = Callers.from((JsonWebToken) request.getUserPrincipal());
        if (batchKey != null && (batchKey.length() > MAX_BATCH_KEY_LENGTH || !Submission.isIdempotencyKey(batchKey))) {
            return reject(
                    400,
                    "invalid_idempotency_key",
                    ProblemResponses.jaxrs(Problem.of(
                                    ProblemKind.BAD_REQUEST,
                                    "The Idempotency-Key header of a batch must be 1-123 letters, digits or -_.:"))
                            .build());
        }
        BatchValidation validation = validator.validateBatch(body, limits);
        if (validation instanceof BatchValidation.Rejected rejected) {
            Problem problem = rejected.isTooLarge()
                    ? Problem.of(ProblemKind.PAYLOAD_TOO_LARGE)
                    : Problem.of(
                                    ProblemKind.VALIDATION,
                                    "The body must be a JSON array of at most " + limits.maxItems()
                                            + " treatment records.")
                            .withViolations(TreatmentResource.violations(List.of(rejected.violation())));
            return reject(
                    problem.status(),
                    rejected.isTooLarge() ? "body_too_large" : "validation_failed",
                    ProblemResponses.jaxrs(problem).build());
        }
        List<BatchValidation.Item> items = ((BatchValidation.Items) validation).items();
        rateLimits.checkItems(caller.subject(), items.size()); // 429 for the whole batch, audited by the filter

        // Judge every item; the acceptable ones go to the store together.
        List<JsonObject> results = new ArrayList<>(items.size());
        List<AuditEvent> rejections = new ArrayList<>();
        List<Submission> submissions = new ArrayList<>();
        List<Integer> submitted = new ArrayList<>();
        for (BatchValidation.Item item : items) {
            results.add(null);
            if (!(item.result() instanceof ValidationResult.Valid valid)) {
                Problem problem = Problem.of(ProblemKind.VALIDATION)
                        .withViolations(
                                TreatmentResource.violations(item.result().violations()));
                rejectItem(item.index(), problem, "validation_failed", results, rejections);
                continue;
            }
            TreatmentRecord record = valid.record();
            Decision allowed = CallerRules.maySubmit(caller, record.machineId());
            if (!allowed.allowed()) {
                rejectItem(
                        item.index(),
                        Problem.of(ProblemKind.FORBIDDEN, "This client may not submit records for that machine."),
                        allowed.reasonCode(),
                        results,
                        rejections);
                continue;
            }
            if (caller.roles().contains(Role.GATEWAY)) {
                try {
                    rateLimits.checkMachine(record.machineId());
                } catch (ProblemException limited) {
                    rejectItem(item.index(), limited.problem(), "rate_limited", results, rejections);
                    continue;
                }
            }
            Optional<String> key =
                    item.idempotencyKey().or(() -> Optional.ofNullable(batchKey).map(k -> k + ":" + item.index()));
            submissions.add(new Submission(
                    record,
                    caller.subject(),
                    key,
                    auditor.attempt(request, TreatmentResource.CREATE, TreatmentResource.RESOURCE)));
            submitted.add(item.index());
        }

        if (!rejections.isEmpty()) {
            store.audit(rejections); // nothing stored yet if it fails: 503
            rejections.forEach(event -> auditor.committed(request, event));
        }
        List<SubmitOutcome> outcomes = store.submitAll(submissions);
        for (int i = 0; i < outcomes.size(); i++) {
            results.set(submitted.get(i), result(outcomes.get(i)));
        }
        if (!items.isEmpty()) {
            // One audit event per item is in the trail (the store committed the stored and replayed ones); an empty
            // batch is audited by the audit filter as the request it is.
            request.setAttribute(RequestAuditor.AUDITED, Boolean.TRUE);
        }
        JsonArrayBuilder array = JsonFactories.BUILDERS.createArrayBuilder();
        results.forEach(array::add);
        String json = JsonFactories.BUILDERS
                .createObjectBuilder()
                .add("results", array)
                .build()
                .toString();
        return Response.ok(json, MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .build();
    }

    private JsonObject result(SubmitOutcome outcome) {
        if (outcome instanceof SubmitOutcome.Created created) {
            return JsonFactories.BUILDERS
                    .createObjectBuilder()
                    .add("status", 201)
                    .add("id", created.id())
                    .build();
        }
        if (outcome instanceof SubmitOutcome.Replayed replayed) {
            return JsonFactories.BUILDERS
                    .createObjectBuilder()
                    .add("status", 200)
                    .add("id", replayed.id())
                    .build();
        }
        if (outcome instanceof SubmitOutcome.KeyReused) {
            return problemResult(
                    Problem.of(ProblemKind.CONFLICT, "This idempotency key was already used with a different record."));
        }
        return problemResult(Problem.of(ProblemKind.UNAVAILABLE));
    }

    private void rejectItem(
            int index, Problem problem, String reason, List<JsonObject> results, List<AuditEvent> rejections) {
        results.set(index, problemResult(problem));
        rejections.add(auditor.begin(request, TreatmentResource.CREATE, TreatmentResource.RESOURCE)
                .outcome(Outcome.forHttpStatus(problem.status()))
                .httpStatus(problem.status())
                .reasonCode(reason)
                .build());
    }

    private static JsonObject problemResult(Problem problem) {
        return JsonFactories.BUILDERS
                .createObjectBuilder()
                .add("status", problem.status())
                .add("problem", problem.toJson())
                .build();
    }

    private Response reject(int status, String reason, Response response) {
        auditor.recordOutcome(request, TreatmentResource.CREATE, TreatmentResource.RESOURCE, status, reason);
        return response;
    }
}
