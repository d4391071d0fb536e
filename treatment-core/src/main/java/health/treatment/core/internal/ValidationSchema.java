package health.treatment.core.internal;

import health.treatment.core.TreatmentCoreException;
import health.treatment.core.TreatmentSchema;
import health.treatment.core.ViolationCodes;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.leadpony.justify.api.JsonSchema;
import org.leadpony.justify.api.JsonValidationService;

/**
 * The schema Justify runs at validation time, derived at startup from the published schema
 * ({@link TreatmentSchema#json()}, which stays the contract and is not modified): the published schema minus the
 * keywords that {@link ValidationEngine} evaluates itself, with the same verdict, pointer and code, on the same parser
 * event, and after Justify's problems for that event (each removed keyword is the last keyword of its subschema, and
 * Justify reports a subschema's problems in keyword order):
 *
 * <ul>
 *   <li>every {@code "format": "date-time"}: a fast path for RFC 3339 date-times with an offset; anything else is
 *       validated by Justify itself against {@code {"format": "date-time"}};</li>
 *   <li>every {@code "pattern"}: a char loop that only ever <em>accepts</em> (it recognises strings that certainly
 *       match, e.g. non-empty and all characters in the pattern's character class); anything it does not accept is
 *       validated by Justify itself against {@code {"pattern": <the same pattern>}}, so the verdict is Justify's;</li>
 *   <li>the root {@code "anyOf": [{"required": ["patient_id"]}, {"required": ["encounter_id"]}]}: checked on the root's
 *       END_OBJECT event (at least one of the two names is a member), reported as identifier_required at
 *       {@code /patient_id} and at {@code /encounter_id} ({@link #IDENTIFIER_POINTERS}, the members Justify's two
 *       branches require).</li>
 * </ul>
 *
 * <p>Removed keywords may only sit where the engine knows how to find the instance values they apply to: a property
 * of the root ({@code /properties/K}), the items of an array property of the root ({@code /properties/K/items}), or a
 * property of those items ({@code /properties/K/items/properties/M}). Anything else fails fast at startup, so a schema
 * change cannot silently drop a check. {@code ValidationSchemaTest} proves the equivalence on every invalid test
 * document and on seeded mutations: identical violation lists with the published schema and with this one.
 */
final class ValidationSchema {

    /** A removed keyword, evaluated by the engine on a string value. */
    static final class StringCheck {
        final String code;
        private final Predicate<String> test;

        StringCheck(String code, Predicate<String> test) {
            this.code = code;
            this.test = test;
        }

        boolean test(String value) {
            return test.test(value);
        }
    }

    private static final String IDENTIFIER_ANY_OF =
            "[{\"required\":[\"patient_id\"]},{\"required\":[\"encounter_id\"]}]";

    /** Where identifier_required is reported, one violation each, in the order of the anyOf branches. */
    static final List<String> IDENTIFIER_POINTERS = List.of("/patient_id", "/encounter_id");

    /**
     * Fast acceptors for the patterns of v1, by pattern text. Each accepts only strings the pattern certainly matches;
     * a pattern without an entry is always left to Justify.
     */
    private static final Map<String, Predicate<String>> FAST_PATTERNS = Map.of(
            "^(?!.*\\.\\.)[A-Za-z0-9\\-._:/]+$", s -> allIn(s, 0, "-._:/") && s.indexOf("..") < 0,
            "^[A-Za-z0-9_.\\-]+$", s -> allIn(s, 0, "_.-"),
            "^[A-Za-z0-9_.:\\-]+$", s -> allIn(s, 0, "_.:-"),
            "^[A-Za-z0-9.\\[\\]{}/%*^+\\-_]+$", s -> allIn(s, 0, ".[]{}/%*^+-_"),
            "^[A-Za-z][A-Za-z0-9+.\\-]*:[A-Za-z0-9\\-._~:/?#@!$&*+,;=%]+$", ValidationSchema::isSimpleUri,
            "^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$", ValidationSchema::isPlainText);

    final String json;
    /** Checks on string members of the root, by member name. */
    final Map<String, StringCheck> rootMembers = new HashMap<>();
    /** Checks on string items of array members of the root, by the root member's name. */
    final Map<String, StringCheck> rootArrayItems = new HashMap<>();
    /** Checks on string members of object items of array members of the root: root member name, then item member. */
    final Map<String, Map<String, StringCheck>> rootArrayItemMembers = new HashMap<>();

    /** Patterns every value of which goes to Justify (none in v1; a test keeps it so). */
    final List<String> patternsWithoutFastPath = new ArrayList<>();

    private final JsonProvider provider;
    private final JsonValidationService service;

    ValidationSchema(JsonProvider provider, JsonValidationService service) {
        this(provider, service, TreatmentSchema.json());
    }

    /** Derived from {@code publishedJson}: the record schema, or a schema built on it (the batch item schema). */
    ValidationSchema(JsonProvider provider, JsonValidationService service, String publishedJson) {
        this.provider = provider;
        this.service = service;
        JsonObject published = read(publishedJson).asJsonObject();
        if (!read(IDENTIFIER_ANY_OF).equals(published.get("anyOf"))) {
            throw new TreatmentCoreException("published schema: root anyOf is not the identifier alternative");
        }
        JsonObjectBuilder root = provider.createObjectBuilder((JsonObject) strip(published, "", new ArrayList<>()));
        root.remove("anyOf");
        this.json = root.build().toString();
    }

    private JsonValue read(String text) {
        try (JsonReader reader = provider.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    /** Copies {@code value} without its format and pattern members, registering a check for each. */
    private JsonValue strip(JsonValue value, String pointer, List<String> path) {
        if (value instanceof JsonObject) {
            JsonObject object = (JsonObject) value;
            JsonObjectBuilder b = provider.createObjectBuilder();
            String last = null;
            for (String name : object.keySet()) {
                last = name;
            }
            for (Map.Entry<String, JsonValue> e : object.entrySet()) {
                String name = e.getKey();
                if (name.equals("format") || name.equals("pattern")) {
                    if (!name.equals(last)) {
                        throw new TreatmentCoreException(
                                "published schema: " + name + " is not the last keyword at " + pointer);
                    }
                    register(pointer, path, check(name, e.getValue(), pointer));
                    continue;
                }
                path.add(name);
                b.add(name, strip(e.getValue(), Pointers.child(pointer, name), path));
                path.remove(path.size() - 1);
            }
            return b.build();
        }
        if (value instanceof JsonArray) {
            JsonArrayBuilder b = provider.createArrayBuilder();
            JsonArray array = (JsonArray) value;
            for (int i = 0; i < array.size(); i++) {
                path.add(Integer.toString(i));
                b.add(strip(array.get(i), pointer + "/" + i, path));
                path.remove(path.size() - 1);
            }
            return b.build();
        }
        return value;
    }

    private StringCheck check(String keyword, JsonValue value, String pointer) {
        if (!(value instanceof JsonString)) {
            throw new TreatmentCoreException("published schema: " + keyword + " is not a string at " + pointer);
        }
        String text = ((JsonString) value).getString();
        if (keyword.equals("format")) {
            if (!text.equals("date-time")) {
                throw new TreatmentCoreException("published schema: unexpected format at " + pointer);
            }
            // Fast path: every string Rfc3339 parses with an offset is one Justify accepts (it has one 'T', a real
            // ISO_LOCAL_DATE, HH:mm:ss[.digits] within range and Z or an in-range offset; DateTimeFormatCheckTest
            // compares the
            // two on known and random inputs); anything else is Justify's own verdict.
            JsonSchema exact = oneKeywordSchema(keyword, text);
            return new StringCheck(
                    ViolationCodes.FORMAT_DATE_TIME,
                    s -> Rfc3339.parseWithOffset(s) != null || justifyAccepts(exact, s));
        }
        Predicate<String> known = FAST_PATTERNS.get(text);
        if (known == null) {
            patternsWithoutFastPath.add(text);
        }
        Predicate<String> fast = known != null ? known : s -> false;
        JsonSchema exact = oneKeywordSchema(keyword, text);
        return new StringCheck(ViolationCodes.PATTERN, s -> fast.test(s) || justifyAccepts(exact, s));
    }

    /** {@code {"<keyword>": "<text>"}}, read by Justify: the removed keyword on its own. */
    private JsonSchema oneKeywordSchema(String keyword, String text) {
        return service.readSchema(new StringReader(
                provider.createObjectBuilder().add(keyword, text).build().toString()));
    }

    /** Justify's own verdict for one string against a one-keyword schema. */
    private boolean justifyAccepts(JsonSchema schema, String s) {
        boolean[] ok = {true};
        String json = provider.createValue(s).toString();
        try (JsonParser parser = service.createParser(new StringReader(json), schema, problems -> ok[0] = false)) {
            while (parser.hasNext()) {
                parser.next();
            }
        }
        return ok[0];
    }

    private void register(String pointer, List<String> path, StringCheck check) {
        int n = path.size();
        boolean rootProperty = n == 2 && path.get(0).equals("properties");
        boolean items =
                n == 3 && path.get(0).equals("properties") && path.get(2).equals("items");
        boolean itemProperty = n == 5
                && path.get(0).equals("properties")
                && path.get(2).equals("items")
                && path.get(3).equals("properties");
        if (rootProperty) {
            rootMembers.put(path.get(1), check);
        } else if (items) {
            rootArrayItems.put(path.get(1), check);
        } else if (itemProperty) {
            rootArrayItemMembers
                    .computeIfAbsent(path.get(1), k -> new HashMap<>())
                    .put(path.get(4), check);
        } else {
            throw new TreatmentCoreException("published schema: the engine cannot evaluate the keyword at " + pointer);
        }
    }

    /** Non-empty, every char an ASCII letter or digit or one of {@code extra}. */
    private static boolean allIn(String s, int from, String extra) {
        int n = s.length();
        if (n <= from) {
            return false;
        }
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (!isAsciiAlphanumeric(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A letter, then scheme characters up to the first ':', then at least one URI character. */
    private static boolean isSimpleUri(String s) {
        int colon = s.indexOf(':');
        if (colon < 1 || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (!isAsciiAlphanumeric(c) && c != '+' && c != '.' && c != '-') {
                return false;
            }
        }
        return allIn(s, colon + 1, "-._~:/?#@!$&*+,;=%");
    }

    /** No char in U+0000–U+0008, U+000B–U+001F, U+007F–U+009F, and no surrogate at all (pairs are left to Justify). */
    private static boolean isPlainText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x08 || (c >= 0x0B && c <= 0x1F) || (c >= 0x7F && c <= 0x9F) || (c >= 0xD800 && c <= 0xDFFF)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }
}
