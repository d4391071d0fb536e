import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints a DEVELOPMENT JWT for the embedded default server, with nothing but the JDK (single-file source launch):
 *
 * <pre>
 *   java treatment-war/dev/DevToken.java --sub DX2020 --groups device [--ttl 3600] [--key PATH]
 *        [--iss https://treatment.local/dev] [--aud treatment-ingest]
 * </pre>
 *
 * The key defaults to the private key the server generated on first start
 * ({@code treatment-war/target/liberty/wlp/usr/servers/treatment/dev-keys/private.pem}, PKCS#8 PEM). An RSA key
 * signs RS256, an EC P-256 key ES256. Prints the compact token on stdout. Never use these keys in production.
 */
public final class DevToken {

    private static final String DEFAULT_KEY =
            "treatment-war/target/liberty/wlp/usr/servers/treatment/dev-keys/private.pem";

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        opt.put("--iss", "https://treatment.local/dev");
        opt.put("--aud", "treatment-ingest");
        opt.put("--ttl", "3600");
        opt.put("--key", DEFAULT_KEY);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument: " + a);
            }
            opt.put(a, args[++i]);
        }
        String sub = opt.get("--sub");
        if (sub == null || sub.isBlank()) {
            usage("--sub is required");
        }
        List<String> groups = new ArrayList<>();
        for (String g : opt.getOrDefault("--groups", "").split(",")) {
            if (!g.isBlank()) {
                groups.add(g.trim());
            }
        }
        long ttl = Long.parseLong(opt.get("--ttl"));

        PrivateKey key = readPkcs8(Path.of(opt.get("--key")));
        boolean ec = key instanceof ECPrivateKey;
        String alg = ec ? "ES256" : "RS256";

        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
        StringBuilder claims = new StringBuilder("{");
        claims.append("\"iss\":").append(json(opt.get("--iss")));
        claims.append(",\"aud\":").append(json(opt.get("--aud")));
        claims.append(",\"sub\":").append(json(sub));
        claims.append(",\"upn\":").append(json(sub));
        claims.append(",\"groups\":[");
        for (int i = 0; i < groups.size(); i++) {
            claims.append(i == 0 ? "" : ",").append(json(groups.get(i)));
        }
        claims.append("]");
        claims.append(",\"iat\":").append(now);
        claims.append(",\"exp\":").append(now + ttl);
        claims.append(",\"jti\":").append(json(UUID.randomUUID().toString()));
        claims.append("}");

        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature sig = Signature.getInstance(ec ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
        sig.initSign(key);
        sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        System.out.println(signingInput + "." + b64.encodeToString(sig.sign()));
    }

    private static PrivateKey readPkcs8(Path path) throws Exception {
        if (!Files.isReadable(path)) {
            usage("no private key at " + path + " (start the server once: it generates the development keys)");
        }
        String pem = Files.readString(path, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            usage("expected a PKCS#8 PEM private key (BEGIN PRIVATE KEY) in " + path);
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (java.security.spec.InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static void usage(String problem) {
        System.err.println("DevToken: " + problem);
        System.err.println("usage: java treatment-war/dev/DevToken.java --sub SUBJECT --groups g1[,g2] "
                + "[--ttl SECONDS] [--key PKCS8_PEM] [--iss ISSUER] [--aud AUDIENCE]");
        System.exit(2);
    }
}
