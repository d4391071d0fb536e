package health.treatment.security.internal;

import com.google.crypto.tink.Aead;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable snapshot of the patient-key wrapping epochs: the AEAD of every epoch still held, the current one (new
 * patient keys are wrapped under it) and the oldest one still accepted. Epoch 0 stands for layout-1 keys, wrapped
 * under the PHI key ring before epochs existed: accepted only while {@code oldest} is 0.
 */
public final class WrappingEpochs {
    static final WrappingEpochs NONE = new WrappingEpochs(0, 0, Map.of());

    private final int current;
    private final int oldest;
    private final Map<Integer, Aead> aeads;

    WrappingEpochs(int current, int oldest, Map<Integer, Aead> aeads) {
        this.current = current;
        this.oldest = oldest;
        this.aeads = Collections.unmodifiableMap(new TreeMap<>(aeads));
    }

    /** The epoch new patient keys are wrapped under; 0 when there is none (never after a successful open). */
    public int current() {
        return current;
    }

    /** The oldest epoch still accepted (0: layout-1 keys too). */
    public int oldest() {
        return oldest;
    }

    /** The AEAD of {@code epoch} ({@code >= 1}), or null when this snapshot does not hold it. */
    public Aead aead(int epoch) {
        return epoch < oldest ? null : aeads.get(epoch);
    }

    /** Whether a key wrapped under {@code epoch} (0: layout 1) can be unwrapped with this snapshot. */
    public boolean accepts(int epoch) {
        return epoch == 0 ? oldest == 0 : aead(epoch) != null;
    }

    /** The epochs held, ascending (key ids only, no material). */
    public List<Integer> epochs() {
        return List.copyOf(aeads.keySet());
    }

    WrappingEpochs with(int epoch, Aead aead) {
        Map<Integer, Aead> next = new TreeMap<>(aeads);
        next.put(epoch, aead);
        return new WrappingEpochs(Math.max(current, epoch), oldest, next);
    }

    WrappingEpochs withOldest(int newOldest) {
        Map<Integer, Aead> next = new TreeMap<>(aeads);
        next.keySet().removeIf(e -> e < newOldest);
        return new WrappingEpochs(current, Math.max(oldest, newOldest), next);
    }

    @Override
    public String toString() {
        return "WrappingEpochs[current=" + current + ", oldest=" + oldest + ", held=" + aeads.keySet() + "]";
    }
}
