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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relative cost of the audit step on a shared, noisy machine: alternates short slices of "clinical write only" and
 * "clinical write + AuditTrail.record in the same transaction" (A/B/A/B...), so both see the same background load, and
 * reports medians and the median per-round ratio. The audit slice is charged for sealing its own events: after its
 * writers stop, the clock keeps running until the sealer has caught up (so "throughput" is sustainable throughput with
 * sealing keeping pace, not just the outbox insert).
 *
 * <p>Run: {@code mvn -B -o -pl treatment-audit test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath -Dlog4j2.configurationFile=log4j2-bench.xml
 * health.treatment.audit.bench.AuditOverheadDriver THREADS ROUNDS SLICE_MS"}
 */
public final class AuditOverheadDriver {
    private static final String PAYLOAD = "x".repeat(2000);

    private final TestDatabase db;
    private final AuditTrail trail;
    private final AtomicLong ids = new AtomicLong();
    private static boolean sealing = true;

    private AuditOverheadDriver(TestDatabase db) throws Exception {
        this.db = db;
        try (Connection c = db.jdbc();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_treatment (id BIGINT PRIMARY KEY, ref VARCHAR(36) NOT NULL, "
                    + "machine_id VARCHAR(64) NOT NULL, patient_bidx VARCHAR(64) NOT NULL, start_us BIGINT NOT NULL, "
                    + "payload VARCHAR(4000) NOT NULL)");
            s.execute("CREATE INDEX bench_treatment_machine_ix ON bench_treatment (machine_id)");
            s.execute("CREATE INDEX bench_treatment_bidx_ix ON bench_treatment (patient_bidx)");
            s.execute("CREATE INDEX bench_treatment_start_ix ON bench_treatment (start_us)");
        }
        trail = AuditTrail.create(
                new JpaAuditStore(db::currentEntityManager),
                new AuditConfig(
                        "bench-node",
                        AuditSigningKey.generate(),
                        1000,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        5000,
                        Clock.systemUTC()));
    }

    private void clinicalInsert(EntityManager em) {
        long id = ids.incrementAndGet();
        em.createNativeQuery("INSERT INTO bench_treatment (id, ref, machine_id, patient_bidx, start_us, payload) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, id)
                .setParameter(2, UUID.randomUUID().toString())
                .setParameter(3, "DX" + (id % 50))
                .setParameter(4, Long.toHexString(id * 0x9E3779B97F4A7C15L))
                .setParameter(5, id)
                .setParameter(6, PAYLOAD)
                .executeUpdate();
    }

    /** Runs the writers for sliceMs; returns transactions per second (audit: including the sealer catching up). */
    private double slice(int threads, long sliceMs, boolean audit) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean writersDone = new AtomicBoolean();
        AtomicLong ops = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(new Thread(() -> {
                while (!stop.get()) {
                    db.txRun(em -> {
                        clinicalInsert(em);
                        if (audit) {
                            trail.record(Events.create((int) (ids.get() & 0xffff)));
                        }
                    });
                    ops.incrementAndGet();
                }
            }));
        }
        // The sealer job: one run every 100 ms (as a scheduled job would), and after the writers stop, until drained.
        Thread sealer = new Thread(() -> {
            while (true) {
                int n = db.tx(em -> trail.sealPending()).sealed();
                if (writersDone.get() && n == 0) {
                    return;
                }
                if (!writersDone.get()) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        long start = System.nanoTime();
        writers.forEach(Thread::start);
        if (sealing) {
            sealer.start();
        }
        Thread.sleep(sliceMs);
        stop.set(true);
        for (Thread w : writers) {
            w.join();
        }
        writersDone.set(true);
        if (sealing) {
            sealer.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return ops.get() / seconds;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long sliceMs = args.length > 2 ? Long.parseLong(args[2]) : 500;
        // "nosealer" isolates the request-time cost (outbox insert + log line) from the sealer's CPU share.
        sealing = !(args.length > 3 && "nosealer".equals(args[3]));
        for (String kind : List.of("h2", "postgres")) {
            try (TestDatabase db = "h2".equals(kind) ? TestDatabase.h2() : TestDatabase.postgres()) {
                AuditOverheadDriver d = new AuditOverheadDriver(db);
                for (int w = 0; w < 4; w++) { // warm-up
                    d.slice(threads, sliceMs, false);
                    d.slice(threads, sliceMs, true);
                }
                List<Double> plain = new ArrayList<>();
                List<Double> audited = new ArrayList<>();
                List<Double> ratio = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    boolean auditFirst = r % 2 == 1; // alternate the order too
                    double a = auditFirst ? d.slice(threads, sliceMs, true) : 0;
                    double p = d.slice(threads, sliceMs, false);
                    if (!auditFirst) {
                        a = d.slice(threads, sliceMs, true);
                    }
                    plain.add(p);
                    audited.add(a);
                    ratio.add(a / p);
                }
                while (db.tx(em -> d.trail.sealPending()).sealed() > 0) {
                    // seal what the no-sealer mode left, so the chain check below covers everything
                }
                VerificationResult v = db.tx(em -> d.trail.verify());
                System.out.printf(
                        Locale.ROOT,
                        (sealing ? "sealing " : "nosealer ")
                                + "%-8s threads=%d rounds=%d slice=%dms  clinical-only median %.0f tx/s"
                                + "  clinical+audit median %.0f tx/s (= events/s appended and sealed)"
                                + "  median ratio %.3f  => added cost %.1f%%  | chain: %s%n",
                        kind,
                        threads,
                        rounds,
                        sliceMs,
                        median(plain),
                        median(audited),
                        median(ratio),
                        (1 / median(ratio) - 1) * 100,
                        v.summary());
            }
        }
    }
}
