package health.treatment.web.persistence;

import health.treatment.store.TreatmentStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The one circuit breaker, timeout and bulkhead (MicroProfile Fault Tolerance) in front of the database and the
 * patient keys it holds. One method, so every request-path call shares one breaker: MP Fault Tolerance keeps a
 * breaker per method, and the database is one thing that fails. Call it only through {@link GuardedStore}, which
 * turns an unavailable outcome into the failure the breaker counts.
 *
 * <ul>
 *   <li>Breaker: opens when at least half of the last 10 calls failed ({@link TreatmentStoreException}, a timeout);
 *       while open, calls fail at once; after 5 s one trial call at a time goes through (readiness probes are calls
 *       too, so an idle node finds out by itself), two successes close it.</li>
 *   <li>Timeout: 12 s, above the store's own commit timeout (10 s), so the store normally answers first; this bounds
 *       what the store does not (a hung connection).</li>
 *   <li>Bulkhead: at most 64 requests wait on the store at once; the next one is refused at once instead of holding
 *       another server thread.</li>
 * </ul>
 *
 * <p>Every value can be changed with MicroProfile Config, e.g. the environment variable
 * {@code HEALTH_TREATMENT_WEB_PERSISTENCE_STORECIRCUIT_CALL_CIRCUITBREAKER_DELAY=2000} (milliseconds, the spec's
 * {@code <class>/<method>/<annotation>/<parameter>} name). The {@code Retry-After} of every 503
 * ({@code ProblemResponses}) is the default delay.
 */
@ApplicationScoped
public class StoreCircuit {

    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 5,
            delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2,
            failOn = {TreatmentStoreException.class, TimeoutException.class})
    @Timeout(value = 12, unit = ChronoUnit.SECONDS)
    @Bulkhead(64)
    public <T> T call(Supplier<T> work) {
        return work.get();
    }
}
