package health.treatment.web.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RejectionAggregatorTest {

    static RejectionAggregator aggregator(int perSource, int perWindow) {
        RejectionAggregator a = new RejectionAggregator();
        a.perSource = perSource;
        a.perWindow = perWindow;
        a.windowSeconds = 60;
        return a;
    }

    static RejectionAggregator.Rejection from(String ip) {
        return new RejectionAggregator.Rejection(ip, "treatment.create", "Treatment", 401, "unauthenticated");
    }

    @Test
    void theFirstRejectionsOfASourceAreAuditedOneByOneAndTheRestAreCounted() {
        RejectionAggregator a = aggregator(3, 1000);
        assertThat(a.admit(from("10.0.0.1"))).isTrue();
        assertThat(a.admit(from("10.0.0.1"))).isTrue();
        assertThat(a.admit(from("10.0.0.1"))).isTrue();
        assertThat(a.admit(from("10.0.0.1"))).isFalse();
        assertThat(a.admit(from("10.0.0.2"))).isTrue(); // another source has its own threshold
    }

    @Test
    void aSprayOfNewSourcesIsBoundedByTheNodeWideBudget() {
        RejectionAggregator a = aggregator(20, 5);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (a.admit(from("10.0." + (i / 250) + "." + (i % 250)))) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(5);
    }
}
