package health.treatment.audit.jpa;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditException;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.Outcome;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.internal.Canonical;
import health.treatment.audit.spi.AuditStore;
import health.treatment.audit.spi.ChainState;
import health.treatment.audit.spi.InvalidStoredEventException;
import health.treatment.audit.spi.PendingEvent;
import health.treatment.audit.spi.SealedPosition;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@link AuditStore} on JPA, using the caller's transaction-bound {@link EntityManager} (never begins or commits).
 * Appends go through the entity (one INSERT, id from a preallocated sequence block: no lock, no chain-head read);
 * everything the sealer and the verifier read goes through plain SQL so they always see the database, not a cache.
 * Schema: Flyway migrations at {@code classpath:db/migration/audit} (V100+).
 */
public final class JpaAuditStore implements AuditStore {

    /** Entity classes to list in the persistence unit. */
    public static final List<String> ENTITY_CLASS_NAMES =
            List.of(AuditEventEntity.class.getName(), AuditCheckpointEntity.class.getName());

    private static final String EVENT_COLUMNS = "event_time_us, device_time_us, client_id, roles, token_id, "
            + "cert_thumbprint, action, resource_type, record_id, outcome, http_status, reason_code, source_ip, node_id, "
            + "request_id";
    private static final String SEALED_SELECT = "SELECT seq, hash, " + EVENT_COLUMNS + " FROM audit_event ";

    // Long microseconds reach about +-292 000 years; beyond that a bound is "open".
    private static final Instant MIN_MICROS_INSTANT = Instant.ofEpochSecond(-9_000_000_000_000L);
    private static final Instant MAX_MICROS_INSTANT = Instant.ofEpochSecond(9_000_000_000_000L);

    private static final String SEAL_SQL = "UPDATE audit_event SET seq = ?, hash = ? WHERE outbox_id = ? AND seq IS NULL";
    private static final String SEAL_NATIVE =
            "UPDATE audit_event SET seq = ?1, hash = ?2 WHERE outbox_id = ?3 AND seq IS NULL";

    // nextval() (PostgreSQL, and H2 in PostgreSQL mode): ids need only be increasing, not dense. The CAST types a
    // null bind (EclipseLink binds untyped nulls as VARCHAR, which PostgreSQL rejects for a BIGINT column).
    private static final String APPEND_SQL = "INSERT INTO audit_event (outbox_id, " + EVENT_COLUMNS
            + ") VALUES (nextval('audit_outbox_seq'), ?, CAST(? AS BIGINT), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String APPEND_NATIVE = "INSERT INTO audit_event (outbox_id, " + EVENT_COLUMNS
            + ") VALUES (nextval('audit_outbox_seq'), ?1, CAST(?2 AS BIGINT), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
            + " ?13, ?14, ?15)";

    private final Supplier<EntityManager> em;

    public JpaAuditStore(Supplier<EntityManager> em) {
        this.em = Objects.requireNonNull(em, "entity manager supplier");
    }

    private EntityManager em() {
        EntityManager m = em.get();
        if (m == null) {
            throw new AuditException("audit store: no entity manager bound to the current transaction");
        }
        return m;
    }

    @Override
    public void append(AuditEvent event) {
        Object[] values = {
                Canonical.micros(event.time()),
                event.deviceTime() == null ? null : Canonical.micros(event.deviceTime()),
                event.clientId(),
                event.roles().isEmpty() ? null : String.join(",", event.roles()),
                event.tokenId(), event.certificateThumbprint(), event.action(), event.resourceType(),
                event.recordId(), event.outcome().code(), event.httpStatus(), event.reasonCode(), event.sourceIp(),
                event.nodeId(), event.requestId()};
        Connection c = connection();
        if (c == null) {
            update(APPEND_NATIVE, values);
            return;
        }
        // One plain INSERT on the transaction's connection, executed now: no entity, no unit-of-work change set.
        try (PreparedStatement ps = c.prepareStatement(APPEND_SQL)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    ps.setNull(i + 1, i == 1 ? Types.BIGINT : Types.VARCHAR);
                } else if (v instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (v instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) v);
                }
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("audit store: append failed", e);
        }
    }

    /**
     * The JDBC connection of the caller's transaction when the provider exposes it (EclipseLink does, in both
     * resource-local and JTA transactions); null otherwise, and the store then uses JPA native queries.
     */
    private Connection connection() {
        try {
            return em().unwrap(Connection.class);
        } catch (PersistenceException | IllegalStateException e) {
            return null;
        }
    }

    @Override
    public ChainState lockChainState() {
        try {
            EntityManager m = em();
            m.flush(); // events recorded earlier in this transaction must be visible to the SQL below
            return toState((Object[]) m.createNativeQuery("SELECT lease_holder, lease_expires_us, head_seq, head_hash, "
                    + "checkpoint_seq, checkpoint_us FROM audit_chain_state WHERE id = 1 FOR UPDATE").getSingleResult());
        } catch (PersistenceException e) {
            throw new AuditException("audit store: cannot lock the chain state", e);
        }
    }

    @Override
    public ChainState readChainState() {
        try {
            return toState((Object[]) em().createNativeQuery("SELECT lease_holder, lease_expires_us, head_seq, "
                    + "head_hash, checkpoint_seq, checkpoint_us FROM audit_chain_state WHERE id = 1").getSingleResult());
        } catch (PersistenceException e) {
            throw new AuditException("audit store: cannot read the chain state", e);
        }
    }

    private static ChainState toState(Object[] r) {
        return new ChainState((String) r[0], Canonical.fromMicros(num(r[1])), num(r[2]), (String) r[3], num(r[4]),
                Canonical.fromMicros(num(r[5])));
    }

    @Override
    public void saveChainState(ChainState s) {
        int n = update("UPDATE audit_chain_state SET lease_holder = ?1, lease_expires_us = ?2, head_seq = ?3, "
                        + "head_hash = ?4, checkpoint_seq = ?5, checkpoint_us = ?6 WHERE id = 1",
                s.leaseHolder(), Canonical.micros(s.leaseExpires()), s.headSequence(), s.headHash(),
                s.checkpointSequence(), Canonical.micros(s.checkpointTime()));
        if (n != 1) {
            throw new AuditException("audit store: chain state row missing");
        }
    }

    @Override
    public List<PendingEvent> unsealed(int limit) {
        List<Object[]> rows = rows("SELECT outbox_id, " + EVENT_COLUMNS
                + " FROM audit_event WHERE seq IS NULL ORDER BY outbox_id LIMIT ?1", limit);
        List<PendingEvent> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            try {
                out.add(new PendingEvent(num(r[0]), event(r, 1)));
            } catch (AuditException e) {
                // Only direct tampering inside the write/seal window gets here; refuse to seal over it.
                throw new AuditException("audit store: an unsealed row is not a valid event; sealing stopped", e);
            }
        }
        return out;
    }

    @Override
    public void seal(List<SealedPosition> positions) {
        if (positions.isEmpty()) {
            return;
        }
        // One batched statement instead of a JPA query per row (the sealer's main cost).
        Connection c = connection();
        if (c != null) {
            try (PreparedStatement ps = c.prepareStatement(SEAL_SQL)) {
                for (SealedPosition p : positions) {
                    ps.setLong(1, p.sequence());
                    ps.setString(2, p.hash());
                    ps.setLong(3, p.outboxId());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int n : counts) {
                    if (n != 1 && n != Statement.SUCCESS_NO_INFO) {
                        throw new AuditException("audit store: event to seal vanished or was already sealed");
                    }
                }
                return;
            } catch (SQLException e) {
                throw new AuditException("audit store: sealing failed", e);
            }
        }
        for (SealedPosition p : positions) {
            if (update(SEAL_NATIVE, p.sequence(), p.hash(), p.outboxId()) != 1) {
                throw new AuditException("audit store: event to seal vanished or was already sealed");
            }
        }
    }

    @Override
    public void saveCheckpoint(Checkpoint checkpoint) {
        try {
            EntityManager m = em();
            m.persist(AuditCheckpointEntity.of(checkpoint));
            m.flush(); // rare, and later SQL in the same transaction must see it
        } catch (PersistenceException e) {
            throw new AuditException("audit store: cannot save checkpoint", e);
        }
    }

    @Override
    public List<Checkpoint> checkpoints() {
        List<Object[]> rows = rows("SELECT seq, head_hash, created_us, kind, key_id, signature FROM audit_checkpoint "
                + "ORDER BY seq, kind");
        List<Checkpoint> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            try {
                out.add(new Checkpoint(num(r[0]), (String) r[1], Canonical.fromMicros(num(r[2])),
                        Checkpoint.Kind.fromCode((String) r[3]), (String) r[4], (String) r[5]));
            } catch (AuditException | NullPointerException e) {
                // A mangled checkpoint row cannot be trusted; represent it as one whose signature cannot verify.
                out.add(new Checkpoint(num(r[0]), "0".repeat(64), Instant.EPOCH, Checkpoint.Kind.PERIODIC,
                        "0".repeat(16), "00"));
            }
        }
        return out;
    }

    @Override
    public List<SealedEvent> sealedRange(long fromSequence, long toSequence, int limit) {
        return sealed(rows(SEALED_SELECT + "WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3",
                fromSequence, toSequence, limit));
    }

    @Override
    public List<SealedEvent> sealedByTime(Instant from, Instant to, long afterSequence, int limit) {
        return sealed(rows(SEALED_SELECT + "WHERE seq > ?1 AND event_time_us >= ?2 AND event_time_us < ?3 "
                + "ORDER BY seq LIMIT ?4", afterSequence, micros(from), micros(to), limit));
    }

    @Override
    public OptionalLong minSequence(Instant from, Instant to) {
        return single("SELECT MIN(seq) FROM audit_event WHERE seq IS NOT NULL AND event_time_us >= ?1 "
                + "AND event_time_us < ?2", micros(from), micros(to));
    }

    @Override
    public OptionalLong maxSequence(Instant from, Instant to) {
        return single("SELECT MAX(seq) FROM audit_event WHERE seq IS NOT NULL AND event_time_us >= ?1 "
                + "AND event_time_us < ?2", micros(from), micros(to));
    }

    @Override
    public Optional<SealedEvent> sealedAt(long sequence) {
        List<SealedEvent> l = sealedRange(sequence, sequence, 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public long deleteSealedThrough(long through) {
        return update("DELETE FROM audit_event WHERE seq IS NOT NULL AND seq <= ?1", through);
    }

    @Override
    public void deleteCheckpointsThrough(long through, Checkpoint keep) {
        update("DELETE FROM audit_checkpoint WHERE seq <= ?1 AND id <> ?2", through,
                AuditCheckpointEntity.idOf(keep));
    }

    // ------------------------------------------------------------------ helpers

    /** Clamp to the range a BIGINT microsecond column can hold (Instant.MIN/MAX are used as open bounds). */
    private static long micros(Instant t) {
        if (t.isBefore(MIN_MICROS_INSTANT)) {
            return Long.MIN_VALUE;
        }
        if (t.isAfter(MAX_MICROS_INSTANT)) {
            return Long.MAX_VALUE;
        }
        return Canonical.micros(t);
    }

    private List<SealedEvent> sealed(List<Object[]> rows) {
        List<SealedEvent> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long seq = num(r[0]);
            AuditEvent e;
            try {
                e = event(r, 2);
            } catch (AuditException | IllegalArgumentException | NullPointerException | ArithmeticException ex) {
                throw new InvalidStoredEventException(seq, ex);
            }
            out.add(new SealedEvent(seq, r[1] == null ? "" : (String) r[1], e));
        }
        return out;
    }

    private static AuditEvent event(Object[] r, int o) {
        return new AuditEvent(Canonical.fromMicros(num(r[o])),
                r[o + 1] == null ? null : Canonical.fromMicros(num(r[o + 1])),
                (String) r[o + 2], AuditEventEntity.splitRoles((String) r[o + 3]), (String) r[o + 4],
                (String) r[o + 5], (String) r[o + 6], (String) r[o + 7], (String) r[o + 8],
                Outcome.fromCode((String) r[o + 9]), (int) num(r[o + 10]), (String) r[o + 11], (String) r[o + 12],
                (String) r[o + 13], (String) r[o + 14]);
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }

    private Query query(String sql, Object... params) {
        Query q = em().createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return q;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Object... params) {
        try {
            return query(sql, params).getResultList();
        } catch (PersistenceException e) {
            throw new AuditException("audit store: query failed", e);
        }
    }

    private OptionalLong single(String sql, Object... params) {
        try {
            Object v = query(sql, params).getSingleResult();
            return v == null ? OptionalLong.empty() : OptionalLong.of(num(v));
        } catch (PersistenceException e) {
            throw new AuditException("audit store: query failed", e);
        }
    }

    private int update(String sql, Object... params) {
        try {
            return query(sql, params).executeUpdate();
        } catch (PersistenceException e) {
            throw new AuditException("audit store: update failed", e);
        }
    }
}
