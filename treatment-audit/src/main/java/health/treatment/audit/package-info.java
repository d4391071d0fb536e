/**
 * Tamper-evident audit trail: the public API ({@link health.treatment.audit.AuditTrail} facade, events, checkpoints,
 * verifier, export, abuse detection).
 *
 * <h2>How an event becomes tamper-evident</h2>
 * <ol>
 *   <li><b>Write (request time).</b> {@link health.treatment.audit.AuditTrail#record} inserts one <i>unsealed</i> row
 *       in the caller's transaction, next to the clinical write (transactional outbox). No lock, no read of the chain
 *       head: appends from many threads and nodes never contend. Both commit or neither does.</li>
 *   <li><b>Seal (background, one node).</b> {@link health.treatment.audit.AuditTrail#sealPending} runs on every node
 *       about once a second; only the holder of the lease row in {@code audit_chain_state} (taken with
 *       {@code SELECT ... FOR UPDATE}, renewed on each run, taken over after it lapses) proceeds. It assigns gap-free
 *       sequence numbers in insertion order and {@code hash(n) = SHA-256(hash(n-1) || canonical(event) || n)}.</li>
 *   <li><b>Checkpoint.</b> Every N events or T seconds the sealer signs (Ed25519) the head:
 *       {@code sequence || head hash || time}. Signatures are what an attacker with full database access cannot
 *       redo.</li>
 * </ol>
 *
 * <h2>The window between write and seal</h2>
 * Between commit and the next seal run (normally under a second, longer if no sealer runs) an event is an ordinary
 * row. What protects it there: the database transaction (it exists exactly when the clinical write does), the
 * outbox ordering (a late-committing row is simply sealed in a later run: nothing is skipped, and a crashed sealer's
 * uncommitted run leaves the rows unsealed for the next leader), the JSON audit log line written at record time (an
 * independent copy for the SIEM), and, once sealed, the next checkpoint. Someone with write access to the database
 * can alter or delete unsealed rows undetectably by the chain; the audit log copy is the control for that window.
 * Likewise, sealed events after the latest checkpoint are protected by the hash chain and the (unsigned) head in
 * {@code audit_chain_state}; a signed checkpoint covers them once written
 * ({@link health.treatment.audit.VerificationResult#lastSignedSequence()} says how far signatures reach).
 *
 * <h2>Canonical encoding</h2>
 * Documented byte for byte in {@code treatment-audit/README.md} (and in the source of the internal
 * {@code Canonical} class) so auditors can re-implement verification.
 */
package health.treatment.audit;
