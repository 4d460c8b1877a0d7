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
//!    the keys of the deputies written after that audit record (`Queries::deputy_keys_since`); a new row
//!    sharing one of them, and every row that matched someone outside, is decided against the register
//!    inside the transaction as before. The rest is inserts. Nothing is written unless all of it is.
//!
//! Measured with `liaison-bench import` (100,000 deputies, release, this machine): the transaction went
//! from about 5.5 s of the 6.2 s to the figure in ARCHITECTURE.md; a yearly refresh, whose rows all
//! match, still decides each update inside the transaction.

use std::collections::{HashMap, HashSet};

use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::{
    Deputy, DeputyCommand, DeputyDraft, DeputyPatch, KeyMatch, RegistryError, same_person,
};
use liaison_core::{Localized, Meta, collation};
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
}

/// The import, prepared: what the transaction has left to do.
pub(super) struct Prepared {
    job: Job,
    report: ImportReport,
    rows: Vec<Row>,
    refresh: Option<Refresh>,
    /// The tenant's newest audit record when the register was read.
    seen: Option<u64>,
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
    for (row, draft) in drafts {
        let k = deputy_keys(keys, &draft);
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
        accepted.push((collation::sort_key(draft.name.as_str()), row, draft, k));
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
    // 4. Each new deputy made ready: the core's registration event, the sealed row, the audit record.
    let (today, total) = (job.meta.today(), accepted.len() as u64);
    let mut rows = Vec::with_capacity(accepted.len());
    for (i, ((_, row, draft, k), matched)) in accepted.into_iter().zip(matched).enumerate() {
        let ready = if matched {
            None
        } else {
            let event = Deputy::register(draft.clone(), None, today)?;
            let id = DeputyId(crate::new_id());
            let deputy = Deputy::from_registered(id, &event)
                .ok_or(AppError::Store(liaison_store::StoreError::WriterGone))?;
            let prepared = PreparedDeputy::new(keys, &job.tenant, &deputy)?;
            let records = deputy_event_records(&job.meta, id, &[event]);
            Some(Box::new(Ready { deputy, row: prepared, records }))
        };
        rows.push(Row { row, draft, keys: k, ready });
        if let Some(p) = &progress
            && ((i as u64 + 1).is_multiple_of(1000) || i as u64 + 1 == total)
        {
            p(i as u64 + 1, total);
        }
    }
    Ok(Prepared { job, report, rows, refresh, seen })
}

impl Prepared {
    /// Phase 2, inside the transaction: check again what may have changed, and write. `now` dates the
    /// audit records (the preparation may have taken a while; the chain never goes back in time).
    pub(super) fn write(
        self,
        tx: &mut dyn WriteTx,
        keys: &Keys,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<ImportReport, AppError> {
        let Prepared { mut job, mut report, rows, mut refresh, seen } = self;
        job.meta.at = now;
        job.end_meta.at = now;
        let tenant = job.tenant.clone();
        // The keys of the deputies written since the register was read (by the service, beside this).
        let changed: HashSet<String> =
            tx.deputy_keys_since(&tenant, seen)?.into_iter().map(|(key, _, _)| key).collect();
        let mut deferred: Vec<(String, DeputyId, Option<String>)> = Vec::with_capacity(rows.len() * 3);
        for Row { row, draft, keys: k, ready } in rows {
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
                        Err(AppError::Registry(RegistryError::NothingToChange)) => {
                            if let Some(r) = &mut refresh {
                                r.unchanged(id);
                            }
                            report.unchanged += 1
                        }
                        Err(AppError::Registry(e)) => {
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
