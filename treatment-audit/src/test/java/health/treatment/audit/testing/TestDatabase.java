package health.treatment.audit.testing;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * A fresh, Flyway-migrated database per instance: an H2 in-memory database in PostgreSQL mode, or a uniquely named
 * schema in the shared PostgreSQL (dropped again by {@link #close()}; other schemas are never touched).
 */
public final class TestDatabase implements AutoCloseable {
    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String url;
    private final String user;
    private final String schema; // null for H2
    private final EntityManagerFactory emf;
    private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

    private TestDatabase(String url, String user, String schema) {
        this.url = url;
        this.user = user;
        this.schema = schema;
        Flyway.configure()
                .dataSource(url, user, "")
                .locations("classpath:db/migration/audit")
                .load()
                .migrate();
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.jdbc.url", url);
        props.put("jakarta.persistence.jdbc.user", user);
        props.put("jakarta.persistence.jdbc.password", "");
        props.put("eclipselink.connection-pool.default.max", "16");
        this.emf = Persistence.createEntityManagerFactory("audit-test", props);
    }

    public static TestDatabase h2() {
        String name = "audit_" + UUID.randomUUID().toString().replace("-", "");
        return new TestDatabase(
                "jdbc:h2:mem:" + name
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000",
                "sa",
                null);
    }

    /** Fails (never skips) when PostgreSQL is not reachable. */
    public static TestDatabase postgres() {
        String schema =
                "audit_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is required for this test", e);
        }
        return new TestDatabase(PG_BASE + "?currentSchema=" + schema, "postgres", schema);
    }

    public boolean isPostgres() {
        return schema != null;
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
        return DriverManager.getConnection(url, user, "");
    }

    /** Plain SQL outside JPA: what an attacker with database access does. */
    public int sql(String statement) {
        try (Connection c = jdbc();
                Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String query) {
        try (Connection c = jdbc();
                Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        } else {
            try (Connection c = jdbc();
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
