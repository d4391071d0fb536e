package health.treatment.store;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.audit.jdbc.JdbcAuditStore;
import health.treatment.core.TreatmentCoreException;
import health.treatment.core.TreatmentRecord;
import health.treatment.security.PhiDecryptionException;
import health.treatment.security.PhiProtection;
import health.treatment.store.internal.Dialect;
import health.treatment.store.internal.GroupCommitWriter;
import health.treatment.store.internal.PatientKeyMaintenance;
import health.treatment.store.internal.RecordQueries;
import health.treatment.store.internal.RecordReader;
import health.treatment.store.internal.StorageCrypto;
import health.treatment.store.internal.WriteResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The treatment store facade: stores validated records encrypted, with their idempotency keys and audit events, and
 * reads them back. Plain JDBC on a {@link DataSource} (PostgreSQL, or H2 in PostgreSQL mode), schema from
 * {@link #MIGRATIONS}; no application server needed. Thread-safe; open one per application and close it on shutdown.
 *
 * <p>Guarantees: {@link SubmitOutcome.Created} is returned only after the record, its idempotency key and its audit
 * event committed in one transaction; a replay or a conflict has its audit event committed before it is returned;
 * {@link SubmitOutcome.Unavailable} means nothing was committed, not even an audit event (the caller may try
 * {@link #audit}, which will likely fail too). Writes
 * from many callers are committed together in groups (see {@code internal.GroupCommitWriter}), so the cost of a
 * commit is shared. The idempotency protocol: a client's key names at most one record; the same record again under
 * the same key is a replay (the earlier id), a different record is a conflict; two concurrent submissions under one
 * key store one record whatever the timing. Storage crypto: see {@code internal.StorageCrypto}.
 *
 * <p>Crypto-shredding, exactly: {@link #erasePatient} destroys the patient's data key in the live database, so from its
 * commit no record of the patient (nor the identifier) can be decrypted there. A database backup taken before keeps
 * the key, wrapped under the wrapping-key epoch of its time, and stays decryptable with the live keys until
 * {@link #rewrapPatientKeys} (the rotation) has destroyed that epoch; from then on the backup decrypts no patient-keyed
 * data at all — a rotation retires every backup older than it, not only the erased patients'. On PostgreSQL the erased
 * key also survives in dead row versions and the WAL until vacuum and WAL recycling; the rotation covers those too.
 * Records stored under the key ring (encounter reference only) are not patient-keyed and unaffected by either.
 */
public final class TreatmentStore implements AutoCloseable {

    /** The store's schema migrations (Flyway scripts on this jar's class path, versions 1-99). */
    public static final List<String> MIGRATIONS = List.of(
            "db/migration/treatment/V1__treatment_records.sql",
            "db/migration/treatment/V2__rate_limit_buckets.sql",
            "db/migration/treatment/V3__patient_key_version.sql",
            "db/migration/treatment/V4__search_and_change_feed.sql");

    /** Most records in one page of the change feed. */
    public static final int MAX_FEED_PAGE = 1000;

    private static final int KEY_RACE_ATTEMPTS = 3;
    private static final String REPLAY = "idempotent_replay";
    private static final String KEY_REUSED = "idempotency_key_reused";

    private final DataSource dataSource;
    private final AuditConfig auditConfig;
    private final GroupCommitWriter writes;
    private final RecordReader reader;
    private final RecordQueries queries;
    private final PatientKeyMaintenance maintenance;
    private final Object rotation = new Object();

    private TreatmentStore(
            DataSource dataSource,
            AuditConfig auditConfig,
            GroupCommitWriter writes,
            RecordReader reader,
            RecordQueries queries,
            PatientKeyMaintenance maintenance) {
        this.queries = queries;
        this.dataSource = dataSource;
        this.auditConfig = auditConfig;
        this.writes = writes;
        this.reader = reader;
        this.maintenance = maintenance;
    }

    /**
     * Opens the store on a migrated database and starts its writer threads.
     *
     * @throws TreatmentStoreException if the database cannot be reached or is neither PostgreSQL nor H2
     */
    public static TreatmentStore open(
            DataSource dataSource, PhiProtection phi, AuditConfig auditConfig, StoreConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(phi, "phi");
        Objects.requireNonNull(auditConfig, "auditConfig");
        Objects.requireNonNull(config, "config");
        Dialect dialect;
        try (Connection c = dataSource.getConnection()) {
            dialect = Dialect.of(c);
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: the database cannot be reached", e);
        }
        StorageCrypto crypto = new StorageCrypto(phi);
        int timeout = (int) config.statementTimeout().toSeconds();
        GroupCommitWriter writes = new GroupCommitWriter(dataSource, dialect, crypto, auditConfig, config);
        RecordReader reader = new RecordReader(crypto, timeout);
        return new TreatmentStore(
                dataSource,
                auditConfig,
                writes,
                reader,
                new RecordQueries(reader, crypto),
                new PatientKeyMaintenance(dataSource, crypto, auditConfig, timeout));
    }

    /** Stores one record (blocking until its outcome is committed). */
    public SubmitOutcome submit(Submission submission) {
        return submitAll(List.of(submission)).get(0);
    }

    /**
     * Stores several records, each on its own (a batch upload): every one gets its own outcome, in order; valid ones
     * are stored whatever happens to the others.
     */
    public List<SubmitOutcome> submitAll(List<Submission> submissions) {
        List<String> canonical = new ArrayList<>(submissions.size());
        for (Submission s : submissions) {
            canonical.add(s.record().toJson());
        }
        List<WriteResult> results = writeFirstOfEachKey(submissions, canonical);
        List<SubmitOutcome> outcomes = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            outcomes.add(outcome(submissions.get(i), canonical.get(i), results.get(i)));
        }
        return outcomes;
    }

    /**
     * Writes the submissions, but a key that occurs twice in one batch only once: the first occurrence is written and
     * the later ones are answered as if they came after it (a replay or a conflict). Writer threads take queued writes
     * in parallel, so without this the later occurrence could commit first and the first be answered as its replay.
     */
    private List<WriteResult> writeFirstOfEachKey(List<Submission> submissions, List<String> canonical) {
        Map<List<String>, Integer> writeIndexByKey = new HashMap<>();
        List<Integer> writeIndex = new ArrayList<>(submissions.size()); // per submission: the write that answers it
        List<Boolean> repeated = new ArrayList<>(submissions.size());
        List<Submission> toWrite = new ArrayList<>(submissions.size());
        List<String> toWriteJson = new ArrayList<>(submissions.size());
        for (int i = 0; i < submissions.size(); i++) {
            Submission s = submissions.get(i);
            Integer earlier = s.idempotencyKey().isEmpty()
                    ? null
                    : writeIndexByKey.putIfAbsent(
                            List.of(s.clientId(), s.idempotencyKey().get()), toWrite.size());
            repeated.add(earlier != null);
            if (earlier == null) {
                writeIndex.add(toWrite.size());
                toWrite.add(s);
                toWriteJson.add(canonical.get(i));
            } else {
                writeIndex.add(earlier);
            }
        }
        List<WriteResult> written = writes.writeRecords(toWrite, toWriteJson);
        List<WriteResult> results = new ArrayList<>(submissions.size());
        for (int i = 0; i < submissions.size(); i++) {
            WriteResult r = written.get(writeIndex.get(i));
            results.add(
                    repeated.get(i) && r instanceof WriteResult.Written w
                            ? new WriteResult.KeyExists(w.recordId())
                            : r);
        }
        return results;
    }

    private SubmitOutcome outcome(Submission s, String canonical, WriteResult result) {
        for (int attempt = 1; ; attempt++) {
            if (result instanceof WriteResult.Written w) {
                return new SubmitOutcome.Created(w.recordId());
            }
            if (!(result instanceof WriteResult.KeyExists k)) {
                return new SubmitOutcome.Unavailable();
            }
            Optional<String> earlier;
            try {
                earlier = readDocument(k.recordId());
            } catch (TreatmentStoreException e) {
                return new SubmitOutcome.Unavailable();
            }
            if (earlier.isEmpty() && attempt < KEY_RACE_ATTEMPTS) {
                result = writes.writeRecords(List.of(s), List.of(canonical)).get(0); // the earlier record vanished
                continue;
            }
            boolean same = earlier.isPresent() && sameRecord(earlier.get(), s.record());
            AuditEvent event = same
                    ? s.attempt().completed(k.recordId(), Outcome.SUCCESS, 200, REPLAY)
                    : s.attempt().completed(null, Outcome.CLIENT_ERROR, 409, KEY_REUSED);
            if (!audit(event)) {
                return new SubmitOutcome.Unavailable();
            }
            return same ? new SubmitOutcome.Replayed(k.recordId()) : new SubmitOutcome.KeyReused();
        }
    }

    /**
     * Whether the stored document binds to the submitted record. Bound records are compared, not JSON texts, so a
     * replay still matches a record stored by an earlier version whose canonical writer escaped or spaced differently.
     * A stored document that does not bind (see {@link TreatmentRecord#fromJson}) matches nothing.
     */
    static boolean sameRecord(String storedJson, TreatmentRecord submitted) {
        try {
            return TreatmentRecord.fromJson(storedJson).equals(submitted);
        } catch (TreatmentCoreException e) {
            return false;
        }
    }

    /** The decrypted canonical document of a stored record; empty when it does not exist or cannot be decrypted. */
    private Optional<String> readDocument(String id) {
        try (Connection c = dataSource.getConnection()) {
            return reader.read(c, id)
                    .flatMap(row -> {
                        try {
                            return Optional.of(row.open());
                        } catch (PhiDecryptionException e) {
                            return Optional.empty();
                        }
                    })
                    .map(StoredTreatment::canonicalJson);
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: read failed", e);
        }
    }

    /**
     * Reads and decrypts a record and commits {@code attempt}, completed with the outcome (200, or 404 for unknown and
     * unreadable records), before returning.
     *
     * @throws TreatmentStoreException if the database fails (nothing is returned then)
     */
    public ReadOutcome read(String id, AuditEvent attempt) {
        Objects.requireNonNull(id, "id");
        ReadOutcome outcome;
        try (Connection c = dataSource.getConnection()) {
            Optional<RecordReader.Row> row = reader.read(c, id);
            if (row.isEmpty()) {
                outcome = new ReadOutcome.NotFound();
            } else {
                try {
                    outcome = new ReadOutcome.Found(row.get().open());
                } catch (PhiDecryptionException e) {
                    outcome = new ReadOutcome.Unreadable();
                }
            }
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: read failed", e);
        }
        AuditEvent event;
        if (outcome instanceof ReadOutcome.Found) {
            event = attempt.completed(id, Outcome.SUCCESS, 200, null);
        } else if (outcome instanceof ReadOutcome.Unreadable) {
            event = attempt.completed(id, Outcome.CLIENT_ERROR, 404, "record_unreadable");
        } else {
            event = attempt.completed(null, Outcome.CLIENT_ERROR, 404, "not_found");
        }
        if (!audit(event)) {
            throw new TreatmentStoreException("treatment store: the read could not be audited");
        }
        return outcome;
    }

    /**
     * A page of a clinician's search (see {@link RecordSearch}), and commits its audit events before returning: one
     * {@code attempt} completed with the search key as record id (the patient's pseudonym, or {@code enc_} and the
     * encounter's blind index) and reason {@code results.<n>}, and one per returned record (record id, reason
     * {@code search_result}); never the identifier. Records that cannot be decrypted (erased patients) are left out.
     *
     * @throws IllegalArgumentException if the search's cursor is not one a search returned
     * @throws TreatmentStoreException if the database fails or the search cannot be audited (nothing is returned then)
     */
    public RecordPage search(RecordSearch search, AuditEvent attempt) {
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(attempt, "attempt");
        List<RecordQueries.Listed> rows;
        String key = queries.searchKey(search);
        try (Connection c = dataSource.getConnection()) {
            rows = queries.search(c, search, key);
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: search failed", e);
        }
        boolean more = rows.size() > search.limit();
        List<StoredTreatment> records = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        String last = null;
        for (RecordQueries.Listed listed : rows.subList(0, Math.min(rows.size(), search.limit()))) {
            last = listed.cursor();
            opened(listed).ifPresent(t -> {
                records.add(t);
                events.add(attempt.completed(t.id(), Outcome.SUCCESS, 200, "search_result"));
            });
        }
        String searched = search.patientId().isPresent() ? key : "enc_" + key;
        events.add(0, attempt.completed(searched, Outcome.SUCCESS, 200, "results." + records.size()));
        if (!audit(events)) {
            throw new TreatmentStoreException("treatment store: the search could not be audited");
        }
        return new RecordPage(records, more ? Optional.of(last) : Optional.empty());
    }

    /**
     * A page of the change feed: up to {@code limit} (1..1000) records after {@code after} (from the first record when
     * empty) in feed order, which is commit order, so a reader that follows {@link RecordPage#next()} never misses a
     * record and never sees one twice, whatever the timing of concurrent writers on any node. Commits one audit event
     * per page before returning: {@code attempt} completed with record id {@code feed-<first>-<last>} (the positions
     * returned; {@code record_feed} maps them to records) and reason {@code results.<n>}. Records that cannot be
     * decrypted (erased patients) are passed over; the cursor still moves past them.
     *
     * @throws IllegalArgumentException if {@code limit} is outside 1..1000 or the cursor is not one the feed returned
     * @throws TreatmentStoreException if the database fails or the page cannot be audited (nothing is returned then)
     */
    public RecordPage changes(Optional<String> after, int limit, AuditEvent attempt) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(attempt, "attempt");
        if (limit < 1 || limit > MAX_FEED_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_FEED_PAGE);
        }
        long from = after.map(RecordQueries::feedPosition).orElse(0L);
        List<RecordQueries.Listed> rows;
        try (Connection c = dataSource.getConnection()) {
            rows = queries.changes(c, from, limit);
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: change feed read failed", e);
        }
        List<StoredTreatment> records = new ArrayList<>();
        for (RecordQueries.Listed listed : rows) {
            opened(listed).ifPresent(records::add);
        }
        String next = rows.isEmpty()
                ? RecordQueries.feedCursor(from)
                : rows.get(rows.size() - 1).cursor();
        String range = rows.isEmpty()
                ? "feed-" + from + "-" + from
                : "feed-" + RecordQueries.feedPosition(rows.get(0).cursor()) + "-" + RecordQueries.feedPosition(next);
        if (!audit(attempt.completed(range, Outcome.SUCCESS, 200, "results." + records.size()))) {
            throw new TreatmentStoreException("treatment store: the change feed read could not be audited");
        }
        return new RecordPage(records, Optional.of(next));
    }

    private static Optional<StoredTreatment> opened(RecordQueries.Listed listed) {
        try {
            return Optional.of(listed.row().open());
        } catch (PhiDecryptionException e) {
            return Optional.empty();
        }
    }

    /**
     * Erases a patient (crypto-shredding): finds the patient by blind index (nothing is decrypted to search), destroys
     * the data key (sets the wrapped key to NULL), and commits {@code attempt}, completed, in the same transaction:
     * record id = the patient's pseudonym (never the identifier), 200 and no reason code when erased, 200
     * {@code already_erased} when it was erased before, 404 {@code patient_not_found} with no record id when no record
     * was ever stored for the identifier. The SIEM line follows the commit.
     *
     * <p>From the commit on, every stored record of the patient and the stored identifier are unreadable in the live
     * database, on every node (a concurrent write under the old key commits first and is erased with the rest; the next
     * record for the patient gets a new key). Backups taken before: see the class comment; run
     * {@link #rewrapPatientKeys} after erasures to retire them. Build {@code attempt} with resource type {@code Patient}.
     *
     * @param patientId the identifier as a treatment record carries it (normalised as for the blind index)
     * @throws IllegalArgumentException if {@code patientId} is blank
     */
    public ErasureOutcome erasePatient(String patientId, AuditEvent attempt) {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(attempt, "attempt");
        return maintenance.erase(patientId, attempt);
    }

    /**
     * The rotation of the patient-key wrapping epoch, which retires database backups: begins a new epoch (new patient
     * keys use it at once; other nodes follow before they write another key), re-wraps every surviving patient key under
     * it in batches (each its own transaction; a row changed meanwhile — erased, re-keyed — is read again, never
     * overwritten), then, only when no key under an older epoch remains, destroys every older epoch. Afterwards no
     * database backup taken before this call can decrypt any patient-keyed record or identifier with the live keys: a
     * rotation retires every older backup for patient-keyed data. Records stay readable in the live database
     * throughout; the data keys themselves do not change.
     *
     * <p>Commits one audit event: action {@code patient.keys_rewrapped}, resource type {@code Patient}, record id
     * {@code wrapping-epoch-<n>}, reason code {@code rewrapped.<count>} (or, outcome server error,
     * {@code incomplete.<remaining>} when keys that cannot be unwrapped kept the older epochs alive); no identifiers.
     *
     * <p>Safe to run again after a crash midway: the new run starts another epoch and re-wraps whatever is still under
     * an older one, the crashed run's epoch included. Run it from one node at a time (this instance serialises its own
     * calls); it may take long on a large database, so call it from a background task, not a request.
     *
     * @throws TreatmentStoreException if the database fails, or the run could not be audited (run it again)
     */
    public RewrapResult rewrapPatientKeys() {
        synchronized (rotation) {
            RewrapResult result = maintenance.rewrapAll();
            if (!audit(maintenance.rewrapEvent(result))) {
                throw new TreatmentStoreException(
                        "treatment store: the patient-key rotation ran but could not be audited");
            }
            return result;
        }
    }

    /**
     * When the oldest erasure happened that no completed {@link #rewrapPatientKeys} covers yet (one that began after
     * it), empty when there is none: backups from before that erasure still decrypt the patient until a rotation runs.
     * For scheduling the rotation (e.g. a day after the oldest waiting erasure, so a day's erasures share one).
     *
     * @throws TreatmentStoreException if the database fails
     */
    public Optional<Instant> oldestErasureAwaitingRewrap() {
        return maintenance.oldestErasureAwaitingRewrap();
    }

    /**
     * Retention: deletes up to {@code maxRecords} treatment records received before {@code cutoff} (oldest first) with
     * their idempotency keys, in one transaction with one audit event (action {@code treatment.retention_purged},
     * reason code {@code purged.<count>}), and returns the count; call again until it returns 0. Patient rows, audit
     * events and backups are not touched. The search for expired records scans the table: schedule it off peak.
     *
     * @param maxRecords 1 to 100,000
     * @throws TreatmentStoreException if the database fails (nothing was deleted then)
     */
    public long purgeRecordsReceivedBefore(Instant cutoff, int maxRecords) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (maxRecords < 1 || maxRecords > 100_000) {
            throw new IllegalArgumentException("maxRecords must be 1..100000");
        }
        return maintenance.purgeRecordsReceivedBefore(cutoff, maxRecords);
    }

    /**
     * Commits audit events that accompany no record (rejections, queries), grouped with other writes; true once
     * committed, false if the store could not take them.
     */
    public boolean audit(AuditEvent... events) {
        return writes.writeAudit(List.of(events));
    }

    /** As {@link #audit(AuditEvent...)}, for a list (e.g. one event per rejected item of a batch). */
    public boolean audit(List<AuditEvent> events) {
        return writes.writeAudit(events);
    }

    /**
     * Runs {@code work} against the audit trail in one local transaction of its own (sealing, verification, queries),
     * committing when it returns and rolling back when it throws.
     *
     * @throws TreatmentStoreException if the database fails
     */
    public <T> T inAuditTransaction(Function<AuditTrail, T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(AuditTrail.create(new JdbcAuditStore(() -> c), auditConfig));
                c.commit();
                return result;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new TreatmentStoreException("treatment store: audit transaction failed", e);
        }
    }

    /**
     * True when the database gives a connection that proves valid within {@code timeout} (readiness probes, circuit
     * breaker trials); false on any failure, never an exception.
     */
    public boolean isReachable(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(seconds);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Stops the writer threads; writes still queued are answered unavailable (never written). */
    @Override
    public void close() {
        writes.close();
    }

    @Override
    public String toString() {
        return "TreatmentStore[" + auditConfig.nodeId() + "]";
    }
}
