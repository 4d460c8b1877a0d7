-- liaison schema v14: a deputy of two congresses on two procuratorates' registers (issue 20, part 2). One
-- row per side of a link, each in the tenant of its side (so each procuratorate reads only its own rows, and
-- the table distributes by tenant_id): the record, the other procuratorate, the other record's id and the
-- level of its congress; no name, number or contact of the other record. The rules (different
-- procuratorates of one tree, different levels, one link per record into each other register) are the
-- core's (`registry::link`); the key keeps a record to one link per other register.
CREATE TABLE deputy_links (
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    deputy_id        TEXT NOT NULL,
    level            TEXT NOT NULL,
    other_tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    other_deputy_id  TEXT NOT NULL,
    other_level      TEXT NOT NULL,
    basis            TEXT NOT NULL,
    linked_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, deputy_id, other_tenant_id)
);
-- The same ID number on another register: the link's lookup by the keyed hash (one key per deployment).
CREATE INDEX deputy_keys_by_id_hash ON deputy_keys (id_hash) WHERE id_hash IS NOT NULL;
