package health.treatment.store;

/**
 * What a rotation of the patient-key wrapping epoch did ({@link TreatmentStore#rewrapPatientKeys}).
 *
 * @param epoch the wrapping epoch begun by this run; every surviving patient key is wrapped under it when
 *     {@code olderEpochsDestroyed}
 * @param rewrapped patient keys this run moved to {@code epoch}
 * @param remaining patient keys still wrapped under an older epoch at the end (they could not be unwrapped: damaged,
 *     or under an epoch the key store no longer holds); 0 when {@code olderEpochsDestroyed}
 * @param olderEpochsDestroyed whether every epoch before {@code epoch} was destroyed: only then are database backups
 *     taken before this run unreadable for patient-keyed data
 */
public record RewrapResult(int epoch, long rewrapped, long remaining, boolean olderEpochsDestroyed) {
    public RewrapResult {
        if (epoch < 1 || rewrapped < 0 || remaining < 0 || (olderEpochsDestroyed && remaining != 0)) {
            throw new IllegalArgumentException("inconsistent rewrap result");
        }
    }
}
