package health.treatment.store.testing;

import health.treatment.audit.AuditTrail;
import health.treatment.store.TreatmentStore;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
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
    String name = "store_" + UUID.randomUUID().toString().replace("-", "");
    return new StoreDatabase("jdbc:h2:mem:" + name
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000",
        "sa", null);
  }

  /** Fails (never skips) when PostgreSQL is not reachable. */
  public static StoreDatabase postgres() {
    String schema = "store_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
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
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public int sql(String statement) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      return s.executeUpdate(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every value of every column of the store's and the trail's tables, as text (bytes as ISO-8859-1). */
  public String dumpAllTables() {
    StringBuilder out = new StringBuilder();
    for (String table : new String[] {"patient", "treatment_record", "idempotency_key", "audit_event", "audit_outbox",
        "audit_checkpoint", "audit_chain_state", "rate_limit_bucket"}) {
      try (Connection c = connect(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          for (int i = 1; i <= n; i++) {
            int type = r.getMetaData().getColumnType(i);
            boolean binary = type == java.sql.Types.BINARY || type == java.sql.Types.VARBINARY
                || type == java.sql.Types.LONGVARBINARY || type == java.sql.Types.BLOB;
            byte[] bytes = binary ? r.getBytes(i) : null;
            String text = binary ? (bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
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
      try (Connection c = connect(); Statement s = c.createStatement()) {
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
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

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
