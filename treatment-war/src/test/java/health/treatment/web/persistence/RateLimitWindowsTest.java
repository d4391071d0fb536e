package health.treatment.web.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared-database rate-limit windows, on the embedded database migrated exactly as on server start. */
class RateLimitWindowsTest {

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T10:00:10Z").toEpochMilli());
    private RateLimitWindows windows;

    @BeforeEach
    void createSchema() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:rl" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        // The same migrations, through the same resource provider, as a server start.
        Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .resourceProvider(new MigrationScripts(getClass().getClassLoader()))
                .table("schema_history")
                .load()
                .migrate();
        windows = new RateLimitWindows(new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        });
        windows.dataSource = dataSource;
    }

    @Test
    void countsEveryRequestOfABucketWithinTheMinute() throws SQLException {
        for (int i = 1; i <= 5; i++) {
            assertThat(windows.increment("client:a").requests()).isEqualTo(i);
        }
        assertThat(windows.increment("client:b").requests()).isEqualTo(1);
    }

    @Test
    void retryAfterPointsAtTheEndOfTheCurrentWindow() throws SQLException {
        assertThat(windows.increment("client:a").secondsUntilReset()).isEqualTo(50);
    }

    @Test
    void thePreviousMinuteStillCountsByHowMuchItOverlapsTheLastSixtySeconds() throws SQLException {
        for (int i = 0; i < 60; i++) {
            windows.increment("client:a");
        }
        now.set(Instant.parse("2026-01-01T10:01:15Z").toEpochMilli()); // 15 s into the next window: 75 % overlap
        assertThat(windows.increment("client:a").requests()).isEqualTo(1 + 45);
        now.set(Instant.parse("2026-01-01T10:02:30Z").toEpochMilli()); // two windows later: nothing overlaps
        assertThat(windows.increment("client:a").requests()).isEqualTo(1);
    }
}
