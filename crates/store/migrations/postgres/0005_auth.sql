-- Failed logins per (account, client address), and per address alone (account = ''), with
-- the time until which further attempts are refused (exponential backoff). Kept in the
-- database so that a restart does not reset them.
CREATE TABLE login_failures (
    account TEXT NOT NULL,
    addr TEXT NOT NULL,
    failures BIGINT NOT NULL,
    blocked_until TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account, addr)
);
