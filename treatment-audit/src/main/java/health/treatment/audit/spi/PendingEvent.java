package health.treatment.audit.spi;

import health.treatment.audit.AuditEvent;

/**
 * An appended, not yet sealed event.
 *
 * @param outboxId store-assigned insertion key (increasing; used only to order the sealer)
 * @param event    the event, or null when the stored row is not a valid event (a field the event constructor rejects:
 *                 only direct tampering gets there). The sealer seals a tamper finding in its place; the row's
 *                 content is never copied.
 */
public record PendingEvent(long outboxId, AuditEvent event) {

    /** A pending row that does not form a valid event. */
    public static PendingEvent invalid(long outboxId) {
        return new PendingEvent(outboxId, null);
    }

    /** False for a row that is not a valid event. */
    public boolean valid() {
        return event != null;
    }
}
