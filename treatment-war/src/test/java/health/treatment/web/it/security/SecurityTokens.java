package health.treatment.web.it.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Tokens for the security regression suite, signed with the key pairs TestKeys writes before the tests
 * ({@code it.keys.dir}): the server trusts {@code rsa.jwk.json}'s public half, issuer {@link #ISSUER} and
 * audience {@link #AUDIENCE} (the WAR POM's failsafe environment).
 */
final class SecurityTokens {

    static final String ISSUER = "https://treatment.local/it";
    static final String AUDIENCE = System.getProperty("it.jwt.audience", "treatment-ingest");

    private SecurityTokens() {}

    static Path keysDir() {
        return Path.of(System.getProperty("it.keys.dir", "target/test-keys"));
    }

    /** The key the server trusts. */
    static RSAKey trusted() {
        return load("rsa.jwk.json");
    }

    /** A key the server has never seen. */
    static RSAKey untrusted() {
        return load("other-rsa.jwk.json");
    }

    static String trustedPublicPem() {
        try {
            return Files.readString(keysDir().resolve("rsa-public.pem"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RSAKey load(String name) {
        try {
            return RSAKey.parse(Files.readString(keysDir().resolve(name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid claims: issuer, audience, subject (also upn), groups, a fresh jti, issued now, valid ten minutes. */
    static JWTClaimsSet.Builder claims(String sub, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(sub)
                .claim("upn", sub)
                .claim("groups", List.of(groups))
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    }

    /** A valid token for the subject and roles. */
    static String token(String sub, String... groups) {
        return sign(claims(sub, groups).build());
    }

    static String sign(JWTClaimsSet claims) {
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(JOSEObjectType.JWT)
                        .keyID(trusted().getKeyID())
                        .build(),
                claims,
                trusted());
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with a hand-written header and payload and the given signature part (no signing). */
    static String unsigned(String headerJson, String payloadJson, String signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }
}
