//! Operational failures and the store's own health (issue 13, items 4 and 5).
//!
//! A failure of the system rather than of the request — the database busy beyond its wait, the disk full,
//! PostgreSQL unreachable, the file found damaged — is an [`Outage`]: interfaces tell the client what it is
//! (HTTP 503 with `Retry-After`, or 507 for a full disk) instead of a bare "internal error". The store also
//! remembers how its last write ended, so that readiness follows the write path and not only the read path:
//! a server whose writes fail says it is not ready, and says why.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::StoreError;

/// How long a failed write keeps the store "not ready" when no write has succeeded since (a busy spell, a
/// lost connection): long enough for a load balancer to notice, short enough that a server taken out of
/// rotation — which then gets no writes to prove itself — comes back by itself. A full disk or a damaged
/// file stays visible as long as it lasts, through their own checks.
pub const FAILED_WRITE_WINDOW: Duration = Duration::from_secs(30);

/// What kind of operational failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outage {
    /// The database was busy beyond the wait (another process held the write lock, a serialisation
    /// failure, a deadlock): nothing was written; the same request may be sent again in a moment.
    Busy,
    /// No space is left where the database writes: nothing was written; an administrator must free space.
    DiskFull,
    /// The database cannot be reached or written (PostgreSQL down or restarting, a read-only standby, the
    /// writer stopped): nothing was written; retry later.
    Unavailable,
    /// The database was found damaged: writes are refused until it is repaired (restored from a backup).
    Damaged,
}

impl Outage {
    /// The stable error code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Busy => "store.busy",
            Self::DiskFull => "store.disk_full",
            Self::Unavailable => "store.unavailable",
            Self::Damaged => "store.damaged",
        }
    }

    /// Seconds a client should wait before retrying (`Retry-After`).
    pub fn retry_after(self) -> u32 {
        match self {
            Self::Busy => 1,
            Self::Unavailable => 5,
            Self::DiskFull | Self::Damaged => 60,
        }
    }

    /// In Chinese, for the user.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Busy => "数据库正忙（另一项写入占用时间过长），本次未写入任何数据，请稍后重试",
            Self::DiskFull => "数据库所在磁盘已满，本次未写入任何数据；请联系管理员释放磁盘空间",
            Self::Unavailable => "数据库暂时无法访问，本次未写入任何数据，请稍后重试",
            Self::Damaged => "数据库经检查已损坏，在修复（从备份恢复）之前拒绝写入；请联系管理员",
        }
    }

    /// In English.
    pub fn en(self) -> &'static str {
        match self {
            Self::Busy => {
                "the database is busy (another write held it too long); nothing was written, retry shortly"
            }
            Self::DiskFull => {
                "the disk holding the database is full; nothing was written — an administrator must free space"
            }
            Self::Unavailable => "the database cannot be reached right now; nothing was written, retry later",
            Self::Damaged => {
                "the database was found damaged: writes are refused until it is repaired (restored from a backup)"
            }
        }
    }
}

/// ENOSPC, "No space left on device", on every Unix this runs on.
const ENOSPC: i32 = 28;

fn io_outage(e: &std::io::Error) -> Option<Outage> {
    if e.raw_os_error() == Some(ENOSPC) || e.kind() == std::io::ErrorKind::StorageFull {
        return Some(Outage::DiskFull);
    }
    None
}

fn sqlite_outage(e: &rusqlite::Error) -> Option<Outage> {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code()? {
        C::DatabaseBusy | C::DatabaseLocked => Some(Outage::Busy),
        C::DiskFull => Some(Outage::DiskFull),
        C::DatabaseCorrupt | C::NotADatabase => Some(Outage::Damaged),
        C::CannotOpen | C::SystemIoFailure | C::ReadOnly | C::FileLockingProtocolFailed => {
            Some(Outage::Unavailable)
        }
        _ => None,
    }
}

/// SQLSTATE classes and codes that say the server, not the request, failed.
fn pg_outage(e: &tokio_postgres::Error) -> Option<Outage> {
    let Some(db) = e.as_db_error() else {
        // No answer from the server at all: the connection closed, refused or timed out.
        return Some(Outage::Unavailable);
    };
    let code = db.code().code();
    match code {
        "53100" => Some(Outage::DiskFull),
        "40001" | "40P01" | "55P03" => Some(Outage::Busy),
        "XX001" | "XX002" => Some(Outage::Damaged),
        // 25006 read_only_sql_transaction: a standby (after a failover the old address may answer read-only).
        "25006" => Some(Outage::Unavailable),
        _ if code.starts_with("08") || code.starts_with("53") || code.starts_with("57P") => {
            Some(Outage::Unavailable)
        }
        _ => None,
    }
}

impl StoreError {
    /// The operational failure this is, if it is one (and not a rejection of the request or a bug).
    pub fn outage(&self) -> Option<Outage> {
        match self {
            Self::Outage { outage, .. } => Some(*outage),
            Self::Db(e) => sqlite_outage(e),
            Self::Pg(e) => pg_outage(e),
            Self::Io(e) => io_outage(e),
            Self::Pool(_) | Self::WriterGone => Some(Outage::Unavailable),
            _ => None,
        }
    }

    /// A transaction's failure, classified: an outage when it is one, otherwise `Transaction`.
    pub(crate) fn failed_transaction(e: &rusqlite::Error) -> Self {
        match sqlite_outage(e) {
            Some(outage) => Self::Outage { outage, detail: e.to_string() },
            None => Self::Transaction(e.to_string()),
        }
    }

    /// As `failed_transaction`, for PostgreSQL.
    pub(crate) fn failed_pg_transaction(e: &tokio_postgres::Error) -> Self {
        let detail = match e.as_db_error() {
            Some(d) => format!("{}: {} ({})", d.severity(), d.message(), d.code().code()),
            None => e.to_string(),
        };
        match pg_outage(e) {
            Some(outage) => Self::Outage { outage, detail },
            None => Self::Transaction(detail),
        }
    }
}

/// A reason the store is not ready, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotReady {
    /// Stable code: `store.damaged`, `store.disk_low`, `store.last_write_failed`, `store.unreachable`.
    pub code: &'static str,
    /// In Chinese.
    pub message_zh: String,
    /// In English.
    pub message_en: String,
}

/// What `/readyz` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// Ready to take reads and writes.
    pub ready: bool,
    /// The start-up integrity check: `checking`, `ok` or `damaged`.
    pub integrity: &'static str,
    /// Free space where the database writes, in MiB (SQLite; `None` for PostgreSQL, whose disk is the
    /// database server's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_mib: Option<u64>,
    /// Why not, when not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<NotReady>,
}

impl Readiness {
    /// Ready, with nothing to report.
    pub fn new(integrity: &'static str) -> Self {
        Self { ready: true, integrity, free_mib: None, reasons: Vec::new() }
    }

    /// Add a reason it is not ready.
    pub fn not(&mut self, code: &'static str, zh: String, en: String) {
        self.ready = false;
        self.reasons.push(NotReady { code, message_zh: zh, message_en: en });
    }
}

#[derive(Debug, Clone)]
struct Failure {
    outage: Outage,
    detail: String,
    at: Instant,
}

/// How the store's writes have been going: the last write's outcome, and whether the store was found
/// damaged (then it refuses writes until it is repaired and opened again).
#[derive(Debug, Default)]
pub struct WriteHealth {
    last_failure: Mutex<Option<Failure>>,
    damaged: Mutex<Option<String>>,
}

impl WriteHealth {
    /// Note a transaction's outcome: a success clears the last failure; an operational failure is kept
    /// (a damaged file for good).
    pub fn note(&self, outcome: Result<(), &StoreError>) {
        match outcome {
            Ok(()) => {
                if let Ok(mut f) = self.last_failure.lock() {
                    *f = None;
                }
            }
            Err(e) => {
                let Some(outage) = e.outage() else { return };
                tracing::error!(error = %e, code = outage.code(), "a write failed");
                if outage == Outage::Damaged {
                    self.mark_damaged(e.to_string());
                }
                if let Ok(mut f) = self.last_failure.lock() {
                    *f = Some(Failure { outage, detail: e.to_string(), at: Instant::now() });
                }
            }
        }
    }

    /// The store was found damaged: refuse writes from now on.
    pub fn mark_damaged(&self, why: String) {
        if let Ok(mut d) = self.damaged.lock()
            && d.is_none()
        {
            tracing::error!(why = %why, "the database is damaged: writes are refused until it is repaired");
            *d = Some(why);
        }
    }

    /// `Some(error)` when writes must be refused now (the store is damaged).
    pub fn refuse(&self) -> Option<StoreError> {
        let d = self.damaged.lock().ok()?.clone()?;
        Some(StoreError::Outage { outage: Outage::Damaged, detail: d })
    }

    /// Add to `r` what the write path says: damage, and a recent failed write not followed by a success.
    pub fn report(&self, r: &mut Readiness) {
        if let Some(d) = self.damaged.lock().ok().and_then(|d| d.clone()) {
            r.not(
                "store.damaged",
                format!("数据库已损坏，拒绝写入，须从备份恢复：{d}"),
                format!("the database is damaged and refuses writes until restored from a backup: {d}"),
            );
        }
        let last = self.last_failure.lock().ok().and_then(|f| f.clone());
        if let Some(f) = last
            && f.at.elapsed() < FAILED_WRITE_WINDOW
            && f.outage != Outage::Damaged
        {
            let ago = f.at.elapsed().as_secs();
            r.not(
                "store.last_write_failed",
                format!("最近一次写入（{ago} 秒前）失败：{}（{}）", f.outage.zh(), f.detail),
                format!("the last write ({ago} s ago) failed: {} ({})", f.outage.en(), f.detail),
            );
        }
    }
}

/// Free space, in bytes, for an unprivileged writer on the file system holding `path`.
#[cfg(unix)]
pub fn free_bytes(path: &std::path::Path) -> Option<u64> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

/// Free space is not measured off Unix.
#[cfg(not(unix))]
pub fn free_bytes(_: &std::path::Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes_are_classified() {
        let full =
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        let busy =
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        let corrupt =
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), None);
        let constraint =
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT), None);
        assert_eq!(StoreError::Db(full).outage(), Some(Outage::DiskFull));
        assert_eq!(StoreError::Db(busy).outage(), Some(Outage::Busy));
        assert_eq!(StoreError::Db(corrupt).outage(), Some(Outage::Damaged));
        assert_eq!(
            StoreError::Db(constraint).outage(),
            None,
            "a constraint is a bug or a request, not an outage"
        );
        let enospc = std::io::Error::from_raw_os_error(ENOSPC);
        assert_eq!(StoreError::Io(enospc).outage(), Some(Outage::DiskFull));
        assert_eq!(StoreError::Corrupt("x".into()).outage(), None);
        assert_eq!(StoreError::WriterGone.outage(), Some(Outage::Unavailable));
    }

    #[test]
    fn a_failed_write_makes_the_store_not_ready_until_a_write_succeeds() {
        let h = WriteHealth::default();
        let mut r = Readiness::new("ok");
        h.report(&mut r);
        assert!(r.ready);
        let full = StoreError::Outage { outage: Outage::DiskFull, detail: "database or disk is full".into() };
        h.note(Err(&full));
        let mut r = Readiness::new("ok");
        h.report(&mut r);
        assert!(!r.ready);
        assert_eq!(r.reasons[0].code, "store.last_write_failed");
        assert!(r.reasons[0].message_zh.contains("磁盘已满"), "{:?}", r.reasons);
        // A rejected request (not an outage) says nothing of the store's health.
        h.note(Ok(()));
        h.note(Err(&StoreError::Corrupt("a bad row".into())));
        let mut r = Readiness::new("ok");
        h.report(&mut r);
        assert!(r.ready, "{:?}", r.reasons);
    }

    #[test]
    fn a_damaged_store_refuses_writes_for_good() {
        let h = WriteHealth::default();
        assert!(h.refuse().is_none());
        let corrupt = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some("database disk image is malformed".into()),
        );
        h.note(Err(&StoreError::Db(corrupt)));
        h.note(Ok(()));
        let refused = h.refuse().expect("refused");
        assert_eq!(refused.outage(), Some(Outage::Damaged));
        let mut r = Readiness::new("ok");
        h.report(&mut r);
        assert!(!r.ready && r.reasons.iter().any(|n| n.code == "store.damaged"), "{:?}", r.reasons);
    }
}
