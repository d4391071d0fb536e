package health.treatment.audit.spi;

import health.treatment.audit.AuditEvent;

/**
 * The chain position assigned to one pending event by the sealer.
 *
 * @param outboxId the pending row
 * @param sequence gap-free sequence number
 * @param hash     hex chain hash
 * @param event    the event exactly as read and hashed (the store writes this into the chain, not a re-read)
 */
public record SealedPosition(long outboxId, long sequence, String hash, AuditEvent event) {}
