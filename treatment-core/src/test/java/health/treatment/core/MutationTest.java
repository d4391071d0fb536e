package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid documents (byte flips, deletions, insertions, duplications, value swaps, key
 * renames): the validator must only ever answer Valid or Invalid, and no message may contain a submitted value.
 */
class MutationTest {

    private static final long SEED = 0x7731_4410L;
    private static final int MUTATIONS = 6000;
    private static final TreatmentValidator VALIDATOR = TreatmentValidator.createDefault();
    private static final String[] SEEDS = {
        Documents.FULL, Documents.ARTICLE_EXAMPLE.replace("123456", "CANARY-PATIENT-7731")
    };
    private static final String[] KEYS = {
        "patient_id",
        "encounter_id",
        "machine_id",
        "technician_id",
        "treatment_start",
        "treatment_end",
        "session_duration",
        "uf_volume",
        "conductivity",
        "blood_flow",
        "alarms",
        "notes",
        "observations",
        "system",
        "code",
        "value",
        "unit",
        "time"
    };
    private static final String[] VALUES = {
        "null",
        "true",
        "0",
        "-1",
        "1e400",
        "\"\"",
        "[]",
        "{}",
        "\"CANARY-PATIENT-7731\"",
        "\"2025-02-30T08:00:00Z\"",
        "\"2025-03-28T08:00:00\"",
        "[[[[[[[[[[1]]]]]]]]]]",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "12345678901234567890.123",
        "\"<script>CANARY-PATIENT-7731</script>\"",
        "{\"CANARY-PATIENT-7731\": 1}"
    };

    @Test
    void mutatedDocumentsYieldOnlyResultsAndMessagesNeverEchoValues() {
        Random random = new Random(SEED);
        int valid = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] seed = SEEDS[i % SEEDS.length].getBytes(StandardCharsets.UTF_8);
            byte[] doc = mutate(seed, random, 1 + random.nextInt(3));
            ValidationResult result;
            try {
                result = VALIDATOR.validate(doc);
            } catch (RuntimeException e) {
                fail("mutation " + i + " threw for input " + new String(doc, StandardCharsets.ISO_8859_1), e);
                return;
            }
            if (result.isValid()) {
                valid++;
                assertThat(result).isInstanceOf(ValidationResult.Valid.class);
            } else {
                assertThat(result.violations()).isNotEmpty();
            }
            for (Violation v : result.violations()) {
                assertThat(ViolationCodes.all()).contains(v.code());
                for (String canary : Documents.CANARIES) {
                    assertThat(v.message()).doesNotContain(canary).doesNotContain("CANARY");
                }
                assertThat(v.message()).doesNotContain("<script>").doesNotContain("line one");
            }
        }
        // Some mutations (e.g. inside notes) keep documents valid; most do not. Both paths must have been exercised.
        assertThat(valid).isBetween(1, MUTATIONS - 1);
    }

    private static byte[] mutate(byte[] doc, Random random, int rounds) {
        byte[] out = doc;
        for (int r = 0; r < rounds; r++) {
            out = mutateOnce(out, random);
        }
        return out;
    }

    private static byte[] mutateOnce(byte[] doc, Random random) {
        if (doc.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int pos = random.nextInt(doc.length);
        switch (random.nextInt(7)) {
            case 0: { // flip one bit
                byte[] out = doc.clone();
                out[pos] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1: { // delete a short run
                int len = Math.min(1 + random.nextInt(8), doc.length - pos);
                byte[] out = new byte[doc.length - len];
                System.arraycopy(doc, 0, out, 0, pos);
                System.arraycopy(doc, pos + len, out, pos, doc.length - pos - len);
                return out;
            }
            case 2: { // insert a random or structural byte
                byte[] pool = "{}[]\",:\\ 0-e.\u0000".getBytes(StandardCharsets.ISO_8859_1);
                byte b = random.nextBoolean() ? pool[random.nextInt(pool.length)] : (byte) random.nextInt(256);
                return insert(doc, pos, new byte[] {b});
            }
            case 3: // duplicate a slice (duplicate keys, trailing content, deep nesting)
                return insert(doc, pos, Arrays.copyOfRange(doc, random.nextInt(pos + 1), pos));
            case 4: // replace a value after a colon with an awkward one
                return replaceAfter(doc, pos, ':', VALUES[random.nextInt(VALUES.length)], random);
            case 5: { // rename a key
                String s = new String(doc, StandardCharsets.UTF_8);
                String key = KEYS[random.nextInt(KEYS.length)];
                String other = random.nextBoolean() ? KEYS[random.nextInt(KEYS.length)] : key.toUpperCase();
                return s.replaceFirst("\"" + key + "\"", "\"" + other + "\"").getBytes(StandardCharsets.UTF_8);
            }
            default: // truncate
                return Arrays.copyOf(doc, pos);
        }
    }

    private static byte[] replaceAfter(byte[] doc, int pos, char marker, String value, Random random) {
        String s = new String(doc, StandardCharsets.UTF_8);
        int colon = s.indexOf(marker, Math.min(pos, s.length()));
        if (colon < 0) {
            return doc;
        }
        int end = colon + 1;
        while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        return (s.substring(0, colon + 1) + value + s.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] doc, int pos, byte[] bytes) {
        byte[] out = new byte[doc.length + bytes.length];
        System.arraycopy(doc, 0, out, 0, pos);
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        System.arraycopy(doc, pos, out, pos + bytes.length, doc.length - pos);
        return out;
    }
}
