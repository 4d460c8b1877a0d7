//! A staged import (issue 13, item 4): the new deputies are written in chunks of [`CHUNK_ROWS`] under an
//! import batch that no query sees, each chunk its own short transaction, so the service's writes go on
//! between them; the last transaction publishes the batch (`publish::Prepared::publish`). A refused or
//! failed import abandons its batch and wipes its rows to tombstones; a batch whose importer died (its
//! heartbeat older than [`STALE_AFTER`]) is abandoned by the next import of the tenant. The audit trail
//! says it all: `import.started`, the registrations, then `import.published` or `import.abandoned`.

use liaison_core::Meta;
use liaison_core::ids::TenantId;
use liaison_store::{BatchState, WriteTx};

use super::publish::Prepared;
use super::{ImportReport, Progress};
use crate::{App, AppError, record};

/// Deputies per chunk: the most a service write waits behind an import is about one chunk's transaction
/// (tens of milliseconds; `liaison-bench import` prints the longest wait it saw).
pub(super) const CHUNK_ROWS: usize = 2_000;
/// The pause between chunks that lets other processes' writes in (see `busy_poll` in the SQLite store).
const CHUNK_PAUSE: std::time::Duration = std::time::Duration::from_millis(5);
/// An open batch whose heartbeat (renewed with every chunk) is older than this was interrupted.
pub(super) const STALE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(10);
/// Tombstones wiped per transaction when a batch is abandoned.
const WIPE_ROWS: u32 = 5_000;

impl App {
    /// Stage the prepared import's new deputies in chunks, then publish them at once (see the module
    /// documentation). `progress` goes on from the preparation's half: `(rows + staged, 2 × rows)`.
    pub(super) async fn import_staged(
        &self,
        mut prepared: Prepared,
        progress: Option<Progress>,
    ) -> Result<ImportReport, AppError> {
        let (tenant, meta) = (prepared.tenant().clone(), prepared.meta().clone());
        self.clear_batches(&tenant, &meta).await?;
        let chunks = prepared.chunks(CHUNK_ROWS);
        let new: usize = chunks.iter().map(|c| c.len()).sum();
        let batch = crate::new_id().to_string();
        let (t, b, m, clock) = (tenant.clone(), batch.clone(), meta.clone(), self.clock.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let now = clock();
            tx.begin_batch(&t, &b, now)?;
            let started = Meta { at: now, ..m };
            tx.append(
                &t,
                record(&started, "import.started", "import", b, serde_json::json!({ "new": new })),
            )?;
            Ok(())
        })
        .await?;
        let (total, mut staged) = (prepared.rows() as u64, 0u64);
        for chunk in chunks {
            let n = chunk.len() as u64;
            let (t, b, clock) = (tenant.clone(), batch.clone(), self.clock.clone());
            match self.write(move |tx: &mut dyn WriteTx| chunk.write(tx, &t, &b, clock())).await {
                Ok(range) => prepared.written(range),
                Err(e) => {
                    self.abandon_batch(&tenant, &batch, &meta, &e).await;
                    return Err(e);
                }
            }
            staged += n;
            // A breath between chunks: a write of another process waiting for the lock (it tries every
            // millisecond) takes it now, instead of the next chunk taking it back at once.
            // (On the blocking pool: the CLI's runtime has no timer.)
            let _ = tokio::task::spawn_blocking(|| std::thread::sleep(CHUNK_PAUSE)).await;
            if let Some(p) = &progress {
                p(total + staged, 2 * total);
            }
        }
        let (b, keys, clock) = (batch.clone(), self.store.keys().clone(), self.clock.clone());
        let started = std::time::Instant::now();
        let outcome = liaison_store::write_large_async(&*self.store, move |tx: &mut dyn WriteTx| {
            prepared.publish(tx, &keys, clock(), &b).map(|r| (r, started.elapsed()))
        })
        .await;
        match outcome {
            Ok((report, held)) => {
                tracing::info!(
                    %batch,
                    staged,
                    publish_ms = held.as_millis() as u64,
                    committed_ms = started.elapsed().as_millis() as u64,
                    "register import published"
                );
                if let Some(p) = &progress {
                    p(2 * total, 2 * total);
                }
                Ok(report)
            }
            Err(e) => {
                self.abandon_batch(&tenant, &batch, &meta, &e).await;
                Err(e)
            }
        }
    }

    /// Abandon an open batch (its import was refused or failed) and wipe its rows. A failure here is
    /// logged, not returned: the import's own error is what the caller needs, and the next import of the
    /// tenant clears what is left.
    async fn abandon_batch(&self, tenant: &TenantId, batch: &str, meta: &Meta, why: &AppError) {
        let reason = match why {
            AppError::ImportRefused(_) => "refused".to_owned(),
            e => e.code().to_owned(),
        };
        if let Err(e) = self.end_batch(tenant, batch, meta, &reason).await {
            tracing::warn!(%batch, error = %e, "could not abandon the import batch; the next import will");
        }
    }

    /// Abandon an open batch (recorded as `import.abandoned` with why) and wipe its rows.
    pub(super) async fn end_batch(
        &self,
        tenant: &TenantId,
        batch: &str,
        meta: &Meta,
        why: &str,
    ) -> Result<(), AppError> {
        let (t, b, m, w, clock) =
            (tenant.clone(), batch.to_owned(), meta.clone(), why.to_owned(), self.clock.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let now = clock();
            if tx.end_batch(&t, &b, BatchState::Abandoned, now)? {
                let m = Meta { at: now, ..m };
                tx.append(&t, record(&m, "import.abandoned", "import", b, serde_json::json!({ "why": w })))?;
            }
            Ok(())
        })
        .await?;
        self.wipe_batch(tenant, batch).await
    }

    async fn wipe_batch(&self, tenant: &TenantId, batch: &str) -> Result<(), AppError> {
        loop {
            let (t, b) = (tenant.clone(), batch.to_owned());
            let n = self.write(move |tx: &mut dyn WriteTx| Ok(tx.wipe_batch(&t, &b, WIPE_ROWS)?)).await?;
            if n == 0 {
                return Ok(());
            }
        }
    }

    /// Clear what earlier imports of the tenant left: an open batch gone stale is abandoned
    /// (`interrupted`), an abandoned batch is wiped to the end.
    pub(super) async fn clear_batches(&self, tenant: &TenantId, meta: &Meta) -> Result<(), AppError> {
        let stale_before = (self.clock)() - STALE_AFTER;
        let left = self.read(|q| q.batches_to_clear(tenant, stale_before))?;
        for (batch, state) in left {
            tracing::warn!(%batch, state = state.code(), "clearing an import batch left behind");
            match state {
                BatchState::Staging => self.end_batch(tenant, &batch, meta, "interrupted").await?,
                BatchState::Abandoned => self.wipe_batch(tenant, &batch).await?,
                BatchState::Published => {}
            }
        }
        Ok(())
    }
}
