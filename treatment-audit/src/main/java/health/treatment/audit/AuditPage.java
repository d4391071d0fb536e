package health.treatment.audit;

import java.util.List;
import java.util.Optional;

/**
 * One page of sealed events in sequence order.
 *
 * @param events     the events (at most the requested limit)
 * @param nextCursor opaque cursor for the next page; empty on the last page
 */
public record AuditPage(List<SealedEvent> events, Optional<String> nextCursor) {
    public AuditPage {
        events = List.copyOf(events);
    }
}
