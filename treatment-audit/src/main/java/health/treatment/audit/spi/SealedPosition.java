package health.treatment.audit.spi;

/**
 * The chain position assigned to one pending event by the sealer.
 *
 * @param outboxId the pending row
 * @param sequence gap-free sequence number
 * @param hash     hex chain hash
 */
public record SealedPosition(long outboxId, long sequence, String hash) {
}
