package health.treatment.web.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Counts requests per bucket in one-minute windows held in the shared database, so a limit holds across all nodes
 * behind the load balancer. The rate is a sliding-window estimate: this window's count plus the previous window's,
 * weighted by how much of it still overlaps the last sixty seconds, so a client cannot send twice the limit around a
 * window boundary. Each count is its own short local transaction, independent of any request transaction: a
 * rejected or rolled-back request still counts.
 */
@ApplicationScoped
public class RateLimitWindows {

    private static final String INCREMENT =
            "UPDATE rate_limit_window SET request_count = request_count + 1 WHERE bucket_key = ? AND window_start = ?";
    private static final String INSERT =
            "INSERT INTO rate_limit_window (bucket_key, window_start, request_count) VALUES (?, ?, 1)";
    /** This window and the previous one, in one round trip. */
    private static final String READ_BOTH =
            "SELECT window_start, request_count FROM rate_limit_window WHERE bucket_key = ? AND window_start IN (?, ?)";
    private static final String PURGE = "DELETE FROM rate_limit_window WHERE window_start < ?";

    @Resource(lookup = "jdbc/treatment")
    DataSource dataSource;

    private final Clock clock;

    public RateLimitWindows() {
        this(Clock.systemUTC());
    }

    RateLimitWindows(Clock clock) {
        this.clock = clock;
    }

    /** Result of counting one request: the estimated requests in the last minute and the seconds until it ends. */
    public record Count(int requests, long secondsUntilReset) {
    }

    /** Counts one request against {@code bucketKey} and returns the count including it. */
    public Count increment(String bucketKey) throws SQLException {
        long nowMillis = clock.millis();
        long window = nowMillis / 60_000L;
        long secondsUntilReset = Math.max(1, ((window + 1) * 60_000L - nowMillis + 999) / 1000);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                incrementOrInsert(connection, bucketKey, window);
                int[] counts = readCurrentAndPrevious(connection, bucketKey, window);
                int current = counts[0];
                int previous = counts[1];
                double overlap = 1.0 - (nowMillis - window * 60_000L) / 60_000.0;
                int count = current + (int) Math.floor(previous * overlap);
                if (ThreadLocalRandom.current().nextInt(1000) == 0) {
                    purgeBefore(connection, window - 1);
                }
                connection.commit();
                return new Count(count, secondsUntilReset);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static void incrementOrInsert(Connection connection, String bucketKey, long window) throws SQLException {
        if (update(connection, bucketKey, window) > 0) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, bucketKey);
            insert.setLong(2, window);
            insert.executeUpdate();
        } catch (SQLException duplicate) {
            // Another node inserted the window first; PostgreSQL needs a fresh transaction after an error.
            connection.rollback();
            if (update(connection, bucketKey, window) == 0) {
                throw duplicate;
            }
        }
    }

    /** {count in this window, count in the previous window}; 0 where a window has no row. */
    private static int[] readCurrentAndPrevious(Connection connection, String bucketKey, long window)
            throws SQLException {
        int[] counts = new int[2];
        try (PreparedStatement read = connection.prepareStatement(READ_BOTH)) {
            read.setString(1, bucketKey);
            read.setLong(2, window);
            read.setLong(3, window - 1);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    counts[rows.getLong(1) == window ? 0 : 1] = rows.getInt(2);
                }
            }
        }
        return counts;
    }

    private static int update(Connection connection, String bucketKey, long window) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(INCREMENT)) {
            update.setString(1, bucketKey);
            update.setLong(2, window);
            return update.executeUpdate();
        }
    }

    private static void purgeBefore(Connection connection, long window) throws SQLException {
        try (PreparedStatement purge = connection.prepareStatement(PURGE)) {
            purge.setLong(1, window);
            purge.executeUpdate();
        }
    }
}
