-- Tamper-evident audit log (nhật ký kiểm toán chống sửa): every row carries its place in one
-- chain (seq) and a SHA-256 over its content and the previous row's hash (row_hash).
-- The chain's head (last seq and hash) is one row, updated in the same transaction as every
-- audit insert, which also serializes concurrent writers so the chain cannot fork.
-- Rows that exist before this migration are chained once, in (at, id) order, from the
-- genesis hash by the first migrate after it (head hash 'pending' until then).
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN row_hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'pending');
