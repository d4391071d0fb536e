package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.AesGcmSivParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.HmacPrfParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import health.treatment.security.KeyRingException;
import health.treatment.security.spi.KeyEncryptionKey;
import health.treatment.security.spi.KeysetStore;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads, creates, rotates and persists the keysets. Keysets are only ever written encrypted under the KEK, with the
 * keyset name as associated data (so one keyset file cannot be swapped for another).
 *
 * <ul>
 *   <li>{@value #PHI}: AES-256-GCM AEAD for PHI fields (and, in layout 1, for wrapping per-patient keys); rotated by
 *       adding a new primary, old keys stay enabled for decryption.
 *   <li>{@value #BLIND_INDEX}, {@value #PSEUDONYM}: HMAC-SHA256 PRFs. Never rotated: a new key would change every token
 *       and break lookups. Replacing them is a migration (recompute all tokens), not an operation.
 *   <li>{@code patient-wrap-<n>}: one AES-256-GCM keyset per wrapping epoch n, wrapping the per-patient keys of that
 *       epoch; {@value #WRAP_STATE} (KEK-encrypted) names the current epoch and the oldest one still accepted. An
 *       epoch is destroyed by deleting its keyset from the store, never rotated in place.
 * </ul>
 */
public final class KeyRingManager {
    private static final Logger LOG = LogManager.getLogger(KeyRingManager.class);

    public static final String PHI = "phi-aead";
    public static final String BLIND_INDEX = "blind-index-prf";
    public static final String PSEUDONYM = "pseudonym-prf";
    public static final String WRAP_STATE = "patient-wrap-state";
    private static final String WRAP_PREFIX = "patient-wrap-";
    private static final byte STATE_VERSION = 1;

    private final KeysetStore store;
    private final Aead kek;

    public KeyRingManager(KeysetStore store, KeyEncryptionKey kek) {
        this.store = store;
        this.kek = new TinkKeyEncryptionAead(kek);
    }

    /**
     * The result of opening: the ring (with its wrapping epochs), whether the ring was created just now, and whether
     * wrapping epoch 1 was.
     */
    public record Opened(KeyRing ring, boolean created, boolean epochCreated) {}

    /** The keyset name of wrapping epoch {@code epoch}. */
    public static String wrapKeysetName(int epoch) {
        return WRAP_PREFIX + epoch;
    }

    /**
     * Loads the key ring and its wrapping epochs; when no keyset exists at all and {@code mayCreate}, creates a fresh
     * ring with wrapping epoch 1. A partial key ring (some keysets present, some missing) is never completed silently: a
     * new blind-index or pseudonym key would orphan every existing lookup.
     *
     * <p>A complete ring without wrapping-epoch state is an installation from before epochs: epoch 1 is created for it
     * whatever {@code mayCreate} says (a new wrapping key orphans nothing, and the ring decrypting under the KEK proves
     * the store and the KEK are the installation's own), and layout-1 keys stay accepted until the first
     * {@link #destroyEpochsBefore}.
     */
    public synchronized Opened open(boolean mayCreate) {
        return open(mayCreate, true);
    }

    private Opened open(boolean mayCreate, boolean mayStartEpochs) {
        Optional<byte[]> phi = store.load(PHI);
        Optional<byte[]> blind = store.load(BLIND_INDEX);
        Optional<byte[]> pseudonym = store.load(PSEUDONYM);
        Optional<byte[]> state = store.load(WRAP_STATE);
        if (phi.isEmpty() && blind.isEmpty() && pseudonym.isEmpty()) {
            if (state.isPresent()) {
                throw new KeyRingException(
                        "incomplete key ring in " + store.description() + " (wrapping epochs without " + PHI + ", "
                                + BLIND_INDEX + ", " + PSEUDONYM + "); refusing to create keys next to existing ones");
            }
            if (!mayCreate) {
                throw new KeyRingException("no key ring in " + store.description()
                        + " and key creation is not enabled for this configuration");
            }
            KeyRing ring = create();
            return new Opened(ring.withEpochs(startEpochs(1)), true, true);
        }
        if (phi.isEmpty() || blind.isEmpty() || pseudonym.isEmpty()) {
            throw new KeyRingException("incomplete key ring in " + store.description() + " (missing "
                    + (phi.isEmpty() ? PHI + " " : "") + (blind.isEmpty() ? BLIND_INDEX + " " : "")
                    + (pseudonym.isEmpty() ? PSEUDONYM : "") + "); refusing to create keys next to existing ones");
        }
        KeyRing ring = ring(parse(PHI, phi.get()), parse(BLIND_INDEX, blind.get()), parse(PSEUDONYM, pseudonym.get()));
        if (state.isPresent()) {
            return new Opened(ring.withEpochs(loadEpochs(decodeState(state.get()))), false, false);
        }
        if (!mayStartEpochs) {
            throw new KeyRingException("wrapping-epoch state " + WRAP_STATE + " missing from " + store.description());
        }
        if (store.load(wrapKeysetName(2)).isPresent()) {
            // Epochs beyond the first exist: the state was lost, not never written. Guessing would wrap under a stale
            // epoch.
            throw new KeyRingException("wrapping-epoch state " + WRAP_STATE + " missing from " + store.description()
                    + " although wrapping epochs exist; restore it from the key backup");
        }
        return new Opened(ring.withEpochs(startEpochs(0)), false, true);
    }

    /**
     * Initial provisioning: creates a fresh key ring with wrapping epoch 1, and refuses when any keyset already exists,
     * so an installation's keys can never be replaced by a forgotten bootstrap flag.
     */
    public synchronized KeyRing bootstrap() {
        StringBuilder existing = new StringBuilder();
        for (String name : new String[] {PHI, BLIND_INDEX, PSEUDONYM, WRAP_STATE}) {
            if (store.load(name).isPresent()) {
                existing.append(existing.length() == 0 ? "" : ", ").append(name);
            }
        }
        if (existing.length() > 0) {
            throw new KeyRingException("key bootstrap refused: " + store.description() + " already holds " + existing
                    + "; an existing key ring is never replaced");
        }
        return create().withEpochs(startEpochs(1));
    }

    /**
     * Starts wrapping epoch n+1 after the stored current epoch n and makes it current. The keyset is created only if
     * absent (a node that loses the race adopts the winner's), then the state names it.
     */
    public synchronized KeyRing beginEpoch() {
        KeyRing current = reload();
        WrappingEpochs epochs = current.epochs();
        int next = epochs.current() + 1;
        Aead aead = createOrLoadEpoch(next);
        saveState(next, epochs.oldest());
        return current.withEpochs(epochs.with(next, aead));
    }

    /**
     * Destroys every wrapping epoch older than {@code epoch} (deleted from the store) and, with it, the acceptance of
     * layout-1 keys. Deletes first, then records the new oldest epoch: interrupted, it is completed by running it again.
     *
     * @throws IllegalArgumentException if {@code epoch} is below 1 or above the current epoch
     */
    public synchronized KeyRing destroyEpochsBefore(int epoch) {
        KeyRing current = reload();
        WrappingEpochs epochs = current.epochs();
        if (epoch < 1 || epoch > epochs.current()) {
            throw new IllegalArgumentException("epoch must be 1.." + epochs.current() + " (the current epoch is kept)");
        }
        if (epoch <= epochs.oldest()) {
            return current;
        }
        for (int e = Math.max(1, epochs.oldest()); e < epoch; e++) {
            store.delete(wrapKeysetName(e));
        }
        saveState(epochs.current(), epoch);
        return current.withEpochs(epochs.withOldest(epoch));
    }

    /** Epoch 1, new or adopted, as the current one; {@code oldest} 0 keeps accepting layout-1 keys. */
    private WrappingEpochs startEpochs(int oldest) {
        Aead aead = createOrLoadEpoch(1);
        saveState(1, oldest);
        return new WrappingEpochs(1, oldest, Map.of(1, aead));
    }

    private Aead createOrLoadEpoch(int epoch) {
        String name = wrapKeysetName(epoch);
        try {
            KeysetHandle fresh =
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, TinkSetup.configuration());
            KeysetHandle handle = store.createIfAbsent(name, serialize(name, fresh))
                    ? fresh
                    : parse(
                            name,
                            store.load(name)
                                    .orElseThrow(() -> new KeyRingException(
                                            "keyset " + name + " vanished from " + store.description())));
            return epochAead(name, handle);
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("wrapping epoch " + epoch + " cannot be created", e);
        }
    }

    private WrappingEpochs loadEpochs(int[] state) {
        int current = state[0];
        int oldest = state[1];
        Map<Integer, Aead> aeads = new TreeMap<>();
        for (int e = Math.max(1, oldest); e <= current; e++) {
            String name = wrapKeysetName(e);
            Optional<byte[]> blob = store.load(name);
            if (blob.isEmpty()) {
                if (e == current) {
                    throw new KeyRingException("incomplete key ring in " + store.description() + " (missing " + name
                            + ", the current wrapping epoch)");
                }
                // Below the current epoch a missing keyset is one whose destruction was interrupted before the state
                // moved on.
                LOG.warn(
                        "Wrapping epoch {} is missing from {}; keys wrapped under it cannot be unwrapped",
                        e,
                        store.description());
                continue;
            }
            aeads.put(e, epochAead(name, parse(name, blob.get())));
        }
        return new WrappingEpochs(current, oldest, aeads);
    }

    private Aead epochAead(String name, KeysetHandle handle) {
        if (handle.size() != 1) {
            throw new KeyRingException("keyset " + name + " must hold exactly one key");
        }
        requireAes256(name, handle);
        try {
            return handle.getPrimitive(TinkSetup.configuration(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("keyset " + name + " primitive cannot be created", e);
        }
    }

    private void saveState(int current, int oldest) {
        byte[] plain = ByteBuffer.allocate(9)
                .put(STATE_VERSION)
                .putInt(current)
                .putInt(oldest)
                .array();
        try {
            store.save(WRAP_STATE, kek.encrypt(plain, Aad.of(Aad.WRAP_STATE, WRAP_STATE)));
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("wrapping-epoch state cannot be encrypted", e);
        }
    }

    private int[] decodeState(byte[] blob) {
        byte[] plain;
        try {
            plain = kek.decrypt(blob, Aad.of(Aad.WRAP_STATE, WRAP_STATE));
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("keyset " + WRAP_STATE + " in " + store.description()
                    + " cannot be decrypted with the configured key-encryption key (wrong KEK, wrong file or damaged)");
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        if (plain.length != 9 || b.get() != STATE_VERSION) {
            throw new KeyRingException(
                    "keyset " + WRAP_STATE + " in " + store.description() + " has an unknown format");
        }
        int current = b.getInt();
        int oldest = b.getInt();
        if (current < 1 || oldest < 0 || oldest > current) {
            throw new KeyRingException("keyset " + WRAP_STATE + " in " + store.description() + " is inconsistent");
        }
        return new int[] {current, oldest};
    }

    /** Stores {@code secret} encrypted under the KEK; refuses to overwrite an existing one. */
    public synchronized void createSealedSecret(String name, byte[] secret) {
        String stored = sealedName(name);
        if (store.load(stored).isPresent()) {
            throw new KeyRingException("sealed secret " + stored + " already exists in " + store.description());
        }
        try {
            store.save(stored, kek.encrypt(secret, Aad.of(Aad.SEALED_SECRET, name)));
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("sealed secret " + stored + " cannot be encrypted", e);
        }
    }

    /** The secret stored under {@code name}, decrypted, or empty when there is none. */
    public Optional<byte[]> loadSealedSecret(String name) {
        String stored = sealedName(name);
        Optional<byte[]> blob = store.load(stored);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(kek.decrypt(blob.get(), Aad.of(Aad.SEALED_SECRET, name)));
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("sealed secret " + stored + " in " + store.description()
                    + " cannot be decrypted with the configured key-encryption key (wrong KEK, wrong file or damaged)");
        }
    }

    private static String sealedName(String name) {
        return KeysetStore.requireValidName("sealed-" + name);
    }

    /** Re-reads all keysets and the wrapping epochs from the store (e.g. after another node rotated); creates nothing. */
    public synchronized KeyRing reload() {
        return open(false, false).ring();
    }

    /**
     * Adds a fresh AES-256-GCM key as primary to the stored PHI keyset, keeps all old keys enabled, persists, and
     * returns the new ring. Starts from the stored keyset, not from memory, so a rotation made elsewhere is kept.
     */
    public synchronized KeyRing rotate() {
        KeyRing current = reload();
        try {
            KeysetHandle next = KeysetHandle.newBuilder(current.phiKeyset())
                    .setConfiguration(TinkSetup.configuration())
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId()
                            .makePrimary())
                    .build();
            KeyRing ring = new KeyRing(next, current.blindIndexPrfKeyset(), current.pseudonymPrfKeyset())
                    .withEpochs(current.epochs());
            save(PHI, next);
            return ring;
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("PHI key ring cannot be rotated", e);
        }
    }

    private KeyRing create() {
        try {
            Configuration config = TinkSetup.configuration();
            KeysetHandle blind = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF, config);
            KeysetHandle pseudonym = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF, config);
            KeysetHandle phi = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, config);
            KeyRing ring = ring(phi, blind, pseudonym);
            // PHI last: if creation is interrupted the ring is incomplete and the next start refuses rather than
            // guessing.
            save(BLIND_INDEX, blind);
            save(PSEUDONYM, pseudonym);
            save(PHI, phi);
            return ring;
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("key ring cannot be created", e);
        }
    }

    private KeyRing ring(KeysetHandle phi, KeysetHandle blind, KeysetHandle pseudonym) {
        requireAes256(PHI, phi);
        requireHmac(BLIND_INDEX, blind);
        requireHmac(PSEUDONYM, pseudonym);
        try {
            return new KeyRing(phi, blind, pseudonym);
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("key ring primitives cannot be created", e);
        }
    }

    private static void requireAes256(String name, KeysetHandle handle) {
        for (int i = 0; i < handle.size(); i++) {
            Object parameters = handle.getAt(i).getKey().getParameters();
            boolean aes256 = parameters instanceof AesGcmParameters gcm && gcm.getKeySizeBytes() == 32
                    || parameters instanceof AesGcmSivParameters siv && siv.getKeySizeBytes() == 32;
            if (!aes256) {
                throw new KeyRingException("keyset " + name + " holds a key that is not AES-256-GCM(-SIV)");
            }
        }
    }

    private static void requireHmac(String name, KeysetHandle handle) {
        if (handle.size() != 1 || !(handle.getPrimary().getKey().getParameters() instanceof HmacPrfParameters)) {
            throw new KeyRingException("keyset " + name + " must hold exactly one HMAC PRF key");
        }
    }

    private KeysetHandle parse(String name, byte[] blob) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(
                    blob, kek, Aad.of(Aad.KEYSET, name), TinkSetup.configuration());
        } catch (GeneralSecurityException e) {
            throw new KeyRingException("keyset " + name + " in " + store.description()
                    + " cannot be decrypted with the configured key-encryption key (wrong KEK, wrong file or damaged)");
        }
    }

    private void save(String name, KeysetHandle handle) throws GeneralSecurityException {
        store.save(name, serialize(name, handle));
    }

    private byte[] serialize(String name, KeysetHandle handle) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(
                handle, kek, Aad.of(Aad.KEYSET, name), TinkSetup.configuration());
    }
}
