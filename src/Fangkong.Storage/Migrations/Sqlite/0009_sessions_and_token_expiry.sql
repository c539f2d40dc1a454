-- Server-side sessions of the command centre: a session lives while its row is open, within the
-- deployment's idle and absolute limits; sign-out, a password reset and deactivation end it.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL,
    secret_hash   TEXT NOT NULL UNIQUE,
    started_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    ended_at      INTEGER NULL,
    ended_reason  TEXT NULL,
    source        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id, ended_at);

-- API tokens expire and carry a scope (read: GET only; write: everything the account may do).
-- Tokens made before expiry existed get 90 days from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NULL;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER NULL;
UPDATE api_tokens SET expires_at = created_at + 90 * 86400 WHERE expires_at IS NULL;
