//! Storage failures. Domain rejections are not here: they are the core's typed errors.

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Optimistic concurrency: someone changed the record since it was read.
    #[error("{what} {id} was changed by someone else (version {actual}, expected {expected})")]
    Conflict {
        /// Kind of record.
        what: &'static str,
        /// Its id.
        id: String,
        /// Version stored.
        actual: u64,
        /// Version the caller saw.
        expected: u64,
    },
    /// No such record.
    #[error("no {what} {id}")]
    NotFound {
        /// Kind of record.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// A change dated before the last recorded one by more than the clocks' tolerance: the audit chain
    /// never goes back in time (a wrong server clock, or a backdated `LIAISON_NOW`).
    #[error("the change is dated {at}, before the last recorded change at {last}")]
    Backdated {
        /// The change's time.
        at: String,
        /// The time of the chain's head.
        last: String,
    },
    /// A unique value is taken (a login, an idempotency key).
    #[error("{0} is already taken")]
    Taken(String),
    /// The database failed (SQLite).
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The database failed (PostgreSQL).
    #[error("database error: {}", pg_message(.0))]
    Pg(#[from] tokio_postgres::Error),
    /// No connection could be had from the pool.
    #[error("no database connection: {0}")]
    Pool(String),
    /// A stored value could not be read back.
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// Encryption or authentication of personal data failed.
    #[error("cryptography: {0}")]
    Crypto(&'static str),
    /// The master key could not be made (no randomness).
    #[error("key: {0}")]
    Key(String),
    /// The master key is not 64 hex digits (32 bytes).
    #[error("the master key must be 64 hex digits (32 bytes)")]
    KeyMalformed,
    /// The key file may be read by others than its owner: refused, with the advice.
    #[error("key file {path} is readable by others (mode {mode:o}); run chmod 600 {path}")]
    KeyExposed {
        /// The file.
        path: String,
        /// Its permission bits.
        mode: u32,
    },
    /// A file could not be read or written.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// A migration could not be applied, or a released one was edited.
    #[error("migration: {0}")]
    Migration(String),
    /// A transaction could not begin or commit (the database is locked by another process for too long,
    /// the disk is full …); nothing of it was written.
    #[error("the transaction failed and was rolled back: {0}")]
    Transaction(String),
    /// The writer thread is gone (the store is shutting down).
    #[error("the database writer has stopped")]
    WriterGone,
    /// A database URL that is not one (the operator's configuration): what is wrong, the option named.
    #[error("the database URL is not valid: {0}")]
    BadUrl(String),
    /// An operational failure of the database, classified (busy, disk full, unreachable, damaged): nothing
    /// of the transaction was written.
    #[error("{}: {detail}", .outage.en())]
    Outage {
        /// What kind.
        outage: crate::health::Outage,
        /// The database's own words.
        detail: String,
    },
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}

/// PostgreSQL's own message ("db error" alone says nothing).
fn pg_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{}: {} ({})", d.severity(), d.message(), d.code().code()),
        None => e.to_string(),
    }
}
