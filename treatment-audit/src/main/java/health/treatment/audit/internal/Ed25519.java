package health.treatment.audit.internal;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Ed25519 signature checks (JDK provider), for checkpoints and key endorsements alike. */
public final class Ed25519 {
    private Ed25519() {}

    /**
     * True when {@code hexSignature} is a valid signature of {@code message} under {@code key}. Never throws for a bad
     * signature, malformed hex or a key that is not Ed25519: each of those is simply "does not verify".
     */
    public static boolean verifies(PublicKey key, byte[] message, String hexSignature) {
        try {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(key);
            sig.update(message);
            return sig.verify(Hex.decode(hexSignature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
