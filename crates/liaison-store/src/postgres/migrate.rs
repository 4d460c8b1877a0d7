//! Versioned migrations for PostgreSQL, without advisory locks (CockroachDB and YugabyteDB have none):
//! a migration's transaction first inserts its own row into `schema_migrations`, so a second server
//! starting at the same moment waits on that row, fails on its primary key once the first commits, and
//! then finds the migration applied.

use sm3::{Digest, Sm3};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use super::wait;
use crate::StoreError;

const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/postgres/0001_init.sql")),
    (2, "workflows", include_str!("../../migrations/postgres/0002_workflows.sql")),
    (3, "summaries", include_str!("../../migrations/postgres/0003_summaries.sql")),
    (4, "accounts", include_str!("../../migrations/postgres/0004_accounts.sql")),
    (5, "scope", include_str!("../../migrations/postgres/0005_scope.sql")),
    (6, "import_batches", include_str!("../../migrations/postgres/0006_import_batches.sql")),
    (7, "sessions", include_str!("../../migrations/postgres/0007_sessions.sql")),
    (8, "password_change", include_str!("../../migrations/postgres/0008_password_change.sql")),
    (9, "outbox", include_str!("../../migrations/postgres/0009_outbox.sql")),
    (10, "contacts", include_str!("../../migrations/postgres/0010_contacts.sql")),
    (11, "register_order", include_str!("../../migrations/postgres/0011_register_order.sql")),
    (12, "report_lines", include_str!("../../migrations/postgres/0012_report_lines.sql")),
    (13, "tenant_tree", include_str!("../../migrations/postgres/0013_tenant_tree.sql")),
    (14, "deputy_links", include_str!("../../migrations/postgres/0014_deputy_links.sql")),
    (15, "auth_epoch", include_str!("../../migrations/postgres/0015_auth_epoch.sql")),
];

const TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";

fn applied(c: &Client, version: i32) -> Result<Option<String>, StoreError> {
    Ok(wait(c.query_opt("SELECT checksum FROM schema_migrations WHERE version = $1", &[&version]))?
        .map(|r| r.get(0)))
}

pub(crate) fn run(c: &Client) -> Result<(), StoreError> {
    // Looked up first: on a read-only standby even `CREATE TABLE IF NOT EXISTS` is refused (25006), and a
    // server pointed at an up-to-date standby must still start (it serves reads; its writes are refused).
    let exists: bool =
        wait(c.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[]))?.try_get(0)?;
    // Two servers creating the table at once can collide in the catalogue; the second try sees it.
    if !exists && wait(c.batch_execute(TABLE)).is_err() {
        wait(c.batch_execute(TABLE))?;
    }
    for (version, name, sql) in MIGRATIONS {
        let sum = hex::encode(Sm3::digest(sql.as_bytes()));
        let check = |found: Option<String>| match found {
            Some(s) if s == sum => Ok(true),
            Some(_) => Err(StoreError::Migration(format!(
                "migration {version} ({name}) was changed after it was applied; add a new migration instead"
            ))),
            None => Ok(false),
        };
        if check(applied(c, *version)?)? {
            continue;
        }
        wait(c.batch_execute("BEGIN"))?;
        let claim = wait(c.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
            &[version, name, &sum, &chrono::Utc::now().to_rfc3339()],
        ));
        match claim {
            Ok(_) => {}
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                wait(c.batch_execute("ROLLBACK"))?;
                if check(applied(c, *version)?)? {
                    continue;
                }
                return Err(StoreError::Migration(format!(
                    "migration {version} ({name}) is claimed but not applied"
                )));
            }
            Err(e) => {
                let _ = wait(c.batch_execute("ROLLBACK"));
                return Err(e.into());
            }
        }
        if let Err(e) = wait(c.batch_execute(sql)) {
            let _ = wait(c.batch_execute("ROLLBACK"));
            return Err(StoreError::Migration(format!("{version} ({name}): {e}")));
        }
        wait(c.batch_execute("COMMIT"))?;
        tracing::info!(version, name, "applied migration");
    }
    Ok(())
}
