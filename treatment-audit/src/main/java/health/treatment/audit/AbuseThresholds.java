package health.treatment.audit;

import java.time.Duration;

/**
 * @param maxRejections alert when more than this many rejected attempts fall within {@code window} for one key
 * @param window        sliding window length
 * @param maxTrackedKeys bound on tracked clients + IPs (oldest-idle keys are dropped beyond it; memory stays bounded
 *                       under a spray of source addresses)
 */
public record AbuseThresholds(int maxRejections, Duration window, int maxTrackedKeys) {
    public AbuseThresholds {
        if (maxRejections < 1) {
            throw new AuditException("abuse thresholds: maxRejections must be >= 1");
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new AuditException("abuse thresholds: window must be positive");
        }
        if (maxTrackedKeys < 16) {
            throw new AuditException("abuse thresholds: maxTrackedKeys must be >= 16");
        }
    }

    /** 20 rejections per minute, 100 000 tracked keys. */
    public static AbuseThresholds defaults() {
        return new AbuseThresholds(20, Duration.ofMinutes(1), 100_000);
    }
}
