package health.treatment.audit.internal;

import health.treatment.audit.testing.Events;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void eventJsonRoundTripsThroughTheParser() {
        var e = Events.create(9);
        assertThat(Json.eventFromMap(Json.parseObject(e.toJson()))).isEqualTo(e);
    }

    @Test
    void parserHandlesEscapesNumbersAndNesting() {
        Map<String, Object> m = Json.parseObject("{\"a\":\"x\\u0041\\n\",\"b\":[1,2.5,-3e2],\"c\":{\"d\":null,\"e\":true}}");
        assertThat(m.get("a")).isEqualTo("xA\n");
        assertThat(m.get("b")).isEqualTo(List.of(new BigDecimal("1"), new BigDecimal("2.5"), new BigDecimal("-3e2")));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) m.get("c");
        assertThat(c).containsEntry("d", null).containsEntry("e", true);
    }

    @Test
    void parserRejectsMalformedInputDuplicateKeysAndDeepNesting() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> Json.parse("[".repeat(40) + "]".repeat(40))).hasMessageContaining("too deep");
        assertThatThrownBy(() -> Json.parse("\"abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing");
    }

    @Test
    void writerEscapesControlAndNonAsciiCharacters() {
        assertThat(Json.object().str("k", "a\"b\\c\u0001\u00e9").end()).isEqualTo("{\"k\":\"a\\\"b\\\\c\\u0001\\u00e9\"}");
    }
}
