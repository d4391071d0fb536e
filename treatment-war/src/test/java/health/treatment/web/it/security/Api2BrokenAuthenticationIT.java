package health.treatment.web.it.security;

import static health.treatment.web.it.security.ProblemChecks.assertProblem;
import static health.treatment.web.it.security.SecurityDeployment.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OWASP API2:2023, broken authentication: only a token signed by the trusted key, for this issuer and audience,
 * inside its validity window, presented as a bearer header, authenticates, on every endpoint. SecurityIT covers
 * expired, wrong issuer, wrong audience, wrong key, {@code alg: none} and HS256-with-the-public-key on submit and
 * audit; TokenTrustIT the subject, the maximum age and certificate binding. Here: the remaining claims and header
 * tricks, and every bad token on every endpoint.
 */
@ExtendWith(ArquillianExtension.class)
class Api2BrokenAuthenticationIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return SecurityDeployment.war();
    }

    /** Every authenticated route, with a request a caller of the right role could make. */
    record Endpoint(String method, String path, String body) {

        HttpResponse<String> call(String token) {
            HttpRequest.Builder b = SecurityClient.request(path, token);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return SecurityClient.send(b.build());
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/treatments", record("MRN-AUTH", "DX2020")),
            new Endpoint("POST", "/api/v1/treatments/batch", "[" + record("MRN-AUTH", "DX2020") + "]"),
            new Endpoint("POST", "/api/v1/treatments/search", "{\"patient_id\":\"MRN-AUTH\"}"),
            new Endpoint("GET", "/api/v1/treatments/changes", null),
            new Endpoint("GET", "/api/v1/treatments/0190f6d2-0000-7000-8000-000000000000", null),
            new Endpoint("POST", "/api/v1/patients/erasure", "{\"patient_id\":\"MRN-AUTH\"}"),
            new Endpoint("GET", "/api/v1/audit/events", null),
            new Endpoint("GET", "/api/v1/audit/verify", null),
            new Endpoint("GET", "/api/v1/audit/export", null),
            new Endpoint("GET", "/api/v1/audit/checkpoints", null),
            new Endpoint("GET", "/api/v1/audit/checkpoints/latest", null),
            new Endpoint("GET", "/api/v1/audit/signing-keys", null),
            new Endpoint("GET", "/metrics", null));

    /** Bad tokens that each carry every role, so only authentication can be the reason for the refusal. */
    static Stream<Arguments> badTokens() {
        String[] all = {"device", "gateway", "clinician", "auditor", "integration", "privacy-officer", "monitor"};
        Instant now = Instant.now();
        Function<JWTClaimsSet.Builder, String> signed = c -> SecurityTokens.sign(c.build());
        return Stream.of(
                Arguments.of(
                        "not yet valid (nbf in an hour)",
                        signed.apply(SecurityTokens.claims("DX2020", all)
                                .notBeforeTime(Date.from(now.plus(Duration.ofHours(1)))))),
                Arguments.of(
                        "issued in an hour",
                        signed.apply(SecurityTokens.claims("DX2020", all)
                                .issueTime(Date.from(now.plus(Duration.ofHours(1))))
                                .expirationTime(Date.from(now.plus(Duration.ofHours(2)))))),
                Arguments.of(
                        "no exp",
                        signed.apply(SecurityTokens.claims("DX2020", all).expirationTime(null))),
                Arguments.of(
                        "expired",
                        signed.apply(SecurityTokens.claims("DX2020", all)
                                .issueTime(Date.from(now.minus(Duration.ofHours(2))))
                                .expirationTime(Date.from(now.minus(Duration.ofHours(1)))))),
                Arguments.of(
                        "no issuer",
                        signed.apply(SecurityTokens.claims("DX2020", all).issuer(null))),
                Arguments.of(
                        "no audience",
                        signed.apply(SecurityTokens.claims("DX2020", all).audience((String) null))),
                Arguments.of(
                        "wrong audience",
                        signed.apply(SecurityTokens.claims("DX2020", all).audience("other"))),
                Arguments.of(
                        "wrong key",
                        SecurityTokens.sign(
                                header().build(),
                                SecurityTokens.claims("DX2020", all).build(),
                                SecurityTokens.untrusted())),
                Arguments.of(
                        "wrong key with its public key embedded (jwk header)",
                        SecurityTokens.sign(
                                header().jwk(SecurityTokens.untrusted().toPublicJWK())
                                        .build(),
                                SecurityTokens.claims("DX2020", all).build(),
                                SecurityTokens.untrusted())),
                Arguments.of(
                        "wrong key, kid path traversal",
                        SecurityTokens.sign(
                                new JWSHeader.Builder(JWSAlgorithm.RS256)
                                        .keyID("../../../../dev/null")
                                        .build(),
                                SecurityTokens.claims("DX2020", all).build(),
                                SecurityTokens.untrusted())),
                Arguments.of(
                        "alg none",
                        SecurityTokens.unsigned(
                                "{\"alg\":\"none\",\"typ\":\"JWT\"}",
                                SecurityTokens.claims("DX2020", all).build().toString(),
                                "")),
                Arguments.of("alg None, signature kept", noneWithSignatureKept(all)),
                Arguments.of("HS256 with the public key as secret", hs256WithPublicKey(all)),
                Arguments.of("signature stripped", stripSignature(SecurityTokens.token("DX2020", all))),
                Arguments.of("payload swapped under a valid signature", swapPayload(all)),
                Arguments.of("garbage", "eyJhbGciOiJSUzI1NiJ9.e30.AAAA"));
    }

    private static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
    }

    private static String hs256WithPublicKey(String... groups) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    SecurityTokens.claims("DX2020", groups).build());
            jwt.sign(new MACSigner(SecurityTokens.trustedPublicPem().getBytes(StandardCharsets.US_ASCII)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String noneWithSignatureKept(String... groups) {
        String valid = SecurityTokens.token("DX2020", groups);
        String[] parts = valid.split("\\.");
        String none = SecurityTokens.unsigned("{\"alg\":\"None\"}", "{}", "").split("\\.")[0];
        return none + "." + parts[1] + "." + parts[2];
    }

    private static String stripSignature(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1);
    }

    /** A valid token's signature under another payload that gives the subject every role. */
    private static String swapPayload(String... groups) {
        String[] valid = SecurityTokens.token("DX2020", "device").split("\\.");
        String[] forged = SecurityTokens.token("DX2020", groups).split("\\.");
        return valid[0] + "." + forged[1] + "." + valid[2];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIs401OnEveryEndpoint(String name, String token) {
        for (Endpoint e : ENDPOINTS) {
            HttpResponse<String> r = e.call(token);
            assertThat(r.statusCode())
                    .as("%s %s with %s", e.method(), e.path(), name)
                    .isEqualTo(401);
            assertProblem(r, 401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(r.body()).doesNotContain(token).doesNotContain("MRN-AUTH");
        }
    }

    /** The credential is read from the Authorization header: not from a query parameter, a cookie or another header. */
    @Test
    void aValidTokenOutsideTheAuthorizationHeaderAuthenticatesNothing() {
        String token = SecurityTokens.token("aud-1", "auditor");
        assertProblem(SecurityClient.get("/api/v1/audit/verify?access_token=" + token, null), 401);
        assertProblem(
                SecurityClient.send(SecurityClient.request("/api/v1/audit/verify", null)
                        .header("Cookie", "Bearer=" + token)
                        .GET()
                        .build()),
                401);
        assertProblem(
                SecurityClient.send(SecurityClient.request("/api/v1/audit/verify", null)
                        .header("Cookie", "access_token=" + token)
                        .GET()
                        .build()),
                401);
        assertProblem(
                SecurityClient.send(SecurityClient.request("/api/v1/audit/verify", null)
                        .header("X-Access-Token", token)
                        .GET()
                        .build()),
                401);
        assertThat(SecurityClient.get("/api/v1/audit/verify", token).statusCode())
                .isEqualTo(200);
    }

    /**
     * Liberty's MP JWT also takes a token from an {@code access_token} member of a POST body of type exactly
     * {@code application/x-www-form-urlencoded} (RFC 6750 section 2.2; {@code TAIRequestHelper.getBearerTokenFromParameter},
     * not configurable). No resource of this API consumes a form, so such a request authenticates but is never
     * served: 415 on every POST route, before any resource or filter runs. An invalid token there is a 401.
     */
    @Test
    void aTokenInAFormBodyNeverReachesAResource() {
        String[] roles = {"device", "gateway", "clinician", "auditor", "integration", "privacy-officer"};
        for (String path : List.of(
                "/api/v1/treatments",
                "/api/v1/treatments/batch",
                "/api/v1/treatments/search",
                "/api/v1/patients/erasure",
                "/api/v1/audit/verify")) {
            for (String token : List.of(
                    SecurityTokens.token("DX2020", roles),
                    SecurityTokens.sign(
                            header().build(),
                            SecurityTokens.claims("DX2020", roles).build(),
                            SecurityTokens.untrusted()))) {
                HttpResponse<String> r = SecurityClient.send(SecurityClient.request(path, null)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("access_token=" + token + "&patient_id=MRN-AUTH"))
                        .build());
                assertThat(r.statusCode()).as("form POST to %s", path).isIn(401, 415);
                assertProblem(r, r.statusCode());
                assertThat(r.body()).doesNotContain("MRN-AUTH");
            }
        }
    }

    /** Other schemes in the Authorization header: Basic credentials (no user registry answers them), Digest, empty. */
    @Test
    void otherAuthorizationSchemesAre401WithABearerChallenge() {
        for (String value : List.of(
                "Basic YWRtaW46YWRtaW4=",
                "Digest username=\"admin\"",
                "Bearer",
                "Bearer ",
                "Token " + SecurityTokens.token("aud-1", "auditor"),
                "")) {
            HttpResponse<String> r = SecurityClient.send(SecurityClient.request("/api/v1/audit/verify", null)
                    .header("Authorization", value)
                    .GET()
                    .build());
            assertProblem(r, 401);
            assertThat(r.headers().allValues("WWW-Authenticate"))
                    .noneSatisfy(v -> assertThat(v).startsWith("Basic"));
        }
    }

    /** A token of about 16 KiB (a huge groups claim) is refused or served, never a server error. */
    @Test
    void anOversizedTokenIsRefusedWithoutAServerError() {
        String[] groups = Stream.concat(
                        Stream.of("auditor"),
                        Stream.generate(() -> "g".repeat(60)).limit(200))
                .toArray(String[]::new);
        HttpResponse<String> r = SecurityClient.get("/api/v1/audit/verify", SecurityTokens.token("aud-1", groups));
        assertThat(r.statusCode()).isLessThan(500);
        if (r.statusCode() != 200) {
            assertProblem(r, r.statusCode());
        }
    }
}
