package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The record's identifier checks are char loops; they accept exactly what the regular expressions they replace
 * accept ({@code [A-Za-z0-9_.\-]{1,64}} for device references, {@code (?!.*\.\.)[A-Za-z0-9\-._:/]{1,64}} for patient
 * and encounter references, whole string).
 */
class TreatmentRecordIdentifierRulesTest {

    private static final Pattern PATIENT_REF = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9\\-._:/]{1,64}");
    private static final Pattern DEVICE_REF = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final OffsetDateTime START = OffsetDateTime.parse("2025-03-28T08:00:00Z");
    private static final String ALPHABET = "aZ09_.-:/ ~\n\r\u2028\u00e9\ud83d\ude00\ud800.";

    @Test
    void charLoopsAcceptExactlyWhatTheRegularExpressionsAccept() {
        Random random = new Random(0x1D_2026L);
        for (int i = 0; i < 30_000; i++) {
            int length = random.nextInt(i % 10 == 0 ? 70 : 6);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < length; j++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = sb.toString();
            assertThat(accepts(s, "1"))
                    .as("machine " + s)
                    .isEqualTo(DEVICE_REF.matcher(s).matches());
            assertThat(accepts("M", s))
                    .as("patient " + s)
                    .isEqualTo(PATIENT_REF.matcher(s).matches());
        }
        for (String s : new String[] {"a".repeat(64), "a".repeat(65), "a..b", "a.b.c", "..", ".", "a/b:c", "a\n"}) {
            assertThat(accepts(s, "1"))
                    .as("machine " + s)
                    .isEqualTo(DEVICE_REF.matcher(s).matches());
            assertThat(accepts("M", s))
                    .as("patient " + s)
                    .isEqualTo(PATIENT_REF.matcher(s).matches());
        }
        assertThatThrownBy(() -> record("M", "a..b")).isInstanceOf(TreatmentCoreException.class);
    }

    private static boolean accepts(String machineId, String patientId) {
        try {
            record(machineId, patientId);
            return true;
        } catch (TreatmentCoreException e) {
            return false;
        }
    }

    private static TreatmentRecord record(String machineId, String patientId) {
        return new TreatmentRecord(
                machineId,
                Optional.of(patientId),
                Optional.of(patientId),
                START,
                Optional.empty(),
                Optional.empty(),
                Optional.of(machineId),
                MachineSettings.none(),
                List.of(),
                Optional.empty(),
                List.of());
    }
}
