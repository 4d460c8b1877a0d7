-- liaison schema v1 (SQLite). Released migrations are never edited: add a new file instead.
-- Every row carries its tenant. Personal data lives only in `deputies.sealed` (SM4-GCM).

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    id            TEXT NOT NULL,
    login         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, login)
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    user_id     TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);

CREATE TABLE deputies (
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    id             TEXT NOT NULL,
    version        INTEGER NOT NULL,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    pinyin         TEXT NOT NULL,
    initials       TEXT NOT NULL,
    level          TEXT NOT NULL,
    status         TEXT NOT NULL,
    region         TEXT NOT NULL,
    delegation     TEXT,
    officer_id     TEXT,
    department_id  TEXT,
    data           TEXT NOT NULL,   -- the record without personal data (JSON)
    masked         TEXT NOT NULL,   -- masked personal data for lists (JSON)
    sealed         BLOB NOT NULL,   -- personal data, SM4-GCM, bound to tenant and id
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX deputies_by_name ON deputies (tenant_id, name_key, id);
CREATE INDEX deputies_by_pinyin ON deputies (tenant_id, pinyin);
CREATE INDEX deputies_by_initials ON deputies (tenant_id, initials);
CREATE INDEX deputies_by_officer ON deputies (tenant_id, officer_id);

-- Duplicate-detection keys (name+birth date, name+work unit, keyed hash of the ID number), per level.
CREATE TABLE deputy_keys (
    tenant_id  TEXT NOT NULL,
    key        TEXT NOT NULL,
    deputy_id  TEXT NOT NULL,
    id_hash    TEXT,            -- keyed hash of the deputy's ID number, when known
    PRIMARY KEY (tenant_id, key, deputy_id)
) WITHOUT ROWID;

CREATE TABLE organisations (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    version    INTEGER NOT NULL,
    data       TEXT NOT NULL
);

CREATE TABLE idempotency (
    tenant_id     TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    response      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

-- The event log is the audit chain: each record carries the keyed hash (HMAC-SM3) of its content and of
-- the record before it, per tenant. The database refuses to change or remove a record.
CREATE TABLE audit_log (
    tenant_id       TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    id              TEXT NOT NULL,
    at              TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    reason          TEXT,
    payload         TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_by_aggregate ON audit_log (tenant_id, aggregate_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
