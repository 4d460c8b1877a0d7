-- The register in pinyin order as the figures read it (coverage, reach, participation, contributions):
-- the name-order index also carries every column of a deputy reference and the visibility of its import
-- batch, so the read can be an index-only scan (see the SQLite migration of the same number).
DROP INDEX deputies_by_name;
CREATE INDEX deputies_by_name ON deputies (tenant_id, name_key, id)
    INCLUDE (status, batch, name, level, region, delegation, officer_id, department_id);
