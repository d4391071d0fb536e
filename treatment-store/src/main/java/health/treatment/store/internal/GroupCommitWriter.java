package health.treatment.store.internal;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.store.StoreConfig;
import health.treatment.store.Submission;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Group commit: callers hand in writes and wait; writer threads take whatever is queued (up to the group size) and
 * commit it as one transaction of batched statements ({@link WriteGroup}). Under load one commit carries many requests,
 * so the database sees a few large transactions instead of many small ones; an idle store commits a lone write at once
 * (no waiting for a group to fill).
 *
 * <p>A caller is answered only after its group committed ({@link WriteResult.Written}) or failed. A group that fails
 * for a reason other than a lost connection is retried item by item, so one bad write cannot fail its neighbours. The
 * SIEM log lines of a group's audit events are written after the commit.
 */
public final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(GroupCommitWriter.class);
    private static final int CONFLICT_RETRIES = 4;
    private static final long POLL_MILLIS = 200;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final StorageCrypto crypto;
    private final AuditConfig auditConfig;
    private final StoreConfig config;
    private final BlockingDeque<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public GroupCommitWriter(
            DataSource dataSource, Dialect dialect, StorageCrypto crypto, AuditConfig auditConfig, StoreConfig config) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.crypto = crypto;
        this.auditConfig = auditConfig;
        this.config = config;
        this.queue = new LinkedBlockingDeque<>(config.queueCapacity());
        for (int i = 0; i < config.writerThreads(); i++) {
            Thread t = config.threadFactory().newThread(this::run);
            t.setName("treatment-store-writer-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Writes the records (blocking): one result per submission, in order. {@code canonicalJson} holds each record's
     * canonical JSON (computed once by the caller, who compares it on replays).
     */
    public List<WriteResult> writeRecords(List<Submission> submissions, List<String> canonicalJson) {
        List<Pending> writes = new ArrayList<>(submissions.size());
        for (int i = 0; i < submissions.size(); i++) {
            writes.add(Pending.record(submissions.get(i), canonicalJson.get(i)));
        }
        return awaitAll(writes);
    }

    /** Commits audit events alone (blocking); true once all committed. */
    public boolean writeAudit(List<AuditEvent> events) {
        List<Pending> writes = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            writes.add(Pending.audit(e));
        }
        for (WriteResult r : awaitAll(writes)) {
            if (!(r instanceof WriteResult.Written)) {
                return false;
            }
        }
        return true;
    }

    private List<WriteResult> awaitAll(List<Pending> writes) {
        for (Pending p : writes) {
            if (!offer(p)) {
                p.result.complete(new WriteResult.Failed(new SQLException("write queue full or store closed")));
            }
        }
        List<WriteResult> results = new ArrayList<>(writes.size());
        for (Pending p : writes) {
            results.add(await(p));
        }
        return results;
    }

    /** Queues {@code write}; false when the queue is full or the writer is closing (then nothing will be written). */
    private boolean offer(Pending write) {
        return running && queue.offerLast(write);
    }

    /**
     * Waits for the write's result. On timeout the write is withdrawn if no writer has taken it (never written); a write
     * already taken is waited for a little longer (its statements are bounded by the statement timeout) and is reported
     * failed if it still has not finished.
     */
    private WriteResult await(Pending write) {
        try {
            return write.result.get(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (write.withdraw()) {
                return new WriteResult.Failed(e);
            }
            try {
                return write.result.get(config.statementTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException again) {
                return new WriteResult.Failed(again);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return new WriteResult.Failed(interrupted);
            }
        } catch (ExecutionException e) {
            return new WriteResult.Failed(e.getCause());
        } catch (InterruptedException e) {
            // The caller gave up (a timeout interrupted it): withdraw the write if no writer has taken it yet, so
            // nothing
            // is stored that nobody was told about; a write already taken may still commit (the caller was told
            // nothing).
            write.withdraw();
            Thread.currentThread().interrupt();
            return new WriteResult.Failed(e);
        }
    }

    private void run() {
        RecordIds ids = new RecordIds();
        List<Pending> group = new ArrayList<>(config.maxGroupSize());
        while (running) {
            try {
                Pending first = queue.pollFirst(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.clear();
                group.add(first);
                queue.drainTo(group, config.maxGroupSize() - 1);
                group.removeIf(p -> !p.take());
                if (!group.isEmpty()) {
                    writeGroup(group, ids);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Never let a writer thread die: fail what it held and keep serving.
                LOG.error("treatment store writer failed: {}", e.getClass().getName());
                group.forEach(p -> p.result.complete(new WriteResult.Failed(e)));
            }
        }
    }

    private void writeGroup(List<Pending> group, RecordIds ids) {
        try {
            commit(group, ids);
        } catch (SQLException e) {
            if (group.size() == 1 || isConnectionFailure(e)) {
                LOG.warn(
                        "treatment store: a group of {} writes failed ({}, SQLState {})",
                        group.size(),
                        e.getClass().getSimpleName(),
                        e.getSQLState());
                group.forEach(p -> p.result.complete(new WriteResult.Failed(e)));
                return;
            }
            // Isolate the write that failed: the others deserve their commit.
            for (Pending p : group) {
                try {
                    commit(List.of(p), ids);
                } catch (SQLException single) {
                    LOG.warn(
                            "treatment store: a write failed ({}, SQLState {})",
                            single.getClass().getSimpleName(),
                            single.getSQLState());
                    p.result.complete(new WriteResult.Failed(single));
                }
            }
        }
    }

    /**
     * Commits the group, running it again after a lost race (a conflict, a deadlock or a serialization failure the
     * database broke); completes every write's result.
     */
    private void commit(List<Pending> group, RecordIds ids) throws SQLException {
        Set<String> lockExclusively = Set.of();
        for (int attempt = 1; ; attempt++) {
            WriteGroup.GroupResult done;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    dialect.beginGroup(c);
                    done = new WriteGroup(
                                    c,
                                    dialect,
                                    crypto,
                                    auditConfig,
                                    (int) config.statementTimeout().toSeconds(),
                                    ids,
                                    lockExclusively)
                            .write(group);
                    c.commit();
                } catch (WriteGroup.Conflict conflict) {
                    c.rollback();
                    if (attempt >= CONFLICT_RETRIES) {
                        throw new SQLException("write group kept losing races with concurrent writers", "40001");
                    }
                    Set<String> more = new HashSet<>(lockExclusively);
                    more.addAll(conflict.lockExclusively());
                    lockExclusively = Set.copyOf(more);
                    continue;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (isLostRace(e) && attempt < CONFLICT_RETRIES) {
                        continue;
                    }
                    throw e;
                } catch (RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            // Committed: the SIEM copy first (so every answered write has its line queued), then the callers, then the
            // deferred writes go to the next group.
            AuditTrail.logCommitted(done.events());
            AuditTrail.logCommittedCheckpoints(done.checkpoints());
            for (Map.Entry<Pending, WriteResult> r : done.results().entrySet()) {
                r.getKey().result.complete(r.getValue());
            }
            for (Pending p : done.deferred()) {
                p.release();
                if (!queue.offerFirst(p)) {
                    p.result.complete(new WriteResult.Failed(new SQLException("write queue full")));
                }
            }
            return;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it and the database rolls the transaction back
        }
    }

    /** Deadlock detected (PostgreSQL 40P01) or serialization failure (40001): the transaction is safe to run again. */
    private static boolean isLostRace(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || (state != null && state.startsWith("08"));
    }

    /** Stops taking new writes, fails the queued ones (never written) and stops the writer threads. */
    @Override
    public void close() {
        running = false; // writers notice within one poll interval, after the group they hold
        for (Thread t : threads) {
            try {
                t.join(config.statementTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending p;
        while ((p = queue.pollFirst()) != null) {
            if (p.withdraw()) {
                p.result.complete(new WriteResult.Failed(new SQLException("treatment store closed")));
            }
        }
    }
}
