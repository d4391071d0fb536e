package health.treatment.web.rest;

import health.treatment.security.Role;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The JAX-RS application under {@code /api}; every call needs an MP JWT bearer token. A CDI bean (bean-defining
 * scope): MP JWT implementations that find {@code @LoginConfig} through CDI, such as Payara's, see it only on a bean.
 */
@ApplicationScoped
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({
    Role.Names.DEVICE,
    Role.Names.GATEWAY,
    Role.Names.CLINICIAN,
    Role.Names.AUDITOR,
    Role.Names.PRIVACY_OFFICER,
    Role.Names.INTEGRATION
})
public class TreatmentApplication extends Application {
    /** Name of the OpenAPI security scheme (META-INF/openapi.yaml, with the document's info and tags). */
    public static final String BEARER = "bearerJwt";
}
