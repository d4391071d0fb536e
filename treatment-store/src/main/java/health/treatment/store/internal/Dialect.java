package health.treatment.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The few statements where PostgreSQL and the embedded H2 (PostgreSQL mode) need different SQL. */
public enum Dialect {
    /**
     * PostgreSQL: patient rows are read {@code FOR SHARE}, so concurrent writers for one patient do not wait for each
     * other, while an erasure (an UPDATE of the row) waits until the records written under the key have committed.
     */
    POSTGRESQL(" FOR SHARE", "SET LOCAL plan_cache_mode = force_custom_plan"),
    /** H2 has no shared row locks: {@code FOR UPDATE} (one node only, so the cost is contention inside this node). */
    H2(" FOR UPDATE", null);

    private final String lockPatientRows;
    private final String beginGroup;

    Dialect(String lockPatientRows, String beginGroup) {
        this.lockPatientRows = lockPatientRows;
        this.beginGroup = beginGroup;
    }

    /**
     * Runs first in every write group's transaction. PostgreSQL: plan every statement for its actual parameters. The
     * group's statements carry up to 256 parameters ({@code IN} lists); once the JDBC driver prepares them on the
     * server, PostgreSQL may cache a generic plan, and one chosen while the tables were still empty is a sequential
     * scan, kept while the tables grow: the PostgreSQL fleet benchmark read the whole patient table 8,075 times
     * (386 million rows) and held at 330 requests/s. {@code SET LOCAL} ends with the transaction, so pooled
     * connections lent to others are unaffected.
     */
    void beginGroup(Connection connection) throws SQLException {
        if (beginGroup != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(beginGroup);
            }
        }
    }

    /** Suffix of the SELECT that reads the patient rows a write group uses (and the wrapping-epoch floor). */
    String lockPatientRows() {
        return lockPatientRows;
    }

    /** Whether {@link #lockPatientRows()} is a shared lock (two groups may hold it on one row at once). */
    boolean sharesPatientLocks() {
        return this == POSTGRESQL;
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
