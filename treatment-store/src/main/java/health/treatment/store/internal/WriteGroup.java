package health.treatment.store.internal;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.Outcome;
import health.treatment.audit.jdbc.JdbcAuditStore;
import health.treatment.core.TreatmentRecord;
import health.treatment.security.PatientReference;
import health.treatment.security.WrappedPatientKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SQL of one group commit: every write of the group in one transaction on one connection, each statement batched
 * across the group. In order:
 *
 * <ol>
 *   <li>idempotency keys the group uses that already exist (one SELECT): those writes store nothing and report
 *       {@link WriteResult.KeyExists};</li>
 *   <li>the patients the group's records name (one locking SELECT); new patients are inserted (one batch,
 *       {@code ON CONFLICT DO NOTHING}), erased ones re-keyed (guarded UPDATE). A group that creates a patient key
 *       first reads the wrapping-epoch floor under a shared lock (see {@code V3__patient_key_version.sql}), so a
 *       rotation cannot miss the key;</li>
 *   <li>the records (one batch), their idempotency keys (one batch, {@code ON CONFLICT DO NOTHING}) and every audit
 *       event of the group, appended to the hash chain already sealed (one batch, under the chain head's row lock,
 *       which concurrent groups take in turn).</li>
 * </ol>
 *
 * A race with another transaction (a key or patient inserted between our read and our insert) shows as an update count
 * of 0 and throws {@link Conflict}: the caller rolls back and runs the group again, which then reads the winner's row.
 * Re-keying an erased patient needs the row exclusively: where patient rows are read under shared locks (PostgreSQL),
 * two groups re-keying one patient would deadlock on the upgrade, so a group that meets an erased patient throws
 * {@link Conflict} naming it and is run again locking that row {@code FOR UPDATE} first: one group re-keys, the others
 * wait for it and use its key. The caller commits; this class never commits or rolls back.
 */
final class WriteGroup {

    /**
     * Another transaction inserted a row this group was about to insert, or the group must lock patient rows
     * exclusively ({@link #lockExclusively()}); roll back and run the group again.
     */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Set<String> lockExclusively;

        Conflict() {
            this(Set.of());
        }

        Conflict(Set<String> lockExclusively) {
            super("a concurrent transaction inserted the same key", null, false, false);
            this.lockExclusively = Set.copyOf(lockExclusively);
        }

        /** Patient references the next run must lock {@code FOR UPDATE} (erased patients it will re-key). */
        Set<String> lockExclusively() {
            return lockExclusively;
        }
    }

    /** Sizes the IN lists are padded to, so the database sees a handful of distinct statements, not one per size. */
    private static final int[] LIST_SIZES = {1, 4, 16, 64, 256};

    private static final String INSERT_PATIENT = "INSERT INTO patient (patient_ref, blind_index, identifier_cipher, "
            + "wrapped_data_key, key_epoch, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String REKEY_PATIENT = "UPDATE patient SET identifier_cipher = ?, wrapped_data_key = ?, "
            + "key_epoch = ?, key_version = key_version + 1 WHERE patient_ref = ? AND wrapped_data_key IS NULL";
    private static final String READ_FLOOR = "SELECT min_wrapping_epoch FROM patient_key_floor WHERE id = 1";
    private static final String INSERT_RECORD = "INSERT INTO treatment_record (id, patient_ref, machine_id, "
            + "treatment_start, received_at, submitted_by, document_cipher, encounter_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LOCK_FEED = "SELECT next_seq FROM record_feed_state WHERE id = 1 FOR UPDATE";
    private static final String INSERT_FEED = "INSERT INTO record_feed (feed_seq, record_id) VALUES (?, ?)";
    private static final String ADVANCE_FEED = "UPDATE record_feed_state SET next_seq = ? WHERE id = 1";
    private static final String INSERT_KEY = "INSERT INTO idempotency_key (client_id, idempotency_key, record_id, "
            + "created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final Connection connection;
    private final Dialect dialect;
    private final StorageCrypto crypto;
    private final AuditConfig auditConfig;
    private final int statementTimeoutSeconds;
    private final RecordIds ids;
    private final Set<String> lockExclusively;

    WriteGroup(
            Connection connection,
            Dialect dialect,
            StorageCrypto crypto,
            AuditConfig auditConfig,
            int statementTimeoutSeconds,
            RecordIds ids,
            Set<String> lockExclusively) {
        this.connection = connection;
        this.ids = ids;
        this.lockExclusively = lockExclusively;
        this.dialect = dialect;
        this.crypto = crypto;
        this.auditConfig = auditConfig;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    /**
     * What the group did: a result per written or key-exists item, the items deferred, and the audit events and signed
     * checkpoints to write to the audit log once committed.
     */
    record GroupResult(
            Map<Pending, WriteResult> results,
            List<Pending> deferred,
            List<AuditEvent> events,
            List<Checkpoint> checkpoints) {}

    /**
     * Writes the group (items already taken by the caller) in the connection's current transaction.
     *
     * @throws Conflict when a concurrent transaction won a key or patient row: roll back and run again
     */
    GroupResult write(List<Pending> items) throws SQLException, Conflict {
        Map<Pending, WriteResult> results = new LinkedHashMap<>();
        List<Pending> deferred = new ArrayList<>();
        List<Pending> records = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();

        // 1. Idempotency: one write per (client, key) per group; a second waits for the next group, where it meets the
        //    first one's key. Keys that already exist store nothing.
        Map<String, Pending> byKey = new HashMap<>();
        for (Pending p : items) {
            if (!p.isRecord()) {
                events.add(p.auditOnly);
                results.put(p, new WriteResult.Written(null));
                continue;
            }
            if (p.submission.idempotencyKey().isPresent()) {
                if (byKey.putIfAbsent(scopedKey(p), p) != null) {
                    deferred.add(p);
                    continue;
                }
            }
            records.add(p);
        }
        if (!byKey.isEmpty()) {
            Map<String, String> existing = existingKeys(new ArrayList<>(byKey.values()));
            records.removeIf(p -> {
                String recordId = p.submission.idempotencyKey().isPresent() ? existing.get(scopedKey(p)) : null;
                if (recordId != null) {
                    results.put(p, new WriteResult.KeyExists(recordId));
                    return true;
                }
                return false;
            });
        }
        if (records.isEmpty()) {
            return new GroupResult(results, deferred, events, appendAudit(events));
        }

        // 2. Patients: read (and lock) the rows this group writes under; create or re-key where needed.
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, PatientReference> refs = new HashMap<>();
        Map<String, String> patientIds = new LinkedHashMap<>(); // pseudonym -> one identifier that maps to it
        for (Pending p : records) {
            p.submission.record().patientId().ifPresent(id -> {
                PatientReference ref = refs.computeIfAbsent(id, crypto::pseudonym);
                patientIds.putIfAbsent(ref.value(), id);
            });
        }
        Map<String, WrappedPatientKey> keys = patientKeys(patientIds, now);

        // 3. Records, idempotency keys, audit events.
        try (PreparedStatement insert = prepare(INSERT_RECORD)) {
            for (Pending p : records) {
                TreatmentRecord record = p.submission.record();
                String id = ids.next();
                String ref =
                        record.patientId().map(pid -> refs.get(pid).value()).orElse(null);
                byte[] document = crypto.sealDocument(id, ref, ref == null ? null : keys.get(ref), p.canonicalJson);
                insert.setString(1, id);
                if (ref == null) {
                    insert.setNull(2, Types.VARCHAR);
                } else {
                    insert.setString(2, ref);
                }
                insert.setString(3, record.machineId());
                insert.setObject(4, record.treatmentStart());
                insert.setObject(5, now);
                insert.setString(6, p.submission.clientId());
                insert.setBytes(7, document);
                if (record.encounterId().isPresent()) {
                    insert.setString(
                            8, crypto.encounterIndex(record.encounterId().get()));
                } else {
                    insert.setNull(8, Types.VARCHAR);
                }
                insert.addBatch();
                results.put(p, new WriteResult.Written(id));
                events.add(p.submission.attempt().completed(id, Outcome.SUCCESS, 201, null));
            }
            insert.executeBatch();
        }
        List<Pending> keyed = records.stream()
                .filter(p -> p.submission.idempotencyKey().isPresent())
                .toList();
        if (!keyed.isEmpty()) {
            try (PreparedStatement insert = prepare(INSERT_KEY)) {
                for (Pending p : keyed) {
                    insert.setString(1, p.submission.clientId());
                    insert.setString(2, p.submission.idempotencyKey().get());
                    insert.setString(3, ((WriteResult.Written) results.get(p)).recordId());
                    insert.setObject(4, now);
                    insert.addBatch();
                }
                requireAllInserted(insert.executeBatch());
            }
        }
        List<Checkpoint> checkpoints = appendAudit(events);
        appendToFeed(records, results);
        return new GroupResult(results, deferred, events, checkpoints);
    }

    /**
     * Gives the group's records the next change-feed positions, last in the transaction: the feed state's row lock is
     * held from here until the commit, so positions are handed out in commit order (see
     * {@code V4__search_and_change_feed.sql}) and the lock is held only as long as the chain head's.
     */
    private void appendToFeed(List<Pending> records, Map<Pending, WriteResult> results) throws SQLException {
        long next;
        try (PreparedStatement lock = prepare(LOCK_FEED);
                ResultSet row = lock.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("record_feed_state has no row: the schema is not migrated", "55000");
            }
            next = row.getLong(1);
        }
        try (PreparedStatement insert = prepare(INSERT_FEED)) {
            for (Pending p : records) {
                insert.setLong(1, next++);
                insert.setString(2, ((WriteResult.Written) results.get(p)).recordId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement advance = prepare(ADVANCE_FEED)) {
            advance.setLong(1, next);
            advance.executeUpdate();
        }
    }

    private static String scopedKey(Pending p) {
        return p.submission.clientId()
                + '\u0000'
                + p.submission.idempotencyKey().get();
    }

    /** (client, key) to record id, for the keys of {@code keyed} that exist. */
    private Map<String, String> existingKeys(List<Pending> keyed) throws SQLException {
        Map<String, String> found = new HashMap<>();
        for (int from = 0; from < keyed.size(); from += LIST_SIZES[LIST_SIZES.length - 1]) {
            List<Pending> chunk = keyed.subList(from, Math.min(keyed.size(), from + LIST_SIZES[LIST_SIZES.length - 1]));
            int size = paddedSize(chunk.size());
            StringBuilder sql =
                    new StringBuilder("SELECT client_id, idempotency_key, record_id FROM idempotency_key WHERE ");
            for (int i = 0; i < size; i++) {
                sql.append(i == 0 ? "" : " OR ").append("(client_id = ? AND idempotency_key = ?)");
            }
            try (PreparedStatement select = prepare(sql.toString())) {
                for (int i = 0; i < size; i++) {
                    Pending p = chunk.get(Math.min(i, chunk.size() - 1));
                    select.setString(2 * i + 1, p.submission.clientId());
                    select.setString(2 * i + 2, p.submission.idempotencyKey().get());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1) + '\u0000' + rows.getString(2), rows.getString(3));
                    }
                }
            }
        }
        return found;
    }

    /** The data key of every patient in {@code patientIds} (pseudonym to identifier), creating or re-keying. */
    private Map<String, WrappedPatientKey> patientKeys(Map<String, String> patientIds, OffsetDateTime now)
            throws SQLException, Conflict {
        Map<String, WrappedPatientKey> keys = new HashMap<>();
        if (patientIds.isEmpty()) {
            return keys;
        }
        List<String> refs = new ArrayList<>(patientIds.keySet());
        Map<String, byte[]> rows = lockPatients(refs); // absent: no row; null value: erased
        List<String> needKeys = new ArrayList<>();
        Set<String> erased = new TreeSet<>();
        for (String ref : refs) {
            if (rows.containsKey(ref) && rows.get(ref) != null) {
                keys.put(ref, new WrappedPatientKey(rows.get(ref)));
            } else {
                needKeys.add(ref);
                if (rows.containsKey(ref)) {
                    erased.add(ref);
                }
            }
        }
        if (needKeys.isEmpty()) {
            return keys;
        }
        if (dialect.sharesPatientLocks() && !lockExclusively.containsAll(erased)) {
            erased.addAll(lockExclusively);
            throw new Conflict(erased);
        }
        crypto.requireWrappingEpoch(lockWrappingFloor());
        List<String> created = new ArrayList<>();
        try (PreparedStatement insert = prepare(INSERT_PATIENT);
                PreparedStatement rekey = prepare(REKEY_PATIENT)) {
            for (String ref : needKeys) {
                String patientId = patientIds.get(ref);
                StorageCrypto.PatientKeyMaterial fresh = crypto.newPatientKey(new PatientReference(ref), patientId);
                keys.put(ref, fresh.key());
                if (erased.contains(ref)) {
                    // The patient's earlier data was erased (crypto-shredded): new data gets a new key, the old stays
                    // unreadable.
                    rekey.setBytes(1, fresh.identifierCipher());
                    rekey.setBytes(2, fresh.key().bytes());
                    rekey.setInt(3, fresh.key().wrappingEpoch());
                    rekey.setString(4, ref);
                    rekey.addBatch();
                } else {
                    insert.setString(1, ref);
                    insert.setString(2, crypto.blindIndex(patientId));
                    insert.setBytes(3, fresh.identifierCipher());
                    insert.setBytes(4, fresh.key().bytes());
                    insert.setInt(5, fresh.key().wrappingEpoch());
                    insert.setObject(6, now);
                    insert.addBatch();
                    created.add(ref);
                }
            }
            if (!created.isEmpty()) {
                requireAllInserted(insert.executeBatch());
            }
            if (created.size() < needKeys.size()) {
                requireAllInserted(rekey.executeBatch());
            }
        }
        return keys;
    }

    /**
     * The oldest wrapping epoch a new patient key may use, read under the dialect's patient-row lock (held until the
     * commit), so a rotation raising it waits for this group, and this group, if later, sees the raised floor.
     */
    private int lockWrappingFloor() throws SQLException {
        try (PreparedStatement select = prepare(READ_FLOOR + dialect.lockPatientRows());
                ResultSet r = select.executeQuery()) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /**
     * Reads and locks the patient rows: pseudonym to wrapped key (null once erased); missing rows are absent. Rows in
     * {@link #lockExclusively} are locked {@code FOR UPDATE} first (in a fixed order), the others with the dialect's
     * lock.
     */
    private Map<String, byte[]> lockPatients(List<String> refs) throws SQLException {
        Map<String, byte[]> rows = new HashMap<>();
        List<String> shared = refs;
        if (!lockExclusively.isEmpty()) {
            List<String> exclusive =
                    refs.stream().filter(lockExclusively::contains).sorted().toList();
            selectPatients(exclusive, " FOR UPDATE", rows);
            shared = refs.stream().filter(r -> !lockExclusively.contains(r)).toList();
        }
        selectPatients(shared, dialect.lockPatientRows(), rows);
        return rows;
    }

    private void selectPatients(List<String> refs, String lock, Map<String, byte[]> rows) throws SQLException {
        int max = LIST_SIZES[LIST_SIZES.length - 1];
        for (int from = 0; from < refs.size(); from += max) {
            List<String> chunk = refs.subList(from, Math.min(refs.size(), from + max));
            int size = paddedSize(chunk.size());
            StringBuilder sql =
                    new StringBuilder("SELECT patient_ref, wrapped_data_key FROM patient WHERE patient_ref IN (");
            for (int i = 0; i < size; i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(')').append(lock);
            try (PreparedStatement select = prepare(sql.toString())) {
                for (int i = 0; i < size; i++) {
                    select.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
                }
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        rows.put(r.getString(1), r.getBytes(2));
                    }
                }
            }
        }
    }

    /**
     * The group's audit events go straight into the chain, sealed (the chain head's row lock is taken here, last, and
     * held only until the commit that follows), so a committed record's audit event is in the hash chain at once.
     */
    private List<Checkpoint> appendAudit(List<AuditEvent> events) {
        return appendSealed(connection, auditConfig, events);
    }

    /**
     * Appends {@code events} to the hash chain, sealed, in the connection's current transaction: the store's one call of
     * {@link AuditTrail#appendSealed}. Returns the checkpoints signed on the way (for the audit log, after the commit).
     */
    static List<Checkpoint> appendSealed(Connection connection, AuditConfig auditConfig, List<AuditEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return AuditTrail.create(new JdbcAuditStore(() -> connection), auditConfig)
                .appendSealed(events);
    }

    private static void requireAllInserted(int[] counts) throws Conflict {
        for (int n : counts) {
            if (n == 0) {
                throw new Conflict();
            }
        }
    }

    private static int paddedSize(int n) {
        for (int size : LIST_SIZES) {
            if (n <= size) {
                return size;
            }
        }
        throw new IllegalArgumentException("list too long");
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(statementTimeoutSeconds);
        return statement;
    }
}
