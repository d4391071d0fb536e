package health.treatment.audit.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditException;
import health.treatment.audit.AuditPage;
import health.treatment.audit.AuditSigningKey;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.AuditVerifier;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.Outcome;
import health.treatment.audit.PurgeResult;
import health.treatment.audit.SealResult;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.SigningKeyInfo;
import health.treatment.audit.VerificationResult;
import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.internal.cli.AuditCli;
import health.treatment.audit.spi.AuditStore;
import health.treatment.audit.testing.CaptureAppender;
import health.treatment.audit.testing.Events;
import health.treatment.audit.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same behaviour suite against H2 (PostgreSQL mode) and PostgreSQL; attacks are plain SQL on the tables. */
abstract class AbstractAuditTrailIT {
    private static final Instant END = Events.T0.plus(Duration.ofDays(1));
    /**
     * The trails' clock ticks near the test events' times (2026-01-01T00:00Z plus seconds): verification judges
     * freshness against it, and events months older than the clock would rightly be reported as stale.
     */
    static final Clock CLOCK =
            Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Events.T0.plus(Duration.ofHours(2))));

    TestDatabase db;
    AuditSigningKey key;
    AuditStore store;
    AuditTrail trail;

    abstract TestDatabase openDatabase();

    /** The store under test, in the database's current transaction; the JPA store unless a subclass says otherwise. */
    AuditStore newStore(TestDatabase database) {
        return new JpaAuditStore(database::currentEntityManager);
    }

    @BeforeEach
    void setUp() {
        db = openDatabase();
        key = AuditSigningKey.generate();
        store = newStore(db);
        trail = trail("node-a", CLOCK);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    AuditTrail trail(String node, Clock clock) {
        return AuditTrail.create(
                store, new AuditConfig(node, key, 10, Duration.ofDays(1), Duration.ofSeconds(30), 1000, clock));
    }

    void record(int from, int toInclusive) {
        db.txRun(em -> {
            for (int i = from; i <= toInclusive; i++) {
                trail.record(Events.create(i));
            }
        });
    }

    SealResult seal(AuditTrail t) {
        return db.tx(em -> t.sealPending());
    }

    VerificationResult verify() {
        return db.tx(em -> trail.verify());
    }

    /** 25 sealed events; checkpoints at 10 and 20. */
    void sealed25() {
        record(1, 25);
        SealResult r = seal(trail);
        assertThat(r.sealed()).isEqualTo(25);
        assertThat(r.checkpointsWritten()).isEqualTo(2);
    }

    static void assertBroken(VerificationResult r, long sequence, String reason) {
        assertThat(r.intact()).as(r.summary()).isFalse();
        assertThat(r.reasonCode()).isEqualTo(reason);
        assertThat(r.firstBadSequence()).hasValue(sequence);
    }

    // ------------------------------------------------------------------ chain basics

    @Test
    void sealedChainIsGapFreeAndVerifies() {
        sealed25();
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(25);
        assertThat(r.lastSequence()).isEqualTo(25);
        assertThat(r.checkpointsVerified()).isEqualTo(2);
        assertThat(r.lastSignedSequence()).isEqualTo(20);
        assertThat(db.count("SELECT COUNT(DISTINCT seq) FROM audit_event WHERE seq BETWEEN 1 AND 25"))
                .isEqualTo(25);
    }

    @Test
    void everyFieldSurvivesTheDatabaseRoundTripExactly() {
        AuditEvent full = AuditEvent.builder()
                .time(Events.T0.plusNanos(123_456_000))
                .deviceTime(Events.T0.minusSeconds(3))
                .clientId("gw-01@clinic")
                .roles(List.of("gateway", "device"))
                .tokenId("jti:9")
                .certificateThumbprint("q1w2e3r4t5y6u7i8o9p0-_AbCdEfGhIjKlMnOp")
                .action("treatment.create")
                .resourceType("Treatment")
                .recordId("0f8c-11")
                .outcome(Outcome.RATE_LIMITED)
                .httpStatus(429)
                .reasonCode("rate_limited.per_client")
                .sourceIp("2001:db8::7")
                .nodeId("node-a")
                .requestId("r:1")
                .build();
        AuditEvent minimal = AuditEvent.builder()
                .time(Events.T0)
                .action("auth.failure")
                .outcome(Outcome.UNAUTHENTICATED)
                .nodeId("node-a")
                .build();
        db.txRun(em -> {
            trail.record(full);
            trail.record(minimal);
        });
        seal(trail);
        AuditPage page = db.tx(em -> trail.events(Events.T0.minusSeconds(10), END, Optional.empty(), 10));
        assertThat(page.events()).extracting(SealedEvent::event).containsExactly(full, minimal);
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void recordIsPartOfTheCallersTransactionAndRollsBackWithIt() {
        db.txRollback(em -> trail.record(Events.create(1)));
        record(2, 2);
        // One event in the trail, pending (the outbox holds the unsealed ones, audit_event the sealed ones).
        assertThat(db.count("SELECT (SELECT COUNT(*) FROM audit_event) + (SELECT COUNT(*) FROM audit_outbox)"))
                .isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM audit_outbox")).isEqualTo(1);
    }

    @Test
    void recordWritesNoLogLineAndLogCommittedWritesOneJsonLineAfterTheCommit() {
        CaptureAppender.clear();
        record(7, 7);
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME)).isEmpty();
        AuditTrail.logCommitted(List.of(Events.create(7)));
        List<String> lines = CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith("{\"time\":\"2026-01-01T00:00:07Z\"")
                .contains("\"action\":\"treatment.create\"", "\"record_id\":\"rec-7\"", "\"outcome\":\"success\"");
    }

    @Test
    void checkpointIsWrittenWhenTheIntervalElapsesEvenBelowTheEventCount() {
        record(1, 3);
        SealResult r = seal(trail); // first run: no checkpoint yet, so the interval has elapsed
        assertThat(r.checkpointsWritten()).isEqualTo(1);
        record(4, 5);
        assertThat(seal(trail).checkpointsWritten()).isZero();
        Optional<Checkpoint> cp = db.tx(em -> trail.checkpointNow());
        assertThat(cp).map(Checkpoint::sequence).hasValue(5L);
        assertThat(verify().lastSignedSequence()).isEqualTo(5);
    }

    // ------------------------------------------------------------------ attacks on the stored trail

    @Test
    void editedEventIsDetectedAtItsSequence() {
        sealed25();
        db.sql("UPDATE audit_event SET record_id = 'rec-999' WHERE seq = 5");
        assertBroken(verify(), 5, "hash_mismatch");
    }

    @Test
    void editWithAllLaterHashesRecomputedIsCaughtByTheNextSignedCheckpoint() {
        sealed25();
        db.sql("UPDATE audit_event SET outcome = 'forbidden' WHERE seq = 5");
        // The attacker knows the algorithm and rewrites every hash after the edit...
        List<SealedEvent> events = db.tx(em -> store.sealedRange(1, 25, 100));
        byte[] h = Hex.decode(events.get(3).hash());
        for (SealedEvent e : events.subList(4, 25)) {
            h = Canonical.chain(h, e.event(), e.sequence());
            db.sql("UPDATE audit_event SET hash = '" + Hex.encode(h) + "' WHERE seq = " + e.sequence());
        }
        // ...but cannot re-sign checkpoint 10.
        assertBroken(verify(), 10, "checkpoint_mismatch");
    }

    @Test
    void deletedEventIsDetectedAsAGapAtItsSequence() {
        sealed25();
        db.sql("DELETE FROM audit_event WHERE seq = 5");
        assertBroken(verify(), 5, "sequence_gap");
    }

    @Test
    void insertedEventIsDetectedAtTheInsertedSequence() {
        sealed25();
        // Make room at 5 (two steps: the unique constraint is checked per row), then insert a forged row there.
        db.sql("UPDATE audit_event SET seq = -seq WHERE seq >= 5");
        db.sql("UPDATE audit_event SET seq = -seq + 1 WHERE seq < 0");
        db.sql("INSERT INTO audit_event (outbox_id, seq, hash, event_time_us, action, outcome, http_status, node_id) "
                + "SELECT 999999, 5, hash, event_time_us, 'treatment.read', 'success', 200, 'node-a' "
                + "FROM audit_event WHERE seq = 4");
        assertBroken(verify(), 5, "hash_mismatch");
    }

    @Test
    void reorderedEventsAreDetectedAtTheFirstMovedSequence() {
        sealed25();
        db.sql("UPDATE audit_event SET seq = -3 WHERE seq = 3");
        db.sql("UPDATE audit_event SET seq = 3 WHERE seq = 7");
        db.sql("UPDATE audit_event SET seq = 7 WHERE seq = -3");
        assertBroken(verify(), 3, "hash_mismatch");
    }

    @Test
    void eventEditedIntoAnInvalidValueIsReportedAtItsSequence() {
        sealed25();
        db.sql("UPDATE audit_event SET reason_code = 'Patient Jane Doe' WHERE seq = 12");
        assertBroken(verify(), 12, "invalid_event");
    }

    @Test
    void truncatedTailBelowTheLatestCheckpointIsDetected() {
        sealed25();
        db.sql("DELETE FROM audit_event WHERE seq > 15");
        assertBroken(verify(), 16, "truncated");
    }

    @Test
    void truncatedTailBelowTheLatestCheckpointIsDetectedEvenWithTheHeadRewritten() {
        sealed25();
        db.sql("DELETE FROM audit_event WHERE seq > 15");
        db.sql("UPDATE audit_chain_state SET head_seq = 15");
        assertBroken(verify(), 16, "truncated");
    }

    @Test
    void truncatedTailAfterTheLastCheckpointIsDetectedAgainstTheChainHead() {
        sealed25();
        db.sql("DELETE FROM audit_event WHERE seq > 22");
        assertBroken(verify(), 23, "truncated");
    }

    @Test
    void truncatedUnsignedTailWithTheHeadAlsoRewrittenIsBeyondWhatTheTrailCanProve() {
        // Documented limit: events after the last checkpoint are protected by the chain and the (unsigned) head
        // only. The result says how far the signatures reach, so an auditor sees the unsigned part.
        sealed25();
        db.sql("DELETE FROM audit_event WHERE seq > 22");
        db.sql("UPDATE audit_chain_state SET head_seq = 22");
        VerificationResult r = verify();
        assertThat(r.intact()).isTrue();
        assertThat(r.lastSequence()).isEqualTo(22);
        assertThat(r.lastSignedSequence()).isEqualTo(20);
    }

    @Test
    void checkpointForgedWithAnotherKeyIsRejected() {
        sealed25();
        AuditTrail forger = AuditTrail.create(
                store,
                new AuditConfig(
                        "node-x",
                        AuditSigningKey.generate(),
                        1,
                        Duration.ofDays(1),
                        Duration.ofSeconds(30),
                        1000,
                        CLOCK));
        db.sql("UPDATE audit_chain_state SET lease_holder = NULL");
        db.sql("DELETE FROM audit_checkpoint WHERE seq = 20");
        db.tx(em -> forger.checkpointNow());
        assertBroken(verify(), 25, "checkpoint_signature_invalid");
    }

    @Test
    void checkpointWithATamperedHeadHashIsRejected() {
        sealed25();
        db.sql("UPDATE audit_checkpoint SET head_hash = '" + "ab".repeat(32) + "' WHERE seq = 10");
        assertBroken(verify(), 10, "checkpoint_signature_invalid");
    }

    // ------------------------------------------------------------------ export

    List<String> exportLines(Instant from, Instant to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        db.txRun(em -> trail.export(from, to, out));
        return new ArrayList<>(
                Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")));
    }

    VerificationResult verifyExport(List<String> lines) throws IOException {
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        return AuditVerifier.verifyExport(new ByteArrayInputStream(bytes), key.publicKey());
    }

    static int lineOf(List<String> lines, long sequence) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"type\":\"event\",\"sequence\":" + sequence + ",")) {
                return i;
            }
        }
        throw new AssertionError("no event line " + sequence);
    }

    @Test
    void wholeExportVerifiesOfflineWithThePublicKey() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        assertThat(lines).hasSize(1 + 1 + 25 + 2);
        VerificationResult r = verifyExport(lines);
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(25);
        assertThat(r.checkpointsVerified()).isEqualTo(2);
    }

    @Test
    void partialExportStartsMidChainAndExtendsToTheNextCheckpoint() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0.plusSeconds(12), Events.T0.plusSeconds(15));
        assertThat(lines.get(1)).startsWith("{\"type\":\"start\",\"sequence\":11,");
        assertThat(lines.get(lines.size() - 1))
                .startsWith("{\"type\":\"checkpoint\",\"kind\":\"periodic\",\"sequence\":20");
        VerificationResult r = verifyExport(lines);
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(9);
    }

    @Test
    void editedExportLineIsDetectedAtItsSequence() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        int i = lineOf(lines, 8);
        lines.set(i, lines.get(i).replace("\"http_status\":201", "\"http_status\":200"));
        assertBroken(verifyExport(lines), 8, "hash_mismatch");
    }

    @Test
    void deletedExportLineIsDetectedAtItsSequence() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        lines.remove(lineOf(lines, 8));
        assertBroken(verifyExport(lines), 8, "sequence_gap");
    }

    @Test
    void reorderedExportLinesAreDetectedAtTheFirstMovedSequence() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        Collections.swap(lines, lineOf(lines, 4), lineOf(lines, 6));
        assertBroken(verifyExport(lines), 4, "sequence_gap");
    }

    @Test
    void insertedExportLineIsDetected() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        int i = lineOf(lines, 8);
        lines.add(i, lines.get(i).replace("\"sequence\":8,", "\"sequence\":8,").replace("rec-8", "rec-80"));
        assertBroken(verifyExport(lines), 8, "hash_mismatch");
    }

    @Test
    void truncatedExportIsDetectedAgainstACheckpointItStillCarries() throws IOException {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        // Cut every event after 15 but keep the signed checkpoint line for 20.
        for (int s = 25; s >= 16; s--) {
            lines.remove(lineOf(lines, s));
        }
        assertBroken(verifyExport(lines), 16, "truncated");
    }

    @Test
    void exportCheckpointSignedWithAnotherKeyIsRejected() throws Exception {
        sealed25();
        List<String> lines = exportLines(Events.T0, END);
        int cpLine = lineOf(lines, 10) + 1;
        Checkpoint genuine = db.tx(em -> store.checkpoints()).get(0);
        // Correct head hash and message, but signed by someone else's key.
        java.security.KeyPair other =
                java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.security.Signature sig = java.security.Signature.getInstance("Ed25519");
        sig.initSign(other.getPrivate());
        sig.update(genuine.signedMessage());
        Checkpoint forged = new Checkpoint(
                genuine.sequence(),
                genuine.headHash(),
                genuine.time(),
                genuine.kind(),
                health.treatment.audit.internal.Pem.keyId(other.getPublic()),
                Hex.encode(sig.sign()));
        assertThat(forged.verifySignature(other.getPublic())).isTrue();
        lines.set(
                cpLine,
                health.treatment.audit.internal.ExportWriter.checkpointJson(forged)
                        .toString());
        assertBroken(verifyExport(lines), 10, "checkpoint_signature_invalid");
    }

    // ------------------------------------------------------------------ paging

    @Test
    void eventsArePagedInSequenceOrderWithAnOpaqueCursor() {
        sealed25();
        record(26, 27); // unsealed: not listed
        AuditPage p1 = db.tx(em -> trail.events(Events.T0, END, Optional.empty(), 10));
        assertThat(p1.events())
                .extracting(SealedEvent::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(p1.nextCursor()).isPresent();
        assertThat(p1.nextCursor().get()).doesNotContain("10");
        AuditPage p2 = db.tx(em -> trail.events(Events.T0, END, p1.nextCursor(), 10));
        assertThat(p2.events())
                .extracting(SealedEvent::sequence)
                .startsWith(11L)
                .endsWith(20L);
        AuditPage p3 = db.tx(em -> trail.events(Events.T0, END, p2.nextCursor(), 10));
        assertThat(p3.events()).extracting(SealedEvent::sequence).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(p3.nextCursor()).isEmpty();
        AuditPage window =
                db.tx(em -> trail.events(Events.T0.plusSeconds(3), Events.T0.plusSeconds(5), Optional.empty(), 100));
        assertThat(window.events()).extracting(SealedEvent::sequence).containsExactly(3L, 4L);
        assertThatThrownBy(() -> db.tx(em -> trail.events(Events.T0, END, Optional.of("bogus!"), 10)))
                .isInstanceOf(AuditException.class)
                .hasMessage("audit query: invalid cursor");
    }

    // ------------------------------------------------------------------ retention

    @Test
    void purgeDeletesAWholeSealedPrefixAndTheRemainderStillVerifies() throws IOException {
        sealed25();
        PurgeResult p = db.tx(em -> trail.purgeBefore(Events.T0.plusSeconds(13)));
        assertThat(p.purgedThroughSequence()).isEqualTo(12);
        assertThat(p.eventsDeleted()).isEqualTo(12);
        assertThat(p.anchor()).map(Checkpoint::kind).hasValue(Checkpoint.Kind.PURGE);
        assertThat(db.count("SELECT MIN(seq) FROM audit_event")).isEqualTo(13);
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(13);
        assertThat(verifyExport(exportLines(Events.T0, END)).intact()).isTrue();
        // Purging again to the same point is a no-op; the anchor does not move backwards.
        assertThat(db.tx(em -> trail.purgeBefore(Events.T0.plusSeconds(5))).eventsDeleted())
                .isZero();
        // Deleting the first retained event is still caught.
        db.sql("DELETE FROM audit_event WHERE seq = 13");
        assertBroken(verify(), 13, "sequence_gap");
    }

    @Test
    void purgeNeverLeavesAGapWhenEventTimesAreOutOfOrder() {
        record(1, 5);
        db.txRun(em -> trail.record(Events.at(Events.T0.plusSeconds(100), 6)));
        db.txRun(em -> trail.record(Events.at(Events.T0.plusSeconds(2), 7)));
        seal(trail);
        // Event 7 is old, but event 6 before it is young: only 1..5 may go.
        assertThat(db.tx(em -> trail.purgeBefore(Events.T0.plusSeconds(50))).purgedThroughSequence())
                .isEqualTo(5);
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void purgeRefusesToAnchorATamperedPrefix() {
        sealed25();
        db.sql("UPDATE audit_event SET record_id = 'rec-x' WHERE seq = 3");
        assertThatThrownBy(() -> db.tx(em -> trail.purgeBefore(Events.T0.plusSeconds(13))))
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("hash_mismatch");
        assertThat(db.count("SELECT COUNT(*) FROM audit_event")).isEqualTo(25);
    }

    // ------------------------------------------------------------------ concurrency, leases, crashes

    @Test
    void concurrentAppendsWhileSealingFormOneGapFreeVerifiableChain() throws Exception {
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        try {
            Future<Integer> sealer = pool.submit(() -> {
                int n = 0;
                start.await();
                while (!done.get()) {
                    n += seal(trail).sealed();
                }
                return n;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i += 10) {
                        int from = base + i;
                        db.txRun(em -> {
                            for (int k = 0; k < 10; k++) {
                                trail.record(Events.create(from + k));
                            }
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : writers) {
                w.get(5, TimeUnit.MINUTES);
            }
            done.set(true);
            int sealedWhileRunning = sealer.get(5, TimeUnit.MINUTES);
            int rest = 0;
            for (int r; (r = seal(trail).sealed()) > 0; ) {
                rest += r;
            }
            assertThat(sealedWhileRunning + rest).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(threads * perThread);
        assertThat(db.count("SELECT MAX(seq) FROM audit_event")).isEqualTo(threads * perThread);
    }

    // ------------------------------------------------------------------ sealed as written (appendSealed)

    static List<AuditEvent> events(int from, int toInclusive) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = from; i <= toInclusive; i++) {
            out.add(Events.create(i));
        }
        return out;
    }

    @Test
    void eventsAppendedSealedAreInTheChainAtCommitWithACheckpointEveryNEvents() {
        db.txRun(em -> trail.appendSealed(events(1, 25)));
        assertThat(db.count("SELECT COUNT(*) FROM audit_outbox")).isZero();
        assertThat(db.count("SELECT MAX(seq) FROM audit_event")).isEqualTo(25);
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(25);
        assertThat(r.checkpointsVerified()).isEqualTo(2); // at 10 and 20
        assertThat(r.lastSignedSequence()).isEqualTo(20);
    }

    @Test
    void appendSealedAndTheOutboxShareOneGapFreeChain() {
        record(1, 5);
        db.txRun(em -> trail.appendSealed(events(6, 8)));
        seal(trail);
        db.txRun(em -> trail.appendSealed(events(9, 12)));
        record(13, 14);
        seal(trail);
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(14);
        assertThat(db.count("SELECT COUNT(DISTINCT seq) FROM audit_event WHERE seq BETWEEN 1 AND 14"))
                .isEqualTo(14);
    }

    @Test
    void aRolledBackAppendSealedLeavesTheChainAsItWas() {
        db.txRun(em -> trail.appendSealed(events(1, 3)));
        db.txRollback(em -> trail.appendSealed(events(4, 30)));
        assertThat(db.count("SELECT MAX(seq) FROM audit_event")).isEqualTo(3);
        db.txRun(em -> trail.appendSealed(events(31, 32)));
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(5);
    }

    @Test
    void concurrentAppendSealedTransactionsNeverForkTheChain() throws Exception {
        int threads = 6;
        int transactions = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * transactions * 3;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < transactions; i++) {
                        int first = base + i * 3 + 1;
                        db.txRun(em -> trail.appendSealed(events(first, first + 2)));
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(threads * transactions * 3);
        assertThat(db.count("SELECT COUNT(DISTINCT seq) FROM audit_event")).isEqualTo(threads * transactions * 3);
    }

    @Test
    void twoSealersRunningAtOnceNeverForkTheChain() throws Exception {
        AuditTrail a = trail("node-a", CLOCK);
        AuditTrail b = trail("node-b", CLOCK);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<SealResult> resultsA = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<SealResult> resultsB = new ConcurrentLinkedQueue<>();
        try {
            Future<?> sa = pool.submit(() -> {
                while (!done.get()) {
                    resultsA.add(seal(a));
                }
                return null;
            });
            Future<?> sb = pool.submit(() -> {
                while (!done.get()) {
                    resultsB.add(seal(b));
                }
                return null;
            });
            for (int i = 0; i < 300; i += 10) {
                record(i, i + 9);
            }
            done.set(true);
            sa.get(2, TimeUnit.MINUTES);
            sb.get(2, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        boolean aLed = resultsA.stream().anyMatch(SealResult::leader);
        boolean bLed = resultsB.stream().anyMatch(SealResult::leader);
        // Whichever node won the lease first kept it; the other one only ever saw the lease.
        assertThat(aLed ^ bLed).as("exactly one leader").isTrue();
        AuditTrail leader = aLed ? a : b;
        AuditTrail follower = aLed ? b : a;
        while (seal(leader).sealed() > 0) {
            // drain whatever is left
        }
        assertThat(seal(follower).leader()).isFalse();
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(300);
        assertThat(db.count("SELECT MAX(seq) FROM audit_event")).isEqualTo(300);
    }

    @Test
    void anotherNodeTakesOverOnceTheLeaseLapses() {
        record(1, 5);
        assertThat(seal(trail).leader()).isTrue();
        AuditTrail b = trail("node-b", CLOCK);
        assertThat(seal(b).leader()).isFalse();
        AuditTrail later = trail("node-b", Clock.offset(CLOCK, Duration.ofMinutes(1)));
        record(6, 8);
        SealResult r = seal(later);
        assertThat(r.leader()).isTrue();
        assertThat(r.sealed()).isEqualTo(3);
        assertThat(seal(trail).leader()).isFalse();
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void crashBetweenWriteAndSealLosesNothing() {
        record(1, 40);
        // The sealer "dies" mid-run: its transaction never commits.
        db.txRollback(em -> assertThat(trail.sealPending().sealed()).isEqualTo(40));
        assertThat(db.count("SELECT COUNT(*) FROM audit_outbox")).isEqualTo(40); // all still pending
        // A brand-new trail instance (restart, or another node once the lease lapsed) seals everything.
        AuditTrail restarted = trail("node-c", Clock.offset(CLOCK, Duration.ofMinutes(5)));
        assertThat(seal(restarted).sealed()).isEqualTo(40);
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(40);
    }

    // ------------------------------------------------------------------ PHI

    @Test
    void phiCanaryNeverReachesTheTrailTheLogOrAnExport() {
        String canary = "Jane Q. Canary, MRN 4471-CANARY";
        CaptureAppender.clear();
        List<Runnable> attempts = List.of(
                () -> trail.record(AuditEvent.builder()
                        .time(Instant.now())
                        .action("treatment.create")
                        .outcome(Outcome.CLIENT_ERROR)
                        .nodeId("node-a")
                        .reasonCode(canary)
                        .build()),
                () -> trail.record(AuditEvent.builder()
                        .time(Instant.now())
                        .action("treatment.create")
                        .outcome(Outcome.CLIENT_ERROR)
                        .nodeId("node-a")
                        .recordId(canary)
                        .build()),
                () -> trail.record(AuditEvent.builder()
                        .time(Instant.now())
                        .action(canary)
                        .outcome(Outcome.CLIENT_ERROR)
                        .nodeId("node-a")
                        .build()),
                () -> trail.record(AuditEvent.builder()
                        .time(Instant.now())
                        .action("treatment.create")
                        .outcome(Outcome.CLIENT_ERROR)
                        .nodeId("node-a")
                        .clientId(canary)
                        .build()));
        for (Runnable attempt : attempts) {
            assertThatThrownBy(() -> db.txRun(em -> attempt.run()))
                    .isInstanceOf(AuditException.class)
                    .satisfies(e ->
                            assertThat(e.getMessage()).doesNotContain("Canary").doesNotContain("4471"));
        }
        record(1, 12);
        seal(trail);
        String export = String.join("\n", exportLines(Events.T0, END));
        assertThat(db.dumpAuditTables()).doesNotContain("Canary").doesNotContain("4471");
        assertThat(String.join("\n", CaptureAppender.lines()))
                .doesNotContain("Canary")
                .doesNotContain("4471");
        assertThat(export).doesNotContain("Canary").doesNotContain("4471");
    }

    // ------------------------------------------------------------------ a checkpoint the auditor kept

    AuditTrail trail(String node, Clock clock, AuditSigningKey signingKey) {
        return AuditTrail.create(
                store, new AuditConfig(node, signingKey, 10, Duration.ofDays(1), Duration.ofSeconds(30), 1000, clock));
    }

    /**
     * What an insider does after cutting the chain at {@code keptThrough}: deletes every later checkpoint, recomputes
     * every later hash with the production hash function and rewrites the (unsigned) chain head to match.
     */
    void rewriteEverythingAfter(long keptThrough) {
        db.sql("DELETE FROM audit_checkpoint WHERE seq > " + keptThrough);
        List<SealedEvent> events = db.tx(em -> store.sealedRange(1, Long.MAX_VALUE, 100_000));
        byte[] h = Hex.decode(events.get((int) keptThrough - 1).hash());
        long last = keptThrough;
        for (SealedEvent e : events.subList((int) keptThrough, events.size())) {
            h = Canonical.chain(h, e.event(), e.sequence());
            db.sql("UPDATE audit_event SET hash = '" + Hex.encode(h) + "' WHERE seq = " + e.sequence());
            last = e.sequence();
        }
        db.sql("UPDATE audit_chain_state SET head_seq = " + last + ", head_hash = '" + Hex.encode(h)
                + "', checkpoint_seq = " + keptThrough);
    }

    int cli(Path dir, List<String> lines, String... options) throws IOException {
        Path export = Files.writeString(dir.resolve("tampered.ndjson"), String.join("\n", lines) + "\n");
        Path pem = Files.writeString(dir.resolve("audit.pem"), key.publicKeyPem());
        List<String> args = new ArrayList<>(List.of("verify", export.toString(), "--public-key", pem.toString()));
        args.addAll(Arrays.asList(options));
        cliOut.reset();
        return AuditCli.run(
                args.toArray(String[]::new),
                new PrintStream(cliOut, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    final ByteArrayOutputStream cliOut = new ByteArrayOutputStream();

    List<String> exportAll() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        db.txRun(em -> trail.export(1, Long.MAX_VALUE, out));
        return new ArrayList<>(
                Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")));
    }

    @Test
    void truncatingAndRewritingEverythingAfterACheckpointIsCaughtByACheckpointKeptBeforehand(@TempDir Path dir)
            throws IOException {
        record(1, 35);
        seal(trail); // checkpoints 10, 20, 30
        String kept = db.tx(em -> trail.latestCheckpoint()).orElseThrow().toJson();
        assertThat(kept).startsWith("{\"sequence\":30,");
        assertThat(verify(Optional.of(Checkpoint.fromJson(kept))).intact()).isTrue();
        Path keptFile = Files.writeString(dir.resolve("kept.json"), kept);
        assertThat(cli(dir, exportAll(), "--trusted-checkpoint", keptFile.toString()))
                .isZero();

        // The insider: cut after 10, delete events 26.., edit one in between, make the rest consistent again.
        db.sql("DELETE FROM audit_event WHERE seq > 25");
        db.sql("UPDATE audit_event SET outcome = 'forbidden', http_status = 403 WHERE seq = 15");
        rewriteEverythingAfter(10);

        VerificationResult blind = verify();
        assertThat(blind.intact())
                .as("without a kept checkpoint this is beyond what the trail can prove")
                .isTrue();
        assertThat(blind.lastSignedSequence()).isEqualTo(10);
        assertBroken(verify(Optional.of(Checkpoint.fromJson(kept))), 30, "trusted_checkpoint_missing");

        List<String> tampered = exportAll();
        assertThat(cli(dir, tampered)).isZero();
        assertThat(cli(dir, tampered, "--trusted-checkpoint", keptFile.toString()))
                .isEqualTo(1);
        assertThat(cliOut.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("BROKEN at sequence 30: trusted_checkpoint_missing");
    }

    @Test
    void rewritingHistoryWithoutTruncatingIsCaughtAsAMismatchAtTheKeptCheckpoint(@TempDir Path dir) throws IOException {
        record(1, 35);
        seal(trail);
        Checkpoint kept = db.tx(em -> trail.latestCheckpoint()).orElseThrow();
        db.sql("UPDATE audit_event SET record_id = 'rec-other' WHERE seq = 15");
        rewriteEverythingAfter(10);
        assertThat(verify().intact()).isTrue();
        assertBroken(verify(Optional.of(kept)), 30, "trusted_checkpoint_mismatch");
        Path keptFile = Files.writeString(dir.resolve("kept.json"), kept.toJson());
        assertThat(cli(dir, exportAll(), "--trusted-checkpoint", keptFile.toString()))
                .isEqualTo(1);
        assertThat(cliOut.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("BROKEN at sequence 30: trusted_checkpoint_mismatch");
    }

    @Test
    void aKeptCheckpointBelowTheRetainedAnchorIsReportedAsPurgedNeverAsIntact() {
        sealed25();
        Checkpoint old = db.tx(em -> store.checkpoints()).get(0); // 10
        db.tx(em -> trail.purgeBefore(Events.T0.plusSeconds(13)));
        assertBroken(verify(Optional.of(old)), 10, "trusted_checkpoint_purged");
        Checkpoint anchor = db.tx(em -> trail.checkpoints(0, 10)).get(0);
        assertThat(anchor.kind()).isEqualTo(Checkpoint.Kind.PURGE);
        assertThat(verify(Optional.of(anchor)).intact()).isTrue();
    }

    VerificationResult verify(Optional<Checkpoint> trusted) {
        return db.tx(em -> trail.verify(trusted));
    }

    // ------------------------------------------------------------------ checkpoints: listing, SIEM copy, export

    @Test
    void checkpointsAreListedInIndexedPagesAndReachTheAuditLogOnlyAfterTheCommit() {
        CaptureAppender.clear();
        record(1, 45);
        SealResult r = seal(trail);
        assertThat(r.checkpoints()).extracting(Checkpoint::sequence).containsExactly(10L, 20L, 30L, 40L);
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME)).isEmpty();
        AuditTrail.logCommittedCheckpoints(r.checkpoints());
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME))
                .hasSize(4)
                .allMatch(l -> l.startsWith("{\"type\":\"checkpoint\",\"sequence\":"));

        assertThat(db.<List<Checkpoint>>tx(em -> trail.checkpoints(0, 2)))
                .isEqualTo(r.checkpoints().subList(0, 2));
        assertThat(db.<List<Checkpoint>>tx(em -> trail.checkpoints(20, 2)))
                .isEqualTo(r.checkpoints().subList(2, 4));
        assertThat(db.<List<Checkpoint>>tx(em -> trail.checkpoints(40, 1000))).isEmpty();
        Checkpoint latest = db.tx(em -> trail.latestCheckpoint()).orElseThrow();
        assertThat(latest).isEqualTo(r.checkpoints().get(3));
        assertThat(Checkpoint.fromJson(latest.toJson())).isEqualTo(latest);
        assertThat(db.<List<Checkpoint>>tx(em -> trail.appendSealed(events(46, 50))))
                .extracting(Checkpoint::sequence)
                .containsExactly(50L);
    }

    @Test
    void exportBySequenceRangeStreamsThatRangeExtendedToTheNextCheckpoint() throws IOException {
        sealed25();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        db.txRun(em -> trail.export(12, 14, out));
        List<String> lines = Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
        assertThat(lines.get(0)).contains("\"from_sequence\":12,\"to_sequence\":14");
        assertThat(lines.get(1)).startsWith("{\"type\":\"start\",\"sequence\":11,");
        assertThat(lines.get(lines.size() - 1))
                .startsWith("{\"type\":\"checkpoint\",\"kind\":\"periodic\",\"sequence\":20");
        VerificationResult r = verifyExport(lines);
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(9);
        assertThat(exportAll()).hasSize(1 + 1 + 25 + 2);

        db.tx(em -> trail.purgeBefore(Events.T0.plusSeconds(13)));
        ByteArrayOutputStream purged = new ByteArrayOutputStream();
        db.txRun(em -> trail.export(1, 15, purged));
        List<String> rest =
                Arrays.asList(purged.toString(StandardCharsets.UTF_8).split("\n"));
        assertThat(rest.get(1)).startsWith("{\"type\":\"start\",\"sequence\":12,");
        assertThat(rest.get(2)).startsWith("{\"type\":\"checkpoint\",\"kind\":\"purge\",\"sequence\":12");
        assertThat(verifyExport(rest).intact()).isTrue();
    }

    @Test
    void anExportOfATrailTruncatedBelowACheckpointCarriesThatCheckpointSoTheTruncationShows() throws IOException {
        sealed25();
        db.sql("DELETE FROM audit_event WHERE seq > 15");
        assertBroken(verifyExport(exportAll()), 16, "truncated");
    }

    // ------------------------------------------------------------------ freshness

    @Test
    void aPendingEventOlderThanStaleAfterFailsVerificationUntilSealedAndSigned() {
        record(1, 20);
        seal(trail); // checkpoints 10 and 20: everything signed
        Instant old = CLOCK.instant().minus(Duration.ofDays(4));
        db.txRun(em -> trail.record(Events.at(old, 21)));
        VerificationResult stale = verify();
        assertBroken(stale, 21, "unsigned_tail_stale");
        assertThat(stale.oldestUnsignedEventTime()).hasValue(old.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(stale.lastSignedSequence()).isEqualTo(20);
        assertThat(stale.lastSignedTime()).isPresent();
        seal(trail); // sealed, but not signed yet (the interval is a day)
        assertBroken(verify(), 21, "unsigned_tail_stale");
        assertThat(db.<Optional<Checkpoint>>tx(em -> trail.checkpointNow())).isPresent();
        assertThat(verify().intact()).isTrue();
    }

    // ------------------------------------------------------------------ a malformed pending row

    static final String BAD_OUTCOME = "INSERT INTO audit_outbox (outbox_id, event_time_us, action, outcome, "
            + "http_status, node_id) VALUES (nextval('audit_outbox_seq'), 1767225604000000, 'treatment.create', "
            + "'bogus', 201, 'node-a')";
    static final String BAD_STATUS_AND_PHI = "INSERT INTO audit_outbox (outbox_id, event_time_us, action, outcome, "
            + "http_status, reason_code, node_id) VALUES (nextval('audit_outbox_seq'), 1767225606000000, "
            + "'treatment.create', 'success', 999, 'Jane Canary 4471', 'node-a')";

    /** Good events 1-3, a bad row, 5, a bad row, 7-8: sealed as 1..8 with findings at 4 and 6. */
    SealResult sealAroundTwoBadRows() {
        record(1, 3);
        db.sql(BAD_OUTCOME);
        record(5, 5);
        db.sql(BAD_STATUS_AND_PHI);
        record(7, 8);
        return seal(trail);
    }

    @Test
    void aMalformedOutboxRowIsSealedAsATamperFindingAndSealingGoesOn() {
        CaptureAppender.clear();
        SealResult r = sealAroundTwoBadRows();
        assertThat(r.sealed()).isEqualTo(8);
        assertThat(r.tamperFindings()).containsExactly(4L, 6L);
        assertThat(db.count("SELECT COUNT(*) FROM audit_outbox")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM audit_event WHERE action = 'audit.tamper_detected' "
                        + "AND reason_code = 'invalid_outbox_row' AND outcome = 'server_error' "
                        + "AND resource_type = 'AuditEvent' "
                        + "AND node_id = 'node-a' AND request_id LIKE 'outbox-%' AND client_id IS NULL"))
                .isEqualTo(2);
        assertThat(db.count("SELECT seq FROM audit_event WHERE record_id = 'rec-5'"))
                .isEqualTo(5);
        String tables = db.dumpAuditTables();
        assertThat(tables).doesNotContain("Canary").doesNotContain("4471").doesNotContain("bogus");
        List<String> errors = CaptureAppender.lines().stream()
                .filter(l -> l.contains("|ERROR|"))
                .toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0))
                .matches("health\\.treatment\\.audit\\.AuditTrail\\|ERROR\\|audit sealer: outbox row "
                        + "-?\\d+ is not a valid audit event; sealed a tamper finding at sequence 4 in its place\\s*");
        assertThat(errors.get(1)).contains("at sequence 6 in its place");
        assertThat(String.join("\n", CaptureAppender.lines()))
                .doesNotContain("Canary")
                .doesNotContain("bogus");

        assertBroken(verify(), 4, "tamper_finding");
        record(9, 9);
        assertThat(seal(trail).sealed()).isEqualTo(1);
        assertBroken(verify(), 4, "tamper_finding");
    }

    @Test
    void aRealBreakIsReportedBeforeATamperFindingWhereverItIs() {
        sealAroundTwoBadRows();
        db.sql("UPDATE audit_event SET record_id = 'rec-x' WHERE seq = 7");
        assertBroken(verify(), 7, "hash_mismatch");
        db.sql("UPDATE audit_event SET record_id = 'rec-x' WHERE seq = 2");
        assertBroken(verify(), 2, "hash_mismatch");
    }

    @Test
    void retentionMayRemoveARecordedTamperFinding() {
        sealAroundTwoBadRows();
        PurgeResult p = db.tx(em -> trail.purgeBefore(CLOCK.instant().plusSeconds(60)));
        assertThat(p.purgedThroughSequence()).isEqualTo(8);
        VerificationResult r = verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
    }

    // ------------------------------------------------------------------ signing keys

    @Test
    void registeringTheSigningKeyIsIdempotentAndARowInsertedWithSqlIsNotTrusted() {
        assertThat(db.<Boolean>tx(em -> trail.registerSigningKey())).isTrue();
        assertThat(db.<Boolean>tx(em -> trail.registerSigningKey())).isFalse();
        assertThat(db.count("SELECT COUNT(*) FROM audit_signing_key WHERE key_id = '" + key.keyId()
                        + "' AND endorsed_by = key_id AND valid_until_us IS NULL AND valid_from_us = 0"))
                .isEqualTo(1);
        sealed25();
        AuditSigningKey rogue = AuditSigningKey.generate();
        db.sql("INSERT INTO audit_signing_key (key_id, public_key, valid_from_us, valid_until_us, endorsed_by, "
                + "endorsement) VALUES ('" + rogue.keyId() + "', '"
                + java.util.Base64.getEncoder().encodeToString(rogue.publicKey().getEncoded()) + "', 0, NULL, '"
                + key.keyId() + "', '"
                + "ab".repeat(64) + "')");
        assertThat(db.<List<SigningKeyInfo>>tx(em -> trail.signingKeys()))
                .extracting(SigningKeyInfo::keyId)
                .containsExactly(key.keyId());
        AuditTrail forger = trail("node-x", CLOCK, rogue);
        db.sql("UPDATE audit_chain_state SET lease_holder = NULL");
        db.sql("DELETE FROM audit_checkpoint WHERE seq = 20");
        assertThat(db.<Optional<Checkpoint>>tx(em -> forger.checkpointNow())).isPresent();
        assertBroken(verify(), 25, "checkpoint_signature_invalid");
    }

    @Test
    void aRotatedKeyStaysTrustedThroughItsSuccessorsEndorsementAndStopsSigning() {
        db.txRun(em -> trail.registerSigningKey());
        sealed25();
        AuditSigningKey next = AuditSigningKey.generate();
        AuditTrail rotated = trail("node-a", Clock.offset(CLOCK, Duration.ofMinutes(1)), next);
        assertThat(db.<Boolean>tx(em -> rotated.registerSigningKey())).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM audit_signing_key WHERE key_id = '" + key.keyId()
                        + "' AND endorsed_by = '" + next.keyId() + "' AND valid_until_us IS NOT NULL"))
                .isEqualTo(1);
        assertThat(db.<Optional<Checkpoint>>tx(em -> trail.checkpointNow())).isEmpty(); // the old key no longer signs
        record(26, 35);
        SealResult r = seal(rotated);
        assertThat(r.checkpoints()).extracting(Checkpoint::keyId).containsExactly(next.keyId());
        VerificationResult v = db.tx(em -> rotated.verify());
        assertThat(v.intact()).as(v.summary()).isTrue();
        assertThat(v.checkpointsVerified()).isEqualTo(3);
        List<SigningKeyInfo> keys = db.tx(em -> rotated.signingKeys());
        assertThat(keys).extracting(SigningKeyInfo::keyId).containsExactly(key.keyId(), next.keyId());
        assertThat(keys.get(0).validUntil()).isPresent();
        assertThat(keys.get(1).validUntil()).isEmpty();
        assertThat(keys.get(1).publicKeyPem()).isEqualTo(next.publicKeyPem());

        // Stretching the retired key's period in the database breaks its endorsement: no longer trusted.
        db.sql("UPDATE audit_signing_key SET valid_until_us = valid_until_us + 1 WHERE key_id = '" + key.keyId() + "'");
        assertBroken(db.tx(em -> rotated.verify()), 10, "checkpoint_signature_invalid");
    }
}
