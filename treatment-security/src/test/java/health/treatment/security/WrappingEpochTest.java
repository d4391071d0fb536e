package health.treatment.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.security.internal.KeyRingManager;
import health.treatment.security.internal.PatientKeys;
import health.treatment.security.keys.DevelopmentKeyEncryptionKeySource;
import health.treatment.security.keys.DirectoryKeysetStore;
import health.treatment.security.keys.Pkcs12KeyEncryptionKeySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-patient keys wrapped under wrapping-key epochs: rotation, destruction, layout 1, several nodes. */
class WrappingEpochTest {
    private static final FieldBinding BINDING = new FieldBinding("rec-1", "document");

    @TempDir
    Path dir;

    private Path keys;
    private PhiProtection phi;
    private PatientReference alice;
    private PatientReference bob;

    @BeforeEach
    void open() {
        keys = dir.resolve("keys");
        phi = PhiProtection.open(SecurityConfig.development(keys));
        alice = phi.pseudonym("MRN-ALICE");
        bob = phi.pseudonym("MRN-BOB");
    }

    @Test
    void aNewInstallationStartsInEpochOneAndNewKeysNameIt() {
        assertThat(phi.wrappingEpochs()).isEqualTo(new WrappingEpochStatus(1, List.of(1), false));
        assertThat(phi.newPatientKey(alice).wrappingEpoch()).isEqualTo(1);
        assertThat(phi.newPatientKey(alice).bytes()[0]).as("layout").isEqualTo((byte) 2);
        assertThat(Files.exists(keysets().resolve("patient-wrap-1.tink"))).isTrue();
        assertThat(Files.exists(keysets().resolve("patient-wrap-state.tink"))).isTrue();
        assertThat(phi.toString()).contains("wrappingEpoch=1");
    }

    @Test
    void aWrappedKeyCopiedToAnotherPatientDoesNotUnwrap() throws Exception {
        WrappedPatientKey aliceKey = phi.newPatientKey(alice);
        byte[] note = phi.encryptForPatient(alice, aliceKey, "alice notes", BINDING);
        assertThat(phi.decryptForPatient(alice, aliceKey, note, BINDING)).isEqualTo("alice notes");

        assertThatThrownBy(() -> phi.decryptForPatient(bob, aliceKey, note, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
        assertThatThrownBy(() -> phi.encryptForPatient(bob, aliceKey, "bob notes", BINDING))
                .isInstanceOf(TreatmentSecurityException.class);
        assertThatThrownBy(() -> phi.rewrapPatientKey(bob, aliceKey)).isInstanceOf(PhiDecryptionException.class);

        // Editing the clear patient reference inside the wrapped key breaks its associated data.
        byte[] edited = aliceKey.bytes();
        byte[] bobRef = bob.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(bobRef, 0, edited, 6, bobRef.length);
        assertThatThrownBy(() -> phi.decryptForPatient(bob, new WrappedPatientKey(edited), note, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
    }

    @Test
    void everyBitFlipOfAWrappedKeyFailsToUnwrap() {
        WrappedPatientKey key = phi.newPatientKey(alice);
        byte[] bytes = key.bytes();
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] tampered = bytes.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int flipped = bit;
            assertThatThrownBy(() -> phi.rewrapPatientKey(alice, new WrappedPatientKey(tampered)))
                    .as("bit %d", flipped)
                    .isInstanceOf(PhiDecryptionException.class);
        }
    }

    @Test
    void aRotationRewrapsKeysWithoutTouchingDataAndDestroyingTheOldEpochRetiresEveryOldCopy() throws Exception {
        WrappedPatientKey backupCopy = phi.newPatientKey(alice); // as a backup taken now would hold it
        byte[] note = phi.encryptForPatient(alice, backupCopy, "alice notes", BINDING);

        assertThat(phi.beginWrappingEpoch()).isEqualTo(2);
        assertThat(phi.newPatientKey(bob).wrappingEpoch()).isEqualTo(2);
        assertThat(phi.decryptForPatient(alice, backupCopy, note, BINDING))
                .as("old epoch still held")
                .isEqualTo("alice notes");
        WrappedPatientKey live = phi.rewrapPatientKey(alice, backupCopy);
        assertThat(live.wrappingEpoch()).isEqualTo(2);
        assertThat(live).isNotEqualTo(backupCopy);
        assertThat(phi.decryptForPatient(alice, live, note, BINDING)).isEqualTo("alice notes");

        phi.destroyWrappingEpochsBefore(2);
        assertThat(phi.wrappingEpochs()).isEqualTo(new WrappingEpochStatus(2, List.of(2), false));
        assertThat(Files.exists(keysets().resolve("patient-wrap-1.tink"))).isFalse();
        assertThatThrownBy(() -> phi.decryptForPatient(alice, backupCopy, note, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
        assertThatThrownBy(() -> phi.rewrapPatientKey(alice, backupCopy)).isInstanceOf(PhiDecryptionException.class);
        assertThat(phi.decryptForPatient(alice, live, note, BINDING)).isEqualTo("alice notes");

        PhiProtection restarted = PhiProtection.open(SecurityConfig.development(keys));
        assertThat(restarted.wrappingEpochs()).isEqualTo(phi.wrappingEpochs());
        assertThat(restarted.decryptForPatient(alice, live, note, BINDING)).isEqualTo("alice notes");
        assertThatThrownBy(() -> restarted.decryptForPatient(alice, backupCopy, note, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
    }

    @Test
    void destructionKeepsTheCurrentEpochAndCanBeRepeated() {
        assertThatThrownBy(() -> phi.destroyWrappingEpochsBefore(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> phi.destroyWrappingEpochsBefore(0)).isInstanceOf(IllegalArgumentException.class);
        phi.destroyWrappingEpochsBefore(1); // nothing older: no change
        phi.beginWrappingEpoch();
        phi.beginWrappingEpoch();
        phi.destroyWrappingEpochsBefore(3);
        phi.destroyWrappingEpochsBefore(3);
        assertThat(phi.wrappingEpochs().epochs()).containsExactly(3);
        assertThat(Files.exists(keysets().resolve("patient-wrap-2.tink"))).isFalse();
    }

    @Test
    void aNodeThatMeetsAnEpochItDoesNotHoldReloadsAndDropsDestroyedEpochsOnReload() throws Exception {
        PhiProtection secondNode = PhiProtection.open(SecurityConfig.development(keys));
        WrappedPatientKey old = secondNode.newPatientKey(alice);
        byte[] oldNote = secondNode.encryptForPatient(alice, old, "old", BINDING);
        assertThat(phi.decryptForPatient(alice, old, oldNote, BINDING)).isEqualTo("old");

        phi.beginWrappingEpoch();
        WrappedPatientKey fresh = phi.newPatientKey(bob);
        byte[] freshNote = phi.encryptForPatient(bob, fresh, "fresh", BINDING);
        assertThat(secondNode.decryptForPatient(bob, fresh, freshNote, BINDING)).isEqualTo("fresh");
        assertThat(secondNode.wrappingEpochs().current()).isEqualTo(2);

        phi.destroyWrappingEpochsBefore(2);
        secondNode.reload();
        assertThat(secondNode.wrappingEpochs().epochs()).containsExactly(2);
        assertThatThrownBy(() -> secondNode.decryptForPatient(alice, old, oldNote, BINDING))
                .as("the cached unwrapped key is gone too")
                .isInstanceOf(PhiDecryptionException.class);
    }

    @Test
    void anInstallationFromBeforeEpochsGetsEpochOneAndItsLayoutOneKeysWorkUntilRetired() throws Exception {
        deleteWrappingEpochs();
        PhiProtection upgraded = PhiProtection.open(SecurityConfig.development(keys));
        assertThat(upgraded.wrappingEpochs()).isEqualTo(new WrappingEpochStatus(1, List.of(1), true));

        WrappedPatientKey legacy = layoutOneKey(alice);
        assertThat(legacy.wrappingEpoch()).isZero();
        byte[] note = upgraded.encryptForPatient(alice, legacy, "legacy notes", BINDING);
        assertThat(upgraded.decryptForPatient(alice, legacy, note, BINDING)).isEqualTo("legacy notes");
        assertThatThrownBy(() -> upgraded.rewrapPatientKey(bob, legacy)).isInstanceOf(PhiDecryptionException.class);

        assertThat(upgraded.beginWrappingEpoch()).isEqualTo(2);
        WrappedPatientKey moved = upgraded.rewrapPatientKey(alice, legacy);
        assertThat(moved.wrappingEpoch()).isEqualTo(2);
        upgraded.destroyWrappingEpochsBefore(2);

        assertThat(upgraded.wrappingEpochs().legacyKeysAccepted()).isFalse();
        assertThat(upgraded.decryptForPatient(alice, moved, note, BINDING)).isEqualTo("legacy notes");
        assertThatThrownBy(() -> upgraded.decryptForPatient(alice, legacy, note, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
        assertThat(PhiProtection.open(SecurityConfig.development(keys))
                        .wrappingEpochs()
                        .legacyKeysAccepted())
                .isFalse();
    }

    @Test
    void productionOpensAPreEpochRingWithEpochOneButNeverCreatesARing() throws Exception {
        Path kek = dir.resolve("prod/kek.p12");
        Secret password = Secret.of("prod-password".toCharArray());
        Pkcs12KeyEncryptionKeySource.createKeystore(kek, password, "phi-kek");
        Path prodKeysets = dir.resolve("prod/keysets");
        SecurityConfig production = SecurityConfig.production(prodKeysets, kek, password, "phi-kek");
        PhiProtection.bootstrap(production);
        assertThat(PhiProtection.open(production).wrappingEpochs())
                .isEqualTo(new WrappingEpochStatus(1, List.of(1), false));

        Files.delete(prodKeysets.resolve("patient-wrap-1.tink"));
        Files.delete(prodKeysets.resolve("patient-wrap-state.tink"));
        assertThat(PhiProtection.open(production).wrappingEpochs())
                .isEqualTo(new WrappingEpochStatus(1, List.of(1), true));

        assertThatThrownBy(() -> PhiProtection.bootstrap(production))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("key bootstrap refused");
    }

    @Test
    void lostOrDamagedEpochStateIsNeverGuessed() throws Exception {
        phi.beginWrappingEpoch();
        Files.copy(
                keysets().resolve("patient-wrap-1.tink"),
                keysets().resolve("patient-wrap-2.tink"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> PhiProtection.open(SecurityConfig.development(keys)))
                .as("keyset swapped by name")
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("patient-wrap-2");

        Files.delete(keysets().resolve("patient-wrap-2.tink"));
        assertThatThrownBy(() -> PhiProtection.open(SecurityConfig.development(keys)))
                .as("current epoch missing")
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("incomplete key ring");

        assertThatThrownBy(phi::beginWrappingEpoch)
                .as("no epoch on top of a missing one")
                .isInstanceOf(KeyRingException.class);

        Path other = dir.resolve("other");
        PhiProtection.open(SecurityConfig.development(other)).beginWrappingEpoch();
        Files.delete(other.resolve("keysets/patient-wrap-state.tink"));
        assertThatThrownBy(() -> PhiProtection.open(SecurityConfig.development(other)))
                .as("state lost while later epochs exist")
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("restore it");
        assertThat(Files.exists(other.resolve("keysets/patient-wrap-state.tink")))
                .isFalse();
    }

    @Test
    void beginningAnEpochAdoptsAKeysetAnotherNodeCreatedFirst() throws Exception {
        PhiProtection secondNode = PhiProtection.open(SecurityConfig.development(keys));
        assertThat(phi.beginWrappingEpoch()).isEqualTo(2);
        WrappedPatientKey key = phi.newPatientKey(alice);
        byte[] note = phi.encryptForPatient(alice, key, "x", BINDING);
        byte[] epochTwo = Files.readAllBytes(keysets().resolve("patient-wrap-2.tink"));

        // The second node still believes epoch 1 is current; its begin reads the store and starts 3, never replacing 2.
        assertThat(secondNode.beginWrappingEpoch()).isEqualTo(3);
        assertThat(Files.readAllBytes(keysets().resolve("patient-wrap-2.tink"))).isEqualTo(epochTwo);
        assertThat(secondNode.decryptForPatient(alice, key, note, BINDING)).isEqualTo("x");
    }

    @Test
    void statusAndFilesCarryNoKeyMaterial() throws Exception {
        WrappedPatientKey key = phi.newPatientKey(alice);
        assertThat(key.toString()).isEqualTo("WrappedPatientKey[redacted]");
        assertThat(phi.wrappingEpochs().toString()).doesNotContain("Aead");
        try (Stream<Path> files = Files.list(keysets())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("patient-wrap")))
                    .containsExactlyInAnyOrder("patient-wrap-1.tink", "patient-wrap-state.tink");
        }
    }

    private Path keysets() {
        return keys.resolve(SecurityConfig.DEVELOPMENT_KEYSETS);
    }

    private void deleteWrappingEpochs() throws Exception {
        try (Stream<Path> files = Files.list(keysets())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("patient-wrap-"))
                    .toList()) {
                Files.delete(f);
            }
        }
    }

    /** A key as the code before wrapping epochs wrote it: layout 1, wrapped under the PHI key ring. */
    private WrappedPatientKey layoutOneKey(PatientReference patient) throws Exception {
        KeyRingManager manager = new KeyRingManager(
                new DirectoryKeysetStore(keysets()), new DevelopmentKeyEncryptionKeySource(keys).keyEncryptionKey());
        return new WrappedPatientKey(PatientKeys.newWrappedKey(manager.reload().phiAead(), patient));
    }
}
