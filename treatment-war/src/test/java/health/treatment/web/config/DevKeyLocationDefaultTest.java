package health.treatment.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The bundled default of the JWT key location follows the data directory: {@code treatment.data-dir} when set,
 * else Liberty's {@code server.output.dir} (as before), resolved by an MP Config implementation (SmallRye's, as on
 * Liberty) from the WAR's own microprofile-config.properties.
 */
class DevKeyLocationDefaultTest {

    private static Config config(Map<String, String> overrides) throws IOException {
        URL bundled = DevKeyLocationDefaultTest.class.getResource("/META-INF/microprofile-config.properties");
        ConfigSource war = new PropertiesConfigSource(bundled, 100);
        ConfigSource server = new PropertiesConfigSource(overrides, "server", 400);
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(war, server)
                .build();
    }

    @Test
    void onLibertyWithoutADataDirectoryItIsTheServerOutputDirectory() throws IOException {
        Config config = config(Map.of("server.output.dir", "/opt/wlp/usr/servers/treatment"));
        assertThat(config.getValue(DevKeys.LOCATION_KEY, String.class))
                .isEqualTo("/opt/wlp/usr/servers/treatment/dev-keys/public.pem");
    }

    @Test
    void theDataDirectoryWinsWhenSet() throws IOException {
        Config config = config(
                Map.of("server.output.dir", "/opt/wlp/usr/servers/treatment", "treatment.data-dir", "/srv/treatment"));
        assertThat(config.getValue(DevKeys.LOCATION_KEY, String.class)).isEqualTo("/srv/treatment/dev-keys/public.pem");
    }
}
