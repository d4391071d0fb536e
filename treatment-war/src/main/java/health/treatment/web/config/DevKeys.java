package health.treatment.web.config;

import health.treatment.security.keys.PrivateFiles;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Development JWT keys for the embedded default: when {@code mp.jwt.verify.publickey.location} still points at
 * {@code <data dir>/dev-keys/public.pem} (the default in microprofile-config.properties, see ServerDirectories) and the file
 * does not exist, an RSA 2048 key pair is generated there at start-up, outside the repository, with a loud
 * warning. {@code treatment-war/dev/DevToken.java} signs tokens with the private half. A deployment that sets
 * the location to anything else never generates keys, and production ({@code treatment.deployment=production})
 * never does: there {@link JwtTrust} refuses the development location altogether.
 */
public class DevKeys implements ServletContextListener {

    public static final String LOCATION_KEY = "mp.jwt.verify.publickey.location";
    static final String DIR = "dev-keys";
    static final String PUBLIC = "public.pem";
    static final String PRIVATE = "private.pem";

    private static final Logger LOG = LogManager.getLogger(DevKeys.class);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        var config = ConfigProvider.getConfig();
        Optional<String> location = config.getOptionalValue(LOCATION_KEY, String.class);
        Optional<Path> devPublicKey = developmentPublicKey();
        boolean production = SecurityProducer.isProduction(
                config.getOptionalValue("treatment.deployment", String.class).orElse("development"));
        if (production || devPublicKey.isEmpty() || location.isEmpty()) {
            return;
        }
        Path publicPem = devPublicKey.get();
        Path dir = publicPem.getParent();
        if (!isDevLocation(location.get(), publicPem) || Files.exists(publicPem)) {
            return;
        }
        try {
            generate(dir);
            String warning = "DEVELOPMENT JWT KEYS GENERATED in " + dir + " - tokens signed with "
                    + dir.resolve(PRIVATE) + " are accepted. NEVER use this in production: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION, MP_JWT_VERIFY_ISSUER and MP_JWT_VERIFY_AUDIENCES.";
            LOG.warn("**************************************************************");
            LOG.warn(warning);
            LOG.warn("**************************************************************");
        } catch (IOException | GeneralSecurityException e) {
            LOG.error(
                    "could not generate development JWT keys: {}", e.getClass().getName());
        }
    }

    /** Where development mode keeps its generated public key: {@code <data dir>/dev-keys/public.pem}. */
    static Optional<Path> developmentPublicKey() {
        return Optional.of(ServerDirectories.dataDir().resolve(DIR).resolve(PUBLIC));
    }

    /** True when the configured location names the generated development public key. */
    static boolean isDevLocation(String location, Path publicPem) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        while (path.startsWith("//")) {
            path = path.substring(1);
        }
        try {
            return Path.of(path).toAbsolutePath().normalize().equals(publicPem);
        } catch (RuntimeException invalidPath) {
            return false;
        }
    }

    /** Writes an RSA 2048 key pair as PEM: private.pem (PKCS#8, owner-only) and public.pem (SPKI). */
    static void generate(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        PrivateFiles.writePrivately(
                dir.resolve(PRIVATE),
                pem("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
        // Public key last: its presence means the pair is complete.
        Files.writeString(
                dir.resolve(PUBLIC), pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
