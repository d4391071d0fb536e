package health.treatment.audit.spi;

import health.treatment.audit.AuditEvent;

/**
 * An appended, not yet sealed event.
 *
 * @param outboxId store-assigned insertion key (increasing; used only to order the sealer)
 * @param event    the event
 */
public record PendingEvent(long outboxId, AuditEvent event) {
}
