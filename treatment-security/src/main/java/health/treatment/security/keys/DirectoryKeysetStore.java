package health.treatment.security.keys;

import health.treatment.security.KeyRingException;
import health.treatment.security.spi.KeysetStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * Keysets as files {@code <directory>/<name>.tink}, written atomically (temp file + {@code ATOMIC_MOVE}) with
 * owner-only permissions (600, directory 700) where the file system is POSIX. Suits one node; several nodes need a
 * shared store (a database-backed {@link KeysetStore}, not provided yet).
 *
 * <p>{@link #delete} overwrites the file with random bytes (forced to the device) before removing it. On copy-on-write
 * file systems, SSD wear levelling or snapshots the old blocks may survive that; what makes a surviving copy useless
 * is that it decrypts only with the KEK.
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

    /** Atomic: the file appears by a hard link of a complete temp file, which fails if the name exists. */
    @Override
    public boolean createIfAbsent(String name, byte[] encryptedKeyset) {
        Path file = fileFor(name);
        Path tmp = null;
        try {
            tmp = PrivateFiles.createTempBeside(file);
            PrivateFiles.writeAndForce(tmp, encryptedKeyset);
            try {
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException e) {
                // No hard links here: a rename that refuses an existing target (checked, then renamed: not atomic).
                Files.move(tmp, file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new KeyRingException("keyset file cannot be created: " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temp file is harmless: it is encrypted, owner-only, and never read
                }
            }
        }
    }

    @Override
    public void delete(String name) {
        Path file = fileFor(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = channel.size();
            byte[] noise = new byte[(int) Math.min(Math.max(size, 1), 1 << 16)];
            SecureRandom random = new SecureRandom();
            for (long written = 0; written < size; ) {
                random.nextBytes(noise);
                ByteBuffer buffer = ByteBuffer.wrap(noise, 0, (int) Math.min(noise.length, size - written));
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer, written);
                }
            }
            channel.force(true);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new KeyRingException("keyset file cannot be overwritten: " + file, e);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new KeyRingException("keyset file cannot be deleted: " + file, e);
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
