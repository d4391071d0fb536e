package health.treatment.security;

import java.util.List;

/**
 * The patient-key wrapping epochs one node holds, for operators and readiness checks; numbers only, never material.
 *
 * @param current the epoch new patient keys are wrapped under
 * @param epochs every epoch held (ascending; {@code current} among them)
 * @param legacyKeysAccepted whether layout-1 keys (wrapped under the PHI key ring, from before epochs) still unwrap:
 *     true until the first {@link PhiProtection#destroyWrappingEpochsBefore} of an installation older than epochs
 */
public record WrappingEpochStatus(int current, List<Integer> epochs, boolean legacyKeysAccepted) {
    public WrappingEpochStatus {
        epochs = List.copyOf(epochs);
        if (current < 1 || !epochs.contains(current)) {
            throw new IllegalArgumentException("inconsistent wrapping epoch status");
        }
    }
}
