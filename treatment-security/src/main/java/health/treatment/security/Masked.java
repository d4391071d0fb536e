package health.treatment.security;

import java.util.Objects;

/**
 * Holds a PHI value so that accidental string conversion (logging, string concatenation, debuggers' toString) prints
 * {@code ***}. The value is only available through the explicit, greppable {@link #unmask()}.
 *
 * <p>Equality is identity on purpose: equals/hashCode on the value could leak it through hash-based side channels in
 * logs or metrics.
 */
public final class Masked<T> {
    private final T value;

    private Masked(T value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static <T> Masked<T> of(T value) {
        return new Masked<>(value);
    }

    /** Returns the PHI value. Every call site is a place where PHI leaves its wrapper. */
    public T unmask() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
