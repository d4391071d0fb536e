package health.treatment.web.filter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.treatment.audit.AuditFields;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemException;
import health.treatment.web.problem.ProblemKind;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.optimization.manual.ManuallySyncingOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The rate limits of DESIGN section 3, as Bucket4j token buckets: per client ({@code treatment.ratelimit.per-minute}
 * requests, default 100), per machine for gateways (same limit) and per client for batch items
 * ({@code treatment.ratelimit.items-per-minute}, default 10,000); per source address for requests without a valid
 * token ({@code treatment.ratelimit.unauthenticated-per-minute}, default 60; kept in each node's memory only, so a
 * flood from new addresses costs no database work, and N nodes admit N times the limit); and the abuse budgets of
 * clients and addresses ({@code treatment.abuse.max-rejections} per {@code treatment.abuse.window-seconds}, shared
 * like the rate limits). A rate-limit bucket holds a minute's worth and refills
 * continuously, so {@code Retry-After} is the exact time until the refused request would be admitted.
 *
 * <p>Where the counts live: on PostgreSQL (several nodes) in the shared table {@code rate_limit_bucket}. Each node
 * answers from its own copy of a bucket (Bucket4j's manually syncing optimisation) and a background task, once a
 * second, synchronises every copy that has consumed a tenth of its limit or has not been synchronised for
 * {@code treatment.ratelimit.sync-seconds} (default 5), so no request thread waits on the table except for a key's
 * first request on this node, or a request its local copy would refuse (then the shared state decides). Tolerance:
 * across N nodes a client can exceed its limit by at most N x 10 % within one synchronisation interval plus a second.
 * Why not the delaying optimisation, which synchronises on the request thread: with a gateway's 1,000 machines, one
 * bucket each, about every other request waited for its own committed (fsynced) bucket transaction, which held the
 * PostgreSQL fleet benchmark at 306 requests/s. On the embedded database (one
 * node by construction: the database file belongs to one process) the buckets live in memory only, exactly.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = LogManager.getLogger(RateLimits.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Buckets kept in memory per node; the least recently used beyond this are dropped (shared state stays). */
    private static final int MAX_BUCKETS = 100_000;

    @Resource(lookup = "jdbc/treatment")
    DataSource dataSource;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "treatment.ratelimit.per-minute", defaultValue = "100")
    long perMinute;

    @Inject
    @ConfigProperty(name = "treatment.ratelimit.items-per-minute", defaultValue = "10000")
    long itemsPerMinute;

    @Inject
    @ConfigProperty(name = "treatment.ratelimit.unauthenticated-per-minute", defaultValue = "60")
    long unauthenticatedPerMinute;

    @Inject
    @ConfigProperty(name = "treatment.abuse.max-rejections", defaultValue = "20")
    long abuseMaxRejections;

    @Inject
    @ConfigProperty(name = "treatment.abuse.window-seconds", defaultValue = "60")
    long abuseWindowSeconds;

    @Inject
    @ConfigProperty(name = "treatment.ratelimit.sync-seconds", defaultValue = "5")
    long syncSeconds;

    /** Time source of the in-memory buckets (tests move it by hand). */
    TimeMeter clock = TimeMeter.SYSTEM_MILLISECONDS;

    private Cache<String, Bucket> buckets;
    private PostgreSQLSelectForUpdateBasedProxyManager<String> shared;
    private ScheduledFuture<?> cleaner;
    private ScheduledFuture<?> syncer;

    @PostConstruct
    void open() {
        openLocal();
        if (isPostgreSql()) {
            shared = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("rate_limit_bucket")
                    .idColumn("id")
                    .stateColumn("state")
                    .expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(MINUTE))
                    .build();
            cleaner = scheduler.scheduleWithFixedDelay(this::removeExpired, 1, 1, TimeUnit.MINUTES);
            syncer = scheduler.scheduleWithFixedDelay(this::synchronise, 1, 1, TimeUnit.SECONDS);
            LOG.info("rate limits shared through the database (synchronised at least every {} s)", syncSeconds);
        }
    }

    /** The in-memory bucket cache (all the embedded database needs). */
    void openLocal() {
        buckets = Caffeine.newBuilder()
                .maximumSize(MAX_BUCKETS)
                .expireAfterAccess(Duration.ofMinutes(10))
                .build();
    }

    @PreDestroy
    void close() {
        if (cleaner != null) {
            cleaner.cancel(false);
        }
        if (syncer != null) {
            syncer.cancel(false);
        }
    }

    /** Counts one request of an authenticated client; throws a 429 problem when over the limit. */
    public void checkClient(String clientId) {
        consume("client:" + client(clientId), perMinute, 1);
    }

    /** Counts one record for a machine (gateways submit for many); throws a 429 problem when over the limit. */
    public void checkMachine(String machineId) {
        consume("machine:" + machineId, perMinute, 1);
    }

    /** Counts {@code items} batch items of a client; throws a 429 problem when over the item budget. */
    public void checkItems(String clientId, int items) {
        if (items > itemsPerMinute) {
            throw new ProblemException(
                    Problem.of(
                            ProblemKind.TOO_MANY_REQUESTS,
                            "The batch holds more records than the per-minute item budget allows; send smaller batches."),
                    null,
                    MINUTE.toSeconds());
        }
        consume("items:" + client(clientId), itemsPerMinute, items);
    }

    /**
     * A client's part of a bucket key: its audit client id (the subject when it fits the client-id alphabet and 128
     * characters, otherwise a fixed-length hash), so any subject a token carries makes a key the shared table's
     * {@code VARCHAR(300)} id holds (a 5,000-character subject was answered 503 on PostgreSQL),
     * and a client's requests and its rejected attempts (counted under the audit id) share one bucket.
     */
    static String client(String clientId) {
        String id = AuditFields.clientId(clientId);
        return id == null ? "" : id;
    }

    /**
     * Counts one request from {@code sourceIp} that carried no valid token; the wait in seconds when the address is
     * over {@code treatment.ratelimit.unauthenticated-per-minute} (answer 429), empty otherwise. Decided on this node's
     * copy of the shared bucket: no database work on the request's thread. A failing store never turns a 401 into
     * an error: the request is then counted locally only.
     */
    public OptionalLong unauthenticatedWait(String sourceIp) {
        return waitIfRefused("source:" + sourceIp, 1);
    }

    /** Counts a request of an authenticated client that was rejected before its limit was checked (wrong role). */
    public void countRejected(String clientId) {
        waitIfRefused("client:" + client(clientId), 1);
    }

    /**
     * Counts one rejected attempt against the abuse budget of {@code scope}/{@code key} (a client or a source
     * address): {@code treatment.abuse.max-rejections} per {@code treatment.abuse.window-seconds}, shared by all nodes
     * like the rate limits. True when the budget is spent (this attempt or an earlier one crossed the threshold).
     */
    public boolean countAbuse(String scope, String key) {
        return waitIfRefused(abuseKey(scope, key), 1).isPresent();
    }

    /** How long {@code scope}/{@code key} stays over its abuse budget (the quarantine), empty when it is not. */
    public OptionalLong abuseWait(String scope, String key) {
        String k = abuseKey(scope, key);
        try {
            EstimationProbe probe =
                    buckets.get(k, b -> newBucket(b, abuseMaxRejections)).estimateAbilityToConsume(1);
            return probe.canBeConsumed()
                    ? OptionalLong.empty()
                    : OptionalLong.of(seconds(probe.getNanosToWaitForRefill()));
        } catch (RuntimeException storeFailure) {
            return OptionalLong.empty();
        }
    }

    private static String abuseKey(String scope, String key) {
        return "abuse:" + scope + ":" + key;
    }

    private OptionalLong waitIfRefused(String key, int tokens) {
        try {
            ConsumptionProbe probe = tryConsume(key, limitOf(key), tokens);
            return probe.isConsumed()
                    ? OptionalLong.empty()
                    : OptionalLong.of(seconds(probe.getNanosToWaitForRefill()));
        } catch (RuntimeException storeFailure) {
            return OptionalLong.empty();
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private void consume(String key, long limit, int tokens) {
        ConsumptionProbe probe;
        try {
            probe = tryConsume(key, limit, tokens);
        } catch (RuntimeException storeFailure) {
            // The shared bucket table is unreachable: the store is failing, answer as the store would.
            throw new ProblemException(ProblemKind.UNAVAILABLE, storeFailure);
        }
        if (!probe.isConsumed()) {
            throw new ProblemException(
                    Problem.of(ProblemKind.TOO_MANY_REQUESTS), null, seconds(probe.getNanosToWaitForRefill()));
        }
    }

    private ConsumptionProbe tryConsume(String key, long limit, int tokens) {
        try {
            return buckets.get(key, k -> newBucket(k, limit)).tryConsumeAndReturnRemaining(tokens);
        } catch (RuntimeException e) {
            if (shared == null || key.startsWith("source:") || !isBucketNotFound(e)) {
                throw e;
            }
            // Bucket4j 8.14: concurrent first requests for a key on an optimised bucket can fail with
            // BucketNotFoundException instead of creating the row (seen with the delaying optimisation as HTTP 500s in
            // the first second of a PostgreSQL benchmark). One direct, unoptimised call creates the row; the cached
            // optimised bucket works from then on.
            return shared.builder().build(key, () -> configuration(key, limit)).tryConsumeAndReturnRemaining(tokens);
        }
    }

    private static boolean isBucketNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rate limits refill greedily over a minute (a sliding estimate); an abuse budget refills all at once at the end
     * of its window, so a quarantine lasts until the window that crossed the threshold is over.
     */
    private BucketConfiguration configuration(String key, long limit) {
        Bandwidth bandwidth = key.startsWith("abuse:")
                ? Bandwidth.builder()
                        .capacity(limit)
                        .refillIntervally(limit, Duration.ofSeconds(abuseWindowSeconds))
                        .build()
                : Bandwidth.builder()
                        .capacity(limit)
                        .refillGreedy(limit, MINUTE)
                        .build();
        return BucketConfiguration.builder().addLimit(bandwidth).build();
    }

    private Bucket newBucket(String key, long limit) {
        Supplier<BucketConfiguration> config = () -> configuration(key, limit);
        // Source addresses stay in this node's memory: a spray of new addresses must not cost a row each.
        if (shared == null || key.startsWith("source:")) {
            return Bucket.builder()
                    .withCustomTimePrecision(clock)
                    .addLimit(config.get().getBandwidths()[0])
                    .build();
        }
        return shared.builder()
                .withOptimization(new ManuallySyncingOptimization())
                .build(key, config);
    }

    /** Once a second: push every local copy that is due (a tenth of its limit consumed, or stale) to the table. */
    private void synchronise() {
        Duration stale = Duration.ofSeconds(syncSeconds);
        int failures = 0;
        for (var entry : buckets.asMap().entrySet()) {
            if (entry.getValue() instanceof BucketProxy proxy) {
                try {
                    long tenth = Math.max(1, limitOf(entry.getKey()) / 10);
                    proxy.getOptimizationController().syncByCondition(tenth - 1, Duration.ZERO);
                    proxy.getOptimizationController().syncByCondition(0, stale);
                } catch (RuntimeException e) {
                    failures++;
                }
            }
        }
        if (failures > 0) {
            LOG.warn(
                    "rate limit: {} bucket(s) could not be synchronised with the shared table; retried next second",
                    failures);
        }
    }

    private long limitOf(String key) {
        if (key.startsWith("items:")) {
            return itemsPerMinute;
        }
        if (key.startsWith("source:")) {
            return unauthenticatedPerMinute;
        }
        if (key.startsWith("abuse:")) {
            return abuseMaxRejections;
        }
        return perMinute;
    }

    private void removeExpired() {
        try {
            shared.removeExpired(1000);
        } catch (RuntimeException e) {
            LOG.warn(
                    "rate limit: purging expired buckets failed ({})",
                    e.getClass().getName());
        }
    }

    private boolean isPostgreSql() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("rate limits: the database cannot be reached", e);
        }
    }
}
