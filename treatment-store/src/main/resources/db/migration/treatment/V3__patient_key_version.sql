-- Erasure and rotation of per-patient keys (crypto-shredding). What holds when:
--   * erasure sets wrapped_data_key to NULL: the live database can no longer decrypt any record of that patient, nor
--     the identifier, from that commit on;
--   * a database backup taken before the erasure still holds the wrapped key. It stays decryptable with the live keys
--     until the next rotation (TreatmentStore.rewrapPatientKeys) has re-wrapped every surviving key under a new
--     wrapping-key epoch and destroyed the epoch in force when the backup was taken. From then on no patient key in
--     that backup unwraps: the erased patient's, nor anybody else's.
-- Runs on PostgreSQL and on H2 2.x in PostgreSQL mode.

-- key_version: bumped by every change of wrapped_data_key (erasure, re-key, re-wrap), for optimistic re-wrapping.
-- key_epoch: the wrapping epoch of wrapped_data_key (0: layout 1, wrapped under the PHI key ring by the code before
-- epochs), so a rotation tells the rows still under an older epoch without unwrapping anything.
-- erased_at: the patient's oldest erasure not yet covered by a completed rotation (once covered, the latest one);
-- indexed for "is a rotation due?". No index on key_epoch: only a rotation filters on it, and it reads every row.
ALTER TABLE patient ADD COLUMN key_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE patient ADD COLUMN key_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patient ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_patient_erased_at ON patient (erased_at);

-- One row. min_wrapping_epoch: the oldest wrapping epoch a new patient key may be wrapped under. A rotation raises it
-- before it re-wraps; every transaction that creates a patient key reads it under a shared lock (H2: an exclusive
-- one) held to its commit, so once the rotation's raise has committed no key under an older epoch can be committed
-- any more, from any node, and the rotation's sweep cannot miss one.
-- erasures_covered_before: when the last completed rotation began; erasures before it are retired from every backup.
CREATE TABLE patient_key_floor (
    id                       INTEGER      NOT NULL PRIMARY KEY,
    min_wrapping_epoch       INTEGER      NOT NULL,
    erasures_covered_before  TIMESTAMP WITH TIME ZONE
);
INSERT INTO patient_key_floor (id, min_wrapping_epoch) VALUES (1, 0);
