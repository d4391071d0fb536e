package health.treatment.audit;

import java.time.Duration;
import java.time.Instant;

/**
 * Raised once per window when a client id or a source IP crosses the rejection threshold. Metadata only.
 *
 * @param scope      {@code client} or {@code source_ip}
 * @param key        the client id or IP address
 * @param rejections rejected attempts counted in the window
 * @param window     window length
 * @param time       when the threshold was crossed
 */
public record SecurityAlert(String scope, String key, int rejections, Duration window, Instant time) {}
