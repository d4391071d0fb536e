-- treatment-audit: tamper-evident audit trail (runs on PostgreSQL and on H2 2.x in PostgreSQL mode).
-- Times are BIGINT microseconds since the epoch (UTC): exact, driver- and time-zone-independent, covered by the hash.

-- Outbox/insertion key. EclipseLink preallocates blocks of 50 (the value returned is the LAST id of the block),
-- hence START WITH 50 INCREMENT BY 50: ids 1..50, 51..100, ...
CREATE SEQUENCE audit_outbox_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE audit_event (
    outbox_id       BIGINT       NOT NULL,
    seq             BIGINT,                -- NULL until sealed; then gap-free from 1
    hash            VARCHAR(64),           -- hex SHA-256 chain hash, NULL until sealed
    event_time_us   BIGINT       NOT NULL,
    device_time_us  BIGINT,
    client_id       VARCHAR(128),
    roles           VARCHAR(600),          -- comma-separated, sorted
    token_id        VARCHAR(128),
    cert_thumbprint VARCHAR(128),
    action          VARCHAR(64)  NOT NULL,
    resource_type   VARCHAR(64),
    record_id       VARCHAR(64),
    outcome         VARCHAR(32)  NOT NULL,
    http_status     INTEGER      NOT NULL,
    reason_code     VARCHAR(64),
    source_ip       VARCHAR(45),
    node_id         VARCHAR(64)  NOT NULL,
    request_id      VARCHAR(128),
    CONSTRAINT audit_event_pk PRIMARY KEY (outbox_id),
    CONSTRAINT audit_event_seq_uk UNIQUE (seq)
);

CREATE INDEX audit_event_time_ix ON audit_event (event_time_us);

CREATE TABLE audit_checkpoint (
    id           VARCHAR(40)  NOT NULL,    -- kind ':' sequence
    seq          BIGINT       NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    head_hash    VARCHAR(64)  NOT NULL,
    created_us   BIGINT       NOT NULL,
    key_id       VARCHAR(16)  NOT NULL,
    signature    VARCHAR(256) NOT NULL,
    CONSTRAINT audit_checkpoint_pk PRIMARY KEY (id)
);

CREATE INDEX audit_checkpoint_seq_ix ON audit_checkpoint (seq);

-- One row: the sealer lease and the chain head. Locked (SELECT ... FOR UPDATE) only by the sealer and retention.
CREATE TABLE audit_chain_state (
    id              INTEGER      NOT NULL,
    lease_holder    VARCHAR(64),
    lease_expires_us BIGINT      NOT NULL,
    head_seq        BIGINT       NOT NULL,
    head_hash       VARCHAR(64)  NOT NULL,
    checkpoint_seq  BIGINT       NOT NULL,
    checkpoint_us   BIGINT       NOT NULL,
    CONSTRAINT audit_chain_state_pk PRIMARY KEY (id)
);

INSERT INTO audit_chain_state (id, lease_holder, lease_expires_us, head_seq, head_hash, checkpoint_seq, checkpoint_us)
VALUES (1, NULL, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, 0);
