package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.Locale;

/** Assertions every error response must pass: RFC 9457 body, security headers, nothing internal. */
final class ProblemAssert {

    /** Strings that would reveal the product, its internals or a stack trace. */
    static final String[] INTERNALS = {
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
        "io.openliberty",
        "\tat ",
        "stack",
        "<html",
        "error 40",
        "error 50"
    };

    private ProblemAssert() {}

    static JsonObject assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as("status").isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .as("content type")
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("type")).startsWith("https://treatment.local/problems/");
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getString("detail")).isNotBlank();
        assertNothingInternal(r);
        if (status == 401) {
            assertThat(r.headers().allValues("WWW-Authenticate"))
                    .as("WWW-Authenticate")
                    .anySatisfy(v -> assertThat(v).startsWith("Bearer"));
        }
        return body;
    }

    /**
     * A request without a token to a protected path (every {@code /api} path, and {@code /metrics}): a 401 problem with
     * a Bearer challenge, on every server. The WAR refuses it itself (CallerRequiredFilter), not a container
     * constraint, because Payara Micro ends a constrained request without a token with an empty 200.
     */
    static void assertRefusedWithoutToken(HttpResponse<String> r) {
        assertProblem(r, 401);
    }

    /**
     * The fixed text the web container writes, for every status, for Liberty's own applications (/health,
     * /openapi/ui), which have no error pages (liberty/configDropins/defaults/hardening.xml): a problem without a
     * "status" member, because the same text serves every status.
     */
    static final String FALLBACK_TYPE = "https://treatment.local/problems/not-served";

    static JsonObject assertFallbackProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as("status").isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .as("content type")
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        assertThat(body.getString("type")).isEqualTo(FALLBACK_TYPE);
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(body.containsKey("status"))
                .as("a status member that could disagree with the response")
                .isFalse();
        assertNothingInternal(r);
        return body;
    }

    /** {@link #assertProblem} for a response read off the wire ({@link Https#rawResponse}). */
    static JsonObject assertProblem(Https.RawResponse r, int status) {
        assertThat(r.status()).as("status").isEqualTo(status);
        assertThat(r.header("Content-Type"))
                .as("content type")
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("type")).startsWith("https://treatment.local/problems/");
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getString("detail")).isNotBlank();
        assertNothingInternal(r);
        return body;
    }

    /** Security headers present, nothing internal in any header or the body, of a response read off the wire. */
    static void assertNothingInternal(Https.RawResponse r) {
        assertThat(r.header("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
        assertThat(r.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().keySet())
                .doesNotContain("x-powered-by", "server", "content-language")
                .noneSatisfy(name -> assertThat(name).startsWith("$"))
                .noneSatisfy(name -> assertThat(name).contains("exception"));
        r.headers()
                .forEach((name, values) -> values.forEach(v -> assertThat(v.toLowerCase(Locale.ROOT))
                        .as("header %s", name)
                        .doesNotContain("exception")
                        .doesNotContain("liberty")
                        .doesNotContain("java.")));
        String body = r.body().toLowerCase(Locale.ROOT);
        for (String s : INTERNALS) {
            assertThat(body).as("body must not contain %s", s).doesNotContain(s);
        }
    }

    static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(r.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(r.headers().firstValue("Content-Language")).isEmpty();
        assertThat(r.headers().firstValue("Server")).isEmpty();
        assertThat(r.headers().map().keySet())
                .noneSatisfy(name -> assertThat(name).startsWith("$"));
    }

    static void assertNothingInternal(HttpResponse<String> r) {
        assertSecurityHeaders(r);
        String body = r.body().toLowerCase(Locale.ROOT);
        for (String s : INTERNALS) {
            assertThat(body).as("body must not contain %s", s).doesNotContain(s);
        }
        r.headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            assertThat(n)
                    .doesNotContain("exception")
                    .doesNotContain("openliberty")
                    .doesNotContain("ibm");
            for (String v : values) {
                String lv = v.toLowerCase(Locale.ROOT);
                assertThat(lv)
                        .as("header %s", name)
                        .doesNotContain("exception")
                        .doesNotContain("liberty")
                        .doesNotContain("java.");
            }
        });
    }
}
