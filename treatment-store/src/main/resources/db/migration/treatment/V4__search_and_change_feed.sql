-- Search by patient or encounter, and the change feed for interface engines.
-- Written for PostgreSQL; also runs on the embedded default (H2 2.x in PostgreSQL mode).

-- Encounter searches go through a keyed blind index of encounter_id (its own token space, see
-- PhiProtection.encounterIndex), as patient searches go through the patient pseudonym; nothing is decrypted to filter.
-- Records stored before this version have none: they are found by patient only.
ALTER TABLE treatment_record ADD COLUMN encounter_index VARCHAR(80);
CREATE INDEX ix_treatment_record_patient_start ON treatment_record (patient_ref, treatment_start, id);
CREATE INDEX ix_treatment_record_encounter_start ON treatment_record (encounter_index, treatment_start, id);

-- The change feed: every stored record gets the next feed position in the transaction that stores it, after the
-- transaction has locked the one row of record_feed_state, which it holds until it commits. So positions are handed
-- out in commit order: when a reader sees position n committed, every position below n is committed too (or was
-- rolled back and never existed), and a reader that follows the positions misses nothing and sees nothing twice.
-- A plain sequence or identity column does not give that: two transactions can take 1 and 2 and commit 2 first.
CREATE TABLE record_feed (
    feed_seq            BIGINT       NOT NULL PRIMARY KEY,
    record_id           VARCHAR(36)  NOT NULL,
    CONSTRAINT uq_record_feed_record UNIQUE (record_id),
    CONSTRAINT fk_record_feed_record FOREIGN KEY (record_id) REFERENCES treatment_record (id)
);
CREATE TABLE record_feed_state (
    id                  INTEGER      NOT NULL PRIMARY KEY,
    next_seq            BIGINT       NOT NULL
);
-- Records stored before this version enter the feed first, in the order they were received.
INSERT INTO record_feed (feed_seq, record_id)
    SELECT ROW_NUMBER() OVER (ORDER BY received_at, id), id FROM treatment_record;
INSERT INTO record_feed_state (id, next_seq) SELECT 1, COUNT(*) + 1 FROM record_feed;
