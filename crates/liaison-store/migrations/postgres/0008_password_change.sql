-- liaison schema v8: a password set by the security administrator must be changed by its owner at the next
-- login (issue 16). Released migrations are never edited: add a new file instead.
-- 1: the owner has not chosen this password (set by an administrator); 0: chosen by the owner.
ALTER TABLE user_credentials ADD COLUMN must_change BIGINT NOT NULL DEFAULT 0;
