//! The PostgreSQL backend: the same traits, for deployments that outgrow one machine. Several servers may
//! share one database.
//!
//! The store owns a small tokio runtime that drives its connections (tokio-postgres, pooled by
//! deadpool-postgres). The trait methods are synchronous: they wait for query futures with a plain
//! executor, which works from any thread (the I/O is driven by the store's own runtime), so the façade
//! and the HTTP handlers call both backends the same way. Write jobs are committed in groups, as in
//! SQLite: a writer on the store runtime's blocking pool takes every job waiting (up to `max_batch`) into
//! one transaction, a savepoint per job, and sends each job's statements with as few round trips as it can
//! (audit records held back and sent with the next statement or the commit; see `conn::Deferred`);
//! PostgreSQL orders concurrent transactions — other servers' — itself. Concurrency between servers rests on the same
//! rules as in SQLite: versioned updates (`WHERE version = $expected`) and one chain head per tenant,
//! locked while a transaction appends to it.

mod conn;
mod deferred;
mod migrate;
mod replication;
mod tx;

use std::future::Future;
use std::sync::{Arc, Mutex};

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use crate::audit::{Verifier, VerifyReport};
use crate::health::{Readiness, WriteHealth};
use crate::rows::{AUDIT_COLUMNS, audit_entry};
use crate::{Keys, Queries, Store, StoreError, WriteJob};
use conn::PgConn;
use tx::PgTx;

/// Wait for a query future. Its I/O is driven by the store's runtime, so any thread may wait.
pub(crate) fn wait<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// Tuning of the PostgreSQL backend.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Connections in the pool (reads and write transactions in progress at once, from this server).
    pub pool_size: usize,
    /// A standby (or several: a multi-host URL, `target_session_attrs=read-only` to insist on standbys)
    /// for the reads where staleness is harmless (`Store::read_stale`). Its connections are made when
    /// first needed; while none can be made, those reads go to the primary.
    pub read_replica_url: Option<String>,
    /// The most write jobs one transaction may carry (group commit, as SQLite's writer does); 1: one
    /// transaction per job.
    pub max_batch: usize,
    /// Write transactions in progress at once from this server (each on its own connection).
    pub writers: usize,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self { pool_size: 16, read_replica_url: None, max_batch: 64, writers: 1 }
    }
}

/// Write jobs waiting for a writer, and how many writers are running (both under one lock, so a job is
/// never left behind by a writer that was just leaving).
#[derive(Default)]
struct Queue {
    jobs: std::collections::VecDeque<Box<dyn WriteJob>>,
    writers: usize,
}

/// The PostgreSQL store.
pub struct PgStore {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    keys: Keys,
    /// Write jobs in progress: a job counts from `submit` until its transaction ended.
    in_flight: Arc<(Mutex<usize>, std::sync::Condvar)>,
    closed: std::sync::atomic::AtomicBool,
    /// How the writes have been going (the last one's outcome).
    health: Arc<WriteHealth>,
    described: String,
    url: String,
    /// The pool of `read_replica_url`, and its description.
    replica: Option<(Pool, String)>,
    /// Jobs waiting for a writer.
    queue: Arc<Mutex<Queue>>,
    max_batch: usize,
    writers: usize,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgStore({})", self.described)
    }
}

/// `postgres://host:port,host:port/db` (every host, in the order they are tried, no credentials), with
/// `target_session_attrs` when it asks for the primary.
fn describe(c: &tokio_postgres::Config) -> String {
    let ports = c.get_ports();
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                tokio_postgres::config::Host::Tcp(s) => s.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
            };
            // One port for all hosts, or one per host (libpq's rule).
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            format!("{host}:{port}")
        })
        .collect();
    let attrs = match c.get_target_session_attrs() {
        tokio_postgres::config::TargetSessionAttrs::ReadWrite => "?target_session_attrs=read-write",
        tokio_postgres::config::TargetSessionAttrs::ReadOnly => "?target_session_attrs=read-only",
        _ => "",
    };
    format!("postgres://{}/{}{attrs}", hosts.join(","), c.get_dbname().unwrap_or(""))
}

/// Give a connection back to the pool only if it is still worth having. One that is closed (the server
/// went away: stopped, crashed, failed over) or that failed in a way that says the server is unavailable
/// or read-only (`Outage::Unavailable`, which includes 25006 from a standby) is taken out of the pool and
/// closed instead, so the next request makes a new connection — to whichever host is the primary then,
/// when the URL names several with `target_session_attrs=read-write`. (The pool's own check on reuse,
/// `RecyclingMethod::Fast`, catches only the closed ones.)
fn release(client: Object, failed: Option<&StoreError>) {
    let unavailable = failed.is_some_and(|e| e.outage() == Some(crate::Outage::Unavailable));
    if client.is_closed() || unavailable {
        tracing::warn!(closed = client.is_closed(), "discarding a PostgreSQL connection after a failure");
        drop(Object::take(client));
    }
}

/// A URL as libpq takes it; a malformed one names the option that is wrong (tokio-postgres keeps it in the
/// error's source).
fn parse_url(url: &str) -> Result<tokio_postgres::Config, StoreError> {
    url.parse().map_err(|e: tokio_postgres::Error| {
        let cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default();
        StoreError::BadUrl(format!("{e}{cause}"))
    })
}

/// A pool of connections made when first needed.
fn pool_of(config: tokio_postgres::Config, size: usize) -> Result<Pool, StoreError> {
    let manager =
        Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(size.max(2))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(std::time::Duration::from_secs(30)))
        .create_timeout(Some(std::time::Duration::from_secs(10)))
        .build()
        .map_err(|e| StoreError::Pool(e.to_string()))
}

#[derive(Clone)]
struct Connector {
    pool: Pool,
    handle: tokio::runtime::Handle,
}

impl Connector {
    fn get(&self) -> Result<Object, StoreError> {
        let pool = self.pool.clone();
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = tx.send(pool.get().await);
        });
        rx.recv().map_err(|e| StoreError::Pool(e.to_string()))?.map_err(|e| StoreError::Pool(e.to_string()))
    }
}

impl PgStore {
    /// Connect (the URL as libpq takes it), apply migrations and start the writers.
    pub fn open(url: &str, keys: Keys, options: PgOptions) -> Result<Self, StoreError> {
        let config = parse_url(url)?;
        let described = describe(&config);
        let replica = match &options.read_replica_url {
            Some(u) => {
                let c = parse_url(u).map_err(|e| match e {
                    StoreError::BadUrl(m) => {
                        StoreError::BadUrl(format!("read replica (--read-replica-url): {m}"))
                    }
                    e => e,
                })?;
                let d = describe(&c);
                Some((pool_of(c, options.pool_size)?, d))
            }
            None => None,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("liaison-pg")
            .enable_all()
            .build()?;
        let pool = pool_of(config, options.pool_size)?;
        let connector = Connector { pool: pool.clone(), handle: runtime.handle().clone() };
        let first = connector.get()?;
        migrate::run(&first)?;
        drop(first);
        Ok(Self {
            runtime: Some(runtime),
            pool,
            keys,
            in_flight: Arc::new((Mutex::new(0), std::sync::Condvar::new())),
            closed: std::sync::atomic::AtomicBool::new(false),
            health: Arc::new(WriteHealth::default()),
            described,
            url: url.to_owned(),
            replica,
            queue: Arc::new(Mutex::new(Queue::default())),
            max_batch: options.max_batch.max(1),
            writers: options.writers.max(1),
        })
    }

    fn connector(&self) -> Result<Connector, StoreError> {
        let handle = self.runtime.as_ref().ok_or(StoreError::WriterGone)?.handle().clone();
        Ok(Connector { pool: self.pool.clone(), handle })
    }

    /// Run SQL as it is, for tests that must tamper with the database as an attacker would.
    #[doc(hidden)]
    pub fn raw_execute(&self, sql: &str) -> Result<(), StoreError> {
        let c = self.connector()?.get()?;
        Ok(wait(c.batch_execute(sql))?)
    }

    /// Refuse new writes and wait for the ones in progress to end.
    pub fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        let (count, ended) = &*self.in_flight;
        if let Ok(mut n) = count.lock() {
            while *n > 0 {
                match ended.wait(n) {
                    Ok(g) => n = g,
                    Err(_) => return,
                }
            }
        }
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.close();
        self.pool.close();
        if let Some((replica, _)) = &self.replica {
            replica.close();
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// Run jobs in one transaction, each in its own savepoint, so a job that fails rolls back only its own
/// changes. The error that ended the transaction, if any, or an `Unavailable` outage when a job failed
/// on a session that turned out read-only: what `release` needs to decide whether the connection is kept.
///
/// Round trips are what a write costs here, and those after the first append are made with the tenant's
/// chain head locked: `BEGIN` and the first savepoint travel with the first job's first statement; a
/// job's audit records (held back by `PgTx::append`), its savepoint's release and the next job's
/// savepoint with the next job's first statement; the last job's with the `COMMIT` (`conn::Deferred`).
/// When any of those fails the transaction is lost and every job of it answered with the failure, so
/// nothing is acknowledged that was not written.
fn run_batch(
    client: &Object,
    keys: &Keys,
    health: &WriteHealth,
    mut batch: Vec<Box<dyn WriteJob>>,
) -> Option<StoreError> {
    let fail_all = |batch: Vec<Box<dyn WriteJob>>, e: &tokio_postgres::Error| {
        let _ = wait(client.batch_execute("ROLLBACK"));
        health.note(Err(&StoreError::failed_pg_transaction(e)));
        batch.into_iter().for_each(|j| j.finish(Err(StoreError::failed_pg_transaction(e))));
        Some(StoreError::failed_pg_transaction(e))
    };
    let mut any_failed = false;
    let last = batch.len().saturating_sub(1);
    // The chain heads this transaction holds, as the jobs kept so far left them (a job that fails is rolled
    // back to its savepoint, heads included, so its own copy is dropped).
    let mut heads = std::collections::HashMap::new();
    // `BEGIN` and each job's savepoint travel with the job's first statement; a job's end with the next
    // job's first statement, or with the commit.
    let mut carried = conn::Deferred::start("BEGIN; SAVEPOINT job");
    for (i, job) in batch.iter_mut().enumerate() {
        let tx = &mut PgTx::new(client, keys, heads.clone(), std::mem::take(&mut carried), i == 0);
        let keep = job.run(tx);
        any_failed |= !keep;
        let next = if i == last { "COMMIT" } else { "SAVEPOINT job" };
        let ended = match (keep, i == last) {
            (true, false) => {
                carried = tx.carry("RELEASE SAVEPOINT job; SAVEPOINT job");
                heads = tx.take_heads();
                Ok(())
            }
            (true, true) => tx.end("RELEASE SAVEPOINT job; COMMIT"),
            (false, _) => tx.discard().and_then(|()| {
                wait(
                    client
                        .batch_execute(&format!("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; {next}")),
                )
            }),
        };
        if tx.lost() {
            // Something held back failed (an earlier job's audit records, a savepoint): the transaction
            // is aborted, and none of its jobs may be acknowledged.
            let e = ended.err();
            return fail_lost(client, health, batch, e.as_ref());
        }
        if let Err(e) = ended {
            return fail_all(batch, &e);
        }
    }
    // A job that failed may have met a session that cannot write (a standby, or a primary fenced with
    // `default_transaction_read_only`): such a connection must not serve the next write, and readiness
    // says so (noted before the jobs are answered: a fenced primary is not ready).
    let fenced = if any_failed { read_only_session(client) } else { None };
    health.note(fenced.as_ref().map_or(Ok(()), Err));
    batch.into_iter().for_each(|j| j.finish(Ok(())));
    fenced
}

/// A transaction lost to a failure of what it held back: rolled back, every job answered with the failure.
fn fail_lost(
    client: &Object,
    health: &WriteHealth,
    batch: Vec<Box<dyn WriteJob>>,
    e: Option<&tokio_postgres::Error>,
) -> Option<StoreError> {
    let _ = wait(client.batch_execute("ROLLBACK"));
    let error = || match e {
        Some(e) => StoreError::failed_pg_transaction(e),
        None => {
            StoreError::Transaction("a write held back for the commit failed; nothing was committed".into())
        }
    };
    health.note(Err(&error()));
    batch.into_iter().for_each(|j| j.finish(Err(error())));
    Some(error())
}

/// `Some(Unavailable)` when the session is read-only or does not answer, `None` when it can write.
fn read_only_session(client: &Object) -> Option<StoreError> {
    let answer = wait(client.simple_query("SHOW transaction_read_only"));
    let on = answer.as_ref().ok().and_then(|msgs| {
        msgs.iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(|v| v == "on"),
            _ => None,
        })
    });
    match (answer, on) {
        (Err(e), _) => Some(StoreError::failed_pg_transaction(&e)),
        (Ok(_), Some(true)) => Some(StoreError::Outage {
            outage: crate::Outage::Unavailable,
            detail: "the session is read-only (25006)".into(),
        }),
        _ => None,
    }
}

impl Store for PgStore {
    fn submit(&self, job: Box<dyn WriteJob>) {
        let connector = match self.connector() {
            Ok(c) if !self.closed.load(std::sync::atomic::Ordering::SeqCst) => c,
            _ => return job.finish(Err(StoreError::WriterGone)),
        };
        if let Ok(mut n) = self.in_flight.0.lock() {
            *n += 1;
        }
        // Group commit: the job waits in the queue; up to `writers` writers on the store runtime's blocking
        // pool each take every job waiting (up to `max_batch`) into one transaction, a savepoint per job,
        // so one commit — one WAL flush, one hold of the tenant's chain head across it — serves many
        // requests. PostgreSQL serialises what must be serial (the versioned rows, the chain head).
        let start = match self.queue.lock() {
            Ok(mut q) => {
                q.jobs.push_back(job);
                let start = q.writers < self.writers;
                if start {
                    q.writers += 1;
                }
                start
            }
            Err(_) => return,
        };
        if !start {
            return;
        }
        let (keys, in_flight, handle) = (self.keys.clone(), self.in_flight.clone(), connector.handle.clone());
        let (health, queue, max_batch) = (self.health.clone(), self.queue.clone(), self.max_batch);
        handle.spawn_blocking(move || {
            loop {
                let batch: Vec<Box<dyn WriteJob>> = match queue.lock() {
                    Ok(mut q) if !q.jobs.is_empty() => {
                        // A large job (an import) has a transaction to itself.
                        let mut n = 0;
                        while n < q.jobs.len().min(max_batch) {
                            let large = q.jobs[n].large();
                            if large && n > 0 {
                                break;
                            }
                            n += 1;
                            if large {
                                break;
                            }
                        }
                        q.jobs.drain(..n).collect()
                    }
                    Ok(mut q) => {
                        q.writers -= 1;
                        return;
                    }
                    Err(_) => return,
                };
                let n = batch.len();
                match connector.get() {
                    Ok(client) => {
                        let failed = run_batch(&client, &keys, &health, batch);
                        release(client, failed.as_ref());
                    }
                    Err(e) => {
                        health.note(Err(&e));
                        let why = match &e {
                            StoreError::Pool(m) => m.clone(),
                            e => e.to_string(),
                        };
                        for job in batch {
                            job.finish(Err(StoreError::Pool(why.clone())));
                        }
                    }
                }
                let (count, ended) = &*in_flight;
                if let Ok(mut c) = count.lock() {
                    *c = c.saturating_sub(n);
                    ended.notify_all();
                }
            }
        });
    }

    fn read(&self, f: &mut dyn FnMut(&dyn Queries) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let client = self.connector()?.get()?;
        let r = f(&PgConn::new(&client, &self.keys));
        release(client, r.as_ref().err());
        r
    }

    /// On the standby when one is configured and a connection to it can be had; on the primary otherwise
    /// (the standby down or not yet accepting connections). A query the standby fails (a conflict with
    /// recovery, the standby going away mid-read) is not run again on the primary: it is the caller's error
    /// (503, retried by the client), and the broken connection is dropped.
    fn read_stale(
        &self,
        f: &mut dyn FnMut(&dyn Queries) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let Some((replica, described)) = &self.replica else { return self.read(f) };
        let handle = self.runtime.as_ref().ok_or(StoreError::WriterGone)?.handle().clone();
        let client = match (Connector { pool: replica.clone(), handle }).get() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(replica = %described, error = %e, "the read replica is unavailable; reading from the primary");
                return self.read(f);
            }
        };
        let r = f(&PgConn::new(&client, &self.keys));
        release(client, r.as_ref().err());
        r
    }

    fn keys(&self) -> &Keys {
        &self.keys
    }

    fn verify_audit(&self) -> Result<VerifyReport, StoreError> {
        let client = self.connector()?.get()?;
        let mut v = Verifier::new(&self.keys);
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE (tenant_id, seq) > ($1, $2) ORDER BY tenant_id, seq LIMIT 10000"
        );
        let (mut tenant, mut seq) = (String::new(), 0i64);
        loop {
            let rows = wait(client.query(&sql, &[&tenant, &seq]))?;
            let Some(last) = rows.last() else { break };
            (tenant, seq) = (last.try_get(0)?, last.try_get(1)?);
            for r in &rows {
                match audit_entry(r) {
                    Ok(r) => v.feed(&r),
                    Err(d) => v.damaged(*d),
                }
            }
        }
        Ok(v.finish())
    }

    fn scan_state(
        &self,
        kinds: &[&str],
        visit: &mut dyn FnMut(crate::state::AggregateState) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let client = self.connector()?.get()?;
        let sql = crate::state::queries(kinds, |col| format!("{col} COLLATE \"C\""))?;
        wait(client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))?;
        let mut run = || -> Result<(), StoreError> {
            let mut sources = Vec::with_capacity(sql.len());
            for (which, q) in sql.iter().enumerate() {
                let name = format!("liaison_state_{which}");
                wait(client.batch_execute(&format!("DECLARE {name} NO SCROLL CURSOR FOR {q}")))?;
                sources.push(Cursor { client: &client, name, which, rows: Default::default(), done: false });
            }
            let mut refs: Vec<&mut dyn crate::state::Source> =
                sources.iter_mut().map(|s| s as &mut dyn crate::state::Source).collect();
            crate::state::merge(&mut refs, visit)
        };
        let r = run();
        // Read only: ending it either way changes nothing; a failed read has aborted it, so roll back.
        let end = wait(client.batch_execute(if r.is_ok() { "COMMIT" } else { "ROLLBACK" }));
        r.and(end.map_err(StoreError::from))
    }

    fn check(&self) -> Result<(), StoreError> {
        let client = self.connector()?.get()?;
        let r = wait(client.simple_query("SELECT 1")).map(|_| ()).map_err(StoreError::from);
        release(client, r.as_ref().err());
        r
    }

    fn replication(&self) -> Result<Option<crate::ReplicationStatus>, StoreError> {
        let client = self.connector()?.get()?;
        let r = replication::status(&client);
        release(client, r.as_ref().err());
        r.map(Some)
    }

    fn readiness(&self) -> Readiness {
        let mut r = Readiness::new("ok");
        if let Err(e) = self.check() {
            r.not(
                "store.unreachable",
                format!("无法连接 PostgreSQL（{}）：{e}", self.described),
                format!("PostgreSQL ({}) does not answer: {e}", self.described),
            );
        }
        self.health.report(&mut r);
        r
    }

    fn describe(&self) -> String {
        self.described.clone()
    }

    fn reads_wait_on_network(&self) -> bool {
        true
    }

    /// `pg_dump --format=custom` into a private (0600) temporary file beside `dest`, renamed onto `dest`
    /// once pg_dump has succeeded; on failure nothing is left under either name.
    fn backup(&self, dest: &std::path::Path) -> Result<Option<VerifyReport>, StoreError> {
        let partial = crate::files::Partial::beside(dest)?;
        // pg_dump opens the existing (empty, 0600) file for writing: it keeps its mode.
        let out = std::process::Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(partial.path())
            .arg(&self.url)
            .output()
            .map_err(|e| {
                StoreError::Io(std::io::Error::new(
                    e.kind(),
                    format!("无法运行 pg_dump（cannot run pg_dump）：{e}"),
                ))
            })?;
        if !out.status.success() {
            return Err(StoreError::Transaction(format!(
                "pg_dump 失败（pg_dump failed）：{}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        partial.finish(dest)?;
        Ok(None)
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        let c = self.connector()?.get()?;
        let v: i32 =
            wait(c.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]))?.get(0);
        Ok(v as u32)
    }
}

/// One of the state check's ordered reads: a cursor of the snapshot's transaction, fetched in pages.
struct Cursor<'c> {
    client: &'c Object,
    name: String,
    which: usize,
    rows: std::collections::VecDeque<tokio_postgres::Row>,
    done: bool,
}

impl crate::state::Source for Cursor<'_> {
    fn next_item(&mut self) -> Result<Option<((String, String, String), crate::state::Item)>, StoreError> {
        if self.rows.is_empty() && !self.done {
            let page = wait(self.client.query(&format!("FETCH 2000 FROM {}", self.name), &[]))?;
            self.done = page.is_empty();
            self.rows.extend(page);
        }
        Ok(self.rows.pop_front().map(|r| crate::state::item(self.which, &r)))
    }
}

impl PgStore {
    /// Restore a `pg_dump --format=custom` backup into the (empty) database at `url` with `pg_restore`.
    pub fn restore(src: &std::path::Path, url: &str) -> Result<(), StoreError> {
        let out = std::process::Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--single-transaction", "--dbname"])
            .arg(url)
            .arg(src)
            .output()
            .map_err(|e| {
                StoreError::Io(std::io::Error::new(e.kind(), format!("cannot run pg_restore: {e}")))
            })?;
        if !out.status.success() {
            return Err(StoreError::Transaction(format!(
                "pg_restore failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn described(url: &str) -> String {
        describe(&url.parse().unwrap())
    }

    #[test]
    fn a_multi_host_url_is_described_with_every_host_and_no_credentials() {
        assert_eq!(
            described("postgres://liaison:secret@db1:5432,db2:5433/liaison?target_session_attrs=read-write"),
            "postgres://db1:5432,db2:5433/liaison?target_session_attrs=read-write"
        );
        assert_eq!(described("postgres://postgres@127.0.0.1:5432/test"), "postgres://127.0.0.1:5432/test");
        // One port for every host (libpq's rule when a single port is given).
        assert_eq!(
            described("host=db1,db2 port=6000 dbname=x target_session_attrs=read-only"),
            "postgres://db1:6000,db2:6000/x?target_session_attrs=read-only"
        );
    }

    #[test]
    fn a_session_attribute_tokio_postgres_does_not_know_is_refused_by_name() {
        // libpq 14+ knows `primary`; tokio-postgres knows any, read-write and read-only: say which option.
        let e = PgStore::open(
            "postgres://postgres@127.0.0.1:1/x?target_session_attrs=primary",
            Keys::from_master(&[1; 32]),
            PgOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("target_session_attrs"), "{e}");
    }
}
