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
    /** PKCS#12 files of the client certificates (EC P-256, self-signed) and the server's client trust store. */
    static final String CLIENT_A = "client-a.p12";

    static final String CLIENT_B = "client-b.p12";
    static final String CLIENT_UNTRUSTED = "client-untrusted.p12";
    static final String CLIENT_TRUST = "client-trust.p12";
    static final String STORE_PASSWORD = "it-store-password";
    /** The production KEK keystore (AES-256 under alias treatment-kek) for the production test runs. */
    static final String KEK = "kek.p12";

    static final String KEK_PASSWORD = "it-kek-password";

    private TestKeys() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        // The production runs bootstrap a new installation, the maintenance run checks what its jobs did to its
        // own keys and database: their key directories and databases start empty.
        for (String ownInstallation : new String[] {"production", "maintenance", "flood"}) {
            Path installation = dir.resolve(ownInstallation);
            if (Files.exists(installation)) {
                try (var files = Files.walk(installation)) {
                    for (Path p :
                            files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("it-rsa").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("it-ec").generate();
        RSAKey other = new RSAKeyGenerator(2048).keyID("it-other").generate();
        Files.writeString(dir.resolve(RSA), rsa.toJSONString());
        Files.writeString(dir.resolve(EC), ec.toJSONString());
        Files.writeString(dir.resolve(OTHER_RSA), other.toJSONString());
        Files.writeString(
                dir.resolve("rsa-public.pem"), pem(rsa.toRSAPublicKey().getEncoded()));
        Files.writeString(dir.resolve("ec-public.pem"), pem(ec.toECPublicKey().getEncoded()));
        Files.writeString(
                dir.resolve("jwks.json"), new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        for (String client : List.of(CLIENT_A, CLIENT_B, CLIENT_UNTRUSTED)) {
            Files.deleteIfExists(dir.resolve(client));
            keytool(
                    dir,
                    "-genkeypair",
                    "-alias",
                    "client",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=" + client.replace(".p12", ""),
                    "-validity",
                    "3",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    client,
                    "-storepass",
                    STORE_PASSWORD,
                    "-keypass",
                    STORE_PASSWORD);
        }
        Files.deleteIfExists(dir.resolve(CLIENT_TRUST));
        for (String client : List.of(CLIENT_A, CLIENT_B)) {
            String pem = client.replace(".p12", ".pem");
            Files.deleteIfExists(dir.resolve(pem));
            keytool(
                    dir,
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "client",
                    "-keystore",
                    client,
                    "-storepass",
                    STORE_PASSWORD,
                    "-file",
                    pem);
            keytool(
                    dir,
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    client.replace(".p12", ""),
                    "-file",
                    pem,
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    CLIENT_TRUST,
                    "-storepass",
                    STORE_PASSWORD);
        }
        Files.deleteIfExists(dir.resolve(KEK));
        health.treatment.security.keys.Pkcs12KeyEncryptionKeySource.createKeystore(
                dir.resolve(KEK), health.treatment.security.Secret.of(KEK_PASSWORD), "treatment-kek");
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + out);
        }
    }

    /** An SSL context presenting {@code clientP12}'s certificate and trusting any server (tests only). */
    static javax.net.ssl.SSLContext clientCertificateContext(String clientP12) {
        try (var in = Files.newInputStream(dir().resolve(clientP12))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            javax.net.ssl.KeyManagerFactory kmf =
                    javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, STORE_PASSWORD.toCharArray());
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), Https.trustAllManagers(), new java.security.SecureRandom());
            return ctx;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8705 x5t#S256 of a client certificate: base64url(SHA-256(DER)). */
    static String thumbprint(String clientP12) {
        try (var in = Files.newInputStream(dir().resolve(clientP12))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            byte[] der = store.getCertificate("client").getEncoded();
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            java.security.MessageDigest.getInstance("SHA-256").digest(der));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
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
