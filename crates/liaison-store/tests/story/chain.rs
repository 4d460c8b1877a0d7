//! The audit chain under concurrent writers (issue 19): on PostgreSQL a job's audit records are held back
//! and sent with its next statement or its end, pipelined; none may be lost, reordered or acknowledged
//! unwritten.

use std::sync::Arc;

use liaison_core::ids::TenantId;
use liaison_store::{Store, StoreError, WriteTx, read, write_blocking};

use super::{backends, record};

/// Jobs from many threads at once, each appending records around a read of its own records: every
/// acknowledged record is in the chain, a job's records are consecutive and in the order appended, the
/// sequence number `append` returned is the stored one, a job that failed after appending left nothing,
/// and the chain verifies.
#[test]
fn concurrent_jobs_keep_one_verified_chain_in_order() {
    for b in backends() {
        let store = b.store();
        eprintln!("concurrent chain on {}", store.describe());
        let t = TenantId::parse("chain").unwrap();
        let t2 = t.clone();
        write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", chrono::Utc::now()))
            .unwrap();
        let (threads, jobs) = (8, 12);
        let workers: Vec<_> = (0..threads)
            .map(|w| {
                let (store, t) = (store.clone(), t.clone());
                std::thread::spawn(move || {
                    let mut kept = Vec::new();
                    for j in 0..jobs {
                        let (agg, t) = (format!("w{w}j{j}"), t.clone());
                        let fail = j % 5 == 4;
                        let a = agg.clone();
                        let r = write_blocking(&*store, move |tx: &mut dyn WriteTx| {
                            let first = tx.append(&t, record("first", &a))?;
                            // A read after an append in the same job sees it.
                            let seen = tx.history(&t, &a)?;
                            assert_eq!(seen.iter().map(|r| r.seq).collect::<Vec<_>>(), [first]);
                            let second = tx.append(&t, record("second", &a))?;
                            let third = tx.append(&t, record("third", &a))?;
                            if fail {
                                return Err(StoreError::Corrupt("the job changed its mind".into()));
                            }
                            Ok((first, second, third))
                        });
                        match r {
                            Ok(seqs) => kept.push((agg, seqs)),
                            Err(e) => assert!(fail, "{e}"),
                        }
                    }
                    kept
                })
            })
            .collect();
        let kept: Vec<_> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        let report = store.verify_audit().unwrap();
        assert!(report.ok(), "{:?}", report.breaks);
        assert_eq!(report.records as usize, kept.len() * 3, "every acknowledged record, nothing else");
        for (agg, (first, second, third)) in &kept {
            let h = read(&*store, |q| q.history(&t, agg)).unwrap();
            let got: Vec<_> = h.iter().map(|r| (r.seq, r.kind.as_str())).collect();
            assert_eq!(got, [(*first, "first"), (first + 1, "second"), (first + 2, "third")], "{agg}");
            assert_eq!((*second, *third), (first + 1, first + 2));
        }
        // Many records in one job (more than are held back at once), then one more job: still one chain.
        let t3 = t.clone();
        write_blocking(&*store, move |tx: &mut dyn WriteTx| {
            for i in 0..2_500 {
                tx.append(&t3, record("bulk", &format!("b{i}")))?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
        let t4 = t.clone();
        write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.append(&t4, record("after", "a"))).unwrap();
        let report = store.verify_audit().unwrap();
        assert!(report.ok(), "{:?}", report.breaks);
        assert_eq!(report.records as usize, kept.len() * 3 + 2_501);
    }
}

/// PostgreSQL: when the records held back cannot be written, the job is not acknowledged and nothing of it
/// stays (its other writes included); the chain goes on from where it was.
#[test]
fn audit_records_that_fail_at_the_end_fail_the_job() {
    for b in backends() {
        let store: Arc<dyn Store> = b.store();
        if !store.describe().starts_with("postgres") {
            continue;
        }
        let t = TenantId::parse("poison").unwrap();
        let t2 = t.clone();
        write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", chrono::Utc::now()))
            .unwrap();
        b.tamper("ALTER TABLE audit_log ADD CONSTRAINT no_poison CHECK (kind <> 'poison')").unwrap();
        let t3 = t.clone();
        let r = write_blocking(&*store, move |tx: &mut dyn WriteTx| {
            tx.append(&t3, record("fine", "p"))?;
            tx.append(&t3, record("poison", "p"))?;
            tx.insert_tenant(&TenantId::parse("poisoned").unwrap(), "y", chrono::Utc::now())
        });
        assert!(r.is_err(), "a job whose records were not written is not acknowledged");
        let t5 = t.clone();
        let r = write_blocking(&*store, move |tx: &mut dyn WriteTx| {
            tx.append(&t5, record("fine", "q"))?;
            tx.append(&t5, record("poison", "q"))?;
            Ok::<_, StoreError>(())
        });
        assert!(r.is_err(), "nor is one whose records fail with its commit");
        // Jobs from many threads, committed in groups: a job's records may be sent with the next job's
        // first statement or the group's commit. Whatever failed with them, every job answered Ok has its
        // record in the chain, and no job answered with an error has.
        let workers: Vec<_> = (0..6)
            .map(|w| {
                let (store, t) = (store.clone(), t.clone());
                std::thread::spawn(move || {
                    (0..8)
                        .map(|j| {
                            let (t, agg) = (t.clone(), format!("w{w}j{j}"));
                            let kind = if (w + j) % 7 == 3 { "poison" } else { "fine" };
                            let a = agg.clone();
                            let r = write_blocking(&*store, move |tx: &mut dyn WriteTx| {
                                tx.append(&t, record(kind, &a)).map(|_| ())
                            });
                            (agg, r.is_ok())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let outcomes: Vec<_> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        for (agg, ok) in &outcomes {
            let kept = read(&*store, |q| q.history(&t, agg)).unwrap();
            assert_eq!(!kept.is_empty(), *ok, "{agg}: acknowledged if and only if written");
        }
        b.tamper("ALTER TABLE audit_log DROP CONSTRAINT no_poison").unwrap();
        let gone = TenantId::parse("poisoned").unwrap();
        assert_eq!(read(&*store, |q| q.tenant(&gone)).unwrap(), None, "its other writes rolled back");
        let t4 = t.clone();
        let seq =
            write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.append(&t4, record("next", "n"))).unwrap();
        let written = outcomes.iter().filter(|(_, ok)| *ok).count() as u64;
        assert_eq!(seq, written + 1, "the chain goes on from where it was");
        let report = store.verify_audit().unwrap();
        assert!(report.ok(), "{:?}", report.breaks);
    }
}
