package health.treatment.audit.jpa;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditException;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.jdbc.JdbcAuditStore;
import health.treatment.audit.spi.AuditStore;
import health.treatment.audit.spi.ChainState;
import health.treatment.audit.spi.PendingEvent;
import health.treatment.audit.spi.SealedPosition;
import health.treatment.audit.spi.SigningKeyRecord;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@link AuditStore} for JPA applications: the caller's transaction-bound {@link EntityManager} (never begins or
 * commits) lends its JDBC connection to a {@link JdbcAuditStore}, so the trail's rows are written and read with plain
 * SQL in the same transaction as the caller's entities. Needs a provider that exposes the connection through
 * {@code EntityManager.unwrap(Connection.class)} inside a transaction (EclipseLink does). Pending entity changes are
 * flushed before every call, so the SQL sees what the caller wrote earlier in the transaction.
 */
public final class JpaAuditStore implements AuditStore {

    /** Entity classes mapping the trail's tables, for persistence units that want to query them. */
    public static final List<String> ENTITY_CLASS_NAMES =
            List.of(AuditEventEntity.class.getName(), AuditCheckpointEntity.class.getName());

    private final Supplier<EntityManager> em;
    private final JdbcAuditStore jdbc;

    public JpaAuditStore(Supplier<EntityManager> em) {
        this.em = Objects.requireNonNull(em, "entity manager supplier");
        this.jdbc = new JdbcAuditStore(this::connection);
    }

    private Connection connection() {
        EntityManager m = em.get();
        if (m == null) {
            throw new AuditException("audit store: no entity manager bound to the current transaction");
        }
        try {
            m.flush();
            return m.unwrap(Connection.class);
        } catch (PersistenceException | IllegalStateException e) {
            throw new AuditException(
                    "audit store: the entity manager exposes no JDBC connection in this transaction", e);
        }
    }

    @Override
    public void append(AuditEvent event) {
        jdbc.append(event);
    }

    @Override
    public void appendAll(List<AuditEvent> events) {
        jdbc.appendAll(events);
    }

    @Override
    public ChainState lockChainState() {
        return jdbc.lockChainState();
    }

    @Override
    public ChainState readChainState() {
        return jdbc.readChainState();
    }

    @Override
    public void saveChainState(ChainState state) {
        jdbc.saveChainState(state);
    }

    @Override
    public List<PendingEvent> unsealed(int limit) {
        return jdbc.unsealed(limit);
    }

    @Override
    public Optional<Instant> oldestPendingTime() {
        return jdbc.oldestPendingTime();
    }

    @Override
    public void seal(List<SealedPosition> positions) {
        jdbc.seal(positions);
    }

    @Override
    public void appendSealed(List<SealedEvent> events) {
        jdbc.appendSealed(events);
    }

    @Override
    public void saveCheckpoint(Checkpoint checkpoint) {
        jdbc.saveCheckpoint(checkpoint);
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return jdbc.checkpoints();
    }

    @Override
    public List<Checkpoint> checkpointsAfter(long afterSequence, int limit) {
        return jdbc.checkpointsAfter(afterSequence, limit);
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return jdbc.latestCheckpoint();
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint(Checkpoint.Kind kind) {
        return jdbc.latestCheckpoint(kind);
    }

    @Override
    public List<SealedEvent> sealedRange(long fromSequence, long toSequence, int limit) {
        return jdbc.sealedRange(fromSequence, toSequence, limit);
    }

    @Override
    public List<SealedEvent> sealedByTime(Instant from, Instant to, long afterSequence, int limit) {
        return jdbc.sealedByTime(from, to, afterSequence, limit);
    }

    @Override
    public OptionalLong minSequence(Instant from, Instant to) {
        return jdbc.minSequence(from, to);
    }

    @Override
    public OptionalLong maxSequence(Instant from, Instant to) {
        return jdbc.maxSequence(from, to);
    }

    @Override
    public Optional<SealedEvent> sealedAt(long sequence) {
        return jdbc.sealedAt(sequence);
    }

    @Override
    public OptionalLong firstSealedSequence() {
        return jdbc.firstSealedSequence();
    }

    @Override
    public OptionalLong lastSealedSequence() {
        return jdbc.lastSealedSequence();
    }

    @Override
    public long deleteSealedThrough(long through) {
        return jdbc.deleteSealedThrough(through);
    }

    @Override
    public void deleteCheckpointsThrough(long through, Checkpoint keep) {
        jdbc.deleteCheckpointsThrough(through, keep);
    }

    @Override
    public List<SigningKeyRecord> signingKeys() {
        return jdbc.signingKeys();
    }

    @Override
    public Optional<SigningKeyRecord> signingKey(String keyId) {
        return jdbc.signingKey(keyId);
    }

    @Override
    public void insertSigningKey(SigningKeyRecord key) {
        jdbc.insertSigningKey(key);
    }

    @Override
    public void updateSigningKey(SigningKeyRecord key) {
        jdbc.updateSigningKey(key);
    }
}
