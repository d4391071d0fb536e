package health.treatment.audit.bench;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditSigningKey;
import health.treatment.audit.AuditTrail;
import health.treatment.audit.VerificationResult;
import health.treatment.audit.jpa.JpaAuditStore;
import health.treatment.audit.testing.Events;
import health.treatment.audit.testing.TestDatabase;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Request-time cost of auditing, with the sealer running in the background (one seal run every 100 ms, as a sealer
 * job would): a representative clinical write (one ~2 KB row with three indexed columns) alone, the same write plus
 * {@link AuditTrail#record} in the same transaction, and the audit append alone. Ops/s = transactions (= events
 * appended, for the audit variants). Run with -t 1 and -t 4.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dlog4j2.configurationFile=log4j2-bench.xml", "-Xmx1g"})
public class AuditAppendBenchmark {
    private static final String PAYLOAD = "x".repeat(2000);

    @Param({"h2", "postgres"})
    public String db;

    TestDatabase database;
    AuditTrail trail;
    final AtomicLong ids = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    Thread sealer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        database = "h2".equals(db) ? TestDatabase.h2() : TestDatabase.postgres();
        try (Connection c = database.jdbc();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_treatment (id BIGINT PRIMARY KEY, ref VARCHAR(36) NOT NULL, "
                    + "machine_id VARCHAR(64) NOT NULL, patient_bidx VARCHAR(64) NOT NULL, start_us BIGINT NOT NULL, "
                    + "payload VARCHAR(4000) NOT NULL)");
            s.execute("CREATE INDEX bench_treatment_machine_ix ON bench_treatment (machine_id)");
            s.execute("CREATE INDEX bench_treatment_bidx_ix ON bench_treatment (patient_bidx)");
            s.execute("CREATE INDEX bench_treatment_start_ix ON bench_treatment (start_us)");
        }
        JpaAuditStore store = new JpaAuditStore(database::currentEntityManager);
        trail = AuditTrail.create(
                store,
                new AuditConfig(
                        "bench-node",
                        AuditSigningKey.generate(),
                        1000,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        5000,
                        Clock.systemUTC()));
        sealer = new Thread(
                () -> {
                    while (!stop.get()) {
                        database.tx(em -> trail.sealPending());
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "sealer");
        sealer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stop.set(true);
        sealer.join();
        while (database.tx(em -> trail.sealPending()).sealed() > 0) {
            // seal the rest so the chain can be checked
        }
        VerificationResult r = database.tx(em -> trail.verify());
        System.err.println("[bench] " + db + ": " + r.summary());
        database.close();
    }

    private void clinicalInsert(EntityManager em) {
        long id = ids.incrementAndGet();
        em.createNativeQuery("INSERT INTO bench_treatment (id, ref, machine_id, patient_bidx, start_us, payload) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, id)
                .setParameter(2, java.util.UUID.randomUUID().toString())
                .setParameter(3, "DX" + (id % 50))
                .setParameter(4, Long.toHexString(id * 0x9E3779B97F4A7C15L))
                .setParameter(5, id)
                .setParameter(6, PAYLOAD)
                .executeUpdate();
    }

    @Benchmark
    public Object clinicalWriteOnly() {
        return database.tx(em -> {
            clinicalInsert(em);
            return em;
        });
    }

    @Benchmark
    public Object clinicalWritePlusAudit() {
        return database.tx(em -> {
            clinicalInsert(em);
            trail.record(Events.create((int) (ids.get() & 0xffff)));
            return em;
        });
    }

    @Benchmark
    public Object auditOnly() {
        return database.tx(em -> {
            trail.record(Events.create((int) (ids.incrementAndGet() & 0xffff)));
            return em;
        });
    }
}
