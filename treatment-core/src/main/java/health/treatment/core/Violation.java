package health.treatment.core;

import java.util.Objects;

/**
 * One problem found in a submitted document.
 *
 * @param pointer RFC 6901 JSON Pointer to the offending value ({@code ""} is the whole document); property names that are
 *     not plain tokens are cut off so that a pointer cannot carry arbitrary submitted text
 * @param code stable machine-readable code, one of {@link ViolationCodes}
 * @param message fixed English sentence for the code; never contains a submitted value
 */
public record Violation(String pointer, String code, String message) {

    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (!pointer.isEmpty() && pointer.charAt(0) != '/') {
            throw new TreatmentCoreException("pointer must be empty or start with '/'");
        }
    }
}
