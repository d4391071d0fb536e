-- Treatment records, the patient mapping, idempotency keys and rate-limit windows.
-- Written for PostgreSQL; also runs on the embedded default (H2 2.x in PostgreSQL mode).
-- Nothing here holds a plaintext patient identifier: documents and identifiers are ciphertexts,
-- lookups go through a keyed blind index, and records point at a pseudonymous patient reference.

CREATE TABLE patient (
    patient_ref         VARCHAR(80)  NOT NULL PRIMARY KEY,  -- keyed pseudonym, the only patient key
    blind_index         VARCHAR(80)  NOT NULL,             -- keyed token over the normalised identifier
    identifier_cipher   BYTEA        NOT NULL,             -- the identifier, encrypted and bound to this row
    wrapped_data_key    BYTEA,                             -- per-patient key; NULL once erased (crypto-shredding)
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_patient_blind_index UNIQUE (blind_index)
);

CREATE TABLE treatment_record (
    id                  VARCHAR(36)  NOT NULL PRIMARY KEY,  -- public record id (random UUID)
    patient_ref         VARCHAR(80),                         -- NULL when only an encounter reference was sent
    machine_id          VARCHAR(64)  NOT NULL,
    treatment_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    submitted_by        VARCHAR(255) NOT NULL,               -- token subject of the submitting client
    document_cipher     BYTEA        NOT NULL,               -- the whole canonical record, encrypted and bound to id
    CONSTRAINT fk_treatment_record_patient FOREIGN KEY (patient_ref) REFERENCES patient (patient_ref)
);
CREATE INDEX ix_treatment_record_patient ON treatment_record (patient_ref);
CREATE INDEX ix_treatment_record_machine ON treatment_record (machine_id, treatment_start);

-- Idempotency is enforced by this primary key, so it holds across concurrent requests and nodes.
CREATE TABLE idempotency_key (
    client_id           VARCHAR(255) NOT NULL,
    idempotency_key     VARCHAR(128) NOT NULL,
    record_id           VARCHAR(36)  NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_idempotency_key PRIMARY KEY (client_id, idempotency_key),
    CONSTRAINT fk_idempotency_record FOREIGN KEY (record_id) REFERENCES treatment_record (id)
);

-- Fixed one-minute windows shared by every node (DESIGN.md section 7: no per-node limits).
CREATE TABLE rate_limit_window (
    bucket_key          VARCHAR(300) NOT NULL,
    window_start        BIGINT       NOT NULL,               -- epoch minute
    request_count       INTEGER      NOT NULL,
    CONSTRAINT pk_rate_limit_window PRIMARY KEY (bucket_key, window_start)
);
