package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unwrapped per-patient keys, kept briefly so that a patient's records do not each pay the unwrap (an AES-GCM
 * decryption and a keyset parse). Keyed by the wrapped key's bytes: only a caller that still holds those bytes (read
 * from the database) gets the key, so an erased patient's key, whose wrapped bytes are gone, is never handed out for
 * new data; its cached copy lives at most {@code ttlNanos} (or until {@link #clear()}). Bounded: least recently used
 * entries go first. Holds no key material in any {@code toString}.
 */
public final class PatientKeyCache {

    /** Unwraps a wrapped key (the cache's loader). */
    @FunctionalInterface
    public interface Unwrapper {
        Aead unwrap(byte[] wrappedKey) throws GeneralSecurityException;
    }

    private record Entry(Aead aead, long expiresAtNanos) {
        @Override
        public String toString() {
            return "PatientKeyCache.Entry[redacted]";
        }
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final Map<ByteBuffer, Entry> entries;

    public PatientKeyCache(int maxEntries, long ttlNanos) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Entry> eldest) {
                return size() > PatientKeyCache.this.maxEntries;
            }
        };
    }

    /** The cached key for these wrapped bytes, or the unwrapped one (then cached). Disabled when maxEntries is 0. */
    public Aead get(byte[] wrappedKey, Unwrapper unwrapper) throws GeneralSecurityException {
        if (maxEntries == 0) {
            return unwrapper.unwrap(wrappedKey);
        }
        ByteBuffer id = ByteBuffer.wrap(wrappedKey.clone());
        long now = System.nanoTime();
        synchronized (entries) {
            Entry e = entries.get(id);
            if (e != null && now - e.expiresAtNanos < 0) {
                return e.aead;
            }
        }
        // Unwrap outside the lock: it is the slow part, and two threads unwrapping the same key is harmless.
        Aead aead = unwrapper.unwrap(wrappedKey);
        synchronized (entries) {
            entries.put(id, new Entry(aead, now + ttlNanos));
        }
        return aead;
    }

    /** Caches a key the caller just created (so its first use needs no unwrap). */
    public void put(byte[] wrappedKey, Aead aead) {
        if (maxEntries == 0) {
            return;
        }
        synchronized (entries) {
            entries.put(ByteBuffer.wrap(wrappedKey.clone()), new Entry(aead, System.nanoTime() + ttlNanos));
        }
    }

    /** Forgets every cached key (after an erasure, a key-ring change, or on shutdown). */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public String toString() {
        return "PatientKeyCache[max=" + maxEntries + "]";
    }
}
