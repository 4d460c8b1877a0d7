-- liaison schema v1 (PostgreSQL). Released migrations are never edited: add a new file instead.
-- The same tables as SQLite. Sort and search keys use the "C" collation so that they order by bytes,
-- exactly as in SQLite (a locale collation would ignore the separators the pinyin keys rely on).
-- Scale-out: every table leads with tenant_id, the distribution column on Citus (see ARCHITECTURE.md).

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
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    version       BIGINT NOT NULL,
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
    version        BIGINT NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    name_key       TEXT COLLATE "C" NOT NULL,
    pinyin         TEXT COLLATE "C" NOT NULL,
    initials       TEXT COLLATE "C" NOT NULL,
    level          TEXT NOT NULL,
    status         TEXT NOT NULL,
    region         TEXT NOT NULL,
    delegation     TEXT,
    officer_id     TEXT,
    department_id  TEXT,
    data           TEXT NOT NULL,
    masked         TEXT NOT NULL,
    sealed         BYTEA NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX deputies_by_name ON deputies (tenant_id, name_key, id);
CREATE INDEX deputies_by_pinyin ON deputies (tenant_id, pinyin);
CREATE INDEX deputies_by_initials ON deputies (tenant_id, initials);
CREATE INDEX deputies_by_officer ON deputies (tenant_id, officer_id);

CREATE TABLE deputy_keys (
    tenant_id  TEXT NOT NULL,
    key        TEXT NOT NULL,
    deputy_id  TEXT NOT NULL,
    id_hash    TEXT,
    PRIMARY KEY (tenant_id, key, deputy_id)
);

CREATE TABLE organisations (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    version    BIGINT NOT NULL,
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

CREATE TABLE audit_log (
    tenant_id       TEXT NOT NULL,
    seq             BIGINT NOT NULL,
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

-- The head of each tenant's chain. Appending locks this row (SELECT … FOR UPDATE), so servers sharing
-- the database extend a chain one at a time, without advisory locks.
CREATE TABLE audit_heads (
    tenant_id  TEXT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
