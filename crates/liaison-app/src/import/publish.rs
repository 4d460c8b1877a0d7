//! The import's two phases (issue 13, item 4): a long import must not hold the database's write lock for
//! its whole duration — the service's writes would wait behind it and fail — and must stay all or nothing.
//!
//! 1. **Prepare**, outside any transaction (`prepare`): duplicates within the file and every row's
//!    duplicate keys; then the register as it stands is read — first the sequence number of the tenant's
//!    newest audit record, then each row's matches; and for each row that matched no one, the deputy is
//!    made ready to write: its registration event (through the core, as for one deputy), its row sealed,
//!    masked and keyed (`PreparedDeputy`), its audit record. This is where the time goes (validation,
//!    HMAC keys, SM4-GCM, pinyin, JSON).
//! 2. **Write**, one transaction (`Prepared::write`): only what may have changed since is checked again —
//!    the keys of the deputies written after that audit record (`Queries::deputy_keys_between`); a new row
//!    sharing one of them, and every row that matched someone outside, is decided against the register
//!    inside the transaction as before. The rest is inserts. Nothing is written unless all of it is.
//!
//! A real import (not a dry run, nothing refused yet) writes its new deputies in between, in bounded chunks
//! under an import batch that no query sees (`Chunk`, the store's `batch` module), each chunk one short
//! transaction beside the service's writes; the last transaction (`Prepared::publish`) checks again as
//! above and publishes the batch, or the batch is abandoned (`App::abandon_batch`): all or nothing, and no
//! write of the service waits behind more than one chunk.
//!
//! Measured with `liaison-bench import` (100,000 deputies, release, this machine): the transaction went
//! from about 5.5 s of the 6.2 s to the figure in ARCHITECTURE.md; a yearly refresh, whose rows all
//! match, still decides each update inside the transaction.

use std::collections::{HashMap, HashSet};

use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::{
    Deputy, DeputyCommand, DeputyDraft, DeputyPatch, KeyMatch, RegistryError, same_person,
};
use liaison_core::{Meta, collation};
use liaison_store::{DeputyKeys, DeputyQuery, Keys, NewRecord, PreparedDeputy, Store, WriteTx};

use super::{ImportReport, OnDuplicate, Progress, duplicate_error, row_error};
use crate::AppError;
use crate::refresh::{Refresh, Resolved};
use crate::registry::{command_in_diff, deputy_event_records, deputy_keys, insert_registered};

/// What the import was asked to do.
pub(super) struct Job {
    pub(super) tenant: TenantId,
    pub(super) meta: Meta,
    pub(super) end_meta: Meta,
    pub(super) on_dup: OnDuplicate,
    pub(super) dry_run: bool,
    pub(super) refresh: Option<Resolved>,
    pub(super) headers: HashMap<&'static str, String>,
}

/// A new deputy made ready outside the transaction.
struct Ready {
    deputy: Deputy,
    row: PreparedDeputy,
    records: Vec<NewRecord>,
}

/// One accepted row of the file, in pinyin order.
struct Row {
    row: u64,
    draft: DeputyDraft,
    keys: DeputyKeys,
    /// `Some` when the register had no one with this row's keys when it was read.
    ready: Option<Box<Ready>>,
    /// `Some` once the deputy was staged under the import's batch (`Prepared::chunks`).
    staged: Option<Box<Deputy>>,
}

/// New deputies staged in one short transaction under the import's batch.
pub(super) struct Chunk {
    deputies: Vec<PreparedDeputy>,
    records: Vec<NewRecord>,
    keys: Vec<(String, DeputyId, Option<String>)>,
}

impl Chunk {
    /// How many deputies it stages.
    pub(super) fn len(&self) -> usize {
        self.deputies.len()
    }

    /// Stage the deputies, their keys and their registration records (dated `now`); the sequence
    /// numbers of the first and last record it appended (`Prepared::written`).
    pub(super) fn write(
        self,
        tx: &mut dyn WriteTx,
        tenant: &TenantId,
        batch: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<(u64, u64)>, AppError> {
        let Chunk { deputies, records, mut keys } = self;
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        tx.stage_deputies(tenant, batch, &deputies, &keys, now)?;
        let records = records.into_iter().map(|r| NewRecord { at: now, ..r }).collect();
        Ok(tx.append_all(tenant, records)?)
    }
}

/// The import, prepared: what the transaction has left to do.
pub(super) struct Prepared {
    job: Job,
    report: ImportReport,
    rows: Vec<Row>,
    refresh: Option<Refresh>,
    /// The tenant's newest audit record when the register was read.
    seen: Option<u64>,
    /// The ranges of audit records the import's own chunks appended since, in order: what changed since
    /// `seen` is looked for between them (reading past them cost seconds per 100,000 rows).
    own: Vec<(u64, u64)>,
}

/// Phase 1: everything that needs no write lock.
pub(super) fn prepare(
    store: &dyn Store,
    job: Job,
    drafts: Vec<(u64, DeputyDraft)>,
    mut report: ImportReport,
    progress: Option<Progress>,
) -> Result<Prepared, AppError> {
    let keys = store.keys();
    // 1. Duplicates within the file, in file order (the first occurrence is kept).
    let mut in_file: HashMap<String, Vec<(u64, Option<String>)>> = HashMap::new();
    let mut accepted = Vec::with_capacity(drafts.len());
    // The keys (HMAC-SM3 of the ID number) and the pinyin sort key of every row, on every core.
    let keyed = par_map(drafts, |(row, draft)| {
        let k = deputy_keys(keys, &draft);
        (collation::sort_key(draft.name.as_str()), row, draft, k)
    });
    for (sort_key, row, draft, k) in keyed {
        let earlier: Vec<KeyMatch> = k
            .keys
            .iter()
            .flat_map(|key| {
                in_file.get(&key.key).into_iter().flatten().map(move |(r, h)| (key.reason, *r, h.clone()))
            })
            .map(|(reason, r, h)| KeyMatch {
                existing: DeputyId(uuid::Uuid::from_u128(u128::from(r))),
                reason,
                existing_id_hash: h,
            })
            .collect();
        if let Some((first, reason)) = same_person(k.id_hash.as_deref(), &earlier) {
            let first = first.0.as_u128();
            report.errors.push(duplicate_error(
                row,
                reason,
                &job.headers,
                "import.duplicate_row",
                (format!("与第 {first} 行是同一人"), format!("the same person as row {first}")),
            ));
            continue;
        }
        for key in &k.keys {
            in_file.entry(key.key.clone()).or_default().push((row, k.id_hash.clone()));
        }
        accepted.push((sort_key, row, draft, k));
    }
    drop(in_file);
    let refresh = job.refresh.map(|o| Refresh::new(o, accepted.iter().map(|(_, _, d, _)| d)));
    // 2. Register in pinyin order: ids are made in that order, so the primary key and the name indexes grow
    //    at their ends instead of splitting pages at random.
    accepted.sort_by(|a, b| a.0.cmp(&b.0));
    // 3. The register as it stands. The newest audit record is read first: whatever is committed after it
    //    is found again inside the transaction.
    let (seen, matched) = liaison_store::read(store, |q| {
        let seen = q.chain_seq(&job.tenant)?;
        let empty = q.count_deputies(&job.tenant, &DeputyQuery::default())? == 0;
        let mut matched = Vec::with_capacity(accepted.len());
        for (_, _, _, k) in &accepted {
            matched.push(
                !empty && same_person(k.id_hash.as_deref(), &q.key_matches(&job.tenant, &k.keys)?).is_some(),
            );
        }
        Ok((seen, matched))
    })?;
    // 4. Each new deputy made ready: the core's registration event, the sealed row, the audit record — on
    //    every core (the writer then only inserts). The ids are made here first, in pinyin order.
    let (today, total) = (job.meta.today(), accepted.len() as u64);
    let done = std::sync::atomic::AtomicU64::new(0);
    let work: Vec<_> = accepted
        .into_iter()
        .zip(matched)
        .map(|((_, row, draft, k), matched)| (row, draft, k, (!matched).then(|| DeputyId(crate::new_id()))))
        .collect();
    let (tenant, meta) = (&job.tenant, &job.meta);
    let rows = par_map(work, |(row, draft, k, id)| {
        let ready = match id {
            None => None,
            Some(id) => {
                let event = Deputy::register(draft.clone(), None, today)?;
                let deputy = Deputy::from_registered(id, &event)
                    .ok_or(AppError::Contract("a registration created no deputy"))?;
                let prepared = PreparedDeputy::new(keys, tenant, &deputy)?;
                let records = deputy_event_records(meta, id, &[event]);
                Some(Box::new(Ready { deputy, row: prepared, records }))
            }
        };
        let i = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(p) = &progress
            && (i.is_multiple_of(1000) || i == total)
        {
            p(i, 2 * total);
        }
        Ok::<_, AppError>(Row { row, draft, keys: k, ready, staged: None })
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    // The threads report in any order: the preparation's half ends here, whoever reported last.
    if let Some(p) = &progress {
        p(total, 2 * total);
    }
    Ok(Prepared { job, report, rows, refresh, seen, own: Vec::new() })
}

/// `f` over `items` on every core (scoped threads over contiguous parts), the results in the items' order.
/// Below a few hundred items, or on one core, on this thread.
fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 512 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut parts: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut it = items.into_iter();
    loop {
        let part: Vec<T> = it.by_ref().take(per).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::new();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

impl Prepared {
    /// The tenant imported into.
    pub(super) fn tenant(&self) -> &TenantId {
        &self.job.tenant
    }

    /// Who imports, and why.
    pub(super) fn meta(&self) -> &Meta {
        &self.job.meta
    }

    /// A chunk was written: its records' range (see `own`).
    pub(super) fn written(&mut self, range: Option<(u64, u64)>) {
        self.own.extend(range);
    }

    /// The rows accepted for import.
    pub(super) fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Whether the new deputies are staged in chunks under a batch: a real import (not a dry run) that
    /// nothing has refused yet — a file with errors, or rows that match someone while duplicates are
    /// refused, is decided in one transaction that writes nothing. A yearly refresh is one transaction too:
    /// its rows mostly match deputies already registered (updates, not new rows), and ending the terms of
    /// the absent may still refuse it at the end.
    pub(super) fn stages(&self) -> bool {
        !self.job.dry_run
            && self.refresh.is_none()
            && self.report.errors.is_empty()
            && !(self.job.on_dup == OnDuplicate::Refuse && self.rows.iter().any(|r| r.ready.is_none()))
    }

    /// The new deputies, taken out in chunks of `size` to be staged; each row keeps its deputy.
    pub(super) fn chunks(&mut self, size: usize) -> Vec<Chunk> {
        let mut out: Vec<Chunk> = Vec::new();
        for r in &mut self.rows {
            let Some(ready) = r.ready.take() else { continue };
            let Ready { deputy, row, records } = *ready;
            if out.last().is_none_or(|c| c.len() >= size.max(1)) {
                out.push(Chunk { deputies: Vec::new(), records: Vec::new(), keys: Vec::new() });
            }
            if let Some(c) = out.last_mut() {
                c.deputies.push(row);
                c.records.extend(records);
                c.keys.extend(r.keys.keys.iter().map(|k| (k.key.clone(), deputy.id, r.keys.id_hash.clone())));
            }
            r.staged = Some(Box::new(deputy));
        }
        out
    }

    /// The last transaction of a staged import: check again what may have changed, decide the rows that
    /// matched someone, and publish the batch (its deputies appear at once). An error leaves the batch open
    /// for the caller to abandon.
    pub(super) fn publish(
        self,
        tx: &mut dyn WriteTx,
        keys: &Keys,
        now: chrono::DateTime<chrono::Utc>,
        batch: &str,
    ) -> Result<ImportReport, AppError> {
        let (tenant, meta) = (self.job.tenant.clone(), self.job.meta.clone());
        let report = self.write(tx, keys, now)?;
        if !tx.end_batch(&tenant, batch, liaison_store::BatchState::Published, now)? {
            return Err(AppError::Store(liaison_store::StoreError::Transaction(format!(
                "import batch {batch} was abandoned before it could be published"
            ))));
        }
        let mut m = meta;
        m.at = now;
        tx.append(
            &tenant,
            crate::record(
                &m,
                "import.published",
                "import",
                batch.to_owned(),
                serde_json::json!({ "registered": report.imported, "updated": report.updated }),
            ),
        )?;
        Ok(report)
    }

    /// Phase 2, inside the transaction: check again what may have changed, and write. `now` dates the
    /// audit records (the preparation may have taken a while; the chain never goes back in time).
    pub(super) fn write(
        self,
        tx: &mut dyn WriteTx,
        keys: &Keys,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<ImportReport, AppError> {
        let Prepared { mut job, mut report, rows, mut refresh, seen, own } = self;
        job.meta.at = now;
        job.end_meta.at = now;
        let tenant = job.tenant.clone();
        // The keys of the deputies written since the register was read (by the service, beside this).
        let mut changed: HashSet<String> = HashSet::new();
        let mut after = seen;
        for &(first, last) in &own {
            changed
                .extend(tx.deputy_keys_between(&tenant, after, Some(first))?.into_iter().map(|(k, _, _)| k));
            after = Some(last);
        }
        changed.extend(tx.deputy_keys_between(&tenant, after, None)?.into_iter().map(|(k, _, _)| k));
        let mut deferred: Vec<(String, DeputyId, Option<String>)> = Vec::with_capacity(rows.len() * 3);
        for Row { row, draft, keys: k, ready, staged } in rows {
            if let Some(deputy) = staged {
                // Staged under the batch: refused if a deputy written since shares one of its keys (the
                // register changed under the import; running it again decides the row against it).
                if k.keys.iter().any(|key| changed.contains(&key.key)) {
                    report.errors.push(row_error(
                        row,
                        "import.registered_meanwhile",
                        "导入期间已有人登记了同一代表，请重新导入以核对该行".into(),
                        "the same deputy was registered while this import ran; run the import again".into(),
                    ));
                } else {
                    if let Some(r) = &mut refresh {
                        r.registered(&deputy, row, job.dry_run);
                    }
                    report.imported += 1;
                }
                continue;
            }
            if let Some(ready) = ready.filter(|_| !k.keys.iter().any(|key| changed.contains(&key.key))) {
                let Ready { deputy, row: prepared, records } = *ready;
                tx.insert_prepared_deputy(&tenant, &prepared)?;
                for mut r in records {
                    r.at = now;
                    tx.append(&tenant, r)?;
                }
                if let Some(r) = &mut refresh {
                    r.registered(&deputy, row, job.dry_run);
                }
                deferred.extend(k.keys.into_iter().map(|key| (key.key, deputy.id, k.id_hash.clone())));
                report.imported += 1;
                continue;
            }
            // Someone matched outside, or a deputy written since shares a key: decided here.
            let existing = same_person(k.id_hash.as_deref(), &tx.key_matches(&tenant, &k.keys)?);
            match (existing, job.on_dup) {
                (None, _) => {
                    let no_keys = DeputyKeys { keys: Vec::new(), id_hash: k.id_hash.clone() };
                    let d = insert_registered(tx, &tenant, &job.meta, draft, &no_keys, None)?;
                    if let Some(r) = &mut refresh {
                        r.registered(&d, row, job.dry_run);
                    }
                    deferred.extend(k.keys.into_iter().map(|key| (key.key, d.id, k.id_hash.clone())));
                    report.imported += 1;
                }
                (Some((id, reason)), OnDuplicate::Refuse) => {
                    let e = RegistryError::Duplicate { existing: id, reason };
                    report.errors.push(duplicate_error(
                        row,
                        reason,
                        &job.headers,
                        e.code(),
                        (
                            format!("该代表已在登记簿中（记录 {id}）"),
                            format!("already on the register as {id}"),
                        ),
                    ));
                }
                (Some((id, _)), OnDuplicate::Update) => {
                    let patch = DeputyCommand::Update(Box::new(DeputyPatch::from_draft(&draft)));
                    match command_in_diff(tx, keys, &tenant, &job.meta, id, None, patch) {
                        Ok((before, after)) => {
                            if let Some(r) = &mut refresh {
                                r.updated(&before, &after, row);
                            }
                            report.updated += 1
                        }
                        Err(e) if matches!(e.rule_as(), Some(RegistryError::NothingToChange)) => {
                            if let Some(r) = &mut refresh {
                                r.unchanged(id);
                            }
                            report.unchanged += 1
                        }
                        Err(AppError::Rule(e)) => {
                            report.errors.push(row_error(row, e.code(), e.zh(), e.en()))
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        // The new deputies' duplicate keys, in key order.
        if report.errors.is_empty() {
            deferred.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            tx.insert_keys(&tenant, &deferred)?;
        }
        report.errors.sort_by_key(|e| e.row);
        // A refresh: the deputies of the same congresses the file leaves out, ended when confirmed.
        if let Some(r) = refresh
            && report.errors.is_empty()
        {
            report.refresh = Some(r.finish(tx, keys, &tenant, &job.end_meta)?);
        }
        if !report.errors.is_empty() {
            report.imported = 0;
            report.updated = 0;
            return Err(AppError::ImportRefused(Box::new(report)));
        }
        if job.dry_run {
            // Roll the transaction back: a dry run checks against the register but writes nothing.
            return Err(AppError::DryRun(Box::new(report)));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, read_with_headers};
    use crate::tests::{fixture, rt};

    fn job(f: &crate::tests::Fixture, on_dup: OnDuplicate, headers: HashMap<&'static str, String>) -> Job {
        let meta = Meta { actor: f.office.actor(), at: f.app.now(), reason: Some("名册导入".into()) };
        Job {
            tenant: f.office.tenant.clone(),
            end_meta: meta.clone(),
            meta,
            on_dup,
            dry_run: false,
            refresh: None,
            headers,
        }
    }

    /// A deputy registered by the service between the import's checks and its transaction is found again
    /// inside the transaction: refused as a duplicate (nothing of the import written), or updated with
    /// `--on-duplicate update` — never registered twice.
    #[test]
    fn a_deputy_written_between_the_checks_and_the_transaction_is_not_registered_twice() {
        for on_dup in [OnDuplicate::Refuse, OnDuplicate::Update] {
            let f = fixture();
            let inputs: Vec<_> = crate::demo::generate(3, 11).collect();
            let mut bytes = Vec::new();
            crate::demo::write_csv(inputs.clone().into_iter(), &mut bytes, crate::import::Encoding::Utf8)
                .unwrap();
            let (drafts, report, headers) = read_with_headers(&bytes, &ImportOptions::default()).unwrap();
            let prepared = prepare(f.app.store(), job(&f, on_dup, headers), drafts, report, None).unwrap();
            assert_eq!(
                prepared.rows.iter().filter(|r| r.ready.is_some()).count(),
                3,
                "all three new when checked"
            );

            // Meanwhile the service registers the second of them.
            rt().block_on(f.app.register_deputy(&f.office, inputs[1].clone(), None, None)).unwrap();

            let (keys, now) = (f.app.store().keys().clone(), f.app.now());
            let out = liaison_store::write_blocking(f.app.store(), move |tx: &mut dyn WriteTx| {
                prepared.write(tx, &keys, now)
            });
            let count = f.app.count_deputies(&f.office, &crate::DeputyFilter::default()).unwrap();
            match on_dup {
                OnDuplicate::Refuse => {
                    let Err(AppError::ImportRefused(r)) = out else { panic!("{out:?}") };
                    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
                    assert_eq!(r.errors[0].code, "deputy.duplicate", "{:?}", r.errors);
                    assert_eq!(count, 1, "nothing of the import was written");
                }
                OnDuplicate::Update => {
                    let r = out.unwrap();
                    assert_eq!((r.imported, r.updated + r.unchanged), (2, 1), "{r:?}");
                    assert_eq!(count, 3, "the one registered meanwhile was not registered again");
                }
            }
            assert!(f.app.store().verify_audit().unwrap().breaks.is_empty());
        }
    }
}

#[cfg(test)]
mod staged_tests {
    use super::*;
    use crate::import::{ImportOptions, read_with_headers};
    use crate::tests::{Fixture, fixture, rt};
    use crate::{DeputyFilter, import::batch::STALE_AFTER};
    use liaison_store::BatchState;

    fn prepared(f: &Fixture, inputs: &[liaison_core::registry::DeputyInput]) -> Prepared {
        let mut bytes = Vec::new();
        crate::demo::write_csv(inputs.iter().cloned(), &mut bytes, crate::import::Encoding::Utf8).unwrap();
        let (drafts, report, headers) = read_with_headers(&bytes, &ImportOptions::default()).unwrap();
        let meta = Meta { actor: f.office.actor(), at: f.app.now(), reason: Some("名册导入".into()) };
        let job = Job {
            tenant: f.office.tenant.clone(),
            end_meta: meta.clone(),
            meta,
            on_dup: OnDuplicate::Refuse,
            dry_run: false,
            refresh: None,
            headers,
        };
        let p = prepare(f.app.store(), job, drafts, report, None).unwrap();
        assert!(p.stages(), "a clean import of new deputies is staged");
        p
    }

    fn count(f: &Fixture) -> u64 {
        f.app.count_deputies(&f.office, &DeputyFilter::default()).unwrap()
    }

    fn begin(f: &Fixture, batch: &str) {
        let (t, b, now) = (f.office.tenant.clone(), batch.to_owned(), f.app.now());
        liaison_store::write_blocking(f.app.store(), move |tx: &mut dyn WriteTx| tx.begin_batch(&t, &b, now))
            .unwrap();
    }

    fn stage(f: &Fixture, p: &mut Prepared, chunk: Chunk, batch: &str) {
        let (t, b, now) = (f.office.tenant.clone(), batch.to_owned(), f.app.now());
        let range = liaison_store::write_blocking(f.app.store(), move |tx: &mut dyn WriteTx| {
            chunk.write(tx, &t, &b, now)
        })
        .unwrap();
        assert!(range.is_some_and(|(first, last)| first <= last), "{range:?}");
        p.written(range);
    }

    /// Names of the rows of a batch as stored (tombstones have none).
    fn names_in_batch(f: &Fixture, batch: &str) -> Vec<String> {
        let c = liaison_store::sqlite::SqliteStore::raw_connection(&f.dir.path().join("t.db")).unwrap();
        let mut s = c.prepare("SELECT name FROM deputies WHERE batch = ?1 ORDER BY name").unwrap();
        s.query_map([batch], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
    }

    fn kinds(f: &Fixture) -> Vec<String> {
        let r = f.app.store().verify_audit().unwrap();
        assert!(r.breaks.is_empty(), "{:?}", r.breaks);
        let c = liaison_store::sqlite::SqliteStore::raw_connection(&f.dir.path().join("t.db")).unwrap();
        let mut s = c.prepare("SELECT kind FROM audit_log WHERE kind LIKE 'import.%' ORDER BY seq").unwrap();
        s.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
    }

    /// Chunks staged under a batch are seen by no one — not in lists, counts, lookups nor duplicate checks —
    /// while the service goes on writing between them; publishing shows them all at once.
    #[test]
    fn staged_chunks_are_unseen_beside_the_service_writes_until_the_batch_is_published() {
        let f = fixture();
        let inputs: Vec<_> = crate::demo::generate(6, 7).collect();
        let mut p = prepared(&f, &inputs[..5]);
        let chunks = p.chunks(2);
        assert_eq!(chunks.iter().map(Chunk::len).collect::<Vec<_>>(), [2, 2, 1]);
        begin(&f, "b1");
        let mut chunks = chunks.into_iter();
        stage(&f, &mut p, chunks.next().unwrap(), "b1");
        assert_eq!(count(&f), 0, "nothing staged is listed");
        let staged = p.rows.iter().find_map(|r| r.staged.as_ref().map(|d| d.id)).unwrap();
        let err = f.app.deputy(&f.office, staged).unwrap_err();
        assert_eq!(err.code(), "not_found", "a staged deputy is not found by id");
        // The service writes between chunks: a sixth deputy, and a staged one's duplicate is not seen.
        rt().block_on(f.app.register_deputy(&f.office, inputs[5].clone(), None, None)).unwrap();
        assert_eq!(count(&f), 1);
        for c in chunks {
            stage(&f, &mut p, c, "b1");
        }
        assert_eq!(count(&f), 1, "still only the service's deputy");
        let (keys, now) = (f.app.store().keys().clone(), f.app.now());
        let r = liaison_store::write_blocking(f.app.store(), move |tx: &mut dyn WriteTx| {
            p.publish(tx, &keys, now, "b1")
        })
        .unwrap();
        assert_eq!((r.imported, r.errors.len()), (5, 0));
        assert_eq!(count(&f), 6, "published at once");
        assert_eq!(f.app.deputy(&f.office, staged).unwrap().id, staged.0);
        assert_eq!(kinds(&f), ["import.published"]);
    }

    /// A deputy the service registers while the import is staged, who is also in the file, refuses the
    /// import at publishing (never registered twice); the batch is abandoned and its rows wiped to
    /// tombstones, and the trail and the state check still agree.
    #[test]
    fn a_row_registered_meanwhile_refuses_the_staged_import_and_its_batch_is_abandoned() {
        let f = fixture();
        let inputs: Vec<_> = crate::demo::generate(3, 11).collect();
        let mut p = prepared(&f, &inputs);
        begin(&f, "b2");
        let mut chunks = p.chunks(2).into_iter();
        stage(&f, &mut p, chunks.next().unwrap(), "b2");
        // Between two chunks: what changed is looked for between the import's own records.
        rt().block_on(f.app.register_deputy(&f.office, inputs[1].clone(), None, None)).unwrap();
        stage(&f, &mut p, chunks.next().unwrap(), "b2");
        assert_eq!(names_in_batch(&f, "b2").len(), 3);
        let (keys, now) = (f.app.store().keys().clone(), f.app.now());
        let out = liaison_store::write_blocking(f.app.store(), move |tx: &mut dyn WriteTx| {
            p.publish(tx, &keys, now, "b2")
        });
        let Err(AppError::ImportRefused(r)) = out else { panic!("{out:?}") };
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!(r.errors[0].code, "import.registered_meanwhile");
        assert!(r.errors[0].message_zh.contains("重新导入"), "{}", r.errors[0].message_zh);
        assert_eq!(count(&f), 1, "only the service's registration");

        let meta = Meta { actor: f.office.actor(), at: f.app.now(), reason: None };
        rt().block_on(f.app.end_batch(&f.office.tenant, "b2", &meta, "refused")).unwrap();
        assert_eq!(names_in_batch(&f, "b2"), ["", "", ""], "tombstones: names and personal data wiped");
        assert_eq!(kinds(&f), ["import.abandoned"]);
        // Abandoning again changes nothing and records nothing.
        rt().block_on(f.app.end_batch(&f.office.tenant, "b2", &meta, "refused")).unwrap();
        assert_eq!(kinds(&f), ["import.abandoned"]);
        // The import run again registers the two the service did not.
        let mut bytes = Vec::new();
        crate::demo::write_csv(inputs.clone().into_iter(), &mut bytes, crate::import::Encoding::Utf8)
            .unwrap();
        let opts = ImportOptions { on_duplicate: OnDuplicate::Update, ..Default::default() };
        let r = rt().block_on(f.app.import_deputies(&f.office, &bytes, &opts, None)).unwrap();
        assert_eq!((r.imported, r.updated + r.unchanged), (2, 1), "{r:?}");
        assert_eq!(count(&f), 3);
    }

    /// An import whose importer died mid-way leaves an open batch; the next import, once the batch's
    /// heartbeat is older than `STALE_AFTER`, abandons it (`interrupted`) and wipes it before its own.
    #[test]
    fn an_interrupted_batch_is_abandoned_by_the_next_import_once_stale() {
        let f = fixture();
        let inputs: Vec<_> = crate::demo::generate(4, 5).collect();
        let mut p = prepared(&f, &inputs);
        begin(&f, "b3");
        let first = p.chunks(3).remove(0);
        stage(&f, &mut p, first, "b3");
        let mut bytes = Vec::new();
        crate::demo::write_csv(inputs.clone().into_iter(), &mut bytes, crate::import::Encoding::Utf8)
            .unwrap();
        // Not yet stale: left alone (another importer may be writing it); the import goes on beside it.
        let r =
            rt().block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), None)).unwrap();
        assert_eq!(r.imported, 4);
        assert_eq!(names_in_batch(&f, "b3").iter().filter(|n| !n.is_empty()).count(), 3);
        let stale = f.app.now() + STALE_AFTER + chrono::TimeDelta::minutes(1);
        let later = f.app.clone().with_clock(std::sync::Arc::new(move || stale));
        let t = f.office.tenant.clone();
        let left = later.read(|q| q.batches_to_clear(&t, stale - STALE_AFTER)).unwrap();
        assert_eq!(left, [("b3".to_owned(), BatchState::Staging)]);
        rt().block_on(
            later.clear_batches(&f.office.tenant, &Meta { actor: f.office.actor(), at: stale, reason: None }),
        )
        .unwrap();
        assert_eq!(names_in_batch(&f, "b3"), ["", "", ""]);
        assert!(later.read(|q| q.batches_to_clear(&t, stale)).unwrap().is_empty());
        assert_eq!(kinds(&f), ["import.started", "import.published", "import.abandoned"]);
        assert_eq!(count(&f), 4);
    }

    /// On PostgreSQL a chunk is staged in multi-row statements (its deputies, its keys, its audit records):
    /// an import of more than one chunk puts every row on the register with its keys and its sealed data as
    /// its events say (the state check), the chain verifies with every registration in it, and the same
    /// file again finds every row a duplicate by its keys.
    #[test]
    fn a_staged_import_on_postgres_writes_every_row_key_and_record() {
        let Some(db) =
            liaison_store::testing::TestDatabase::create("the staged import on PostgreSQL").unwrap()
        else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let mut config = crate::Config::for_url(&db.url);
        config.key = crate::KeySource::File(dir.path().join("t.key"));
        let app = crate::App::open(&config).unwrap();
        rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
        let new = crate::NewUser {
            login: "office".into(),
            display_name: "联络室".into(),
            roles: vec!["office".into()],
            ..Default::default()
        };
        let office = crate::tests::approved_user(&app, &new);
        let before = app.verify_audit().unwrap().records;
        let n = super::super::batch::CHUNK_ROWS as u64 + 150;
        let mut bytes = Vec::new();
        crate::demo::write_csv(crate::demo::generate(n, 23), &mut bytes, crate::import::Encoding::Utf8)
            .unwrap();
        let r = rt().block_on(app.import_deputies(&office, &bytes, &ImportOptions::default(), None)).unwrap();
        assert_eq!((r.imported, r.errors.len()), (n, 0), "{:?}", r.errors.first());
        assert_eq!(app.count_deputies(&office, &crate::DeputyFilter::default()).unwrap(), n);
        let audit = app.verify_audit().unwrap();
        assert!(audit.ok(), "{:?}", audit.breaks);
        // Each registration, and the import's start and publication.
        assert!(audit.records >= before + n + 2, "{} records after {before}", audit.records);
        let state = app.verify_state().unwrap();
        assert!(state.ok(), "stored state differs from its events: {:#?}", state.differences);
        let again = rt().block_on(app.import_deputies(&office, &bytes, &ImportOptions::default(), None));
        match again {
            Err(AppError::ImportRefused(r)) => {
                assert_eq!(r.errors.len() as u64, n);
                assert!(r.errors.iter().all(|e| e.code == "deputy.duplicate"), "{:?}", r.errors.first());
            }
            other => panic!("{other:?}"),
        }
    }
}
