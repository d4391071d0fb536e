import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mints every token of a load run in one JVM (JwtKit starts one JVM per token, far too slow for hundreds of clients).
 * JDK only, RS256 only, the same claims and "kid" handling as ../shared/bench/JwtKit.java, so a server started with
 * MP_JWT_VERIFY_PUBLICKEY_LOCATION=KEYDIR/jwks.json accepts them.
 *
 *   java LoadTokens.java mint KEYDIR OUTFILE DEVICES GATEWAYS CLINICIANS
 *   java LoadTokens.java verify KEYDIR TOKENFILE
 *
 * mint writes OUTFILE with one line per client, "ROLE SUBJECT TOKEN" separated by single spaces:
 *   device    LM0000 .. (DEVICES lines; a device's subject is its machine id, the one the server lets it submit for)
 *   gateway   LGW00 ..  (GATEWAYS lines)
 *   clinician LCL00 ..  (CLINICIANS lines: the checker reads with one per worker, so no single client's rate limit
 *                        throttles the read-back)
 *   auditor   LAU00     (one line)
 * then checks the first token's signature against KEYDIR/jwks.json (or rsa-public.pem): a key directory whose private
 * key does not match the key set the server trusts would otherwise show up only as a run full of 401s.
 *
 * verify checks every token of TOKENFILE the same way and prints how many verified.
 *
 * Claims: iss = $BENCH_ISSUER (https://bench.test/issuer), aud = $BENCH_AUDIENCE (treatment-api), sub and upn =
 * SUBJECT, groups = [ROLE], iat = now, exp = now + $BENCH_TOKEN_TTL seconds (7200), jti = a random UUID.
 * Machine ids must match MACHINE_FORMAT in load.lua (LM%04d).
 */
public class LoadTokens {

  private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    if (args.length == 6 && args[0].equals("mint")) {
      mint(Path.of(args[1]), Path.of(args[2]), count(args[3], "DEVICES"), count(args[4], "GATEWAYS"),
          count(args[5], "CLINICIANS"));
    } else if (args.length == 3 && args[0].equals("verify")) {
      verifyFile(Path.of(args[1]), Path.of(args[2]));
    } else {
      System.err.println("usage: java LoadTokens.java mint KEYDIR OUTFILE DEVICES GATEWAYS CLINICIANS\n"
          + "       java LoadTokens.java verify KEYDIR TOKENFILE");
      System.exit(2);
    }
  }

  static int count(String s, String name) {
    try {
      int n = Integer.parseInt(s);
      if (n >= 0 && n <= 100_000) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    System.err.println("tokens: " + name + " must be a number from 0 to 100000, not '" + s + "'");
    System.exit(2);
    return 0;
  }

  static void mint(Path dir, Path out, int devices, int gateways, int clinicians) throws Exception {
    if (devices + gateways == 0) {
      fail("tokens: DEVICES + GATEWAYS must be at least 1 (nobody would submit)");
    }
    if (clinicians < 1) {
      fail("tokens: at least one clinician token is needed for the read-back");
    }
    PrivateKey key = privateKey(dir);
    String header = header(dir);
    Claims claims = new Claims();
    List<String> lines = new ArrayList<>(devices + gateways + clinicians + 1);
    // One Signature object for all tokens: initSign once, then each sign() resets it for the next token.
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    for (int i = 0; i < devices; i++) {
      lines.add(line("device", String.format("LM%04d", i), header, claims, signer));
    }
    for (int i = 0; i < gateways; i++) {
      lines.add(line("gateway", String.format("LGW%02d", i), header, claims, signer));
    }
    for (int i = 0; i < clinicians; i++) {
      lines.add(line("clinician", String.format("LCL%02d", i), header, claims, signer));
    }
    lines.add(line("auditor", "LAU00", header, claims, signer));
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(out, lines, StandardCharsets.US_ASCII);

    String first = lines.get(0).split(" ")[2];
    PublicKey pub = publicKey(dir);
    if (pub == null) {
      System.out.println("tokens: " + lines.size() + " written to " + out + " (no jwks.json or rsa-public.pem in "
          + dir + ": signature not cross-checked)");
    } else if (!verify(first, pub)) {
      fail("tokens: the token signed with " + dir.resolve("rsa-private.pem") + " does not verify with the public key "
          + "in " + dir + " - the private key and the key set do not belong together");
    } else {
      System.out.println("tokens: " + lines.size() + " written to " + out + " (" + devices + " device, " + gateways
          + " gateway, " + clinicians + " clinician, 1 auditor; iss=" + claims.issuer + " aud=" + claims.audience
          + " ttl=" + claims.ttl + "s; signature checked against the public key)");
    }
  }

  static void verifyFile(Path dir, Path file) throws Exception {
    PublicKey pub = publicKey(dir);
    if (pub == null) {
      fail("tokens: no jwks.json or rsa-public.pem in " + dir);
    }
    int ok = 0;
    int bad = 0;
    for (String l : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      String[] f = l.trim().split(" ");
      if (f.length != 3) {
        continue;
      }
      if (verify(f[2], pub)) {
        ok++;
      } else {
        bad++;
        System.out.println("tokens: signature does not verify for " + f[0] + " " + f[1]);
      }
    }
    System.out.println("tokens: " + ok + " verified, " + bad + " failed");
    System.exit(bad == 0 && ok > 0 ? 0 : 1);
  }

  /** The shared part of every token: issuer, audience and times are read once so all tokens agree. */
  static final class Claims {
    final String issuer = env("BENCH_ISSUER", "https://bench.test/issuer");
    final String audience = env("BENCH_AUDIENCE", "treatment-api");
    final long ttl = Long.parseLong(env("BENCH_TOKEN_TTL", "7200"));
    final long now = Instant.now().getEpochSecond();

    String json(String sub, String group) {
      return "{\"iss\":\"" + jsonString(issuer) + "\",\"aud\":\"" + jsonString(audience) + "\",\"sub\":\"" + sub
          + "\",\"upn\":\"" + sub + "\",\"groups\":[\"" + group + "\"],\"iat\":" + now + ",\"exp\":" + (now + ttl)
          + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }
  }

  static String line(String role, String sub, String header, Claims claims, Signature signer) throws Exception {
    String signingInput = b64u(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64u(claims.json(sub, role).getBytes(StandardCharsets.UTF_8));
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return role + " " + sub + " " + signingInput + "." + b64u(signer.sign());
  }

  /** Same header as JwtKit: the kid is the first one in DIR/jwks.json, none when there is no key set. */
  static String header(Path dir) throws IOException {
    Path jwks = dir.resolve("jwks.json");
    String kid = null;
    if (Files.isRegularFile(jwks)) {
      Matcher m = KID.matcher(Files.readString(jwks));
      if (m.find()) {
        kid = m.group(1);
      }
    }
    return "{\"alg\":\"RS256\",\"typ\":\"JWT\"" + (kid != null ? ",\"kid\":\"" + jsonString(kid) + "\"" : "") + "}";
  }

  static PrivateKey privateKey(Path dir) throws Exception {
    Path pem = dir.resolve("rsa-private.pem");
    if (!Files.isRegularFile(pem)) {
      fail("tokens: " + pem + " not found (make a key directory with: java ../shared/bench/JwtKit.java keys DIR)");
    }
    String text = Files.readString(pem);
    if (text.contains("BEGIN RSA PRIVATE KEY")) {
      fail("tokens: " + pem + " is PKCS#1; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
    }
    if (!text.contains("BEGIN PRIVATE KEY")) {
      fail("tokens: " + pem + " holds no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /**
   * The key the server would verify with: the jwks.json entry whose kid the tokens carry (else its first RSA key),
   * or rsa-public.pem when there is no key set; null when neither exists.
   */
  static PublicKey publicKey(Path dir) throws Exception {
    Path jwks = dir.resolve("jwks.json");
    if (Files.isRegularFile(jwks)) {
      String text = Files.readString(jwks);
      Matcher n = Pattern.compile("\"n\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"").matcher(text);
      Matcher e = Pattern.compile("\"e\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"").matcher(text);
      if (n.find() && e.find()) { // the first key, the same one whose kid header() uses
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
            new BigInteger(1, Base64.getUrlDecoder().decode(n.group(1))),
            new BigInteger(1, Base64.getUrlDecoder().decode(e.group(1)))));
      }
    }
    Path pem = dir.resolve("rsa-public.pem");
    if (Files.isRegularFile(pem)) {
      byte[] der = Base64.getMimeDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", ""));
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
    return null;
  }

  static boolean verify(String token, PublicKey pub) throws Exception {
    int dot = token.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(pub);
    v.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
    try {
      return v.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
    } catch (IllegalArgumentException | java.security.SignatureException e) {
      return false;
    }
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Issuer and audience come from the environment: escape what would break the JSON. */
  static String jsonString(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static String b64u(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }
}
