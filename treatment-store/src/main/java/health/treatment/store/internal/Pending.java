package health.treatment.store.internal;

import health.treatment.audit.AuditEvent;
import health.treatment.store.Submission;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One write waiting for a writer thread: a record to store (with its idempotency key and audit event) or an audit event
 * alone. The caller waits on {@link #result}; a caller that gives up may withdraw it only while no writer has taken
 * it, so "withdrawn" always means "never written".
 */
final class Pending {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int WITHDRAWN = 2;

    /** Null for an audit-only write. */
    final Submission submission;
    /** The record as canonical JSON (what is encrypted and stored); null for an audit-only write. */
    final String canonicalJson;
    /** The event to commit for an audit-only write; null for a record. */
    final AuditEvent auditOnly;

    final CompletableFuture<WriteResult> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    private Pending(Submission submission, String canonicalJson, AuditEvent auditOnly) {
        this.submission = submission;
        this.canonicalJson = canonicalJson;
        this.auditOnly = auditOnly;
    }

    static Pending record(Submission submission, String canonicalJson) {
        return new Pending(Objects.requireNonNull(submission), Objects.requireNonNull(canonicalJson), null);
    }

    static Pending audit(AuditEvent event) {
        return new Pending(null, null, Objects.requireNonNull(event));
    }

    boolean isRecord() {
        return submission != null;
    }

    /** Writer side: claims the write; false when the caller withdrew it first. */
    boolean take() {
        return state.compareAndSet(QUEUED, TAKEN);
    }

    /** Writer side: a taken write goes back to the queue (deferred to the next group). */
    void release() {
        state.set(QUEUED);
    }

    /** Caller side: withdraws the write if no writer has taken it yet. */
    boolean withdraw() {
        return state.compareAndSet(QUEUED, WITHDRAWN);
    }
}
