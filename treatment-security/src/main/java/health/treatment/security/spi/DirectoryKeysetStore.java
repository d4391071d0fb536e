package health.treatment.security.spi;

import health.treatment.security.KeyRingException;
import health.treatment.security.internal.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Keysets as files {@code <directory>/<name>.tink}, written atomically (temp file + {@code ATOMIC_MOVE}) with
 * owner-only permissions (600, directory 700) where the file system is POSIX. Suits one node; several nodes need a
 * shared store (a database-backed {@link KeysetStore}, not provided yet).
 */
public final class DirectoryKeysetStore implements KeysetStore {
  private final Path directory;

  public DirectoryKeysetStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
  }

  @Override
  public Optional<byte[]> load(String name) {
    Path file = fileFor(name);
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new KeyRingException("keyset file cannot be read: " + file, e);
    }
  }

  @Override
  public void save(String name, byte[] encryptedKeyset) {
    Path file = fileFor(name);
    try {
      PrivateFiles.writePrivately(file, encryptedKeyset);
    } catch (IOException e) {
      throw new KeyRingException("keyset file cannot be written: " + file, e);
    }
  }

  /** The file a keyset is stored in. */
  public Path fileFor(String name) {
    return directory.resolve(KeysetStore.requireValidName(name) + ".tink");
  }

  @Override
  public String description() {
    return "directory " + directory;
  }

  @Override
  public String toString() {
    return "DirectoryKeysetStore[" + directory + "]";
  }
}
