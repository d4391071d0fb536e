package health.treatment.web.rest;

import health.treatment.security.Role;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

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
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Treatment ingest API",
                        version = "1",
                        description =
                                "Secure ingest of patient treatment records from medical devices and clinic gateways. "
                                        + "Errors are application/problem+json (RFC 9457).",
                        license = @License(name = "Proprietary")),
        security = @SecurityRequirement(name = TreatmentApplication.BEARER))
@SecurityScheme(
        securitySchemeName = TreatmentApplication.BEARER,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "MicroProfile JWT (RS256 by default, ES256 when configured); roles from the groups claim.")
public class TreatmentApplication extends Application {
    /** Name of the OpenAPI security scheme. */
    public static final String BEARER = "bearerJwt";
}
