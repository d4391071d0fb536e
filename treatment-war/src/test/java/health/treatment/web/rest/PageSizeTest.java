package health.treatment.web.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageSizeTest {

    @Test
    void absentIsTheStandardSize() {
        assertThat(PageSize.parse(null, 100, 1000)).hasValue(100);
    }

    @Test
    void theBoundsAreInclusive() {
        assertThat(PageSize.parse("1", 100, 1000)).hasValue(1);
        assertThat(PageSize.parse("1000", 100, 1000)).hasValue(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1001", "-1", "+5", "ten", "1e3", " 5", "5 ", "0x10", "99999999999999"})
    void anythingElseIsRefused(String limit) {
        assertThat(PageSize.parse(limit, 100, 1000)).isEmpty();
    }
}
