-- liaison schema v5: officers' scope and bulk viewing of personal data (issue 12, item 7). Released
-- migrations are never edited: add a new file instead.
-- An officer's account names the liaison officer it is and the regions it reaches (`officer_grant`, JSON
-- `{"officer": …, "regions": […]}`; NULL: nothing granted), set by the system administrator's request and
-- the security administrator's approval with its roles.
-- Each full view counts the account's own `access.personal_data_viewed` records of the last window from
-- the trail itself (so the limit holds across restarts and servers): the index serves that count and the
-- alert's look-up, `(tenant, actor, kind, at)`, reading only the window's rows.

ALTER TABLE users ADD COLUMN officer_grant TEXT;
CREATE INDEX audit_by_actor_kind ON audit_log (tenant_id, actor_id, kind, at);
