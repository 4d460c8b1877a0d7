//! The PostgreSQL backend: the same traits, for deployments that outgrow one machine. Several servers may
//! share one database.
//!
//! The store owns a small tokio runtime that drives its connections (tokio-postgres, pooled by
//! deadpool-postgres). The trait methods are synchronous: they wait for query futures with a plain
//! executor, which works from any thread (the I/O is driven by the store's own runtime), so the façade
//! and the HTTP handlers call both backends the same way. Writes run on a few writer threads, one
//! transaction per job; PostgreSQL itself groups commits. Concurrency between servers rests on the same
//! rules as in SQLite: versioned updates (`WHERE version = $expected`) and one chain head per tenant,
//! locked while a transaction appends to it.

mod conn;
mod migrate;

use std::future::Future;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use crate::audit::{Verifier, VerifyReport};
use crate::rows::{AUDIT_COLUMNS, audit_row};
use crate::{Keys, Queries, Store, StoreError, WriteJob};
use conn::{PgConn, PgTx};

/// Wait for a query future. Its I/O is driven by the store's runtime, so any thread may wait.
pub(crate) fn wait<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// Tuning of the PostgreSQL backend.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Connections in the pool.
    pub pool_size: usize,
    /// Writer threads (concurrent write transactions from this server).
    pub writers: usize,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self { pool_size: 16, writers: 4 }
    }
}

/// The PostgreSQL store.
pub struct PgStore {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    keys: Keys,
    jobs: Mutex<Option<SyncSender<Box<dyn WriteJob>>>>,
    writers: Mutex<Vec<std::thread::JoinHandle<()>>>,
    described: String,
    url: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgStore({})", self.described)
    }
}

fn describe(c: &tokio_postgres::Config) -> String {
    let host = c
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_default();
    let port = c.get_ports().first().copied().unwrap_or(5432);
    format!("postgres://{host}:{port}/{}", c.get_dbname().unwrap_or(""))
}

#[derive(Clone)]
struct Connector {
    pool: Pool,
    handle: tokio::runtime::Handle,
}

impl Connector {
    fn get(&self) -> Result<Object, StoreError> {
        let pool = self.pool.clone();
        let task = self.handle.spawn(async move { pool.get().await });
        wait(task).map_err(|e| StoreError::Pool(e.to_string()))?.map_err(|e| StoreError::Pool(e.to_string()))
    }
}

impl PgStore {
    /// Connect (the URL as libpq takes it), apply migrations and start the writers.
    pub fn open(url: &str, keys: Keys, options: PgOptions) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config =
            url.parse().map_err(|e| StoreError::Pool(format!("not a PostgreSQL URL: {e}")))?;
        let described = describe(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("liaison-pg")
            .enable_all()
            .build()?;
        let manager =
            Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(options.writers + 1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(std::time::Duration::from_secs(30)))
            .create_timeout(Some(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let connector = Connector { pool: pool.clone(), handle: runtime.handle().clone() };
        let first = connector.get()?;
        migrate::run(&first)?;
        drop(first);
        let (tx, rx) = sync_channel::<Box<dyn WriteJob>>(4096);
        let rx = Arc::new(Mutex::new(rx));
        let mut writers = Vec::new();
        for i in 0..options.writers.max(1) {
            let (rx, connector, keys) = (rx.clone(), connector.clone(), keys.clone());
            writers.push(
                std::thread::Builder::new()
                    .name(format!("liaison-pg-writer-{i}"))
                    .spawn(move || writer_loop(&rx, &connector, &keys))?,
            );
        }
        Ok(Self {
            runtime: Some(runtime),
            pool,
            keys,
            jobs: Mutex::new(Some(tx)),
            writers: Mutex::new(writers),
            described,
            url: url.to_owned(),
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

    /// Stop the writers after the jobs already queued.
    pub fn close(&self) {
        if let Ok(mut j) = self.jobs.lock() {
            j.take();
        }
        if let Ok(mut w) = self.writers.lock() {
            for h in w.drain(..) {
                let _ = h.join();
            }
        }
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.close();
        self.pool.close();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

fn writer_loop(rx: &Mutex<Receiver<Box<dyn WriteJob>>>, connector: &Connector, keys: &Keys) {
    loop {
        let job = match rx.lock() {
            Ok(rx) => match rx.recv() {
                Ok(j) => j,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let client = match connector.get() {
            Ok(c) => c,
            Err(e) => {
                job.finish(Err(e));
                continue;
            }
        };
        run_job(&client, keys, job);
    }
}

fn run_job(client: &Object, keys: &Keys, mut job: Box<dyn WriteJob>) {
    if let Err(e) = wait(client.batch_execute("BEGIN")) {
        job.finish(Err(StoreError::Transaction(e.to_string())));
        return;
    }
    let keep = job.run(&mut PgTx::new(client, keys));
    if keep {
        match wait(client.batch_execute("COMMIT")) {
            Ok(()) => job.finish(Ok(())),
            Err(e) => job.finish(Err(StoreError::Transaction(e.to_string()))),
        }
    } else {
        // The job's own error travels in the job; the rollback only has to happen.
        let _ = wait(client.batch_execute("ROLLBACK"));
        job.finish(Ok(()));
    }
}

impl Store for PgStore {
    fn submit(&self, job: Box<dyn WriteJob>) {
        let sender = self.jobs.lock().ok().and_then(|g| g.clone());
        match sender {
            Some(s) => {
                if let Err(std::sync::mpsc::SendError(job)) = s.send(job) {
                    job.finish(Err(StoreError::WriterGone));
                }
            }
            None => job.finish(Err(StoreError::WriterGone)),
        }
    }

    fn read(&self, f: &mut dyn FnMut(&dyn Queries) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let client = self.connector()?.get()?;
        f(&PgConn { c: &client, keys: &self.keys })
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
            (tenant, seq) = (last.get(0), last.get(1));
            for r in &rows {
                v.feed(&audit_row(r)?);
            }
        }
        Ok(v.finish())
    }

    fn check(&self) -> Result<(), StoreError> {
        let client = self.connector()?.get()?;
        wait(client.simple_query("SELECT 1"))?;
        Ok(())
    }

    fn describe(&self) -> String {
        self.described.clone()
    }

    fn backup(&self, dest: &std::path::Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::Taken(format!("{} (choose a new file for the backup)", dest.display())));
        }
        let out = std::process::Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(dest)
            .arg(&self.url)
            .output()
            .map_err(|e| StoreError::Io(std::io::Error::new(e.kind(), format!("cannot run pg_dump: {e}"))))?;
        if !out.status.success() {
            return Err(StoreError::Transaction(format!(
                "pg_dump failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(())
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        let c = self.connector()?.get()?;
        let v: i32 =
            wait(c.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]))?.get(0);
        Ok(v as u32)
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
