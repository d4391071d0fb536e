package health.treatment.web.it;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A resource as a future change might add it: under /api, but without {@code @RolesAllowed}. Deployed only by
 * {@link ForgottenRoleIT}, to show the container still requires a verified token for it.
 */
@Path("/v1/forgotten-role-probe")
public class ForgottenRoleProbe {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String probe() {
        return "{\"reached\":true}";
    }
}
