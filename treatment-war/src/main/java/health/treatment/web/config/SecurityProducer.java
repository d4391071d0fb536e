package health.treatment.web.config;

import health.treatment.security.DeploymentMode;
import health.treatment.security.KeyRingException;
import health.treatment.security.PhiProtection;
import health.treatment.security.Secret;
import health.treatment.security.SecurityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens the PHI key ring from MicroProfile Config.
 *
 * <ul>
 *   <li>{@code treatment.deployment} ({@code TREATMENT_DEPLOYMENT}): {@code development} (default) or
 *       {@code production}. Development creates a key ring under the server's output directory on first start,
 *       with a loud warning; production refuses to and needs the KEK settings below.</li>
 *   <li>{@code treatment.keys.dir}: where the encrypted keysets live (default {@code <data dir>/keys}, see ServerDirectories).</li>
 *   <li>{@code treatment.keys.kek.keystore}, {@code treatment.keys.kek.password}, {@code treatment.keys.kek.alias}:
 *       the PKCS#12 keystore holding the key-encryption key (production).</li>
 *   <li>{@code treatment.keys.bootstrap} ({@code TREATMENT_KEYS_BOOTSTRAP}, default false): production's one explicit
 *       provisioning step. Set for the first start of a new installation only: it creates the PHI, blind-index and
 *       pseudonym keysets and the audit signing key under the KEK and logs their key ids; when a key ring exists
 *       already the server refuses to start until the flag is removed (an existing ring is never replaced).</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityProducer {

    @Inject
    @ConfigProperty(name = "treatment.deployment", defaultValue = "development")
    String deployment;

    @Inject
    @ConfigProperty(name = "treatment.keys.dir")
    Optional<String> keyDir;

    @Inject
    @ConfigProperty(name = "treatment.keys.kek.keystore")
    Optional<String> kekKeystore;

    @Inject
    @ConfigProperty(name = "treatment.keys.kek.password")
    Optional<String> kekPassword;

    @Inject
    @ConfigProperty(name = "treatment.keys.kek.alias", defaultValue = "treatment-kek")
    String kekAlias;

    @Inject
    @ConfigProperty(name = "treatment.keys.bootstrap", defaultValue = "false")
    boolean bootstrap;

    @Produces
    @Singleton // the library facades are final classes: no client proxy, one shared instance
    PhiProtection phiProtection() {
        SecurityConfig config = config();
        if (bootstrap && config.mode() == DeploymentMode.PRODUCTION) {
            try {
                return PhiProtection.bootstrap(config);
            } catch (KeyRingException refused) {
                throw new KeyRingException(
                        refused.getMessage()
                                + ": remove treatment.keys.bootstrap (TREATMENT_KEYS_BOOTSTRAP) and start again",
                        refused);
            }
        }
        try {
            return PhiProtection.open(config);
        } catch (KeyRingException e) {
            if (config.mode() == DeploymentMode.PRODUCTION && e.getMessage().startsWith("no key ring")) {
                throw new KeyRingException(
                        e.getMessage() + ": provision a new installation once with " + "TREATMENT_KEYS_BOOTSTRAP=true",
                        e);
            }
            throw e;
        }
    }

    /** Whether this start provisions a new production installation ({@code treatment.keys.bootstrap}). */
    public boolean bootstrapping() {
        return bootstrap && deploymentMode(deployment) == DeploymentMode.PRODUCTION;
    }

    SecurityConfig config() {
        DeploymentMode mode = deploymentMode(deployment);
        Path keys = ServerDirectories.resolve(keyDir.orElse(null), "keys");
        if (mode == DeploymentMode.DEVELOPMENT) {
            return SecurityConfig.development(keys, mode);
        }
        Path keystore = Path.of(kekKeystore.orElseThrow(() -> new IllegalStateException(
                "treatment.keys.kek.keystore (TREATMENT_KEYS_KEK_KEYSTORE) is required in production")));
        Secret password = Secret.of(kekPassword.orElseThrow(() -> new IllegalStateException(
                "treatment.keys.kek.password (TREATMENT_KEYS_KEK_PASSWORD) is required in production")));
        return SecurityConfig.production(keys, keystore, password, kekAlias);
    }

    /**
     * Whether {@code treatment.deployment} asks for production. Fails closed: anything but {@code development}
     * (which {@link #deploymentMode} then refuses at start) gets production's JWT trust rules.
     */
    static boolean isProduction(String value) {
        return value == null || !"development".equals(value.trim().toLowerCase(Locale.ROOT));
    }

    static DeploymentMode deploymentMode(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "development" -> DeploymentMode.DEVELOPMENT;
            case "production" -> DeploymentMode.PRODUCTION;
            default -> throw new IllegalStateException("treatment.deployment must be 'development' or 'production'");
        };
    }
}
