package health.treatment.store.bench;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditEvent;
import health.treatment.audit.AuditSigningKey;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.Outcome;
import health.treatment.core.TreatmentRecord;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import health.treatment.security.PhiProtection;
import health.treatment.security.SecurityConfig;
import health.treatment.store.StoreConfig;
import health.treatment.store.Submission;
import health.treatment.store.SubmitOutcome;
import health.treatment.store.TreatmentStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The store alone, without HTTP: N threads submit records for S seconds (after a warm-up) and the sealer runs every
 * second, as in the server. Prints records/s and the process CPU per record, so the store's share of a request's cost
 * can be compared with the whole server's.
 *
 * <pre>
 * mvn -B -o -pl treatment-store test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath health.treatment.store.bench.StoreThroughputDriver h2|postgresql same|fleet THREADS SECONDS"
 * </pre>
 */
public final class StoreThroughputDriver {

    static final String ARTICLE = "{\"patient_id\": \"%s\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
            + "\"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5, "
            + "\"machine_id\": \"DX%04d\", \"alarms\": [\"A12\", \"B03\"]}";

    public static void main(String[] args) throws Exception {
        String db = args[0];
        boolean fleet = args[1].equals("fleet");
        int threads = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        DataSource ds;
        Path dir = Files.createTempDirectory("store-bench");
        if (db.equals("h2")) {
            ds = JdbcConnectionPool.create(
                    "jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                            + "DEFAULT_NULL_ORDERING=HIGH",
                    "sa",
                    "");
        } else {
            try (Connection c =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
                c.createStatement().execute("DROP DATABASE IF EXISTS store_bench");
                c.createStatement().execute("CREATE DATABASE store_bench");
            }
            PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
            pg.setUrl("jdbc:postgresql://127.0.0.1:5432/store_bench");
            pg.setUser("postgres");
            JdbcConnectionPool pool = JdbcConnectionPool.create(pg); // a pool, as the server's datasource has
            pool.setMaxConnections(50);
            ds = pool;
        }
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration/treatment", "classpath:db/migration/audit")
                .table("schema_history")
                .load()
                .migrate();
        PhiProtection phi = PhiProtection.open(SecurityConfig.development(dir.resolve("keys")));
        AuditConfig audit = AuditConfig.defaults("bench", AuditSigningKey.generate());
        TreatmentStore store = TreatmentStore.open(ds, phi, audit, StoreConfig.defaults());
        TreatmentValidator validator = TreatmentValidator.createDefault();

        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong counter = new AtomicLong();
        Thread sealer = new Thread(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(1000);
                    store.inAuditTransaction(AuditTrail::sealPending);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sealer.start();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                while (running.get()) {
                    long n = counter.incrementAndGet();
                    String patient = fleet ? "P" + n : "123456";
                    String json = String.format(ARTICLE, patient, fleet ? n % 1000 : 2020);
                    TreatmentRecord record = ((ValidationResult.Valid)
                                    validator.validate(json.getBytes(StandardCharsets.UTF_8)))
                            .record();
                    AuditEvent attempt = AuditEvent.builder()
                            .time(Instant.now())
                            .action("treatment.create")
                            .resourceType("Treatment")
                            .clientId("bench")
                            .roles(List.of("gateway"))
                            .outcome(Outcome.SUCCESS)
                            .httpStatus(200)
                            .nodeId("bench")
                            .sourceIp("127.0.0.1")
                            .requestId("r" + n)
                            .build();
                    SubmitOutcome o = store.submit(new Submission(record, "bench", Optional.empty(), attempt));
                    if (o instanceof SubmitOutcome.Created) {
                        done.incrementAndGet();
                    }
                }
            });
            workers[t].start();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(20_000); // warm-up
        for (int round = 0; round < seconds / 10; round++) {
            long n0 = done.get();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(10_000);
            long n = done.get() - n0;
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3;
            System.out.printf(
                    "%s %s threads=%d: %.0f records/s, %.0f us CPU per record (this JVM)%n",
                    db, fleet ? "fleet" : "same-patient", threads, n / secs, cpuMicros / n);
        }
        running.set(false);
        for (Thread w : workers) {
            w.join();
        }
        sealer.interrupt();
        store.close();
        System.exit(0);
    }
}
