package health.treatment.security;

import java.util.Arrays;
import java.util.Objects;

/**
 * A password or other secret. {@link #toString()} never reveals it; reading it back is explicit and greppable via
 * {@link #revealForKeyStore()}. Call {@link #destroy()} when it is no longer needed.
 */
public final class Secret {
    private final char[] value;
    private volatile boolean destroyed;

    private Secret(char[] value) {
        this.value = value;
    }

    /** Copies {@code value}; the caller should clear its own array. */
    public static Secret of(char[] value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.clone());
    }

    /** For values that already arrive as strings (e.g. from configuration); prefer {@link #of(char[])}. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.toCharArray());
    }

    /**
     * Returns a copy of the secret, for {@link java.security.KeyStore} APIs. The name is deliberately greppable: every
     * call site is a place where the secret leaves its wrapper.
     *
     * @throws IllegalStateException if destroyed
     */
    public char[] revealForKeyStore() {
        if (destroyed) {
            throw new IllegalStateException("secret destroyed");
        }
        return value.clone();
    }

    /** Overwrites the secret; later reveals throw. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(value, '\0');
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
