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
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Loads, creates, rotates and persists the three keysets. Keysets are only ever written encrypted under the KEK, with
 * the keyset name as associated data (so one keyset file cannot be swapped for another).
 *
 * <ul>
 *   <li>{@value #PHI}: AES-256-GCM AEAD for PHI fields and for wrapping per-patient keys; rotated by adding a new
 *       primary, old keys stay enabled for decryption.
 *   <li>{@value #BLIND_INDEX}, {@value #PSEUDONYM}: HMAC-SHA256 PRFs. Never rotated: a new key would change every token
 *       and break lookups. Replacing them is a migration (recompute all tokens), not an operation.
 * </ul>
 */
public final class KeyRingManager {
  public static final String PHI = "phi-aead";
  public static final String BLIND_INDEX = "blind-index-prf";
  public static final String PSEUDONYM = "pseudonym-prf";

  private final KeysetStore store;
  private final Aead kek;

  public KeyRingManager(KeysetStore store, KeyEncryptionKey kek) {
    this.store = store;
    this.kek = new TinkKeyEncryptionAead(kek);
  }

  /** The result of opening: the ring and whether it was created just now. */
  public record Opened(KeyRing ring, boolean created) {}

  /**
   * Loads the key ring; when no keyset exists at all and {@code mayCreate}, creates a fresh one. A partial key ring
   * (some keysets present, some missing) is never completed silently: a new blind-index or pseudonym key would orphan
   * every existing lookup.
   */
  public synchronized Opened open(boolean mayCreate) {
    Optional<byte[]> phi = store.load(PHI);
    Optional<byte[]> blind = store.load(BLIND_INDEX);
    Optional<byte[]> pseudonym = store.load(PSEUDONYM);
    if (phi.isEmpty() && blind.isEmpty() && pseudonym.isEmpty()) {
      if (!mayCreate) {
        throw new KeyRingException("no key ring in " + store.description()
            + " and key creation is not enabled for this configuration");
      }
      return new Opened(create(), true);
    }
    if (phi.isEmpty() || blind.isEmpty() || pseudonym.isEmpty()) {
      throw new KeyRingException("incomplete key ring in " + store.description() + " (missing "
          + (phi.isEmpty() ? PHI + " " : "") + (blind.isEmpty() ? BLIND_INDEX + " " : "")
          + (pseudonym.isEmpty() ? PSEUDONYM : "") + "); refusing to create keys next to existing ones");
    }
    return new Opened(ring(parse(PHI, phi.get()), parse(BLIND_INDEX, blind.get()),
        parse(PSEUDONYM, pseudonym.get())), false);
  }

  /**
   * Initial provisioning: creates a fresh key ring, and refuses when any keyset already exists, so
   * an installation's keys can never be replaced by a forgotten bootstrap flag.
   */
  public synchronized KeyRing bootstrap() {
    StringBuilder existing = new StringBuilder();
    for (String name : new String[] {PHI, BLIND_INDEX, PSEUDONYM}) {
      if (store.load(name).isPresent()) {
        existing.append(existing.length() == 0 ? "" : ", ").append(name);
      }
    }
    if (existing.length() > 0) {
      throw new KeyRingException("key bootstrap refused: " + store.description() + " already holds " + existing
          + "; an existing key ring is never replaced");
    }
    return create();
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

  /** Re-reads all keysets from the store (e.g. after another node rotated). */
  public synchronized KeyRing reload() {
    return open(false).ring();
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
      KeyRing ring = new KeyRing(next, current.blindIndexPrfKeyset(), current.pseudonymPrfKeyset());
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
      // PHI last: if creation is interrupted the ring is incomplete and the next start refuses rather than guessing.
      save(BLIND_INDEX, blind);
      save(PSEUDONYM, pseudonym);
      save(PHI, phi);
      return ring;
    } catch (GeneralSecurityException e) {
      throw new KeyRingException("key ring cannot be created", e);
    }
  }

  private KeyRing ring(KeysetHandle phi, KeysetHandle blind, KeysetHandle pseudonym) {
    for (int i = 0; i < phi.size(); i++) {
      Object parameters = phi.getAt(i).getKey().getParameters();
      boolean aes256 = parameters instanceof AesGcmParameters gcm && gcm.getKeySizeBytes() == 32
          || parameters instanceof AesGcmSivParameters siv && siv.getKeySizeBytes() == 32;
      if (!aes256) {
        throw new KeyRingException("keyset " + PHI + " holds a key that is not AES-256-GCM(-SIV)");
      }
    }
    requireHmac(BLIND_INDEX, blind);
    requireHmac(PSEUDONYM, pseudonym);
    try {
      return new KeyRing(phi, blind, pseudonym);
    } catch (GeneralSecurityException e) {
      throw new KeyRingException("key ring primitives cannot be created", e);
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
    store.save(name, TinkProtoKeysetFormat.serializeEncryptedKeyset(
        handle, kek, Aad.of(Aad.KEYSET, name), TinkSetup.configuration()));
  }
}
