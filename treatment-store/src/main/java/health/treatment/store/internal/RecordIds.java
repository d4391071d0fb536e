package health.treatment.store.internal;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Record ids: UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Time-ordered ids make every
 * insert land at the end of the primary-key index instead of on a random page, which measurably cuts the pages the
 * database rewrites per commit; the 74 random bits (from {@link SecureRandom}) keep ids unguessable. An id reveals
 * when the server stored the record, which a read returns anyway as {@code received_at}.
 */
final class RecordIds {

    private final SecureRandom random = new SecureRandom();

    /** A new id; not thread-safe (one instance per writer thread). */
    String next() {
        long millis = System.currentTimeMillis();
        byte[] r = new byte[10];
        random.nextBytes(r);
        long high = (millis << 16) | 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | ((r[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            low |= (r[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low).toString();
    }
}
