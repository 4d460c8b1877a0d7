-- liaison schema v3: a record's summary — what its figures need, a few hundred bytes computed by the core
-- when the record is saved (for suggestions: their facts) — so that a year's figures read the summaries
-- instead of whole records. NULL for records saved before v3: readers fall back to the record's data.
-- The summaries are also kept in an index by day received, so that figures read the index alone and never
-- the records' pages (a record's data is several kilobytes; the summary column comes after it).

ALTER TABLE records ADD COLUMN summary TEXT;
DROP INDEX records_by_opened;
CREATE INDEX records_by_opened ON records (tenant_id, kind, opened_on, id, summary);
