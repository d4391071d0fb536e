package health.treatment.web.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Production never trusts development JWT settings. With {@code treatment.deployment=production} the token key
 * ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} or an inline {@code MP_JWT_VERIFY_PUBLICKEY}), the issuer and the
 * audiences must be set by the operator: missing, or equal to the development values bundled in
 * {@code META-INF/microprofile-config.properties}, or pointing at the generated development key, refuses trust. A
 * refused server logs one ERROR line naming the variables, reports readiness DOWN and answers every {@code /api}
 * request 503 ({@link health.treatment.web.filter.TrustGuardFilter}), whatever token comes with it.
 */
@ApplicationScoped
public class JwtTrust {

    static final String LOCATION = "mp.jwt.verify.publickey.location";
    static final String INLINE_KEY = "mp.jwt.verify.publickey";
    static final String ISSUER = "mp.jwt.verify.issuer";
    static final String AUDIENCES = "mp.jwt.verify.audiences";

    private static final Logger LOG = LogManager.getLogger(JwtTrust.class);

    private volatile Optional<String> refusal = Optional.empty();

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing the start event makes the check (and its ERROR line) happen at deployment, not on first use.
    }

    @PostConstruct
    void check() {
        Config config = ConfigProvider.getConfig();
        String mode =
                config.getOptionalValue("treatment.deployment", String.class).orElse("development");
        if (!SecurityProducer.isProduction(mode)) {
            return;
        }
        List<String> untrusted = untrusted(
                name -> config.getOptionalValue(name, String.class), bundledDefaults(), DevKeys.developmentPublicKey());
        if (!untrusted.isEmpty()) {
            String reason = "production refuses development JWT trust: set " + String.join(", ", untrusted);
            refusal = Optional.of(reason);
            LOG.error("{} (missing or development values); no /api request is served until they are set", reason);
        }
    }

    /** Why this server refuses to serve {@code /api}, if it does. */
    public Optional<String> refusal() {
        return refusal;
    }

    /**
     * The environment variables (MP Config names) whose values production must not trust.
     *
     * @param effective the effective configuration
     * @param bundled the development defaults shipped in the WAR
     * @param devPublicKey where development mode generates its JWT key
     */
    static List<String> untrusted(
            Function<String, Optional<String>> effective, Properties bundled, Optional<Path> devPublicKey) {
        List<String> names = new ArrayList<>();
        Optional<String> location = effective.apply(LOCATION).filter(v -> !v.isBlank());
        Optional<String> inline = effective.apply(INLINE_KEY).filter(v -> !v.isBlank());
        boolean devLocation = location.isPresent()
                && (location.get().equals(bundled.getProperty(LOCATION))
                        || location.get().contains("${")
                        || devPublicKey
                                .map(dev -> DevKeys.isDevLocation(location.get(), dev))
                                .orElse(false));
        if ((location.isEmpty() && inline.isEmpty()) || devLocation) {
            names.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        }
        for (String name : List.of(ISSUER, AUDIENCES)) {
            Optional<String> value = effective.apply(name).filter(v -> !v.isBlank());
            if (value.isEmpty() || value.get().trim().equals(bundled.getProperty(name))) {
                names.add(name.toUpperCase(Locale.ROOT).replace('.', '_'));
            }
        }
        return names;
    }

    /** The WAR's own microprofile-config.properties: the development values. */
    static Properties bundledDefaults() {
        Properties defaults = new Properties();
        try (InputStream in = JwtTrust.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            // Unreadable defaults: then only missing values are refused.
        }
        return defaults;
    }
}
