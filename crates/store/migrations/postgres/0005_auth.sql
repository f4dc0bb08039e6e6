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

-- Second factor (xác thực hai bước): one TOTP secret per account (base32), confirmed once the
-- owner has entered a code from it; the last time step accepted (a code is accepted once).
CREATE TABLE user_totp (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users(id),
    secret TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ,
    last_step BIGINT NOT NULL
);

-- One-time recovery codes, stored as SHA-256 hashes.
CREATE TABLE totp_recovery (
    user_id UUID NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- Logins whose password was right and whose second factor is awaited (short-lived).
CREATE TABLE login_pending (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id),
    expires_at TIMESTAMPTZ NOT NULL
);
