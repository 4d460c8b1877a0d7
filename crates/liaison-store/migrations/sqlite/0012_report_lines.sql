-- liaison schema v12: a record's line in the report's tables (for suggestions: their facts with what the
-- annual report's annex names — number, title, proposers, department, class, outcome, measures), a few
-- hundred bytes computed by the app when the record is saved, kept apart from `records` and ordered by the
-- day received, so that a year's report reads one range of this table instead of a year of whole records
-- (a suggestion's data is several kilobytes: 1M of them took 26 s to decode; issue 18, item 8).
-- Records saved before v12 have no line: the report falls back to their data.
CREATE TABLE record_lines (
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    id TEXT NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, opened_on, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX record_lines_by_id ON record_lines (tenant_id, kind, id);
