package health.treatment.audit.testing;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fresh, Flyway-migrated database per instance ({@link ScratchDatabase}: H2 in PostgreSQL mode or a uniquely named
 * PostgreSQL schema) with a JPA persistence unit on it.
 */
public final class TestDatabase implements AutoCloseable {
    private final ScratchDatabase db;
    private final EntityManagerFactory emf;
    private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

    private TestDatabase(ScratchDatabase db) {
        this.db = db.migrate("flyway_schema_history", "classpath:db/migration/audit"); // Flyway's default history table
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.jdbc.url", db.url());
        props.put("jakarta.persistence.jdbc.user", db.user());
        props.put("jakarta.persistence.jdbc.password", "");
        props.put("eclipselink.connection-pool.default.max", "16");
        this.emf = Persistence.createEntityManagerFactory("audit-test", props);
    }

    public static TestDatabase h2() {
        return new TestDatabase(ScratchDatabase.h2("audit_"));
    }

    /** Fails (never skips) when PostgreSQL is not reachable. */
    public static TestDatabase postgres() {
        return new TestDatabase(ScratchDatabase.postgres("audit_t_"));
    }

    public boolean isPostgres() {
        return db.isPostgres();
    }

    public EntityManager currentEntityManager() {
        return current.get();
    }

    /** Runs work in one resource-local transaction whose EntityManager the store sees through the supplier. */
    public <T> T tx(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        current.set(em);
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            current.remove();
            em.close();
        }
    }

    public void txRun(Consumer<EntityManager> work) {
        tx(em -> {
            work.accept(em);
            return null;
        });
    }

    /** Runs work in a transaction that is then rolled back (a "crash" before commit). */
    public void txRollback(Consumer<EntityManager> work) {
        EntityManager em = emf.createEntityManager();
        current.set(em);
        try {
            em.getTransaction().begin();
            work.accept(em);
        } finally {
            em.getTransaction().rollback();
            current.remove();
            em.close();
        }
    }

    public Connection jdbc() throws SQLException {
        return db.connect();
    }

    /** Plain SQL outside JPA: what an attacker with database access does. */
    public int sql(String statement) {
        return db.sql(statement);
    }

    public long count(String query) {
        return db.count(query);
    }

    /** Every cell of every audit table as text (for PHI canary searches). */
    public String dumpAuditTables() {
        StringBuilder sb = new StringBuilder();
        for (String t : new String[] {"audit_event", "audit_outbox", "audit_checkpoint", "audit_chain_state"}) {
            try (Connection c = jdbc();
                    Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT * FROM " + t)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        sb.append(rs.getString(i)).append('|');
                    }
                    sb.append('\n');
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        emf.close();
        db.close();
    }
}
