-- liaison schema v7: staff login (issue 16, "Login and sessions"). Released migrations are never edited:
-- add a new file instead.
-- An account's credentials for the pages: the password as an argon2id PHC string; the TOTP secret sealed
-- with SM4-GCM under the store's key (hex), and a secret waiting for its first code while the person
-- enrols; the account's guard (failures in a row, the lock, the last TOTP time step used); the recovery
-- codes as keyed hashes with the time each was used (JSON). Nothing here opens without the key file.
CREATE TABLE user_credentials (
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    user_id          TEXT NOT NULL,
    password_hash    TEXT,
    password_set_at  TEXT,
    totp_secret      TEXT,
    totp_pending     TEXT,
    totp_enrolled_at TEXT,
    totp_last_step   BIGINT,
    failures         BIGINT NOT NULL DEFAULT 0,
    locked_until     TEXT,
    recovery         TEXT NOT NULL DEFAULT '[]',
    version          BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX user_credentials_locked ON user_credentials (tenant_id, locked_until);

-- Server-side sessions: the cookie's secret is kept only as its SM3 hash; the CSRF token the pages embed
-- is random per session. A session waits for its second factor (stage enrol or code) and then is active;
-- it ends by logout or revocation (ended_at, end_reason) or lapses (idle, absolute lifetime).
CREATE TABLE sessions (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    user_id          TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    csrf_token       TEXT NOT NULL,
    stage            TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    last_seen        TEXT NOT NULL,
    authenticated_at TEXT NOT NULL,
    ended_at         TEXT,
    end_reason       TEXT,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);
