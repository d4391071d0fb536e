package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API7:2023, server-side request forgery. The API takes no URL from a client: no request member, header or
 * parameter is fetched, and the only outbound request the server makes is to the identity provider's key set, whose
 * URL the operator configures (MP_JWT_VERIFY_PUBLICKEY_LOCATION). The one place a client could try to name a URL is
 * the token's own header ({@code jku}, {@code x5u}): the server must never follow it. A listener on loopback
 * stands in for an internal service and records any connection.
 */
@ExtendWith(ArquillianExtension.class)
class Api7ServerSideRequestForgeryIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    @Test
    void keyUrlsInATokenHeaderAreNeverFetched() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            internal.setSoTimeout(200);
            AtomicInteger connections = new AtomicInteger();
            Thread listener = new Thread(() -> {
                while (!internal.isClosed()) {
                    try (Socket s = internal.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // keep listening until closed
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            listener.start();
            URI url = URI.create("http://127.0.0.1:" + internal.getLocalPort() + "/keys.json");
            JWSHeader jku = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .type(JOSEObjectType.JWT)
                    .keyID("attacker")
                    .jwkURL(url)
                    .build();
            JWSHeader x5u = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .type(JOSEObjectType.JWT)
                    .keyID("attacker")
                    .x509CertURL(url)
                    .build();
            for (JWSHeader header : new JWSHeader[] {jku, x5u}) {
                String token = SecurityTokens.sign(
                        header, SecurityTokens.claims("aud-1", "auditor").build(), SecurityTokens.untrusted());
                assertProblem(SecurityClient.get("/api/v1/audit/verify", token), 401);
                assertProblem(
                        SecurityClient.postJson(
                                "/api/v1/treatments", token, SecurityDeployment.record("MRN-SSRF", "DX2020")),
                        401);
            }
            // The same headers on a token signed by the trusted key: judged by that key alone, the URL still ignored.
            String trustedWithJku = SecurityTokens.sign(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .type(JOSEObjectType.JWT)
                            .keyID(SecurityTokens.trusted().getKeyID())
                            .jwkURL(url)
                            .x509CertURL(url)
                            .build(),
                    SecurityTokens.claims("aud-1", "auditor").build(),
                    SecurityTokens.trusted());
            assertThat(SecurityClient.get("/api/v1/audit/verify", trustedWithJku)
                            .statusCode())
                    .isIn(200, 401);
            Thread.sleep(1000); // an asynchronous fetch would arrive by now
            internal.close();
            listener.join(2000);
            assertThat(connections.get())
                    .as("connections the server made to the URL in the token")
                    .isZero();
        }
    }

    /** A record member holding a URL is data: stored as text or refused, never fetched. */
    @Test
    void aUrlInARequestBodyIsNeverFetched() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            internal.setSoTimeout(3000);
            String url = "http://127.0.0.1:" + internal.getLocalPort() + "/x";
            String machine = SecurityDeployment.unique("DXU");
            String body = SecurityDeployment.record("MRN-SSRF", machine).replace("\"A12\"", "\"" + url + "\"");
            int status = SecurityClient.postJson("/api/v1/treatments", SecurityTokens.token(machine, "device"), body)
                    .statusCode();
            assertThat(status).isIn(201, 400);
            boolean connected;
            try (Socket s = internal.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected)
                    .as("the server connected to a URL from the body")
                    .isFalse();
        }
    }
}
