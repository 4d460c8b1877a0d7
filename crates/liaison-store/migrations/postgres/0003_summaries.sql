-- liaison schema v3: a record's summary — what its figures need, a few hundred bytes computed by the core
-- when the record is saved (for suggestions: their facts) — so that a year's figures read the summaries
-- instead of whole records. NULL for records saved before v3: readers fall back to the record's data.

ALTER TABLE records ADD COLUMN summary TEXT;
