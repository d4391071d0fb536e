package health.treatment.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Outcome of verifying a stored chain ({@link AuditTrail#verify(Optional)}) or an export ({@link AuditVerifier}).
 *
 * <p>Reason codes ({@code firstBadSequence} is where the check failed):
 * <ul>
 *   <li>{@code ok}: intact.</li>
 *   <li>{@code hash_mismatch}: the stored hash of that event is not the one recomputed from its fields and its
 *       predecessor (edited, inserted or reordered event).</li>
 *   <li>{@code sequence_gap}: that sequence is missing (deleted event, or a later one moved up).</li>
 *   <li>{@code invalid_event}: that event's fields no longer pass the event rules (edited into something invalid).</li>
 *   <li>{@code checkpoint_mismatch}: a validly signed checkpoint at that sequence names another head hash than the
 *       recomputed chain (events edited and every later hash recomputed).</li>
 *   <li>{@code checkpoint_signature_invalid}: the checkpoint at that sequence is not signed by a trusted key (unknown
 *       key id, or a signature that does not verify: forged or altered checkpoint).</li>
 *   <li>{@code checkpoint_outside_key_validity}: signed by a trusted key, but its time lies outside the period that
 *       key was endorsed for (a retired key used after its retirement, or before it was introduced).</li>
 *   <li>{@code checkpoint_out_of_order}: a checkpoint below the sequences already checked (export line order).</li>
 *   <li>{@code truncated}: events from that sequence on are missing although a signed checkpoint (or the stored chain
 *       head) vouches for them.</li>
 *   <li>{@code malformed_export}: the export is not in the documented format (sequence 0 when no sequence applies).
 *       </li>
 *   <li>{@code trusted_checkpoint_invalid}: the checkpoint the auditor supplied is not signed by a trusted key (or
 *       its time is outside that key's period); its sequence is reported.</li>
 *   <li>{@code trusted_checkpoint_mismatch}: the chain has the trusted checkpoint's sequence, but with another head
 *       hash: the history up to it was rewritten.</li>
 *   <li>{@code trusted_checkpoint_missing}: the chain (or the export) does not reach the trusted checkpoint's
 *       sequence: truncated and the remains made consistent, or an export that does not cover it.</li>
 *   <li>{@code trusted_checkpoint_purged}: the trusted checkpoint lies below the retained anchor (retention deleted
 *       it), so it can no longer be compared; never reported as intact. Use a checkpoint taken after the purge.</li>
 *   <li>{@code tamper_finding}: the chain recomputes, but holds a recorded tamper finding at that sequence (an event
 *       {@code audit.tamper_detected}, e.g. reason {@code invalid_outbox_row}: a pending row that was not a valid
 *       event was sealed as a finding). Reported only when nothing else failed: a finding stays in the chain until
 *       retention removes it and must not hide later tampering.</li>
 *   <li>{@code unsigned_tail_stale}: stored-chain verification only; an event older than
 *       {@link AuditConfig#staleAfter()} is still not covered by a signed checkpoint (sealed after the last one, or
 *       still pending). {@code firstBadSequence} is the first unsigned sequence. Reported only when nothing else
 *       failed.</li>
 * </ul>
 *
 * @param intact                  true when no check failed
 * @param eventsChecked           events whose hash was recomputed
 * @param firstBadSequence        where a check failed (absent when intact)
 * @param reasonCode              one of the codes above
 * @param lastSequence            last sequence seen (the anchor's when there were no events)
 * @param checkpointsVerified     checkpoints whose signature and head hash were checked
 * @param lastSignedSequence      highest sequence covered by a verified checkpoint; events after it are protected by
 *                                the chain only (an attacker with write access could rewrite them consistently)
 * @param lastSignedTime          time of the verified checkpoint at {@code lastSignedSequence} (empty when none)
 * @param oldestUnsignedEventTime oldest event time among the events no verified checkpoint covers (for the stored
 *                                chain including events still pending sealing); empty when every event is signed.
 *                                When a check failed, as far as verification got.
 */
public record VerificationResult(boolean intact, long eventsChecked, OptionalLong firstBadSequence, String reasonCode,
                                 long lastSequence, int checkpointsVerified, long lastSignedSequence,
                                 Optional<Instant> lastSignedTime, Optional<Instant> oldestUnsignedEventTime) {

    public VerificationResult {
        Objects.requireNonNull(firstBadSequence, "firstBadSequence");
        if (intact == firstBadSequence.isPresent()) {
            throw new AuditException("verification result: firstBadSequence must be present exactly when broken");
        }
        if (reasonCode == null || !reasonCode.matches("[a-z_]{1,40}")) {
            throw new AuditException("verification result: bad reason code");
        }
        Objects.requireNonNull(lastSignedTime, "lastSignedTime");
        Objects.requireNonNull(oldestUnsignedEventTime, "oldestUnsignedEventTime");
    }

    /** The form before freshness was reported (times unknown). */
    public VerificationResult(boolean intact, long eventsChecked, OptionalLong firstBadSequence, String reasonCode,
                              long lastSequence, int checkpointsVerified, long lastSignedSequence) {
        this(intact, eventsChecked, firstBadSequence, reasonCode, lastSequence, checkpointsVerified,
                lastSignedSequence, Optional.empty(), Optional.empty());
    }

    /** The four-component form from the original contract (counters unknown). */
    public VerificationResult(boolean intact, long eventsChecked, OptionalLong firstBadSequence, String reasonCode) {
        this(intact, eventsChecked, firstBadSequence, reasonCode, 0, 0, 0);
    }

    /** One human-readable line, as printed by the CLI. */
    public String summary() {
        if (intact) {
            return "INTACT: " + eventsChecked + " events, last sequence " + lastSequence + ", " + checkpointsVerified
                    + " checkpoints verified" + (lastSignedSequence < lastSequence
                    ? " (events after sequence " + lastSignedSequence + " not yet covered by a checkpoint)" : "");
        }
        return "BROKEN at sequence " + firstBadSequence.getAsLong() + ": " + reasonCode;
    }
}
