package health.treatment.audit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A fresh database for one test: an in-memory H2 in PostgreSQL mode, or a uniquely named schema in the shared
 * PostgreSQL (dropped again by {@link #close()}; other schemas are never touched). The start-up and tear-down that
 * {@link TestDatabase} and the store tests' {@code StoreDatabase} share (this package is in the test-jar).
 */
public final class ScratchDatabase implements AutoCloseable {
    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String H2_OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";

    private final String url;
    private final String user;
    private final String schema; // null for H2

    private ScratchDatabase(String url, String user, String schema) {
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    /** A new in-memory H2 database named {@code namePrefix} and a random UUID; it lives until {@link #close()}. */
    public static ScratchDatabase h2(String namePrefix) {
        return new ScratchDatabase(
                "jdbc:h2:mem:" + namePrefix + UUID.randomUUID().toString().replace("-", "") + H2_OPTIONS, "sa", null);
    }

    /**
     * A new schema named {@code schemaPrefix} and 16 random hex digits in database {@code test} of the shared
     * PostgreSQL. Fails (never skips) when PostgreSQL is not reachable.
     */
    public static ScratchDatabase postgres(String schemaPrefix) {
        String schema =
                schemaPrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = postgresAdmin();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is required for this test", e);
        }
        return new ScratchDatabase(PG_BASE + "?currentSchema=" + schema, "postgres", schema);
    }

    /** A connection to the shared PostgreSQL database outside any test's schema (for work across schemas). */
    public static Connection postgresAdmin() throws SQLException {
        return DriverManager.getConnection(PG_BASE, "postgres", "");
    }

    /** Runs the Flyway scripts at {@code locations}, keeping Flyway's history in {@code historyTable}. */
    public ScratchDatabase migrate(String historyTable, String... locations) {
        Flyway.configure()
                .dataSource(url, user, "")
                .locations(locations)
                .table(historyTable)
                .load()
                .migrate();
        return this;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The PostgreSQL schema; null for H2. */
    public String schema() {
        return schema;
    }

    public boolean isPostgres() {
        return schema != null;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /** Plain SQL outside any data source under test. */
    public int sql(String statement) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String query) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (schema != null) {
            try (Connection c = postgresAdmin();
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        } else {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
