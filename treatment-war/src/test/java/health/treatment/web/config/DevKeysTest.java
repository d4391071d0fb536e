package health.treatment.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevKeysTest {

    @TempDir
    Path tmp;

    @Test
    void recognisesOnlyTheGeneratedDevelopmentLocation() {
        Path pub = tmp.resolve("dev-keys/public.pem").toAbsolutePath();
        assertThat(DevKeys.isDevLocation(pub.toString(), pub)).isTrue();
        assertThat(DevKeys.isDevLocation("file:" + pub, pub)).isTrue();
        assertThat(DevKeys.isDevLocation(tmp.resolve("prod/public.pem").toString(), pub))
                .isFalse();
        assertThat(DevKeys.isDevLocation("https://idp.example/jwks", pub)).isFalse();
    }

    @Test
    void generatesAUsableRsaPairWithAnOwnerOnlyPrivateKey() throws Exception {
        Path dir = tmp.resolve("dev-keys");
        DevKeys.generate(dir);
        var priv =
                KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(dir.resolve("private.pem"))));
        var pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(dir.resolve("public.pem"))));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(priv);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(pub);
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).isTrue();
        assertThat(Files.getPosixFilePermissions(dir.resolve("private.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    private static byte[] der(Path pem) throws Exception {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }
}
