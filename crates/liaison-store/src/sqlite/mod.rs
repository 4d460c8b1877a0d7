//! The SQLite backend (the embedded default): one file, WAL, `synchronous=FULL`, foreign keys on.
//!
//! One writer thread owns the only writing connection and commits jobs in groups: it takes every job
//! waiting (up to `max_batch`), runs each in its own savepoint inside one transaction, and commits once, so
//! one fsync serves many requests. Readers use a small pool of connections that WAL lets run beside the
//! writer.

mod conn;
mod migrate;
mod tx;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};

pub(crate) use conn::Conn;
pub(crate) use tx::SqliteTx;

use crate::audit::{Verifier, VerifyReport};
use crate::health::{Readiness, WriteHealth};
use crate::{Keys, Queries, Store, StoreError, WriteJob};

/// Tuning of the SQLite backend.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// The most jobs one commit may carry; 1 turns group commit off (one transaction per request).
    pub max_batch: usize,
    /// Jobs that may wait for the writer before `submit` blocks (back-pressure).
    pub queue: usize,
    /// Idle read connections kept.
    pub readers: usize,
    /// The writer's page cache, in MiB.
    pub writer_cache_mib: u32,
    /// The size the WAL file is cut back to when it is reset (`PRAGMA journal_size_limit`), in MiB;
    /// after a large job it is truncated to nothing.
    pub wal_limit_mib: u32,
    /// Below this much free space (MiB) on the disk holding the database, the store says it is not ready
    /// (`/readyz`), before writes start failing with "disk full"; 0 turns the check off.
    pub min_free_mib: u64,
    /// How long a write waits for another process's write lock (a CLI beside the server) before it fails
    /// as busy (HTTP 503 with `Retry-After`), in milliseconds.
    pub busy_timeout_ms: u64,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            max_batch: 512,
            queue: 4096,
            readers: 8,
            writer_cache_mib: 128,
            wal_limit_mib: 64,
            min_free_mib: 256,
            busy_timeout_ms: 10_000,
        }
    }
}

/// The SQLite store.
pub struct SqliteStore {
    path: PathBuf,
    keys: Keys,
    jobs: Mutex<Option<SyncSender<Box<dyn WriteJob>>>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    pool: Mutex<Vec<Connection>>,
    readers: usize,
    /// What the integrity check run at start-up found: `None` while it runs or once it passed, the problem
    /// when it failed.
    integrity: Arc<Mutex<Integrity>>,
    /// How the writes have been going (the last one's outcome; damage found).
    health: Arc<WriteHealth>,
    min_free_mib: u64,
    busy_timeout_ms: u64,
}

/// The state of the start-up integrity check.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Integrity {
    Checking,
    Ok,
    Corrupt(String),
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SqliteStore({})", self.path.display())
    }
}

thread_local! {
    /// How long a statement on this thread waits for another process's lock before it fails with
    /// `SQLITE_BUSY` (`store.busy`), in milliseconds: the writer thread sets its store's `busy_timeout_ms`;
    /// other threads (readers, which WAL hardly ever makes wait) keep the default.
    static BUSY_WAIT_MS: std::cell::Cell<u64> = const { std::cell::Cell::new(10_000) };
}

/// The busy handler: try again every millisecond until the thread's wait is spent. SQLite's own handler
/// backs off to 100 ms between tries, so a write waiting behind another process's import — which lets the
/// lock go for a moment between chunks — rarely caught it (one write waited 3.5 s through several chunks).
fn busy_poll(tries: i32) -> bool {
    if u64::try_from(tries).unwrap_or(u64::MAX) >= BUSY_WAIT_MS.with(std::cell::Cell::get) {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(1));
    true
}

fn configure(c: &Connection, busy_timeout_ms: u64) -> Result<(), StoreError> {
    BUSY_WAIT_MS.with(|w| w.set(busy_timeout_ms));
    c.busy_handler(Some(busy_poll))?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl SqliteStore {
    /// Open (creating and migrating if needed) the database at `path`.
    ///
    /// A new database is created 0600 (owner only) whatever the umask, before SQLite opens it; SQLite
    /// gives its `-wal` and `-shm` files the database file's mode.
    pub fn open(path: &Path, keys: Keys, options: SqliteOptions) -> Result<Self, StoreError> {
        let created = !path.exists();
        if created {
            crate::files::create_private(path)?;
        }
        let mut writer = Connection::open(path)?;
        let mode: String = writer.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Migration(format!(
                "could not switch {} to WAL (got {mode})",
                path.display()
            )));
        }
        configure(&writer, options.busy_timeout_ms)?;
        if created {
            // Belt and braces: the log files exist now (WAL mode); make sure they are private too.
            for suffix in ["-wal", "-shm"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let p = PathBuf::from(p);
                if p.exists() {
                    crate::files::make_private(&p)?;
                }
            }
        }
        // The writer keeps the hot part of the register and its indexes in memory: SQLite's default 2 MB
        // page cache spills a large import to the file and reads it back (measured: a third of the time).
        writer.pragma_update(None, "cache_size", -(options.writer_cache_mib as i64) * 1024)?;
        writer.pragma_update(None, "temp_store", "MEMORY")?;
        // Without a limit the WAL keeps the size of the largest transaction it ever held (790 MB after a
        // national import): each time it is reset, cut it back to this.
        writer.pragma_update(None, "journal_size_limit", i64::from(options.wal_limit_mib) * 1024 * 1024)?;
        migrate::run(&mut writer)?;
        // `PRAGMA quick_check` reads the whole file: seconds for a national register. It runs beside the
        // service, on its own connection (a WAL snapshot), so start-up does not wait for it; a problem it
        // finds turns readiness off (`check`).
        let integrity = Arc::new(Mutex::new(Integrity::Checking));
        let health = Arc::new(WriteHealth::default());
        {
            let (integrity, path, health) = (integrity.clone(), path.to_owned(), health.clone());
            std::thread::Builder::new().name("liaison-sqlite-check".into()).spawn(move || {
                let found = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                    .map_err(StoreError::from)
                    .and_then(|c| quick_check(&c));
                if let Err(e) = &found {
                    // A damaged file takes no more writes until it is repaired (restored from a backup).
                    health.mark_damaged(e.to_string());
                }
                if let Ok(mut state) = integrity.lock() {
                    *state = match found {
                        Ok(()) => Integrity::Ok,
                        Err(e) => Integrity::Corrupt(e.to_string()),
                    };
                }
            })?;
        }
        let (tx, rx) = sync_channel::<Box<dyn WriteJob>>(options.queue.max(1));
        let writer_keys = keys.clone();
        let max_batch = options.max_batch.max(1);
        let (writer_health, busy_wait) = (health.clone(), options.busy_timeout_ms);
        let handle = std::thread::Builder::new().name("liaison-sqlite-writer".into()).spawn(move || {
            BUSY_WAIT_MS.with(|w| w.set(busy_wait));
            writer_loop(writer, writer_keys, rx, max_batch, &writer_health)
        })?;
        Ok(Self {
            path: path.to_owned(),
            keys,
            jobs: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(handle)),
            pool: Mutex::new(Vec::new()),
            readers: options.readers,
            integrity,
            health,
            min_free_mib: options.min_free_mib,
            busy_timeout_ms: options.busy_timeout_ms,
        })
    }

    /// Wait for the start-up integrity check and say what it found (tests, `liaison db` tools).
    pub fn integrity_checked(&self) -> Result<(), StoreError> {
        loop {
            let state = self.integrity.lock().map(|s| s.clone()).unwrap_or(Integrity::Checking);
            match state {
                Integrity::Checking => std::thread::sleep(std::time::Duration::from_millis(5)),
                Integrity::Ok => return Ok(()),
                Integrity::Corrupt(e) => return Err(StoreError::Corrupt(format!("quick_check: {e}"))),
            }
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn reader(&self) -> Result<Connection, StoreError> {
        if let Some(c) = self.pool.lock().map_err(|_| StoreError::WriterGone)?.pop() {
            return Ok(c);
        }
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        configure(&c, self.busy_timeout_ms)?;
        c.pragma_update(None, "query_only", "ON")?;
        Ok(c)
    }

    fn give_back(&self, c: Connection) {
        if let Ok(mut pool) = self.pool.lock()
            && pool.len() < self.readers
        {
            pool.push(c);
        }
    }

    /// Stop the writer after the jobs already queued, and wait for it.
    pub fn close(&self) {
        if let Ok(mut j) = self.jobs.lock() {
            j.take();
        }
        if let Ok(mut w) = self.writer.lock()
            && let Some(h) = w.take()
        {
            let _ = h.join();
        }
    }

    /// Put a backup in place as the database at `dest` (which must not exist): the copy is checked first,
    /// written 0600 under a temporary name and renamed onto `dest` only once complete.
    pub fn restore(src: &Path, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::Taken(format!(
                "{} (remove it or restore elsewhere / 请先移走它或恢复到别处)",
                dest.display()
            )));
        }
        let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        quick_check(&from)?;
        let partial = crate::files::Partial::beside(dest)?;
        {
            let mut to = Connection::open(partial.path())?;
            rusqlite::backup::Backup::new(&from, &mut to)?.run_to_completion(
                256,
                std::time::Duration::from_millis(0),
                None,
            )?;
            quick_check(&to)?;
        }
        partial.finish(dest)
    }

    /// Write one consistent snapshot of the database to `dest` (which must not exist) while the service
    /// runs, and check the copy before it takes the name `dest`.
    ///
    /// The copy is taken in a single backup step, which holds one read transaction on the database for
    /// the whole copy: writers go on (WAL), and their commits, not visible to that transaction, cannot
    /// make it start over (a copy in many steps restarts whenever the database is written, and under a
    /// steady load never ends). It is written to a temporary file beside `dest`, created 0600, switched
    /// to a self-contained rollback-journal file, checked (`PRAGMA quick_check`, then the audit chain
    /// under the store's key) and only then renamed onto `dest`; on any failure the temporary file is
    /// removed. Returns what the chain check of the copy found (breaks in the copy are the database's
    /// own: the caller reports them).
    pub fn backup_to(&self, dest: &Path) -> Result<VerifyReport, StoreError> {
        let partial = crate::files::Partial::beside(dest)?;
        self.snapshot_into(partial.path())?;
        let report = check_copy(partial.path(), &self.keys)?;
        partial.finish(dest)?;
        // The copy held one read transaction throughout, so checkpoints could not finish meanwhile: give
        // the log its space back now.
        crate::checkpoint_blocking(self);
        Ok(report)
    }

    fn snapshot_into(&self, tmp: &Path) -> Result<(), StoreError> {
        let src = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        src.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut out = Connection::open(tmp)?;
        let backup = rusqlite::backup::Backup::new(&src, &mut out)?;
        // Busy or locked only while another process recovers the log: wait a little and try again.
        for _ in 0..50 {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => return Ok(()),
                _ => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        }
        Err(StoreError::Transaction(format!(
            "备份无法读取数据库 {p}：一直被锁定（the backup could not read {p}: the database stayed locked)",
            p = self.path.display()
        )))
    }

    /// Open a raw connection to the file, for tests that must tamper with it as an attacker would.
    #[doc(hidden)]
    pub fn raw_connection(path: &Path) -> Result<Connection, StoreError> {
        Ok(Connection::open(path)?)
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.close();
    }
}

/// Make a fresh copy self-contained (rollback journal, so it is one file) and check it as `restore` will:
/// `quick_check`, then the audit chain under `keys`.
fn check_copy(path: &Path, keys: &Keys) -> Result<VerifyReport, StoreError> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let mode: String = c.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::Corrupt(format!("backup copy: journal mode stayed {mode}")));
    }
    quick_check(&c).map_err(|e| {
        StoreError::Corrupt(format!("备份副本未通过完整性检查（the backup copy failed its check）：{e}"))
    })?;
    verify_chain(&c, keys)
}

fn quick_check(c: &Connection) -> Result<(), StoreError> {
    let r: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if r == "ok" { Ok(()) } else { Err(StoreError::Corrupt(format!("quick_check: {r}"))) }
}

/// Recompute every tenant's audit chain on `c`. Each row is decoded on its own: a damaged record is named
/// (`Problem::Unreadable`) and the records after it are still checked.
fn verify_chain(c: &Connection, keys: &Keys) -> Result<VerifyReport, StoreError> {
    let mut v = Verifier::new(keys);
    let mut stmt =
        c.prepare(&format!("SELECT {} FROM audit_log ORDER BY tenant_id, seq", crate::rows::AUDIT_COLUMNS))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        match crate::rows::audit_entry(row) {
            Ok(r) => v.feed(&r),
            Err(d) => v.damaged(*d),
        }
    }
    Ok(v.finish())
}

/// One of the state check's ordered reads, on a statement of the snapshot's connection.
struct Rows<'s> {
    rows: rusqlite::Rows<'s>,
    which: usize,
}

impl crate::state::Source for Rows<'_> {
    fn next_item(&mut self) -> Result<Option<(Key, crate::state::Item)>, StoreError> {
        Ok(self.rows.next()?.map(|r| crate::state::item(self.which, r)))
    }
}

type Key = (String, String, String);

/// The state check's reads, all on `c` inside one read transaction (one snapshot, however long the check
/// takes and whatever the writer does meanwhile).
fn scan_state(
    c: &Connection,
    kinds: &[&str],
    visit: &mut dyn FnMut(crate::state::AggregateState) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let sql = crate::state::queries(kinds, |col| col.to_owned())?;
    in_snapshot(c, || {
        let mut stmts = sql.iter().map(|q| c.prepare(q)).collect::<Result<Vec<_>, _>>()?;
        let mut sources = Vec::with_capacity(stmts.len());
        for (which, stmt) in stmts.iter_mut().enumerate() {
            sources.push(Rows { rows: stmt.query([])?, which });
        }
        let mut refs: Vec<&mut dyn crate::state::Source> =
            sources.iter_mut().map(|s| s as &mut dyn crate::state::Source).collect();
        crate::state::merge(&mut refs, visit)
    })
    .0
}

/// Run `f`'s reads on `c` in one read transaction: one snapshot for all of them (a page and its count
/// agree, a token and the record it reads are of one moment), and the database's shared lock and the WAL's
/// read mark taken and released once instead of once per statement (issue 19: those `fcntl` calls were a
/// tenth of a point read's time). Returns `f`'s result and whether `c` is out of the transaction again (a
/// connection that is not is not pooled again).
fn in_snapshot<R>(
    c: &Connection,
    f: impl FnOnce() -> Result<R, StoreError>,
) -> (Result<R, StoreError>, bool) {
    let run = |sql: &str| c.prepare_cached(sql).and_then(|mut s| s.execute([])).map(|_| ());
    if let Err(e) = run("BEGIN") {
        return (Err(e.into()), c.is_autocommit());
    }
    let r = f();
    let ended = run("COMMIT").or_else(|_| run("ROLLBACK"));
    let r = match ended {
        Ok(()) => r,
        Err(e) => r.and(Err(e.into())),
    };
    (r, c.is_autocommit())
}

/// Checkpoint the whole WAL into the database and truncate it to nothing (after a large job, between
/// transactions, on the writer: no other writer can interfere; readers are waited for up to the busy
/// timeout). Best effort: what it could not do is logged, and `journal_size_limit` cuts the log back at
/// its next reset anyway.
fn truncate_log(conn: &Connection) {
    let r = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    });
    match r {
        Ok((0, _, _)) => {}
        Ok((_, log, done)) => {
            tracing::warn!(log, done, "WAL checkpoint after a large job could not finish: readers were busy")
        }
        Err(e) => tracing::warn!(error = %e, "WAL checkpoint after a large job failed"),
    }
}

fn db_error(e: &rusqlite::Error) -> StoreError {
    StoreError::failed_transaction(e)
}

fn writer_loop(
    conn: Connection,
    keys: Keys,
    rx: Receiver<Box<dyn WriteJob>>,
    max_batch: usize,
    health: &WriteHealth,
) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        if health.refuse().is_some() {
            for j in batch {
                j.finish(Err(health.refuse().unwrap_or(StoreError::WriterGone)));
            }
            continue;
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            health.note(Err(&db_error(&e)));
            for j in batch {
                j.finish(Err(db_error(&e)));
            }
            continue;
        }
        let mut failure = None;
        for j in batch.iter_mut() {
            if let Err(e) = conn.execute_batch("SAVEPOINT job") {
                failure = Some(e);
                break;
            }
            let keep = j.run(&mut SqliteTx::new(&conn, &keys));
            let end = if keep { "RELEASE job" } else { "ROLLBACK TO job; RELEASE job" };
            if let Err(e) = conn.execute_batch(end) {
                failure = Some(e);
                break;
            }
        }
        let large = batch.iter().any(|j| j.large());
        let outcome = match failure {
            Some(e) => Err(e),
            None => conn.execute_batch("COMMIT"),
        };
        if let Err(e) = &outcome {
            tracing::error!(error = %e, "group commit failed; rolling back the batch");
            let _ = conn.execute_batch("ROLLBACK");
        }
        if large {
            truncate_log(&conn);
        }
        match &outcome {
            Ok(()) => health.note(Ok(())),
            Err(e) => health.note(Err(&db_error(e))),
        }
        match outcome {
            Ok(()) => batch.into_iter().for_each(|j| j.finish(Ok(()))),
            Err(e) => batch.into_iter().for_each(|j| j.finish(Err(db_error(&e)))),
        }
    }
}

impl Store for SqliteStore {
    fn submit(&self, job: Box<dyn WriteJob>) {
        let sender = self.jobs.lock().ok().and_then(|g| g.clone());
        match sender {
            Some(s) => {
                if let Err(e) = s.try_send(job) {
                    match e {
                        TrySendError::Full(job) => {
                            if let Err(std::sync::mpsc::SendError(job)) = s.send(job) {
                                job.finish(Err(StoreError::WriterGone));
                            }
                        }
                        TrySendError::Disconnected(job) => job.finish(Err(StoreError::WriterGone)),
                    }
                }
            }
            None => job.finish(Err(StoreError::WriterGone)),
        }
    }

    fn read(&self, f: &mut dyn FnMut(&dyn Queries) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let c = self.reader()?;
        let (r, clean) = in_snapshot(&c, || f(&Conn { c: &c, keys: &self.keys }));
        if clean {
            self.give_back(c);
        }
        r
    }

    fn keys(&self) -> &Keys {
        &self.keys
    }

    fn verify_audit(&self) -> Result<VerifyReport, StoreError> {
        let c = self.reader()?;
        let r = verify_chain(&c, &self.keys);
        self.give_back(c);
        r
    }

    fn readiness(&self) -> Readiness {
        let mut r = Readiness::new(self.integrity());
        if let Err(e) = self.check() {
            r.not(
                "store.unreachable",
                format!("数据库无法读取：{e}"),
                format!("the database cannot be read: {e}"),
            );
        }
        self.health.report(&mut r);
        if let Some(free) = crate::health::free_bytes(&self.path) {
            let free_mib = free >> 20;
            r.free_mib = Some(free_mib);
            if free_mib < self.min_free_mib {
                r.not(
                    "store.disk_low",
                    format!("数据库所在磁盘仅剩 {free_mib} MiB，低于下限 {} MiB，写入可能失败", self.min_free_mib),
                    format!(
                        "only {free_mib} MiB free on the database's disk, below the floor of {} MiB: writes may fail",
                        self.min_free_mib
                    ),
                );
            }
        }
        r
    }

    fn scan_state(
        &self,
        kinds: &[&str],
        visit: &mut dyn FnMut(crate::state::AggregateState) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let c = self.reader()?;
        let r = scan_state(&c, kinds, visit);
        self.give_back(c);
        r
    }

    fn integrity(&self) -> &'static str {
        match self.integrity.lock().map(|s| s.clone()) {
            Ok(Integrity::Checking) => "checking",
            Ok(Integrity::Ok) => "ok",
            _ => "damaged",
        }
    }

    /// Ready unless the start-up integrity check found a problem, and a reader answers (cheap: a probe
    /// every few seconds must not read the whole file).
    fn check(&self) -> Result<(), StoreError> {
        if let Ok(state) = self.integrity.lock()
            && let Integrity::Corrupt(e) = &*state
        {
            return Err(StoreError::Corrupt(format!("quick_check: {e}")));
        }
        let c = self.reader()?;
        let r = c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).map(|_| ()).map_err(StoreError::from);
        self.give_back(c);
        r
    }

    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    fn backup(&self, dest: &Path) -> Result<Option<VerifyReport>, StoreError> {
        self.backup_to(dest).map(Some)
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        let c = self.reader()?;
        let v: i64 =
            c.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
        self.give_back(c);
        Ok(v as u32)
    }
}
