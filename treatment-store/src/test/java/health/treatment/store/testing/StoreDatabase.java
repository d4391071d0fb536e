package health.treatment.store.testing;

import health.treatment.audit.AuditTrail;
import health.treatment.audit.testing.ScratchDatabase;
import health.treatment.store.TreatmentStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A migrated database for one test ({@link ScratchDatabase}: an in-memory H2 in PostgreSQL mode, as the embedded
 * default, or a fresh schema in the shared PostgreSQL, dropped by {@link #close()}), migrated with exactly the scripts
 * the jars publish, and the data sources the store under test gets.
 */
public final class StoreDatabase implements AutoCloseable {

    private final ScratchDatabase db;
    private final GatedDataSource dataSource;

    private StoreDatabase(ScratchDatabase db) {
        this.db = db.migrate("schema_history", "classpath:db/migration/treatment", "classpath:db/migration/audit");
        this.dataSource = new GatedDataSource();
    }

    public static StoreDatabase h2() {
        return new StoreDatabase(ScratchDatabase.h2("store_"));
    }

    /**
     * A copy of this database as restoring a backup taken now would give: a new database with the same rows. H2:
     * {@code SCRIPT TO} a file in {@code scratch}, {@code RUNSCRIPT} into a new in-memory database. PostgreSQL: a new
     * schema, migrated, filled with {@code INSERT ... SELECT} from this one, sequences carried over. Close it like any
     * other.
     */
    public StoreDatabase copy(Path scratch) {
        try {
            if (!isPostgres()) {
                Path script = scratch.resolve("backup-" + UUID.randomUUID() + ".sql");
                try (Connection c = connect();
                        Statement s = c.createStatement()) {
                    s.execute("SCRIPT TO '" + script.toAbsolutePath() + "'");
                }
                ScratchDatabase restored = ScratchDatabase.h2("store_");
                try (Connection c = restored.connect();
                        Statement s = c.createStatement()) {
                    s.execute("RUNSCRIPT FROM '" + script.toAbsolutePath() + "'");
                }
                return new StoreDatabase(restored);
            }
            String schema = db.schema();
            StoreDatabase copy = postgres();
            String copySchema = copy.db.schema();
            try (Connection c = ScratchDatabase.postgresAdmin();
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
                    s.execute("DELETE FROM " + copySchema + "." + table);
                    s.execute("INSERT INTO " + copySchema + "." + table + " SELECT * FROM " + schema + "." + table);
                }
                List<String> sequences = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT sequence_name FROM information_schema.sequences "
                        + "WHERE sequence_schema = '" + schema + "'")) {
                    while (r.next()) {
                        sequences.add(r.getString(1));
                    }
                }
                for (String sequence : sequences) {
                    s.execute("SELECT setval('" + copySchema + "." + sequence + "', last_value, is_called) FROM "
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
        return new StoreDatabase(ScratchDatabase.postgres("store_t_"));
    }

    /** Both published migration lists are what the test migrated with. */
    public static java.util.List<String> publishedMigrations() {
        return java.util.stream.Stream.concat(TreatmentStore.MIGRATIONS.stream(), AuditTrail.MIGRATIONS.stream())
                .toList();
    }

    public boolean isPostgres() {
        return db.isPostgres();
    }

    /** The data source of the store a test opens; {@link #down()} and {@link #up()} switch it. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A data source of its own on this database, for a store that a test makes fail while the fixture's store works
     * on: switched by its own {@link GatedDataSource#refuse}, {@link GatedDataSource#hold} and
     * {@link GatedDataSource#delayCommits}, not by {@link #down()}.
     */
    public GatedDataSource gatedDataSource() {
        return new GatedDataSource();
    }

    /** Simulates an unreachable database: every new connection from {@link #dataSource()} fails until {@link #up()}. */
    public void down() {
        dataSource.refuse();
    }

    public void up() {
        dataSource.open();
    }

    public long count(String query) {
        return db.count(query);
    }

    public int sql(String statement) {
        return db.sql(statement);
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
        return db.connect();
    }

    @Override
    public void close() {
        db.close();
    }

    /**
     * A plain (unpooled) data source on this database that a test can make refuse connections (the database is down)
     * or hold them back (the database hangs), or whose commits it can slow down, to drive the store's failure paths
     * without stopping a database.
     */
    public final class GatedDataSource implements DataSource {
        private volatile boolean refusing;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final AtomicInteger held = new AtomicInteger();
        private volatile int commitDelayMillis;

        private GatedDataSource() {}

        /** From now on every {@code getConnection} fails as if the database were unreachable. */
        public void refuse() {
            refusing = true;
        }

        /** From now on every {@code getConnection} waits (up to a minute) until {@link #open} is called. */
        public void hold() {
            gate = new CountDownLatch(1);
        }

        /** Connections are handed out again, and callers held by {@link #hold} go on. */
        public void open() {
            refusing = false;
            gate.countDown();
        }

        /**
         * From now on every commit of a connection from here first waits a random 0 to {@code maxMillis} ms, so
         * concurrent transactions commit in an order unrelated to the order they did their work in.
         */
        public void delayCommits(int maxMillis) {
            commitDelayMillis = maxMillis;
        }

        /** How many callers {@link #hold} is holding back right now. */
        public int held() {
            return held.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            pass();
            return commitDelayMillis == 0 ? connect() : slowCommits(connect());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        private void pass() throws SQLException {
            held.incrementAndGet();
            try {
                if (!gate.await(1, TimeUnit.MINUTES)) {
                    throw new SQLTransientConnectionException("held too long", "08001");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("interrupted", "08001");
            } finally {
                held.decrementAndGet();
            }
            if (refusing) {
                throw new SQLTransientConnectionException("database down (test)", "08001");
            }
        }

        private Connection slowCommits(Connection connection) {
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            Thread.sleep(ThreadLocalRandom.current().nextInt(commitDelayMillis + 1));
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
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
