package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final String HASH = "0123456789abcdef".repeat(4);
    private static final String SIG = "ab".repeat(64);
    private static final Checkpoint CP = new Checkpoint(
            42, HASH, Instant.parse("2026-12-02T03:04:05.123456Z"), Checkpoint.Kind.PERIODIC, "00112233aabbccdd", SIG);
    private static final String JSON = "{\"sequence\":42,\"head_hash\":\"" + HASH + "\",\"time\":"
            + "\"2026-12-02T03:04:05.123456Z\",\"kind\":\"periodic\",\"key_id\":\"00112233aabbccdd\",\"signature\":\""
            + SIG + "\"}";

    @Test
    void toJsonIsOneLineWithTheExportFieldNamesAndMicrosecondUtcTime() {
        assertThat(CP.toJson()).isEqualTo(JSON);
        Checkpoint whole = new Checkpoint(
                0, HASH, Instant.parse("2026-12-02T03:04:05Z"), Checkpoint.Kind.PURGE, "00112233aabbccdd", SIG);
        assertThat(whole.toJson())
                .contains("\"time\":\"2026-12-02T03:04:05.000000Z\"", "\"kind\":\"purge\"", "\"sequence\":0");
    }

    @Test
    void fromJsonRoundTripsAndAcceptsSurroundingWhitespaceAndAnyFieldOrder() {
        assertThat(Checkpoint.fromJson(JSON)).isEqualTo(CP);
        assertThat(Checkpoint.fromJson("\n " + JSON + "\n")).isEqualTo(CP);
        String reordered = "{\"signature\":\"" + SIG + "\",\"key_id\":\"00112233aabbccdd\",\"kind\":\"periodic\","
                + "\"time\":\"2026-12-02T03:04:05.123456Z\",\"head_hash\":\"" + HASH + "\",\"sequence\":42}";
        assertThat(Checkpoint.fromJson(reordered)).isEqualTo(CP);
        assertThat(Checkpoint.fromJson(JSON.replace(".123456Z", "Z")).time())
                .isEqualTo(Instant.parse("2026-12-02T03:04:05Z"));
    }

    @Test
    void fromJsonRejectsMalformedInputWithAFixedMessageThatNeverEchoesIt() {
        assertRejected(null, "checkpoint JSON: not a single JSON object of at most 4096 characters");
        assertRejected("x".repeat(5000), "checkpoint JSON: not a single JSON object of at most 4096 characters");
        assertRejected("not json", "checkpoint JSON: not a single JSON object");
        assertRejected(JSON + " trailing", "checkpoint JSON: not a single JSON object");
        assertRejected(JSON + JSON, "checkpoint JSON: not a single JSON object");
        assertRejected("[" + JSON + "]", "checkpoint JSON: not a single JSON object");
        assertRejected(
                JSON.replace("\"sequence\":42,", "\"sequence\":42,\"sequence\":43,"),
                "checkpoint JSON: not a single JSON object");
        String fields = "checkpoint JSON: the fields must be exactly sequence, head_hash, time, kind, key_id and "
                + "signature";
        assertRejected(JSON.replace("{", "{\"type\":\"checkpoint\","), fields);
        assertRejected(JSON.replace("{", "{\"Secret Patient\":1,"), fields);
        assertRejected(JSON.replace("\"sequence\":42,", ""), fields);
        String sequence = "checkpoint JSON: sequence must be a non-negative integer";
        assertRejected(JSON.replace("\"sequence\":42", "\"sequence\":\"42\""), sequence);
        assertRejected(JSON.replace("\"sequence\":42", "\"sequence\":-1"), sequence);
        assertRejected(JSON.replace("\"sequence\":42", "\"sequence\":42.5"), sequence);
        assertRejected(JSON.replace("\"sequence\":42", "\"sequence\":true"), sequence);
        assertRejected(JSON.replace("\"sequence\":42", "\"sequence\":99999999999999999999"), sequence);
        assertRejected(JSON.replace("\"sequence\":42", "\"sequence\":null"), sequence);
        String hash = "checkpoint JSON: head_hash must be 64 lower-case hex digits";
        assertRejected(JSON.replace(HASH, HASH.toUpperCase()), hash);
        assertRejected(JSON.replace(HASH, HASH.substring(2)), hash);
        assertRejected(JSON.replace(HASH, "zz" + HASH.substring(2)), hash);
        String time = "checkpoint JSON: time must be an RFC 3339 UTC instant";
        assertRejected(JSON.replace("05.123456Z", "05.123456+01:00"), time);
        assertRejected(JSON.replace("05.123456Z", "05.123456"), time);
        assertRejected(JSON.replace("2026-12-02", "2026-13-02"), time);
        assertRejected(JSON.replace("\"2026-12-02T03:04:05.123456Z\"", "1764644645"), time);
        assertRejected(
                JSON.replace(".123456Z", ".1234567Z"),
                "checkpoint JSON: time must not be more precise than microseconds");
        assertRejected(JSON.replace("periodic", "PERIODIC"), "checkpoint JSON: kind must be periodic or purge");
        assertRejected(
                JSON.replace("00112233aabbccdd", "00112233AABBCCDD"),
                "checkpoint JSON: key_id must be 16 lower-case hex digits");
        String signature = "checkpoint JSON: signature must be 128 lower-case hex digits";
        assertRejected(JSON.replace(SIG, "ab".repeat(63)), signature);
        assertRejected(JSON.replace(SIG, "AB".repeat(64)), signature);
    }

    private static void assertRejected(String json, String message) {
        assertThatThrownBy(() -> Checkpoint.fromJson(json))
                .isInstanceOf(AuditException.class)
                .hasMessage(message);
    }
}
