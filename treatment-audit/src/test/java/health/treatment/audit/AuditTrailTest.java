package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.testing.CaptureAppender;
import health.treatment.audit.testing.Events;
import health.treatment.audit.testing.InMemoryAuditStore;
import health.treatment.audit.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trail on the in-memory store: checkpoints listing and logging, freshness, trusted checkpoints, findings. */
class AuditTrailTest {
    static final Instant T = Events.T0;
    final InMemoryAuditStore store = new InMemoryAuditStore();
    final MutableClock clock = new MutableClock(T);
    final AuditSigningKey key = AuditSigningKey.generate();
    final AuditConfig config =
            new AuditConfig("node-a", key, 10, Duration.ofSeconds(60), Duration.ofSeconds(30), 1000, clock);
    final AuditTrail trail = AuditTrail.create(store, config);

    void recordAndSeal(int from, int toInclusive) {
        for (int i = from; i <= toInclusive; i++) {
            trail.record(Events.create(i));
        }
        trail.sealPending();
    }

    static void assertBroken(VerificationResult r, long sequence, String reason) {
        assertThat(r.intact()).as(r.summary()).isFalse();
        assertThat(r.reasonCode()).isEqualTo(reason);
        assertThat(r.firstBadSequence()).hasValue(sequence);
    }

    Checkpoint fake(long sequence, Checkpoint.Kind kind) {
        return new Checkpoint(sequence, "0".repeat(64), T, kind, key.keyId(), "00".repeat(64));
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void staleAfterDefaultsToThreeCheckpointIntervalsAndHasAWither() {
        assertThat(AuditConfig.defaults("n", key).staleAfterIntervals()).isEqualTo(3);
        assertThat(AuditConfig.defaults("n", key).staleAfter()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.staleAfterIntervals()).isEqualTo(3);
        assertThat(config.withStaleAfterIntervals(10).staleAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.withStaleAfterIntervals(10).checkpointInterval()).isEqualTo(config.checkpointInterval());
        assertThatThrownBy(() -> config.withStaleAfterIntervals(0))
                .isInstanceOf(AuditException.class)
                .hasMessage("audit config: staleAfterIntervals must be 1..10000");
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void checkpointsArePagedInSequenceOrderWithoutSplittingOneSequence() {
        for (long s = 1; s <= 5; s++) {
            store.saveCheckpoint(fake(s, Checkpoint.Kind.PERIODIC));
        }
        store.saveCheckpoint(fake(3, Checkpoint.Kind.PURGE));
        assertThat(trail.checkpoints(0, 3)).extracting(Checkpoint::sequence).containsExactly(1L, 2L);
        assertThat(trail.checkpoints(2, 3)).extracting(Checkpoint::sequence).containsExactly(3L, 3L, 4L);
        assertThat(trail.checkpoints(2, 3))
                .extracting(Checkpoint::kind)
                .containsExactly(Checkpoint.Kind.PERIODIC, Checkpoint.Kind.PURGE, Checkpoint.Kind.PERIODIC);
        assertThat(trail.checkpoints(4, 1000)).extracting(Checkpoint::sequence).containsExactly(5L);
        assertThat(trail.checkpoints(5, 1)).isEmpty();
        assertThat(trail.latestCheckpoint()).map(Checkpoint::sequence).hasValue(5L);
        for (int bad : new int[] {0, -1, 1001}) {
            assertThatThrownBy(() -> trail.checkpoints(0, bad))
                    .isInstanceOf(AuditException.class)
                    .hasMessage("audit query: limit must be 1..1000");
        }
        assertThatThrownBy(() -> trail.checkpoints(-1, 10)).isInstanceOf(AuditException.class);
    }

    @Test
    void signedCheckpointsAreReportedAndReachTheAuditLogOnlyThroughLogCommittedCheckpoints() {
        CaptureAppender.clear();
        for (int i = 1; i <= 25; i++) {
            trail.record(Events.create(i));
        }
        SealResult r = trail.sealPending();
        assertThat(r.checkpoints()).extracting(Checkpoint::sequence).containsExactly(10L, 20L);
        assertThat(r.checkpointsWritten()).isEqualTo(2);
        assertThat(r.tamperFindings()).isEmpty();
        List<Checkpoint> appended = trail.appendSealed(
                List.of(Events.create(26), Events.create(27), Events.create(28), Events.create(29), Events.create(30)));
        assertThat(appended).extracting(Checkpoint::sequence).containsExactly(30L);
        trail.appendSealed(List.of(Events.create(31)));
        Optional<Checkpoint> now = trail.checkpointNow();
        assertThat(now).map(Checkpoint::sequence).hasValue(31L);
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME)).isEmpty();

        AuditTrail.logCommittedCheckpoints(r.checkpoints());
        List<String> lines = CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME);
        assertThat(lines)
                .containsExactly(
                        "{\"type\":\"checkpoint\","
                                + r.checkpoints().get(0).toJson().substring(1),
                        "{\"type\":\"checkpoint\","
                                + r.checkpoints().get(1).toJson().substring(1));
        assertThat(lines.get(0)).startsWith("{\"type\":\"checkpoint\",\"sequence\":10,\"head_hash\":\"");
        assertThat(trail.latestCheckpoint()).isEqualTo(now);
        assertThat(Checkpoint.fromJson(now.get().toJson())).isEqualTo(now.get());
    }

    // ------------------------------------------------------------------ freshness

    @Test
    void anEventOlderThanStaleAfterWithoutASignedCheckpointFailsVerification() {
        trail.record(Events.at(T, 1));
        assertThat(trail.sealPending().checkpointsWritten()).isEqualTo(1); // first run: the interval has elapsed
        clock.advance(Duration.ofSeconds(10));
        trail.record(Events.at(T.plusSeconds(10), 2));
        assertThat(trail.sealPending().checkpointsWritten()).isZero();

        clock.set(T.plusSeconds(100));
        VerificationResult fresh = trail.verify();
        assertThat(fresh.intact()).as(fresh.summary()).isTrue();
        assertThat(fresh.lastSignedSequence()).isEqualTo(1);
        assertThat(fresh.lastSignedTime()).hasValue(T);
        assertThat(fresh.oldestUnsignedEventTime()).hasValue(T.plusSeconds(10));

        clock.set(T.plusSeconds(191));
        VerificationResult stale = trail.verify();
        assertBroken(stale, 2, "unsigned_tail_stale");
        assertThat(stale.oldestUnsignedEventTime()).hasValue(T.plusSeconds(10));
        assertThat(AuditTrail.create(store, config.withStaleAfterIntervals(10))
                        .verify()
                        .intact())
                .isTrue();

        assertThat(trail.sealPending().checkpointsWritten()).isEqualTo(1);
        VerificationResult signed = trail.verify();
        assertThat(signed.intact()).as(signed.summary()).isTrue();
        assertThat(signed.oldestUnsignedEventTime()).isEmpty();
        assertThat(signed.lastSignedTime()).hasValue(T.plusSeconds(191));
    }

    @Test
    void aPendingEventThatWaitsTooLongForSealingFailsVerificationToo() {
        recordAndSeal(1, 10);
        trail.record(Events.at(T.plusSeconds(20), 11)); // never sealed: the sealer is down
        clock.set(T.plusSeconds(150));
        assertThat(trail.verify().intact()).isTrue();
        clock.set(T.plusSeconds(201));
        VerificationResult r = trail.verify();
        assertBroken(r, 11, "unsigned_tail_stale");
        assertThat(r.oldestUnsignedEventTime()).hasValue(T.plusSeconds(20));
    }

    // ------------------------------------------------------------------ trusted checkpoints

    @Test
    void aTrustedCheckpointMustBeSignedByATrustedKeyAndBeInTheChain() {
        recordAndSeal(1, 25);
        Checkpoint kept = trail.latestCheckpoint().orElseThrow();
        assertThat(trail.verify(Optional.of(kept)).intact()).isTrue();
        assertThat(trail.verify(Optional.of(store.checkpoints().get(0))).intact())
                .isTrue();

        // Signed by someone else: not evidence of anything.
        AuditSigningKey other = AuditSigningKey.generate();
        Checkpoint foreign = sign(other, kept.sequence(), kept.headHash());
        assertBroken(trail.verify(Optional.of(foreign)), 20, "trusted_checkpoint_invalid");
        // Genuinely signed, but for another head at 20: the history was rewritten since.
        assertBroken(trail.verify(Optional.of(sign(key, 20, "ab".repeat(32)))), 20, "trusted_checkpoint_mismatch");
        // Genuinely signed, beyond what is stored: truncated.
        assertBroken(trail.verify(Optional.of(sign(key, 40, "ab".repeat(32)))), 40, "trusted_checkpoint_missing");
        // The empty chain's checkpoint is extended by every chain.
        assertThat(trail.verify(Optional.of(sign(key, 0, "0".repeat(64)))).intact())
                .isTrue();
    }

    @Test
    void aTrustedCheckpointBelowThePurgeAnchorCanNoLongerBeCompared() {
        recordAndSeal(1, 25);
        Checkpoint old = store.checkpoints().get(0); // 10
        PurgeResult p = trail.purgeBefore(T.plusSeconds(13));
        assertThat(p.purgedThroughSequence()).isEqualTo(12);
        assertBroken(trail.verify(Optional.of(old)), 10, "trusted_checkpoint_purged");
        assertThat(trail.verify(Optional.of(p.anchor().orElseThrow())).intact()).isTrue();
        assertThat(trail.verify(Optional.of(trail.latestCheckpoint().orElseThrow()))
                        .intact())
                .isTrue();
    }

    Checkpoint sign(AuditSigningKey k, long sequence, String head) {
        Instant t = clock.instant();
        byte[] sig =
                k.sign(Canonical.checkpointMessage(Checkpoint.Kind.PERIODIC.code(), sequence, Hex.decode(head), t));
        return new Checkpoint(sequence, head, t, Checkpoint.Kind.PERIODIC, k.keyId(), Hex.encode(sig));
    }

    // ------------------------------------------------------------------ tamper findings

    @Test
    void anInvalidPendingRowIsSealedAsATamperFindingInItsPlaceAndSealingGoesOn() {
        trail.record(Events.create(1));
        long bad = store.appendMalformed();
        trail.record(Events.create(3));
        SealResult r = trail.sealPending();
        assertThat(r.sealed()).isEqualTo(3);
        assertThat(r.tamperFindings()).containsExactly(2L);
        AuditEvent finding = store.sealedAt(2).orElseThrow().event();
        assertThat(finding.action()).isEqualTo("audit.tamper_detected");
        assertThat(finding.reasonCode()).isEqualTo("invalid_outbox_row");
        assertThat(finding.outcome()).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(finding.resourceType()).isEqualTo("AuditEvent");
        assertThat(finding.nodeId()).isEqualTo("node-a");
        assertThat(finding.requestId()).isEqualTo("outbox-" + bad);
        assertThat(finding.clientId()).isNull();
        assertThat(store.unsealed(10)).isEmpty();
        assertBroken(trail.verify(), 2, "tamper_finding");

        recordAndSeal(4, 4);
        assertThat(store.lastSealedSequence()).hasValue(4);
        // Retention may remove the finding; afterwards the remainder is intact again.
        clock.set(T.plusSeconds(3600));
        assertThat(trail.purgeBefore(T.plusSeconds(3600)).purgedThroughSequence())
                .isEqualTo(4);
        assertThat(trail.verify().intact()).isTrue();
    }

    // ------------------------------------------------------------------ export by sequence

    @Test
    void exportBySequenceIsClampedToWhatIsStoredAndExtendedToTheNextCheckpoint() throws IOException {
        recordAndSeal(1, 25);
        String part = export(12, 14);
        assertThat(part.split("\n")[0])
                .isEqualTo("{\"type\":\"header\",\"format\":\"treatment-audit-export/1\","
                        + "\"from_sequence\":12,\"to_sequence\":14,\"key_id\":\"" + key.keyId() + "\"}");
        assertThat(part.split("\n")[1]).startsWith("{\"type\":\"start\",\"sequence\":11,");
        assertThat(part.split("\n")).hasSize(2 + 9 + 1);
        VerificationResult r = AuditVerifier.verifyExport(new ByteArrayInputStream(part.getBytes()), key.publicKey());
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.eventsChecked()).isEqualTo(9);
        assertThat(export(-5, Long.MAX_VALUE).split("\n")).hasSize(2 + 25 + 2);
        assertThat(export(30, 40).split("\n")).hasSize(1);
        assertThat(export(20, 10).split("\n")).hasSize(1);
        // The unsigned tail is exported as it is (no later checkpoint to extend to).
        assertThat(export(23, 23).split("\n")).hasSize(2 + 1);
    }

    String export(long from, long to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        trail.export(from, to, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void recordAppendsWithoutLogging() {
        CaptureAppender.clear();
        AuditTrail t =
                AuditTrail.create(store, AuditConfig.defaults("node-a", key).withStaleAfterIntervals(5));
        t.record(Events.create(1));
        assertThat(store.unsealed(10)).hasSize(1);
        assertThat(CaptureAppender.linesOf(AuditTrail.AUDIT_LOGGER_NAME)).isEmpty();
        assertThat(t.config().staleAfter()).isEqualTo(Duration.ofMinutes(5));
    }
}
