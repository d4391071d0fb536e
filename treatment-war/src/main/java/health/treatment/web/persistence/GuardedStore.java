package health.treatment.web.persistence;

import health.treatment.audit.AuditEvent;
import health.treatment.store.ErasureOutcome;
import health.treatment.store.ReadOutcome;
import health.treatment.store.RecordPage;
import health.treatment.store.RecordSearch;
import health.treatment.store.Submission;
import health.treatment.store.SubmitOutcome;
import health.treatment.store.TreatmentStore;
import health.treatment.store.TreatmentStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * The treatment store as requests use it: every call goes through {@link StoreCircuit} (breaker, timeout, bulkhead),
 * and every way of not being served ends as a {@link StoreUnavailableException} (503 with {@code Retry-After}).
 * An unavailable outcome of the store is thrown here, so the breaker counts it as the failure it is. The outcomes that
 * do return are the store's: {@code Created} only after the record and its audit event committed.
 *
 * <p>Also keeps the breaker's state as calls last saw it (MP Fault Tolerance has no API for it): open from the first
 * call it refused, closed again from the first call that went through and succeeded. Readiness probes are calls, so
 * the state is at most one probe old. Each change is logged once (WARN when it opens, INFO when it closes).
 *
 * <p>Background work (the sealer, maintenance, the rejection aggregator) uses the store directly: it retries on its
 * own schedule and must not spend the trial calls that let requests back in.
 */
@ApplicationScoped
public class GuardedStore {

    private static final Logger LOG = LogManager.getLogger(GuardedStore.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    TreatmentStore store;

    @Inject
    StoreCircuit circuit;

    /** When the breaker was first seen open; null while it is closed. */
    private final AtomicReference<Instant> openSince = new AtomicReference<>();

    /** Stores one record: {@code Created}, {@code Replayed} or {@code KeyReused}, never {@code Unavailable}. */
    public SubmitOutcome submit(Submission submission) {
        return call(() -> {
            SubmitOutcome outcome = store.submit(submission);
            if (outcome instanceof SubmitOutcome.Unavailable) {
                throw new StoreUnavailableException("the store could not take the record");
            }
            return outcome;
        });
    }

    /**
     * Stores a batch, each record on its own: an item may still be {@code Unavailable} while others were stored; when
     * none could be stored the whole call fails (the breaker counts it).
     */
    public List<SubmitOutcome> submitAll(List<Submission> submissions) {
        if (submissions.isEmpty()) {
            return List.of();
        }
        return call(() -> {
            List<SubmitOutcome> outcomes = store.submitAll(submissions);
            if (outcomes.stream().allMatch(o -> o instanceof SubmitOutcome.Unavailable)) {
                throw new StoreUnavailableException("the store could not take any record of the batch");
            }
            return outcomes;
        });
    }

    /** Reads a record and commits its audit event. */
    public ReadOutcome read(String id, AuditEvent attempt) {
        return call(() -> store.read(id, attempt));
    }

    /** A page of a clinician's search, audited (see {@link TreatmentStore#search}). */
    public RecordPage search(RecordSearch search, AuditEvent attempt) {
        return call(() -> store.search(search, attempt));
    }

    /** A page of the change feed, audited (see {@link TreatmentStore#changes}). */
    public RecordPage changes(Optional<String> after, int limit, AuditEvent attempt) {
        return call(() -> store.changes(after, limit, attempt));
    }

    /** Erases a patient (crypto-shredding): {@code Erased}, {@code AlreadyErased} or {@code NotFound}. */
    public ErasureOutcome erasePatient(String patientId, AuditEvent attempt) {
        return call(() -> {
            ErasureOutcome outcome = store.erasePatient(patientId, attempt);
            if (outcome instanceof ErasureOutcome.Unavailable) {
                throw new StoreUnavailableException("the store could not erase");
            }
            return outcome;
        });
    }

    /** Commits audit events that accompany no record; returns once committed. */
    public void audit(List<AuditEvent> events) {
        call(() -> {
            if (!store.audit(events)) {
                throw new StoreUnavailableException("the audit trail could not take the events");
            }
            return null;
        });
    }

    /** As {@link #audit(List)}, for one event. */
    public void audit(AuditEvent event) {
        audit(List.of(event));
    }

    /** A readiness probe through the breaker: true when the database answered, false when it did not or was not asked. */
    public boolean probe() {
        try {
            call(() -> {
                if (!store.isReachable(PROBE_TIMEOUT)) {
                    throw new StoreUnavailableException("the database does not answer");
                }
                return null;
            });
            return true;
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    /** Since when the breaker refuses calls, as calls last saw it; empty while it is closed. */
    public Optional<Instant> openSince() {
        return Optional.ofNullable(openSince.get());
    }

    private <T> T call(Supplier<T> work) {
        T result;
        try {
            result = circuit.call(work);
        } catch (CircuitBreakerOpenException e) {
            Instant now = Instant.now();
            if (openSince.compareAndSet(null, now)) {
                LOG.warn("treatment store circuit open: requests that need the database are answered 503 until it "
                        + "recovers (trial calls every few seconds)");
            }
            throw new StoreUnavailableException("the store circuit is open", e);
        } catch (FaultToleranceException e) { // timeout or bulkhead full
            throw new StoreUnavailableException("the store did not answer in time or is saturated", e);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (TreatmentStoreException e) {
            throw new StoreUnavailableException("the store failed", e);
        }
        Instant opened = openSince.getAndSet(null);
        if (opened != null) {
            LOG.info(
                    "treatment store circuit closed: the database answers again after {} s",
                    Duration.between(opened, Instant.now()).toSeconds());
        }
        return result;
    }
}
