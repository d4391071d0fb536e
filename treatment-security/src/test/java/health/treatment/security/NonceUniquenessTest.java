package health.treatment.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No IV repeats across 1,000,000 encryptions under one key. The 12-byte IVs (ciphertext bytes 5..16) are kept as an
 * 8-byte and a 4-byte part in primitive arrays (12 MB instead of ~100 MB for a HashSet of a million boxed IVs); equal
 * IVs have equal first parts, so sorting the first parts finds every candidate and only those go into a HashSet.
 *
 * <p>This checks Tink's random-nonce guarantee, not code of this project, and takes seconds: it runs only with
 * {@code -Plibrary-checks} (see the root pom).
 */
@Tag("library-check")
class NonceUniquenessTest {
    private static final int ENCRYPTIONS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aMillionEncryptionsNeverReuseAnIv() {
        PhiProtection phi = PhiProtection.open(SecurityConfig.development(dir));
        FieldBinding binding = new FieldBinding("rec", "patient_id");
        long[] high = new long[ENCRYPTIONS];
        int[] low = new int[ENCRYPTIONS];
        for (int i = 0; i < ENCRYPTIONS; i++) {
            ByteBuffer iv = ByteBuffer.wrap(phi.encrypt("p", binding), 5, 12);
            high[i] = iv.getLong();
            low[i] = iv.getInt();
        }
        // Equal IVs have equal first 8 bytes: find repeated first parts by sorting, then compare the full IVs only
        // there.
        long[] sorted = high.clone();
        Arrays.sort(sorted);
        Set<Long> repeatedHigh = new HashSet<>();
        for (int i = 1; i < ENCRYPTIONS; i++) {
            if (sorted[i] == sorted[i - 1]) {
                repeatedHigh.add(sorted[i]);
            }
        }
        Set<String> fullIvs = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < ENCRYPTIONS; i++) {
            if (repeatedHigh.contains(high[i]) && !fullIvs.add(high[i] + ":" + low[i])) {
                duplicates++;
            }
        }
        assertThat(duplicates).isZero();
        // Random 96-bit IVs: even the 64-bit prefixes should not collide (probability about 3e-8).
        assertThat(repeatedHigh).isEmpty();
    }
}
