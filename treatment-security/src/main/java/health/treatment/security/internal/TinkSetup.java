package health.treatment.security.internal;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.config.TinkConfig2026;
import health.treatment.security.TreatmentSecurityException;

/**
 * The Tink configuration for every key generation, keyset (de)serialization and primitive: {@code TinkConfig2026}
 * (Tink 1.24), an explicit algorithm set independent of Tink's global registry, so nothing else in the application
 * can change which algorithms our keysets may use.
 */
public final class TinkSetup {
    private static final Configuration CONFIGURATION = init();

    private TinkSetup() {}

    private static Configuration init() {
        try {
            return TinkConfig2026.get();
        } catch (RuntimeException e) {
            throw new TreatmentSecurityException("Tink cannot be initialised", e);
        }
    }

    /** The configuration used for every {@code getPrimitive} call. */
    public static Configuration configuration() {
        return CONFIGURATION;
    }
}
