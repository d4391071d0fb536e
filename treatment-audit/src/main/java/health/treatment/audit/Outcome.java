package health.treatment.audit;

import java.util.Locale;

/** What happened to the attempt; the code is the stable wire/database value. */
public enum Outcome {
    SUCCESS("0"),
    CLIENT_ERROR("4"),
    UNAUTHENTICATED("4"),
    FORBIDDEN("4"),
    RATE_LIMITED("4"),
    SERVER_ERROR("8");

    private final String fhirOutcome;

    Outcome(String fhirOutcome) {
        this.fhirOutcome = fhirOutcome;
    }

    /** The stable lower-case code, e.g. {@code client_error}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** FHIR R4 AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure (12 is not produced). */
    public String fhirOutcome() {
        return fhirOutcome;
    }

    /** True for the outcomes the {@link AbuseDetector} counts. */
    public boolean isRejection() {
        return this != SUCCESS && this != SERVER_ERROR;
    }

    /** The outcome of an HTTP request answered with {@code status}: 2xx/3xx success, 401, 403, 429, other 4xx, 5xx. */
    public static Outcome forHttpStatus(int status) {
        if (status < 400) {
            return SUCCESS;
        }
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 429 -> RATE_LIMITED;
            default -> status >= 500 ? SERVER_ERROR : CLIENT_ERROR;
        };
    }

    public static Outcome fromCode(String code) {
        for (Outcome o : values()) {
            if (o.code().equals(code)) {
                return o;
            }
        }
        throw new AuditException("unknown outcome code");
    }
}
