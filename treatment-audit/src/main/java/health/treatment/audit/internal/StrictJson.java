package health.treatment.audit.internal;

import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * Reading the audit trail's JSON (checkpoint files, export lines) through JSON-P, strictly: one object per text,
 * duplicate keys refused (so a tampered line cannot say two things), shallow nesting only. Failures are
 * {@link IllegalArgumentException}s with fixed messages that never echo the input.
 */
public final class StrictJson {
    /** Audit JSON nests two levels (an export line holding an event holding roles); anything deeper is hostile. */
    private static final int MAX_DEPTH = 16;
    /** Parsson's own setting; other JSON-P providers ignore an unknown key and keep their (larger) default. */
    private static final String PARSSON_MAX_DEPTH = "org.eclipse.parsson.maxDepth";
    /** Parsson honours the standard key strategy in its reader only; its parser reads its own setting. */
    private static final String PARSSON_REJECT_DUPLICATE_KEYS = "org.eclipse.parsson.rejectDuplicateKeys";

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of(
            JsonConfig.KEY_STRATEGY,
            JsonConfig.KeyStrategy.NONE,
            PARSSON_REJECT_DUPLICATE_KEYS,
            true,
            PARSSON_MAX_DEPTH,
            MAX_DEPTH));

    private StrictJson() {}

    /** Parses one JSON object and nothing after it (a JsonReader would ignore trailing text). */
    public static JsonObject parseObject(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new IllegalArgumentException("malformed JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new IllegalArgumentException("malformed JSON object");
            }
            return object;
        } catch (RuntimeException e) {
            // Syntax errors, duplicate keys, trailing text and (in Parsson, a bare RuntimeException) excessive depth
            // all end here; the provider's message may quote the input, so it is not passed on.
            throw new IllegalArgumentException("malformed JSON object");
        }
    }

    /** The string member {@code name}; absent, null or another type is an error. */
    public static String requiredString(JsonObject o, String name) {
        String s = optionalString(o, name);
        if (s == null) {
            throw new IllegalArgumentException("missing string field " + name);
        }
        return s;
    }

    /** The string member {@code name}, or null when it is absent or JSON null; another type is an error. */
    public static String optionalString(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new IllegalArgumentException("field " + name + " is not a string");
        }
        return s.getString();
    }

    /** The integral number member {@code name} (no fraction, within long); anything else is an error. */
    public static long requiredLong(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (!(v instanceof JsonNumber n)) {
            throw new IllegalArgumentException("missing number field " + name);
        }
        try {
            return n.bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("field " + name + " is not an integer");
        }
    }

    /** Like {@link #requiredLong} but 0 when the member is absent or JSON null. */
    public static long optionalLong(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v == null || v.getValueType() == JsonValue.ValueType.NULL ? 0 : requiredLong(o, name);
    }
}
