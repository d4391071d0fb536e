package health.treatment.store;

import health.treatment.audit.AuditEvent;
import health.treatment.core.TreatmentRecord;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One validated record to store, as an authorised client sent it.
 *
 * @param record the validated record
 * @param clientId the authenticated client (token subject); idempotency keys are scoped to it
 * @param idempotencyKey the client's optional idempotency key, {@link #IDEMPOTENCY_KEY} (checked here)
 * @param attempt the audit event of this attempt as the caller sees it (who, where, when, action); the store
 *     completes it with the record id and the outcome and commits it with the record
 */
public record Submission(TreatmentRecord record, String clientId, Optional<String> idempotencyKey, AuditEvent attempt) {

    /** Idempotency keys are opaque client tokens (UUIDs in practice): 1-128 letters, digits or {@code - _ . :}. */
    public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    public Submission {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isPresent() && !isIdempotencyKey(idempotencyKey.get())) {
            throw new IllegalArgumentException("idempotencyKey must match " + IDEMPOTENCY_KEY.pattern());
        }
        Objects.requireNonNull(attempt, "attempt");
    }

    /** Whether {@code key} is an acceptable idempotency key (never echo a rejected one: it is client text). */
    public static boolean isIdempotencyKey(String key) {
        return key != null && IDEMPOTENCY_KEY.matcher(key).matches();
    }
}
