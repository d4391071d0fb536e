package health.treatment.store.testing;

import health.treatment.audit.AuditTrail;
import health.treatment.store.TreatmentStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A migrated database for one test: an in-memory H2 (PostgreSQL mode, as the embedded default) or a fresh schema in
 * the shared PostgreSQL (dropped by {@link #close()}). Migrated with exactly the scripts the jars publish.
 */
public final class StoreDatabase implements AutoCloseable {
    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String H2_OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";

    private final String url;
    private final String user;
    private final String schema; // null for H2
    private final DataSource dataSource;
    private volatile boolean down;

    private StoreDatabase(String url, String user, String schema) {
        this.url = url;
        this.user = user;
        this.schema = schema;
        this.dataSource = new Source();
        Flyway.configure()
                .dataSource(url, user, "")
                .locations("classpath:db/migration/treatment", "classpath:db/migration/audit")
                .table("schema_history")
                .load()
                .migrate();
    }

    public static StoreDatabase h2() {
        return new StoreDatabase(h2Url(), "sa", null);
    }

    private static String h2Url() {
        return "jdbc:h2:mem:store_" + UUID.randomUUID().toString().replace("-", "") + H2_OPTIONS;
    }

    /**
     * A copy of this database as restoring a backup taken now would give: a new database with the same rows. H2:
     * {@code SCRIPT TO} a file in {@code scratch}, {@code RUNSCRIPT} into a new in-memory database. PostgreSQL: a new
     * schema, migrated, filled with {@code INSERT ... SELECT} from this one, sequences carried over. Close it like any
     * other.
     */
    public StoreDatabase copy(Path scratch) {
        try {
            if (schema == null) {
                Path script = scratch.resolve("backup-" + UUID.randomUUID() + ".sql");
                try (Connection c = connect();
                        Statement s = c.createStatement()) {
                    s.execute("SCRIPT TO '" + script.toAbsolutePath() + "'");
                }
                String url = h2Url();
                try (Connection c = DriverManager.getConnection(url, "sa", "");
                        Statement s = c.createStatement()) {
                    s.execute("RUNSCRIPT FROM '" + script.toAbsolutePath() + "'");
                }
                return new StoreDatabase(url, "sa", null);
            }
            StoreDatabase copy = postgres();
            try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("SET session_replication_role = replica"); // no foreign-key checks while tables fill in any
                // order
                List<String> tables = new ArrayList<>();
                try (ResultSet r =
                        s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                                + schema + "' AND table_type = 'BASE TABLE' AND table_name <> 'schema_history'")) {
                    while (r.next()) {
                        tables.add(r.getString(1));
                    }
                }
                for (String table : tables) {
                    s.execute("DELETE FROM " + copy.schema + "." + table);
                    s.execute("INSERT INTO " + copy.schema + "." + table + " SELECT * FROM " + schema + "." + table);
                }
                List<String> sequences = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT sequence_name FROM information_schema.sequences "
                        + "WHERE sequence_schema = '" + schema + "'")) {
                    while (r.next()) {
                        sequences.add(r.getString(1));
                    }
                }
                for (String sequence : sequences) {
                    s.execute("SELECT setval('" + copy.schema + "." + sequence + "', last_value, is_called) FROM "
                            + schema + "." + sequence);
                }
            }
            return copy;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails (never skips) when PostgreSQL is not reachable. */
    public static StoreDatabase postgres() {
        String schema =
                "store_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is required for this test", e);
        }
        return new StoreDatabase(PG_BASE + "?currentSchema=" + schema, "postgres", schema);
    }

    /** Both published migration lists are what the test migrated with. */
    public static java.util.List<String> publishedMigrations() {
        return java.util.stream.Stream.concat(TreatmentStore.MIGRATIONS.stream(), AuditTrail.MIGRATIONS.stream())
                .toList();
    }

    public boolean isPostgres() {
        return schema != null;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Simulates an unreachable database: every new connection fails until {@link #up()}. */
    public void down() {
        down = true;
    }

    public void up() {
        down = false;
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

    public int sql(String statement) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every value of every column of the store's and the trail's tables, as text (bytes as ISO-8859-1). */
    public String dumpAllTables() {
        StringBuilder out = new StringBuilder();
        for (String table : new String[] {
            "patient",
            "treatment_record",
            "idempotency_key",
            "audit_event",
            "audit_outbox",
            "audit_checkpoint",
            "audit_chain_state",
            "rate_limit_bucket"
        }) {
            try (Connection c = connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                int n = r.getMetaData().getColumnCount();
                while (r.next()) {
                    for (int i = 1; i <= n; i++) {
                        int type = r.getMetaData().getColumnType(i);
                        boolean binary = type == java.sql.Types.BINARY
                                || type == java.sql.Types.VARBINARY
                                || type == java.sql.Types.LONGVARBINARY
                                || type == java.sql.Types.BLOB;
                        byte[] bytes = binary ? r.getBytes(i) : null;
                        String text = binary
                                ? (bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                                : r.getString(i);
                        out.append(text == null ? "" : text).append('|');
                    }
                    out.append('\n');
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    @Override
    public void close() {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
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

    /** A plain (unpooled) data source that can be switched off. */
    private final class Source implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLException("database down (test)", "08001");
            }
            return connect();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
