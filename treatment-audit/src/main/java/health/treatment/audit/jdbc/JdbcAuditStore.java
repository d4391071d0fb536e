package health.treatment.audit.jdbc;

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
import health.treatment.audit.spi.SigningKeyRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@link AuditStore} on plain JDBC, on the connection of the caller's current transaction (it never begins, commits
 * or rolls back). Appends are one batched INSERT per call; every read goes to the database. Schema: the Flyway
 * migrations listed in {@link health.treatment.audit.AuditTrail#MIGRATIONS}; runs on PostgreSQL and on H2 2.x in
 * PostgreSQL mode.
 */
public final class JdbcAuditStore implements AuditStore {

    private static final String EVENT_COLUMNS = "event_time_us, device_time_us, client_id, roles, token_id, "
            + "cert_thumbprint, action, resource_type, record_id, outcome, http_status, reason_code, source_ip, node_id, "
            + "request_id";
    private static final int EVENT_COLUMN_COUNT = 15;
    private static final String SEALED_SELECT = "SELECT seq, hash, " + EVENT_COLUMNS + " FROM audit_event ";
    // nextval(): ids need only be increasing, not dense (PostgreSQL, and H2 in PostgreSQL mode).
    private static final String APPEND = "INSERT INTO audit_outbox (outbox_id, " + EVENT_COLUMNS
            + ") VALUES (nextval('audit_outbox_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // Sealing moves a pending event into the chain (audit_event is append-only, audit_outbox holds the pending ones):
    // the event as the sealer read and hashed it goes in, and its outbox row goes away.
    private static final String SEAL = "INSERT INTO audit_event (outbox_id, seq, hash, " + EVENT_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SEALED = "DELETE FROM audit_outbox WHERE outbox_id = ?";
    // An event sealed as it is written (AuditTrail.appendSealed): no pending row; outbox_id still from the sequence.
    private static final String APPEND_SEALED = "INSERT INTO audit_event (outbox_id, seq, hash, " + EVENT_COLUMNS
            + ") VALUES (nextval('audit_outbox_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String CHECKPOINT_SELECT =
            "SELECT seq, head_hash, created_us, kind, key_id, signature FROM audit_checkpoint ";
    private static final String KEY_SELECT = "SELECT key_id, public_key, valid_from_us, valid_until_us, endorsed_by, "
            + "endorsement FROM audit_signing_key ";
    private static final String STATE_COLUMNS =
            "lease_holder, lease_expires_us, head_seq, head_hash, checkpoint_seq, checkpoint_us";

    // Long microseconds reach about +-292 000 years; beyond that a bound is "open".
    private static final Instant MIN_MICROS_INSTANT = Instant.ofEpochSecond(-9_000_000_000_000L);
    private static final Instant MAX_MICROS_INSTANT = Instant.ofEpochSecond(9_000_000_000_000L);

    private final Supplier<Connection> connection;

    /** @param connection the connection of the caller's current transaction, asked for on every call */
    public JdbcAuditStore(Supplier<Connection> connection) {
        this.connection = Objects.requireNonNull(connection, "connection supplier");
    }

    private Connection connection() {
        Connection c = connection.get();
        if (c == null) {
            throw new AuditException("audit store: no connection bound to the current transaction");
        }
        return c;
    }

    @Override
    public void append(AuditEvent event) {
        appendAll(List.of(Objects.requireNonNull(event, "event")));
    }

    @Override
    public void appendAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection().prepareStatement(APPEND)) {
            for (AuditEvent e : events) {
                bindEvent(ps, 0, e);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new AuditException("audit store: append failed", e);
        }
    }

    /** Binds the {@value #EVENT_COLUMN_COUNT} event columns at parameters {@code offset + 1} and on. */
    private static void bindEvent(PreparedStatement ps, int offset, AuditEvent e) throws SQLException {
        ps.setLong(offset + 1, Canonical.micros(e.time()));
        if (e.deviceTime() == null) {
            ps.setNull(offset + 2, Types.BIGINT);
        } else {
            ps.setLong(offset + 2, Canonical.micros(e.deviceTime()));
        }
        text(ps, offset + 3, e.clientId());
        text(ps, offset + 4, e.roles().isEmpty() ? null : String.join(",", e.roles()));
        text(ps, offset + 5, e.tokenId());
        text(ps, offset + 6, e.certificateThumbprint());
        text(ps, offset + 7, e.action());
        text(ps, offset + 8, e.resourceType());
        text(ps, offset + 9, e.recordId());
        text(ps, offset + 10, e.outcome().code());
        ps.setInt(offset + 11, e.httpStatus());
        text(ps, offset + 12, e.reasonCode());
        text(ps, offset + 13, e.sourceIp());
        text(ps, offset + 14, e.nodeId());
        text(ps, offset + 15, e.requestId());
    }

    private static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    @Override
    public ChainState lockChainState() {
        return chainState(
                "SELECT " + STATE_COLUMNS + " FROM audit_chain_state WHERE id = 1 FOR UPDATE",
                "audit store: cannot lock the chain state");
    }

    @Override
    public ChainState readChainState() {
        return chainState(
                "SELECT " + STATE_COLUMNS + " FROM audit_chain_state WHERE id = 1",
                "audit store: cannot read the chain state");
    }

    private ChainState chainState(String sql, String failure) {
        try (PreparedStatement ps = connection().prepareStatement(sql);
                ResultSet r = ps.executeQuery()) {
            if (!r.next()) {
                throw new AuditException("audit store: chain state row missing");
            }
            return new ChainState(
                    r.getString(1),
                    Canonical.fromMicros(r.getLong(2)),
                    r.getLong(3),
                    r.getString(4),
                    r.getLong(5),
                    Canonical.fromMicros(r.getLong(6)));
        } catch (SQLException e) {
            throw new AuditException(failure, e);
        }
    }

    @Override
    public void saveChainState(ChainState s) {
        int n = update(
                "UPDATE audit_chain_state SET lease_holder = ?, lease_expires_us = ?, head_seq = ?, "
                        + "head_hash = ?, checkpoint_seq = ?, checkpoint_us = ? WHERE id = 1",
                s.leaseHolder(),
                Canonical.micros(s.leaseExpires()),
                s.headSequence(),
                s.headHash(),
                s.checkpointSequence(),
                Canonical.micros(s.checkpointTime()));
        if (n != 1) {
            throw new AuditException("audit store: chain state row missing");
        }
    }

    @Override
    public List<PendingEvent> unsealed(int limit) {
        String sql = "SELECT outbox_id, " + EVENT_COLUMNS + " FROM audit_outbox ORDER BY outbox_id LIMIT ?";
        List<PendingEvent> out = new ArrayList<>();
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    long outboxId = r.getLong(1);
                    PendingEvent p;
                    try {
                        p = new PendingEvent(outboxId, event(r, 2));
                    } catch (RuntimeException e) {
                        // Only direct tampering inside the write/seal window gets here. Hand the row to the sealer as
                        // invalid (it seals a tamper finding in its place); the content is never looked at again.
                        p = PendingEvent.invalid(outboxId);
                    }
                    out.add(p);
                }
            }
        } catch (SQLException e) {
            throw new AuditException("audit store: query failed", e);
        }
        return out;
    }

    @Override
    public Optional<Instant> oldestPendingTime() {
        OptionalLong t = single("SELECT event_time_us FROM audit_outbox ORDER BY outbox_id LIMIT 1");
        return t.isPresent() ? Optional.of(Canonical.fromMicros(t.getAsLong())) : Optional.empty();
    }

    @Override
    public void seal(List<SealedPosition> positions) {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection().prepareStatement(SEAL);
                PreparedStatement delete = connection().prepareStatement(SEALED)) {
            for (SealedPosition p : positions) {
                insert.setLong(1, p.outboxId());
                insert.setLong(2, p.sequence());
                insert.setString(3, p.hash());
                bindEvent(insert, 3, p.event());
                insert.addBatch();
                delete.setLong(1, p.outboxId());
                delete.addBatch();
            }
            requireOneEach(insert.executeBatch());
            requireOneEach(delete.executeBatch());
        } catch (SQLException e) {
            throw new AuditException("audit store: sealing failed", e);
        }
    }

    @Override
    public void appendSealed(List<SealedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection().prepareStatement(APPEND_SEALED)) {
            for (SealedEvent e : events) {
                insert.setLong(1, e.sequence());
                insert.setString(2, e.hash());
                bindEvent(insert, 2, e.event());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new AuditException("audit store: append failed", e);
        }
    }

    private static void requireOneEach(int[] counts) {
        for (int n : counts) {
            if (n != 1 && n != Statement.SUCCESS_NO_INFO) {
                throw new AuditException("audit store: event to seal vanished or was already sealed");
            }
        }
    }

    @Override
    public void saveCheckpoint(Checkpoint c) {
        update(
                "INSERT INTO audit_checkpoint (id, seq, kind, head_hash, created_us, key_id, signature) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                checkpointId(c),
                c.sequence(),
                c.kind().code(),
                c.headHash(),
                Canonical.micros(c.time()),
                c.keyId(),
                c.signature());
    }

    /** Primary key of a checkpoint row: {@code kind ':' sequence}. */
    static String checkpointId(Checkpoint c) {
        return c.kind().code() + ":" + c.sequence();
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return checkpointRows(CHECKPOINT_SELECT + "ORDER BY seq, kind");
    }

    @Override
    public List<Checkpoint> checkpointsAfter(long afterSequence, int limit) {
        return checkpointRows(CHECKPOINT_SELECT + "WHERE seq > ? ORDER BY seq, kind LIMIT ?", afterSequence, limit);
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return checkpointRows(CHECKPOINT_SELECT + "ORDER BY seq DESC, kind DESC LIMIT 1").stream()
                .findFirst();
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint(Checkpoint.Kind kind) {
        return checkpointRows(CHECKPOINT_SELECT + "WHERE kind = ? ORDER BY seq DESC LIMIT 1", kind.code()).stream()
                .findFirst();
    }

    private List<Checkpoint> checkpointRows(String sql, Object... params) {
        List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                try {
                    out.add(new Checkpoint(
                            r.getLong(1),
                            r.getString(2),
                            Canonical.fromMicros(r.getLong(3)),
                            Checkpoint.Kind.fromCode(r.getString(4)),
                            r.getString(5),
                            r.getString(6)));
                } catch (RuntimeException e) {
                    // A mangled checkpoint row cannot be trusted; represent it as one whose signature cannot verify.
                    out.add(new Checkpoint(
                            r.getLong(1),
                            "0".repeat(64),
                            Instant.EPOCH,
                            Checkpoint.Kind.PERIODIC,
                            "0".repeat(16),
                            "00"));
                }
            }
        } catch (SQLException e) {
            throw new AuditException("audit store: query failed", e);
        }
        return out;
    }

    @Override
    public List<SealedEvent> sealedRange(long fromSequence, long toSequence, int limit) {
        return sealed(
                SEALED_SELECT + "WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?", fromSequence, toSequence, limit);
    }

    @Override
    public List<SealedEvent> sealedByTime(Instant from, Instant to, long afterSequence, int limit) {
        return sealed(
                SEALED_SELECT + "WHERE seq > ? AND event_time_us >= ? AND event_time_us < ? ORDER BY seq LIMIT ?",
                afterSequence,
                micros(from),
                micros(to),
                limit);
    }

    @Override
    public OptionalLong minSequence(Instant from, Instant to) {
        return single(
                "SELECT MIN(seq) FROM audit_event WHERE event_time_us >= ? " + "AND event_time_us < ?",
                micros(from),
                micros(to));
    }

    @Override
    public OptionalLong maxSequence(Instant from, Instant to) {
        return single(
                "SELECT MAX(seq) FROM audit_event WHERE event_time_us >= ? " + "AND event_time_us < ?",
                micros(from),
                micros(to));
    }

    @Override
    public Optional<SealedEvent> sealedAt(long sequence) {
        List<SealedEvent> l = sealedRange(sequence, sequence, 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public OptionalLong firstSealedSequence() {
        return single("SELECT MIN(seq) FROM audit_event");
    }

    @Override
    public OptionalLong lastSealedSequence() {
        return single("SELECT MAX(seq) FROM audit_event");
    }

    @Override
    public long deleteSealedThrough(long through) {
        return update("DELETE FROM audit_event WHERE seq <= ?", through);
    }

    @Override
    public void deleteCheckpointsThrough(long through, Checkpoint keep) {
        update("DELETE FROM audit_checkpoint WHERE seq <= ? AND id <> ?", through, checkpointId(keep));
    }

    // ------------------------------------------------------------------ signing keys

    @Override
    public List<SigningKeyRecord> signingKeys() {
        return keyRows(KEY_SELECT + "ORDER BY valid_from_us, key_id");
    }

    @Override
    public Optional<SigningKeyRecord> signingKey(String keyId) {
        return keyRows(KEY_SELECT + "WHERE key_id = ?", keyId).stream().findFirst();
    }

    @Override
    public void insertSigningKey(SigningKeyRecord k) {
        try (PreparedStatement ps = connection()
                .prepareStatement("INSERT INTO audit_signing_key (key_id, public_key, "
                        + "valid_from_us, valid_until_us, endorsed_by, endorsement) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, k.keyId());
            ps.setString(2, k.publicKey());
            ps.setLong(3, Canonical.micros(k.validFrom()));
            until(ps, 4, k.validUntil());
            ps.setString(5, k.endorsedBy());
            ps.setString(6, k.endorsement());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("audit store: cannot register the signing key", e);
        }
    }

    @Override
    public void updateSigningKey(SigningKeyRecord k) {
        try (PreparedStatement ps = connection()
                .prepareStatement("UPDATE audit_signing_key SET valid_from_us = ?, "
                        + "valid_until_us = ?, endorsed_by = ?, endorsement = ? WHERE key_id = ?")) {
            ps.setLong(1, Canonical.micros(k.validFrom()));
            until(ps, 2, k.validUntil());
            ps.setString(3, k.endorsedBy());
            ps.setString(4, k.endorsement());
            ps.setString(5, k.keyId());
            if (ps.executeUpdate() != 1) {
                throw new AuditException("audit store: signing key row missing");
            }
        } catch (SQLException e) {
            throw new AuditException("audit store: cannot update the signing key", e);
        }
    }

    private static void until(PreparedStatement ps, int index, Optional<Instant> until) throws SQLException {
        if (until.isPresent()) {
            ps.setLong(index, Canonical.micros(until.get()));
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    private List<SigningKeyRecord> keyRows(String sql, Object... params) {
        List<SigningKeyRecord> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                try {
                    long until = r.getLong(4);
                    Optional<Instant> validUntil =
                            r.wasNull() ? Optional.empty() : Optional.of(Canonical.fromMicros(until));
                    out.add(new SigningKeyRecord(
                            r.getString(1),
                            r.getString(2),
                            Canonical.fromMicros(r.getLong(3)),
                            validUntil,
                            r.getString(5),
                            r.getString(6)));
                } catch (RuntimeException e) {
                    // Unreadable row: it could never be trusted anyway.
                }
            }
        } catch (SQLException e) {
            throw new AuditException("audit store: query failed", e);
        }
        return out;
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

    private List<SealedEvent> sealed(String sql, Object... params) {
        List<SealedEvent> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                long seq = r.getLong(1);
                String hash = r.getString(2);
                AuditEvent e;
                try {
                    e = event(r, 3);
                } catch (RuntimeException ex) {
                    throw new InvalidStoredEventException(seq, ex);
                }
                out.add(new SealedEvent(seq, hash == null ? "" : hash, e));
            }
        } catch (SQLException e) {
            throw new AuditException("audit store: query failed", e);
        }
        return out;
    }

    /** The event whose {@value #EVENT_COLUMN_COUNT} columns start at {@code first}. */
    private static AuditEvent event(ResultSet r, int first) throws SQLException {
        long deviceTime = r.getLong(first + 1);
        Instant device = r.wasNull() ? null : Canonical.fromMicros(deviceTime);
        String roles = r.getString(first + 3);
        int status = r.getInt(first + 10);
        if (r.wasNull()) {
            throw new AuditException("audit store: http_status is missing");
        }
        return new AuditEvent(
                Canonical.fromMicros(r.getLong(first)),
                device,
                r.getString(first + 2),
                roles == null || roles.isEmpty() ? List.of() : Arrays.asList(roles.split(",")),
                r.getString(first + 4),
                r.getString(first + 5),
                r.getString(first + 6),
                r.getString(first + 7),
                r.getString(first + 8),
                Outcome.fromCode(r.getString(first + 9)),
                status,
                r.getString(first + 11),
                r.getString(first + 12),
                r.getString(first + 13),
                r.getString(first + 14));
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection().prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                Object v = params[i];
                if (v == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else if (v instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (v instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) v);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private OptionalLong single(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet r = ps.executeQuery()) {
            if (!r.next()) {
                return OptionalLong.empty();
            }
            long v = r.getLong(1);
            return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        } catch (SQLException e) {
            throw new AuditException("audit store: query failed", e);
        }
    }

    private int update(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("audit store: update failed", e);
        }
    }
}
