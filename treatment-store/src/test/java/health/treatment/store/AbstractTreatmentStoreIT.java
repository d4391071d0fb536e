package health.treatment.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditSigningKey;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.audit.VerificationResult;
import health.treatment.audit.testing.CaptureAppender;
import health.treatment.core.TreatmentRecord;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import health.treatment.security.FieldBinding;
import health.treatment.security.PatientReference;
import health.treatment.security.PhiProtection;
import health.treatment.security.SecurityConfig;
import health.treatment.security.WrappedPatientKey;
import health.treatment.security.internal.KeyRingManager;
import health.treatment.security.internal.PatientKeys;
import health.treatment.security.keys.DevelopmentKeyEncryptionKeySource;
import health.treatment.security.keys.DirectoryKeysetStore;
import health.treatment.store.testing.StoreDatabase;
import health.treatment.store.testing.StoreDatabase.GatedDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's behaviour on H2 (the embedded default) and on PostgreSQL; both subclasses run every test. */
abstract class AbstractTreatmentStoreIT {

    static final TreatmentValidator VALIDATOR = TreatmentValidator.createDefault();
    static final String ARTICLE = "{\"patient_id\": \"123456\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
            + "\"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5, "
            + "\"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}";

    @TempDir
    Path keys;

    @TempDir
    Path scratch;

    StoreDatabase db;
    PhiProtection phi;
    AuditConfig audit;
    TreatmentStore store;

    abstract StoreDatabase openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        phi = PhiProtection.open(SecurityConfig.development(keys));
        audit = AuditConfig.defaults("node-test", AuditSigningKey.generate());
        store = TreatmentStore.open(db.dataSource(), phi, audit, StoreConfig.defaults());
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    static TreatmentRecord record(String patientId, String machineId) {
        String json =
                ARTICLE.replace("\"123456\"", "\"" + patientId + "\"").replace("\"DX2020\"", "\"" + machineId + "\"");
        return ((ValidationResult.Valid) VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8))).record();
    }

    static TreatmentRecord encounterOnly(String encounterId) {
        String json = ARTICLE.replace("\"patient_id\": \"123456\"", "\"encounter_id\": \"" + encounterId + "\"");
        return ((ValidationResult.Valid) VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8))).record();
    }

    AuditEvent attempt(String client) {
        return AuditEvent.builder()
                .time(Instant.now())
                .action("treatment.create")
                .resourceType("Treatment")
                .clientId(client)
                .roles(List.of("gateway"))
                .outcome(Outcome.SUCCESS)
                .httpStatus(200)
                .nodeId("node-test")
                .requestId(UUID.randomUUID().toString())
                .build();
    }

    Submission submission(TreatmentRecord record, String client, String key) {
        return new Submission(record, client, Optional.ofNullable(key), attempt(client));
    }

    /** Audit events matching {@code where}, pending (audit_outbox) or sealed (audit_event). */
    long auditEvents(String where) {
        return db.count("SELECT (SELECT COUNT(*) FROM audit_event WHERE " + where
                + ") + (SELECT COUNT(*) FROM audit_outbox " + "WHERE " + where + ")");
    }

    String created(SubmitOutcome outcome) {
        assertThat(outcome).isInstanceOf(SubmitOutcome.Created.class);
        return ((SubmitOutcome.Created) outcome).id();
    }

    StoredTreatment read(String id) {
        ReadOutcome r = store.read(id, attempt("dr-1"));
        assertThat(r).isInstanceOf(ReadOutcome.Found.class);
        return ((ReadOutcome.Found) r).treatment();
    }

    @Test
    void aStoredRecordReadsBackExactlyWithItsCreateAndReadEventsCommitted() {
        TreatmentRecord record = record("MRN-1", "DX2020");
        String id = created(store.submit(submission(record, "gw-1", null)));

        StoredTreatment stored = read(id);
        assertThat(stored.id()).isEqualTo(id);
        assertThat(stored.machineId()).isEqualTo("DX2020");
        assertThat(stored.canonicalJson()).isEqualTo(record.toJson());
        assertThat(auditEvents("action = 'treatment.create' AND record_id = '" + id
                        + "' AND http_status = 201 AND outcome = 'success'"))
                .isEqualTo(1);
        assertThat(auditEvents("record_id = '" + id + "' AND http_status = 200"))
                .isEqualTo(1);
    }

    @Test
    void whileTheDatabaseRefusesConnectionsSubmitsAreUnavailableAndTheStoreRecoversByItself() {
        GatedDataSource gated = db.gatedDataSource();
        try (TreatmentStore s = TreatmentStore.open(gated, phi, audit, StoreConfig.defaults())) {
            assertThat(s.isReachable(Duration.ofSeconds(1))).isTrue();

            gated.refuse();
            assertThat(s.isReachable(Duration.ofSeconds(1))).isFalse();
            assertThat(s.submit(submission(record("MRN-D", "DX1"), "gw-1", "down-1")))
                    .isInstanceOf(SubmitOutcome.Unavailable.class);
            assertThat(s.audit(attempt("gw-1"))).isFalse();

            gated.open();
            assertThat(s.isReachable(Duration.ofSeconds(1))).isTrue();
            String id =
                    created(s.submit(submission(record("MRN-D", "DX1"), "gw-1", "down-1"))); // the same key, retried
            assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(1);
            assertThat(auditEvents("record_id = '" + id + "' AND http_status = 201"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aSubmitterInterruptedWhileItsWriteIsQueuedIsToldUnavailableAndNothingIsStoredForIt() throws Exception {
        GatedDataSource gated = db.gatedDataSource();
        try (TreatmentStore s =
                TreatmentStore.open(gated, phi, audit, StoreConfig.defaults().withWriterThreads(1))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                gated.hold();
                Future<SubmitOutcome> first =
                        pool.submit(() -> s.submit(submission(record("MRN-F", "DX1"), "gw-1", null)));
                awaitTrue(() -> gated.held() == 1); // the only writer holds the first write, waiting for a connection
                AtomicReference<Thread> second = new AtomicReference<>();
                Future<SubmitOutcome> queued = pool.submit(() -> {
                    second.set(Thread.currentThread());
                    return s.submit(submission(record("MRN-Q", "DX1"), "gw-1", null));
                });
                awaitTrue(() -> second.get() != null && second.get().getState() == Thread.State.TIMED_WAITING);
                second.get().interrupt(); // what a request timeout does to the waiting request thread

                assertThat(queued.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitOutcome.Unavailable.class);
                gated.open();
                created(first.get(10, TimeUnit.SECONDS));
                s.audit(attempt("gw-1")); // a later write: the writer has passed the withdrawn one
                assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(1);
            } finally {
                gated.open();
                pool.shutdownNow();
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aPatientSearchFindsTheRecordsNewestFirstInPagesThroughTheBlindIndexAndAuditsPseudonymCountAndIds() {
        List<String> ids = new ArrayList<>(); // oldest first
        for (int day = 20; day <= 24; day++) {
            ids.add(created(store.submit(submission(
                    onDay(record("MRN-S", day == 22 ? "DX9" : "DX1"), day), "gw-1", null))));
        }
        created(store.submit(submission(record("MRN-OTHER", "DX1"), "gw-1", null)));

        List<String> seen = new ArrayList<>();
        RecordSearch search = RecordSearch.forPatient("mrn-s").withLimit(2); // normalised like the blind index
        List<Integer> pageSizes = new ArrayList<>();
        for (int pages = 0; pages < 10; pages++) {
            RecordPage page = store.search(search, searchAttempt());
            page.records().forEach(t -> seen.add(t.id()));
            pageSizes.add(page.records().size());
            if (page.next().isEmpty()) {
                break;
            }
            assertThat(page.next().get()).doesNotContain("MRN").doesNotContain("mrn");
            search = search.after(page.next().get());
        }
        assertThat(pageSizes).containsExactly(2, 2, 1);
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);

        RecordPage period = store.search(
                RecordSearch.forPatient("MRN-S")
                        .withPeriod(
                                Optional.of(OffsetDateTime.parse("2025-03-21T08:00:00Z")),
                                Optional.of(OffsetDateTime.parse("2025-03-23T08:00:00Z"))),
                searchAttempt());
        assertThat(period.records())
                .extracting(StoredTreatment::id)
                .containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(store.search(RecordSearch.forPatient("MRN-S").withMachine("DX9"), searchAttempt())
                        .records())
                .extracting(StoredTreatment::id)
                .containsExactly(ids.get(2));
        assertThat(store.search(RecordSearch.forPatient("MRN-NOBODY"), searchAttempt())
                        .records())
                .isEmpty();

        String pseudonym = phi.pseudonym("MRN-S").value();
        assertThat(auditEvents("action = 'treatment.search' AND record_id = '" + pseudonym
                        + "' AND reason_code = 'results.2'"))
                .isEqualTo(2);
        assertThat(auditEvents("action = 'treatment.search' AND reason_code = 'search_result' AND record_id = '"
                        + ids.get(2) + "'"))
                .isEqualTo(3); // its page, the period and the machine search
        assertThat(db.count(
                        "SELECT COUNT(*) FROM audit_event WHERE record_id LIKE '%MRN%' OR reason_code LIKE '%MRN%'"))
                .isZero();
    }

    @Test
    void anEncounterSearchFindsOnlyThatEncountersRecordsAndAnErasedPatientsRecordsAreNotReturned() {
        String enc = created(store.submit(submission(encounterOnly("ENC-77"), "gw-1", null)));
        created(store.submit(submission(encounterOnly("ENC-78"), "gw-1", null)));
        RecordPage page = store.search(RecordSearch.forEncounter("enc-77"), searchAttempt());
        assertThat(page.records()).extracting(StoredTreatment::id).containsExactly(enc);
        assertThat(auditEvents(
                        "action = 'treatment.search' AND record_id LIKE 'enc\\_%' AND reason_code = 'results.1'"))
                .isEqualTo(1);

        created(store.submit(submission(record("MRN-GONE", "DX1"), "gw-1", null)));
        assertThat(store.erasePatient("MRN-GONE", attempt("po-1"))).isInstanceOf(ErasureOutcome.Erased.class);
        assertThat(store.search(RecordSearch.forPatient("MRN-GONE"), searchAttempt())
                        .records())
                .isEmpty();
    }

    @Test
    void aCursorThatNoSearchOrFeedReturnedIsRefused() {
        assertThatThrownBy(() -> store.search(RecordSearch.forPatient("MRN-1").after("bm9wZQ"), searchAttempt()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.changes(Optional.of("%%%"), 10, searchAttempt()))
                .isInstanceOf(IllegalArgumentException.class);
        String feedCursor =
                store.changes(Optional.empty(), 10, searchAttempt()).next().orElseThrow();
        assertThatThrownBy(() -> store.search(RecordSearch.forPatient("MRN-1").after(feedCursor), searchAttempt()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theChangeFeedListsEveryRecordOnceInOrderAndAReaderAtTheEndPollsWithTheSameCursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(created(store.submit(submission(record("MRN-F" + i, "DX1"), "gw-1", null))));
        }
        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int pages = 0; pages < 3; pages++) {
            RecordPage page = store.changes(cursor, 2, feedAttempt());
            page.records().forEach(t -> seen.add(t.id()));
            cursor = page.next();
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        RecordPage end = store.changes(cursor, 2, feedAttempt());
        assertThat(end.records()).isEmpty();
        assertThat(end.next()).isEqualTo(cursor);
        String later = created(store.submit(submission(record("MRN-F9", "DX1"), "gw-1", null)));
        assertThat(store.changes(cursor, 2, feedAttempt()).records())
                .extracting(StoredTreatment::id)
                .containsExactly(later);
        assertThat(auditEvents("action = 'treatment.changes' AND reason_code = 'results.2'"))
                .isEqualTo(2);
        assertThat(auditEvents("action = 'treatment.changes' AND record_id = 'feed-5-5' AND reason_code = 'results.1'"))
                .isEqualTo(1);
    }

    @Test
    void aFeedReaderFollowingTheCursorWhileManyWritersOnTwoNodesCommitOutOfOrderMissesNothingAndSeesNothingTwice()
            throws Exception {
        GatedDataSource slowCommits = db.gatedDataSource();
        slowCommits.delayCommits(
                15); // a commit takes 0-15 ms: without the feed lock, later positions would commit first
        StoreConfig config = StoreConfig.defaults().withWriterThreads(4).withMaxGroupSize(8);
        try (TreatmentStore nodeA = TreatmentStore.open(slowCommits, phi, audit, config);
                TreatmentStore nodeB = TreatmentStore.open(slowCommits, phi, audit, config)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<List<String>>> written = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                TreatmentStore node = w % 2 == 0 ? nodeA : nodeB;
                int writer = w;
                written.add(writers.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        mine.add(created(node.submit(
                                submission(record("MRN-W" + writer + "-" + (i % 5), "DX1"), "gw-" + writer, null))));
                    }
                    return mine;
                }));
            }
            List<String> seen = new ArrayList<>();
            Optional<String> cursor = Optional.empty();
            while (!written.stream().allMatch(Future::isDone)) {
                RecordPage page = store.changes(cursor, 7, feedAttempt()); // a third node reads while they write
                page.records().forEach(t -> seen.add(t.id()));
                cursor = page.next();
            }
            Set<String> all = new java.util.HashSet<>();
            for (Future<List<String>> f : written) {
                all.addAll(f.get());
            }
            for (RecordPage page = store.changes(cursor, 1000, feedAttempt());
                    !page.records().isEmpty();
                    page = store.changes(cursor, 1000, feedAttempt())) {
                page.records().forEach(t -> seen.add(t.id()));
                cursor = page.next();
            }
            writers.shutdownNow();
            assertThat(all).hasSize(320);
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(new java.util.HashSet<>(seen)).isEqualTo(all);
        }
    }

    private static TreatmentRecord onDay(TreatmentRecord any, int day) {
        String json = ARTICLE.replace("\"123456\"", "\"" + any.patientId().orElseThrow() + "\"")
                .replace("\"DX2020\"", "\"" + any.machineId() + "\"")
                .replace("2025-03-28", "2025-03-" + day);
        return ((ValidationResult.Valid) VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8))).record();
    }

    AuditEvent searchAttempt() {
        return AuditEvent.builder()
                .time(Instant.now())
                .action("treatment.search")
                .resourceType("Treatment")
                .clientId("dr-1")
                .roles(List.of("clinician"))
                .outcome(Outcome.SUCCESS)
                .httpStatus(200)
                .nodeId("node-test")
                .requestId(UUID.randomUUID().toString())
                .build();
    }

    AuditEvent feedAttempt() {
        return AuditEvent.builder()
                .time(Instant.now())
                .action("treatment.changes")
                .resourceType("Treatment")
                .clientId("engine-1")
                .roles(List.of("integration"))
                .outcome(Outcome.SUCCESS)
                .httpStatus(200)
                .nodeId("node-test")
                .requestId(UUID.randomUUID().toString())
                .build();
    }

    @Test
    void unknownIdsAreNotFoundAndAudited() {
        assertThat(store.read(UUID.randomUUID().toString(), attempt("dr-1"))).isInstanceOf(ReadOutcome.NotFound.class);
        assertThat(auditEvents("http_status = 404 AND reason_code = 'not_found'"))
                .isEqualTo(1);
    }

    @Test
    void aReplayWithTheSameKeyAndRecordReturnsTheFirstIdAndADifferentRecordIsAConflict() {
        String id = created(store.submit(submission(record("MRN-1", "DX1"), "dev-1", "k-1")));

        SubmitOutcome replay = store.submit(submission(record("MRN-1", "DX1"), "dev-1", "k-1"));
        assertThat(replay).isEqualTo(new SubmitOutcome.Replayed(id));
        assertThat(store.submit(submission(record("MRN-2", "DX1"), "dev-1", "k-1")))
                .isInstanceOf(SubmitOutcome.KeyReused.class);
        // Keys are scoped to the client.
        assertThat(store.submit(submission(record("MRN-2", "DX1"), "dev-2", "k-1")))
                .isInstanceOf(SubmitOutcome.Created.class);

        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(2);
        assertThat(auditEvents("reason_code = 'idempotent_replay' AND record_id = '" + id + "' AND http_status = 200"))
                .isEqualTo(1);
        assertThat(auditEvents("reason_code = 'idempotency_key_reused' " + "AND http_status = 409"))
                .isEqualTo(1);
    }

    @Test
    void twentyConcurrentSubmissionsUnderOneKeyStoreOneRecord() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<SubmitOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> store.submit(submission(record("MRN-7", "DX7"), "dev-7", "same-key")));
            }
            List<SubmitOutcome> outcomes = new ArrayList<>();
            for (Future<SubmitOutcome> f : pool.invokeAll(calls)) {
                outcomes.add(f.get());
            }
            assertThat(outcomes)
                    .filteredOn(o -> o instanceof SubmitOutcome.Created)
                    .hasSize(1);
            assertThat(outcomes)
                    .filteredOn(o -> o instanceof SubmitOutcome.Replayed)
                    .hasSize(19);
            Set<String> ids = outcomes.stream()
                    .map(o -> o instanceof SubmitOutcome.Created c ? c.id() : ((SubmitOutcome.Replayed) o).id())
                    .collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM idempotency_key")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneBatchWithTheSameKeyTwiceStoresTheRecordOnce() {
        List<SubmitOutcome> outcomes = store.submitAll(List.of(
                submission(record("MRN-8", "DX8"), "gw-8", "dup"),
                submission(record("MRN-8", "DX8"), "gw-8", "dup"),
                submission(record("MRN-9", "DX8"), "gw-8", "other")));
        String id = created(outcomes.get(0));
        assertThat(outcomes.get(1)).isEqualTo(new SubmitOutcome.Replayed(id));
        created(outcomes.get(2));
        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(2);
    }

    @Test
    void manyConcurrentWritersAreAllCommittedAndReadable() throws Exception {
        int writers = 16;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<List<String>>> calls = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                calls.add(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        // Every third record reuses a patient shared by all writers: patient rows are created
                        // concurrently.
                        String patient = i % 3 == 0 ? "SHARED-" + (i % 5) : "P-" + writer + "-" + i;
                        ids.add(created(
                                store.submit(submission(record(patient, "DX" + writer), "gw-" + writer, null))));
                    }
                    return ids;
                });
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : pool.invokeAll(calls)) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(writers * each).doesNotHaveDuplicates();
            assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(writers * each);
            assertThat(db.count("SELECT COUNT(*) FROM patient WHERE patient_ref IS NOT NULL"))
                    .isLessThan(writers * each);
            assertThat(auditEvents("http_status = 201")).isEqualTo(writers * each);
            for (String id : all.subList(0, 50)) {
                read(id);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordsOfOnePatientShareOnePatientRowAndAnEncounterOnlyRecordNeedsNone() {
        String a = created(store.submit(submission(record("MRN-5", "DX5"), "gw-5", null)));
        String b = created(store.submit(submission(record("mrn-5", "DX5"), "gw-5", null))); // same, normalised
        String c = created(store.submit(submission(encounterOnly("ENC-1"), "gw-5", null)));
        assertThat(db.count("SELECT COUNT(*) FROM patient")).isEqualTo(1);
        assertThat(read(a).canonicalJson()).contains("MRN-5");
        assertThat(read(b).canonicalJson()).contains("mrn-5");
        assertThat(read(c).canonicalJson()).contains("ENC-1");
        assertThat(db.count("SELECT COUNT(*) FROM treatment_record WHERE patient_ref IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void anErasedPatientsRecordsAreUnreadableAndTheNextRecordGetsANewKey() {
        String before = created(store.submit(submission(record("MRN-E", "DX9"), "gw-9", null)));
        db.sql("UPDATE patient SET wrapped_data_key = NULL"); // crypto-shredding
        phi.forgetCachedPatientKeys();

        assertThat(store.read(before, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);
        String after = created(store.submit(submission(record("MRN-E", "DX9"), "gw-9", null)));
        assertThat(read(after).canonicalJson()).contains("MRN-E");
        assertThat(store.read(before, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE wrapped_data_key IS NOT NULL"))
                .isEqualTo(1);
        assertThat(auditEvents("reason_code = 'record_unreadable'")).isEqualTo(2);
    }

    @Test
    void noPatientIdentifierReachesAnyTableOrTheLogs() {
        CaptureAppender.clear();
        String canary = "CANARY-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String id = created(store.submit(submission(record(canary, "DX3"), "gw-3", "key-" + canary.length())));
        store.submit(submission(record(canary, "DX3"), "gw-3", "key-" + canary.length()));
        read(id);
        store.inAuditTransaction(AuditTrail::sealPending);

        String everything = db.dumpAllTables();
        assertThat(everything).doesNotContain(canary).doesNotContain(canary.toLowerCase());
        assertThat(String.join("\n", CaptureAppender.lines())).doesNotContain(canary);
    }

    @Test
    void theAuditLogLinesOfAGroupAreWrittenAfterItsCommit() {
        CaptureAppender.clear();
        String id = created(store.submit(submission(record("MRN-L", "DX4"), "gw-4", null)));
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME))
                .anySatisfy(line -> assertThat(line).contains(id).contains("\"http_status\":201"));
    }

    @Test
    void whenTheDatabaseIsDownSubmissionsAreUnavailableAndNothingIsStored() {
        db.down();
        long start = System.nanoTime();
        assertThat(store.submit(submission(record("MRN-D", "DX6"), "gw-6", "k-down")))
                .isInstanceOf(SubmitOutcome.Unavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(store.audit(attempt("gw-6"))).isFalse();
        db.up();
        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isZero();
        // The store recovers by itself.
        created(store.submit(submission(record("MRN-D", "DX6"), "gw-6", "k-down")));
    }

    @Test
    void auditEventsAloneAreCommittedAndTheSealedChainVerifies() {
        assertThat(store.audit(
                        attempt("x").completed(null, Outcome.UNAUTHENTICATED, 401, "unauthenticated"),
                        attempt("y").completed(null, Outcome.FORBIDDEN, 403, "forbidden")))
                .isTrue();
        created(store.submit(submission(record("MRN-S", "DX2"), "gw-2", null)));
        store.inAuditTransaction(AuditTrail::sealPending);
        VerificationResult result = store.inAuditTransaction(AuditTrail::verify);
        assertThat(result.intact()).as(result.summary()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(3);
    }

    @Test
    void aClosedStoreRefusesWritesWithoutStoringThem() {
        store.close();
        assertThat(store.submit(submission(record("MRN-C", "DX1"), "gw-1", null)))
                .isInstanceOf(SubmitOutcome.Unavailable.class);
        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isZero();
    }

    AuditEvent erasureAttempt() {
        return AuditEvent.builder()
                .time(Instant.now())
                .action("patient.erasure")
                .resourceType("Patient")
                .clientId("po-1")
                .roles(List.of("privacy-officer"))
                .outcome(Outcome.SUCCESS)
                .httpStatus(200)
                .nodeId("node-test")
                .requestId(UUID.randomUUID().toString())
                .build();
    }

    ReadOutcome readOn(TreatmentStore on, String id) {
        return on.read(id, attempt("dr-1"));
    }

    @Test
    void erasureShredsOnlyThatPatientIsAuditedWithThePseudonymAndIsIdempotent() {
        CaptureAppender.clear();
        String a1 = created(store.submit(submission(record("MRN-ERASE-A", "DX1"), "gw-1", null)));
        String a2 = created(store.submit(submission(record("MRN-ERASE-A", "DX1"), "gw-1", null)));
        String b = created(store.submit(submission(record("MRN-ERASE-B", "DX1"), "gw-1", null)));
        String encounter = created(store.submit(submission(encounterOnly("ENC-9"), "gw-1", null)));
        String ref = phi.pseudonym("MRN-ERASE-A").value();

        assertThat(store.erasePatient(" mrn-erase-a", erasureAttempt())).isEqualTo(new ErasureOutcome.Erased(ref, 2));
        assertThat(store.read(a1, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);
        assertThat(store.read(a2, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);
        assertThat(read(b).canonicalJson()).contains("MRN-ERASE-B");
        assertThat(read(encounter).canonicalJson()).contains("ENC-9");
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE patient_ref = '" + ref
                        + "' AND wrapped_data_key IS NULL " + "AND erased_at IS NOT NULL AND key_version = 1"))
                .isEqualTo(1);
        assertThat(auditEvents("action = 'patient.erasure' AND record_id = '" + ref + "' AND http_status = 200 "
                        + "AND outcome = 'success' AND reason_code IS NULL"))
                .isEqualTo(1);
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME))
                .anySatisfy(line -> assertThat(line).contains(ref).contains("patient.erasure"));

        assertThat(store.erasePatient("MRN-ERASE-A", erasureAttempt()))
                .isEqualTo(new ErasureOutcome.AlreadyErased(ref));
        assertThat(auditEvents(
                        "action = 'patient.erasure' AND record_id = '" + ref + "' AND reason_code = 'already_erased'"))
                .isEqualTo(1);
        assertThat(store.erasePatient("MRN-NEVER-SEEN", erasureAttempt())).isEqualTo(new ErasureOutcome.NotFound());
        assertThat(auditEvents("action = 'patient.erasure' AND record_id IS NULL AND http_status = 404 "
                        + "AND reason_code = 'patient_not_found'"))
                .isEqualTo(1);

        // A later record gets a new key; the erased ones stay unreadable.
        String after = created(store.submit(submission(record("MRN-ERASE-A", "DX1"), "gw-1", null)));
        assertThat(read(after).canonicalJson()).contains("MRN-ERASE-A");
        assertThat(store.read(a1, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);

        assertThat(db.dumpAllTables()).doesNotContain("MRN-ERASE").doesNotContain("mrn-erase");
        assertThat(String.join("\n", CaptureAppender.lines()))
                .doesNotContain("MRN-ERASE")
                .doesNotContain("mrn-erase");
    }

    @Test
    void whenTheDatabaseIsDownAnErasureIsUnavailableAndChangesNothing() {
        created(store.submit(submission(record("MRN-DOWN", "DX1"), "gw-1", null)));
        db.down();
        assertThat(store.erasePatient("MRN-DOWN", erasureAttempt())).isEqualTo(new ErasureOutcome.Unavailable());
        db.up();
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE wrapped_data_key IS NOT NULL"))
                .isEqualTo(1);
        assertThat(auditEvents("action = 'patient.erasure'")).isZero();
    }

    /**
     * The gap the rotation closes: a backup taken before an erasure still decrypts the erased patient with the live
     * keys, until the rotation destroyed the epoch in force when it was taken; then it decrypts no patient at all.
     */
    @Test
    void aBackupFromBeforeAnErasureIsReadableUntilTheRotationAndUnreadableAfterIt() throws Exception {
        String a = created(store.submit(submission(record("MRN-BACKUP-A", "DX1"), "gw-1", null)));
        String b = created(store.submit(submission(record("MRN-BACKUP-B", "DX1"), "gw-1", null)));
        String encounter = created(store.submit(submission(encounterOnly("ENC-B"), "gw-1", null)));
        try (StoreDatabase backup = db.copy(scratch)) {
            assertThat(store.oldestErasureAwaitingRewrap()).isEmpty();
            Instant beforeErasure = Instant.now().minusSeconds(1);
            assertThat(store.erasePatient("MRN-BACKUP-A", erasureAttempt())).isInstanceOf(ErasureOutcome.Erased.class);
            assertThat(store.oldestErasureAwaitingRewrap())
                    .hasValueSatisfying(t -> assertThat(t).isAfter(beforeErasure));
            assertThat(readOn(store, a)).isInstanceOf(ReadOutcome.Unreadable.class);
            assertThat(read(b).canonicalJson()).contains("MRN-BACKUP-B");

            try (TreatmentStore restored =
                    TreatmentStore.open(backup.dataSource(), phi, audit, StoreConfig.defaults())) {
                assertThat(readOn(restored, a))
                        .as("the gap: the backup still opens the erased patient")
                        .isInstanceOf(ReadOutcome.Found.class);
            }

            RewrapResult rotation = store.rewrapPatientKeys();
            assertThat(rotation).isEqualTo(new RewrapResult(2, 1, 0, true)); // B's key; A's is gone
            assertThat(store.oldestErasureAwaitingRewrap())
                    .as("covered by the rotation")
                    .isEmpty();
            assertThat(Files.exists(keys.resolve("keysets/patient-wrap-1.tink")))
                    .isFalse();
            assertThat(auditEvents("action = 'patient.keys_rewrapped' AND record_id = 'wrapping-epoch-2' "
                            + "AND reason_code = 'rewrapped.1' AND outcome = 'success'"))
                    .isEqualTo(1);

            assertThat(read(b).canonicalJson()).contains("MRN-BACKUP-B");
            assertThat(readOn(store, a)).isInstanceOf(ReadOutcome.Unreadable.class);
            String later = created(store.submit(submission(record("MRN-BACKUP-B", "DX1"), "gw-1", null)));
            assertThat(read(later).canonicalJson()).contains("MRN-BACKUP-B");
            created(store.submit(submission(record("MRN-BACKUP-A", "DX1"), "gw-1", null))); // re-keyed
            store.erasePatient("MRN-BACKUP-A", erasureAttempt());
            assertThat(store.oldestErasureAwaitingRewrap())
                    .as("a new erasure waits for the next rotation")
                    .isPresent();

            // The same backup, with the same live keys, on this node and on a freshly started one.
            PhiProtection restarted = PhiProtection.open(SecurityConfig.development(keys));
            for (PhiProtection keysNow : List.of(phi, restarted)) {
                try (TreatmentStore restored =
                        TreatmentStore.open(backup.dataSource(), keysNow, audit, StoreConfig.defaults())) {
                    assertThat(readOn(restored, a)).isInstanceOf(ReadOutcome.Unreadable.class);
                    assertThat(readOn(restored, b))
                            .as("every patient-keyed record of an older backup is retired")
                            .isInstanceOf(ReadOutcome.Unreadable.class);
                    assertThat(readOn(restored, encounter))
                            .as("not patient-keyed")
                            .isInstanceOf(ReadOutcome.Found.class);
                }
            }
        }
    }

    @Test
    void aLayoutOneKeyFromBeforeEpochsIsRewrappedByTheRotationAndStaysReadable() throws Exception {
        // An installation from before wrapping epochs: no epoch keysets yet; opening it starts epoch 1.
        store.close();
        try (Stream<Path> files = Files.list(keys.resolve("keysets"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("patient-wrap-"))
                    .toList()) {
                Files.delete(f);
            }
        }
        phi = PhiProtection.open(SecurityConfig.development(keys));
        assertThat(phi.wrappingEpochs().legacyKeysAccepted()).isTrue();
        store = TreatmentStore.open(db.dataSource(), phi, audit, StoreConfig.defaults());

        String old = insertAsBeforeEpochs("MRN-LEGACY");
        assertThat(read(old).canonicalJson()).contains("MRN-LEGACY");
        String next = created(store.submit(submission(record("MRN-LEGACY", "DX1"), "gw-1", null)));
        String fresh = created(store.submit(submission(record("MRN-FRESH", "DX1"), "gw-1", null)));
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE key_epoch = 0")).isEqualTo(1);

        RewrapResult rotation = store.rewrapPatientKeys();
        assertThat(rotation).isEqualTo(new RewrapResult(2, 2, 0, true));
        assertThat(phi.wrappingEpochs().legacyKeysAccepted()).isFalse();
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE key_epoch = 2 AND key_version = 1"))
                .isEqualTo(2);
        for (String id : List.of(old, next)) {
            assertThat(read(id).canonicalJson()).contains("MRN-LEGACY");
        }
        assertThat(read(fresh).canonicalJson()).contains("MRN-FRESH");
    }

    /** A patient row and one record as the code before wrapping epochs wrote them (layout-1 key under the PHI ring). */
    private String insertAsBeforeEpochs(String patientId) throws Exception {
        PatientReference ref = phi.pseudonym(patientId);
        KeyRingManager manager = new KeyRingManager(
                new DirectoryKeysetStore(keys.resolve("keysets")),
                new DevelopmentKeyEncryptionKeySource(keys).keyEncryptionKey());
        WrappedPatientKey key =
                new WrappedPatientKey(PatientKeys.newWrappedKey(manager.reload().phiAead(), ref));
        String id = UUID.randomUUID().toString();
        TreatmentRecord record = record(patientId, "DX1");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            try (PreparedStatement p =
                    c.prepareStatement("INSERT INTO patient (patient_ref, blind_index, identifier_cipher, "
                            + "wrapped_data_key, created_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, ref.value());
                p.setString(2, phi.blindIndex(patientId).value());
                p.setBytes(3, phi.encryptForPatient(ref, key, patientId, new FieldBinding(ref.value(), "patient_id")));
                p.setBytes(4, key.bytes());
                p.setObject(5, now);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO treatment_record (id, patient_ref, machine_id, "
                    + "treatment_start, received_at, submitted_by, document_cipher) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setString(2, ref.value());
                p.setString(3, record.machineId());
                p.setObject(4, record.treatmentStart());
                p.setObject(5, now);
                p.setString(6, "gw-1");
                p.setBytes(7, phi.encryptForPatient(ref, key, record.toJson(), new FieldBinding(id, "document")));
                p.executeUpdate();
            }
        }
        return id;
    }

    @Test
    void concurrentSubmissionsOnTwoNodesForAnErasedPatientReKeyItExactlyOnce() throws Exception {
        String before = created(store.submit(submission(record("MRN-REKEY", "DX1"), "gw-1", null)));
        assertThat(store.erasePatient("MRN-REKEY", erasureAttempt())).isInstanceOf(ErasureOutcome.Erased.class);
        PhiProtection otherPhi = PhiProtection.open(SecurityConfig.development(keys));
        int perNode = 8;
        int each = 5;
        try (TreatmentStore other = TreatmentStore.open(
                db.dataSource(), otherPhi, audit, StoreConfig.defaults().withWriterThreads(4))) {
            ExecutorService pool = Executors.newFixedThreadPool(2 * perNode);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Callable<List<String>>> calls = new ArrayList<>();
                for (int w = 0; w < 2 * perNode; w++) {
                    TreatmentStore node = w % 2 == 0 ? store : other;
                    int writer = w;
                    calls.add(() -> {
                        start.await();
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            ids.add(created(
                                    node.submit(submission(record("MRN-REKEY", "DX" + writer), "gw-" + writer, null))));
                        }
                        return ids;
                    });
                }
                List<Future<List<String>>> futures = new ArrayList<>();
                for (Callable<List<String>> call : calls) {
                    futures.add(pool.submit(call));
                }
                start.countDown();
                List<String> all = new ArrayList<>();
                for (Future<List<String>> f : futures) {
                    all.addAll(f.get());
                }
                assertThat(all).hasSize(2 * perNode * each).doesNotHaveDuplicates();
                for (String id : all) {
                    assertThat(read(id).canonicalJson()).contains("MRN-REKEY");
                    assertThat(readOn(other, id)).isInstanceOf(ReadOutcome.Found.class);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(store.read(before, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);
        // Erased once (version 1), re-keyed once (version 2): exactly one new key.
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE wrapped_data_key IS NOT NULL AND key_version = 2"))
                .isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(1 + 2 * perNode * each);
    }

    @Test
    void aRotationWhileAnotherNodeKeepsWritingNewPatientsLosesNoKey() throws Exception {
        for (int i = 0; i < 30; i++) {
            created(store.submit(submission(record("MRN-ROT-" + i, "DX1"), "gw-1", null)));
        }
        PhiProtection otherPhi = PhiProtection.open(SecurityConfig.development(keys));
        AtomicBoolean stop = new AtomicBoolean();
        List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        try (TreatmentStore other = TreatmentStore.open(db.dataSource(), otherPhi, audit, StoreConfig.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        for (int i = 0; !stop.get() || i < 20; i++) {
                            String patient = i % 4 == 0 ? "MRN-ROT-" + (i % 30) : "MRN-NEW-" + writer + "-" + i;
                            written.add(created(other.submit(submission(record(patient, "DX2"), "gw-2", null))));
                        }
                    }));
                }
                Thread.sleep(100);
                RewrapResult first = store.rewrapPatientKeys();
                RewrapResult second = store.rewrapPatientKeys();
                stop.set(true);
                for (Future<?> f : writers) {
                    f.get();
                }
                assertThat(first.olderEpochsDestroyed()).isTrue();
                assertThat(second.epoch()).isEqualTo(3);
                assertThat(second.olderEpochsDestroyed()).isTrue();
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            // Everything written while the epochs changed is readable on both nodes; no key is left under a destroyed
            // epoch.
            String late = created(other.submit(submission(record("MRN-LATE", "DX2"), "gw-2", null)));
            written.add(late);
            for (String id : written) {
                assertThat(read(id)).isNotNull();
                assertThat(readOn(other, id)).isInstanceOf(ReadOutcome.Found.class);
            }
        }
        assertThat(db.count("SELECT COUNT(*) FROM patient WHERE key_epoch < 3")).isZero();
        assertThat(phi.wrappingEpochs().epochs()).containsExactly(3);
    }

    @Test
    void aWrappedKeyCopiedToAnotherPatientsRowIsNeverUsed() throws Exception {
        created(store.submit(submission(record("MRN-COPY-A", "DX1"), "gw-1", null)));
        String b = created(store.submit(submission(record("MRN-COPY-B", "DX1"), "gw-1", null)));
        String refA = phi.pseudonym("MRN-COPY-A").value();
        String refB = phi.pseudonym("MRN-COPY-B").value();
        try (Connection c = db.connect()) {
            byte[] keyA;
            try (PreparedStatement p =
                    c.prepareStatement("SELECT wrapped_data_key FROM patient WHERE patient_ref = ?")) {
                p.setString(1, refA);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    keyA = r.getBytes(1);
                }
            }
            try (PreparedStatement p =
                    c.prepareStatement("UPDATE patient SET wrapped_data_key = ? WHERE patient_ref = ?")) {
                p.setBytes(1, keyA);
                p.setString(2, refB);
                p.executeUpdate();
            }
        }
        phi.forgetCachedPatientKeys();
        assertThat(store.read(b, attempt("dr-1"))).isInstanceOf(ReadOutcome.Unreadable.class);
        long records = db.count("SELECT COUNT(*) FROM treatment_record");
        assertThat(store.submit(submission(record("MRN-COPY-B", "DX1"), "gw-1", null)))
                .as("never encrypted under A's key")
                .isInstanceOf(SubmitOutcome.Unavailable.class);
        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(records);
    }

    @Test
    void retentionPurgesOldRecordsAndTheirKeysInBoundedCallsEachAudited() {
        String old1 = created(store.submit(submission(record("MRN-RET", "DX1"), "gw-1", "old-1")));
        String old2 = created(store.submit(submission(record("MRN-RET", "DX1"), "gw-1", "old-2")));
        String recent = created(store.submit(submission(record("MRN-RET", "DX1"), "gw-1", "recent")));
        db.sql("UPDATE treatment_record SET received_at = received_at - INTERVAL '400' DAY WHERE id IN ('" + old1
                + "', '" + old2 + "')");
        Instant cutoff = Instant.now().minus(Duration.ofDays(365));

        assertThat(store.purgeRecordsReceivedBefore(cutoff, 1)).isEqualTo(1);
        assertThat(store.purgeRecordsReceivedBefore(cutoff, 1000)).isEqualTo(1);
        assertThat(store.purgeRecordsReceivedBefore(cutoff, 1000)).isZero();

        assertThat(db.count("SELECT COUNT(*) FROM treatment_record")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM idempotency_key WHERE record_id = '" + recent + "'"))
                .isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM idempotency_key")).isEqualTo(1);
        assertThat(store.read(old1, attempt("dr-1"))).isInstanceOf(ReadOutcome.NotFound.class);
        assertThat(read(recent).canonicalJson()).contains("MRN-RET");
        assertThat(auditEvents("action = 'treatment.retention_purged' AND reason_code = 'purged.1'"))
                .isEqualTo(2);
        assertThat(auditEvents("action = 'treatment.retention_purged' AND reason_code = 'purged.0'"))
                .isEqualTo(1);
        // The purged record's idempotency key is free again.
        created(store.submit(submission(record("MRN-RET", "DX1"), "gw-1", "old-1")));
    }

    @Test
    void theRotationSealsItsAuditEventIntoAVerifyingChain() {
        created(store.submit(submission(record("MRN-CHAIN", "DX1"), "gw-1", null)));
        store.erasePatient("MRN-CHAIN", erasureAttempt());
        store.rewrapPatientKeys();
        store.purgeRecordsReceivedBefore(Instant.now().minus(Duration.ofDays(1)), 10);
        store.inAuditTransaction(AuditTrail::sealPending);
        VerificationResult result = store.inAuditTransaction(AuditTrail::verify);
        assertThat(result.intact()).as(result.summary()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(4);
    }
}
