/**
 * Tamper-evident audit trail: the public API ({@link health.treatment.audit.AuditTrail} facade, events, checkpoints,
 * signing keys, verifier, export, abuse detection).
 *
 * <h2>How an event becomes tamper-evident</h2>
 * <ol>
 *   <li><b>Write (request time).</b> {@link health.treatment.audit.AuditTrail#record} inserts one <i>unsealed</i> row
 *       in the caller's transaction, next to the clinical write (transactional outbox). No lock, no read of the chain
 *       head: appends from many threads and nodes never contend. Both commit or neither does. After the commit the
 *       caller writes the JSON copy for the SIEM ({@link health.treatment.audit.AuditTrail#logCommitted}).</li>
 *   <li><b>Seal (background, one node).</b> {@link health.treatment.audit.AuditTrail#sealPending} runs on every node
 *       about once a second; only the holder of the lease row in {@code audit_chain_state} (taken with
 *       {@code SELECT ... FOR UPDATE}, renewed on each run, taken over after it lapses) proceeds. It assigns gap-free
 *       sequence numbers in insertion order and {@code hash(n) = SHA-256(hash(n-1) || canonical(event) || n)}. A
 *       pending row that is not a valid event is sealed as a tamper finding in its place; sealing never stops.</li>
 *   <li><b>Checkpoint.</b> Every N events or T seconds the sealer signs (Ed25519) the head:
 *       {@code sequence || head hash || time}. Signatures are what an attacker with full database access cannot
 *       redo. The caller copies each signed checkpoint to the SIEM after the commit
 *       ({@link health.treatment.audit.AuditTrail#logCommittedCheckpoints}).</li>
 * </ol>
 *
 * <h2>The window between write and seal, and the unsigned tail</h2>
 * Between commit and the next seal run (normally under a second, longer if no sealer runs) an event is an ordinary
 * row. What protects it there: the database transaction (it exists exactly when the clinical write does), the
 * outbox ordering (a late-committing row is simply sealed in a later run: nothing is skipped, and a crashed sealer's
 * uncommitted run leaves the rows unsealed for the next leader), the JSON audit log line the caller writes after the
 * commit (an independent copy for the SIEM), and, once sealed, the next checkpoint. Someone with write access to the
 * database can delete unsealed rows undetectably by the chain (an edit into something invalid becomes a tamper
 * finding); the audit log copy is the control for that window. Sealed events after the latest checkpoint are
 * protected by the hash chain and the (unsigned) head in {@code audit_chain_state} only: an insider can rewrite that
 * tail, and even cut the chain after an older checkpoint, delete the later checkpoints and make the rest consistent.
 * {@link health.treatment.audit.AuditTrail#verify()} cannot see that; a checkpoint the auditor kept from before
 * ({@link health.treatment.audit.AuditTrail#verify(java.util.Optional)}, or the offline verifier's
 * {@code --trusted-checkpoint}) can. {@link health.treatment.audit.VerificationResult#lastSignedSequence()} says how
 * far signatures reach, and verification fails ({@code unsigned_tail_stale}) when an event stays unsigned longer than
 * {@link health.treatment.audit.AuditConfig#staleAfter()}.
 *
 * <h2>Signing keys</h2>
 * The configured key is the root of trust; retired keys stay trusted only through endorsements by trusted keys
 * ({@link health.treatment.audit.AuditTrail#registerSigningKey()}), never because of a database row alone.
 *
 * <h2>Canonical encoding</h2>
 * Documented byte for byte in {@code treatment-audit/README.md} (and in the source of the internal
 * {@code Canonical} class) so auditors can re-implement verification.
 */
package health.treatment.audit;
