-- Rate limits move from counted one-minute windows (a database write per request) to token buckets kept by
-- Bucket4j: each node answers from its own copy of a bucket and synchronises it with this table now and then, so the
-- limit holds across nodes without a write per request. One row per client or machine; state is the library's
-- serialised bucket, expires_at (epoch milliseconds) lets idle rows be purged.
DROP TABLE rate_limit_window;

CREATE TABLE rate_limit_bucket (
    id                  VARCHAR(300) NOT NULL PRIMARY KEY,
    state               BYTEA,
    expires_at          BIGINT
);
CREATE INDEX ix_rate_limit_bucket_expires ON rate_limit_bucket (expires_at);
