package health.treatment.web.it;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code /metrics} scrape as Prometheus does: a series by its name and label values, whatever the order of
 * its labels or the form of its number ({@code 1} or {@code 1.0}).
 */
final class Scrape {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Scrape() {}

    /**
     * The sum of the values of every series named {@code name} that has all the given labels ({@code key, value,
     * key, value, ...}); 0 if there is none.
     */
    static double sum(String scrape, String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int close = line.lastIndexOf('}');
            Map<String, String> have = new HashMap<>();
            if (line.charAt(name.length()) == '{') {
                Matcher m = LABEL.matcher(line.substring(name.length() + 1, close));
                while (m.find()) {
                    have.put(m.group(1), m.group(2));
                }
            }
            if (have.entrySet().containsAll(wanted.entrySet())) {
                String[] rest = line.substring(Math.max(close + 1, name.length()))
                        .trim()
                        .split(" ");
                sum += Double.parseDouble(rest[0]);
            }
        }
        return sum;
    }
}
