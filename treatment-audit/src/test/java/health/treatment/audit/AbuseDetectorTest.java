package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.audit.testing.CaptureAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AbuseDetectorTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static AuditEvent attempt(String client, String ip, Outcome outcome) {
        return AuditEvent.builder()
                .time(Instant.EPOCH)
                .clientId(client)
                .sourceIp(ip)
                .action("treatment.create")
                .outcome(outcome)
                .httpStatus(403)
                .nodeId("n1")
                .build();
    }

    @Test
    void crossingTheThresholdRaisesOneAlertAndOneWarnPerWindow() {
        ManualClock clock = new ManualClock();
        AbuseDetector d = new AbuseDetector(new AbuseThresholds(3, Duration.ofMinutes(1), 1000), clock);
        CaptureAppender.clear();
        List<Optional<SecurityAlert>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clock.now = clock.now.plusSeconds(1);
            results.add(d.observe(attempt("DX1", null, Outcome.FORBIDDEN)));
        }
        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(results.get(3)).hasValueSatisfying(a -> {
            assertThat(a.scope()).isEqualTo("client");
            assertThat(a.key()).isEqualTo("DX1");
            assertThat(a.rejections()).isEqualTo(4);
        });
        assertThat(CaptureAppender.lines())
                .filteredOn(l -> l.contains("security alert"))
                .hasSize(1);
        // After a full window of silence the next crossing alerts again.
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        for (int i = 0; i < 4; i++) {
            clock.now = clock.now.plusSeconds(1);
            results.add(d.observe(attempt("DX1", null, Outcome.FORBIDDEN)));
        }
        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(2);
    }

    @Test
    void rejectionsSpreadOverMoreThanTheWindowDoNotAlert() {
        ManualClock clock = new ManualClock();
        AbuseDetector d = new AbuseDetector(new AbuseThresholds(3, Duration.ofMinutes(1), 1000), clock);
        for (int i = 0; i < 20; i++) {
            clock.now = clock.now.plusSeconds(30);
            assertThat(d.observe(attempt("DX1", "10.0.0.1", Outcome.UNAUTHENTICATED)))
                    .isEmpty();
        }
    }

    @Test
    void sourceIpIsTrackedAcrossClientsAndSuccessesAreIgnored() {
        ManualClock clock = new ManualClock();
        AbuseDetector d = new AbuseDetector(new AbuseThresholds(2, Duration.ofMinutes(1), 1000), clock);
        assertThat(d.observe(attempt("A", "10.9.9.9", Outcome.SUCCESS))).isEmpty();
        assertThat(d.observe(attempt("A", "10.9.9.9", Outcome.SERVER_ERROR))).isEmpty();
        assertThat(d.observe(attempt(null, "10.9.9.9", Outcome.UNAUTHENTICATED)))
                .isEmpty();
        assertThat(d.observe(attempt("B", "10.9.9.9", Outcome.RATE_LIMITED))).isEmpty();
        assertThat(d.observe(attempt("C", "10.9.9.9", Outcome.CLIENT_ERROR)))
                .hasValueSatisfying(a -> assertThat(a.scope()).isEqualTo("source_ip"));
    }

    @Test
    void trackedKeysStayBounded() {
        ManualClock clock = new ManualClock();
        AbuseDetector d = new AbuseDetector(new AbuseThresholds(1, Duration.ofMinutes(1), 16), clock);
        for (int i = 0; i < 1000; i++) {
            d.observe(attempt(null, "10.0." + (i / 250) + "." + (i % 250), Outcome.UNAUTHENTICATED));
        }
        // The first address was evicted, so it starts counting from zero again.
        assertThat(d.observe(attempt(null, "10.0.0.0", Outcome.UNAUTHENTICATED)))
                .isEmpty();
    }
}
