package health.treatment.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of {@link TreatmentValidator#validateBatch}: either the body as a whole is refused (nothing in it can be
 * taken: not a JSON array, malformed, too large, too many items) or every item has its own result, in order.
 */
public sealed interface BatchValidation {

    /** The body as a whole is refused; {@code violation} says why (pointer {@code ""} or the offending item). */
    record Rejected(Violation violation) implements BatchValidation {
        public Rejected {
            Objects.requireNonNull(violation, "violation");
        }

        /** True when the batch was refused for its size alone (HTTP 413 rather than 400). */
        public boolean isTooLarge() {
            return ViolationCodes.DOCUMENT_TOO_LARGE.equals(violation.code());
        }
    }

    /** One result per array element, in request order. */
    record Items(List<Item> items) implements BatchValidation {
        public Items {
            items = List.copyOf(items);
        }
    }

    /**
     * One element of the batch.
     *
     * @param index position in the array, from 0
     * @param idempotencyKey the item's {@code idempotency_key} member, when the item is valid and has one
     * @param result the record or the item's violations (pointers relative to the item, as for a single document)
     */
    record Item(int index, Optional<String> idempotencyKey, ValidationResult result) {
        public Item {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(result, "result");
        }
    }
}
