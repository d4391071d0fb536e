package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.prf.PrfSet;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One immutable snapshot of the key ring and the patient-key wrapping epochs. Rotation builds a new snapshot and
 * publishes it atomically, so an operation that read a snapshot finishes with consistent keys.
 */
public final class KeyRing {
    private final KeysetHandle phiKeyset;
    private final Aead phiAead;
    private final List<Integer> phiKeyIds;
    private final Set<Integer> phiKeyIdSet;
    private final KeysetHandle blindIndexPrfKeyset;
    private final KeysetHandle pseudonymPrfKeyset;
    private final PrfSet blindIndexPrf;
    private final PrfSet pseudonymPrf;
    private final WrappingEpochs epochs;

    /** A ring without wrapping epochs (add them with {@link #withEpochs}). */
    public KeyRing(KeysetHandle phiKeyset, KeysetHandle blindIndexKeyset, KeysetHandle pseudonymKeyset)
            throws GeneralSecurityException {
        this.phiKeyset = phiKeyset;
        this.phiAead = phiKeyset.getPrimitive(TinkSetup.configuration(), Aead.class);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < phiKeyset.size(); i++) {
            ids.add(phiKeyset.getAt(i).getId());
        }
        this.phiKeyIds = List.copyOf(ids);
        this.phiKeyIdSet = Set.copyOf(ids);
        this.blindIndexPrfKeyset = blindIndexKeyset;
        this.pseudonymPrfKeyset = pseudonymKeyset;
        this.blindIndexPrf = blindIndexKeyset.getPrimitive(TinkSetup.configuration(), PrfSet.class);
        this.pseudonymPrf = pseudonymKeyset.getPrimitive(TinkSetup.configuration(), PrfSet.class);
        this.epochs = WrappingEpochs.NONE;
    }

    private KeyRing(KeyRing ring, WrappingEpochs epochs) {
        this.phiKeyset = ring.phiKeyset;
        this.phiAead = ring.phiAead;
        this.phiKeyIds = ring.phiKeyIds;
        this.phiKeyIdSet = ring.phiKeyIdSet;
        this.blindIndexPrfKeyset = ring.blindIndexPrfKeyset;
        this.pseudonymPrfKeyset = ring.pseudonymPrfKeyset;
        this.blindIndexPrf = ring.blindIndexPrf;
        this.pseudonymPrf = ring.pseudonymPrf;
        this.epochs = epochs;
    }

    /** The same ring with these wrapping epochs. */
    public KeyRing withEpochs(WrappingEpochs next) {
        return new KeyRing(this, next);
    }

    public WrappingEpochs epochs() {
        return epochs;
    }

    public KeysetHandle phiKeyset() {
        return phiKeyset;
    }

    public Aead phiAead() {
        return phiAead;
    }

    public int primaryKeyId() {
        return phiKeyset.getPrimary().getId();
    }

    public List<Integer> phiKeyIds() {
        return phiKeyIds;
    }

    public boolean holdsPhiKey(int keyId) {
        return phiKeyIdSet.contains(keyId);
    }

    public KeysetHandle blindIndexPrfKeyset() {
        return blindIndexPrfKeyset;
    }

    public KeysetHandle pseudonymPrfKeyset() {
        return pseudonymPrfKeyset;
    }

    public int blindIndexKeyId() {
        return blindIndexPrfKeyset.getPrimary().getId();
    }

    public int pseudonymKeyId() {
        return pseudonymPrfKeyset.getPrimary().getId();
    }

    public PrfSet blindIndexPrf() {
        return blindIndexPrf;
    }

    public PrfSet pseudonymPrf() {
        return pseudonymPrf;
    }

    @Override
    public String toString() {
        return "KeyRing[primary=" + primaryKeyId() + ", keys=" + phiKeyIds.size() + ", wrappingEpoch="
                + epochs.current() + "]";
    }
}
