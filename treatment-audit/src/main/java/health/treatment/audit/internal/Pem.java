package health.treatment.audit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** PEM for Ed25519 keys: PKCS#8 "PRIVATE KEY" and X.509 "PUBLIC KEY". JDK only (used by the standalone CLI). */
public final class Pem {
    private Pem() {}

    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static byte[] decode(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("not a PEM " + type);
        }
        return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    }

    public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        byte[] der = decode(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        byte[] der = decode(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY");
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** First 16 hex digits of SHA-256 over the X.509 encoding: names a key without revealing anything secret. */
    public static String keyId(PublicKey key) {
        return Hex.encode(Canonical.sha256().digest(key.getEncoded())).substring(0, 16);
    }
}
