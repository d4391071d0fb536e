package health.treatment.security;

import java.util.List;
import java.util.Objects;

/**
 * Key ring facts for readiness checks and operators; never key material.
 *
 * @param primaryKeyId Tink key id used for new PHI encryptions
 * @param keyCount number of PHI encryption keys that can still decrypt
 * @param keyIds all PHI encryption key ids, in keyset order
 * @param blindIndexKeyId key id of the blind-index PRF (never rotated)
 * @param pseudonymKeyId key id of the pseudonym PRF (never rotated)
 * @param mode the deployment mode the ring was opened in
 */
public record KeyRingStatus(
        int primaryKeyId,
        int keyCount,
        List<Integer> keyIds,
        int blindIndexKeyId,
        int pseudonymKeyId,
        DeploymentMode mode) {
    public KeyRingStatus {
        keyIds = List.copyOf(keyIds);
        Objects.requireNonNull(mode, "mode");
        if (keyCount != keyIds.size() || !keyIds.contains(primaryKeyId)) {
            throw new IllegalArgumentException("inconsistent key ring status");
        }
    }
}
