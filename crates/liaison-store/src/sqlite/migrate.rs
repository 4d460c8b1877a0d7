//! Versioned migrations for SQLite, applied in order on open, each in its own transaction. The checksum
//! of every applied migration is kept: a released migration that was edited is refused, never re-run.

use rusqlite::Connection;
use sm3::{Digest, Sm3};

use crate::StoreError;

const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, "workflows", include_str!("../../migrations/sqlite/0002_workflows.sql")),
    (3, "summaries", include_str!("../../migrations/sqlite/0003_summaries.sql")),
    (4, "accounts", include_str!("../../migrations/sqlite/0004_accounts.sql")),
    (5, "scope", include_str!("../../migrations/sqlite/0005_scope.sql")),
    (6, "import_batches", include_str!("../../migrations/sqlite/0006_import_batches.sql")),
    (7, "sessions", include_str!("../../migrations/sqlite/0007_sessions.sql")),
    (8, "password_change", include_str!("../../migrations/sqlite/0008_password_change.sql")),
    (9, "outbox", include_str!("../../migrations/sqlite/0009_outbox.sql")),
    (10, "contacts", include_str!("../../migrations/sqlite/0010_contacts.sql")),
    (11, "register_order", include_str!("../../migrations/sqlite/0011_register_order.sql")),
    (12, "report_lines", include_str!("../../migrations/sqlite/0012_report_lines.sql")),
    (13, "tenant_tree", include_str!("../../migrations/sqlite/0013_tenant_tree.sql")),
    (14, "deputy_links", include_str!("../../migrations/sqlite/0014_deputy_links.sql")),
    (15, "auth_epoch", include_str!("../../migrations/sqlite/0015_auth_epoch.sql")),
];

pub(crate) fn run(c: &mut Connection) -> Result<(), StoreError> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )?;
    for (version, name, sql) in MIGRATIONS {
        let sum = hex::encode(Sm3::digest(sql.as_bytes()));
        let applied: Option<String> = c
            .query_row("SELECT checksum FROM schema_migrations WHERE version = ?1", [version], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
        match applied {
            Some(s) if s == sum => continue,
            Some(_) => {
                return Err(StoreError::Migration(format!(
                    "migration {version} ({name}) was changed after it was applied; add a new migration instead"
                )));
            }
            None => {
                let tx = c.transaction()?;
                tx.execute_batch(sql)
                    .map_err(|e| StoreError::Migration(format!("{version} ({name}): {e}")))?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![version, name, sum, chrono::Utc::now().to_rfc3339()],
                )?;
                tx.commit()?;
                tracing::info!(version, name, "applied migration");
            }
        }
    }
    Ok(())
}
