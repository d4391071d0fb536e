package health.treatment.web.rest;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The {@code limit} query parameter of the paged endpoints (audit events and checkpoints, the change feed), read as
 * text: a {@code @QueryParam Integer} that does not convert is a 404 by the JAX-RS rules, and a page size a client got
 * wrong deserves a 400 that says so.
 */
final class PageSize {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private PageSize() {}

    /** The page size asked for, {@code standard} when not given; empty when it is not an integer from 1 to max. */
    static OptionalInt parse(String limit, int standard, int max) {
        if (limit == null) {
            return OptionalInt.of(standard);
        }
        if (!DIGITS.matcher(limit).matches()) {
            return OptionalInt.empty();
        }
        int size = Integer.parseInt(limit);
        return size >= 1 && size <= max ? OptionalInt.of(size) : OptionalInt.empty();
    }
}
