package health.treatment.audit.testing;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.SealedEvent;
import health.treatment.audit.spi.AuditStore;
import health.treatment.audit.spi.ChainState;
import health.treatment.audit.spi.PendingEvent;
import health.treatment.audit.spi.SealedPosition;
import health.treatment.audit.spi.SigningKeyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Non-transactional store for unit tests (no database). */
public final class InMemoryAuditStore implements AuditStore {
    private final TreeMap<Long, AuditEvent> pending = new TreeMap<>();
    private final TreeMap<Long, SealedEvent> sealed = new TreeMap<>();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final Map<String, SigningKeyRecord> keys = new LinkedHashMap<>();
    private ChainState state = new ChainState(null, Instant.EPOCH, 0, "0".repeat(64), 0, Instant.EPOCH);
    private long nextId = 1;

    @Override
    public synchronized void append(AuditEvent event) {
        pending.put(nextId++, event);
    }

    /** A pending row that is not a valid event (as if edited in the database); {@link #unsealed} reports it so. */
    public synchronized long appendMalformed() {
        long id = nextId++;
        pending.put(id, null);
        return id;
    }

    @Override
    public synchronized ChainState lockChainState() {
        return state;
    }

    @Override
    public synchronized ChainState readChainState() {
        return state;
    }

    @Override
    public synchronized void saveChainState(ChainState s) {
        state = s;
    }

    @Override
    public synchronized List<PendingEvent> unsealed(int limit) {
        List<PendingEvent> out = new ArrayList<>();
        pending.entrySet().stream().limit(limit).forEach(e -> out.add(new PendingEvent(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public synchronized Optional<Instant> oldestPendingTime() {
        return pending.values().stream().findFirst().map(e -> e == null ? Instant.EPOCH : e.time());
    }

    @Override
    public synchronized void seal(List<SealedPosition> positions) {
        for (SealedPosition p : positions) {
            pending.remove(p.outboxId());
            sealed.put(p.sequence(), new SealedEvent(p.sequence(), p.hash(), p.event()));
        }
    }

    @Override
    public synchronized void appendSealed(List<SealedEvent> events) {
        for (SealedEvent e : events) {
            sealed.put(e.sequence(), e);
        }
    }

    @Override
    public synchronized void saveCheckpoint(Checkpoint checkpoint) {
        checkpoints.add(checkpoint);
        checkpoints.sort(Comparator.comparingLong(Checkpoint::sequence).thenComparing(Checkpoint::kind));
    }

    @Override
    public synchronized List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    @Override
    public synchronized List<Checkpoint> checkpointsAfter(long afterSequence, int limit) {
        return checkpoints.stream()
                .filter(c -> c.sequence() > afterSequence)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<Checkpoint> latestCheckpoint() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
    }

    @Override
    public synchronized Optional<Checkpoint> latestCheckpoint(Checkpoint.Kind kind) {
        return checkpoints.stream().filter(c -> c.kind() == kind).reduce((a, b) -> b);
    }

    /** Replaces a stored checkpoint (as an attacker with database access would). */
    public synchronized void replaceCheckpoint(Checkpoint old, Checkpoint replacement) {
        checkpoints.remove(old);
        saveCheckpoint(replacement);
    }

    @Override
    public synchronized List<SealedEvent> sealedRange(long fromSequence, long toSequence, int limit) {
        return sealed.subMap(fromSequence, true, toSequence, true).values().stream()
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<SealedEvent> sealedByTime(Instant from, Instant to, long afterSequence, int limit) {
        return sealed.tailMap(afterSequence, false).values().stream()
                .filter(e ->
                        !e.event().time().isBefore(from) && e.event().time().isBefore(to))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized OptionalLong minSequence(Instant from, Instant to) {
        return sealed.values().stream()
                .filter(e ->
                        !e.event().time().isBefore(from) && e.event().time().isBefore(to))
                .mapToLong(SealedEvent::sequence)
                .min();
    }

    @Override
    public synchronized OptionalLong maxSequence(Instant from, Instant to) {
        return sealed.values().stream()
                .filter(e ->
                        !e.event().time().isBefore(from) && e.event().time().isBefore(to))
                .mapToLong(SealedEvent::sequence)
                .max();
    }

    @Override
    public synchronized Optional<SealedEvent> sealedAt(long sequence) {
        return Optional.ofNullable(sealed.get(sequence));
    }

    @Override
    public synchronized OptionalLong firstSealedSequence() {
        return sealed.isEmpty() ? OptionalLong.empty() : OptionalLong.of(sealed.firstKey());
    }

    @Override
    public synchronized OptionalLong lastSealedSequence() {
        return sealed.isEmpty() ? OptionalLong.empty() : OptionalLong.of(sealed.lastKey());
    }

    @Override
    public synchronized long deleteSealedThrough(long through) {
        var head = sealed.headMap(through, true);
        long n = head.size();
        head.clear();
        return n;
    }

    @Override
    public synchronized void deleteCheckpointsThrough(long through, Checkpoint keep) {
        checkpoints.removeIf(c -> c.sequence() <= through && !c.equals(keep));
    }

    @Override
    public synchronized List<SigningKeyRecord> signingKeys() {
        return keys.values().stream()
                .sorted(Comparator.comparing(SigningKeyRecord::validFrom).thenComparing(SigningKeyRecord::keyId))
                .toList();
    }

    @Override
    public synchronized Optional<SigningKeyRecord> signingKey(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public synchronized void insertSigningKey(SigningKeyRecord key) {
        if (keys.putIfAbsent(key.keyId(), key) != null) {
            throw new IllegalStateException("duplicate key id");
        }
    }

    @Override
    public synchronized void updateSigningKey(SigningKeyRecord key) {
        if (keys.replace(key.keyId(), key) == null) {
            throw new IllegalStateException("no such key");
        }
    }
}
