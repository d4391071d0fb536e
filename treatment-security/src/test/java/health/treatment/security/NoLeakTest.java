package health.treatment.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import health.treatment.security.keys.Pkcs12KeyEncryptionKeySource;
import health.treatment.security.logging.PhiMaskingRewritePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.apache.logging.log4j.message.StructuredDataMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Canary PHI and secrets never show up in toString, exception messages or (masked) log output. */
class NoLeakTest {
    private static final String CANARY = "CANARY-PATIENT-4711";
    private static final String NOTE_CANARY = "canary note about hepatitis";
    private static final String PASSWORD_CANARY = "CANARY-PASSWORD-0815";
    private static final Logger LOG = LogManager.getLogger(NoLeakTest.class);

    @TempDir
    Path dir;

    private CaptureAppender capture;

    @BeforeEach
    void resetCapture() {
        capture = CaptureAppender.get();
        assertThat(capture).as("log4j2-test.xml capture appender").isNotNull();
        capture.clear();
    }

    @Test
    void canariesNeverAppearInToStringExceptionsOrLogs() throws Exception {
        PhiProtection phi = PhiProtection.open(SecurityConfig.development(dir.resolve("keys")));
        FieldBinding binding = new FieldBinding("rec-1", "patient_id");
        byte[] ciphertext = phi.encrypt(CANARY, binding);
        byte[] note = phi.encrypt(NOTE_CANARY, new FieldBinding("rec-1", "notes"));
        PatientReference ref = phi.pseudonym(CANARY);
        WrappedPatientKey patientKey = phi.newPatientKey(ref);
        phi.rotate();
        phi.beginWrappingEpoch();
        WrappedPatientKey rewrapped = phi.rewrapPatientKey(ref, patientKey);

        List<String> rendered = new ArrayList<>();
        rendered.add(phi.toString());
        rendered.add(phi.status().toString());
        rendered.add(patientKey.toString());
        rendered.add(rewrapped.toString());
        rendered.add(phi.wrappingEpochs().toString());
        rendered.add(Masked.of(CANARY).toString());
        rendered.add(binding.toString());
        rendered.add(phi.blindIndex(CANARY).toString());
        rendered.add(ref.toString());

        byte[] tampered = ciphertext.clone();
        tampered[tampered.length - 1] ^= 1;
        rendered.add(describe(catchThrowable(() -> phi.decrypt(tampered, binding))));
        rendered.add(describe(catchThrowable(() -> phi.decrypt(ciphertext, new FieldBinding("rec-2", "patient_id")))));
        rendered.add(describe(catchThrowable(() -> phi.decrypt(note, binding))));
        rendered.add(describe(catchThrowable(() -> phi.decryptForPatient(patientKey, ciphertext, binding))));
        rendered.add(describe(catchThrowable(() -> phi.blindIndex("   "))));
        rendered.add(describe(catchThrowable(() -> phi.rewrapPatientKey(phi.pseudonym("other"), patientKey))));

        Secret password = Secret.of(PASSWORD_CANARY.toCharArray());
        Path kek = dir.resolve("kek.p12");
        Pkcs12KeyEncryptionKeySource.createKeystore(kek, password, "kek");
        Pkcs12KeyEncryptionKeySource wrongPassword =
                new Pkcs12KeyEncryptionKeySource(kek, Secret.of("wrong".toCharArray()), "kek");
        rendered.add(password.toString());
        rendered.add(wrongPassword.toString());
        rendered.add(describe(catchThrowable(wrongPassword::keyEncryptionKey)));
        rendered.add(SecurityConfig.production(dir, kek, password, "kek").toString());
        rendered.add(describe(
                catchThrowable(() -> PhiProtection.open(SecurityConfig.production(dir, kek, password, "kek")))));

        String all = String.join("\n", rendered) + "\n" + capture.text();
        String ciphertextB64 = Base64.getEncoder().encodeToString(ciphertext);
        String devPassword = Files.readString(dir.resolve("keys/kek.p12.password"));
        assertThat(all)
                .doesNotContain(CANARY)
                .doesNotContain(CANARY.toLowerCase())
                .doesNotContain(NOTE_CANARY)
                .doesNotContain(PASSWORD_CANARY)
                .doesNotContain(devPassword)
                .doesNotContain(ciphertextB64)
                .doesNotContain(ciphertextB64.substring(8, 30));
        for (String keysetFile : List.of(
                "phi-aead",
                "blind-index-prf",
                "pseudonym-prf",
                "patient-wrap-1",
                "patient-wrap-2",
                "patient-wrap-state")) {
            byte[] blob = Files.readAllBytes(dir.resolve("keys/keysets/" + keysetFile + ".tink"));
            assertThat(all)
                    .doesNotContain(Base64.getEncoder().encodeToString(blob).substring(10, 40));
        }
        assertThat(capture.text())
                .contains("DEVELOPMENT KEYS — NOT FOR PRODUCTION")
                .contains("rotated")
                .contains("wrapping epoch 2 begun");
    }

    @Test
    void developmentWarningIsLoudAndMultiLine() {
        PhiProtection.open(SecurityConfig.development(dir.resolve("keys")));
        String warning = capture.lines().stream()
                .filter(l -> l.contains("DEVELOPMENT KEYS"))
                .findFirst()
                .orElseThrow();
        assertThat(warning).startsWith("WARN").contains("CREATED JUST NOW").contains("NOT FOR PRODUCTION");
        assertThat(warning.lines().count()).isGreaterThan(5);
    }

    @Test
    void maskingPolicyMasksPhiKeysInMapMessages() {
        LOG.info(new StringMapMessage()
                .with("patient_id", CANARY)
                .with("record_id", "rec-9")
                .with("mrn", CANARY)
                .with("comment", "see patient_id=" + CANARY));
        LOG.info(new MapMessage<>(Map.of("notes", NOTE_CANARY, "technicianId", "TECH-CANARY-1")));
        LOG.info(new StructuredDataMessage(
                "audit@1", "submitted", "event", Map.of("encounter_id", CANARY, "client", "gw-1")));
        String text = capture.text();
        assertThat(text).doesNotContain(CANARY).doesNotContain(NOTE_CANARY).doesNotContain("TECH-CANARY-1");
        assertThat(text).contains("rec-9").contains("gw-1").contains("patient_id=\"***\"");
    }

    @Test
    void maskingPolicyMasksIdentifierFragmentsInFormattedMessages() {
        LOG.info("stored record rec-7 patient_id={} machine DX2020", CANARY);
        LOG.info("payload {\"patient_id\":\"" + CANARY + "\",\"machine_id\":\"DX2020\"}");
        LOG.warn("lookup failed for patientId: {}; notes=\"{}\"", CANARY, NOTE_CANARY);
        LOG.info("MRN={} ENCOUNTER_ID='{}'", CANARY, CANARY);
        String text = capture.text();
        assertThat(text).doesNotContain(CANARY).doesNotContain(NOTE_CANARY);
        assertThat(text)
                .contains("rec-7")
                .contains("machine DX2020")
                .contains("\"patient_id\":\"***\"")
                .contains("\"machine_id\":\"DX2020\"")
                .contains("patientId: ***");
    }

    @Test
    void maskingPolicyMasksThreadContextValues() {
        ThreadContext.put("patient_id", CANARY);
        ThreadContext.put("request_id", "req-42");
        try {
            LOG.info("handled");
        } finally {
            ThreadContext.clearMap();
        }
        assertThat(capture.text()).doesNotContain(CANARY).contains("req-42");
    }

    @Test
    void maskingLeavesOrdinaryTextAlone() {
        PhiMaskingRewritePolicy policy = PhiMaskingRewritePolicy.createPolicy(null);
        assertThat(policy.maskText("record rec-1 stored for client gw-1 (patient ids hidden)"))
                .isEqualTo("record rec-1 stored for client gw-1 (patient ids hidden)");
        assertThat(policy.maskText("xpatient_id=1")).isEqualTo("xpatient_id=1");
        assertThat(policy.maskText("patient_id = 12, notes='a b'")).isEqualTo("patient_id = ***, notes='***'");
    }

    @Test
    void callerAndCaseValuesCarryNoSecrets() {
        Caller caller = new Caller("DX2020", Set.of(Role.DEVICE), Optional.of("thumb"));
        assertThat(caller.toString()).contains("DX2020");
        assertThat(Masked.of(CANARY).unmask()).isEqualTo(CANARY);
    }

    private static String describe(Throwable t) {
        assertThat(t).isNotNull();
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c).append('\n');
        }
        return out.toString();
    }
}
