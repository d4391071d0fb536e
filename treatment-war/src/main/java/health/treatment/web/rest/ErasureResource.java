package health.treatment.web.rest;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.core.PatientIdentifier;
import health.treatment.security.Role;
import health.treatment.store.ErasureOutcome;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.config.JsonFactories;
import health.treatment.web.persistence.GuardedStore;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Erasure requests: destroys one patient's data key (crypto-shredding), so every stored record of the patient and
 * the encrypted identifier become unreadable at once. Backups taken before reach the same state once the next
 * re-wrap of the patient keys has run ({@code treatment.erasure.rewrap-delay}; see the README). The identifier travels
 * in the body, never in the URL; the audit event names the patient's pseudonym only.
 */
@Path("/v1/patients/erasure")
@RequestScoped
@RolesAllowed(Role.Names.PRIVACY_OFFICER)
@Tag(name = "Privacy")
public class ErasureResource {

    static final String ERASE = "patient.erasure";
    private static final String RESOURCE = "Patient";

    @Inject
    GuardedStore store;

    @Inject
    RequestAuditor auditor;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(
            summary = "Erase a patient's data (crypto-shredding)",
            description = "Destroys the patient's data key: every record stored for that patient, and the stored "
                    + "identifier, become unreadable at once, for every node. Database backups taken before keep "
                    + "the patient's key wrapped under the wrapping-key epoch of their time; the next re-wrap "
                    + "(scheduled after each erasure) destroys that epoch, after which such backups cannot decrypt "
                    + "the patient's records either. Erasing an erased patient again answers 200 with "
                    + "`already_erased`. A later record for the patient is stored under a new key. Roles (token "
                    + "`groups` claim): `privacy-officer`.",
            extensions =
                    @Extension(name = "x-roles", value = "[\"" + Role.Names.PRIVACY_OFFICER + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @RequestBody(
            required = true,
            description = "The patient to erase.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.ERASURE_REQUEST)))
    @APIResponse(
            responseCode = "200",
            description = "The patient's data key is destroyed (now or before).",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.ERASURE_RESULT)))
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = OpenApiModel.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = OpenApiModel.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = OpenApiModel.UNSUPPORTED_MEDIA_TYPE)
    public Response erase(InputStream body) throws IOException {
        // Read whole first: over the body limit, RequestBodyTooLargeException is answered 413 (not a parse error).
        String patientId = patientId(body.readAllBytes());
        if (patientId == null) {
            auditor.recordOutcome(request, ERASE, RESOURCE, 400, "invalid_erasure_request");
            return ProblemResponses.jaxrs(Problem.of(
                            ProblemKind.BAD_REQUEST,
                            "The body must be a JSON object with exactly one member, patient_id: 1 to 64 letters, digits "
                                    + "or - . _ : / (as in a treatment record)."))
                    .build();
        }
        AuditEvent attempt = auditor.attempt(request, ERASE, RESOURCE);
        ErasureOutcome outcome = store.erasePatient(patientId, attempt);
        if (outcome instanceof ErasureOutcome.Erased erased) {
            auditor.committed(request, attempt.completed(erased.patientRef(), Outcome.SUCCESS, 200, null));
            return answer("erased", erased.records());
        }
        if (outcome instanceof ErasureOutcome.AlreadyErased already) {
            auditor.committed(request, attempt.completed(already.patientRef(), Outcome.SUCCESS, 200, "already_erased"));
            return answer("already_erased", 0);
        }
        // NotFound (the guarded store throws instead of returning Unavailable: nothing was committed, 503)
        auditor.committed(request, attempt.completed(null, Outcome.CLIENT_ERROR, 404, "patient_not_found"));
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_FOUND, "No record was ever stored for that patient."))
                .build();
    }

    private static Response answer(String status, int records) {
        String body = JsonFactories.BUILDERS
                .createObjectBuilder()
                .add("status", status)
                .add("records", records)
                .build()
                .toString();
        return Response.ok(body, MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The request's patient identifier, or null when the body is not exactly {"patient_id": valid identifier}. */
    private static String patientId(byte[] body) {
        JsonObject object;
        try (JsonReader reader = JsonFactories.READERS.createReader(new ByteArrayInputStream(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return null;
            }
            object = value.asJsonObject();
        } catch (JsonException | IllegalStateException malformed) {
            return null;
        }
        if (object.size() != 1 || !(object.get("patient_id") instanceof JsonString id)) {
            return null;
        }
        return PatientIdentifier.isValid(id.getString()) ? id.getString() : null;
    }
}
