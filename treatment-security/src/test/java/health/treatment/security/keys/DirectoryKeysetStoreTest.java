package health.treatment.security.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryKeysetStoreTest {
    @TempDir
    Path dir;

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
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
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

    @Test
    void deleteRemovesTheBlobForGoodAndIgnoresMissingNames() throws Exception {
        DirectoryKeysetStore store = new DirectoryKeysetStore(dir.resolve("keysets"));
        store.save("patient-wrap-1", new byte[] {9, 9, 9});
        store.save("patient-wrap-2", new byte[] {8});
        store.delete("patient-wrap-1");
        store.delete("patient-wrap-1");
        store.delete("never-there");
        assertThat(store.load("patient-wrap-1")).isEmpty();
        assertThat(store.fileFor("patient-wrap-1")).doesNotExist();
        assertThat(store.load("patient-wrap-2"))
                .hasValueSatisfying(b -> assertThat(b).containsExactly(8));
        assertThatThrownBy(() -> store.delete("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createIfAbsentNeverReplacesAndExactlyOneOfManyConcurrentCreatorsWins() throws Exception {
        DirectoryKeysetStore store = new DirectoryKeysetStore(dir.resolve("keysets"));
        assertThat(store.createIfAbsent("patient-wrap-1", new byte[] {1})).isTrue();
        assertThat(store.createIfAbsent("patient-wrap-1", new byte[] {2})).isFalse();
        assertThat(store.load("patient-wrap-1"))
                .hasValueSatisfying(b -> assertThat(b).containsExactly(1));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> creators = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte value = (byte) i;
                creators.add(() -> store.createIfAbsent("patient-wrap-2", new byte[] {value, value}));
            }
            int won = 0;
            for (Future<Boolean> f : pool.invokeAll(creators)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.load("patient-wrap-2"))
                .hasValueSatisfying(b -> assertThat(b).hasSize(2));
        try (Stream<Path> files = Files.list(dir.resolve("keysets"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temp files left")
                    .containsExactlyInAnyOrder("patient-wrap-1.tink", "patient-wrap-2.tink");
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.fileFor("patient-wrap-2"))))
                    .isEqualTo("rw-------");
        }
    }
}
