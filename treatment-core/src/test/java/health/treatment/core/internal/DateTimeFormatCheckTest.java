package health.treatment.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.leadpony.justify.api.JsonSchema;
import org.leadpony.justify.api.JsonValidationService;

/**
 * The engine's date-time check (a fast path, then Justify itself) answers exactly as Justify's built-in
 * {@code format: "date-time"} on every input tried, and its fast path accepts nothing Justify refuses.
 */
class DateTimeFormatCheckTest {

    private static final JsonValidationService SERVICE = JsonValidationService.newInstance();
    private static final JsonSchema DATE_TIME = SERVICE.readSchema(new StringReader("{\"format\":\"date-time\"}"));
    private static final ValidationSchema.StringCheck CHECK =
            new ValidationSchema(JsonProvider.provider(), SERVICE).rootMembers.get("treatment_start");

    private static boolean fastPath(String s) {
        return Rfc3339.parseWithOffset(s) != null;
    }

    private static final String[] CASES = {
        "2025-03-28T08:00:00Z",
        "2025-03-28t08:00:00z",
        "2025-03-28T08:00:00.5+01:00",
        "2025-03-28T08:00:00.123456789-05:30",
        "2024-02-29T23:59:59+00:00",
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
        "2025-03-28T08:00:00+23:59",
        "2025-03-28T08:00:00+24:00",
        "2025-03-28T08:00:00+01:60",
        "+12025-03-28T08:00:00Z",
        "-0001-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "2025-03-28T08:00:00ZZ",
        "2025-13-28T08:00:00Z",
        "２０２５-03-28T08:00:00Z",
        "2025-03-28T08:00:00+01:00+01:00",
        "2025-03-28T08:00:00-",
        "2025-03-28T",
        "T08:00:00Z",
        "2025-03-28TT08:00:00Z",
        "2025-03-28T08:00:00+",
        "2025-03-28T08:00:00z+01:00",
        "2025-3-28T08:00:00Z",
        "2025-03-28T8:00:00Z",
        "2025-03-28T08:00:00Zt",
        "2025-03-28T08:00:00.000000000000000001Z"
    };

    @Test
    void agreesWithJustifyOnKnownCases() {
        for (String s : CASES) {
            assertThat(CHECK.test(s)).as(s).isEqualTo(justify(s));
            assertThat(!fastPath(s) || justify(s)).as(s).isTrue();
        }
    }

    @Test
    void agreesWithJustifyOnRandomVariationsOfValidDateTimes() {
        Random random = new Random(0xDA7E_0001L);
        String alphabet = "0123456789-:+.TtZz x";
        String[] seeds = {"2025-03-28T08:00:00Z", "2024-02-29T23:59:59.123+05:30", "2025-12-31t00:00:00-18:00"};
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(seeds[i % seeds.length]);
            for (int r = 1 + random.nextInt(3); r > 0 && sb.length() > 0; r--) {
                int pos = random.nextInt(sb.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> sb.setCharAt(pos, c);
                    case 1 -> sb.insert(pos, c);
                    default -> sb.deleteCharAt(pos);
                }
            }
            String s = sb.toString();
            boolean expected = justify(s);
            accepted += expected ? 1 : 0;
            assertThat(CHECK.test(s)).as(s).isEqualTo(expected);
            assertThat(!fastPath(s) || expected).as(s).isTrue();
        }
        assertThat(accepted).isBetween(100, 19_900);
    }

    private static boolean justify(String s) {
        List<Object> problems = new ArrayList<>();
        String json = Json.createValue(s).toString();
        try (JsonParser parser = SERVICE.createParser(new StringReader(json), DATE_TIME, problems::addAll)) {
            while (parser.hasNext()) {
                parser.next();
            }
        }
        return problems.isEmpty();
    }
}
