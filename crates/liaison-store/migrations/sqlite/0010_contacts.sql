-- liaison schema v10: how messages reach people (issue 17, items 2–5). Released migrations are never edited:
-- add a new file instead.
-- A recipient's contact preference (auto: SMS when a mobile number is on file, else e-mail; sms; email;
-- inbox: no SMS or e-mail) and opt-out of non-statutory messages (the answer to a co-signer is statutory
-- and is sent regardless). A deputy's number and address come from the register; an account's e-mail
-- address is kept here, sealed with the deployment's key (never readable in the database) and masked for
-- the lists: the delivery worker alone opens it, when it sends.
CREATE TABLE message_contacts (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    subject_kind  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    prefer        TEXT NOT NULL DEFAULT 'auto',
    opt_out       INTEGER NOT NULL DEFAULT 0,
    email_sealed  TEXT,
    email_masked  TEXT,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, subject_kind, subject_id)
);
