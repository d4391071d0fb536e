package health.treatment.web.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.web.problem.ProblemException;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private RateLimits limits;

    @BeforeEach
    void setUp() {
        limits = new RateLimits();
        limits.perMinute = 100;
        limits.itemsPerMinute = 1000;
        limits.unauthenticatedPerMinute = 60;
        limits.abuseMaxRejections = 20;
        limits.abuseWindowSeconds = 60;
        limits.clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        limits.openLocal();
    }

    private long refusedRetryAfter(Runnable request) {
        try {
            request.run();
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isEqualTo(429);
            return e.retryAfterSeconds();
        }
        throw new AssertionError("the request was admitted");
    }

    /** Sends until refused (the rounding of earlier waits may have left credit) and returns the Retry-After. */
    private long drained(String client) {
        while (true) {
            try {
                limits.checkClient(client);
            } catch (ProblemException e) {
                assertThat(e.problem().status()).isEqualTo(429);
                return e.retryAfterSeconds();
            }
        }
    }

    @Test
    void aClientGetsItsLimitPerMinuteAndThenA429() {
        for (int i = 0; i < 100; i++) {
            limits.checkClient("dev-1");
        }
        assertThat(refusedRetryAfter(() -> limits.checkClient("dev-1"))).isPositive();
        limits.checkClient("dev-2"); // buckets are per client
    }

    @Test
    void aClientThatWaitsRetryAfterIsAdmitted() {
        for (int i = 0; i < 100; i++) {
            limits.checkClient("dev-1");
        }
        for (int round = 0; round < 50; round++) {
            long wait = drained("dev-1");
            assertThat(wait).isBetween(1L, 60L);
            nanos.addAndGet(wait * 1_000_000_000L);
            limits.checkClient("dev-1"); // admitted, exactly as promised
        }
    }

    @Test
    void anEmptiedBucketAsksForTheTimeOneRequestTakesToRefill() {
        for (int i = 0; i < 100; i++) {
            limits.checkMachine("DX1");
        }
        // 100 per minute refill one token every 0.6 s: Retry-After rounds up to whole seconds.
        assertThat(refusedRetryAfter(() -> limits.checkMachine("DX1"))).isEqualTo(1);
    }

    @Test
    void batchItemsCountAgainstTheirOwnBudgetAndRetryAfterCoversTheWholeBatch() {
        limits.checkItems("gw-1", 900);
        long wait = refusedRetryAfter(() -> limits.checkItems("gw-1", 200));
        // 100 more items are needed; 1000 per minute refill 100 in 6 s.
        assertThat(wait).isEqualTo(6);
        nanos.addAndGet(wait * 1_000_000_000L);
        limits.checkItems("gw-1", 200);
        limits.checkClient("gw-1"); // the request limit is separate
    }

    @Test
    void aBatchLargerThanTheWholeBudgetIsRefusedWithAClearDetail() {
        assertThatThrownBy(() -> limits.checkItems("gw-1", 1001)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(429);
            assertThat(e.problem().detail()).contains("smaller batches");
        });
    }

    @Test
    void anAddressWithoutAValidTokenGetsItsUnauthenticatedLimitAndThenAWait() {
        for (int i = 0; i < 60; i++) {
            assertThat(limits.unauthenticatedWait("10.0.0.9")).isEmpty();
        }
        assertThat(limits.unauthenticatedWait("10.0.0.9").getAsLong()).isBetween(1L, 60L);
        assertThat(limits.unauthenticatedWait("10.0.0.10")).isEmpty(); // per address
        limits.checkClient("10.0.0.9"); // client limits are separate keys
    }

    @Test
    void anAbuseBudgetIsSpentAfterItsRejectionsAndRefillsOnlyWhenItsWindowEnds() {
        for (int i = 0; i < 20; i++) {
            assertThat(limits.countAbuse("client", "dev-1")).isFalse();
        }
        assertThat(limits.abuseWait("client", "dev-1")).isPresent();
        assertThat(limits.countAbuse("client", "dev-1")).isTrue();
        nanos.addAndGet(30_000_000_000L); // half the window: still quarantined (no gradual refill)
        assertThat(limits.abuseWait("client", "dev-1")).isPresent();
        nanos.addAndGet(31_000_000_000L);
        assertThat(limits.abuseWait("client", "dev-1")).isEmpty();
        assertThat(limits.abuseWait("client", "dev-2")).isEmpty();
    }
}
