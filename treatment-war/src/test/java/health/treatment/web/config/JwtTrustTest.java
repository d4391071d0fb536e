package health.treatment.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JwtTrustTest {

    private static final Path DEV_KEY = Path.of("/srv/liberty/treatment/dev-keys/public.pem");
    private static final Properties BUNDLED = JwtTrust.bundledDefaults();

    private static java.util.List<String> untrusted(Map<String, String> effective) {
        return JwtTrust.untrusted(name -> Optional.ofNullable(effective.get(name)), BUNDLED, Optional.of(DEV_KEY));
    }

    private static Map<String, String> operatorSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put(JwtTrust.LOCATION, "https://idp.hospital.example/jwks");
        settings.put(JwtTrust.ISSUER, "https://idp.hospital.example");
        settings.put(JwtTrust.AUDIENCES, "treatment-api");
        return settings;
    }

    @Test
    void theBundledDefaultsAreTheDevelopmentValues() {
        assertThat(BUNDLED.getProperty(JwtTrust.ISSUER)).isEqualTo("https://treatment.local/dev");
        assertThat(BUNDLED.getProperty(JwtTrust.LOCATION)).contains("dev-keys");
    }

    @Test
    void operatorSettingsAreTrusted() {
        assertThat(untrusted(operatorSettings())).isEmpty();
        Map<String, String> inline = operatorSettings();
        inline.remove(JwtTrust.LOCATION);
        inline.put(JwtTrust.INLINE_KEY, "-----BEGIN PUBLIC KEY-----...");
        assertThat(untrusted(inline)).isEmpty();
    }

    @Test
    void missingValuesAreRefusedByVariableName() {
        assertThat(untrusted(Map.of()))
                .containsExactly("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES");
        Map<String, String> blank = operatorSettings();
        blank.put(JwtTrust.ISSUER, " ");
        assertThat(untrusted(blank)).containsExactly("MP_JWT_VERIFY_ISSUER");
    }

    @Test
    void developmentValuesAreRefused() {
        Map<String, String> dev = operatorSettings();
        dev.put(JwtTrust.ISSUER, BUNDLED.getProperty(JwtTrust.ISSUER));
        dev.put(JwtTrust.AUDIENCES, BUNDLED.getProperty(JwtTrust.AUDIENCES));
        assertThat(untrusted(dev)).containsExactly("MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES");

        for (String location : new String[] {
            DEV_KEY.toString(),
            "file:" + DEV_KEY,
            "/srv/liberty/treatment/dev-keys/../dev-keys/public.pem",
            BUNDLED.getProperty(JwtTrust.LOCATION)
        }) {
            Map<String, String> devKey = operatorSettings();
            devKey.put(JwtTrust.LOCATION, location);
            assertThat(untrusted(devKey)).as(location).containsExactly("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        }
    }
}
