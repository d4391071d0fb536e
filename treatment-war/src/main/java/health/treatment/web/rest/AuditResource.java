package health.treatment.web.rest;

import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The audit trail for auditors. PHASE 2 fills these in; until then 501 problem+json behind the role check. */
@Path("/v1/audit")
@RequestScoped
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {

    @GET
    @Path("/events")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Audit events (metadata only), paged")
    public Response events(@QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_IMPLEMENTED)).build();
    }

    @GET
    @Path("/verify")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Verify the audit chain")
    public Response verify() {
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.NOT_IMPLEMENTED)).build();
    }
}
