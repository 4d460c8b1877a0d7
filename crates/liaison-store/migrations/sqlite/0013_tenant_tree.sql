-- liaison schema v13: procuratorates in a tree (issue 20, part 2). A tenant's level (province, city,
-- county) and the procuratorate above it; both empty for a tenant made before v13 (the single
-- procuratorate of `liaison init`) until it is placed. The tree's rules (a parent one level up, unique
-- names among siblings, no cycles) are the core's (`tenant::TenantTree`); the database keeps the parent a
-- real tenant.
ALTER TABLE tenants ADD COLUMN level TEXT;
ALTER TABLE tenants ADD COLUMN parent_id TEXT REFERENCES tenants(id);
CREATE INDEX tenants_by_parent ON tenants (parent_id);
