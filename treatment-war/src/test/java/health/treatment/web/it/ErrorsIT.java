package health.treatment.web.it;

import static health.treatment.web.it.ProblemAssert.INTERNALS;
import static health.treatment.web.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every failure path, JAX-RS and container alike, answers application/problem+json with the security headers and
 * nothing internal: no product, version, class name, stack trace or submitted value.
 *
 * <p>What Open Liberty 26.0.0.3 does not let the application answer, and what is done instead (each found in the
 * runtime's classes, and pinned by a test below):
 * <ul>
 *   <li><b>Undecodable request targets</b> ({@code %ZZ}, a lone {@code %}, {@code %u0000}) and <b>control characters</b>
 *       ({@code %00}, {@code %0D%0A}, a raw NUL): {@code com.ibm.ws.webcontainer.WebContainer.handleRequest} decodes
 *       and canonicalises the path ({@code WSURLDecoder.decode}, {@code RequestUtils.canonicalizeURI}) before it
 *       chooses a web application, and on failure calls the static {@code WebContainer.sendBadRequestResponse},
 *       which writes {@code <H1>} + the NLS message {@code bad.request.uri} (CWWWC0005I with the HTML-escaped
 *       path) + {@code </H1><BR>} as text/html, or {@code {"error_message" : "..."}} as application/json when the
 *       request's Content-Type or Accept names JSON. No error page, filter, webContainer property or HTTP option
 *       reaches it. So: 400 with Liberty's one line and its message id; no stack trace, class name or product name,
 *       and the HTTP channel still adds HSTS and nosniff (http.xml). Encoded slashes and backslashes do reach the
 *       application and are 400 problems.</li>
 *   <li><b>Liberty's own applications</b> ({@code /health}, {@code /openapi/ui}) have no error pages: the container's
 *       page would name the product, the exception and the path. The webContainer property
 *       {@code displaytextwhennoerrorpagedefined} replaces it by one fixed problem, the same for every status, so it
 *       has no {@code status} member (RFC 9457 makes it optional; a fixed one would contradict some responses);
 *       {@code sethtmlcontenttypeonerror=false} and the channel's {@code setIfMissing Content-Type} label it
 *       application/problem+json (hardening.xml, http.xml). TRACE there stays 403 (with that problem): Liberty's
 *       servlets there keep HttpServlet's doTrace, which Liberty refuses with 403, and the constraint that makes it
 *       405 in the WAR cannot be put on another application.</li>
 *   <li><b>Unknown paths under {@code /openapi}</b> other than the UI: the OpenAPI servlet answers 404 itself with
 *       {@code setStatus} and an empty body labelled text/plain (or application/json): nothing leaks, but it is no
 *       problem, and no error page or container text applies to a response that is not an error dispatch.</li>
 * </ul>
 */
@ExtendWith(ArquillianExtension.class)
class ErrorsIT {

    /** Submitted in bodies that fail; must never come back. */
    static final String CANARY = "CANARY-PATIENT-7f3a9c";

    private static final String COUNT = "http_server_request_duration_seconds_count";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    private static String device() {
        return Tokens.rs256("DX2020", "device");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/x.jsp", "/index.html", "/"})
    void unknownPathsAre404Problems(String path) {
        assertProblem(Https.get(path, null), 404);
    }

    /** Everything under /api needs a verified token first (web.xml's constraint): no route map for anonymous probes. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nope", "/api", "/api/v2/treatments"})
    void unknownApiPathsAre401WithoutAndThen404WithAToken(String path) {
        ProblemAssert.assertRefusedWithoutToken(Https.get(path, null));
        assertProblem(Https.get(path, device()), 404);
    }

    @Test
    void wrongMethodIs405ProblemWithAllow() {
        HttpResponse<String> r = Https.send(Https.request("/api/v1/treatments")
                .header("Authorization", "Bearer " + device())
                .DELETE()
                .build());
        assertProblem(r, 405);
        assertThat(r.headers().firstValue("Allow"))
                .hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }

    /**
     * TRACE is never served: web.xml denies it on every path before authentication, and the error page answers that
     * 403 as 405 with the target's Allow. A valid token changes nothing, and nothing of the request comes back.
     */
    // Liberty-only: the TRACE constraint is answered by the container (403 -> error page -> 405); on Payara the same
    // deny-all constraint ends in an empty answer (traceIsNeverEchoedOnPayara pins it).
    @Tag(Servers.LIBERTY_ONLY)
    @Test
    void traceIsRefusedWithoutEchoingTheRequest() {
        HttpResponse<String> r = Https.send(Https.request("/api/v1/treatments")
                .header("Authorization", "Bearer " + device())
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
        assertProblem(r, 405);
        assertThat(r.body()).doesNotContain("Bearer").doesNotContain("Authorization");
        ProblemAssert.assertNothingInternal(r);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    // Liberty-only: the TRACE constraint is answered by the container (403 -> error page -> 405); on Payara the same
    // deny-all constraint ends in an empty answer (traceIsNeverEchoedOnPayara pins it).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/nope",
                "/api/v1/treatments",
                "/api/v1/treatments/abc",
                "/api/v1/nope",
                "/metrics",
                "/_problem"
            })
    void traceIs405ProblemOnEveryPathOfTheWarWithoutAToken(String path) {
        HttpResponse<String> r = Https.send(Https.request(path)
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
        assertProblem(r, 405);
        assertThat(r.headers().map()).containsKey("allow");
    }

    // Liberty-only: the TRACE constraint is answered by the container (403 -> error page -> 405); on Payara the same
    // deny-all constraint ends in an empty answer (traceIsNeverEchoedOnPayara pins it).
    @Tag(Servers.LIBERTY_ONLY)
    @Test
    void traceIs405ProblemWithTheRouteMethodsInAllow() {
        HttpResponse<String> metrics = Https.send(Https.request("/metrics")
                .header("Authorization", "Bearer " + Tokens.rs256("prom-1", "monitor"))
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
        assertProblem(metrics, 405);
        assertThat(metrics.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> record = Https.send(Https.request("/api/v1/treatments/abc")
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
        assertProblem(record, 405);
        assertThat(record.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    /** On the wire, as a scanner sends it, with a credential that must not come back. */
    // Liberty-only: the TRACE constraint is answered by the container (403 -> error page -> 405); on Payara the same
    // deny-all constraint ends in an empty answer (traceIsNeverEchoedOnPayara pins it).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/treatments"})
    void rawTraceIs405Problem(String path) throws Exception {
        Https.RawResponse r = Https.rawResponse("TRACE " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + CANARY + "\r\nConnection: close\r\n\r\n");
        assertProblem(r, 405);
        assertThat(r.text()).doesNotContain(CANARY);
    }

    /** The web container's 403 for TRACE to Liberty's own servlets, with the fallback problem (class javadoc). */
    // Liberty-only: Liberty's own applications (/health, /openapi) and their fallback error text (hardening.xml).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/health", "/openapi/ui/"})
    void traceOnLibertysOwnEndpointsIsRefusedWithTheFallbackProblem(String path) {
        HttpResponse<String> r = Https.send(Https.request(path)
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
        ProblemAssert.assertFallbackProblem(r, 403);
    }

    @Test
    void nonJsonBodyIs415Problem() {
        HttpResponse<String> r = Https.send(Https.request("/api/v1/treatments")
                .header("Authorization", "Bearer " + device())
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(CANARY))
                .build());
        assertProblem(r, 415);
        assertThat(r.body()).doesNotContain(CANARY);
    }

    @Test
    void malformedJsonIs400ProblemWithoutEchoingTheBody() {
        HttpResponse<String> r =
                Https.postJson("/api/v1/treatments", device(), "{\"patient_id\": \"" + CANARY + "\", \"machine_id\": ");
        assertProblem(r, 400);
        assertThat(r.body()).doesNotContain(CANARY);
    }

    @Test
    void deeplyNestedJsonIs400Problem() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertProblem(Https.postJson("/api/v1/treatments", device(), deep), 400);
    }

    @Test
    void bodyOverTheLimitWithContentLengthIs413Problem() {
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", device(), oversized());
        assertProblem(r, 413);
    }

    @Test
    void chunkedBodyOverTheLimitIs413Problem() {
        HttpResponse<String> r =
                Https.postChunked("/api/v1/treatments", device(), oversized().getBytes(StandardCharsets.UTF_8));
        assertProblem(r, 413);
    }

    @Test
    void chunkedBodyUnderTheLimitReachesTheResource() {
        HttpResponse<String> r =
                Https.postChunked("/api/v1/treatments", device(), SecurityIT.ARTICLE.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(201);
    }

    @Test
    void oversizedBodyWithoutTokenIsStillAProblem() {
        HttpResponse<String> r = Https.postJson("/api/v1/treatments", null, oversized());
        assertThat(r.statusCode()).isIn(401, 413);
        assertProblem(r, r.statusCode());
    }

    @Test
    void requestIdIsEchoedWhenWellFormedAndReplacedOtherwise() {
        HttpResponse<String> ok = Https.send(Https.request("/health-check-nope")
                .header("X-Request-Id", "abc-123")
                .GET()
                .build());
        assertThat(ok.headers().firstValue("X-Request-Id")).hasValue("abc-123");
        HttpResponse<String> bad = Https.send(Https.request("/nope")
                .header("X-Request-Id", "<script>" + CANARY)
                .GET()
                .build());
        assertThat(bad.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(v -> assertThat(v).matches("[0-9a-f-]{36}"));
        assertProblem(bad, 404);
    }

    /**
     * Known limitation: Liberty's web container rejects a malformed percent-encoding before the application, with
     * a 400 HTML line carrying its message id CWWWC0005I and the (HTML-escaped) path. No stack trace, class name or
     * version; the channel adds the security headers. Not problem+json: nothing in the WAR runs for it.
     */
    // Liberty-only: how the container decodes and refuses request targets before the WAR (Payara: docs/portability.md).
    @Tag(Servers.LIBERTY_ONLY)
    @Test
    void malformedUriIs400WithoutStackTraceOrClassNames() throws Exception {
        String raw =
                Https.raw("GET /api/v1/treatments/%ZZ%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String lower = raw.toLowerCase(Locale.ROOT);
        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(lower)
                .contains("strict-transport-security: max-age=31536000; includesubdomains")
                .contains("x-content-type-options: nosniff")
                .doesNotContain("exception")
                .doesNotContain("java.")
                .doesNotContain("\tat ")
                .doesNotContain("x-powered-by")
                .doesNotContain("$wsep")
                .doesNotContain("liberty")
                .doesNotContain("websphere");
    }

    // Liberty-only: how the container decodes and refuses request targets before the WAR (Payara: docs/portability.md).
    @Tag(Servers.LIBERTY_ONLY)
    @Test
    void encodedSlashAndDotSegmentsGetNoInternalDetails() throws Exception {
        assertNoInternalsInRaw(
                Https.raw(
                        "GET /api/v1/treatments/..%2F..%2FWEB-INF%2Fweb.xml HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        assertNoInternalsInRaw(
                Https.raw("GET /WEB-INF/./web.xml HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    }

    /**
     * Refused by the web container before any application (class javadoc): 400, the security headers, nothing of the
     * product but its one line with the message id; never a stack trace, class name or the product's name.
     */
    // Liberty-only: how the container decodes and refuses request targets before the WAR (Payara: docs/portability.md).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/treatments/%00", "/api/v1/treatments/%ZZ", "/%", "/x%0D%0Ay", "/x%u0000"})
    void undecodableRequestTargetsAre400WithTheSecurityHeadersAndNothingElseOfTheProduct(String target)
            throws Exception {
        Https.RawResponse r =
                Https.rawResponse("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        if (r.header("Content-Type").orElse("").startsWith("application/problem+json")) {
            assertProblem(r, 400); // what it should be, should Liberty ever let the application answer
            return;
        }
        assertThat(r.body())
                .matches("<H1>CWWWC0005I: The request URI has invalid or improperly encoded characters:"
                        + " \\[[^<>\\]]*\\]</H1><BR>");
        assertThat(r.header("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
        assertThat(r.header("X-Content-Type-Options")).hasValue("nosniff");
        String lower = r.text().toLowerCase(Locale.ROOT);
        assertThat(lower)
                .doesNotContain("exception")
                .doesNotContain("java.")
                .doesNotContain("\tat ")
                .doesNotContain("liberty")
                .doesNotContain("websphere")
                .doesNotContain("ibm")
                .doesNotContain("srve")
                .doesNotContain("cwwk")
                .doesNotContain("x-powered-by")
                .doesNotContain("$wsep");
    }

    /** Encoded slashes and backslashes pass the container's decoding: the application rejects them. */
    // Liberty-only: how the container decodes and refuses request targets before the WAR (Payara: docs/portability.md).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/treatments/%2F", "/api/v1/treatments/a%5Cb"})
    void encodedSeparatorsAre400Problems(String target) throws Exception {
        assertProblem(
                Https.rawResponse("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
    }

    // Liberty-only: Liberty's own applications (/health, /openapi) and their fallback error text (hardening.xml).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/health/anything", "/health/live/anything", "/openapi/ui/anything.js"})
    void unknownPathsOfLibertysOwnEndpointsAre404FallbackProblems(String path) {
        ProblemAssert.assertFallbackProblem(Https.get(path, null), 404);
    }

    // Liberty-only: Liberty's own applications (/health, /openapi) and their fallback error text (hardening.xml).
    @Tag(Servers.LIBERTY_ONLY)
    @Test
    void wrongMethodOnLibertysOwnEndpointsIsAFallbackProblem() {
        HttpResponse<String> r = Https.send(Https.request("/openapi")
                .POST(HttpRequest.BodyPublishers.ofString(CANARY))
                .build());
        ProblemAssert.assertFallbackProblem(r, 405);
        assertThat(r.body()).doesNotContain(CANARY);
    }

    /** The OpenAPI servlet's own 404 (class javadoc): empty, nothing internal, the security headers. */
    // Liberty-only: Liberty's own applications (/health, /openapi) and their fallback error text (hardening.xml).
    @Tag(Servers.LIBERTY_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/openapi/anything", "/openapi/x/y"})
    void unknownPathsUnderOpenapiAre404WithAnEmptyBody(String path) {
        HttpResponse<String> r = Https.get(path, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEmpty();
        ProblemAssert.assertNothingInternal(r);
    }

    /** The error pages' target answers only the container's error dispatch; asked for directly it does not exist. */
    @ParameterizedTest
    @ValueSource(strings = {"/_problem", "/_not_found", "/_problem/x", "/_problem?status=500"})
    void internalErrorPageTargetsAreNotServedDirectly(String path) {
        assertProblem(Https.get(path, null), 404);
        assertProblem(Https.postJson(path, null, "{}"), 404);
        assertProblem(Https.get(path, device()), 404);
    }

    @Test
    void requestsForTheErrorPageDoNotCountAsServerErrors() throws Exception {
        String before = metrics();
        double serverErrors = Scrape.sum(before, COUNT, "outcome", "server_error");
        double notFound = Scrape.sum(before, COUNT, "endpoint", "unmatched", "status", "404");
        int requests = 0;
        for (int i = 0; i < 5; i++) {
            assertProblem(Https.get("/_problem", null), 404);
            assertProblem(Https.postJson("/_problem", null, "{}"), 404);
            assertProblem(Https.get("/_not_found", null), 404);
            requests += 3;
        }
        // Counted after the response is written: wait until all of them are in.
        String after = metrics();
        for (int i = 0;
                i < 50 && Scrape.sum(after, COUNT, "endpoint", "unmatched", "status", "404") < notFound + requests;
                i++) {
            Thread.sleep(100);
            after = metrics();
        }
        assertThat(Scrape.sum(after, COUNT, "endpoint", "unmatched", "status", "404"))
                .isGreaterThanOrEqualTo(notFound + requests);
        assertThat(Scrape.sum(after, COUNT, "outcome", "server_error")).isEqualTo(serverErrors);
    }

    private static String metrics() {
        HttpResponse<String> r = Https.get("/metrics", Tokens.rs256("prom-1", "monitor"));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /**
     * Payara Micro: TRACE meets the same deny-all constraint, and the container ends it with an empty 200 before the WAR
     * runs (docs/portability.md). Pinned so a change is noticed; what matters stays true: nothing is echoed.
     */
    @Tag(Servers.PAYARA_ONLY)
    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/treatments", "/metrics"})
    void traceIsNeverEchoedOnPayara(String path) {
        HttpResponse<String> r = Https.send(Https.request(path)
                .header("Authorization", "Bearer " + device())
                .header("X-Trace-Canary", CANARY)
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(r.statusCode()).isIn(200, 403, 405);
        assertThat(r.body()).doesNotContain("Bearer").doesNotContain(CANARY).doesNotContain("TRACE");
    }

    private static void assertNoInternalsInRaw(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        assertThat(raw).startsWith("HTTP/1.1 4");
        Arrays.stream(INTERNALS)
                .filter(s -> !s.equals("org.") && !s.equals("com."))
                .forEach(s -> assertThat(lower)
                        .as("raw response must not contain %s", s)
                        .doesNotContain(s));
        assertThat(lower).doesNotContain("x-powered-by").doesNotContain("$wsep").doesNotContain("content-language");
        assertThat(lower).contains("strict-transport-security: max-age=31536000; includesubdomains");
    }

    private static String oversized() {
        // 64 KiB + 1 of syntactically valid JSON, so only the size can be the reason for the rejection.
        String prefix = "{\"notes\": \"";
        String suffix = "\"}";
        return prefix + "x".repeat(64 * 1024 + 1 - prefix.length() - suffix.length()) + suffix;
    }
}
