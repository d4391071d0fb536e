package health.treatment.core.internal;

import health.treatment.core.ViolationCodes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules the schema cannot express, run on the streamed tree once the document is complete (whether or not the schema
 * found problems, so that one response lists everything): offsets on date-times, calendar validity, end not before
 * start, duration consistent with start and end, an identifier present.
 */
final class CrossFieldRules {

    private static final long TOLERANCE_SECONDS = ViolationCodes.DURATION_TOLERANCE_MINUTES * 60L;

    interface Sink {
        void add(String pointer, String code);

        void remove(String pointer, String code);

        boolean has(String pointer, String code);
    }

    /** Date-times parsed during the checks, by pointer, so binding does not parse twice. */
    static final class Dates {
        private final Map<String, OffsetDateTime> byPointer = new HashMap<>();

        OffsetDateTime get(String pointer) {
            return byPointer.get(pointer);
        }
    }

    private CrossFieldRules() {}

    static Dates check(Map<String, Object> root, Sink sink) {
        Dates dates = new Dates();
        OffsetDateTime start = dateTime(root.get("treatment_start"), "/treatment_start", dates, sink);
        OffsetDateTime end = dateTime(root.get("treatment_end"), "/treatment_end", dates, sink);
        Object observations = root.get("observations");
        if (observations instanceof List) {
            List<?> items = (List<?>) observations;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof Map) {
                    String pointer = "/observations/" + i + "/time";
                    dateTime(((Map<?, ?>) items.get(i)).get("time"), pointer, dates, sink);
                }
            }
        }
        if (start != null && end != null) {
            if (end.isBefore(start)) {
                sink.add("/treatment_end", ViolationCodes.END_BEFORE_START);
            } else {
                checkDuration(root.get("session_duration"), Duration.between(start, end), sink);
            }
        }
        if (!root.containsKey("patient_id") && !root.containsKey("encounter_id")) {
            for (String pointer : ValidationSchema.IDENTIFIER_POINTERS) {
                sink.add(pointer, ViolationCodes.IDENTIFIER_REQUIRED);
            }
        }
        return dates;
    }

    private static void checkDuration(Object value, Duration actual, Sink sink) {
        if (!(value instanceof BigDecimal)) {
            return; // absent or wrongly typed (the schema reports that)
        }
        BigDecimal minutes = (BigDecimal) value;
        // Out-of-range values are the schema's to report; also keeps the arithmetic small.
        if (minutes.compareTo(BigDecimal.ONE) < 0 || minutes.compareTo(BigDecimal.valueOf(20160)) > 0) {
            return;
        }
        long declaredSeconds = minutes.multiply(BigDecimal.valueOf(60)).longValue();
        if (Math.abs(actual.getSeconds() - declaredSeconds) > TOLERANCE_SECONDS) {
            sink.add("/session_duration", ViolationCodes.DURATION_MISMATCH);
        }
    }

    /** Parses a date-time field, reporting offset_required or format_date_time; null when absent or invalid. */
    private static OffsetDateTime dateTime(Object value, String pointer, Dates dates, Sink sink) {
        if (!(value instanceof String)) {
            return null; // absent or wrongly typed (the schema reports that)
        }
        OffsetDateTime parsed = Rfc3339.parseWithOffset((String) value);
        if (parsed != null) {
            dates.byPointer.put(pointer, parsed);
            return parsed;
        }
        if (Rfc3339.isLocalDateTime((String) value)) {
            // More precise than the schema's generic format problem for the same value.
            sink.remove(pointer, ViolationCodes.FORMAT_DATE_TIME);
            sink.add(pointer, ViolationCodes.OFFSET_REQUIRED);
        } else {
            sink.add(pointer, ViolationCodes.FORMAT_DATE_TIME);
        }
        return null;
    }
}
