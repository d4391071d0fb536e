package health.treatment.core.internal;

/**
 * JSON Pointer helpers. A pointer is built from property names the client chose, so only plain tokens (the shape of
 * every schema property name) are kept; at the first other name the pointer stops at the enclosing value. That keeps
 * arbitrary submitted text (possibly PHI or markup) out of violations while pointing at schema fields exactly.
 */
final class Pointers {

    private static final int MAX_TOKEN = 64;

    private Pointers() {}

    /** {@code parent + "/" + name} with {@code name} escaped as an RFC 6901 reference token ({@code ~0}, {@code ~1}). */
    static String child(String parent, String name) {
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static boolean isSafeToken(String name) {
        int n = name.length();
        if (n == 0 || n > MAX_TOKEN) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Cuts a pointer (e.g. from Justify) at its first segment that is not a safe token. */
    static String sanitize(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.charAt(0) != '/') {
            return "";
        }
        int end = 0;
        int i = 1;
        while (i <= pointer.length()) {
            int next = pointer.indexOf('/', i);
            if (next < 0) {
                next = pointer.length();
            }
            if (!isSafeToken(pointer.substring(i, next))) {
                break;
            }
            end = next;
            i = next + 1;
        }
        return pointer.substring(0, end);
    }
}
