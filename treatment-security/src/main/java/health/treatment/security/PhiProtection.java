package health.treatment.security;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import health.treatment.security.internal.Aad;
import health.treatment.security.internal.CiphertextLayout;
import health.treatment.security.internal.Identifiers;
import health.treatment.security.internal.KeyRing;
import health.treatment.security.internal.KeyRingManager;
import health.treatment.security.internal.PatientKeyCache;
import health.treatment.security.internal.PatientKeys;
import health.treatment.security.internal.TinkSetup;
import health.treatment.security.internal.Tokens;
import health.treatment.security.internal.WrappingEpochs;
import health.treatment.security.keys.DevelopmentKeyEncryptionKeySource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The PHI protection facade: field encryption with rotation, blind index, pseudonyms and per-patient keys for
 * crypto-shredding. Thread-safe; open once per application and share.
 *
 * <p>Keys: an AES-256-GCM keyset for PHI (Tink, random 96-bit IV per encryption, 128-bit tag, 5-byte Tink prefix with
 * the key id), two separate HMAC-SHA256 PRF keysets for blind indexes and pseudonyms, and one AES-256-GCM keyset per
 * <em>wrapping epoch</em> ({@code patient-wrap-<n>}) under which per-patient data keys are wrapped. All keysets are
 * stored only encrypted under the key-encryption key. Rotation replaces an immutable key-ring snapshot atomically, so
 * concurrent operations never see a half-rotated ring.
 *
 * <p>Crypto-shredding, exactly: destroying a patient's wrapped key (every copy the live database holds) makes that
 * patient's data unreadable in the live database at once. A database backup taken earlier still holds the wrapped key,
 * and it unwraps for as long as the epoch it was wrapped under exists. The rotation — {@link #beginWrappingEpoch()},
 * {@link #rewrapPatientKey} for every surviving key, then {@link #destroyWrappingEpochsBefore} — ends that: afterwards
 * no key in a backup older than the rotation unwraps, the erased patient's nor anybody else's (a rotation retires every
 * older backup for patient-keyed data; keep backups for what they are worth until the next rotation only). Copies of
 * the key store itself (backups of the key directory) must be kept apart and shorter, or they undo the destruction.
 *
 * <p>Nothing here logs, or puts into exception messages, plaintext, ciphertext, identifiers or key material.
 */
public final class PhiProtection {
    private static final Logger LOG = LogManager.getLogger(PhiProtection.class);
    private static final String DECRYPT_FAILED =
            "PHI ciphertext cannot be decrypted (modified, bound to another record or field, or not PHI ciphertext)";
    private static final String UNKNOWN_KEY = "PHI ciphertext was encrypted under a key this key ring does not hold";
    private static final String PATIENT_KEY_FAILED =
            "per-patient key cannot be unwrapped (destroyed, damaged, another patient's, under a destroyed wrapping epoch, "
                    + "or from another key ring)";
    /** At most one store re-read per interval when a ciphertext names an unknown key (e.g. rotated on another node). */
    /** Prefix of encounter blind-index inputs: a NUL cannot occur in a normalised identifier, so no collision. */
    private static final byte[] ENCOUNTER_DOMAIN = "encounter\u0000".getBytes(StandardCharsets.US_ASCII);

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
        this.patientKeys = new PatientKeyCache(
                config.patientKeyCacheSize(), config.patientKeyCacheTtl().toNanos());
    }

    /**
     * Opens the key ring described by {@code config}: obtains the key-encryption key, loads the keysets, and — only in
     * development or with {@link SecurityConfig#withInitialKeyCreation()} — creates them (with wrapping epoch 1) when
     * none exist.
     *
     * <p>One exception to "production never creates keys": a complete key ring without wrapping epochs is an
     * installation from before epochs, and opening it creates wrapping epoch 1 (logged at WARN) in every mode. It can
     * orphan nothing (existing patient keys are layout 1, wrapped under the PHI ring, and stay readable until the first
     * {@link #destroyWrappingEpochsBefore}), and the ring having decrypted under the KEK shows that the store and KEK are
     * the installation's own. It is never done when the ring is missing or incomplete, nor when epoch state was lost
     * while later epochs exist. Upgrade every node before the first rotation: a node still on the old code writes
     * layout-1 keys, which the rotation's end refuses.
     *
     * @throws KeyRingException if the KEK cannot be obtained, a keyset cannot be decrypted with it (wrong KEK, file
     *     copied from another installation, damage), the key ring or the current wrapping epoch is missing, or no key
     *     ring exists and creation is not allowed
     */
    public static PhiProtection open(SecurityConfig config) {
        Objects.requireNonNull(config, "config");
        TinkSetup.configuration();
        KeyRingManager manager = new KeyRingManager(
                config.keysetStore(), config.keyEncryptionKeySource().keyEncryptionKey());
        KeyRingManager.Opened opened = manager.open(config.createKeysIfAbsent());
        if (config.mode() == DeploymentMode.DEVELOPMENT) {
            warnDevelopment(config, opened.created());
        } else if (opened.created()) {
            LOG.warn(
                    "Created a new PHI key ring in {} (initial key creation was enabled explicitly). KEK: {}",
                    config.keysetStore().description(),
                    config.keyEncryptionKeySource().description());
        }
        if (opened.epochCreated() && !opened.created()) {
            LOG.warn(
                    "The key ring in {} had no patient-key wrapping epoch (installed before epochs): created wrapping "
                            + "epoch 1; existing per-patient keys stay wrapped under the PHI ring until the next rewrap",
                    config.keysetStore().description());
        }
        LOG.info(
                "PHI key ring open: primary key id {}, {} key(s), wrapping epoch {}, keysets in {}",
                opened.ring().primaryKeyId(),
                opened.ring().phiKeyIds().size(),
                opened.ring().epochs().current(),
                config.keysetStore().description());
        return new PhiProtection(config, manager, opened.ring());
    }

    /**
     * Initial provisioning, the one explicit step of a production install: creates the PHI, blind-index and pseudonym
     * keysets and wrapping epoch 1 under the configured KEK and opens them. Logs key ids only.
     *
     * @throws KeyRingException if the store already holds any keyset (an existing ring is never replaced), or the KEK
     *     cannot be obtained
     */
    public static PhiProtection bootstrap(SecurityConfig config) {
        Objects.requireNonNull(config, "config");
        TinkSetup.configuration();
        KeyRingManager manager = new KeyRingManager(
                config.keysetStore(), config.keyEncryptionKeySource().keyEncryptionKey());
        KeyRing ring = manager.bootstrap();
        LOG.warn(
                "Key bootstrap: created a new key ring in {} under KEK {}: PHI key id {}, blind-index key id {}, "
                        + "pseudonym key id {}",
                config.keysetStore().description(),
                config.keyEncryptionKeySource().description(),
                ring.primaryKeyId(),
                ring.blindIndexKeyId(),
                ring.pseudonymKeyId());
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
    public Optional<byte[]> sealedSecret(String name) {
        return manager.loadSealedSecret(name);
    }

    private static void warnDevelopment(SecurityConfig config, boolean created) {
        String where = config.keyEncryptionKeySource().description();
        LOG.warn(
                "\n******************************************************************************\n"
                        + "*  DEVELOPMENT KEYS — NOT FOR PRODUCTION                                       *\n"
                        + "******************************************************************************\n"
                        + "PHI is encrypted with development keys {}: {}.\n"
                        + "The key-encryption key's password is stored in a file beside it; anyone who can\n"
                        + "read that directory can decrypt all PHI. Configure a production key-encryption\n"
                        + "key before any real patient data is processed.\n"
                        + "******************************************************************************",
                created ? "CREATED JUST NOW" : "loaded",
                where);
        if (config.keyEncryptionKeySource() instanceof DevelopmentKeyEncryptionKeySource dev) {
            dev.enclosingRepository()
                    .ifPresent(repo -> LOG.warn(
                            "The development key directory {} is inside the source repository {}: keys must never be committed.",
                            dev.directory(),
                            repo));
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
            return ring.get()
                    .phiAead()
                    .encrypt(plaintext.getBytes(StandardCharsets.UTF_8), Aad.field(Aad.PHI_FIELD, binding));
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
            LOG.warn(
                    "Key ring reload (unknown key id or wrapping epoch) failed; keeping the current ring: {}",
                    e.getMessage());
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
     * Keyed blind index of an encounter identifier, for finding a patient's records by encounter: as
     * {@link #blindIndex}, under the same key, but over a domain-separated input, so an encounter token never equals a
     * patient token even when the two identifiers are the same text.
     *
     * @throws IllegalArgumentException if the identifier is blank
     */
    public BlindIndex encounterIndex(String encounterId) {
        try {
            byte[] normalised = Identifiers.normalise(encounterId);
            byte[] input = new byte[ENCOUNTER_DOMAIN.length + normalised.length];
            System.arraycopy(ENCOUNTER_DOMAIN, 0, input, 0, ENCOUNTER_DOMAIN.length);
            System.arraycopy(normalised, 0, input, ENCOUNTER_DOMAIN.length, normalised.length);
            return new BlindIndex(Tokens.blindIndex(ring.get().blindIndexPrf(), input));
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
            LOG.info(
                    "PHI key ring rotated: new primary key id {}, {} key(s)",
                    next.primaryKeyId(),
                    next.phiKeyIds().size());
        }
    }

    /**
     * Re-reads the keysets and wrapping epochs from the store and publishes them (after a rotation on another node).
     * Epochs destroyed elsewhere are dropped from memory, with every cached unwrapped patient key.
     *
     * @throws KeyRingException if they cannot be loaded (the in-memory ring is then unchanged)
     */
    public void reload() {
        synchronized (reloadLock) {
            KeyRing previous = ring.get();
            KeyRing next = manager.reload();
            ring.set(next);
            if (next.epochs().oldest() > previous.epochs().oldest()) {
                patientKeys.clear();
            }
        }
    }

    /** Key ids and counts for readiness checks; never key material. */
    public KeyRingStatus status() {
        KeyRing current = ring.get();
        return new KeyRingStatus(
                current.primaryKeyId(),
                current.phiKeyIds().size(),
                current.phiKeyIds(),
                current.blindIndexKeyId(),
                current.pseudonymKeyId(),
                config.mode());
    }

    /**
     * Creates a new random AES-256-GCM data key for one patient, wrapped (encrypted) under the current wrapping epoch
     * with the patient reference and the epoch as associated data. Store the result with the patient; deleting every
     * copy makes all data encrypted with it permanently unreadable (crypto-shredding; for backups see the class
     * comment). Layout 2: {@code 0x02 || epoch (4) || len(ref) (1) || ref || encrypted keyset}. Neither a PHI ring
     * rotation nor a new wrapping epoch affects existing wrapped keys until they are re-wrapped.
     */
    public WrappedPatientKey newPatientKey(PatientReference patient) {
        Objects.requireNonNull(patient, "patient");
        WrappingEpochs epochs = ring.get().epochs();
        try {
            PatientKeys.NewKey key = PatientKeys.newKey(currentWrapping(epochs), epochs.current(), patient);
            patientKeys.put(key.wrapped(), key.aead());
            return new WrappedPatientKey(key.wrapped());
        } catch (GeneralSecurityException e) {
            throw new TreatmentSecurityException("per-patient key cannot be created");
        }
    }

    /**
     * The same data key, wrapped under the current wrapping epoch: unwraps {@code key} (layout 1, or any epoch still
     * held) and wraps it again for {@code patient}. Data encrypted with the key stays readable with the result. Use it
     * for every surviving key between {@link #beginWrappingEpoch()} and {@link #destroyWrappingEpochsBefore}.
     *
     * @throws PhiDecryptionException if {@code key} cannot be unwrapped: destroyed or damaged, wrapped under an epoch no
     *     longer held (or layout 1 after its retirement), from another key ring, or bound to another patient (a key
     *     copied from another patient's row)
     */
    public WrappedPatientKey rewrapPatientKey(PatientReference patient, WrappedPatientKey key)
            throws PhiDecryptionException {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(key, "key");
        byte[] wrapped = key.bytes();
        KeysetHandle data;
        try {
            KeyRing current = snapshotFor(wrapped, patient);
            data = PatientKeys.unwrapKeyset(current, wrapped);
        } catch (GeneralSecurityException e) {
            throw new PhiDecryptionException(PATIENT_KEY_FAILED);
        }
        WrappingEpochs epochs = ring.get().epochs();
        try {
            return new WrappedPatientKey(PatientKeys.wrap(currentWrapping(epochs), epochs.current(), patient, data));
        } catch (GeneralSecurityException e) {
            throw new TreatmentSecurityException("per-patient key cannot be re-wrapped");
        }
    }

    private static Aead currentWrapping(WrappingEpochs epochs) throws GeneralSecurityException {
        Aead aead = epochs.aead(epochs.current());
        if (aead == null) {
            throw new GeneralSecurityException("no current wrapping epoch");
        }
        return aead;
    }

    /**
     * Starts wrapping epoch n+1 (a fresh AES-256-GCM keyset, stored encrypted under the KEK) and makes it current: new
     * patient keys on this node are wrapped under it at once. Other nodes keep using their current epoch until they
     * reload (they reload by themselves when they meet a key of an epoch they do not hold); finish a rotation only after
     * every node has (the treatment store enforces this through its database). One rotation at a time, from one node.
     *
     * @return the new epoch number
     * @throws KeyRingException if the epoch cannot be created or the state not persisted (the in-memory ring is then
     *     unchanged)
     */
    public int beginWrappingEpoch() {
        synchronized (reloadLock) {
            KeyRing next = manager.beginEpoch();
            ring.set(next);
            LOG.info(
                    "Patient-key wrapping epoch {} begun (held: {})",
                    next.epochs().current(),
                    next.epochs().epochs());
            return next.epochs().current();
        }
    }

    /**
     * Destroys, for good, every wrapping epoch older than {@code epoch}: their keysets are deleted from the
     * {@link health.treatment.security.spi.KeysetStore} (see {@link health.treatment.security.spi.KeysetStore#delete}),
     * layout-1 keys (wrapped under the PHI ring) are no longer accepted, and every cached unwrapped patient key is
     * forgotten. Every patient key still wrapped under a destroyed epoch — in the database if it was not re-wrapped, and
     * in every backup taken before the epoch {@code epoch} began — no longer unwraps. Interrupted, it is completed by
     * calling it again. Other nodes drop the destroyed epochs on their next reload: when they meet a key of an epoch they
     * do not hold or of one older than their current epoch, on {@link #reload()}, or at restart.
     *
     * <p>Layout-1 keys are refused by this library from then on, but the PHI ring that wrapped them is not destroyed (it
     * still protects other data): against someone holding a backup, the live key store, the KEK and their own code,
     * layout-1 keys in backups from before the first rotation stay a residual risk until those PHI ring keys retire.
     *
     * @throws IllegalArgumentException if {@code epoch} is below 1 or above the current epoch
     * @throws KeyRingException if a keyset cannot be deleted or the state not persisted
     */
    public void destroyWrappingEpochsBefore(int epoch) {
        synchronized (reloadLock) {
            KeyRing next = manager.destroyEpochsBefore(epoch);
            ring.set(next);
            patientKeys.clear();
            LOG.info(
                    "Patient-key wrapping epochs before {} destroyed (held: {})",
                    epoch,
                    next.epochs().epochs());
        }
    }

    /** The wrapping epochs this node holds: numbers only, never material. */
    public WrappingEpochStatus wrappingEpochs() {
        WrappingEpochs epochs = ring.get().epochs();
        return new WrappingEpochStatus(epochs.current(), epochs.epochs(), epochs.oldest() == 0);
    }

    /**
     * Encrypts under a patient's own data key; same guarantees and layout as {@link #encrypt}, with a separate
     * associated-data domain so patient-key and ring ciphertexts cannot be confused.
     *
     * @throws TreatmentSecurityException if {@code key} cannot be unwrapped by this key ring
     */
    public byte[] encryptForPatient(WrappedPatientKey key, String plaintext, FieldBinding binding) {
        return encryptForPatient(null, key, plaintext, binding);
    }

    /**
     * As {@link #encryptForPatient(WrappedPatientKey, String, FieldBinding)}, and only if {@code key} is bound to
     * {@code patient}: a key copied from another patient's row is refused rather than used.
     *
     * @throws TreatmentSecurityException if {@code key} cannot be unwrapped or is bound to another patient
     */
    public byte[] encryptForPatient(
            PatientReference patient, WrappedPatientKey key, String plaintext, FieldBinding binding) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(binding, "binding");
        Aead aead;
        try {
            aead = unwrapPatientKey(key, patient);
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
     * @throws PhiDecryptionException if the wrapped key cannot be unwrapped (destroyed, damaged, foreign key ring,
     *     destroyed wrapping epoch), the ciphertext was modified, belongs to another patient's key, or the binding
     *     differs
     */
    public String decryptForPatient(WrappedPatientKey key, byte[] ciphertext, FieldBinding binding)
            throws PhiDecryptionException {
        return decryptForPatient(null, key, ciphertext, binding);
    }

    /**
     * As {@link #decryptForPatient(WrappedPatientKey, byte[], FieldBinding)}, and only if {@code key} is bound to
     * {@code patient}.
     *
     * @throws PhiDecryptionException also if {@code key} is bound to another patient (copied from another row)
     */
    public String decryptForPatient(
            PatientReference patient, WrappedPatientKey key, byte[] ciphertext, FieldBinding binding)
            throws PhiDecryptionException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(binding, "binding");
        Aead aead;
        try {
            aead = unwrapPatientKey(key, patient);
        } catch (GeneralSecurityException e) {
            throw new PhiDecryptionException(PATIENT_KEY_FAILED);
        }
        try {
            return new String(aead.decrypt(ciphertext, Aad.field(Aad.PATIENT_FIELD, binding)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new PhiDecryptionException(DECRYPT_FAILED);
        }
    }

    /**
     * Unwraps through the cache of recently used keys (see {@link SecurityConfig}), after checking the key's patient
     * (when given) and its epoch against the current snapshot.
     */
    private Aead unwrapPatientKey(WrappedPatientKey key, PatientReference patient) throws GeneralSecurityException {
        byte[] wrapped = key.bytes();
        KeyRing current = snapshotFor(wrapped, patient);
        return patientKeys.get(wrapped, w -> PatientKeys.unwrap(current, w));
    }

    /**
     * The snapshot to unwrap {@code wrapped} with. A key of an epoch this node does not hold (begun on another node),
     * or of one older than its current epoch (a rotation is under way, or over and its old epochs destroyed on another
     * node), triggers a store re-read first (at most one per 5 s), so a node neither fails on new epochs nor keeps using
     * destroyed ones for long.
     *
     * @throws GeneralSecurityException if the key is malformed, bound to another patient, or its epoch not accepted
     */
    private KeyRing snapshotFor(byte[] wrapped, PatientReference patient) throws GeneralSecurityException {
        if (patient != null && !patient.value().equals(PatientKeys.patientReference(wrapped))) {
            throw new GeneralSecurityException("wrapped key bound to another patient");
        }
        int epoch = PatientKeys.epoch(wrapped);
        KeyRing current = ring.get();
        // An older key is normal only during a rotation; in epoch 1 layout-1 keys are simply the upgraded
        // installation's
        // keys, so epoch 1 never re-reads for them (that would be a file read every 5 s on the write path for nothing).
        int now = current.epochs().current();
        if (!current.epochs().accepts(epoch) || (epoch < now && now > 1)) {
            current = reloadIfAllowed();
        }
        if (!current.epochs().accepts(epoch)) {
            throw new GeneralSecurityException("wrapping epoch not held");
        }
        return current;
    }

    /**
     * Drops every unwrapped per-patient key held in memory. Call after destroying a patient's wrapped key (erasure), so
     * this node holds no copy of it; other nodes drop theirs when their cache entries expire
     * ({@link SecurityConfig#patientKeyCacheTtl()}).
     */
    public void forgetCachedPatientKeys() {
        patientKeys.clear();
    }

    @Override
    public String toString() {
        KeyRing current = ring.get();
        return "PhiProtection[mode=" + config.mode() + ", primaryKeyId=" + current.primaryKeyId() + ", keys="
                + current.phiKeyIds().size() + ", wrappingEpoch="
                + current.epochs().current() + "]";
    }
}
