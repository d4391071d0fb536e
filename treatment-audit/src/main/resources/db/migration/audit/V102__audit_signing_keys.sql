-- Signing keys that can rotate, and indexed checkpoint reads (PostgreSQL and H2 2.x in PostgreSQL mode).
--
-- A row never makes a key trusted by itself (anyone with write access can insert rows): verification trusts the
-- configured key, plus a registered key whose endorsement verifies under an already trusted key. The endorsement is
-- an Ed25519 signature by the key named in endorsed_by over
--   "TASK1" || key_id || public key (X.509) || valid_from || valid_until
-- (byte layout in treatment-audit/README.md). The current key endorses itself; when it is replaced, the new key
-- closes its window (valid_until) and endorses it again, vouching for the retired key and the period it signed in.
CREATE TABLE audit_signing_key (
    key_id          VARCHAR(16)  NOT NULL,    -- first 16 hex digits of SHA-256 over the X.509 public key
    public_key      VARCHAR(200) NOT NULL,    -- base64 X.509 SubjectPublicKeyInfo
    valid_from_us   BIGINT       NOT NULL,
    valid_until_us  BIGINT,                   -- NULL while the key is current
    endorsed_by     VARCHAR(16)  NOT NULL,
    endorsement     VARCHAR(256) NOT NULL,    -- hex Ed25519 signature
    CONSTRAINT audit_signing_key_pk PRIMARY KEY (key_id)
);

-- Checkpoint pages (seq > ? ORDER BY seq, kind LIMIT ?) and the latest checkpoint come from the index, as does the
-- latest purge anchor (kind = 'purge' ORDER BY seq DESC LIMIT 1): never a scan of every checkpoint.
CREATE INDEX audit_checkpoint_seq_kind_ix ON audit_checkpoint (seq, kind);
CREATE INDEX audit_checkpoint_kind_seq_ix ON audit_checkpoint (kind, seq);
DROP INDEX audit_checkpoint_seq_ix;
