package health.treatment.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerDirectoriesTest {

    @Test
    void theConfiguredDataDirectoryWinsOverLibertysOutputDirectory() {
        assertThat(ServerDirectories.dataDir("/srv/treatment", "/opt/wlp/usr/servers/treatment"))
                .isEqualTo(Path.of("/srv/treatment"));
    }

    @Test
    void libertysOutputDirectoryIsTheDefaultOnLiberty() {
        assertThat(ServerDirectories.dataDir(null, "/opt/wlp/usr/servers/treatment"))
                .isEqualTo(Path.of("/opt/wlp/usr/servers/treatment"));
        assertThat(ServerDirectories.dataDir(" ", "/opt/wlp/usr/servers/treatment"))
                .isEqualTo(Path.of("/opt/wlp/usr/servers/treatment"));
    }

    @Test
    void elsewhereTheDefaultIsUnderTheWorkingDirectory() {
        assertThat(ServerDirectories.dataDir(null, null))
                .isEqualTo(Path.of("").toAbsolutePath().resolve(ServerDirectories.PORTABLE_DEFAULT));
    }

    @Test
    void relativeSettingsAreResolvedAgainstTheWorkingDirectory() {
        assertThat(ServerDirectories.dataDir("data/../state", null))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("state"));
    }
}
