package health.treatment.security.spi;

import java.util.Optional;

/**
 * Stores named keysets that are already encrypted under the key-encryption key (the store never sees plaintext key
 * material). Out of the box: {@link DirectoryKeysetStore}. A database-backed store (shared by several nodes, with
 * compare-and-set on rotation) can implement this interface later.
 *
 * <p>Names are short lowercase identifiers ({@code [a-z0-9-]{1,64}}). Implementations must be thread-safe; {@link #save}
 * must be atomic (readers see the old or the new blob, never a mix).
 *
 * <p>{@link #delete} is how a patient-key wrapping epoch is destroyed (crypto-shredding of database backups): after it
 * returns, the store must not hand out that blob again, and should leave as little of it behind as the medium allows.
 * Copies made outside the store (backups of the key directory) are not the store's to delete: keep key backups apart
 * from database backups and on a shorter retention, or the destruction does not reach them.
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

    /**
     * Stores {@code encryptedKeyset} under {@code name} only when nothing is stored under it yet, so two nodes creating
     * the same keyset at once cannot overwrite each other's. The default (load, then save) is not atomic; stores shared
     * by several nodes should override it with an atomic create.
     *
     * @return true if stored, false if a blob of that name existed (it is left unchanged)
     * @throws health.treatment.security.KeyRingException if the store cannot be read or written
     */
    default boolean createIfAbsent(String name, byte[] encryptedKeyset) {
        if (load(name).isPresent()) {
            return false;
        }
        save(name, encryptedKeyset);
        return true;
    }

    /**
     * Destroys the blob stored under {@code name} for good (overwritten where the medium allows, then removed); does
     * nothing when there is none. Afterwards {@link #load} returns empty.
     *
     * @throws health.treatment.security.KeyRingException if it cannot be deleted
     */
    void delete(String name);

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
