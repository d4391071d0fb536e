package health.treatment.web.config;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A task run with a fixed delay on the container's managed scheduler, from application start until {@link #stop()}
 * (called from the owner's {@code @PreDestroy}). The background jobs (sealer, maintenance, rejection aggregates) share
 * this instead of each holding its own future.
 */
public final class PeriodicJob {
    private final ScheduledFuture<?> future;

    private PeriodicJob(ScheduledFuture<?> future) {
        this.future = future;
    }

    /** Runs {@code task} every {@code delay} (after a first delay of the same length). */
    public static PeriodicJob start(ManagedScheduledExecutorService scheduler, Runnable task, Duration delay) {
        long millis = delay.toMillis();
        return new PeriodicJob(scheduler.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS));
    }

    /** No further runs; a run in progress finishes. */
    public void stop() {
        future.cancel(false);
    }
}
