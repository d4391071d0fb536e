package health.treatment.security;

import com.google.crypto.tink.Aead;
import health.treatment.security.internal.Aad;
import health.treatment.security.internal.CiphertextLayout;
import health.treatment.security.internal.DevelopmentKeyEncryptionKeySource;
import health.treatment.security.internal.Identifiers;
import health.treatment.security.internal.KeyRing;
import health.treatment.security.internal.KeyRingManager;
import health.treatment.security.internal.PatientKeyCache;
import health.treatment.security.internal.PatientKeys;
import health.treatment.security.internal.TinkSetup;
import health.treatment.security.internal.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The PHI protection facade: field encryption with rotation, blind index, pseudonyms and per-patient keys for
 * crypto-shredding. Thread-safe; open once per application and share.
 *
 * <p>Keys: an AES-256-GCM keyset for PHI (Tink, random 96-bit IV per encryption, 128-bit tag, 5-byte Tink prefix with
 * the key id), and two separate HMAC-SHA256 PRF keysets for blind indexes and pseudonyms. All keysets are stored only
 * encrypted under the key-encryption key. Rotation replaces an immutable key-ring snapshot atomically, so concurrent
 * operations never see a half-rotated ring.
 *
 * <p>Nothing here logs, or puts into exception messages, plaintext, ciphertext, identifiers or key material.
 */
public final class PhiProtection {
  private static final Logger LOG = LogManager.getLogger(PhiProtection.class);
  private static final String DECRYPT_FAILED =
      "PHI ciphertext cannot be decrypted (modified, bound to another record or field, or not PHI ciphertext)";
  private static final String UNKNOWN_KEY = "PHI ciphertext was encrypted under a key this key ring does not hold";
  private static final String PATIENT_KEY_FAILED =
      "per-patient key cannot be unwrapped (destroyed, damaged, or from another key ring)";
  /** At most one store re-read per interval when a ciphertext names an unknown key (e.g. rotated on another node). */
  private static final long RELOAD_INTERVAL_NANOS = 5_000_000_000L;

  private final SecurityConfig config;
  private final KeyRingManager manager;
  private final AtomicReference<KeyRing> ring;
  private final PatientKeyCache patientKeys;
  private final Object reloadLock = new Object();
  // Guarded by reloadLock; starts "long ago" so the first unknown key id may trigger a reload at once.
  private long lastReloadNanos = System.nanoTime() - RELOAD_INTERVAL_NANOS;

  private PhiProtection(SecurityConfig config, KeyRingManager manager, KeyRing ring) {
    this.config = config;
    this.manager = manager;
    this.ring = new AtomicReference<>(ring);
    this.patientKeys = new PatientKeyCache(config.patientKeyCacheSize(), config.patientKeyCacheTtl().toNanos());
  }

  /**
   * Opens the key ring described by {@code config}: obtains the key-encryption key, loads the keysets, and — only in
   * development or with {@link SecurityConfig#withInitialKeyCreation()} — creates them when none exist.
   *
   * @throws KeyRingException if the KEK cannot be obtained, a keyset cannot be decrypted with it (wrong KEK, file
   *     copied from another installation, damage), the key ring is incomplete, or no key ring exists and creation is
   *     not allowed
   */
  public static PhiProtection open(SecurityConfig config) {
    Objects.requireNonNull(config, "config");
    TinkSetup.configuration();
    KeyRingManager manager = new KeyRingManager(config.keysetStore(),
        config.keyEncryptionKeySource().keyEncryptionKey());
    KeyRingManager.Opened opened = manager.open(config.createKeysIfAbsent());
    if (config.mode() == DeploymentMode.DEVELOPMENT) {
      warnDevelopment(config, opened.created());
    } else if (opened.created()) {
      LOG.warn("Created a new PHI key ring in {} (initial key creation was enabled explicitly). KEK: {}",
          config.keysetStore().description(), config.keyEncryptionKeySource().description());
    }
    LOG.info("PHI key ring open: primary key id {}, {} key(s), keysets in {}", opened.ring().primaryKeyId(),
        opened.ring().phiKeyIds().size(), config.keysetStore().description());
    return new PhiProtection(config, manager, opened.ring());
  }

  /**
   * Initial provisioning, the one explicit step of a production install: creates the PHI, blind-index and pseudonym
   * keysets under the configured KEK and opens them. Logs key ids only.
   *
   * @throws KeyRingException if the store already holds any keyset (an existing ring is never replaced), or the KEK
   *     cannot be obtained
   */
  public static PhiProtection bootstrap(SecurityConfig config) {
    Objects.requireNonNull(config, "config");
    TinkSetup.configuration();
    KeyRingManager manager = new KeyRingManager(config.keysetStore(),
        config.keyEncryptionKeySource().keyEncryptionKey());
    KeyRing ring = manager.bootstrap();
    LOG.warn("Key bootstrap: created a new key ring in {} under KEK {}: PHI key id {}, blind-index key id {}, "
        + "pseudonym key id {}", config.keysetStore().description(), config.keyEncryptionKeySource().description(),
        ring.primaryKeyId(), ring.blindIndexKeyId(), ring.pseudonymKeyId());
    return new PhiProtection(config, manager, ring);
  }

  /**
   * Stores a small secret of another component (e.g. the audit signing key) beside the keysets, encrypted under the
   * same KEK with {@code name} as associated data.
   *
   * @param name 1-57 of {@code [a-z0-9-]}
   * @throws KeyRingException if a secret of that name exists already (never overwritten) or cannot be stored
   */
  public void createSealedSecret(String name, byte[] secret) {
    manager.createSealedSecret(name, Objects.requireNonNull(secret, "secret"));
  }

  /**
   * The secret stored by {@link #createSealedSecret}, decrypted; empty when there is none.
   *
   * @throws KeyRingException if it exists but does not decrypt under this KEK (wrong KEK, swapped or damaged file)
   */
  public java.util.Optional<byte[]> sealedSecret(String name) {
    return manager.loadSealedSecret(name);
  }

  private static void warnDevelopment(SecurityConfig config, boolean created) {
    String where = config.keyEncryptionKeySource().description();
    LOG.warn("\n******************************************************************************\n"
        + "*  DEVELOPMENT KEYS — NOT FOR PRODUCTION                                       *\n"
        + "******************************************************************************\n"
        + "PHI is encrypted with development keys {}: {}.\n"
        + "The key-encryption key's password is stored in a file beside it; anyone who can\n"
        + "read that directory can decrypt all PHI. Configure a production key-encryption\n"
        + "key before any real patient data is processed.\n"
        + "******************************************************************************",
        created ? "CREATED JUST NOW" : "loaded", where);
    if (config.keyEncryptionKeySource() instanceof DevelopmentKeyEncryptionKeySource dev) {
      dev.enclosingRepository().ifPresent(repo -> LOG.warn(
          "The development key directory {} is inside the source repository {}: keys must never be committed.",
          dev.directory(), repo));
    }
  }

  /**
   * Encrypts {@code plaintext} (UTF-8) with the current primary key, binding it to {@code binding} as associated data.
   *
   * <p>Guarantees (IND-CPA and INT-CTXT of AES-256-GCM): the ciphertext reveals nothing about the plaintext but its
   * length; it decrypts only with this key ring and exactly the same binding. Encryption is randomized (fresh 96-bit
   * IV), so equal plaintexts give different ciphertexts; use {@link #blindIndex} for equality lookups. Layout:
   * {@code 0x01 || key id (4) || IV (12) || ciphertext || tag (16)}.
   *
   * @throws TreatmentSecurityException only on an internal crypto provider failure
   */
  public byte[] encrypt(String plaintext, FieldBinding binding) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(binding, "binding");
    try {
      return ring.get().phiAead().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), Aad.field(Aad.PHI_FIELD, binding));
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException("PHI encryption failed");
    }
  }

  /**
   * Decrypts and authenticates a ciphertext from {@link #encrypt} or {@link #reencrypt}, under any key in the ring
   * (current or rotated-out). If the ciphertext names a key id this ring does not hold, the keysets are re-read from
   * the store once (rate-limited) in case another node rotated.
   *
   * @throws PhiDecryptionException if any bit of the ciphertext was changed, the binding differs (copied to another
   *     record or field), or the key is unknown; the message says which of unknown key / failed authentication, nothing
   *     more
   */
  public String decrypt(byte[] ciphertext, FieldBinding binding) throws PhiDecryptionException {
    return new String(decryptBytes(ciphertext, binding), StandardCharsets.UTF_8);
  }

  /**
   * Decrypts and re-encrypts under the current primary key (same binding), for migrating data after {@link #rotate()}.
   * Same guarantees as {@link #encrypt}; the result's prefix carries the current primary key id.
   *
   * @throws PhiDecryptionException exactly when {@link #decrypt} would
   */
  public byte[] reencrypt(byte[] ciphertext, FieldBinding binding) throws PhiDecryptionException {
    byte[] plaintext = decryptBytes(ciphertext, binding);
    try {
      return ring.get().phiAead().encrypt(plaintext, Aad.field(Aad.PHI_FIELD, binding));
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException("PHI encryption failed");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private byte[] decryptBytes(byte[] ciphertext, FieldBinding binding) throws PhiDecryptionException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(binding, "binding");
    KeyRing current = ring.get();
    OptionalInt keyId = CiphertextLayout.keyId(ciphertext);
    if (keyId.isPresent() && !current.holdsPhiKey(keyId.getAsInt())) {
      current = reloadIfAllowed();
      if (!current.holdsPhiKey(keyId.getAsInt())) {
        throw new PhiDecryptionException(UNKNOWN_KEY);
      }
    }
    try {
      return current.phiAead().decrypt(ciphertext, Aad.field(Aad.PHI_FIELD, binding));
    } catch (GeneralSecurityException e) {
      throw new PhiDecryptionException(DECRYPT_FAILED);
    }
  }

  private KeyRing reloadIfAllowed() {
    synchronized (reloadLock) {
      long now = System.nanoTime();
      if (now - lastReloadNanos < RELOAD_INTERVAL_NANOS) {
        return ring.get();
      }
      lastReloadNanos = now;
    }
    try {
      reload();
    } catch (KeyRingException e) {
      LOG.warn("Key ring reload after an unknown key id failed; keeping the current ring: {}", e.getMessage());
    }
    return ring.get();
  }

  /**
   * Keyed deterministic lookup token for a patient identifier: HMAC-SHA256 (blind-index key) over the normalised
   * identifier — leading/trailing white space stripped, Unicode NFC, case-folded ({@link java.util.Locale#ROOT} upper
   * then lower case) — as 43 base64url characters.
   *
   * <p>Guarantees: equal normalised identifiers give equal tokens; without the key, tokens cannot be computed or
   * inverted (beyond equality). The blind-index key is never rotated by this library: rotating it would change every
   * token. Reveals equality of identifiers to whoever sees the tokens, by design.
   *
   * @throws IllegalArgumentException if the identifier is blank
   */
  public BlindIndex blindIndex(String patientId) {
    try {
      return new BlindIndex(Tokens.blindIndex(ring.get().blindIndexPrf(), Identifiers.normalise(patientId)));
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException("blind index computation failed");
    }
  }

  /**
   * Stable internal reference for a patient: {@code "pt_"} + base32 of 128 bits of HMAC-SHA256 under the pseudonym key
   * (separate from the blind-index key, never rotated) over the identifier normalised as in {@link #blindIndex}.
   * Safe to store as a key and to log; cannot be reversed or recomputed without the key.
   *
   * @throws IllegalArgumentException if the identifier is blank
   */
  public PatientReference pseudonym(String patientId) {
    try {
      return new PatientReference(Tokens.pseudonym(ring.get().pseudonymPrf(), Identifiers.normalise(patientId)));
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException("pseudonym computation failed");
    }
  }

  /**
   * Adds a fresh AES-256-GCM key as the new primary, keeps every old key enabled for decryption, persists the keyset
   * through the {@link health.treatment.security.spi.KeysetStore}, then publishes the new ring atomically: encryptions
   * that start afterwards use the new key; concurrent decryptions of old and new ciphertexts keep working. Blind-index
   * and pseudonym keys are not touched. Rotate from one node at a time; other nodes pick the new keys up on
   * {@link #reload()} or when they first meet a ciphertext under the new key.
   *
   * @throws KeyRingException if the keyset cannot be re-read, rotated or persisted (the in-memory ring is then
   *     unchanged)
   */
  public void rotate() {
    synchronized (reloadLock) {
      KeyRing next = manager.rotate();
      ring.set(next);
      LOG.info("PHI key ring rotated: new primary key id {}, {} key(s)", next.primaryKeyId(), next.phiKeyIds().size());
    }
  }

  /**
   * Re-reads the keysets from the store and publishes them (after a rotation on another node).
   *
   * @throws KeyRingException if they cannot be loaded (the in-memory ring is then unchanged)
   */
  public void reload() {
    synchronized (reloadLock) {
      ring.set(manager.reload());
    }
  }

  /** Key ids and counts for readiness checks; never key material. */
  public KeyRingStatus status() {
    KeyRing current = ring.get();
    return new KeyRingStatus(current.primaryKeyId(), current.phiKeyIds().size(), current.phiKeyIds(),
        current.blindIndexKeyId(), current.pseudonymKeyId(), config.mode());
  }

  /**
   * Creates a new random AES-256-GCM data key for one patient, wrapped (encrypted) under the current PHI key with the
   * patient reference as associated data. Store the result with the patient; deleting every copy makes all data
   * encrypted with it permanently unreadable (crypto-shredding). Rotation of the PHI ring does not affect existing
   * wrapped keys.
   */
  public WrappedPatientKey newPatientKey(PatientReference patient) {
    Objects.requireNonNull(patient, "patient");
    try {
      PatientKeys.NewKey key = PatientKeys.newKey(ring.get().phiAead(), patient);
      patientKeys.put(key.wrapped(), key.aead());
      return new WrappedPatientKey(key.wrapped());
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException("per-patient key cannot be created");
    }
  }

  /**
   * Encrypts under a patient's own data key; same guarantees and layout as {@link #encrypt}, with a separate
   * associated-data domain so patient-key and ring ciphertexts cannot be confused.
   *
   * @throws TreatmentSecurityException if {@code key} cannot be unwrapped by this key ring
   */
  public byte[] encryptForPatient(WrappedPatientKey key, String plaintext, FieldBinding binding) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(binding, "binding");
    Aead aead;
    try {
      aead = unwrapPatientKey(key);
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException(PATIENT_KEY_FAILED);
    }
    try {
      return aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), Aad.field(Aad.PATIENT_FIELD, binding));
    } catch (GeneralSecurityException e) {
      throw new TreatmentSecurityException("PHI encryption failed");
    }
  }

  /**
   * Decrypts data from {@link #encryptForPatient} with the same key and binding.
   *
   * @throws PhiDecryptionException if the wrapped key cannot be unwrapped (destroyed, damaged, foreign key ring), the
   *     ciphertext was modified, belongs to another patient's key, or the binding differs
   */
  public String decryptForPatient(WrappedPatientKey key, byte[] ciphertext, FieldBinding binding)
      throws PhiDecryptionException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(binding, "binding");
    Aead aead;
    try {
      aead = unwrapPatientKey(key);
    } catch (GeneralSecurityException e) {
      throw new PhiDecryptionException(PATIENT_KEY_FAILED);
    }
    try {
      return new String(aead.decrypt(ciphertext, Aad.field(Aad.PATIENT_FIELD, binding)), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new PhiDecryptionException(DECRYPT_FAILED);
    }
  }

  /** Unwraps under the current ring, through the cache of recently used keys (see {@link SecurityConfig}). */
  private Aead unwrapPatientKey(WrappedPatientKey key) throws GeneralSecurityException {
    return patientKeys.get(key.bytes(), wrapped -> PatientKeys.unwrap(ring.get().phiAead(), wrapped));
  }

  /**
   * Drops every unwrapped per-patient key held in memory. Call after destroying a patient's wrapped key (erasure), so
   * this node holds no copy of it; other nodes drop theirs when their cache entries expire.
   */
  public void forgetCachedPatientKeys() {
    patientKeys.clear();
  }

  @Override
  public String toString() {
    KeyRing current = ring.get();
    return "PhiProtection[mode=" + config.mode() + ", primaryKeyId=" + current.primaryKeyId() + ", keys="
        + current.phiKeyIds().size() + "]";
  }
}
