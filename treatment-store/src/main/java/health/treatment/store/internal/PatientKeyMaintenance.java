package health.treatment.store.internal;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.Outcome;
import health.treatment.security.PatientReference;
import health.treatment.security.PhiDecryptionException;
import health.treatment.security.WrappedPatientKey;
import health.treatment.store.ErasureOutcome;
import health.treatment.store.RewrapResult;
import health.treatment.store.TreatmentStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The SQL of erasure, of the rotation of the wrapping-key epoch, and of record retention; each in transactions of its
 * own (never in a write group), with its audit event committed in the same transaction as its last change where
 * there is one, and the event's SIEM line written after that commit.
 */
public final class PatientKeyMaintenance {

    private static final Logger LOG = LogManager.getLogger(PatientKeyMaintenance.class);

    static final String KEYS_REWRAPPED = "patient.keys_rewrapped";
    static final String RETENTION_PURGED = "treatment.retention_purged";
    private static final int REWRAP_BATCH = 500;
    private static final int REWRAP_PASSES = 3;
    private static final int RACE_ATTEMPTS = 3;
    private static final int[] DELETE_SIZES = {1, 16, 256};

    private static final String FIND_PATIENT =
            "SELECT patient_ref, wrapped_data_key, erased_at FROM patient " + "WHERE blind_index = ? FOR UPDATE";
    private static final String ERASE = "UPDATE patient SET wrapped_data_key = NULL, erased_at = ?, "
            + "key_version = key_version + 1 WHERE patient_ref = ? AND wrapped_data_key IS NOT NULL";
    private static final String COVERED = "SELECT erasures_covered_before FROM patient_key_floor WHERE id = 1";
    private static final String COVER = "UPDATE patient_key_floor SET erasures_covered_before = ? WHERE id = 1";
    private static final String OLDEST_ERASURE = "SELECT MIN(erased_at) FROM patient WHERE erased_at >= ?";
    private static final String OLDEST_ERASURE_EVER = "SELECT MIN(erased_at) FROM patient WHERE erased_at IS NOT NULL";
    private static final String COUNT_RECORDS = "SELECT COUNT(*) FROM treatment_record WHERE patient_ref = ?";
    private static final String RAISE_FLOOR =
            "UPDATE patient_key_floor SET min_wrapping_epoch = ? WHERE id = 1 " + "AND min_wrapping_epoch < ?";
    private static final String OLD_KEYS = "SELECT patient_ref, wrapped_data_key, key_version FROM patient "
            + "WHERE wrapped_data_key IS NOT NULL AND key_epoch < ? AND patient_ref > ? ORDER BY patient_ref LIMIT ?";
    private static final String COUNT_OLD_KEYS =
            "SELECT COUNT(*) FROM patient WHERE wrapped_data_key IS NOT NULL " + "AND key_epoch < ?";
    private static final String READ_KEY =
            "SELECT wrapped_data_key, key_version, key_epoch FROM patient " + "WHERE patient_ref = ?";
    private static final String REWRAP = "UPDATE patient SET wrapped_data_key = ?, key_epoch = ?, "
            + "key_version = key_version + 1 WHERE patient_ref = ? AND key_version = ?";
    private static final String EXPIRED =
            "SELECT id FROM treatment_record WHERE received_at < ? " + "ORDER BY received_at LIMIT ?";

    private final DataSource dataSource;
    private final StorageCrypto crypto;
    private final AuditConfig auditConfig;
    private final int statementTimeoutSeconds;

    public PatientKeyMaintenance(
            DataSource dataSource, StorageCrypto crypto, AuditConfig auditConfig, int statementTimeoutSeconds) {
        this.dataSource = dataSource;
        this.crypto = crypto;
        this.auditConfig = auditConfig;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    /** A unit of work on one transaction's connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c, List<AuditEvent> events) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, appending the events it adds to the hash chain before the commit; the SIEM
     * lines follow the commit.
     */
    private <T> T inTransaction(Work<T> work) throws SQLException {
        List<AuditEvent> events = new ArrayList<>();
        List<Checkpoint> checkpoints;
        T result;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                result = work.run(c, events);
                checkpoints = WriteGroup.appendSealed(c, auditConfig, events);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // broken connection: the database rolls back
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        AuditTrail.logCommitted(events);
        AuditTrail.logCommittedCheckpoints(checkpoints);
        return result;
    }

    /**
     * Destroys the data key of the patient found by the blind index of {@code patientId} and commits the completed
     * {@code attempt} with it.
     */
    public ErasureOutcome erase(String patientId, AuditEvent attempt) {
        String blindIndex = crypto.blindIndex(patientId);
        ErasureOutcome outcome;
        try {
            outcome = inTransaction((c, events) -> {
                String ref;
                boolean hasKey;
                OffsetDateTime erasedBefore;
                try (PreparedStatement find = prepare(c, FIND_PATIENT)) {
                    find.setString(1, blindIndex);
                    try (ResultSet r = find.executeQuery()) {
                        if (!r.next()) {
                            events.add(attempt.completed(null, Outcome.CLIENT_ERROR, 404, "patient_not_found"));
                            return new ErasureOutcome.NotFound();
                        }
                        ref = r.getString(1);
                        hasKey = r.getBytes(2) != null;
                        erasedBefore = r.getObject(3, OffsetDateTime.class);
                    }
                }
                if (!hasKey) {
                    events.add(attempt.completed(ref, Outcome.SUCCESS, 200, "already_erased"));
                    return new ErasureOutcome.AlreadyErased(ref);
                }
                // Time taken under the row lock: a rotation that re-wrapped this row first began before it.
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                OffsetDateTime covered = coveredBefore(c);
                boolean earlierUncovered = erasedBefore != null && (covered == null || !erasedBefore.isBefore(covered));
                try (PreparedStatement erase = prepare(c, ERASE)) {
                    erase.setObject(1, earlierUncovered ? erasedBefore : now);
                    erase.setString(2, ref);
                    if (erase.executeUpdate() != 1) {
                        throw new SQLException("patient row changed under its lock");
                    }
                }
                long records;
                try (PreparedStatement count = prepare(c, COUNT_RECORDS)) {
                    count.setString(1, ref);
                    try (ResultSet r = count.executeQuery()) {
                        r.next();
                        records = r.getLong(1);
                    }
                }
                events.add(attempt.completed(ref, Outcome.SUCCESS, 200, null));
                return new ErasureOutcome.Erased(ref, (int) Math.min(records, Integer.MAX_VALUE));
            });
        } catch (SQLException e) {
            LOG.warn(
                    "treatment store: an erasure failed ({}, SQLState {})",
                    e.getClass().getSimpleName(),
                    e.getSQLState());
            return new ErasureOutcome.Unavailable();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException) { // the audit store wraps database failures
                LOG.warn("treatment store: an erasure failed ({})", e.getClass().getSimpleName());
                return new ErasureOutcome.Unavailable();
            }
            throw e;
        }
        if (outcome instanceof ErasureOutcome.Erased) {
            // This node keeps no unwrapped copy; other nodes' cached copies expire with their cache TTL.
            crypto.forgetCachedPatientKeys();
        }
        return outcome;
    }

    /**
     * The rotation: a new wrapping epoch, the database floor raised to it, every surviving key re-wrapped under it in
     * batches, and, when no key under an older epoch remains, the older epochs destroyed. The audit event is built by
     * {@code audit} from the result and committed by the caller.
     */
    public RewrapResult rewrapAll() {
        OffsetDateTime began = OffsetDateTime.now(ZoneOffset.UTC);
        int epoch = crypto.beginWrappingEpoch();
        try {
            raiseFloor(epoch);
            long rewrapped = 0;
            long remaining = countOldKeys(epoch);
            for (int pass = 0; pass < REWRAP_PASSES && remaining > 0; pass++) {
                long before = rewrapped;
                String after = "";
                List<Candidate> batch;
                while (!(batch = oldKeys(epoch, after)).isEmpty()) {
                    after = batch.get(batch.size() - 1).ref;
                    rewrapped += rewrapBatch(batch, epoch);
                }
                remaining = countOldKeys(epoch);
                if (rewrapped == before) {
                    break; // what is left cannot be unwrapped; another pass would not change that
                }
            }
            boolean destroyed = remaining == 0;
            if (destroyed) {
                crypto.destroyWrappingEpochsBefore(epoch);
                inTransaction((c, events) -> {
                    try (PreparedStatement cover = prepare(c, COVER)) {
                        cover.setObject(1, began);
                        return cover.executeUpdate();
                    }
                });
            } else {
                LOG.warn(
                        "Patient-key rotation to wrapping epoch {}: {} key(s) could not be re-wrapped; older epochs are kept "
                                + "(database backups from before the rotation stay readable)",
                        epoch,
                        remaining);
            }
            return new RewrapResult(epoch, rewrapped, remaining, destroyed);
        } catch (SQLException e) {
            throw new TreatmentStoreException(
                    "treatment store: the patient-key rotation failed (run it again: it starts a "
                            + "new epoch and re-wraps what is left)",
                    e);
        }
    }

    /** When the oldest erasure no completed rotation covers yet happened (a rotation is due after it), if any. */
    public Optional<Instant> oldestErasureAwaitingRewrap() {
        try (Connection c = dataSource.getConnection()) {
            OffsetDateTime covered = coveredBefore(c);
            try (PreparedStatement select = prepare(c, covered == null ? OLDEST_ERASURE_EVER : OLDEST_ERASURE)) {
                if (covered != null) {
                    select.setObject(1, covered);
                }
                try (ResultSet r = select.executeQuery()) {
                    OffsetDateTime oldest = r.next() ? r.getObject(1, OffsetDateTime.class) : null;
                    return Optional.ofNullable(oldest).map(OffsetDateTime::toInstant);
                }
            }
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: erasures awaiting a rotation cannot be read", e);
        }
    }

    private OffsetDateTime coveredBefore(Connection c) throws SQLException {
        try (PreparedStatement select = prepare(c, COVERED);
                ResultSet r = select.executeQuery()) {
            return r.next() ? r.getObject(1, OffsetDateTime.class) : null;
        }
    }

    /** The rotation's audit event: no identifiers, the epoch as the resource, the count in the reason code. */
    public AuditEvent rewrapEvent(RewrapResult result) {
        return AuditEvent.builder()
                .time(Instant.now())
                .action(KEYS_REWRAPPED)
                .resourceType("Patient")
                .recordId("wrapping-epoch-" + result.epoch())
                .outcome(result.olderEpochsDestroyed() ? Outcome.SUCCESS : Outcome.SERVER_ERROR)
                .reasonCode(
                        result.olderEpochsDestroyed()
                                ? "rewrapped." + result.rewrapped()
                                : "incomplete." + result.remaining())
                .nodeId(auditConfig.nodeId())
                .build();
    }

    /**
     * Waits for every transaction that holds the floor's lock (creating patient keys under an older epoch) to commit,
     * then raises the floor: from the commit on, no key under an older epoch can be written by any node.
     */
    private void raiseFloor(int epoch) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                inTransaction((c, events) -> {
                    try (PreparedStatement raise = prepare(c, RAISE_FLOOR)) {
                        raise.setInt(1, epoch);
                        raise.setInt(2, epoch);
                        return raise.executeUpdate();
                    }
                });
                return;
            } catch (SQLException e) {
                if (attempt >= RACE_ATTEMPTS || !isLostRace(e)) {
                    throw e;
                }
            }
        }
    }

    private record Candidate(String ref, byte[] key, long version) {
        @Override
        public String toString() {
            return "Candidate[" + ref + "]";
        }
    }

    private List<Candidate> oldKeys(int epoch, String after) throws SQLException {
        List<Candidate> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(c, OLD_KEYS)) {
            select.setInt(1, epoch);
            select.setString(2, after);
            select.setInt(3, REWRAP_BATCH);
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    found.add(new Candidate(r.getString(1), r.getBytes(2), r.getLong(3)));
                }
            }
        }
        return found;
    }

    private long countOldKeys(int epoch) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = prepare(c, COUNT_OLD_KEYS)) {
            count.setInt(1, epoch);
            try (ResultSet r = count.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Re-wraps one batch in one transaction, each row only if its version is still the one read (an erasure, a re-key
     * or another rotation in between wins); a row that lost is re-read and tried again on its own. Returns how many
     * rows moved.
     */
    private long rewrapBatch(List<Candidate> batch, int epoch) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return rewrapBatchOnce(batch, epoch);
            } catch (SQLException e) {
                // A deadlock with writers (whose shared row locks the batch's updates wait for) is broken by the
                // database;
                // the batch rolled back whole, so running it again with the same versions is safe.
                if (attempt >= RACE_ATTEMPTS || !isLostRace(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isLostRace(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private long rewrapBatchOnce(List<Candidate> batch, int epoch) throws SQLException {
        List<Candidate> sent = new ArrayList<>();
        int[] counts = inTransaction((c, events) -> {
            sent.clear();
            try (PreparedStatement update = prepare(c, REWRAP)) {
                for (Candidate k : batch) {
                    WrappedPatientKey next = rewrapOrNull(k.ref, k.key);
                    if (next == null) {
                        continue;
                    }
                    update.setBytes(1, next.bytes());
                    update.setInt(2, next.wrappingEpoch());
                    update.setString(3, k.ref);
                    update.setLong(4, k.version);
                    update.addBatch();
                    sent.add(k);
                }
                return sent.isEmpty() ? new int[0] : update.executeBatch();
            }
        });
        long moved = 0;
        Set<String> lost = new HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            if (counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO) {
                moved++;
            } else {
                lost.add(sent.get(i).ref);
            }
        }
        for (String ref : lost) {
            moved += rewrapAfterLostRace(ref, epoch) ? 1 : 0;
        }
        return moved;
    }

    /** A row whose version changed: read it again; re-wrap it unless it is erased or already under {@code epoch}. */
    private boolean rewrapAfterLostRace(String ref, int epoch) throws SQLException {
        for (int attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
            byte[] key;
            long version;
            try (Connection c = dataSource.getConnection();
                    PreparedStatement read = prepare(c, READ_KEY)) {
                read.setString(1, ref);
                try (ResultSet r = read.executeQuery()) {
                    if (!r.next()) {
                        return false;
                    }
                    key = r.getBytes(1);
                    version = r.getLong(2);
                    if (key == null || r.getInt(3) >= epoch) {
                        return false; // erased meanwhile, or re-keyed under the new epoch
                    }
                }
            }
            WrappedPatientKey next = rewrapOrNull(ref, key);
            if (next == null) {
                return false;
            }
            int updated = inTransaction((c, events) -> {
                try (PreparedStatement update = prepare(c, REWRAP)) {
                    update.setBytes(1, next.bytes());
                    update.setInt(2, next.wrappingEpoch());
                    update.setString(3, ref);
                    update.setLong(4, version);
                    return update.executeUpdate();
                }
            });
            if (updated == 1) {
                return true;
            }
        }
        return false;
    }

    /** The key re-wrapped under the current epoch, or null (logged by reference) when it cannot be unwrapped. */
    private WrappedPatientKey rewrapOrNull(String ref, byte[] key) {
        try {
            return crypto.rewrap(new PatientReference(ref), new WrappedPatientKey(key));
        } catch (PhiDecryptionException | IllegalArgumentException e) {
            LOG.warn(
                    "Patient-key rotation: the key of patient {} cannot be unwrapped; it stays under its old epoch",
                    ref);
            return null;
        }
    }

    /**
     * Deletes up to {@code maxRecords} records received before {@code cutoff}, oldest first, with their idempotency
     * keys, and commits them with one audit event carrying the count; returns the count.
     */
    public long purgeRecordsReceivedBefore(Instant cutoff, int maxRecords) {
        try {
            return inTransaction((c, events) -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement select = prepare(c, EXPIRED)) {
                    select.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                    select.setInt(2, maxRecords);
                    try (ResultSet r = select.executeQuery()) {
                        while (r.next()) {
                            ids.add(r.getString(1));
                        }
                    }
                }
                int max = DELETE_SIZES[DELETE_SIZES.length - 1];
                for (int from = 0; from < ids.size(); from += max) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + max));
                    deleteWhereIn(c, "DELETE FROM idempotency_key WHERE record_id IN (", chunk);
                    deleteWhereIn(c, "DELETE FROM record_feed WHERE record_id IN (", chunk);
                    deleteWhereIn(c, "DELETE FROM treatment_record WHERE id IN (", chunk);
                }
                events.add(AuditEvent.builder()
                        .time(Instant.now())
                        .action(RETENTION_PURGED)
                        .resourceType("Treatment")
                        .outcome(Outcome.SUCCESS)
                        .reasonCode("purged." + ids.size())
                        .nodeId(auditConfig.nodeId())
                        .build());
                return (long) ids.size();
            });
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: the retention purge failed (nothing was deleted)", e);
        }
    }

    private void deleteWhereIn(Connection c, String prefix, List<String> ids) throws SQLException {
        int size = DELETE_SIZES[DELETE_SIZES.length - 1];
        for (int s : DELETE_SIZES) {
            if (ids.size() <= s) {
                size = s;
                break;
            }
        }
        StringBuilder sql = new StringBuilder(prefix);
        for (int i = 0; i < size; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        try (PreparedStatement delete = prepare(c, sql.append(')').toString())) {
            for (int i = 0; i < size; i++) {
                delete.setString(i + 1, ids.get(Math.min(i, ids.size() - 1)));
            }
            delete.executeUpdate();
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        statement.setQueryTimeout(statementTimeoutSeconds);
        return statement;
    }
}
