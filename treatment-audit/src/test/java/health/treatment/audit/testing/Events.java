package health.treatment.audit.testing;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import java.time.Instant;
import java.util.List;

/** Test events. */
public final class Events {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Events() {}

    public static AuditEvent create(int i) {
        return at(T0.plusSeconds(i), i);
    }

    public static AuditEvent at(Instant time, int i) {
        return AuditEvent.builder()
                .time(time)
                .clientId("DX" + (2000 + i % 7))
                .roles(List.of("device"))
                .tokenId("jti-" + i)
                .action("treatment.create")
                .resourceType("Treatment")
                .recordId("rec-" + i)
                .outcome(Outcome.SUCCESS)
                .httpStatus(201)
                .sourceIp("10.0.0." + (i % 250))
                .nodeId("node-a")
                .requestId("req-" + i)
                .build();
    }
}
