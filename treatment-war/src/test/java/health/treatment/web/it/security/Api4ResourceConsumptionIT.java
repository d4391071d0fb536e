package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.it.Https;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API4:2023, unrestricted resource consumption: every input has a bound, and a request over it costs the server
 * no more than its refusal. Body size, nesting, batch size, rate limits, floods and page sizes are covered elsewhere
 * (ErrorsIT, BatchIT, TreatmentFlowIT, FloodIT, SearchAndFeedIT: see docs/security-regression.md); here the request
 * line, the headers and the page parameters of every paged endpoint.
 */
@ExtendWith(ArquillianExtension.class)
class Api4ResourceConsumptionIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    /**
     * Header lines over the HTTP channel's limits (a 40 KB field, 600 fields) are refused by Liberty's channel before
     * any application: 400 with an empty body and the security headers. Not a problem body (nothing of the WAR runs;
     * see docs/abuse-and-faults.md), but nothing internal either.
     */
    @Test
    void oversizedOrTooManyHeaderFieldsAreRefusedBeforeTheApplication() throws Exception {
        String big = "GET /api/v1/treatments HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(40_000)
                + "\r\nConnection: close\r\n\r\n";
        StringBuilder many = new StringBuilder("GET /api/v1/treatments HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 600; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        many.append("Connection: close\r\n\r\n");
        for (String request : List.of(big, many.toString())) {
            Https.RawResponse r = Https.parseResponse(SecurityClient.rawText(request));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).isEmpty();
            ProblemChecks.assertNothingInternal(r.headers(), r.body());
        }
    }

    /** A 20,000-character request target is answered (401 without a token, 404 with one), never a 5xx. */
    @Test
    void aVeryLongRequestTargetIsRefusedCheaply() throws Exception {
        String target = "/api/v1/treatments/" + "a".repeat(20_000);
        assertProblem(SecurityClient.raw("GET", target, null), 401);
        Https.RawResponse r = SecurityClient.raw("GET", target, SecurityTokens.token("dr-long", "clinician"));
        assertThat(r.status()).isBetween(400, 499);
        assertProblem(r, r.status());
    }

    /** Page sizes are bounded on every paged endpoint: over the maximum, negative or zero is a 400. */
    @Test
    void everyPagedEndpointRefusesPageSizesOverItsMaximum() {
        String auditor = SecurityTokens.token("aud-limits", "auditor");
        String engine = SecurityTokens.token("engine-limits", "integration");
        String clinician = SecurityTokens.token("dr-limits", "clinician");
        for (String limit : List.of("1001", "1000000", "2147483647", "-1", "0")) {
            assertProblem(SecurityClient.get("/api/v1/audit/events?limit=" + limit, auditor), 400);
            assertProblem(SecurityClient.get("/api/v1/audit/checkpoints?limit=" + limit, auditor), 400);
            assertProblem(SecurityClient.get("/api/v1/treatments/changes?limit=" + limit, engine), 400);
            assertProblem(
                    SecurityClient.postJson(
                            "/api/v1/treatments/search",
                            clinician,
                            "{\"patient_id\":\"MRN-L\",\"limit\":" + limit + "}"),
                    400);
        }
    }

    /**
     * A page size that is not a number is refused too. The audit endpoints declare {@code limit} as an Integer, and
     * JAX-RS answers a query parameter it cannot convert with 404 (Jakarta REST 3.1, section 3.2), so those two say
     * 404 where the change feed and the search say 400; either way a problem, and nothing is read.
     */
    @Test
    void aPageSizeThatIsNotANumberIsRefused() {
        String auditor = SecurityTokens.token("aud-limits", "auditor");
        String engine = SecurityTokens.token("engine-limits", "integration");
        for (String limit : List.of("1e9", "abc", "99999999999999999999", "1.5")) {
            for (String path : List.of("/api/v1/audit/events", "/api/v1/audit/checkpoints")) {
                HttpResponse<String> r = SecurityClient.get(path + "?limit=" + limit, auditor);
                assertThat(r.statusCode()).as("%s?limit=%s", path, limit).isIn(400, 404);
                assertProblem(r, r.statusCode());
            }
            assertProblem(SecurityClient.get("/api/v1/treatments/changes?limit=" + limit, engine), 400);
            assertProblem(
                    SecurityClient.postJson(
                            "/api/v1/treatments/search",
                            SecurityTokens.token("dr-limits", "clinician"),
                            "{\"patient_id\":\"MRN-L\",\"limit\":\"" + limit + "\"}"),
                    400);
        }
    }

    /**
     * Requests without a token cost no log line: MP JWT would write an ERROR line (CWWKS5522E) for each, a free way to
     * fill the disk; logging.xml hides it (each rejection is audited, and aggregated under a flood, instead).
     */
    @Test
    void requestsWithoutATokenWriteNoErrorLineToTheServerLog() throws Exception {
        Path messages = Path.of(
                System.getProperty("it.wlp.home"),
                "usr",
                "servers",
                System.getProperty("it.server.name"),
                "logs",
                "messages.log");
        long before = errorLines(messages);
        for (int i = 0; i < 50; i++) {
            assertProblem(SecurityClient.get("/api/v1/audit/events", null), 401);
            assertProblem(SecurityClient.postJson("/api/v1/treatments", null, "{}"), 401);
        }
        Thread.sleep(500); // the log is written asynchronously
        assertThat(errorLines(messages)).isEqualTo(before);
    }

    private static long errorLines(Path messages) throws IOException {
        try (Stream<String> lines = Files.lines(messages, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.matches("^\\[[^\\]]+\\] \\S+ .* E [A-Z]{4,5}\\d{4}E.*"))
                    .count();
        }
    }

    /** An export range far past the head is bounded by what exists: a quick answer, not a scan of missing rows. */
    @Test
    void anExportRangePastTheHeadIsAnsweredQuickly() {
        long start = System.nanoTime();
        HttpResponse<String> r = SecurityClient.get(
                "/api/v1/audit/export?from_seq=1&to_seq=9223372036854775807",
                SecurityTokens.token("aud-limits", "auditor"));
        assertThat(r.statusCode()).isIn(200, 400);
        if (r.statusCode() == 400) {
            assertProblem(r, 400);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(15_000);
    }
}
