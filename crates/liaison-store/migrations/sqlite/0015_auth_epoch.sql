-- liaison schema v15: the authentication epoch (issue 19). One row per tenant whose number grows, in the
-- same transaction, with every write that can change what a bearer token authenticates as: an account
-- changed or removed (roles, disabled, enabled, deputy linked or unlinked, department, grant), a token
-- revoked, re-dated or removed, the token policy set. A server may keep the principals of tokens it has
-- seen while the epoch it read them under is still the tenant's (`liaison_app::identity`): it reads this
-- one row on every request, so a change made by any process (the CLI, a second server) is seen on the
-- next request. The triggers, not the application's code, make the writes: every path that writes these
-- tables is covered, including ones added later. A token's last use (`last_used_at`) and a new token do not
-- bump it (neither changes a principal already cached).
CREATE TABLE auth_epochs (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    epoch      INTEGER NOT NULL
);

INSERT INTO auth_epochs (tenant_id, epoch) SELECT id, 1 FROM tenants;

CREATE TRIGGER auth_epoch_tenant_added AFTER INSERT ON tenants
BEGIN
    INSERT INTO auth_epochs (tenant_id, epoch) VALUES (NEW.id, 1);
END;

CREATE TRIGGER auth_epoch_user_changed AFTER UPDATE ON users
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER auth_epoch_user_removed AFTER DELETE ON users
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER auth_epoch_token_changed AFTER UPDATE ON api_tokens
WHEN OLD.revoked_at IS NOT NEW.revoked_at OR OLD.expires_at IS NOT NEW.expires_at
    OR OLD.token_hash IS NOT NEW.token_hash OR OLD.user_id IS NOT NEW.user_id OR OLD.tenant_id IS NOT NEW.tenant_id
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER auth_epoch_token_removed AFTER DELETE ON api_tokens
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER auth_epoch_policy_added AFTER INSERT ON records
WHEN NEW.kind = 'settings' AND NEW.id = 'token_policy'
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER auth_epoch_policy_changed AFTER UPDATE ON records
WHEN (OLD.kind = 'settings' AND OLD.id = 'token_policy') OR (NEW.kind = 'settings' AND NEW.id = 'token_policy')
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER auth_epoch_policy_removed AFTER DELETE ON records
WHEN OLD.kind = 'settings' AND OLD.id = 'token_policy'
BEGIN
    UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id = OLD.tenant_id;
END;
