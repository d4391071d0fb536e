package health.treatment.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PatientKeyCacheTest {

    private static final class CountingUnwrapper implements PatientKeyCache.Unwrapper {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Aead unwrap(byte[] wrappedKey) {
            calls.incrementAndGet();
            return new Aead() {
                @Override
                public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
                    return plaintext;
                }

                @Override
                public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
                    return ciphertext;
                }
            };
        }
    }

    @Test
    void aKeyIsUnwrappedOnceWhileCachedAndTheCacheIsKeyedByTheWrappedBytes() throws GeneralSecurityException {
        PatientKeyCache cache = new PatientKeyCache(10, 60_000_000_000L);
        CountingUnwrapper unwrapper = new CountingUnwrapper();
        Aead first = cache.get(new byte[] {1, 2, 3}, unwrapper);
        assertThat(cache.get(new byte[] {1, 2, 3}, unwrapper)).isSameAs(first);
        assertThat(unwrapper.calls).hasValue(1);
        cache.get(new byte[] {1, 2, 4}, unwrapper); // other wrapped bytes: another key
        assertThat(unwrapper.calls).hasValue(2);
    }

    @Test
    void entriesExpireAfterTheirTimeToLive() throws Exception {
        PatientKeyCache cache = new PatientKeyCache(10, 1_000_000L); // 1 ms
        CountingUnwrapper unwrapper = new CountingUnwrapper();
        cache.get(new byte[] {1}, unwrapper);
        Thread.sleep(5);
        cache.get(new byte[] {1}, unwrapper);
        assertThat(unwrapper.calls).hasValue(2);
    }

    @Test
    void theCacheIsBoundedAndForgetsTheLeastRecentlyUsedFirst() throws GeneralSecurityException {
        PatientKeyCache cache = new PatientKeyCache(2, 60_000_000_000L);
        CountingUnwrapper unwrapper = new CountingUnwrapper();
        cache.get(new byte[] {1}, unwrapper);
        cache.get(new byte[] {2}, unwrapper);
        cache.get(new byte[] {1}, unwrapper); // 1 is now the most recently used
        cache.get(new byte[] {3}, unwrapper); // evicts 2
        assertThat(unwrapper.calls).hasValue(3);
        cache.get(new byte[] {1}, unwrapper);
        assertThat(unwrapper.calls).hasValue(3);
        cache.get(new byte[] {2}, unwrapper);
        assertThat(unwrapper.calls).hasValue(4);
    }

    @Test
    void clearForgetsEverythingAndSizeZeroCachesNothing() throws GeneralSecurityException {
        PatientKeyCache cache = new PatientKeyCache(10, 60_000_000_000L);
        CountingUnwrapper unwrapper = new CountingUnwrapper();
        cache.get(new byte[] {1}, unwrapper);
        cache.clear();
        cache.get(new byte[] {1}, unwrapper);
        assertThat(unwrapper.calls).hasValue(2);

        PatientKeyCache off = new PatientKeyCache(0, 60_000_000_000L);
        CountingUnwrapper direct = new CountingUnwrapper();
        off.put(new byte[] {1}, direct.unwrap(new byte[] {1}));
        off.get(new byte[] {1}, direct);
        off.get(new byte[] {1}, direct);
        assertThat(direct.calls).hasValue(3);
    }

    @Test
    void theCacheNeverPrintsAKey() {
        assertThat(new PatientKeyCache(10, 1L).toString()).doesNotContain("Aead");
    }
}
