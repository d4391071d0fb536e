package health.treatment.security.logging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.message.StructuredDataMessage;
import org.apache.logging.log4j.util.StringMap;

/**
 * Log4j 2 rewrite policy that masks PHI as defence in depth (the code must not log PHI in the first place). Use inside
 * a {@code <Rewrite>} appender:
 *
 * <pre>{@code
 * <Rewrite name="Masked">
 *   <PhiMasking extraKeys="mrn,birth_date"/>
 *   <AppenderRef ref="File"/>
 * </Rewrite>
 * }</pre>
 *
 * <p>Masks, as {@code ***}: values of the keys {@code patient_id}, {@code encounter_id}, {@code notes},
 * {@code technician_id} and the configured extra keys (matched case-insensitively, also as camelCase or kebab-case) in
 * {@link MapMessage}s (including {@link StructuredDataMessage}) and in the thread context map; and fragments
 * {@code key=value}, {@code key: value}, {@code "key":"value"} in any other message's formatted text. An unquoted value
 * is masked up to the next white space or separator, so free text must be quoted or logged in a map message. Exception
 * messages and stack traces are not rewritten.
 *
 * <p>Needs Log4j Core at run time (an optional dependency of this module).
 */
@Plugin(name = "PhiMasking", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class PhiMaskingRewritePolicy implements RewritePolicy {
    /** Keys masked by default. */
    public static final List<String> DEFAULT_KEYS = List.of("patient_id", "encounter_id", "notes", "technician_id");

    public static final String MASK = "***";

    private final Set<String> normalisedKeys;
    private final Pattern fragment;
    /** Every spelling the fragment pattern looks for, lower case: a text holding none of them needs no regex. */
    private final String[] spellings;
    /** ASCII characters (either case) a spelling starts with. */
    private final boolean[] startsASpelling = new boolean[128];

    private PhiMaskingRewritePolicy(List<String> keys) {
        Set<String> normalised = new LinkedHashSet<>();
        List<String> alternatives = new ArrayList<>();
        List<String> spellingList = new ArrayList<>();
        for (String key : keys) {
            String k = key.strip();
            if (k.isEmpty()) {
                continue;
            }
            normalised.add(normaliseKey(k));
            String snake = k.replace('-', '_');
            for (String variant :
                    new LinkedHashSet<>(List.of(snake, snake.replace("_", ""), snake.replace('_', '-')))) {
                alternatives.add(Pattern.quote(variant));
                spellingList.add(variant.toLowerCase(Locale.ROOT));
            }
        }
        this.normalisedKeys = Set.copyOf(normalised);
        this.spellings = spellingList.toArray(new String[0]);
        for (String spelling : spellings) {
            char first = spelling.charAt(0);
            if (first < 128) {
                startsASpelling[Character.toLowerCase(first)] = true;
                startsASpelling[Character.toUpperCase(first)] = true;
            } else {
                Arrays.fill(startsASpelling, true); // a non-ASCII key: no shortcut, every text goes to the pattern
            }
        }
        // Longest first, so "patient_id" wins over a configured "patient".
        alternatives.sort((a, b) -> b.length() - a.length());
        this.fragment = Pattern.compile(
                "(?<![A-Za-z0-9_])(?<q>[\"']?)(?<k>" + String.join("|", alternatives)
                        + ")\\k<q>(?<sep>\\s*[=:]\\s*)(?<v>\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^\\s,;&}\\])\"']+)",
                Pattern.CASE_INSENSITIVE);
    }

    /** A policy masking the default keys plus {@code extraKeys}. */
    public static PhiMaskingRewritePolicy withExtraKeys(List<String> extraKeys) {
        List<String> keys = new ArrayList<>(DEFAULT_KEYS);
        keys.addAll(extraKeys);
        return new PhiMaskingRewritePolicy(keys);
    }

    /**
     * Log4j plugin factory.
     *
     * @param extraKeys comma-separated additional keys to mask, may be null
     */
    @PluginFactory
    public static PhiMaskingRewritePolicy createPolicy(@PluginAttribute("extraKeys") String extraKeys) {
        List<String> extra = new ArrayList<>();
        if (extraKeys != null) {
            for (String k : extraKeys.split(",")) {
                if (!k.isBlank()) {
                    extra.add(k.strip());
                }
            }
        }
        return withExtraKeys(extra);
    }

    @Override
    public LogEvent rewrite(LogEvent source) {
        Message message = source.getMessage();
        Message masked = maskMessage(message);
        StringMap context = maskContext(source);
        if (masked == message && context == null) {
            return source;
        }
        Log4jLogEvent.Builder builder = new Log4jLogEvent.Builder(source).setMessage(masked);
        if (context != null) {
            builder.setContextData(context);
        }
        return builder.build();
    }

    /** Masks PHI fragments in free text. */
    public String maskText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (!mentionsAKey(text)) {
            return text; // the usual case, e.g. every audit line: a plain scan instead of the regex
        }
        Matcher m = fragment.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String value = m.group("v");
            String replacement =
                    value.startsWith("\"") ? "\"" + MASK + "\"" : value.startsWith("'") ? "'" + MASK + "'" : MASK;
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            m.group("q") + m.group("k") + m.group("q") + m.group("sep") + replacement));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Whether some spelling of a key occurs in {@code text}, ignoring ASCII case, as the fragment pattern matches them
     * (what it needs first). One table lookup per character; only a possible first letter of a key compares further.
     */
    private boolean mentionsAKey(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 ? startsASpelling[0] : startsASpelling[c]) {
                for (String spelling : spellings) {
                    if (text.regionMatches(true, i, spelling, 0, spelling.length())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean isPhiKey(String key) {
        return key != null && normalisedKeys.contains(normaliseKey(key));
    }

    private static String normaliseKey(String key) {
        return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    private Message maskMessage(Message message) {
        if (message == null) {
            return null;
        }
        if (message instanceof MapMessage<?, ?> map) {
            Map<String, String> data = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<String, ?> e : map.getData().entrySet()) {
                String original = e.getValue() == null ? null : String.valueOf(e.getValue());
                String value = isPhiKey(e.getKey()) ? MASK : maskText(original);
                changed |= !Objects.equals(value, original);
                data.put(e.getKey(), value);
            }
            if (!changed) {
                return message;
            }
            if (message instanceof StructuredDataMessage sd) {
                return sd.newInstance(data);
            }
            return new MapMessage<>(data);
        }
        String formatted = message.getFormattedMessage();
        String masked = maskText(formatted);
        return masked.equals(formatted) ? message : new SimpleMessage(masked);
    }

    private StringMap maskContext(LogEvent source) {
        if (source.getContextData() == null || source.getContextData().isEmpty()) {
            return null;
        }
        Map<String, String> context = source.getContextData().toMap();
        boolean changed = false;
        StringMap copy = ContextDataFactory.createContextData();
        for (Map.Entry<String, String> e : context.entrySet()) {
            String value = isPhiKey(e.getKey()) ? MASK : maskText(e.getValue());
            changed |= !Objects.equals(value, e.getValue());
            copy.putValue(e.getKey(), value);
        }
        return changed ? copy : null;
    }

    @Override
    public String toString() {
        return "PhiMaskingRewritePolicy" + normalisedKeys;
    }
}
