package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The container-level constraint on /api/*: a resource someone forgot to annotate is still not public. */
@ExtendWith(ArquillianExtension.class)
class ForgottenRoleIT {

    private static final String PROBE = "/api/v1/forgotten-role-probe";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war().addClass(ForgottenRoleProbe.class);
    }

    @Test
    void aResourceWithoutRolesAllowedNeedsAVerifiedToken() {
        HttpResponse<String> anonymous = Https.get(PROBE, null);
        ProblemAssert.assertRefusedWithoutToken(anonymous);
        assertThat(anonymous.body()).doesNotContain("reached");
        assertProblem(Https.get(PROBE, Tokens.wrongKey("DX2020", "device")), 401);
        assertProblem(Https.get(PROBE, Tokens.expired("DX2020", "device")), 401);

        HttpResponse<String> authenticated = Https.get(PROBE, Tokens.rs256("DX2020", "device"));
        assertThat(authenticated.statusCode()).isEqualTo(200); // authenticated callers reach it: roles are per method
        assertThat(authenticated.body()).contains("reached");
    }
}
