package health.treatment.core.internal;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exactly Justify 3.1.0's {@code format: "date-time"} test (class
 * {@code org.leadpony.justify.internal.keyword.assertion.format.DateTime} with its {@code Date} and {@code Time}), with
 * a fast path. Used by {@link ValidationEngine} for the date-time fields of the validation-time schema
 * ({@link ValidationSchema}), so that the schema's format problems are reported at the same moment and for the same
 * values as Justify would, without Justify's per-value regex splits.
 *
 * <p>Fast path: every string {@link Rfc3339#parseWithOffset} accepts is accepted by Justify (it has exactly one 'T' or
 * 't'; its date part is a real ISO_LOCAL_DATE; its time part is HH:mm:ss[.digits] with hour ≤ 23, minute ≤ 59,
 * second ≤ 59, followed by Z, z, or ±hh:mm with hh ≤ 18 ≤ 23 and mm ≤ 59). Every other string goes through a copy of
 * Justify's own algorithm (same JDK calls, same regexes), so the answer is Justify's for every input. Verified against
 * Justify itself by {@code JustifyDateTimeTest}.
 */
final class JustifyDateTime {

  private static final Pattern LOCAL_TIME = Pattern.compile("(\\d{2})\\:(\\d{2})\\:(\\d{2})(\\.\\d+)?");
  private static final Pattern TIME_OFFSET = Pattern.compile("(\\d{2})\\:(\\d{2})");

  private JustifyDateTime() {
  }

  static boolean test(String value) {
    return Rfc3339.parseWithOffset(value) != null || testLikeJustify(value);
  }

  /** Justify's {@code DateTime.test}, statement by statement. */
  static boolean testLikeJustify(String value) {
    String[] parts = value.split("T|t", 3);
    if (parts.length != 2) {
      return false;
    }
    return date(parts[0]) && time(parts[1]);
  }

  private static boolean date(String value) {
    try {
      DateTimeFormatter.ISO_LOCAL_DATE.parse(value);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean time(String value) {
    if (value.endsWith("Z") || value.endsWith("z")) {
      return localTime(value.substring(0, value.length() - 1));
    }
    String[] parts = value.split("\\+|\\-");
    if (parts.length != 2) {
      return false;
    }
    return localTime(parts[0]) && offset(parts[1]);
  }

  private static boolean localTime(String value) {
    Matcher m = LOCAL_TIME.matcher(value);
    if (!m.matches()) {
      return false;
    }
    return Integer.parseInt(m.group(1)) <= 23 && Integer.parseInt(m.group(2)) <= 59
        && Integer.parseInt(m.group(3)) <= 60;
  }

  private static boolean offset(String value) {
    Matcher m = TIME_OFFSET.matcher(value);
    if (!m.matches()) {
      return false;
    }
    return Integer.parseInt(m.group(1)) <= 23 && Integer.parseInt(m.group(2)) <= 59;
  }
}
