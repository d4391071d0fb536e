package health.treatment.web.it;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;

/**
 * Test JWT keys, generated before the integration tests (exec-maven-plugin, pre-integration-test) into
 * {@code target/test-keys}: the test server verifies with the public halves (environment variables set by
 * failsafe), the tests sign with the private halves. Never committed, regenerated per build.
 */
public final class TestKeys {

    static final String RSA = "rsa.jwk.json";
    static final String EC = "ec.jwk.json";
    static final String OTHER_RSA = "other-rsa.jwk.json";

    private TestKeys() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("it-rsa").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("it-ec").generate();
        RSAKey other = new RSAKeyGenerator(2048).keyID("it-other").generate();
        Files.writeString(dir.resolve(RSA), rsa.toJSONString());
        Files.writeString(dir.resolve(EC), ec.toJSONString());
        Files.writeString(dir.resolve(OTHER_RSA), other.toJSONString());
        Files.writeString(dir.resolve("rsa-public.pem"), pem(rsa.toRSAPublicKey().getEncoded()));
        Files.writeString(dir.resolve("ec-public.pem"), pem(ec.toECPublicKey().getEncoded()));
        Files.writeString(dir.resolve("jwks.json"),
                new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    static Path dir() {
        return Path.of(System.getProperty("it.keys.dir", "target/test-keys"));
    }

    static RSAKey rsa() {
        return load(RSA).toRSAKey();
    }

    static RSAKey otherRsa() {
        return load(OTHER_RSA).toRSAKey();
    }

    static ECKey ec() {
        return load(EC).toECKey();
    }

    static String rsaPublicPem() {
        try {
            return Files.readString(dir().resolve("rsa-public.pem"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWK load(String name) {
        try {
            return JWK.parse(Files.readString(dir().resolve(name)));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("test keys missing: run through mvn verify", e);
        }
    }

}
