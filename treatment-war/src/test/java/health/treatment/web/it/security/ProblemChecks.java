package health.treatment.web.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.it.Https;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every error answer must be (DESIGN section 6, issue 11 item 3): RFC 9457 application/problem+json of this
 * service's vocabulary, HSTS and nosniff, and nothing of the product or its internals in any header or the body.
 */
final class ProblemChecks {

    /** Product names, message ids, packages, stack traces, HTML. */
    static final List<String> INTERNALS = List.of(
            "liberty",
            "websphere",
            "ibm",
            "srve",
            "cwwk",
            "cwwwc",
            "exception",
            "java.",
            "jakarta.",
            "org.",
            "com.",
            "\tat ",
            "<html",
            "<h1");

    private ProblemChecks() {}

    static JsonObject assertProblem(HttpResponse<String> r, int status) {
        return assertProblem(r.statusCode(), r.headers().map(), r.body(), status);
    }

    static JsonObject assertProblem(Https.RawResponse r, int status) {
        return assertProblem(r.status(), r.headers(), r.body(), status);
    }

    private static JsonObject assertProblem(int actual, Map<String, List<String>> headers, String body, int status) {
        assertThat(actual).as("status").isEqualTo(status);
        assertThat(first(headers, "content-type")).as("content type").startsWith("application/problem+json");
        JsonObject problem = Json.createReader(new StringReader(body)).readObject();
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("type")).startsWith("https://treatment.local/problems/");
        assertThat(problem.getString("title")).isNotBlank();
        assertNothingInternal(headers, body);
        return problem;
    }

    static void assertNothingInternal(HttpResponse<String> r) {
        assertNothingInternal(r.headers().map(), r.body());
    }

    /** HSTS, nosniff, no product-identifying header, nothing internal in a header value or the body. */
    static void assertNothingInternal(Map<String, List<String>> headers, String body) {
        assertSecurityHeaders(headers);
        headers.forEach((name, values) -> values.forEach(v -> {
            String value = v.toLowerCase(Locale.ROOT);
            for (String s : List.of("exception", "liberty", "websphere", "java.", "srve", "cwwk", "cwwwc")) {
                assertThat(value).as("header %s", name).doesNotContain(s);
            }
        }));
        String lower = body.toLowerCase(Locale.ROOT);
        for (String s : INTERNALS) {
            assertThat(lower).as("body must not contain %s", s).doesNotContain(s);
        }
    }

    static void assertSecurityHeaders(Map<String, List<String>> headers) {
        assertThat(first(headers, "strict-transport-security"))
                .as("HSTS")
                .isEqualTo("max-age=31536000; includeSubDomains");
        assertThat(first(headers, "x-content-type-options")).as("nosniff").isEqualTo("nosniff");
        assertThat(headers.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)))
                .doesNotContain("server", "x-powered-by", "content-language")
                .noneSatisfy(n -> assertThat(n).startsWith("$"))
                .noneSatisfy(n -> assertThat(n).contains("exception"));
    }

    static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst()
                .orElse("");
    }
}
