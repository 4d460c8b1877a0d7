-- liaison schema v6: imports staged in bounded chunks, published at once (issue 13, item 4). Released
-- migrations are never edited: add a new file instead.
-- A deputy registered by a register import carries its batch and is seen by no one until the batch is
-- published (one row changes state). An abandoned batch (refused, failed, or interrupted and found stale)
-- keeps its rows as tombstones, personal data wiped, so that the registrations the audit trail holds for
-- them are told apart from a deputy that went missing.
ALTER TABLE deputies ADD COLUMN batch TEXT;
CREATE INDEX deputies_by_batch ON deputies (tenant_id, batch);

CREATE TABLE import_batches (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    state         TEXT NOT NULL,  -- staging | published | abandoned
    started_at    TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL,  -- renewed with every chunk: a staging batch left stale was interrupted
    PRIMARY KEY (id)
);
CREATE INDEX import_batches_by_state ON import_batches (tenant_id, state);

-- A deputy's duplicate keys by deputy: what changed while an import ran is found from the audit records
-- written meanwhile (a scan of every key per lookup cost seconds at 100,000 deputies), and a deputy's keys
-- are replaced on update without a scan.
CREATE INDEX deputy_keys_by_deputy ON deputy_keys (tenant_id, deputy_id);
