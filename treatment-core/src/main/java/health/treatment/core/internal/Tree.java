package health.treatment.core.internal;

/** Marker for JSON {@code null} in the plain-Java tree the validator builds while streaming. */
final class Tree {

    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private Tree() {}
}
