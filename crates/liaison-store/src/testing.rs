//! Test support: a throw-away PostgreSQL database per test.
//!
//! `LIAISON_TEST_POSTGRES` names the server (a URL to an existing database, e.g.
//! `postgres://postgres@127.0.0.1:5432/test`); when it is set, PostgreSQL tests must run and fail if the
//! server is unreachable. When it is not set, the local default is tried, and if nothing answers the tests
//! say so and skip.

use std::time::Duration;

use tokio_postgres::NoTls;

use crate::StoreError;

const DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

fn runtime() -> Result<tokio::runtime::Runtime, StoreError> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// Run one administrative statement, on a thread of its own (callers may be inside a runtime).
fn admin(url: &str, sql: &str) -> Result<(), StoreError> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || admin_here(&url, &sql))
        .join()
        .map_err(|_| StoreError::Pool("admin thread panicked".into()))?
}

fn admin_here(url: &str, sql: &str) -> Result<(), StoreError> {
    runtime()?.block_on(async {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Pool(format!("{e}")))?;
        config.connect_timeout(Duration::from_secs(3));
        let (client, conn) = config.connect(NoTls).await?;
        let driver = tokio::spawn(conn);
        client.batch_execute(sql).await?;
        drop(client);
        let _ = driver.await;
        Ok(())
    })
}

/// A database created for one test and dropped after it.
#[derive(Debug)]
pub struct TestDatabase {
    /// URL of the new database.
    pub url: String,
    server: String,
    name: String,
}

/// Say a line about the test suite on standard error, past the test harness's capture (which takes only
/// `print!`/`eprint!`), so that a skipped suite — or a required one that ran — shows in `cargo test`'s
/// output (issue 14, item 15).
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

impl TestDatabase {
    /// Create a fresh database, or `None` (with a message) when PostgreSQL is not available and not
    /// required. Panics only in tests: when `LIAISON_TEST_POSTGRES` is set and the server fails.
    pub fn create(purpose: &str) -> Result<Option<Self>, StoreError> {
        let (server, required) = match std::env::var("LIAISON_TEST_POSTGRES") {
            Ok(u) if !u.trim().is_empty() => (u, true),
            _ => (DEFAULT.to_owned(), false),
        };
        if let Err(e) = admin(&server, "SELECT 1") {
            if required {
                return Err(e);
            }
            say(&format!(
                "SKIPPED the PostgreSQL part of {purpose}: no server at {server} ({e}); set LIAISON_TEST_POSTGRES to require it"
            ));
            return Ok(None);
        }
        if required {
            say(&format!("required suite ran: the PostgreSQL part of {purpose}"));
        }
        Self::create_on(&server).map(Some)
    }

    /// Create a fresh database on `server` (a URL to an existing database there), which must answer.
    pub fn create_on(server: &str) -> Result<Self, StoreError> {
        let name = format!("liaison_test_{}", crate::crypto::random_hex(6)?);
        admin(server, &format!("CREATE DATABASE {name}"))?;
        let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(server);
        Ok(Self { url: format!("{base}/{name}"), server: server.to_owned(), name })
    }
}

impl TestDatabase {
    /// Run `sql` on the server, outside the test's database (`{db}` in it names that database): to change
    /// the database's settings or end its sessions from outside, as an operator would.
    pub fn on_server(&self, sql: &str) -> Result<(), StoreError> {
        admin(&self.server, &sql.replace("{db}", &self.name))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = admin(&self.server, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}
