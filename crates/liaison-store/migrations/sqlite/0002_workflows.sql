-- liaison schema v2: workflow records (suggestions, improvement measures, settings, and the workflows to
-- come) in one table, the parties each concerns, per-tenant counters, one-use links, and the links from
-- accounts to a deputy or a department. Released migrations are never edited: add a new file instead.

CREATE TABLE records (
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    kind           TEXT NOT NULL,
    id             TEXT COLLATE BINARY NOT NULL,
    version        BIGINT NOT NULL,
    number         TEXT,
    status         TEXT NOT NULL,
    department_id  TEXT,
    handler_id     TEXT,
    due_on         TEXT,            -- the next deadline, YYYY-MM-DD
    opened_on      TEXT NOT NULL,   -- received or opened, YYYY-MM-DD
    data           TEXT NOT NULL,   -- the aggregate's current state (JSON)
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
);
CREATE UNIQUE INDEX records_by_number ON records (tenant_id, kind, number);
CREATE INDEX records_by_status ON records (tenant_id, kind, status, due_on);
CREATE INDEX records_by_opened ON records (tenant_id, kind, opened_on);
CREATE INDEX records_by_handler ON records (tenant_id, kind, handler_id);

CREATE TABLE record_parties (
    tenant_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    role       TEXT NOT NULL,   -- deputy | department
    party      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, role, party, kind, record_id)
);
CREATE INDEX record_parties_by_record ON record_parties (tenant_id, kind, record_id);

CREATE TABLE counters (
    tenant_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE one_use_links (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    token_hash  TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    deputy_id   TEXT NOT NULL,
    round       BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    used_at     TEXT
);

ALTER TABLE users ADD COLUMN deputy_id TEXT;
ALTER TABLE users ADD COLUMN department_id TEXT;
