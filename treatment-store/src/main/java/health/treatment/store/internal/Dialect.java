package health.treatment.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The few statements where PostgreSQL and the embedded H2 (PostgreSQL mode) need different SQL. */
public enum Dialect {
  /**
   * PostgreSQL: patient rows are read {@code FOR SHARE}, so concurrent writers for one patient do not wait for each
   * other, while an erasure (an UPDATE of the row) waits until the records written under the key have committed.
   */
  POSTGRESQL(" FOR SHARE"),
  /** H2 has no shared row locks: {@code FOR UPDATE} (one node only, so the cost is contention inside this node). */
  H2(" FOR UPDATE");

  private final String lockPatientRows;

  Dialect(String lockPatientRows) {
    this.lockPatientRows = lockPatientRows;
  }

  /** Suffix of the SELECT that reads the patient rows a write group uses. */
  String lockPatientRows() {
    return lockPatientRows;
  }

  /** The dialect of the database behind {@code connection}. */
  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    if (product.contains("h2")) {
      return H2;
    }
    throw new SQLException("unsupported database for the treatment store (PostgreSQL or H2 only)");
  }
}
