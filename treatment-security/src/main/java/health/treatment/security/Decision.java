package health.treatment.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Outcome of a caller rule. Reason codes are stable and safe to log or return: {@code ok}, {@code role_not_allowed},
 * {@code machine_mismatch}, {@code certificate_required}, {@code certificate_mismatch}.
 *
 * @param allowed whether the action may proceed
 * @param reasonCode lowercase snake_case code; {@code ok} exactly when allowed
 */
public record Decision(boolean allowed, String reasonCode) {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*");
    public static final String OK = "ok";
    public static final String ROLE_NOT_ALLOWED = "role_not_allowed";
    public static final String MACHINE_MISMATCH = "machine_mismatch";
    public static final String CERTIFICATE_REQUIRED = "certificate_required";
    public static final String CERTIFICATE_MISMATCH = "certificate_mismatch";

    public Decision {
        Objects.requireNonNull(reasonCode, "reasonCode");
        if (!CODE.matcher(reasonCode).matches()) {
            throw new IllegalArgumentException("reason code must be lowercase snake_case");
        }
        if (allowed != OK.equals(reasonCode)) {
            throw new IllegalArgumentException("reason code 'ok' if and only if allowed");
        }
    }

    public static Decision allow() {
        return new Decision(true, OK);
    }

    public static Decision deny(String reasonCode) {
        return new Decision(false, reasonCode);
    }
}
