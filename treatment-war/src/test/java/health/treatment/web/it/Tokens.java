package health.treatment.web.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Mints test tokens, good and bad, with the keys from {@link TestKeys}. */
final class Tokens {

    static final String ISSUER = "https://treatment.local/it";
    /** The server's MP_JWT_VERIFY_AUDIENCES (the production runs use their own: see the WAR POM). */
    static final String AUDIENCE = System.getProperty("it.jwt.audience", "treatment-ingest");

    private Tokens() {}

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

    /** A valid RS256 token for the subject and groups. */
    static String rs256(String sub, String... groups) {
        return rs256(claims(sub, groups).build(), TestKeys.rsa());
    }

    static String rs256(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .type(JOSEObjectType.JWT)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(String sub, String... groups) {
        ECKey key = TestKeys.ec();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES256)
                            .type(JOSEObjectType.JWT)
                            .keyID(key.getKeyID())
                            .build(),
                    claims(sub, groups).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String expired(String sub, String... groups) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return rs256(
                claims(sub, groups)
                        .issueTime(Date.from(past.minus(Duration.ofMinutes(10))))
                        .expirationTime(Date.from(past))
                        .build(),
                TestKeys.rsa());
    }

    static String wrongIssuer(String sub, String... groups) {
        return rs256(claims(sub, groups).issuer("https://attacker.example/").build(), TestKeys.rsa());
    }

    static String wrongAudience(String sub, String... groups) {
        return rs256(claims(sub, groups).audience("some-other-service").build(), TestKeys.rsa());
    }

    static String wrongKey(String sub, String... groups) {
        return rs256(claims(sub, groups).build(), TestKeys.otherRsa());
    }

    /** Unsigned token ({@code alg: none}) with otherwise valid claims. */
    static String algNone(String sub, String... groups) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload =
                b64.encodeToString(claims(sub, groups).build().toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    /** The classic key-confusion attack: HS256 with the server's RSA public key (PEM text) as the secret. */
    static String hs256WithPublicKey(String sub, String... groups) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims(sub, groups).build());
            jwt.sign(new MACSigner(TestKeys.rsaPublicPem().getBytes(StandardCharsets.US_ASCII)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
