-- liaison schema v9: the transactional outbox (issue 17, "Outgoing messages"). Released migrations are never
-- edited: add a new file instead.
-- A message is inserted in the transaction of the event that causes it, so it exists iff that event
-- committed. The recipient is an account or a deputy by id: never an address or a phone number (the
-- worker resolves and decrypts those when it sends). The dedup key names the event and the recipient: the
-- same event queued twice is one message, and a channel can hand it to the recipient's side to drop a
-- second send. The delivery worker claims due rows (state queued, next_attempt_at passed) by moving
-- next_attempt_at past a lease, so a worker that dies mid-send leaves the row to be tried again.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    recipient_kind  TEXT NOT NULL,
    recipient_id    TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    template        TEXT,
    params          TEXT,
    item_type       TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    dedup_key       TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    delivered_at    TEXT,
    read_at         TEXT,
    version         BIGINT NOT NULL,
    UNIQUE (tenant_id, dedup_key)
);
-- What the worker claims: the due queued messages, oldest due first.
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
-- The delivery list of one item, and the failed ones of a tenant.
CREATE INDEX outbox_item ON outbox (tenant_id, item_type, item_id);
CREATE INDEX outbox_state ON outbox (tenant_id, state, id);
-- An account's inbox.
CREATE INDEX outbox_recipient ON outbox (tenant_id, recipient_kind, recipient_id, channel, id);
