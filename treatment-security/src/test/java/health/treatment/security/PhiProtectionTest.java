package health.treatment.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.security.keys.DirectoryKeysetStore;
import health.treatment.security.keys.Pkcs12KeyEncryptionKeySource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhiProtectionTest {
    private static final String PATIENT = "MRN-CANARY-778899";
    private static final FieldBinding BINDING = new FieldBinding("rec-1", "patient_id");

    @TempDir
    Path dir;

    private PhiProtection phi;

    @BeforeEach
    void open() {
        phi = PhiProtection.open(SecurityConfig.development(dir.resolve("keys")));
    }

    @Test
    void encryptThenDecryptReturnsThePlaintext() throws Exception {
        byte[] ciphertext = phi.encrypt(PATIENT, BINDING);
        assertThat(phi.decrypt(ciphertext, BINDING)).isEqualTo(PATIENT);
        assertThat(phi.decrypt(phi.encrypt("", BINDING), BINDING)).isEmpty();
        assertThat(phi.decrypt(phi.encrypt("ünïcødé ✓", BINDING), BINDING)).isEqualTo("ünïcødé ✓");
    }

    @Test
    void ciphertextCarriesThePrimaryKeyIdAndIsRandomized() {
        byte[] a = phi.encrypt(PATIENT, BINDING);
        byte[] b = phi.encrypt(PATIENT, BINDING);
        assertThat(a).isNotEqualTo(b);
        assertThat(keyId(a)).isEqualTo(phi.status().primaryKeyId());
        assertThat(a).hasSize(5 + 12 + PATIENT.length() + 16);
    }

    @Test
    void everySingleBitFlipFailsToDecrypt() {
        byte[] ciphertext = phi.encrypt(PATIENT, BINDING);
        for (int bit = 0; bit < ciphertext.length * 8; bit++) {
            byte[] tampered = ciphertext.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int flipped = bit;
            assertThatThrownBy(() -> phi.decrypt(tampered, BINDING))
                    .as("bit %d", flipped)
                    .isInstanceOf(PhiDecryptionException.class);
        }
    }

    @Test
    void truncatedOrEmptyCiphertextFails() {
        byte[] ciphertext = phi.encrypt(PATIENT, BINDING);
        for (int length = 0; length < ciphertext.length; length++) {
            byte[] truncated = Arrays.copyOf(ciphertext, length);
            assertThatThrownBy(() -> phi.decrypt(truncated, BINDING)).isInstanceOf(PhiDecryptionException.class);
        }
    }

    @Test
    void ciphertextMovedToAnotherRecordOrFieldFails() {
        byte[] ciphertext = phi.encrypt(PATIENT, BINDING);
        for (FieldBinding other : List.of(
                new FieldBinding("rec-2", "patient_id"),
                new FieldBinding("rec-1", "notes"),
                new FieldBinding("rec-1p", "atient_id"),
                new FieldBinding("rec-", "1patient_id"))) {
            assertThatThrownBy(() -> phi.decrypt(ciphertext, other)).isInstanceOf(PhiDecryptionException.class);
        }
    }

    @Test
    void ciphertextUnderAnUnknownKeyIdFails() {
        byte[] ciphertext = phi.encrypt(PATIENT, BINDING);
        ByteBuffer.wrap(ciphertext).putInt(1, phi.status().primaryKeyId() + 1);
        assertThatThrownBy(() -> phi.decrypt(ciphertext, BINDING))
                .isInstanceOf(PhiDecryptionException.class)
                .hasMessageContaining("does not hold");

        PhiProtection otherRing = PhiProtection.open(SecurityConfig.development(dir.resolve("other")));
        byte[] foreign = otherRing.encrypt(PATIENT, BINDING);
        assertThatThrownBy(() -> phi.decrypt(foreign, BINDING)).isInstanceOf(PhiDecryptionException.class);
    }

    @Test
    void decryptAfterRotationWorksForOldAndNewAndReencryptMovesToTheNewPrimary() throws Exception {
        int oldPrimary = phi.status().primaryKeyId();
        byte[] old = phi.encrypt(PATIENT, BINDING);
        phi.rotate();
        KeyRingStatus status = phi.status();
        assertThat(status.primaryKeyId()).isNotEqualTo(oldPrimary);
        assertThat(status.keyCount()).isEqualTo(2);
        assertThat(status.keyIds()).contains(oldPrimary, status.primaryKeyId());

        byte[] fresh = phi.encrypt(PATIENT, BINDING);
        assertThat(keyId(fresh)).isEqualTo(status.primaryKeyId());
        assertThat(phi.decrypt(old, BINDING)).isEqualTo(PATIENT);
        assertThat(phi.decrypt(fresh, BINDING)).isEqualTo(PATIENT);

        byte[] moved = phi.reencrypt(old, BINDING);
        assertThat(keyId(moved)).isEqualTo(status.primaryKeyId());
        assertThat(phi.decrypt(moved, BINDING)).isEqualTo(PATIENT);
    }

    @Test
    void rotationIsPersistedAndBlindIndexAndPseudonymSurviveIt() throws Exception {
        BlindIndex index = phi.blindIndex(PATIENT);
        PatientReference ref = phi.pseudonym(PATIENT);
        byte[] old = phi.encrypt(PATIENT, BINDING);
        phi.rotate();
        PhiProtection reopened = PhiProtection.open(SecurityConfig.development(dir.resolve("keys")));
        assertThat(reopened.status()).isEqualTo(phi.status());
        assertThat(reopened.decrypt(old, BINDING)).isEqualTo(PATIENT);
        assertThat(reopened.blindIndex(PATIENT)).isEqualTo(index);
        assertThat(reopened.pseudonym(PATIENT)).isEqualTo(ref);
    }

    @Test
    void encounterIndexIsStableNormalisedAndNeverEqualToThePatientIndexOfTheSameText() throws Exception {
        BlindIndex encounter = phi.encounterIndex(PATIENT);
        assertThat(encounter).isNotEqualTo(phi.blindIndex(PATIENT));
        assertThat(phi.encounterIndex(" " + PATIENT.toLowerCase() + " ")).isEqualTo(encounter);
        phi.rotate();
        assertThat(PhiProtection.open(SecurityConfig.development(dir.resolve("keys")))
                        .encounterIndex(PATIENT))
                .isEqualTo(encounter);
        assertThat(encounter.toString()).doesNotContain(PATIENT);
    }

    @Test
    void anotherInstancePicksUpARotationOnReload() throws Exception {
        PhiProtection secondNode = PhiProtection.open(SecurityConfig.development(dir.resolve("keys")));
        phi.rotate();
        byte[] fresh = phi.encrypt(PATIENT, BINDING);
        secondNode.reload();
        assertThat(secondNode.decrypt(fresh, BINDING)).isEqualTo(PATIENT);
        assertThat(secondNode.status().primaryKeyId()).isEqualTo(phi.status().primaryKeyId());
    }

    @Test
    void blindIndexIsDeterministicOverTheNormalisedIdentifier() {
        BlindIndex index = phi.blindIndex("mrn-123");
        assertThat(phi.blindIndex("  MRN-123 ")).isEqualTo(index);
        assertThat(phi.blindIndex("mrn-124")).isNotEqualTo(index);
        assertThat(index.value()).matches("[A-Za-z0-9_-]{43}");
        PhiProtection other = PhiProtection.open(SecurityConfig.development(dir.resolve("other")));
        assertThat(other.blindIndex("mrn-123")).as("keyed").isNotEqualTo(index);
    }

    @Test
    void pseudonymIsStableAndUsesAKeySeparateFromTheBlindIndex() {
        PatientReference ref = phi.pseudonym(PATIENT);
        assertThat(ref.value()).matches("pt_[a-z2-7]{26}");
        assertThat(phi.pseudonym(" " + PATIENT.toLowerCase() + " ")).isEqualTo(ref);
        assertThat(phi.pseudonym("MRN-OTHER")).isNotEqualTo(ref);
        assertThat(phi.status().pseudonymKeyId()).isNotEqualTo(phi.status().blindIndexKeyId());
    }

    @Test
    void destroyingAPatientKeyShredsThatPatientOnly() throws Exception {
        PatientReference alice = phi.pseudonym("MRN-ALICE");
        PatientReference bob = phi.pseudonym("MRN-BOB");
        WrappedPatientKey aliceKey = phi.newPatientKey(alice);
        WrappedPatientKey bobKey = phi.newPatientKey(bob);
        byte[] aliceNote = phi.encryptForPatient(aliceKey, "alice notes", BINDING);
        byte[] bobNote = phi.encryptForPatient(bobKey, "bob notes", BINDING);
        assertThat(phi.decryptForPatient(aliceKey, aliceNote, BINDING)).isEqualTo("alice notes");

        // Shredding: Alice's wrapped key bytes are deleted (here overwritten); nothing else can open her data.
        byte[] destroyed = aliceKey.bytes();
        Arrays.fill(destroyed, (byte) 0);
        assertThatThrownBy(() -> phi.decryptForPatient(new WrappedPatientKey(destroyed), aliceNote, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
        assertThatThrownBy(() -> phi.decryptForPatient(bobKey, aliceNote, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
        assertThatThrownBy(() -> phi.decrypt(aliceNote, BINDING)).isInstanceOf(PhiDecryptionException.class);

        assertThat(phi.decryptForPatient(bobKey, bobNote, BINDING)).isEqualTo("bob notes");
    }

    @Test
    void patientKeysSurviveRotationAndAreBoundToTheirRecordField() throws Exception {
        WrappedPatientKey key = phi.newPatientKey(phi.pseudonym(PATIENT));
        byte[] note = phi.encryptForPatient(key, "text", BINDING);
        phi.rotate();
        assertThat(phi.decryptForPatient(key, note, BINDING)).isEqualTo("text");
        assertThatThrownBy(() -> phi.decryptForPatient(key, note, new FieldBinding("rec-2", "patient_id")))
                .isInstanceOf(PhiDecryptionException.class);
        byte[] tamperedKey = key.bytes();
        tamperedKey[tamperedKey.length - 1] ^= 1;
        assertThatThrownBy(() -> phi.decryptForPatient(new WrappedPatientKey(tamperedKey), note, BINDING))
                .isInstanceOf(PhiDecryptionException.class);
        assertThatThrownBy(() -> phi.encryptForPatient(new WrappedPatientKey(tamperedKey), "x", BINDING))
                .isInstanceOf(TreatmentSecurityException.class);
    }

    @Test
    void keysetFileCopiedToAnInstallationWithAnotherKekFailsToLoad() throws Exception {
        Path other = dir.resolve("other");
        PhiProtection.open(SecurityConfig.development(other));
        for (String name : List.of("phi-aead", "blind-index-prf", "pseudonym-prf")) {
            Files.copy(
                    dir.resolve("keys/keysets/" + name + ".tink"),
                    other.resolve("keysets/" + name + ".tink"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        assertThatThrownBy(() -> PhiProtection.open(SecurityConfig.development(other)))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("cannot be decrypted with the configured key-encryption key");
    }

    @Test
    void keysetFilesSwappedByNameFailToLoad() throws Exception {
        Path keysets = dir.resolve("keys/keysets");
        Files.copy(
                keysets.resolve("blind-index-prf.tink"),
                keysets.resolve("pseudonym-prf.tink"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> PhiProtection.open(SecurityConfig.development(dir.resolve("keys"))))
                .isInstanceOf(KeyRingException.class);
    }

    @Test
    void incompleteKeyRingIsNeverCompletedSilently() throws Exception {
        Files.delete(dir.resolve("keys/keysets/blind-index-prf.tink"));
        assertThatThrownBy(() -> PhiProtection.open(SecurityConfig.development(dir.resolve("keys"))))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("incomplete key ring");
    }

    @Test
    void developmentKeysAreRefusedInProduction() {
        assertThatThrownBy(() -> SecurityConfig.development(dir.resolve("x"), DeploymentMode.PRODUCTION))
                .isInstanceOf(KeyRingException.class);
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
        assertThat(SecurityConfig.development(dir.resolve("x"), DeploymentMode.DEVELOPMENT)
                        .mode())
                .isEqualTo(DeploymentMode.DEVELOPMENT);
    }

    @Test
    void productionNeverCreatesKeysSilentlyButCanBeProvisionedExplicitly() throws Exception {
        Path kek = dir.resolve("prod/kek.p12");
        Secret password = Secret.of("prod-password".toCharArray());
        Pkcs12KeyEncryptionKeySource.createKeystore(kek, password, "phi-kek");
        SecurityConfig production = SecurityConfig.production(dir.resolve("prod/keysets"), kek, password, "phi-kek");
        assertThat(production.createKeysIfAbsent()).isFalse();

        assertThatThrownBy(() -> PhiProtection.open(production))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("key creation is not enabled");
        assertThat(Files.exists(dir.resolve("prod/keysets/phi-aead.tink"))).isFalse();

        PhiProtection provisioned = PhiProtection.open(production.withInitialKeyCreation());
        byte[] ciphertext = provisioned.encrypt(PATIENT, BINDING);
        PhiProtection restarted = PhiProtection.open(production);
        assertThat(restarted.decrypt(ciphertext, BINDING)).isEqualTo(PATIENT);
        assertThat(restarted.status().mode()).isEqualTo(DeploymentMode.PRODUCTION);
    }

    @Test
    void bootstrapCreatesAProductionRingOnceAndRefusesWhenOneExists() throws Exception {
        Path kek = dir.resolve("boot/kek.p12");
        Secret password = Secret.of("boot-password".toCharArray());
        Pkcs12KeyEncryptionKeySource.createKeystore(kek, password, "phi-kek");
        SecurityConfig production = SecurityConfig.production(dir.resolve("boot/keysets"), kek, password, "phi-kek");

        PhiProtection bootstrapped = PhiProtection.bootstrap(production);
        byte[] ciphertext = bootstrapped.encrypt(PATIENT, BINDING);
        assertThat(PhiProtection.open(production).decrypt(ciphertext, BINDING)).isEqualTo(PATIENT);

        byte[] phiKeyset = Files.readAllBytes(dir.resolve("boot/keysets/phi-aead.tink"));
        assertThatThrownBy(() -> PhiProtection.bootstrap(production))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("key bootstrap refused")
                .hasMessageContaining("phi-aead");
        assertThat(Files.readAllBytes(dir.resolve("boot/keysets/phi-aead.tink")))
                .isEqualTo(phiKeyset);
    }

    @Test
    void sealedSecretsAreEncryptedUnderTheKekBoundToTheirNameAndNeverOverwritten() throws Exception {
        byte[] secret = "-----BEGIN PRIVATE KEY-----CANARY-SECRET".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(phi.sealedSecret("audit-signing-key")).isEmpty();
        phi.createSealedSecret("audit-signing-key", secret);

        assertThat(PhiProtection.open(SecurityConfig.development(dir.resolve("keys")))
                        .sealedSecret("audit-signing-key"))
                .hasValue(secret);
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("keys").resolve(SecurityConfig.DEVELOPMENT_KEYSETS))) {
            file = files.filter(f -> f.getFileName().toString().startsWith("sealed-audit-signing-key"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("CANARY-SECRET");
        assertThatThrownBy(() -> phi.createSealedSecret("audit-signing-key", new byte[] {1}))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("already exists");

        // Swapped under another name: the name is associated data, so it does not decrypt.
        Files.copy(file, file.resolveSibling(file.getFileName().toString().replace("audit-signing-key", "other")));
        assertThatThrownBy(() -> phi.sealedSecret("other"))
                .isInstanceOf(KeyRingException.class)
                .hasMessageContaining("cannot be decrypted");
    }

    @Test
    void customStoreAndKekSourceArePluggable() throws Exception {
        Path kek = dir.resolve("custom/kek.p12");
        Secret password = Secret.of("pw".toCharArray());
        Pkcs12KeyEncryptionKeySource.createKeystore(kek, password, "k");
        SecurityConfig config = SecurityConfig.custom(
                        DeploymentMode.PRODUCTION,
                        new Pkcs12KeyEncryptionKeySource(kek, password, "k"),
                        new DirectoryKeysetStore(dir.resolve("custom/ks")))
                .withInitialKeyCreation();
        PhiProtection custom = PhiProtection.open(config);
        assertThat(custom.decrypt(custom.encrypt(PATIENT, BINDING), BINDING)).isEqualTo(PATIENT);
    }

    @Test
    void developmentKeyFilesAreOwnerOnly() throws Exception {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.exists(dir.resolve("keys/kek.p12"))).isTrue();
            return;
        }
        try (Stream<Path> files = Files.walk(dir.resolve("keys"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as(file.toString())
                        .isEqualTo("rw-------");
            }
        }
        assertThat(Files.exists(dir.resolve("keys/kek.p12.password"))).isTrue();
        assertThat(Files.exists(dir.resolve("keys/keysets/phi-aead.tink"))).isTrue();
    }

    @Test
    void statusExposesIdsButNoKeyMaterial() {
        KeyRingStatus status = phi.status();
        assertThat(status.keyCount()).isEqualTo(1);
        assertThat(status.keyIds()).containsExactly(status.primaryKeyId());
        assertThat(status.mode()).isEqualTo(DeploymentMode.DEVELOPMENT);
        assertThat(phi.toString()).doesNotContain("key=").contains("primaryKeyId=" + status.primaryKeyId());
    }

    @Test
    void valueTypesValidateTheirInput() {
        assertThatThrownBy(() -> new FieldBinding(" ", "f")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FieldBinding("r", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlindIndex("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PatientReference("MRN-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WrappedPatientKey(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> phi.blindIndex("  ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static int keyId(byte[] ciphertext) {
        return ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    }
}
