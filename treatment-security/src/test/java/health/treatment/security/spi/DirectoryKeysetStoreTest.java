package health.treatment.security.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryKeysetStoreTest {
  @TempDir Path dir;

  @Test
  void savesAndLoadsNamedBlobsReplacingAtomically() throws Exception {
    DirectoryKeysetStore store = new DirectoryKeysetStore(dir.resolve("keysets"));
    assertThat(store.load("phi-aead")).isEmpty();
    store.save("phi-aead", new byte[] {1, 2, 3});
    store.save("phi-aead", new byte[] {4, 5});
    assertThat(store.load("phi-aead")).hasValueSatisfying(b -> assertThat(b).containsExactly(4, 5));
    try (Stream<Path> files = Files.list(dir.resolve("keysets"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("phi-aead.tink");
    }
  }

  @Test
  void filesAreOwnerOnlyWherePosix() throws Exception {
    DirectoryKeysetStore store = new DirectoryKeysetStore(dir.resolve("keysets"));
    store.save("phi-aead", new byte[] {1});
    Path file = store.fileFor("phi-aead");
    assertThat(file).exists();
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void rejectsNamesThatCouldEscapeTheDirectory() {
    DirectoryKeysetStore store = new DirectoryKeysetStore(dir);
    for (String bad : new String[] {"../x", "A", "", "a/b", "x.tink"}) {
      assertThatThrownBy(() -> store.save(bad, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
