package health.treatment.web.config;

import health.treatment.security.DeploymentMode;
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
 *   <li>{@code treatment.keys.dir}: where the encrypted keysets live (default {@code <server output>/keys}).</li>
 *   <li>{@code treatment.keys.kek.keystore}, {@code treatment.keys.kek.password}, {@code treatment.keys.kek.alias}:
 *       the PKCS#12 keystore holding the key-encryption key (production).</li>
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

    @Produces
    @Singleton // the library facades are final classes: no client proxy, one shared instance
    PhiProtection phiProtection() {
        return PhiProtection.open(config());
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

    static DeploymentMode deploymentMode(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "development" -> DeploymentMode.DEVELOPMENT;
            case "production" -> DeploymentMode.PRODUCTION;
            default -> throw new IllegalStateException(
                    "treatment.deployment must be 'development' or 'production'");
        };
    }
}
