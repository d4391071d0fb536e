package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs in its own failsafe execution (it-es256) against a server configured only through the environment with
 * MP_JWT_VERIFY_PUBLICKEY_ALGORITHM=ES256 and an EC P-256 public key.
 */
@ExtendWith(ArquillianExtension.class)
class Es256IT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @Test
    void es256TokenIsAcceptedWhenConfigured() {
        assertThat(Https.postJson("/api/v1/treatments", Tokens.es256("DX2020", "device"), SecurityIT.ARTICLE)
                        .statusCode())
                .isEqualTo(201);
        assertThat(Https.get("/api/v1/audit/verify", Tokens.es256("aud-1", "auditor"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void rs256TokenIsRejectedWhenEs256IsConfigured() {
        assertProblem(Https.postJson("/api/v1/treatments", Tokens.rs256("DX2020", "device"), SecurityIT.ARTICLE), 401);
    }

    @Test
    void es256TokenForTheWrongRoleIsForbidden() {
        assertProblem(Https.get("/api/v1/audit/verify", Tokens.es256("DX2020", "device")), 403);
    }
}
