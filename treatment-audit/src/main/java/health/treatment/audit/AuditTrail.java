package health.treatment.audit;

import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.ChainVerifier;
import health.treatment.audit.internal.ExportWriter;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.spi.AuditStore;
import health.treatment.audit.spi.ChainState;
import health.treatment.audit.spi.InvalidStoredEventException;
import health.treatment.audit.spi.PendingEvent;
import health.treatment.audit.spi.SealedPosition;
import health.treatment.audit.spi.SigningKeyRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The audit trail facade. Every method runs inside the CALLER's transaction (see the package documentation for the
 * write/seal window); none of them begins or commits one. Thread-safe: it holds only immutable configuration.
 *
 * <h2>What the caller does around its transaction</h2>
 * Nothing is written to the audit log ({@link #AUDIT_LOGGER_NAME}, the SIEM copy) before the caller's transaction
 * committed, so the copy never shows work that rolled back:
 * <ul>
 *   <li>events: after committing {@link #record}, {@link #append} or {@link #appendSealed}, call
 *       {@link #logCommitted(List)} with the events;</li>
 *   <li>checkpoints: every method that signs checkpoints reports them ({@link #appendSealed} returns them,
 *       {@link SealResult#checkpoints()}, {@link #checkpointNow()}, {@link PurgeResult#anchor()}); after the commit,
 *       call {@link #logCommittedCheckpoints(List)} with them;</li>
 *   <li>at start, once, in a transaction of its own: {@link #registerSigningKey()}.</li>
 * </ul>
 */
public final class AuditTrail {

    /**
     * Log4j2 logger that receives one JSON line per committed event and per committed checkpoint (the WAR routes it
     * to a rolling file / SIEM): see {@link #logCommitted} and {@link #logCommittedCheckpoints}.
     */
    public static final String AUDIT_LOGGER_NAME = "health.treatment.audit.log";

    /**
     * The trail's schema migrations (Flyway scripts on this jar's class path, versions 100 and up), for applications
     * that list their migrations explicitly instead of scanning the class path.
     */
    public static final List<String> MIGRATIONS = List.of(
            "db/migration/audit/V100__audit_trail.sql",
            "db/migration/audit/V101__audit_outbox.sql",
            "db/migration/audit/V102__audit_signing_keys.sql");

    /** Action of the event sealed in place of a pending row that is not a valid event. */
    public static final String TAMPER_ACTION = ChainVerifier.TAMPER_ACTION;

    /** Reason code of that event. */
    public static final String INVALID_OUTBOX_ROW = "invalid_outbox_row";

    private static final Logger AUDIT_LOG = LogManager.getLogger(AUDIT_LOGGER_NAME);
    private static final Logger LOG = LogManager.getLogger(AuditTrail.class);
    private static final int PAGE = 1000;
    private static final int MAX_LIMIT = 1000;

    private final AuditStore store;
    private final AuditConfig config;

    private AuditTrail(AuditStore store, AuditConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
    }

    public static AuditTrail create(AuditStore store, AuditConfig config) {
        return new AuditTrail(store, config);
    }

    public AuditConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Appends the event as one unsealed outbox row in the caller's transaction (no lock, no read of the chain head).
     * Writes no log line: once the caller's transaction committed, it calls {@link #logCommitted} with the event, so
     * the audit log (the SIEM copy) never shows an attempt that rolled back.
     */
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        store.append(event);
    }

    /**
     * Appends the events as unsealed outbox rows in the caller's transaction, in one batch where the store supports
     * it, and writes no log line: a caller that controls the commit calls {@link #logCommitted} once the transaction
     * committed, so the audit log (the SIEM copy) never shows work that rolled back.
     */
    public void append(List<AuditEvent> events) {
        Objects.requireNonNull(events, "events");
        store.appendAll(events);
    }

    /**
     * Appends the events to the chain directly, sealed, in the caller's transaction: takes the chain-state row lock
     * (held until the caller's transaction ends, so callers serialize here: call it last, just before committing, and
     * for many events at once), gives the events the next sequences and chain hashes, writes them into the chain,
     * signs a checkpoint whenever {@code checkpointEveryEvents} are reached, and moves the head. No pending row and no
     * window between write and seal: if the transaction rolls back, so does the chain extension. Writes no log line:
     * after the commit, call {@link #logCommitted} with the events and {@link #logCommittedCheckpoints} with the
     * result. Works alongside {@link #record}/{@link #sealPending}, which share the lock.
     *
     * @return the checkpoints signed by this call, ascending (usually none)
     */
    public List<Checkpoint> appendSealed(List<AuditEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return List.of();
        }
        ChainState state = store.lockChainState();
        Instant now = config.clock().instant();
        long seq = state.headSequence();
        byte[] hash = Hex.decode(state.headHash());
        long cpSeq = state.checkpointSequence();
        Instant cpTime = state.checkpointTime();
        List<Checkpoint> signed = new ArrayList<>(1);
        List<SealedEvent> chained = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            seq++;
            hash = Canonical.chain(hash, e, seq);
            chained.add(new SealedEvent(seq, Hex.encode(hash), e));
            if (seq - cpSeq >= config.checkpointEveryEvents()) {
                store.appendSealed(chained);
                chained.clear();
                sign(Checkpoint.Kind.PERIODIC, seq, hash, now).ifPresent(signed::add);
                cpSeq = seq;
                cpTime = now;
            }
        }
        store.appendSealed(chained);
        store.saveChainState(
                new ChainState(state.leaseHolder(), state.leaseExpires(), seq, Hex.encode(hash), cpSeq, cpTime));
        return signed;
    }

    /** Writes one JSON line per event to {@link #AUDIT_LOGGER_NAME}; call after the appending transaction committed. */
    public static void logCommitted(List<AuditEvent> events) {
        for (AuditEvent event : events) {
            AUDIT_LOG.info(event.toJson());
        }
    }

    /**
     * Writes one JSON line per checkpoint to {@link #AUDIT_LOGGER_NAME}:
     * {@code {"type":"checkpoint","sequence":..,"head_hash":..,"time":..,"kind":..,"key_id":..,"signature":..}}
     * (the fields of {@link Checkpoint#toJson()}). Call it after the transaction that signed them committed: a copy of
     * every signature outside the database, which an insider cannot take back.
     */
    public static void logCommittedCheckpoints(List<Checkpoint> checkpoints) {
        for (Checkpoint c : checkpoints) {
            AUDIT_LOG.info("{\"type\":\"checkpoint\"," + c.toJson().substring(1));
        }
    }

    // ------------------------------------------------------------------ sealing and checkpoints

    /**
     * Seals pending events: call it from the sealer job inside a transaction, every second or so on every node. Only
     * the lease holder works; the lease lives in the database chain-state row, taken with a pessimistic lock, so two
     * nodes can never extend the chain concurrently (the second waits for the row, then sees the lease). A lapsed
     * lease (crashed leader) is taken over. Returns {@link SealResult#notLeader()} on non-leaders.
     *
     * <p>A pending row that is not a valid event (a field the event constructor rejects: only direct tampering gets
     * there) never stops sealing: in its place and position the sealer seals a tamper finding (action
     * {@value #TAMPER_ACTION}, reason {@value #INVALID_OUTBOX_ROW}, outcome {@code server_error}, resource type
     * {@code AuditEvent}, this node's id, request id {@code outbox-<outbox id>}; nothing of the row's content),
     * consumes the row, logs one ERROR line (outbox id and sequence only), reports the sequence in
     * {@link SealResult#tamperFindings()}, and goes on. {@link #verify} then reports {@code tamper_finding}.
     *
     * <p>After the transaction committed, hand {@link SealResult#checkpoints()} to {@link #logCommittedCheckpoints}.
     */
    public SealResult sealPending() {
        ChainState state = store.lockChainState();
        Instant now = config.clock().instant();
        String holder = state.leaseHolder();
        if (holder != null
                && !holder.equals(config.nodeId())
                && state.leaseExpires().isAfter(now)) {
            return SealResult.notLeader();
        }
        if (holder != null && !holder.equals(config.nodeId())) {
            LOG.info("audit sealer lease taken over by node {} (previous holder lease lapsed)", config.nodeId());
        }
        long seq = state.headSequence();
        byte[] hash = Hex.decode(state.headHash());
        long cpSeq = state.checkpointSequence();
        Instant cpTime = state.checkpointTime();
        int sealed = 0;
        List<Checkpoint> signed = new ArrayList<>();
        List<Long> findings = new ArrayList<>();
        List<PendingEvent> pending = store.unsealed(config.sealBatchSize());
        List<SealedPosition> positions = new ArrayList<>(pending.size());
        for (PendingEvent p : pending) {
            seq++;
            AuditEvent event = p.event();
            if (event == null) {
                event = tamperFinding(p.outboxId(), now);
                findings.add(seq);
                LOG.error(
                        "audit sealer: outbox row {} is not a valid audit event; sealed a tamper finding at "
                                + "sequence {} in its place",
                        p.outboxId(),
                        seq);
            }
            hash = Canonical.chain(hash, event, seq);
            positions.add(new SealedPosition(p.outboxId(), seq, Hex.encode(hash), event));
            sealed++;
            if (seq - cpSeq >= config.checkpointEveryEvents()) {
                store.seal(positions);
                positions.clear();
                sign(Checkpoint.Kind.PERIODIC, seq, hash, now).ifPresent(signed::add);
                cpSeq = seq;
                cpTime = now;
            }
        }
        if (!positions.isEmpty()) {
            store.seal(positions);
        }
        if (seq > cpSeq
                && !Duration.between(cpTime, now)
                        .minus(config.checkpointInterval())
                        .isNegative()) {
            sign(Checkpoint.Kind.PERIODIC, seq, hash, now).ifPresent(signed::add);
            cpSeq = seq;
            cpTime = now;
        }
        store.saveChainState(new ChainState(
                config.nodeId(), now.plus(config.leaseDuration()), seq, Hex.encode(hash), cpSeq, cpTime));
        return new SealResult(true, sealed, seq, signed, findings);
    }

    private AuditEvent tamperFinding(long outboxId, Instant now) {
        return AuditEvent.builder()
                .time(now)
                .action(TAMPER_ACTION)
                .resourceType("AuditEvent")
                .outcome(Outcome.SERVER_ERROR)
                .httpStatus(0)
                .reasonCode(INVALID_OUTBOX_ROW)
                .nodeId(config.nodeId())
                .requestId("outbox-" + outboxId)
                .build();
    }

    /**
     * Signs a checkpoint for the current head now, whatever the thresholds (e.g. before an export or at shutdown).
     * Leader only, like {@link #sealPending()}; returns empty when not leader, when the head already has one, or when
     * the configured key was retired in the registry. After the commit, hand it to {@link #logCommittedCheckpoints}.
     */
    public Optional<Checkpoint> checkpointNow() {
        ChainState state = store.lockChainState();
        Instant now = config.clock().instant();
        String holder = state.leaseHolder();
        if (holder != null
                && !holder.equals(config.nodeId())
                && state.leaseExpires().isAfter(now)) {
            return Optional.empty();
        }
        if (state.headSequence() == state.checkpointSequence()) {
            return Optional.empty();
        }
        Optional<Checkpoint> c =
                sign(Checkpoint.Kind.PERIODIC, state.headSequence(), Hex.decode(state.headHash()), now);
        store.saveChainState(new ChainState(
                config.nodeId(),
                now.plus(config.leaseDuration()),
                state.headSequence(),
                state.headHash(),
                state.headSequence(),
                now));
        return c;
    }

    /**
     * Signs and stores a checkpoint, unless the registry says the configured key was retired (a newer key took over
     * while this node still runs the old one): then it signs nothing and logs a WARN, because verification would
     * reject the checkpoint as signed after the key's period. The callers' checkpoint schedule moves on either way,
     * so such a node looks the registry up once per checkpoint due, not per event.
     */
    private Optional<Checkpoint> sign(Checkpoint.Kind kind, long sequence, byte[] head, Instant time) {
        AuditSigningKey key = config.signingKey();
        Optional<SigningKeyRecord> registered = store.signingKey(key.keyId());
        if (registered.isPresent() && registered.get().validUntil().isPresent()) {
            LOG.warn(
                    "audit checkpoint at sequence {} not signed: signing key {} was retired by a newer key; "
                            + "configure the current key on this node",
                    sequence,
                    key.keyId());
            return Optional.empty();
        }
        Instant t = time.truncatedTo(ChronoUnit.MICROS);
        byte[] sig = key.sign(Canonical.checkpointMessage(kind.code(), sequence, head, t));
        Checkpoint c = new Checkpoint(sequence, Hex.encode(head), t, kind, key.keyId(), Hex.encode(sig));
        store.saveCheckpoint(c);
        return Optional.of(c);
    }

    // ------------------------------------------------------------------ signing keys

    /**
     * Registers the configured signing key; call it once at start, in a transaction of its own (it takes the
     * chain-state lock, so it serialises with sealing and appendSealed). Idempotent.
     * <ul>
     *   <li>Not registered yet: inserts it, endorsed by itself ({@code "TASK1" || key id || public key || valid_from
     *       || valid_until}, see the README), valid from now, or from the epoch when it is the first key the trail
     *       registers (it signed everything before the registry existed).</li>
     *   <li>At that moment, the previous current key (the one other row without valid_until, whose self-endorsement
     *       verifies) is retired: its valid_until is set to now (or to the time of the last checkpoint it signed, if
     *       that is later by less than the lease duration: clock skew between nodes) and the new key endorses it,
     *       vouching for its public key and period; the new key's period starts at the same instant. Rows that do not
     *       look like a genuine current key, or more than one candidate, are left untouched (hence untrusted) and
     *       logged as an ERROR: the rotation then breaks verification of the older checkpoints visibly instead of
     *       vouching for a row an insider may have planted.</li>
     * </ul>
     *
     * @return true when the registry changed
     * @throws AuditException when the registry holds another public key under the configured key id, or when the
     *                        configured key was already retired (a retired key is never made current again)
     */
    public boolean registerSigningKey() {
        store.lockChainState();
        AuditSigningKey key = config.signingKey();
        Instant now = config.clock().instant().truncatedTo(ChronoUnit.MICROS);
        List<SigningKeyRecord> rows = store.signingKeys();
        Optional<SigningKeyRecord> own =
                rows.stream().filter(r -> r.keyId().equals(key.keyId())).findFirst();
        List<SigningKeyRecord> others = rows.stream()
                .filter(r -> !r.keyId().equals(key.keyId()) && r.validUntil().isEmpty())
                .toList();
        if (own.isPresent()) {
            if (!own.get().publicKey().equals(SigningKeys.base64(key.publicKey()))) {
                throw new AuditException(
                        "audit signing key: the registry holds another public key under the " + "configured key id");
            }
            if (own.get().validUntil().isPresent()) {
                throw new AuditException("audit signing key: the configured key was retired by a newer key; "
                        + "configure the current key");
            }
            if (!others.isEmpty()) {
                LOG.error(
                        "audit signing key registry: {} other key row(s) claim to be current after the configured "
                                + "key was registered; not endorsed, so not trusted",
                        others.size());
            }
            return false;
        }
        List<SigningKeyRecord> genuine = others.stream()
                .filter(r -> SigningKeys.isCurrentSelfEndorsed(r, null)
                        && !r.validFrom().isAfter(now))
                .toList();
        SigningKeyRecord previous = genuine.size() == 1 && others.size() == 1 ? genuine.get(0) : null;
        Instant cut = now;
        if (previous != null) {
            // The previous key's last checkpoint may carry a slightly later time (another node's clock, signed
            // before this lock was granted): its period must still cover it. Only a checkpoint it really signed,
            // and only within the lease duration (clock skew), can move the cut.
            PublicKey previousKey = SigningKeys.decode(previous.publicKey());
            Optional<Checkpoint> latest = store.latestCheckpoint();
            if (latest.isPresent()
                    && latest.get().keyId().equals(previous.keyId())
                    && latest.get().verifySignature(previousKey)
                    && latest.get().time().isAfter(now)
                    && !latest.get().time().isAfter(now.plus(config.leaseDuration()))) {
                cut = latest.get().time();
            }
        }
        Instant from = rows.isEmpty() ? Instant.EPOCH : cut;
        store.insertSigningKey(SigningKeys.endorsed(key.keyId(), key.publicKey(), from, Optional.empty(), key));
        if (previous != null) {
            store.updateSigningKey(SigningKeys.endorsed(
                    previous.keyId(),
                    SigningKeys.decode(previous.publicKey()),
                    previous.validFrom(),
                    Optional.of(cut),
                    key));
            LOG.info(
                    "audit signing key {} registered; key {} retired and endorsed by it",
                    key.keyId(),
                    previous.keyId());
        } else {
            if (!others.isEmpty()) {
                LOG.error(
                        "audit signing key registry: {} other key row(s) claim to be current, {} of them "
                                + "self-endorsed; none retired or endorsed (expected exactly one), so none is trusted",
                        others.size(),
                        genuine.size());
            }
            LOG.info("audit signing key {} registered", key.keyId());
        }
        return true;
    }

    /**
     * The keys verification trusts (see {@link #verify(Optional)}): the configured key (no {@code validUntil}) and every
     * retired key vouched for by a trusted key, each with its period; ordered by {@code validFrom}. Rows in the
     * registry that are not endorsed by a trusted key are not listed.
     */
    public List<SigningKeyInfo> signingKeys() {
        return SigningKeys.resolve(config.signingKey(), store.signingKeys()).infos();
    }

    // ------------------------------------------------------------------ checkpoints

    /** The signed checkpoint with the highest sequence, if any (what an auditor keeps, as {@link Checkpoint#toJson}). */
    public Optional<Checkpoint> latestCheckpoint() {
        return store.latestCheckpoint();
    }

    /**
     * Stored checkpoints with a sequence above {@code afterSequence}, ascending (periodic before purge at equal
     * sequence), at most {@code limit}. Two checkpoints can share a sequence (a periodic and a purge one, signed for
     * the same head); a full page never ends between them unless {@code limit} is 1, so the next page can start
     * after the last sequence of this one. Indexed read.
     *
     * @param limit 1..1000
     */
    public List<Checkpoint> checkpoints(long afterSequence, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new AuditException("audit query: limit must be 1.." + MAX_LIMIT);
        }
        if (afterSequence < 0) {
            throw new AuditException("audit query: afterSequence must be >= 0");
        }
        List<Checkpoint> rows = store.checkpointsAfter(afterSequence, limit + 1);
        if (rows.size() <= limit) {
            return List.copyOf(rows);
        }
        int end = limit;
        while (end > 1 && rows.get(end - 1).sequence() == rows.get(end).sequence()) {
            end--;
        }
        return List.copyOf(rows.subList(0, end));
    }

    /**
     * Reads checkpoints in sequence order, one indexed page at a time (memory stays bounded however many there are).
     * A page never ends between two checkpoints of the same sequence.
     */
    private final class CheckpointStream {
        private long after;
        private boolean exhausted;
        private final ArrayDeque<Checkpoint> buffer = new ArrayDeque<>();

        /** Checkpoints with a sequence above {@code afterSequence}. */
        CheckpointStream(long afterSequence) {
            this.after = afterSequence;
        }

        Checkpoint peek() {
            if (buffer.isEmpty() && !exhausted) {
                List<Checkpoint> page = store.checkpointsAfter(after, PAGE);
                int end = page.size();
                if (end < PAGE) {
                    exhausted = true;
                } else {
                    long last = page.get(end - 1).sequence();
                    while (end > 1 && page.get(end - 1).sequence() == last) {
                        end--;
                    }
                }
                buffer.addAll(page.subList(0, end));
                if (end > 0) {
                    after = page.get(end - 1).sequence();
                }
            }
            return buffer.peekFirst();
        }

        Checkpoint next() {
            Checkpoint c = peek();
            buffer.pollFirst();
            return c;
        }
    }

    // ------------------------------------------------------------------ verification

    /** {@link #verify(Optional)} without a trusted checkpoint. */
    public VerificationResult verify() {
        return verify(Optional.empty());
    }

    /**
     * Verifies the stored chain. Every stored hash is recomputed from the event fields; sequences must be gap-free
     * from the anchor (genesis or the latest purge checkpoint); every checkpoint must be signed by a trusted key
     * within that key's period and match the recomputed head at its sequence; no checkpoint (nor the chain-state
     * head) may point past the last stored event. Streams events and checkpoints page by page.
     *
     * <p><b>Trusted keys.</b> The configured key, for checkpoints of any time (the root of trust; trails older than
     * the key registry were signed by it before any registration), plus every registered key whose endorsement
     * verifies under an already trusted key (see {@link #registerSigningKey()}), for checkpoints within its period
     * only. A row in the database alone never makes a key trusted.
     *
     * <p><b>Trusted checkpoint.</b> Without one, an insider who can write the database can cut the chain after some
     * checkpoint K, delete every later checkpoint, rewrite the later events with recomputed hashes and the chain
     * head, and this method still says intact (only the signatures still present are checked). A checkpoint the
     * auditor kept from before such an attack ({@link #latestCheckpoint()}, {@link Checkpoint#toJson()}) closes that:
     * it must itself verify under a trusted key ({@code trusted_checkpoint_invalid} otherwise), and the stored chain
     * must contain its sequence with exactly its head hash and chain on from it; otherwise the result is broken at the
     * trusted checkpoint's sequence: {@code trusted_checkpoint_mismatch} (other hash there),
     * {@code trusted_checkpoint_missing} (the chain does not reach it), or {@code trusted_checkpoint_purged} (it lies
     * below the retained purge anchor: retention deleted it, so it can no longer be compared; take a newer one).
     *
     * <p><b>Freshness.</b> Fails with {@code unsigned_tail_stale} when an event older than
     * {@link AuditConfig#staleAfter()} (judged against {@code config.clock()}) is not covered by a signed
     * checkpoint: sealed after the last one, or still pending (the oldest pending row by insertion order). Offline
     * export verification does not judge freshness (it cannot know "now" reliably).
     *
     * <p><b>Tamper findings</b> (events {@value #TAMPER_ACTION}, e.g. sealed in place of an invalid pending row)
     * fail with {@code tamper_finding} at the first one when nothing else failed. See {@link VerificationResult} for
     * every reason code.
     */
    public VerificationResult verify(Optional<Checkpoint> trusted) {
        return check(trusted, true);
    }

    private VerificationResult check(Optional<Checkpoint> trusted, boolean freshness) {
        Objects.requireNonNull(trusted, "trusted");
        SigningKeys keys = SigningKeys.resolve(config.signingKey(), store.signingKeys());
        ChainState state = store.readChainState();
        ChainVerifier v = new ChainVerifier(keys);
        if (trusted.isPresent()) {
            Checkpoint t = trusted.get();
            if (keys.check(t) != null) {
                v.fail(t.sequence(), VerifyReasons.TRUSTED_CHECKPOINT_INVALID);
                return v.finish(0);
            }
            v.trusted(t.sequence(), Hex.decode(t.headHash()), VerifyReasons.TRUSTED_CHECKPOINT_PURGED);
        }
        Optional<Checkpoint> anchor = store.latestCheckpoint(Checkpoint.Kind.PURGE);
        if (anchor.isPresent()) {
            String bad = keys.check(anchor.get());
            if (bad != null) {
                v.fail(anchor.get().sequence(), bad);
                return v.finish(0);
            }
            v.anchor(anchor.get().sequence(), Hex.decode(anchor.get().headHash()));
        } else {
            v.anchor(0, Canonical.GENESIS);
        }
        CheckpointStream checkpoints = new CheckpointStream(v.anchorSequence() - 1);
        long next = v.anchorSequence() + 1;
        while (!v.failed()) {
            List<SealedEvent> page;
            long invalidAt = -1;
            try {
                page = store.sealedRange(next, Long.MAX_VALUE, PAGE);
            } catch (InvalidStoredEventException bad) {
                // Check what precedes the bad row first, so an earlier failure is still reported first.
                page = store.sealedRange(next, bad.sequence() - 1, PAGE);
                invalidAt = bad.sequence();
            }
            for (SealedEvent e : page) {
                feedBelow(checkpoints, v, e.sequence());
                v.event(e.sequence(), e.hash(), e.event());
            }
            if (invalidAt >= 0) {
                feedBelow(checkpoints, v, invalidAt);
                v.event(invalidAt, "", null);
                break;
            }
            if (page.size() < PAGE) {
                break;
            }
            next = page.get(page.size() - 1).sequence() + 1;
        }
        // Checkpoints at the last event compare; the first one above it means the chain was cut below a signature.
        while (!v.failed() && !v.hasPendingCheckpoint()) {
            Checkpoint c = checkpoints.next();
            if (c == null) {
                break;
            }
            v.checkpoint(c);
        }
        if (!freshness) {
            return v.finish(state.headSequence());
        }
        return v.finish(
                state.headSequence(),
                store.oldestPendingTime().orElse(null),
                config.clock().instant().minus(config.staleAfter()));
    }

    private static void feedBelow(CheckpointStream checkpoints, ChainVerifier v, long sequence) {
        while (!v.failed()) {
            Checkpoint c = checkpoints.peek();
            if (c == null || c.sequence() >= sequence) {
                return;
            }
            v.checkpoint(checkpoints.next());
        }
    }

    /**
     * Sealed events (only sealed ones: they have a stable, gap-free order and are covered by {@link #verify()};
     * events appear here once the sealer ran, typically within a second) with time in [from, to), in sequence order.
     *
     * @param afterCursor the {@code nextCursor} of the previous page, or empty for the first page
     * @param limit       1..1000
     */
    public AuditPage events(Instant from, Instant to, Optional<String> afterCursor, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new AuditException("audit query: limit must be 1.." + MAX_LIMIT);
        }
        long after = afterCursor.map(AuditTrail::decodeCursor).orElse(0L);
        List<SealedEvent> rows = store.sealedByTime(from, to, after, limit + 1);
        boolean more = rows.size() > limit;
        List<SealedEvent> page = more ? rows.subList(0, limit) : rows;
        Optional<String> next =
                more ? Optional.of(encodeCursor(page.get(page.size() - 1).sequence())) : Optional.empty();
        return new AuditPage(new ArrayList<>(page), next);
    }

    private static String encodeCursor(long sequence) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("s1:" + sequence).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!s.startsWith("s1:")) {
                throw new IllegalArgumentException();
            }
            long v = Long.parseLong(s.substring(3));
            if (v < 0) {
                throw new IllegalArgumentException();
            }
            return v;
        } catch (IllegalArgumentException e) {
            throw new AuditException("audit query: invalid cursor");
        }
    }

    // ------------------------------------------------------------------ export

    /**
     * Writes an NDJSON export that {@link AuditVerifier#verifyExport} (or the CLI) can check offline: a header line,
     * a start line (the chain hash before the first exported event), every sealed event from the first to the last
     * one whose time is in [from, to) (events in between are included whatever their time, so the chain stays
     * contiguous), extended to the next periodic checkpoint so the tail is covered by a signature, and the
     * checkpoints in that range, each right after the event it covers. Nothing is written for an empty range except
     * the header. Streams in pages (events and checkpoints): memory stays bounded.
     */
    public void export(Instant from, Instant to, OutputStream ndjson) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        try {
            ExportWriter w = new ExportWriter(ndjson);
            w.header(from, to, config.signingKey().keyId());
            OptionalLong first = store.minSequence(from, to);
            OptionalLong last = store.maxSequence(from, to);
            if (first.isPresent() && last.isPresent()) {
                writeRange(w, first.getAsLong(), last.getAsLong());
            }
            w.flush();
        } catch (IOException e) {
            throw new AuditException("audit export: write failed", e);
        }
    }

    /**
     * The same export for the sealed sequences {@code fromSequence..toSequence} (inclusive), clamped to what is
     * stored (retention may have deleted the start; {@code Long.MAX_VALUE} means "to the head"), extended to the next
     * periodic checkpoint. The header names the requested sequences
     * ({@code {"type":"header",...,"from_sequence":N,"to_sequence":M,...}}); nothing else is written when no stored
     * event is in the range.
     */
    public void export(long fromSequence, long toSequence, OutputStream ndjson) {
        Objects.requireNonNull(ndjson, "ndjson");
        try {
            ExportWriter w = new ExportWriter(ndjson);
            w.header(fromSequence, toSequence, config.signingKey().keyId());
            OptionalLong first = store.firstSealedSequence();
            OptionalLong last = store.lastSealedSequence();
            if (first.isPresent() && last.isPresent()) {
                long a = Math.max(fromSequence, first.getAsLong());
                long b = Math.min(toSequence, last.getAsLong());
                if (a <= b) {
                    writeRange(w, a, b);
                }
            }
            w.flush();
        } catch (IOException e) {
            throw new AuditException("audit export: write failed", e);
        }
    }

    private void writeRange(ExportWriter w, long a, long requestedEnd) throws IOException {
        long b = requestedEnd;
        CheckpointStream next = new CheckpointStream(b - 1);
        for (Checkpoint c = next.next(); c != null; c = next.next()) {
            if (c.kind() == Checkpoint.Kind.PERIODIC) {
                b = c.sequence();
                break;
            }
        }
        w.start(a - 1, Hex.encode(startHash(a - 1)));
        CheckpointStream checkpoints = new CheckpointStream(a - 2);
        while (checkpoints.peek() != null && checkpoints.peek().sequence() <= a - 1) {
            w.checkpoint(checkpoints.next());
        }
        long from = a;
        while (from <= b) {
            List<SealedEvent> page = store.sealedRange(from, b, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (SealedEvent e : page) {
                // A checkpoint over an event that is gone is written where it belongs: the verifier reports the gap.
                while (checkpoints.peek() != null && checkpoints.peek().sequence() < e.sequence()) {
                    w.checkpoint(checkpoints.next());
                }
                w.event(e);
                while (checkpoints.peek() != null && checkpoints.peek().sequence() == e.sequence()) {
                    w.checkpoint(checkpoints.next());
                }
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
        // Checkpoints vouching for events no longer stored: the verifier reports the truncation.
        while (checkpoints.peek() != null && checkpoints.peek().sequence() <= b) {
            w.checkpoint(checkpoints.next());
        }
    }

    private byte[] startHash(long sequence) {
        if (sequence == 0) {
            return Canonical.GENESIS;
        }
        for (Checkpoint c : store.checkpointsAfter(sequence - 1, 2)) {
            if (c.sequence() == sequence) {
                return Hex.decode(c.headHash());
            }
        }
        return store.sealedAt(sequence)
                .map(e -> Hex.decode(e.hash()))
                .orElseThrow(() -> new AuditException("audit export: chain start not found"));
    }

    // ------------------------------------------------------------------ retention

    /**
     * Retention: deletes the longest prefix of the SEALED chain whose events are all older than {@code cutoff} (never
     * leaving a gap), after verifying that prefix, and writes a signed PURGE checkpoint "purged up to N with head H"
     * from which {@link #verify()} and exports start. Takes the chain-state lock, so it serialises with the sealer.
     * A recorded tamper finding in the prefix does not block it (the chain itself must verify): otherwise one finding
     * would stop retention for good. After the commit, hand {@link PurgeResult#anchor()} to
     * {@link #logCommittedCheckpoints}.
     *
     * @throws AuditException when the chain does not verify (nothing is deleted then), or when the configured key was
     *                        retired in the registry (it may no longer sign)
     */
    public PurgeResult purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        ChainState state = store.lockChainState();
        OptionalLong firstKept = store.minSequence(cutoff, Instant.MAX);
        long through = firstKept.isPresent() ? firstKept.getAsLong() - 1 : state.headSequence();
        long already = store.latestCheckpoint(Checkpoint.Kind.PURGE)
                .map(Checkpoint::sequence)
                .orElse(0L);
        if (through <= already) {
            return new PurgeResult(already, 0, Optional.empty());
        }
        VerificationResult check = check(Optional.empty(), false);
        if (!check.intact()
                && !VerifyReasons.TAMPER_FINDING.equals(check.reasonCode())
                && check.firstBadSequence().getAsLong() <= through) {
            throw new AuditException("audit purge refused: the chain does not verify (" + check.reasonCode() + ")");
        }
        SealedEvent head = store.sealedAt(through)
                .orElseThrow(() -> new AuditException("audit purge: event at the purge point is missing"));
        Checkpoint anchor = sign(
                        Checkpoint.Kind.PURGE,
                        through,
                        Hex.decode(head.hash()),
                        config.clock().instant())
                .orElseThrow(() -> new AuditException("audit purge refused: the configured signing key was retired"));
        long deleted = store.deleteSealedThrough(through);
        store.deleteCheckpointsThrough(through, anchor);
        LOG.info("audit retention purged {} events through sequence {}", deleted, through);
        return new PurgeResult(through, deleted, Optional.of(anchor));
    }

    @Override
    public String toString() {
        return "AuditTrail[node=" + config.nodeId() + ", keyId="
                + config.signingKey().keyId() + "]";
    }
}
