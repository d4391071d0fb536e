package health.treatment.core.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Strict RFC 3339 date-time parsing by position: {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|-hh:mm)}, with lower-case
 * t and z allowed as the RFC permits. Impossible calendar dates (2025-02-30) are rejected; so are leap seconds (:60),
 * which java.time cannot represent, and fractions beyond nanoseconds. Hand-written because java.time's formatter
 * allocates several objects per parse and this runs for every date-time of every document.
 */
final class Rfc3339 {

    private Rfc3339() {}

    /** The date-time, or null when {@code s} is not an RFC 3339 date-time with offset. */
    static OffsetDateTime parseWithOffset(String s) {
        int end = endOfLocalPart(s);
        if (end < 0 || end == s.length()) {
            return null;
        }
        ZoneOffset offset = offset(s, end);
        LocalDateTime local = local(s, end);
        return offset == null || local == null ? null : OffsetDateTime.of(local, offset);
    }

    /** True when {@code s} is a valid date-time that lacks only the offset. */
    static boolean isLocalDateTime(String s) {
        int end = endOfLocalPart(s);
        return end == s.length() && local(s, end) != null;
    }

    /** Index after "yyyy-MM-ddTHH:mm:ss[.f{1,9}]" if the shape matches, else -1. */
    private static int endOfLocalPart(String s) {
        if (s.length() < 19 || s.length() > 64) {
            return -1;
        }
        for (int i = 0; i < 19; i++) {
            char c = s.charAt(i);
            boolean ok;
            switch (i) {
                case 4:
                case 7:
                    ok = c == '-';
                    break;
                case 10:
                    ok = c == 'T' || c == 't';
                    break;
                case 13:
                case 16:
                    ok = c == ':';
                    break;
                default:
                    ok = c >= '0' && c <= '9';
            }
            if (!ok) {
                return -1;
            }
        }
        int i = 19;
        if (i < s.length() && s.charAt(i) == '.') {
            int start = ++i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return -1;
            }
        }
        return i;
    }

    private static LocalDateTime local(String s, int end) {
        int nanos = 0;
        if (end > 19) {
            int digits = end - 20;
            nanos = number(s, 20, end);
            for (int d = digits; d < 9; d++) {
                nanos *= 10;
            }
        }
        try {
            return LocalDateTime.of(
                    number(s, 0, 4),
                    number(s, 5, 7),
                    number(s, 8, 10),
                    number(s, 11, 13),
                    number(s, 14, 16),
                    number(s, 17, 19),
                    nanos);
        } catch (DateTimeException e) {
            return null; // e.g. February 30th, hour 24, second 60
        }
    }

    private static ZoneOffset offset(String s, int at) {
        int rest = s.length() - at;
        char c = s.charAt(at);
        if (rest == 1 && (c == 'Z' || c == 'z')) {
            return ZoneOffset.UTC;
        }
        if (rest != 6
                || (c != '+' && c != '-')
                || s.charAt(at + 3) != ':'
                || !digits(s, at + 1, at + 3)
                || !digits(s, at + 4, at + 6)) {
            return null;
        }
        int hours = number(s, at + 1, at + 3);
        int minutes = number(s, at + 4, at + 6);
        if (hours > 18 || minutes > 59) {
            return null;
        }
        int sign = c == '-' ? -1 : 1;
        try {
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}
