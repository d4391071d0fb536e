package health.treatment.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Immutable configuration of the write path (the WAR builds it from MicroProfile Config).
 *
 * @param writerThreads threads that commit groups of writes, each on its own connection (1-64)
 * @param maxGroupSize most writes committed in one transaction (1-10000)
 * @param queueCapacity most writes waiting for a writer; beyond it a write is refused at once (unavailable)
 * @param commitTimeout how long a caller waits for its write to commit before it is told "unavailable"
 * @param statementTimeout JDBC query timeout of every statement (bounds a group stuck in the database)
 * @param threadFactory makes the writer threads (an application server's managed thread factory)
 */
public record StoreConfig(
        int writerThreads,
        int maxGroupSize,
        int queueCapacity,
        Duration commitTimeout,
        Duration statementTimeout,
        ThreadFactory threadFactory) {

    public StoreConfig {
        if (writerThreads < 1 || writerThreads > 64) {
            throw new IllegalArgumentException("writerThreads must be 1..64");
        }
        if (maxGroupSize < 1 || maxGroupSize > 10_000) {
            throw new IllegalArgumentException("maxGroupSize must be 1..10000");
        }
        if (queueCapacity < maxGroupSize) {
            throw new IllegalArgumentException("queueCapacity must be at least maxGroupSize");
        }
        positive(commitTimeout, "commitTimeout");
        positive(statementTimeout, "statementTimeout");
        Objects.requireNonNull(threadFactory, "threadFactory");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /**
     * Defaults: 2 writers, groups of up to 256, 20,000 queued writes, 10 s commit timeout, 10 s statement timeout,
     * {@link Executors#defaultThreadFactory()}.
     */
    public static StoreConfig defaults() {
        return new StoreConfig(
                2, 256, 20_000, Duration.ofSeconds(10), Duration.ofSeconds(10), Executors.defaultThreadFactory());
    }

    public StoreConfig withWriterThreads(int n) {
        return new StoreConfig(n, maxGroupSize, queueCapacity, commitTimeout, statementTimeout, threadFactory);
    }

    public StoreConfig withThreadFactory(ThreadFactory factory) {
        return new StoreConfig(writerThreads, maxGroupSize, queueCapacity, commitTimeout, statementTimeout, factory);
    }

    public StoreConfig withMaxGroupSize(int n) {
        return new StoreConfig(
                writerThreads, n, Math.max(queueCapacity, n), commitTimeout, statementTimeout, threadFactory);
    }

    public StoreConfig withCommitTimeout(Duration timeout) {
        return new StoreConfig(writerThreads, maxGroupSize, queueCapacity, timeout, statementTimeout, threadFactory);
    }
}
