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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The audit trail facade. Every method runs inside the CALLER's transaction (see the package documentation for the
 * write/seal window); none of them begins or commits one. Thread-safe: it holds only immutable configuration.
 */
public final class AuditTrail {

    /** Log4j2 logger that receives one JSON line per recorded event (the WAR routes it to a rolling file / SIEM). */
    public static final String AUDIT_LOGGER_NAME = "health.treatment.audit.log";

    /**
     * The trail's schema migrations (Flyway scripts on this jar's class path, versions 100 and up), for applications
     * that list their migrations explicitly instead of scanning the class path.
     */
    public static final List<String> MIGRATIONS = List.of("db/migration/audit/V100__audit_trail.sql",
            "db/migration/audit/V101__audit_outbox.sql");

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

    /**
     * Appends the event as one unsealed outbox row in the caller's transaction (no lock, no read of the chain head),
     * then writes it as one JSON line to {@link #AUDIT_LOGGER_NAME}. The log line is written once the insert was
     * accepted by the store; if the caller's transaction later rolls back, the log shows an attempt the trail lacks,
     * never the reverse.
     */
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        store.append(event);
        AUDIT_LOG.info(event.toJson());
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
     * window between write and seal: if the transaction rolls back, so does the chain extension. Writes no log line
     * (see {@link #logCommitted}). Works alongside {@link #record}/{@link #sealPending}, which share the lock.
     */
    public void appendSealed(List<AuditEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return;
        }
        ChainState state = store.lockChainState();
        Instant now = config.clock().instant();
        long seq = state.headSequence();
        byte[] hash = Hex.decode(state.headHash());
        long cpSeq = state.checkpointSequence();
        Instant cpTime = state.checkpointTime();
        List<SealedEvent> chained = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            seq++;
            hash = Canonical.chain(hash, e, seq);
            chained.add(new SealedEvent(seq, Hex.encode(hash), e));
            if (seq - cpSeq >= config.checkpointEveryEvents()) {
                store.appendSealed(chained);
                chained.clear();
                writeCheckpoint(Checkpoint.Kind.PERIODIC, seq, hash, now);
                cpSeq = seq;
                cpTime = now;
            }
        }
        store.appendSealed(chained);
        store.saveChainState(new ChainState(state.leaseHolder(), state.leaseExpires(), seq, Hex.encode(hash), cpSeq,
                cpTime));
    }

    /** Writes one JSON line per event to {@link #AUDIT_LOGGER_NAME}; call after the appending transaction committed. */
    public static void logCommitted(List<AuditEvent> events) {
        for (AuditEvent event : events) {
            AUDIT_LOG.info(event.toJson());
        }
    }

    /**
     * Seals pending events: call it from the sealer job inside a transaction, every second or so on every node. Only
     * the lease holder works; the lease lives in the database chain-state row, taken with a pessimistic lock, so two
     * nodes can never extend the chain concurrently (the second waits for the row, then sees the lease). A lapsed
     * lease (crashed leader) is taken over. Returns {@link SealResult#notLeader()} on non-leaders.
     */
    public SealResult sealPending() {
        ChainState state = store.lockChainState();
        Instant now = config.clock().instant();
        String holder = state.leaseHolder();
        if (holder != null && !holder.equals(config.nodeId()) && state.leaseExpires().isAfter(now)) {
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
        int checkpoints = 0;
        List<PendingEvent> pending = store.unsealed(config.sealBatchSize());
        List<SealedPosition> positions = new ArrayList<>(pending.size());
        for (PendingEvent p : pending) {
            seq++;
            hash = Canonical.chain(hash, p.event(), seq);
            positions.add(new SealedPosition(p.outboxId(), seq, Hex.encode(hash), p.event()));
            sealed++;
            if (seq - cpSeq >= config.checkpointEveryEvents()) {
                store.seal(positions);
                positions.clear();
                writeCheckpoint(Checkpoint.Kind.PERIODIC, seq, hash, now);
                cpSeq = seq;
                cpTime = now;
                checkpoints++;
            }
        }
        if (!positions.isEmpty()) {
            store.seal(positions);
        }
        if (seq > cpSeq && !Duration.between(cpTime, now).minus(config.checkpointInterval()).isNegative()) {
            writeCheckpoint(Checkpoint.Kind.PERIODIC, seq, hash, now);
            cpSeq = seq;
            cpTime = now;
            checkpoints++;
        }
        store.saveChainState(new ChainState(config.nodeId(), now.plus(config.leaseDuration()), seq, Hex.encode(hash),
                cpSeq, cpTime));
        return new SealResult(true, sealed, seq, checkpoints);
    }

    /**
     * Signs a checkpoint for the current head now, whatever the thresholds (e.g. before an export or at shutdown).
     * Leader only, like {@link #sealPending()}; returns empty when not leader or when the head already has one.
     */
    public Optional<Checkpoint> checkpointNow() {
        ChainState state = store.lockChainState();
        Instant now = config.clock().instant();
        String holder = state.leaseHolder();
        if (holder != null && !holder.equals(config.nodeId()) && state.leaseExpires().isAfter(now)) {
            return Optional.empty();
        }
        if (state.headSequence() == state.checkpointSequence()) {
            return Optional.empty();
        }
        Checkpoint c = writeCheckpoint(Checkpoint.Kind.PERIODIC, state.headSequence(), Hex.decode(state.headHash()),
                now);
        store.saveChainState(new ChainState(config.nodeId(), now.plus(config.leaseDuration()), state.headSequence(),
                state.headHash(), state.headSequence(), now));
        return Optional.of(c);
    }

    private Checkpoint writeCheckpoint(Checkpoint.Kind kind, long sequence, byte[] head, Instant time) {
        Instant t = time.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        byte[] sig = config.signingKey().sign(Canonical.checkpointMessage(kind, sequence, head, t));
        Checkpoint c = new Checkpoint(sequence, Hex.encode(head), t, kind, config.signingKey().keyId(),
                Hex.encode(sig));
        store.saveCheckpoint(c);
        return c;
    }

    /**
     * Verifies the whole stored chain against this trail's public key: every stored hash is recomputed from the event
     * fields, sequences must be gap-free from the anchor (genesis or the latest purge checkpoint), every checkpoint
     * signature must verify and match the recomputed head at its sequence, and no checkpoint (nor the chain-state head)
     * may point past the last stored event. Unsealed events are not covered.
     */
    public VerificationResult verify() {
        ChainState state = store.readChainState();
        List<Checkpoint> checkpoints = store.checkpoints();
        ChainVerifier v = new ChainVerifier(config.signingKey().publicKey());
        Checkpoint anchor = null;
        for (Checkpoint c : checkpoints) {
            if (c.kind() == Checkpoint.Kind.PURGE && (anchor == null || c.sequence() > anchor.sequence())) {
                anchor = c;
            }
        }
        if (anchor != null) {
            if (!anchor.verifySignature(config.signingKey().publicKey())) {
                v.fail(anchor.sequence(), "checkpoint_signature_invalid");
                return v.finish(0);
            }
            v.anchor(anchor.sequence(), Hex.decode(anchor.headHash()));
        }
        for (Checkpoint c : checkpoints) {
            v.checkpoint(c);
        }
        long next = v.anchorSequence() + 1;
        while (!v.failed()) {
            List<SealedEvent> page;
            try {
                page = store.sealedRange(next, Long.MAX_VALUE, PAGE);
            } catch (InvalidStoredEventException bad) {
                // Check what precedes the bad row first, so an earlier failure is still reported first.
                for (SealedEvent e : store.sealedRange(next, bad.sequence() - 1, PAGE)) {
                    v.event(e.sequence(), e.hash(), e.event());
                }
                v.event(bad.sequence(), "", null);
                break;
            }
            for (SealedEvent e : page) {
                v.event(e.sequence(), e.hash(), e.event());
            }
            if (page.size() < PAGE) {
                break;
            }
            next = page.get(page.size() - 1).sequence() + 1;
        }
        return v.finish(state.headSequence());
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
        Optional<String> next = more ? Optional.of(encodeCursor(page.get(page.size() - 1).sequence()))
                : Optional.empty();
        return new AuditPage(new ArrayList<>(page), next);
    }

    private static String encodeCursor(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
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

    /**
     * Writes an NDJSON export that {@link AuditVerifier#verifyExport} (or the CLI) can check offline: a header line,
     * a start line (the chain hash before the first exported event), every sealed event from the first to the last
     * one whose time is in [from, to) (events in between are included whatever their time, so the chain stays
     * contiguous), extended to the next checkpoint so the tail is covered by a signature, and the checkpoints in that
     * range, each right after the event it covers. Nothing is written for an empty range except the header.
     */
    public void export(Instant from, Instant to, OutputStream ndjson) {
        try {
            ExportWriter w = new ExportWriter(ndjson);
            w.header(from, to, config.signingKey().keyId());
            OptionalLong first = store.minSequence(from, to);
            OptionalLong last = store.maxSequence(from, to);
            if (first.isEmpty() || last.isEmpty()) {
                w.flush();
                return;
            }
            long a = first.getAsLong();
            long b = last.getAsLong();
            List<Checkpoint> checkpoints = store.checkpoints();
            for (Checkpoint c : checkpoints) {
                if (c.kind() == Checkpoint.Kind.PERIODIC && c.sequence() >= b) {
                    b = c.sequence();
                    break;
                }
            }
            byte[] startHash = startHash(a - 1, checkpoints);
            w.start(a - 1, Hex.encode(startHash));
            for (Checkpoint c : checkpoints) {
                if (c.sequence() == a - 1) {
                    w.checkpoint(c);
                }
            }
            long next = a;
            int ci = 0;
            while (next <= b) {
                List<SealedEvent> page = store.sealedRange(next, b, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                for (SealedEvent e : page) {
                    w.event(e);
                    while (ci < checkpoints.size() && checkpoints.get(ci).sequence() <= e.sequence()) {
                        if (checkpoints.get(ci).sequence() == e.sequence()) {
                            w.checkpoint(checkpoints.get(ci));
                        }
                        ci++;
                    }
                }
                next = page.get(page.size() - 1).sequence() + 1;
            }
            w.flush();
        } catch (IOException e) {
            throw new AuditException("audit export: write failed", e);
        }
    }

    private byte[] startHash(long sequence, List<Checkpoint> checkpoints) {
        if (sequence == 0) {
            return Canonical.GENESIS;
        }
        for (Checkpoint c : checkpoints) {
            if (c.sequence() == sequence) {
                return Hex.decode(c.headHash());
            }
        }
        return store.sealedAt(sequence).map(e -> Hex.decode(e.hash()))
                .orElseThrow(() -> new AuditException("audit export: chain start not found"));
    }

    /**
     * Retention: deletes the longest prefix of the SEALED chain whose events are all older than {@code cutoff} (never
     * leaving a gap), after verifying that prefix, and writes a signed PURGE checkpoint "purged up to N with head H"
     * from which {@link #verify()} and exports start. Takes the chain-state lock, so it serialises with the sealer.
     *
     * @throws AuditException when the chain does not verify (nothing is deleted then)
     */
    public PurgeResult purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        ChainState state = store.lockChainState();
        OptionalLong firstKept = store.minSequence(cutoff, Instant.MAX);
        long through = firstKept.isPresent() ? firstKept.getAsLong() - 1 : state.headSequence();
        long already = 0;
        for (Checkpoint c : store.checkpoints()) {
            if (c.kind() == Checkpoint.Kind.PURGE) {
                already = Math.max(already, c.sequence());
            }
        }
        if (through <= already) {
            return new PurgeResult(already, 0, Optional.empty());
        }
        VerificationResult check = verify();
        if (!check.intact() && check.firstBadSequence().getAsLong() <= through) {
            throw new AuditException("audit purge refused: the chain does not verify (" + check.reasonCode() + ")");
        }
        SealedEvent head = store.sealedAt(through)
                .orElseThrow(() -> new AuditException("audit purge: event at the purge point is missing"));
        Checkpoint anchor = writeCheckpoint(Checkpoint.Kind.PURGE, through, Hex.decode(head.hash()),
                config.clock().instant());
        long deleted = store.deleteSealedThrough(through);
        store.deleteCheckpointsThrough(through, anchor);
        LOG.info("audit retention purged {} events through sequence {}", deleted, through);
        return new PurgeResult(through, deleted, Optional.of(anchor));
    }

    @Override
    public String toString() {
        return "AuditTrail[node=" + config.nodeId() + ", keyId=" + config.signingKey().keyId() + "]";
    }
}
