package health.treatment.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.testing.Events;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void eventJsonRoundTripsThroughTheParser() {
        var e = Events.create(9);
        assertThat(AuditEvent.fromJson(StrictJson.parseObject(e.toJson()))).isEqualTo(e);
    }

    @Test
    void parserHandlesEscapesNumbersAndNesting() {
        JsonObject m = StrictJson.parseObject(
                "{\"a\":\"x\\u0041\\n\",\"b\":[1,2.5,-3e2],\"c\":{\"d\":null,\"e\":true},\"n\":42}");
        assertThat(StrictJson.requiredString(m, "a")).isEqualTo("xA\n");
        assertThat(m.getJsonArray("b").getJsonNumber(2).bigDecimalValue()).isEqualByComparingTo("-300");
        assertThat(StrictJson.optionalString(m.getJsonObject("c"), "d")).isNull();
        assertThat(m.getJsonObject("c").getBoolean("e")).isTrue();
        assertThat(StrictJson.requiredLong(m, "n")).isEqualTo(42);
        assertThatThrownBy(() -> StrictJson.requiredLong(m, "a")).hasMessage("missing number field a");
        assertThatThrownBy(() -> StrictJson.requiredString(m, "n")).hasMessage("field n is not a string");
        assertThatThrownBy(() -> StrictJson.requiredString(m, "zz")).hasMessage("missing string field zz");
    }

    @Test
    void parserRejectsMalformedInputDuplicateKeysAndDeepNesting() {
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":1,}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":1,\"a\":2}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("\"abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    /** What the hand-written parser used to accept: a signed or zero-padded number, a broken unicode escape. */
    @Test
    void parserRejectsWhatJsonForbids() {
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":+1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":01}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":\"\\u+041\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsNeverEchoTheInput() {
        assertThatThrownBy(() -> StrictJson.parseObject("{\"patient\":\"123456\",}"))
                .hasMessage("malformed JSON object");
    }

    @Test
    void writerEscapesQuotesBackslashesAndControlCharacters() {
        JsonObject o =
                Json.createObjectBuilder().add("k", "a\"b\\c\u0001\u00e9").build();
        assertThat(o.toString()).isEqualTo("{\"k\":\"a\\\"b\\\\c\\u0001\u00e9\"}");
        assertThat(StrictJson.requiredString(StrictJson.parseObject(o.toString()), "k"))
                .isEqualTo("a\"b\\c\u0001\u00e9");
    }
}
