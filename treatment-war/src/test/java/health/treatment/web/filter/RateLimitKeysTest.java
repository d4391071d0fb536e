package health.treatment.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bucket keys stay short whatever subject a token carries (the shared table's id is VARCHAR(300)). */
class RateLimitKeysTest {

    @Test
    void anOrdinarySubjectIsItsOwnKey() {
        assertThat(RateLimits.client("DX2020")).isEqualTo("DX2020");
        assertThat(RateLimits.client("dr-1@hospital.example")).isEqualTo("dr-1@hospital.example");
    }

    @Test
    void aLongOrOddSubjectBecomesAStableHashThatFitsTheTable() {
        String longSubject = "D".repeat(5000);
        String key = RateLimits.client(longSubject);
        assertThat(key).startsWith("sha256:").hasSizeLessThan(300 - "items:".length());
        assertThat(RateLimits.client(longSubject)).isEqualTo(key);
        assertThat(RateLimits.client("D".repeat(4999))).isNotEqualTo(key);
        assertThat(RateLimits.client("DX2020\r\nforged")).startsWith("sha256:").doesNotContain("\n");
    }

    @Test
    void theKeyOfAnAuditClientIdIsThatIdSoRequestsAndRejectionsShareABucket() {
        String audited = RateLimits.client("D".repeat(5000));
        assertThat(RateLimits.client(audited)).isEqualTo(audited);
    }
}
