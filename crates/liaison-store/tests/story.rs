//! The storage story: one test of the store's promises, run against a real database file.
//! (The PostgreSQL backend will run this same story, chosen by `LIAISON_TEST_BACKEND`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use liaison_core::Actor;
use liaison_core::ids::{DeputyId, OfficerId, TenantId};
use liaison_core::registry::{Deputy, DeputyCommand, DeputyInput, duplicate_keys};
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::{
    DeputyKeys, DeputyQuery, Keys, NewRecord, Store, StoreError, WriteTx, audit::Problem, read, system_user,
    write_blocking,
};

fn actor() -> Actor {
    Actor { user: system_user(), name: "测试".into() }
}

fn record(kind: &str, agg: &str) -> NewRecord {
    NewRecord {
        id: uuid::Uuid::now_v7(),
        at: Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap(),
        actor: actor(),
        kind: kind.into(),
        aggregate_type: "deputy",
        aggregate_id: agg.into(),
        reason: None,
        payload: serde_json::json!({"k": kind}).to_string(),
    }
}

fn deputy(name: &str, mobile: &str) -> Deputy {
    let input = DeputyInput {
        name: name.into(),
        gender: "女".into(),
        level: "市".into(),
        term: "16".into(),
        region: "鼓楼区".into(),
        work_unit: "某公司".into(),
        mobile: mobile.into(),
        id_number: "11010519491231002X".into(),
        term_start: "2022-01-01".into(),
        ..Default::default()
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let e = Deputy::register(input.parse().unwrap(), None, day).unwrap();
    Deputy::from_registered(DeputyId(uuid::Uuid::now_v7()), &e).unwrap()
}

fn open(dir: &std::path::Path, max_batch: usize) -> Arc<SqliteStore> {
    Arc::new(
        SqliteStore::open(
            &dir.join("t.db"),
            Keys::from_master(&[3; 32]),
            SqliteOptions { max_batch, ..Default::default() },
        )
        .unwrap(),
    )
}

#[test]
fn storage_story() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 64);
    let t = TenantId::parse("default").unwrap();

    // A tenant, a deputy, events: one transaction.
    let d = deputy("赵敏", "13800138000");
    let d2 = d.clone();
    let t2 = t.clone();
    write_blocking(&*store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        tx.insert_tenant(&t2, "测试院", Utc::now())?;
        tx.append(&t2, record("deputy.registered", &d2.id.to_string()))?;
        tx.insert_deputy(&t2, &d2, &DeputyKeys { keys: duplicate_keys(&d2.data, None), id_hash: None })
    })
    .unwrap();

    // Personal data round-trips but is not in the file in clear.
    let back = read(&*store, |q| q.deputy(&t, d.id)).unwrap().unwrap();
    assert_eq!(back, d);
    let summary = read(&*store, |q| q.deputy_summary(&t, d.id)).unwrap().unwrap();
    assert_eq!(summary.masked.mobile.as_deref(), Some("138****8000"));
    store.close();
    let raw = std::fs::read(dir.path().join("t.db")).unwrap();
    let wal = std::fs::read(dir.path().join("t.db-wal")).unwrap_or_default();
    for bytes in [&raw, &wal] {
        assert!(!bytes.windows(11).any(|w| w == b"13800138000"), "mobile number stored in clear");
    }
    let store = open(dir.path(), 64);

    // Optimistic concurrency: a stale version is refused and nothing is written.
    let mut changed = d.clone();
    for e in changed.decide(DeputyCommand::AssignOfficer(Some(OfficerId(uuid::Uuid::from_u128(1))))).unwrap()
    {
        changed.apply(&e);
    }
    let (t3, c3) = (t.clone(), changed.clone());
    write_blocking(&*store, move |tx: &mut dyn WriteTx| {
        tx.update_deputy(&t3, &c3, 1, &DeputyKeys::default())
    })
    .unwrap();
    let (t4, c4) = (t.clone(), changed.clone());
    let stale = write_blocking(&*store, move |tx: &mut dyn WriteTx| {
        tx.update_deputy(&t4, &c4, 1, &DeputyKeys::default())
    });
    assert!(matches!(stale, Err(StoreError::Conflict { actual: 2, expected: 1, .. })), "{stale:?}");

    // Group commit: jobs submitted together commit together; a failing job rolls back only itself.
    let handles: Vec<_> = (0..40)
        .map(|i| {
            let (s, t) = (store.clone(), t.clone());
            std::thread::spawn(move || {
                write_blocking(&*s, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
                    tx.append(&t, record("test.event", &format!("agg-{i}")))?;
                    if i % 10 == 0 {
                        return Err(StoreError::Taken(format!("job {i} fails on purpose")));
                    }
                    Ok(())
                })
            })
        })
        .collect();
    let failed = handles.into_iter().map(|h| h.join().unwrap()).filter(Result::is_err).count();
    assert_eq!(failed, 4);
    let report = store.verify_audit().unwrap();
    assert!(report.ok(), "{:?}", report.breaks);
    assert_eq!(report.records, 1 + 36, "the failed jobs' records were rolled back");
    assert_eq!(report.heads[0].1, 37, "no gap in the sequence");

    // The database refuses to change the audit log.
    let raw = SqliteStore::raw_connection(&dir.path().join("t.db")).unwrap();
    let refused = raw.execute("UPDATE audit_log SET actor_name = 'x' WHERE seq = 3", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    assert!(raw.execute("DELETE FROM audit_log WHERE seq = 3", []).is_err());

    // An attacker who drops the triggers is still caught, and the broken record is named.
    raw.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;").unwrap();
    raw.execute("UPDATE audit_log SET actor_name = '某人' WHERE seq = 5", []).unwrap();
    raw.execute("DELETE FROM audit_log WHERE seq = 9", []).unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(report.breaks.len(), 2, "{:?}", report.breaks);
    assert_eq!((report.breaks[0].seq, &report.breaks[0].problem), (5, &Problem::Edited));
    assert_eq!(
        (report.breaks[1].seq, &report.breaks[1].problem),
        (10, &Problem::SequenceGap { expected: 9 })
    );

    // Lists are in pinyin order with cursor pagination.
    let (t5, s5) = (t.clone(), store.clone());
    write_blocking(&*s5, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        for (n, m) in [("曾静", "13900000001"), ("安然", "13900000002"), ("张伟", "13900000003")] {
            let d = deputy(n, m);
            tx.insert_deputy(&t5, &d, &DeputyKeys::default())?;
        }
        Ok(())
    })
    .unwrap();
    let page = |after| {
        read(&*store, |q| q.list_deputies(&t, &DeputyQuery { limit: 2, after, ..Default::default() }))
            .unwrap()
    };
    let p1 = page(None);
    let names: Vec<_> = p1.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["安然", "曾静"]);
    let last = p1.last().unwrap();
    let p2 = page(Some((last.name_key.clone(), last.id)));
    let names: Vec<_> = p2.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["张伟", "赵敏"]);
    let by_initials = read(&*store, |q| {
        q.list_deputies(&t, &DeputyQuery { limit: 10, search: Some("zj".into()), ..Default::default() })
    })
    .unwrap();
    assert_eq!(by_initials.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["曾静"]);
}

#[test]
fn one_transaction_per_request_mode_commits_each_job() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 1);
    let t = TenantId::parse("t1").unwrap();
    let t2 = t.clone();
    write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", Utc::now())).unwrap();
    for i in 0..5 {
        let t = t.clone();
        write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.append(&t, record("e", &i.to_string())))
            .unwrap();
    }
    assert_eq!(store.verify_audit().unwrap().records, 5);
    let dup = {
        let t = t.clone();
        write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t, "again", Utc::now()))
    };
    assert!(matches!(dup, Err(StoreError::Taken(_))));
}
