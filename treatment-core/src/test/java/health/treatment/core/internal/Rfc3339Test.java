package health.treatment.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
        "2025-03-28T08:00:00Z, 2025-03-28T08:00:00Z",
        "2025-03-28t08:00:00z, 2025-03-28T08:00:00Z",
        "2025-03-28T08:00:00.5+01:00, 2025-03-28T08:00:00.500+01:00",
        "2025-03-28T08:00:00.123456789-05:30, 2025-03-28T08:00:00.123456789-05:30",
        "2024-02-29T23:59:59+00:00, 2024-02-29T23:59:59Z"
    })
    void parsesDateTimesWithOffsetsLikeJavaTime(String text, String iso) {
        assertThat(Rfc3339.parseWithOffset(text)).isEqualTo(OffsetDateTime.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2025-03-28",
                "2025-03-28T08:00:00",
                "2025-02-30T08:00:00Z",
                "2025-02-29T08:00:00Z",
                "2025-03-28T24:00:00Z",
                "2025-06-30T23:59:60Z",
                "2025-03-28T08:00Z",
                "2025-03-28 08:00:00Z",
                "2025-03-28T08:00:00.Z",
                "2025-03-28T08:00:00.1234567890Z",
                "2025-03-28T08:00:00+0100",
                "2025-03-28T08:00:00+19:00",
                "2025-03-28T08:00:00+01:60",
                "+12025-03-28T08:00:00Z",
                "2025-03-28T08:00:00ZZ",
                "2025-13-28T08:00:00Z",
                "２０２５-03-28T08:00:00Z"
            })
    void rejectsEverythingElse(String text) {
        assertThat(Rfc3339.parseWithOffset(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-28T08:00:00", "2025-03-28t08:00:00.25"})
    void recognisesDateTimesThatLackOnlyTheOffset(String text) {
        assertThat(Rfc3339.isLocalDateTime(text)).isTrue();
        assertThat(Rfc3339.parseWithOffset(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-28T08:00:00Z", "2025-02-30T08:00:00", "yesterday"})
    void doesNotCallOtherValuesLocal(String text) {
        assertThat(Rfc3339.isLocalDateTime(text)).isFalse();
    }
}
