-- liaison schema v4: the accounts' life (issue 12, items 1 and 14). Released migrations are never edited:
-- add a new file instead.
-- An account is a person's or an integration system's; business roles wait for the security
-- administrator's approval (`pending`, JSON); tokens expire and lapse when idle; every audit record names
-- the credential its actor used (`actor_via`: token, console, activation code …; NULL in older records,
-- which keep their v1 hash form). Tokens made before v4 have no expiry until the next start sets one.

ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
ALTER TABLE users ADD COLUMN pending TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
ALTER TABLE audit_log ADD COLUMN actor_via TEXT;
CREATE INDEX api_tokens_by_user ON api_tokens (tenant_id, user_id);
