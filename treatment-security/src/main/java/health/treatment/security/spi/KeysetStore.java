package health.treatment.security.spi;

import java.util.Optional;

/**
 * Stores named keysets that are already encrypted under the key-encryption key (the store never sees plaintext key
 * material). Out of the box: {@link DirectoryKeysetStore}. A database-backed store (shared by several nodes, with
 * compare-and-set on rotation) can implement this interface later.
 *
 * <p>Names are short lowercase identifiers ({@code [a-z0-9-]{1,64}}). Implementations must be thread-safe; {@link #save}
 * must be atomic (readers see the old or the new blob, never a mix).
 */
public interface KeysetStore {

  /**
   * Returns the encrypted keyset stored under {@code name}, or empty if none.
   *
   * @throws health.treatment.security.KeyRingException if the store cannot be read
   */
  Optional<byte[]> load(String name);

  /**
   * Atomically replaces the encrypted keyset stored under {@code name}.
   *
   * @throws health.treatment.security.KeyRingException if the store cannot be written
   */
  void save(String name, byte[] encryptedKeyset);

  /** Where the keysets live, for logs and error messages. */
  String description();

  /** Validates a keyset name; shared by implementations. */
  static String requireValidName(String name) {
    if (name == null || !name.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("keyset name must match [a-z0-9-]{1,64}");
    }
    return name;
  }
}
