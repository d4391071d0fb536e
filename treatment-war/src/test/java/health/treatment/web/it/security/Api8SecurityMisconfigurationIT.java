package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.it.Https;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OWASP API8:2023, security misconfiguration: the transport and the headers are right on every response, whichever
 * part of the server wrote it; no CORS, no cookies, no plaintext; unknown and unusual methods get a problem. TLS
 * versions and cipher suites are PlatformIT's, error bodies and TRACE ErrorsIT's.
 */
@ExtendWith(ArquillianExtension.class)
class Api8SecurityMisconfigurationIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    /**
     * One request per kind of responder: the WAR's resources, filters and error pages, Liberty's health, OpenAPI and
     * JWT applications, the container's redirect, the HTTP channel's own refusal of a malformed target.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /health",
                "GET /health/ready",
                "GET /openapi",
                "GET /openapi/ui/",
                "GET /openapi/ui",
                "GET /openapi/nope",
                "GET /health/nope",
                "GET /metrics",
                "GET /nope",
                "GET /",
                "GET /api/v1/treatments",
                "HEAD /health",
                "HEAD /nope",
                "OPTIONS /openapi",
                "OPTIONS /api/v1/treatments",
                "DELETE /api/v1/treatments",
                "GET /jwt/ibm/api/defaultJWT/jwk",
                "GET /jwt/ibm/api/defaultJWT/token",
                "GET /jwt/",
                "GET /api/v1/%ZZ",
                "FOO /",
                "FOO /openapi",
                "PATCH /health/nope"
            })
    void everyResponseCarriesHstsAndNosniffAndNothingThatNamesTheProduct(String request) throws Exception {
        String[] parts = request.split(" ");
        for (String token : new String[] {null, SecurityTokens.token("DX2020", "device")}) {
            Https.RawResponse r = SecurityClient.raw(parts[0], parts[1], token);
            ProblemChecks.assertSecurityHeaders(r.headers());
            r.headers()
                    .forEach((name, values) -> values.forEach(v -> assertThat(v.toLowerCase(Locale.ROOT))
                            .as("header %s of %s", name, request)
                            .doesNotContain("liberty")
                            .doesNotContain("websphere")
                            .doesNotContain("exception")
                            .doesNotContain("srve")));
            assertThat(r.headers())
                    .as(request)
                    .doesNotContainKey("set-cookie")
                    .doesNotContainKey("access-control-allow-origin");
        }
    }

    /** Unknown and unusual methods on the WAR's paths are answered with a problem, never served, never a 5xx. */
    @ParameterizedTest
    @ValueSource(strings = {"FOO", "PATCH", "PROPFIND", "MKCOL", "CONNECT", "DEBUG", "TRACK", "PUT", "DELETE"})
    void unknownMethodsAreAnsweredWithAProblem(String method) throws Exception {
        for (String path : List.of("/", "/nope", "/api/v1/treatments", "/api/v1/treatments/abc", "/metrics")) {
            for (String token : new String[] {null, SecurityTokens.token("DX2020", "device")}) {
                Https.RawResponse r = SecurityClient.raw(method, path, token);
                assertThat(r.status()).as("%s %s", method, path).isBetween(400, 499);
                assertProblem(r, r.status());
            }
        }
    }

    /** HEAD answers like GET without a body: the same problem status and headers on the WAR's error paths. */
    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/api/v1/treatments", "/api/v1/treatments/abc", "/metrics", "/_problem"})
    void headOnErrorPathsHasTheProblemsHeadersAndNoBody(String path) throws Exception {
        Https.RawResponse get = SecurityClient.raw("GET", path, null);
        Https.RawResponse head = SecurityClient.raw("HEAD", path, null);
        assertThat(head.status()).isEqualTo(get.status());
        assertThat(head.header("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(head.body()).isEmpty();
        ProblemChecks.assertSecurityHeaders(head.headers());
    }

    /** OPTIONS never discloses more than Allow, and without a token it is refused like any other request. */
    @Test
    void optionsOnTheApiNeedsATokenAndListsOnlyTheRoutesMethods() throws Exception {
        assertProblem(SecurityClient.raw("OPTIONS", "/api/v1/treatments", null), 401);
        assertProblem(SecurityClient.raw("OPTIONS", "/api/v1/audit/events", null), 401);
        Https.RawResponse r =
                SecurityClient.raw("OPTIONS", "/api/v1/treatments", SecurityTokens.token("DX2020", "device"));
        assertThat(r.status()).isIn(200, 204, 405);
        assertThat(r.header("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow)
                        .doesNotContain("TRACE")
                        .doesNotContain("PUT")
                        .doesNotContain("DELETE"));
    }

    /** No cross-origin access is granted to any origin, on a simple request or a preflight. */
    @Test
    void noOriginIsGrantedCrossOriginAccess() {
        String token = SecurityTokens.token("aud-1", "auditor");
        HttpResponse<String> simple = SecurityClient.send(SecurityClient.request("/api/v1/audit/verify", token)
                .header("Origin", "https://evil.example")
                .GET()
                .build());
        assertThat(simple.statusCode()).isEqualTo(200);
        HttpResponse<String> preflight = SecurityClient.send(SecurityClient.request("/api/v1/treatments", null)
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        for (HttpResponse<String> r : List.of(simple, preflight)) {
            assertThat(r.headers().map().keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)))
                    .noneSatisfy(k -> assertThat(k).startsWith("access-control-"));
        }
    }

    /** Stateless: no response sets a cookie, even after a successful authenticated request. */
    @Test
    void noResponseSetsACookie() {
        for (HttpResponse<String> r : List.of(
                SecurityClient.get("/api/v1/audit/verify", SecurityTokens.token("aud-1", "auditor")),
                SecurityClient.get("/api/v1/audit/verify", null),
                SecurityClient.get("/health", null),
                SecurityClient.get("/openapi/ui/", null),
                SecurityClient.get("/metrics", SecurityTokens.token("prom-1", "monitor")))) {
            assertThat(r.headers().allValues("Set-Cookie"))
                    .as(r.uri().toString())
                    .isEmpty();
        }
    }

    /** Plain HTTP to the HTTPS port is not answered: no plaintext response, no redirect that would leak the path. */
    @Test
    void plaintextHttpOnTheHttpsPortGetsNoHttpAnswer() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), SecurityClient.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /api/v1/treatments HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer;
            try {
                answer = in.readNBytes(64);
            } catch (SocketException reset) {
                answer = new byte[0];
            }
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/");
        }
    }
}
