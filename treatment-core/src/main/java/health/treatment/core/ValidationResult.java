package health.treatment.core;

import java.util.List;
import java.util.Objects;

/** Outcome of {@link TreatmentValidator#validate}: the typed record, or every violation found. */
public sealed interface ValidationResult {

    boolean isValid();

    /** Every violation found, in document order where possible; empty when valid. */
    List<Violation> violations();

    /** The document is valid; {@code record} is its typed form. */
    record Valid(TreatmentRecord record) implements ValidationResult {
        public Valid {
            Objects.requireNonNull(record, "record");
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public List<Violation> violations() {
            return List.of();
        }
    }

    /** The document is invalid; {@code violations} is non-empty and immutable. */
    record Invalid(List<Violation> violations) implements ValidationResult {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new TreatmentCoreException("an invalid result needs at least one violation");
            }
        }

        @Override
        public boolean isValid() {
            return false;
        }

        /** True when the document was rejected for its size alone (HTTP 413 rather than 400). */
        public boolean isTooLarge() {
            return violations.stream().anyMatch(v -> ViolationCodes.DOCUMENT_TOO_LARGE.equals(v.code()));
        }
    }
}
