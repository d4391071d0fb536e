package health.treatment.security;

import health.treatment.security.keys.DevelopmentKeyEncryptionKeySource;
import health.treatment.security.keys.DirectoryKeysetStore;
import health.treatment.security.keys.Pkcs12KeyEncryptionKeySource;
import health.treatment.security.spi.KeyEncryptionKeySource;
import health.treatment.security.spi.KeysetStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration for {@link PhiProtection#open}. Libraries never read configuration themselves; the WAR builds
 * this from MicroProfile Config.
 *
 * @param mode development or production
 * @param keyEncryptionKeySource where the key-encryption key comes from
 * @param keysetStore where the encrypted keysets live
 * @param createKeysIfAbsent whether {@code open} may create a fresh key ring when the store holds none; always true in
 *     development, false in production unless {@link #withInitialKeyCreation()} was called
 * @param patientKeyCacheSize how many unwrapped per-patient keys are kept in memory (0 disables the cache)
 * @param patientKeyCacheTtl how long an unwrapped per-patient key is kept (positive)
 */
public record SecurityConfig(
        DeploymentMode mode,
        KeyEncryptionKeySource keyEncryptionKeySource,
        KeysetStore keysetStore,
        boolean createKeysIfAbsent,
        int patientKeyCacheSize,
        Duration patientKeyCacheTtl) {

    /** Default number of unwrapped per-patient keys kept in memory. */
    public static final int DEFAULT_PATIENT_KEY_CACHE_SIZE = 10_000;
    /** Default time an unwrapped per-patient key is kept in memory. */
    public static final Duration DEFAULT_PATIENT_KEY_CACHE_TTL = Duration.ofSeconds(60);

    /** Subdirectory of a development key directory holding the keysets. */
    public static final String DEVELOPMENT_KEYSETS = "keysets";

    public SecurityConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keyEncryptionKeySource, "keyEncryptionKeySource");
        Objects.requireNonNull(keysetStore, "keysetStore");
        if (patientKeyCacheSize < 0) {
            throw new IllegalArgumentException("patientKeyCacheSize must not be negative");
        }
        Objects.requireNonNull(patientKeyCacheTtl, "patientKeyCacheTtl");
        if (patientKeyCacheTtl.isNegative() || patientKeyCacheTtl.isZero()) {
            throw new IllegalArgumentException("patientKeyCacheTtl must be positive");
        }
    }

    private SecurityConfig(
            DeploymentMode mode,
            KeyEncryptionKeySource keyEncryptionKeySource,
            KeysetStore keysetStore,
            boolean createKeysIfAbsent) {
        this(
                mode,
                keyEncryptionKeySource,
                keysetStore,
                createKeysIfAbsent,
                DEFAULT_PATIENT_KEY_CACHE_SIZE,
                DEFAULT_PATIENT_KEY_CACHE_TTL);
    }

    /**
     * Development keys in {@code keyDirectory} (which must be outside any source repository): on first start, a PKCS12
     * KEK keystore, its random password in a file beside it, and the keysets under {@code keysets/} are created; every
     * start logs a loud WARN. Never for real patient data.
     */
    public static SecurityConfig development(Path keyDirectory) {
        return development(keyDirectory, DeploymentMode.DEVELOPMENT);
    }

    /**
     * As {@link #development(Path)}, but refuses when the application runs in production.
     *
     * @throws KeyRingException if {@code mode} is {@link DeploymentMode#PRODUCTION}
     */
    public static SecurityConfig development(Path keyDirectory, DeploymentMode mode) {
        Objects.requireNonNull(keyDirectory, "keyDirectory");
        if (Objects.requireNonNull(mode, "mode") == DeploymentMode.PRODUCTION) {
            throw new KeyRingException(
                    "development keys are refused in PRODUCTION mode; configure a production " + "key-encryption key");
        }
        return new SecurityConfig(
                DeploymentMode.DEVELOPMENT,
                new DevelopmentKeyEncryptionKeySource(keyDirectory),
                new DirectoryKeysetStore(keyDirectory.resolve(DEVELOPMENT_KEYSETS)),
                true);
    }

    /**
     * Production: keysets in {@code keyDirectory}, KEK from an existing PKCS12 keystore (AES-256 secret key entry under
     * {@code kekAlias}). Never creates keys: a missing key ring fails {@code open} unless
     * {@link #withInitialKeyCreation()} is used once, explicitly, to provision.
     */
    public static SecurityConfig production(Path keyDirectory, Path kekKeystore, Secret password, String kekAlias) {
        return new SecurityConfig(
                DeploymentMode.PRODUCTION,
                new Pkcs12KeyEncryptionKeySource(kekKeystore, password, kekAlias),
                new DirectoryKeysetStore(keyDirectory),
                false);
    }

    /** Any KEK source (HSM, KMS) and keyset store; never creates keys unless {@link #withInitialKeyCreation()}. */
    public static SecurityConfig custom(
            DeploymentMode mode, KeyEncryptionKeySource keyEncryptionKeySource, KeysetStore keysetStore) {
        return new SecurityConfig(mode, keyEncryptionKeySource, keysetStore, false);
    }

    /** A copy that may create a fresh key ring when the store holds none (initial provisioning); logged at WARN. */
    public SecurityConfig withInitialKeyCreation() {
        return new SecurityConfig(
                mode, keyEncryptionKeySource, keysetStore, true, patientKeyCacheSize, patientKeyCacheTtl);
    }

    /**
     * A copy that keeps at most {@code size} unwrapped per-patient keys for at most {@code ttl} ({@code size} 0: every
     * use unwraps).
     */
    public SecurityConfig withPatientKeyCache(int size, Duration ttl) {
        return new SecurityConfig(mode, keyEncryptionKeySource, keysetStore, createKeysIfAbsent, size, ttl);
    }
}
