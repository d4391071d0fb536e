package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.internal.Canonical;
import health.treatment.audit.internal.Hex;
import health.treatment.audit.spi.SigningKeyRecord;
import health.treatment.audit.testing.Events;
import health.treatment.audit.testing.InMemoryAuditStore;
import health.treatment.audit.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which signing keys verification trusts: the configured one, and registered ones only through endorsements. */
class SigningKeyTrustTest {
    final InMemoryAuditStore store = new InMemoryAuditStore();
    final MutableClock clock = new MutableClock(Events.T0.plus(Duration.ofHours(1)));
    final AuditSigningKey k1 = AuditSigningKey.generate();
    final AuditSigningKey k2 = AuditSigningKey.generate();
    final AuditSigningKey k3 = AuditSigningKey.generate();

    AuditTrail trail(AuditSigningKey key) {
        return AuditTrail.create(
                store, new AuditConfig("node-a", key, 10, Duration.ofDays(1), Duration.ofSeconds(30), 1000, clock));
    }

    static void recordAndSeal(AuditTrail t, int from, int toInclusive) {
        for (int i = from; i <= toInclusive; i++) {
            t.record(Events.create(i));
        }
        t.sealPending();
    }

    static void assertBroken(VerificationResult r, long sequence, String reason) {
        assertThat(r.intact()).as(r.summary()).isFalse();
        assertThat(r.reasonCode()).isEqualTo(reason);
        assertThat(r.firstBadSequence()).hasValue(sequence);
    }

    /** A checkpoint at {@code sequence} (the stored head hash there), signed by {@code key} at {@code time}. */
    Checkpoint signedBy(AuditSigningKey key, long sequence, Instant time) {
        String head = store.sealedAt(sequence).orElseThrow().hash();
        byte[] sig = key.sign(
                Canonical.checkpointMessage(Checkpoint.Kind.PERIODIC.code(), sequence, Hex.decode(head), time));
        return new Checkpoint(sequence, head, time, Checkpoint.Kind.PERIODIC, key.keyId(), Hex.encode(sig));
    }

    @Test
    void theFirstKeyRegisteredEndorsesItselfFromTheEpochAndRegisteringAgainChangesNothing() {
        AuditTrail t1 = trail(k1);
        assertThat(t1.registerSigningKey()).isTrue();
        assertThat(t1.registerSigningKey()).isFalse();
        List<SigningKeyRecord> rows = store.signingKeys();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).keyId()).isEqualTo(k1.keyId());
        assertThat(rows.get(0).endorsedBy()).isEqualTo(k1.keyId());
        assertThat(rows.get(0).validFrom()).isEqualTo(Instant.EPOCH);
        assertThat(rows.get(0).validUntil()).isEmpty();
        assertThat(t1.signingKeys())
                .containsExactly(new SigningKeyInfo(k1.keyId(), k1.publicKeyPem(), Instant.EPOCH, Optional.empty()));
    }

    @Test
    void withoutAnyRegistrationTheConfiguredKeyIsTrusted() {
        AuditTrail t1 = trail(k1);
        recordAndSeal(t1, 1, 12);
        assertThat(t1.verify().intact()).isTrue();
        assertThat(t1.signingKeys()).extracting(SigningKeyInfo::keyId).containsExactly(k1.keyId());
    }

    @Test
    void aKeyRowInsertedIntoTheDatabaseIsNeverTrusted() {
        AuditTrail t1 = trail(k1);
        t1.registerSigningKey();
        recordAndSeal(t1, 1, 12);
        AuditSigningKey rogue = AuditSigningKey.generate();
        AuditSigningKey rogue2 = AuditSigningKey.generate();
        AuditSigningKey rogue3 = AuditSigningKey.generate();
        // Retired-looking, endorsed by itself.
        store.insertSigningKey(SigningKeys.endorsed(
                rogue.keyId(), rogue.publicKey(), Instant.EPOCH, Optional.of(clock.instant()), rogue));
        // Claims the configured key as endorser, but signed by itself.
        SigningKeyRecord own = SigningKeys.endorsed(
                rogue2.keyId(), rogue2.publicKey(), Instant.EPOCH, Optional.of(Instant.EPOCH.plusSeconds(1)), rogue2);
        store.insertSigningKey(new SigningKeyRecord(
                own.keyId(), own.publicKey(), own.validFrom(), own.validUntil(), k1.keyId(), own.endorsement()));
        // Open, "endorsed" by the configured key with garbage.
        store.insertSigningKey(new SigningKeyRecord(
                rogue3.keyId(),
                SigningKeys.base64(rogue3.publicKey()),
                Instant.EPOCH,
                Optional.empty(),
                k1.keyId(),
                "ab".repeat(64)));

        assertThat(t1.signingKeys()).extracting(SigningKeyInfo::keyId).containsExactly(k1.keyId());
        for (AuditSigningKey r : List.of(rogue, rogue2, rogue3)) {
            Checkpoint genuine = store.checkpoints().get(0);
            Checkpoint forged = signedBy(r, 10, Instant.EPOCH.plusMillis(500));
            store.replaceCheckpoint(genuine, forged);
            assertBroken(t1.verify(), 10, "checkpoint_signature_invalid");
            store.replaceCheckpoint(forged, genuine);
        }
        assertThat(t1.verify().intact()).isTrue();
    }

    @Test
    void rotatedKeysStayTrustedThroughTheChainOfSuccessorsThatVouchForThem() {
        AuditTrail t1 = trail(k1);
        t1.registerSigningKey();
        recordAndSeal(t1, 1, 15); // checkpoint 10 by k1

        clock.advance(Duration.ofMinutes(1));
        Instant rotated = clock.instant();
        AuditTrail t2 = trail(k2);
        assertThat(t2.registerSigningKey()).isTrue();
        assertThat(t2.registerSigningKey()).isFalse();
        SigningKeyRecord retired = store.signingKey(k1.keyId()).orElseThrow();
        assertThat(retired.validUntil()).hasValue(rotated);
        assertThat(retired.endorsedBy()).isEqualTo(k2.keyId());
        // The node still running the retired key signs nothing any more.
        assertThat(t1.checkpointNow()).isEmpty();

        recordAndSeal(t2, 16, 25); // checkpoint 25 by k2
        VerificationResult r = t2.verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.checkpointsVerified()).isEqualTo(2);
        assertThat(r.lastSignedSequence()).isEqualTo(25);
        assertThat(t2.signingKeys())
                .containsExactly(
                        new SigningKeyInfo(k1.keyId(), k1.publicKeyPem(), Instant.EPOCH, Optional.of(rotated)),
                        new SigningKeyInfo(k2.keyId(), k2.publicKeyPem(), rotated, Optional.empty()));
        // The old key alone cannot vouch for its successor.
        assertBroken(t1.verify(), 25, "checkpoint_signature_invalid");

        clock.advance(Duration.ofMinutes(1));
        AuditTrail t3 = trail(k3);
        t3.registerSigningKey();
        recordAndSeal(t3, 26, 35);
        r = t3.verify();
        assertThat(r.intact()).as(r.summary()).isTrue();
        assertThat(r.checkpointsVerified()).isEqualTo(3);
        assertThat(t3.signingKeys())
                .extracting(SigningKeyInfo::keyId)
                .containsExactly(k1.keyId(), k2.keyId(), k3.keyId());
        assertThat(t3.signingKeys().get(1).validUntil()).isPresent();

        assertThatThrownBy(t1::registerSigningKey)
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("retired");
    }

    @Test
    void aRetiredKeysCheckpointOutsideItsPeriodIsRejected() {
        AuditTrail t1 = trail(k1);
        t1.registerSigningKey();
        recordAndSeal(t1, 1, 15);
        clock.advance(Duration.ofMinutes(1));
        AuditTrail t2 = trail(k2);
        t2.registerSigningKey();
        Instant until = store.signingKey(k1.keyId()).orElseThrow().validUntil().orElseThrow();
        // A leaked retired key signing "now": rejected although the signature is genuine.
        store.saveCheckpoint(signedBy(k1, 15, until.plusSeconds(1)));
        assertBroken(t2.verify(), 15, "checkpoint_outside_key_validity");
    }

    @Test
    void aRetiredKeysPeriodEditedInTheRegistryLosesItsTrust() {
        AuditTrail t1 = trail(k1);
        t1.registerSigningKey();
        recordAndSeal(t1, 1, 15);
        clock.advance(Duration.ofMinutes(1));
        AuditTrail t2 = trail(k2);
        t2.registerSigningKey();
        assertThat(t2.verify().intact()).isTrue();
        SigningKeyRecord row = store.signingKey(k1.keyId()).orElseThrow();
        store.updateSigningKey(new SigningKeyRecord(
                row.keyId(),
                row.publicKey(),
                row.validFrom(),
                Optional.of(row.validUntil().orElseThrow().plus(Duration.ofDays(365))),
                row.endorsedBy(),
                row.endorsement()));
        assertThat(t2.signingKeys()).extracting(SigningKeyInfo::keyId).containsExactly(k2.keyId());
        assertBroken(t2.verify(), 10, "checkpoint_signature_invalid");
    }

    @Test
    void atRotationNoRowIsEndorsedWhenMoreThanOneClaimsToBeCurrent() {
        AuditTrail t1 = trail(k1);
        t1.registerSigningKey();
        AuditSigningKey rogue = AuditSigningKey.generate();
        store.insertSigningKey(
                SigningKeys.endorsed(rogue.keyId(), rogue.publicKey(), Instant.EPOCH, Optional.empty(), rogue));
        clock.advance(Duration.ofMinutes(1));
        AuditTrail t2 = trail(k2);
        assertThat(t2.registerSigningKey()).isTrue();
        assertThat(store.signingKey(rogue.keyId()).orElseThrow().validUntil()).isEmpty();
        assertThat(store.signingKey(k1.keyId()).orElseThrow().validUntil()).isEmpty();
        assertThat(t2.signingKeys()).extracting(SigningKeyInfo::keyId).containsExactly(k2.keyId());
    }

    @Test
    void aRegistryRowWithTheConfiguredKeyIdButAnotherPublicKeyIsRefused() {
        store.insertSigningKey(new SigningKeyRecord(
                k1.keyId(), SigningKeys.base64(k2.publicKey()), Instant.EPOCH, Optional.empty(), k1.keyId(), "00"));
        assertThatThrownBy(() -> trail(k1).registerSigningKey())
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("another public key");
    }
}
