package health.treatment.web.rest;

import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Treatment records. PHASE 2 fills these in (validation, encryption, storage, audit); until then they answer
 * 501 problem+json behind the final role checks, so authentication and authorization are already testable.
 */
@Path("/v1/treatments")
@RequestScoped
public class TreatmentResource {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed({Roles.DEVICE, Roles.GATEWAY})
    @Operation(summary = "Submit a treatment record",
            description = "201 Created with Location and a JSON body holding the record id.")
    public Response submit(JsonObject record, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_IMPLEMENTED)).build();
    }

    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Read a treatment record with identifiers decrypted")
    public Response read(@PathParam("id") String id) {
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_IMPLEMENTED)).build();
    }
}
