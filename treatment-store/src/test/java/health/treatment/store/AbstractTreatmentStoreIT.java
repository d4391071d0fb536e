package health.treatment.store;

import static org.assertj.core.api.Assertions.assertThat;

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
import health.treatment.security.SecurityConfig;
import health.treatment.security.PhiProtection;
import health.treatment.store.testing.StoreDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
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
    String json = ARTICLE.replace("\"123456\"", "\"" + patientId + "\"").replace("\"DX2020\"", "\"" + machineId + "\"");
    return ((ValidationResult.Valid) VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8))).record();
  }

  static TreatmentRecord encounterOnly(String encounterId) {
    String json = ARTICLE.replace("\"patient_id\": \"123456\"", "\"encounter_id\": \"" + encounterId + "\"");
    return ((ValidationResult.Valid) VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8))).record();
  }

  AuditEvent attempt(String client) {
    return AuditEvent.builder().time(Instant.now()).action("treatment.create").resourceType("Treatment")
        .clientId(client).roles(List.of("gateway")).outcome(Outcome.SUCCESS).httpStatus(200).nodeId("node-test")
        .requestId(UUID.randomUUID().toString()).build();
  }

  Submission submission(TreatmentRecord record, String client, String key) {
    return new Submission(record, client, Optional.ofNullable(key), attempt(client));
  }

  /** Audit events matching {@code where}, pending (audit_outbox) or sealed (audit_event). */
  long auditEvents(String where) {
    return db.count("SELECT (SELECT COUNT(*) FROM audit_event WHERE " + where + ") + (SELECT COUNT(*) FROM audit_outbox "
        + "WHERE " + where + ")");
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
    assertThat(auditEvents("action = 'treatment.create' AND record_id = '"
        + id + "' AND http_status = 201 AND outcome = 'success'")).isEqualTo(1);
    assertThat(auditEvents("record_id = '" + id + "' AND http_status = 200"))
        .isEqualTo(1);
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
    assertThat(auditEvents("reason_code = 'idempotent_replay' AND record_id = '"
        + id + "' AND http_status = 200")).isEqualTo(1);
    assertThat(auditEvents("reason_code = 'idempotency_key_reused' "
        + "AND http_status = 409")).isEqualTo(1);
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
      assertThat(outcomes).filteredOn(o -> o instanceof SubmitOutcome.Created).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof SubmitOutcome.Replayed).hasSize(19);
      Set<String> ids = outcomes.stream().map(o -> o instanceof SubmitOutcome.Created c ? c.id()
          : ((SubmitOutcome.Replayed) o).id()).collect(Collectors.toSet());
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
        submission(record("MRN-8", "DX8"), "gw-8", "dup"), submission(record("MRN-8", "DX8"), "gw-8", "dup"),
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
            // Every third record reuses a patient shared by all writers: patient rows are created concurrently.
            String patient = i % 3 == 0 ? "SHARED-" + (i % 5) : "P-" + writer + "-" + i;
            ids.add(created(store.submit(submission(record(patient, "DX" + writer), "gw-" + writer, null))));
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
      assertThat(db.count("SELECT COUNT(*) FROM patient WHERE patient_ref IS NOT NULL")).isLessThan(writers * each);
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
    assertThat(db.count("SELECT COUNT(*) FROM treatment_record WHERE patient_ref IS NULL")).isEqualTo(1);
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
    assertThat(db.count("SELECT COUNT(*) FROM patient WHERE wrapped_data_key IS NOT NULL")).isEqualTo(1);
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
    assertThat(store.audit(attempt("x").completed(null, Outcome.UNAUTHENTICATED, 401, "unauthenticated"),
        attempt("y").completed(null, Outcome.FORBIDDEN, 403, "forbidden"))).isTrue();
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
}
