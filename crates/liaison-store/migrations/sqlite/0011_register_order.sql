-- The register in pinyin order as the figures read it (coverage, reach, participation, contributions):
-- the name-order index now also carries every column of a deputy reference and the visibility of its
-- import batch, so reading 100,000 current deputies is a scan of the index alone. Without it each entry
-- was a lookup into the table, whose `batch` column (added last, in v6) lies past the large JSON and
-- sealed columns: 100,000 such lookups took about 300 ms (issue 16's 100k page target is 200 ms).
DROP INDEX deputies_by_name;
CREATE INDEX deputies_by_name ON deputies
    (tenant_id, name_key, id, status, batch, name, level, region, delegation, officer_id, department_id);
