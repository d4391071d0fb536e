package health.treatment.audit;

import health.treatment.audit.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import java.util.Set;
import org.apache.logging.log4j.LogManager;

/**
 * The Ed25519 key pair that signs checkpoints (JDK provider). {@link #toString()} redacts; the private key never
 * leaves this class except through {@link #load}/{@link #loadOrCreateDevelopment} files the operator controls and
 * {@link #toSealablePem()}, whose caller seals it (e.g. under the PHI key ring's key-encryption key).
 */
public final class AuditSigningKey {
    static final String PRIVATE_FILE = "audit-signing-private.pem";
    static final String PUBLIC_FILE = "audit-signing-public.pem";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private AuditSigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey);
        this.publicKey = Objects.requireNonNull(publicKey);
        this.keyId = Pem.keyId(publicKey);
        // Refuse a mismatched pair now rather than sign checkpoints nobody can verify.
        byte[] probe = "treatment-audit key check".getBytes(StandardCharsets.US_ASCII);
        if (!verify(probe, sign(probe))) {
            throw new AuditException("audit signing key: private and public key do not match");
        }
    }

    /** A fresh in-memory key pair (tests, ephemeral deployments). */
    public static AuditSigningKey generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new AuditSigningKey(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new AuditException("Ed25519 unavailable in this JDK", e);
        }
    }

    /** Loads a PKCS#8 private key PEM and its X.509 public key PEM. */
    public static AuditSigningKey load(Path privatePem, Path publicPem) {
        try {
            return new AuditSigningKey(Pem.readPrivateKey(privatePem), Pem.readPublicKey(publicPem));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // No path or key material in the message: paths can be configured by anyone, keys must not leak.
            throw new AuditException("audit signing key: cannot read the PEM files", e);
        }
    }

    /**
     * The pair as one text, a PKCS#8 {@code PRIVATE KEY} block then an X.509 {@code PUBLIC KEY} block, for storage
     * that encrypts it (never write it anywhere in the clear); {@link #fromSealablePem} reads it back.
     */
    public byte[] toSealablePem() {
        return (Pem.encode("PRIVATE KEY", privateKey.getEncoded()) + Pem.encode("PUBLIC KEY", publicKey.getEncoded()))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads what {@link #toSealablePem()} wrote. */
    public static AuditSigningKey fromSealablePem(byte[] pem) {
        try {
            String text = new String(pem, StandardCharsets.US_ASCII);
            var factory = KeyFactory.getInstance("Ed25519");
            return new AuditSigningKey(
                    factory.generatePrivate(
                            new java.security.spec.PKCS8EncodedKeySpec(Pem.decode(text, "PRIVATE KEY"))),
                    factory.generatePublic(new java.security.spec.X509EncodedKeySpec(Pem.decode(text, "PUBLIC KEY"))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuditException("audit signing key: the sealed key pair cannot be read", e);
        }
    }

    /**
     * Development only: loads {@code audit-signing-private.pem} / {@code audit-signing-public.pem} from {@code dir},
     * generating them (owner read/write only where the file system supports POSIX permissions) on first use, and logs
     * a loud WARN either way. Production loads a managed key with {@link #load}.
     */
    public static AuditSigningKey loadOrCreateDevelopment(Path dir) {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        var log = LogManager.getLogger(AuditSigningKey.class);
        if (Files.exists(priv) && Files.exists(pub)) {
            log.warn("DEVELOPMENT audit signing key in use (loaded from the development key directory); "
                    + "configure a managed key for production");
            return load(priv, pub);
        }
        AuditSigningKey key = generate();
        try {
            Files.createDirectories(dir);
            writeOwnerOnly(priv, Pem.encode("PRIVATE KEY", key.privateKey.getEncoded()));
            writeOwnerOnly(pub, Pem.encode("PUBLIC KEY", key.publicKey.getEncoded()));
        } catch (IOException e) {
            throw new AuditException("audit signing key: cannot write the development key files", e);
        }
        log.warn(
                "GENERATED A DEVELOPMENT audit signing key (key id {}) in the development key directory; "
                        + "NOT FOR PRODUCTION: checkpoints signed with it prove nothing once the file is shared",
                key.keyId);
        return key;
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        try {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(perms));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("key file appeared concurrently", e);
        }
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** X.509 PEM of the public key, for auditors (safe to publish). */
    public String publicKeyPem() {
        return Pem.encode("PUBLIC KEY", publicKey.getEncoded());
    }

    public String keyId() {
        return keyId;
    }

    byte[] sign(byte[] message) {
        try {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initSign(privateKey);
            sig.update(message);
            return sig.sign();
        } catch (GeneralSecurityException e) {
            throw new AuditException("audit signing failed", e);
        }
    }

    private boolean verify(byte[] message, byte[] signature) {
        try {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(publicKey);
            sig.update(message);
            return sig.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "AuditSigningKey[Ed25519, keyId=" + keyId + ", private=<redacted>]";
    }
}
