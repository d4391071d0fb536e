package health.treatment.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The alphabet of every audit event field (one source for {@link AuditEvent}'s checks) and the sanitising of values
 * that come from outside (token claims, HTTP headers, the peer address) before they enter an event: a value that does
 * not fit is left out, or, for a client id, replaced by its hash, so free text can never reach the trail.
 */
public final class AuditFields {

    static final Rule CLIENT_ID = new Rule("A-Za-z0-9_.@:-", 1, 128);
    static final Rule ROLE = new Rule("a-z", "a-z0-9_-", 1, 32);
    static final Rule TOKEN_ID = new Rule("A-Za-z0-9_.:-", 1, 128);
    static final Rule THUMBPRINT = new Rule("A-Za-z0-9_=-", 16, 128);
    static final Rule ACTION = new Rule("a-z", "a-z0-9_.-", 1, 64);
    static final Rule RESOURCE_TYPE = new Rule("A-Za-z", "A-Za-z0-9_.-", 1, 64);
    static final Rule RECORD_ID = new Rule("A-Za-z0-9_.:-", 1, 64);
    static final Rule REASON_CODE = new Rule("a-z0-9_.-", 1, 64);
    static final Rule SOURCE_IP = new Rule("0-9A-Fa-f:.", 2, 45);
    static final Rule NODE_ID = new Rule("A-Za-z0-9_.-", 1, 64);
    static final Rule REQUEST_ID = new Rule("A-Za-z0-9_.:-", 1, 128);
    static final int MAX_ROLES = 16;

    private AuditFields() {}

    /**
     * The anchored regular expression every value of the event field {@code name} (its JSON member name, e.g.
     * {@code client_id}, {@code roles} for each role) matches: the same rule the event constructor checks, published
     * so that documents describing events (the OpenAPI schema) do not copy it.
     *
     * @throws IllegalArgumentException for a name that is not a pattern-restricted event field
     */
    public static String pattern(String name) {
        Rule rule = switch (name) {
            case "client_id" -> CLIENT_ID;
            case "roles" -> ROLE;
            case "token_id" -> TOKEN_ID;
            case "certificate_thumbprint" -> THUMBPRINT;
            case "action" -> ACTION;
            case "resource_type" -> RESOURCE_TYPE;
            case "record_id" -> RECORD_ID;
            case "reason_code" -> REASON_CODE;
            case "source_ip" -> SOURCE_IP;
            case "node_id" -> NODE_ID;
            case "request_id" -> REQUEST_ID;
            default -> throw new IllegalArgumentException("not a pattern-restricted audit event field: " + name);
        };
        return "^" + rule.pattern().pattern() + "$";
    }

    /**
     * A token subject as a client id: unchanged when it fits the client-id alphabet, otherwise
     * {@code sha256:} + the first 43 characters of its base64url SHA-256 (stable, so one client stays one id); null
     * for null or empty.
     */
    public static String clientId(String subject) {
        if (subject == null || subject.isEmpty()) {
            return null;
        }
        return CLIENT_ID.matches(subject)
                ? subject
                : "sha256:" + sha256(subject.getBytes(StandardCharsets.UTF_8)).substring(0, 43);
    }

    /** A token id ({@code jti}) when it fits the alphabet, else null. */
    public static String tokenId(String jti) {
        return fits(jti, TOKEN_ID);
    }

    /** The peer address when it looks like an IPv4 or IPv6 literal, else null. */
    public static String sourceIp(String address) {
        return fits(address, SOURCE_IP);
    }

    /** A request correlation id when it fits the alphabet, else null. */
    public static String requestId(String id) {
        return fits(id, REQUEST_ID);
    }

    /** The groups that are valid role names, at most {@value #MAX_ROLES}; others are dropped. */
    public static List<String> roles(Collection<String> groups) {
        List<String> roles = new ArrayList<>();
        if (groups != null) {
            for (String group : groups) {
                if (group != null && ROLE.matches(group) && roles.size() < MAX_ROLES) {
                    roles.add(group);
                }
            }
        }
        return roles;
    }

    /** base64url SHA-256 without padding (of a subject that does not fit the client-id alphabet). */
    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    private static String fits(String value, Rule rule) {
        return value != null && rule.matches(value) ? value : null;
    }

    /**
     * One field's alphabet: an ASCII character class for the first character, one for the others, and bounds on the
     * length. Checked by a char loop (every event is checked when built and again when read back for sealing, and
     * the regex was measurable there); {@link #pattern()} is the same language as a regex, for messages and
     * documentation, and a test holds the two equal.
     */
    static final class Rule {
        private final boolean[] first = new boolean[128];
        private final boolean[] rest = new boolean[128];
        private final int min;
        private final int max;
        private final Pattern pattern;

        Rule(String chars, int min, int max) {
            this(chars, chars, min, max);
        }

        Rule(String firstChars, String restChars, int min, int max) {
            fill(first, firstChars);
            fill(rest, restChars);
            this.min = min;
            this.max = max;
            this.pattern = Pattern.compile(
                    firstChars.equals(restChars)
                            ? "[" + firstChars + "]{" + min + "," + max + "}"
                            : "[" + firstChars + "][" + restChars + "]{" + (min - 1) + "," + (max - 1) + "}");
        }

        /** Marks the characters of a class spelled as in a regex: single characters and ranges like {@code a-z}. */
        private static void fill(boolean[] set, String spec) {
            for (int i = 0; i < spec.length(); i++) {
                char c = spec.charAt(i);
                if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                    for (char x = c; x <= spec.charAt(i + 2); x++) {
                        set[x] = true;
                    }
                    i += 2;
                } else {
                    set[c] = true;
                }
            }
        }

        boolean matches(String s) {
            int n = s.length();
            if (n < min || n > max) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 128 || !(i == 0 ? first : rest)[c]) {
                    return false;
                }
            }
            return true;
        }

        Pattern pattern() {
            return pattern;
        }
    }
}
