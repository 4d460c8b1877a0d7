-- liaison schema v12: a record's line in the report's tables (for suggestions: their facts with what the
-- annual report's annex names — number, title, proposers, department, class, outcome, measures), a few
-- hundred bytes computed by the app when the record is saved, kept apart from `records` so that a year's
-- report reads small rows by the day received instead of a year of whole records (issue 18, item 8).
-- Records saved before v12 have no line: the report falls back to their data.
CREATE TABLE record_lines (
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
);
CREATE INDEX record_lines_by_opened ON record_lines (tenant_id, kind, opened_on);
