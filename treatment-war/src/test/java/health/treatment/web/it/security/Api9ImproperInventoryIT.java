package health.treatment.web.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.it.Https;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API9:2023, improper inventory management: every path the server answers 2xx on is in its OpenAPI document
 * (or in the short list of operational endpoints below), so nothing is served that the inventory does not show:
 * no forgotten version, no Liberty admin or token endpoint, no file of the WAR.
 */
@ExtendWith(ArquillianExtension.class)
class Api9ImproperInventoryIT {

    /**
     * Served by Liberty or the WAR outside the API, on purpose, and not in the OpenAPI document (which describes the
     * API). Each needs a reason; keep the list short.
     */
    static final Map<String, String> OPERATIONAL = Map.of(
            "/health", "MicroProfile Health, all checks: the load balancer's and orchestrator's probe (no data)",
            "/health/live", "MicroProfile Health liveness probe",
            "/health/ready", "MicroProfile Health readiness probe (the store circuit, trust configuration)",
            "/health/started", "MicroProfile Health startup probe",
            "/openapi", "the OpenAPI document itself (the inventory this test checks against)",
            "/openapi/ui/",
                    "Liberty's rendering of the OpenAPI document for people (static, no data, cannot be "
                            + "switched off in mpOpenAPI-4.1; its assets are under /openapi/ui/)",
            "/metrics", "Prometheus scrape endpoint of the WAR; role monitor only (TokenTrustIT)");

    /** Paths a scanner tries on a Liberty / MicroProfile / Java web server, and this API's own neighbours. */
    static final List<String> KNOWN_PATHS = List.of(
            "/",
            "/index.html",
            "/index.jsp",
            "/favicon.ico",
            "/robots.txt",
            "/META-INF/MANIFEST.MF",
            "/WEB-INF/web.xml",
            "/WEB-INF/ibm-web-ext.xml",
            "/WEB-INF/classes/META-INF/microprofile-config.properties",
            "/WEB-INF/lib/",
            "/health",
            "/health/",
            "/health/live",
            "/health/ready",
            "/health/started",
            "/health/liveness",
            "/health/readiness",
            "/metrics",
            "/metrics/",
            "/metrics/base",
            "/metrics/vendor",
            "/metrics/application",
            "/openapi",
            "/openapi/",
            "/openapi/ui",
            "/openapi/ui/",
            "/openapi/ui/index.html",
            "/openapi/platform",
            "/ibm/api/",
            "/ibm/api/docs",
            "/ibm/api/explorer",
            "/ibm/api/config",
            "/ibm/api/validation",
            "/ibm/adminCenter/",
            "/adminCenter/",
            "/IBMJMXConnectorREST",
            "/IBMJMXConnectorREST/mbeans",
            "/jwt",
            "/jwt/",
            "/jwt/ibm/api/defaultJWT/jwk",
            "/jwt/ibm/api/defaultJWT/token",
            "/jwt/ibm/api/defaultJwtSso/jwk",
            "/oidc/endpoint/OP/.well-known",
            "/.well-known/openid-configuration",
            "/.well-known/jwks.json",
            "/jwks",
            "/api",
            "/api/",
            "/api/v1",
            "/api/v1/",
            "/api/v0/treatments",
            "/api/v2/treatments",
            "/api/v1/treatments",
            "/api/v1/treatment",
            "/api/v1/records",
            "/api/v1/patients",
            "/api/v1/patients/erasure",
            "/api/v1/admin",
            "/api/v1/debug",
            "/api/v1/config",
            "/api/v1/health",
            "/api/v1/metrics",
            "/api/v1/openapi",
            "/api/v1/audit",
            "/treatment/api/v1/treatments",
            "/_problem",
            "/_not_found",
            "/console",
            "/status",
            "/server-status",
            "/actuator",
            "/actuator/health",
            "/swagger-ui.html",
            "/swagger-ui/",
            "/v3/api-docs",
            "/openapi.json",
            "/openapi.yaml",
            "/application.wadl",
            "/api/application.wadl",
            "/.git/config",
            "/.env");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    private static JsonObject openApi() {
        HttpResponse<String> r = SecurityClient.send(SecurityClient.request("/openapi", null)
                .header("Accept", "application/json")
                .GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    /** The documented templates as patterns of real paths ({@code {id}} matches one segment). */
    private static Map<String, Pattern> templates(JsonObject doc) {
        Map<String, Pattern> patterns = new java.util.LinkedHashMap<>();
        for (String template : doc.getJsonObject("paths").keySet()) {
            patterns.put(template, Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q")));
        }
        return patterns;
    }

    /**
     * The resource a path names, as the server resolves it: without the query, without path parameters
     * ({@code ;jsessionid=x}, which JAX-RS and the container ignore when matching) and without a trailing slash. So
     * {@code /api/v1/audit/events/} is the documented {@code /api/v1/audit/events}, not another endpoint.
     */
    static String resource(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        p = p.replaceAll(";[^/]*", "");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static boolean documentedGet(JsonObject doc, Map<String, Pattern> templates, String path) {
        String p = resource(path);
        return templates.entrySet().stream()
                .anyMatch(t -> t.getValue().matcher(p).matches()
                        && doc.getJsonObject("paths").getJsonObject(t.getKey()).containsKey("get"));
    }

    private static boolean operational(String path) {
        return OPERATIONAL.containsKey(path)
                || OPERATIONAL.containsKey(resource(path))
                || path.startsWith("/openapi/ui/");
    }

    @Test
    void everyPathAnswered2xxIsDocumentedOrAnOperationalEndpoint() {
        JsonObject doc = openApi();
        Map<String, Pattern> templates = templates(doc);
        Set<String> candidates = new LinkedHashSet<>(KNOWN_PATHS);
        for (String template : doc.getJsonObject("paths").keySet()) {
            String path = template.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            candidates.add(path);
            candidates.add(path + "/"); // a trailing slash must not open another door
            candidates.add(path + ".json");
            candidates.add(path + ";jsessionid=x");
        }
        Map<String, String> callers = new java.util.LinkedHashMap<>();
        callers.put("no token", null);
        callers.put("device", SecurityTokens.token("DX2020", "device"));
        callers.put("auditor", SecurityTokens.token("aud-inventory", "auditor"));
        callers.put("clinician", SecurityTokens.token("dr-inventory", "clinician"));
        callers.put(
                "every role",
                SecurityTokens.token(
                        "all-inventory",
                        "device",
                        "gateway",
                        "clinician",
                        "auditor",
                        "integration",
                        "privacy-officer",
                        "monitor"));

        List<String> undocumented = new ArrayList<>();
        int served = 0;
        for (String path : candidates) {
            for (Map.Entry<String, String> caller : callers.entrySet()) {
                HttpResponse<String> r = SecurityClient.get(path, caller.getValue());
                assertThat(r.statusCode())
                        .as("GET %s as %s", path, caller.getKey())
                        .isLessThan(500);
                if (r.statusCode() / 100 == 2) {
                    served++;
                    if (!documentedGet(doc, templates, path) && !operational(path)) {
                        undocumented.add("GET " + path + " as " + caller.getKey() + " -> " + r.statusCode());
                    }
                }
            }
        }
        assertThat(undocumented)
                .as("2xx answers on paths the OpenAPI document does not list")
                .isEmpty();
        assertThat(served).as("the probe reached the server's real endpoints").isGreaterThan(10);
    }

    /** The operational endpoints are what the allow-list says: the health probes and the document answer 2xx. */
    @Test
    void theOperationalEndpointsAnswerAsListed() {
        for (String path :
                List.of("/health", "/health/live", "/health/ready", "/health/started", "/openapi", "/openapi/ui/")) {
            assertThat(SecurityClient.get(path, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(SecurityClient.get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(SecurityClient.get("/metrics", SecurityTokens.token("prom-inv", "monitor"))
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * The JWT feature that mpJwt-2.1 pulls in serves a JWK endpoint and a token endpoint under /jwt. Neither may
     * serve: the token endpoint minted a token signed with a key of the server's default (TLS) keystore for any
     * caller with a valid bearer token, the JWK endpoint published that key (liberty/configDropins/defaults/jwt.xml).
     */
    @Test
    void libertysJwtEndpointsNeitherMintTokensNorPublishKeys() throws Exception {
        String[] tokens = {null, SecurityTokens.token("DX2020", "device"), SecurityTokens.token("aud-1", "auditor")};
        for (String token : tokens) {
            for (String method : List.of("GET", "POST")) {
                Https.RawResponse mint = SecurityClient.raw(method, "/jwt/ibm/api/defaultJWT/token", token);
                assertThat(mint.status()).as("%s token endpoint", method).isBetween(400, 499);
                assertThat(mint.body()).doesNotContain("token").doesNotContain("eyJ");
                ProblemChecks.assertNothingInternal(mint.headers(), mint.body());
                Https.RawResponse jwk = SecurityClient.raw(method, "/jwt/ibm/api/defaultJWT/jwk", token);
                assertThat(jwk.status()).as("%s JWK endpoint", method).isBetween(400, 499);
                assertThat(jwk.body()).doesNotContain("\"kty\"").doesNotContain("\"keys\"");
                ProblemChecks.assertNothingInternal(jwk.headers(), jwk.body());
            }
        }
    }

    /** The document lists only the current version, and every documented operation has a security requirement. */
    @Test
    void theDocumentListsOneVersionAndEveryOperationIsSecured() {
        JsonObject doc = openApi();
        for (String template : doc.getJsonObject("paths").keySet()) {
            assertThat(template).startsWith("/api/v1/");
            JsonObject item = doc.getJsonObject("paths").getJsonObject(template);
            for (String method : item.keySet()) {
                if (List.of("get", "post", "put", "delete", "patch", "head", "options")
                        .contains(method)) {
                    assertThat(item.getJsonObject(method).containsKey("security") || doc.containsKey("security"))
                            .as("%s %s has a security requirement", method, template)
                            .isTrue();
                }
            }
        }
    }
}
