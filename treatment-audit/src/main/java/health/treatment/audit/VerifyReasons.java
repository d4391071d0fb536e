package health.treatment.audit;

/**
 * Every {@link VerificationResult#reasonCode()}: what a verification of the stored chain
 * ({@link AuditTrail#verify(java.util.Optional)}) or of an export ({@link AuditVerifier}, the offline CLI) can answer.
 * Auditors' tooling may rely on these strings; new codes may be added, existing ones never change meaning. The
 * sequence named with a failure is {@link VerificationResult#firstBadSequence()}.
 */
public final class VerifyReasons {

    /** Intact. */
    public static final String OK = "ok";
    /**
     * The stored hash of that event is not the one recomputed from its fields and its predecessor (edited, inserted
     * or reordered event).
     */
    public static final String HASH_MISMATCH = "hash_mismatch";
    /** That sequence is missing (deleted event, or a later one moved up). */
    public static final String SEQUENCE_GAP = "sequence_gap";
    /** That event's fields no longer pass the event rules (edited into something invalid). */
    public static final String INVALID_EVENT = "invalid_event";
    /**
     * A validly signed checkpoint at that sequence names another head hash than the recomputed chain (events edited
     * and every later hash recomputed).
     */
    public static final String CHECKPOINT_MISMATCH = "checkpoint_mismatch";
    /**
     * The checkpoint at that sequence is not signed by a trusted key (unknown key id, or a signature that does not
     * verify: forged or altered checkpoint).
     */
    public static final String CHECKPOINT_SIGNATURE_INVALID = "checkpoint_signature_invalid";
    /**
     * Signed by a trusted key, but its time lies outside the period that key was endorsed for (a retired key used
     * after its retirement, or before it was introduced).
     */
    public static final String CHECKPOINT_OUTSIDE_KEY_VALIDITY = "checkpoint_outside_key_validity";
    /** A checkpoint below the sequences already checked (export line order). */
    public static final String CHECKPOINT_OUT_OF_ORDER = "checkpoint_out_of_order";
    /**
     * Events from that sequence on are missing although a signed checkpoint (or the stored chain head) vouches for
     * them.
     */
    public static final String TRUNCATED = "truncated";
    /** The export is not in the documented format (sequence 0 when no sequence applies). */
    public static final String MALFORMED_EXPORT = "malformed_export";
    /**
     * The checkpoint the auditor supplied is not signed by a trusted key (or its time is outside that key's period);
     * its sequence is reported.
     */
    public static final String TRUSTED_CHECKPOINT_INVALID = "trusted_checkpoint_invalid";
    /** The chain has the trusted checkpoint's sequence, but with another head hash: the history up to it was rewritten. */
    public static final String TRUSTED_CHECKPOINT_MISMATCH = "trusted_checkpoint_mismatch";
    /**
     * The chain (or the export) does not reach the trusted checkpoint's sequence: truncated and the remains made
     * consistent, or an export that does not cover it.
     */
    public static final String TRUSTED_CHECKPOINT_MISSING = "trusted_checkpoint_missing";
    /**
     * The trusted checkpoint lies below the retained anchor (retention deleted it), so it can no longer be compared;
     * never reported as intact. Use a checkpoint taken after the purge.
     */
    public static final String TRUSTED_CHECKPOINT_PURGED = "trusted_checkpoint_purged";
    /**
     * The chain recomputes, but holds a recorded tamper finding at that sequence (an event
     * {@code audit.tamper_detected}, e.g. reason {@link AuditTrail#INVALID_OUTBOX_ROW}: a pending row that was not a
     * valid event was sealed as a finding). Reported only when nothing else failed: a finding stays in the chain until
     * retention removes it and must not hide later tampering.
     */
    public static final String TAMPER_FINDING = "tamper_finding";
    /**
     * Stored-chain verification only: an event older than {@link AuditConfig#staleAfter()} is still not covered by a
     * signed checkpoint (sealed after the last one, or still pending); the first unsigned sequence is reported.
     * Reported only when nothing else failed.
     */
    public static final String UNSIGNED_TAIL_STALE = "unsigned_tail_stale";

    private VerifyReasons() {}
}
