//! The storage story: one test of the store's promises, run against SQLite and against PostgreSQL
//! (a throw-away database; see `liaison_store::testing` for when the PostgreSQL run is required).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// The staff login's rows (one test binary per crate: the login story is a module of this one).
#[path = "story/login.rs"]
mod login;

/// The transactional outbox (issue 17).
#[path = "story/outbox.rs"]
mod outbox;

/// The tree of procuratorates (issue 20).
#[path = "story/tenants.rs"]
mod tenants;

/// A fenced primary is not ready (issue 20).
#[path = "story/fenced.rs"]
mod fenced;

/// The audit chain under concurrent writers (issue 19).
#[path = "story/chain.rs"]
mod chain;

/// A read is one snapshot (issue 19).
#[path = "story/snapshot.rs"]
mod snapshot;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use liaison_core::Actor;
use liaison_core::ids::{DeputyId, OfficerId, TenantId};
use liaison_core::registry::{Deputy, DeputyCommand, DeputyInput, duplicate_keys};
use liaison_store::postgres::{PgOptions, PgStore};
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::state::{Stored, open_personal};
use liaison_store::testing::TestDatabase;
use liaison_store::{
    BatchState, DeputyKeys, DeputyQuery, Keys, Line, LinkRecord, NewRecord, PreparedDeputy, RecordQuery,
    RecordRow, Store, StoreError, Summary, WriteTx, audit::Problem, read, system_user, write_blocking,
};

fn actor() -> Actor {
    Actor { user: system_user(), name: "测试".into(), via: None }
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

fn keys() -> Keys {
    Keys::from_master(&[3; 32])
}

/// What differs between the backends: how to look at the raw data and how to tamper with it.
trait Backend {
    fn store(&self) -> Arc<dyn Store>;
    /// Fail if `needle` appears in clear anywhere the store keeps deputies or audit records.
    fn assert_not_in_clear(&self, needle: &str);
    /// Run SQL as an attacker with database access would.
    fn tamper(&self, sql: &str) -> Result<(), String>;
    /// SQL that switches the append-only triggers off.
    fn disable_triggers(&self) -> &'static str;
}

struct Sqlite(tempfile::TempDir, Arc<SqliteStore>);

impl Backend for Sqlite {
    fn store(&self) -> Arc<dyn Store> {
        self.1.clone()
    }
    fn assert_not_in_clear(&self, needle: &str) {
        let c = SqliteStore::raw_connection(&self.0.path().join("t.db")).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        let db = std::fs::read(self.0.path().join("t.db")).unwrap();
        assert!(!db.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} stored in clear");
    }
    fn tamper(&self, sql: &str) -> Result<(), String> {
        SqliteStore::raw_connection(&self.0.path().join("t.db"))
            .unwrap()
            .execute_batch(sql)
            .map_err(|e| e.to_string())
    }
    fn disable_triggers(&self) -> &'static str {
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
    }
}

struct Postgres {
    pg: Arc<PgStore>,
    _db: TestDatabase,
}

impl Backend for Postgres {
    fn store(&self) -> Arc<dyn Store> {
        self.pg.clone()
    }
    fn assert_not_in_clear(&self, needle: &str) {
        let sql = format!(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM deputies WHERE data LIKE '%{needle}%' OR masked LIKE '%{needle}%'
               OR position('{needle}'::bytea in sealed) > 0) OR EXISTS (SELECT 1 FROM audit_log WHERE payload LIKE '%{needle}%')
             THEN RAISE EXCEPTION 'stored in clear'; END IF; END $$"
        );
        self.pg.raw_execute(&sql).unwrap();
    }
    fn tamper(&self, sql: &str) -> Result<(), String> {
        self.pg.raw_execute(sql).map_err(|e| e.to_string())
    }
    fn disable_triggers(&self) -> &'static str {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    }
}

fn backends() -> Vec<Box<dyn Backend>> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Arc::new(
        SqliteStore::open(
            &dir.path().join("t.db"),
            keys(),
            SqliteOptions { max_batch: 64, ..Default::default() },
        )
        .unwrap(),
    );
    let mut out: Vec<Box<dyn Backend>> = vec![Box::new(Sqlite(dir, sqlite))];
    if let Some(db) = TestDatabase::create("the storage story").unwrap() {
        let pg = Arc::new(PgStore::open(&db.url, keys(), PgOptions::default()).unwrap());
        out.push(Box::new(Postgres { pg, _db: db }));
    }
    out
}

#[test]
fn storage_story() {
    for b in backends() {
        let store = b.store();
        eprintln!("storage story on {}", store.describe());
        story(&*b, store.clone());
        batch_story(&*store);
        backup_is_private_and_whole(&*store);
    }
}

/// Import batches (issue 13, item 4): a staged deputy is seen by no query — by id, in lists and counts, by
/// its duplicate keys, among what changed — until its batch is published; an abandoned batch is wiped to
/// tombstones a chunk at a time and takes no more rows; an open batch with an old heartbeat is found stale.
fn batch_story(store: &dyn Store) {
    let t = TenantId::parse("default").unwrap();
    let count = || read(store, |q| q.count_deputies(&t, &DeputyQuery::default())).unwrap();
    let before = count();
    let seen = read(store, |q| q.chain_seq(&t)).unwrap();
    let stage = |batch: &'static str, people: Vec<Deputy>, at: chrono::DateTime<Utc>| {
        let tt = t.clone();
        let ready: Vec<PreparedDeputy> =
            people.iter().map(|d| PreparedDeputy::new(store.keys(), &tt, d).unwrap()).collect();
        let keys: Vec<_> = people
            .iter()
            .flat_map(|d| duplicate_keys(&d.data, None).into_iter().map(move |k| (k.key, d.id, None)))
            .collect();
        let ids: Vec<String> = people.iter().map(|d| d.id.to_string()).collect();
        write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
            tx.stage_deputies(&tt, batch, &ready, &keys, at)?;
            for id in ids {
                tx.append(&tt, record("deputy.registered", &id))?;
            }
            Ok(())
        })
    };
    let begin = |batch: &'static str, at: chrono::DateTime<Utc>| {
        let tt = t.clone();
        write_blocking(store, move |tx: &mut dyn WriteTx| tx.begin_batch(&tt, batch, at)).unwrap();
    };
    let end = |batch: &'static str, to: BatchState| {
        let tt = t.clone();
        write_blocking(store, move |tx: &mut dyn WriteTx| tx.end_batch(&tt, batch, to, Utc::now())).unwrap()
    };

    begin("batch-1", Utc::now());
    let (x, y) = (deputy("钱多多", "13900000001"), deputy("孙少少", "13900000002"));
    stage("batch-1", vec![x.clone(), y.clone()], Utc::now()).unwrap();
    assert_eq!(read(store, |q| q.deputy(&t, x.id)).unwrap(), None, "{}", store.describe());
    assert_eq!(read(store, |q| q.deputy_summary(&t, x.id)).unwrap().map(|s| s.id), None);
    assert_eq!(count(), before);
    assert!(read(store, |q| q.key_matches(&t, &duplicate_keys(&x.data, None))).unwrap().is_empty());
    assert!(read(store, |q| q.deputy_keys_between(&t, seen, None)).unwrap().is_empty());
    assert!(end("batch-1", BatchState::Published));
    assert!(!end("batch-1", BatchState::Abandoned), "a published batch is not open any more");
    assert_eq!(read(store, |q| q.deputy(&t, x.id)).unwrap(), Some(x.clone()));
    assert_eq!(count(), before + 2);
    assert_eq!(read(store, |q| q.key_matches(&t, &duplicate_keys(&x.data, None))).unwrap().len(), 2);
    assert_eq!(read(store, |q| q.deputy_keys_between(&t, seen, None)).unwrap().len(), 4);

    begin("batch-2", Utc::now());
    let z = deputy("周全全", "13900000003");
    stage("batch-2", vec![z.clone(), deputy("吴缺缺", "13900000004")], Utc::now()).unwrap();
    assert!(end("batch-2", BatchState::Abandoned));
    let tt = t.clone();
    let wiped = write_blocking(store, move |tx: &mut dyn WriteTx| {
        Ok::<_, StoreError>((
            tx.wipe_batch(&tt, "batch-2", 1)?,
            tx.wipe_batch(&tt, "batch-2", 5)?,
            tx.wipe_batch(&tt, "batch-2", 5)?,
        ))
    })
    .unwrap();
    assert_eq!(wiped, (1, 1, 0), "one at a time, then none left");
    let late = stage("batch-2", vec![deputy("郑迟迟", "13900000005")], Utc::now());
    assert!(matches!(late, Err(StoreError::Transaction(_))), "{late:?}");
    assert_eq!(read(store, |q| q.deputy(&t, z.id)).unwrap(), None);
    assert_eq!(count(), before + 2);

    // An open batch whose heartbeat is old is left to clear; an abandoned one wiped is not.
    let old = Utc::now() - chrono::TimeDelta::hours(1);
    begin("batch-3", old);
    stage("batch-3", vec![deputy("冯旧旧", "13900000006")], old).unwrap();
    let left = read(store, |q| q.batches_to_clear(&t, Utc::now() - chrono::TimeDelta::minutes(10))).unwrap();
    assert_eq!(left, [("batch-3".to_owned(), BatchState::Staging)]);
    let tt = t.clone();
    let refused = write_blocking(store, move |tx: &mut dyn WriteTx| tx.wipe_batch(&tt, "batch-3", 5));
    assert!(matches!(refused, Err(StoreError::Transaction(_))), "an open batch is not wiped: {refused:?}");
    assert!(end("batch-3", BatchState::Abandoned));
    let left = read(store, |q| q.batches_to_clear(&t, Utc::now())).unwrap();
    assert_eq!(left, [("batch-3".to_owned(), BatchState::Abandoned)], "abandoned, not yet wiped");
}

/// Either backend's backup is one private file (0600 whatever the umask) under the name asked for, with
/// nothing else left beside it (issue 13 item 1; pg_dump alone would create it 0644 under umask 022).
fn backup_is_private_and_whole(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("backup");
    store.backup(&dest).unwrap();
    #[cfg(unix)]
    assert_eq!(mode(&dest), 0o600, "{}", store.describe());
    assert!(std::fs::metadata(&dest).unwrap().len() > 0);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

fn story(b: &dyn Backend, store: Arc<dyn Store>) {
    let t = TenantId::parse("default").unwrap();

    // A tenant, a deputy, events: one transaction.
    let d = deputy("赵敏", "13800138000");
    let (d2, t2) = (d.clone(), t.clone());
    write_blocking(&*store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        tx.insert_tenant(&t2, "测试院", Utc::now())?;
        tx.append(&t2, record("deputy.registered", &d2.id.to_string()))?;
        tx.insert_deputy(&t2, &d2, &DeputyKeys { keys: duplicate_keys(&d2.data, None), id_hash: None })
    })
    .unwrap();

    // Personal data round-trips but is not stored in clear.
    assert_eq!(read(&*store, |q| q.deputy(&t, d.id)).unwrap().unwrap(), d);
    let summary = read(&*store, |q| q.deputy_summary(&t, d.id)).unwrap().unwrap();
    assert_eq!(summary.masked.mobile.as_deref(), Some("138****8000"));
    b.assert_not_in_clear("13800138000");
    let matches = read(&*store, |q| q.key_matches(&t, &duplicate_keys(&d.data, None))).unwrap();
    assert_eq!(matches.len(), 2, "name+birth date and name+work unit keys find the record");

    // Idempotency: a response is kept under its key, in the same transaction; a key is used once.
    let t_i = t.clone();
    write_blocking(&*store, move |tx: &mut dyn WriteTx| {
        tx.save_idempotent(&t_i, "req-1", "h1", "{\"ok\":1}", Utc::now())
    })
    .unwrap();
    assert_eq!(
        read(&*store, |q| q.idempotent(&t, "req-1")).unwrap(),
        Some(("h1".into(), "{\"ok\":1}".into()))
    );
    let t_j = t.clone();
    let again = write_blocking(&*store, move |tx: &mut dyn WriteTx| {
        tx.save_idempotent(&t_j, "req-1", "h2", "{}", Utc::now())
    });
    assert!(matches!(again, Err(StoreError::Taken(_))), "{again:?}");
    assert_eq!(read(&*store, |q| q.idempotent(&t, "req-2")).unwrap(), None);

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

    // Concurrent jobs: each commits or rolls back as a whole, and the chain has no gap.
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

    // The chain never goes back in time: a change dated a day before its head is refused (whether the
    // head was read from the database or written in the same job, which then rolls back as a whole);
    // one within the clocks' tolerance is taken.
    let dated = |minutes: i64| {
        let mut r = record("test.dated", "clock");
        r.at -= chrono::Duration::minutes(minutes);
        r
    };
    let (t6, s6) = (t.clone(), store.clone());
    let back = write_blocking(&*s6, move |tx: &mut dyn WriteTx| tx.append(&t6, dated(24 * 60)));
    assert!(matches!(back, Err(StoreError::Backdated { .. })), "{back:?}");
    let (t6, s6) = (t.clone(), store.clone());
    let back = write_blocking(&*s6, move |tx: &mut dyn WriteTx| {
        tx.append(&t6, record("test.dated", "clock"))?;
        tx.append(&t6, dated(24 * 60))
    });
    assert!(matches!(back, Err(StoreError::Backdated { .. })), "{back:?}");
    assert_eq!(store.verify_audit().unwrap().records, 37, "nothing of either job was written");
    let (t6, s6) = (t.clone(), store.clone());
    write_blocking(&*s6, move |tx: &mut dyn WriteTx| tx.append(&t6, dated(2))).unwrap();

    // Lists are in pinyin order with cursor pagination, and search by initials.
    let (t5, s5) = (t.clone(), store.clone());
    write_blocking(&*s5, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        for (n, m) in [("曾静", "13900000001"), ("安然", "13900000002"), ("张伟", "13900000003")] {
            tx.insert_deputy(&t5, &deputy(n, m), &DeputyKeys::default())?;
        }
        Ok(())
    })
    .unwrap();
    let page = |after| {
        read(&*store, |q| q.list_deputies(&t, &DeputyQuery { limit: 2, after, ..Default::default() }))
            .unwrap()
    };
    let p1 = page(None);
    assert_eq!(p1.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["安然", "曾静"]);
    let last = p1.last().unwrap();
    let p2 = page(Some((last.name_key.clone(), last.id)));
    assert_eq!(p2.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["张伟", "赵敏"]);
    let found = read(&*store, |q| {
        q.list_deputies(&t, &DeputyQuery { limit: 10, search: Some("zj".into()), ..Default::default() })
    })
    .unwrap();
    assert_eq!(found.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["曾静"]);
    assert_eq!(read(&*store, |q| q.count_deputies(&t, &DeputyQuery::default())).unwrap(), 4);

    // Workflow records: numbered, versioned, found by party, status, due day; counters and one-use links.
    records_story(&*store, &t);
    let via_seq = accounts_story(&*store, &t);

    // The state check's reads (issue 13 item 3): every aggregate once, in (tenant, kind, id) byte order as
    // Rust sorts, with its row, keys, parties and audit records, from one snapshot.
    let mut seen = Vec::new();
    store
        .scan_state(&["deputy", "organisation", "suggestion"], &mut |a| {
            seen.push(a);
            Ok(())
        })
        .unwrap();
    let order: Vec<(&str, &str, &str)> =
        seen.iter().map(|a| (a.tenant.as_str(), a.kind.as_str(), a.id.as_str())).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{} in order, each once: {order:?}", store.describe());
    let zm = seen.iter().find(|a| a.id == d.id.to_string()).unwrap();
    let Some(Stored::Deputy(row)) = &zm.stored else { panic!("{zm:?}") };
    assert_eq!((row.version, row.name.as_str(), zm.events.len()), (2, "赵敏", 1));
    assert_eq!(row.officer.as_deref(), Some(OfficerId(uuid::Uuid::from_u128(1)).to_string().as_str()));
    let (_, contact) = open_personal(&keys(), &t, d.id, &row.sealed).unwrap();
    assert_eq!(contact.mobile.unwrap().as_str(), "13800138000");
    assert!(
        open_personal(&keys(), &t, DeputyId(uuid::Uuid::from_u128(9)), &row.sealed).is_err(),
        "bound to its row"
    );
    assert_eq!(
        seen.iter().filter(|a| a.id.starts_with("agg-") && a.stored.is_none() && a.events.len() == 1).count(),
        36,
        "events of no stored aggregate are handed over too"
    );
    let r1 = seen.iter().find(|a| a.kind == "suggestion" && a.id == "r1").unwrap();
    assert!(
        matches!(&r1.stored, Some(Stored::Record(r)) if r.number.as_deref() == Some("2026-0001")),
        "{r1:?}"
    );
    assert!(r1.parties.contains(&("department".into(), "dept-b".into())) && r1.events.is_empty(), "{r1:?}");

    // The audit administrator's view (issue 12, item 9): filtered by kind (or a family), actor, time and
    // aggregate, in chain order, page by page; one record by its position.
    let audit = |q: liaison_store::AuditQuery| read(&*store, |r| r.audit_records(&t, &q)).unwrap();
    let all = liaison_store::AuditQuery { limit: 1000, ..Default::default() };
    let every = audit(all.clone());
    let count = |f: &dyn Fn(&liaison_store::AuditRecord) -> bool| every.iter().filter(|r| f(r)).count();
    assert_eq!(every.iter().map(|r| r.seq).collect::<Vec<_>>(), (1..=every.len() as u64).collect::<Vec<_>>());
    let dated_ones = audit(liaison_store::AuditQuery { kind: Some("test.dated".into()), ..all.clone() });
    assert_eq!(dated_ones.len(), 1, "{dated_ones:?}");
    let family = audit(liaison_store::AuditQuery { kind: Some("test.".into()), ..all.clone() });
    assert_eq!(family.len(), count(&|r| r.kind.starts_with("test.")));
    assert!(family.len() > 30);
    assert!(audit(liaison_store::AuditQuery { kind: Some("test_".into()), ..all.clone() }).is_empty());
    let by = audit(liaison_store::AuditQuery { actor: Some("测试".into()), ..all.clone() });
    assert_eq!(by.len(), count(&|r| r.actor_name == "测试"));
    assert_eq!(audit(liaison_store::AuditQuery { aggregate: Some("clock".into()), ..all.clone() }).len(), 1);
    let from = "2026-03-01T08:00:00.000000Z";
    let later = audit(liaison_store::AuditQuery { from: Some(from.into()), ..all.clone() });
    assert_eq!(later.len(), count(&|r| r.at.as_str() >= from), "from is inclusive");
    assert!(later.len() < every.len(), "the record two minutes earlier is left out");
    assert!(
        audit(liaison_store::AuditQuery { to: Some("2026-03-01T00:00:00Z".into()), ..all.clone() })
            .is_empty()
    );
    let page = audit(liaison_store::AuditQuery { limit: 3, after: Some(10), ..all.clone() });
    assert_eq!(page.iter().map(|r| r.seq).collect::<Vec<_>>(), [11, 12, 13]);
    let at = read(&*store, |r| r.audit_record_at(&t, 12)).unwrap().unwrap();
    assert_eq!(at, page[1]);
    assert!(read(&*store, |r| r.audit_record_at(&t, 10_000)).unwrap().is_none());

    // The database refuses to change the audit log; an attacker who switches that off is still caught,
    // and the broken records are named.
    let refused = b.tamper("UPDATE audit_log SET actor_name = 'x' WHERE seq = 3").unwrap_err();
    assert!(refused.contains("append-only"), "{refused}");
    assert!(b.tamper("DELETE FROM audit_log WHERE seq = 3").is_err());
    b.tamper(b.disable_triggers()).unwrap();
    b.tamper("UPDATE audit_log SET actor_name = '某人' WHERE seq = 5").unwrap();
    b.tamper("DELETE FROM audit_log WHERE seq = 9").unwrap();
    // A record's credential cannot be taken off it unseen (the record's v2 form covers it).
    b.tamper(&format!("UPDATE audit_log SET actor_via = NULL WHERE seq = {via_seq}")).unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(report.breaks.len(), 3, "{:?}", report.breaks);
    assert_eq!((report.breaks[0].seq, &report.breaks[0].problem), (5, &Problem::Edited));
    assert_eq!(
        (report.breaks[1].seq, &report.breaks[1].problem),
        (10, &Problem::SequenceGap { expected: 9 })
    );
    assert_eq!((report.breaks[2].seq, &report.breaks[2].problem), (via_seq, &Problem::Edited));
}

/// Accounts (issue 12, items 1 and 14): pending roles kept, versioned updates, every token of a disabled
/// account revoked at once, token expiry and last use, and the audit record naming the credential used.
/// Returns the sequence number of that record.
fn accounts_story(store: &dyn Store, t: &TenantId) -> u64 {
    use liaison_core::access::Role;
    use liaison_core::account::{AccountKind, RoleRequest};
    use liaison_core::ids::UserId;
    use liaison_store::{TokenRecord, UserRecord};
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let user = UserRecord {
        tenant: t.clone(),
        id: UserId(uuid::Uuid::now_v7()),
        login: "office".into(),
        display_name: "联络室".into(),
        roles: vec![],
        active: true,
        created_at: at,
        deputy: None,
        department: None,
        kind: AccountKind::Person,
        pending: Some(RoleRequest {
            roles: vec![Role::Office],
            department: None,
            grant: Default::default(),
            by: system_user(),
            at,
        }),
        grant: Default::default(),
        version: 2,
    };
    let token = |id: &str| TokenRecord {
        id: id.into(),
        tenant: t.clone(),
        user: user.id,
        label: "终端".into(),
        created_at: at,
        revoked_at: None,
        expires_at: Some(at + chrono::Duration::days(90)),
        last_used_at: None,
    };
    // The authentication epoch (schema v15, issue 19): grows with every write that can change what a token
    // authenticates as, in the same transaction; a new account, a new token and a token's use leave it.
    let epoch = || read(store, |q| q.auth_epoch(t)).unwrap().expect("every tenant has an epoch row");
    let e0 = epoch();
    let (u, t1, t2, tn) = (user.clone(), token("aaa111"), token("bbb222"), t.clone());
    let seq = write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<u64, StoreError> {
        tx.insert_user(&u)?;
        tx.insert_token(&t1, "hash-1")?;
        tx.insert_token(&t2, "hash-2")?;
        let mut r = record("token.created", "aaa111");
        r.actor.via = Some("console:alice".into());
        tx.append(&tn, r)
    })
    .unwrap();
    assert_eq!(epoch(), e0, "a new account and new tokens leave the epoch");
    let (found, tok) = read(store, |q| q.user_by_token_hash("hash-1")).unwrap().unwrap();
    assert_eq!((found.clone(), tok.expires_at), (user.clone(), Some(at + chrono::Duration::days(90))));
    let h = read(store, |q| q.history(t, "aaa111")).unwrap();
    assert_eq!(h.last().unwrap().actor_via.as_deref(), Some("console:alice"));
    // What a limit counted from the trail reads (issue 12 item 7): an account's records of a kind since a
    // moment, inclusive, oldest first, bounded.
    let (me, at8) = (actor().user.to_string(), Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap());
    assert_eq!(read(store, |q| q.audit_times(t, &me, "token.created", at8, 10)).unwrap(), [at8]);
    let later = at8 + chrono::Duration::seconds(1);
    assert!(read(store, |q| q.audit_times(t, &me, "token.created", later, 10)).unwrap().is_empty());
    assert!(read(store, |q| q.audit_times(t, "someone-else", "token.created", at8, 10)).unwrap().is_empty());

    // Approved: the roles in effect, nothing pending; a stale version changes nothing.
    let mut approved = user.clone();
    approved.roles = vec![Role::Office];
    approved.pending = None;
    approved.version = 3;
    // An officer's grant is kept with the account (schema v5).
    approved.grant = liaison_core::scope::Grant {
        officer: Some(liaison_core::ids::OfficerId(uuid::Uuid::from_u128(9))),
        regions: ["鼓楼区".to_owned()].into(),
    };
    let tn = t.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.set_token_times(&tn, "aaa111", None, Some(at + chrono::Duration::hours(1)))
    })
    .unwrap();
    assert_eq!(epoch(), e0, "a token's use (the hourly touch) leaves the epoch");
    let a = approved.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.update_user(&a, 2)).unwrap();
    let e1 = epoch();
    assert!(e1 > e0, "an account's change bumps the epoch: {e0} → {e1}");
    let a = approved.clone();
    let stale = write_blocking(store, move |tx: &mut dyn WriteTx| tx.update_user(&a, 2));
    assert!(matches!(stale, Err(StoreError::Conflict { actual: 3, expected: 2, .. })), "{stale:?}");
    assert_eq!(epoch(), e1, "a refused change leaves the epoch (its transaction rolled back)");
    let tn = t.clone();
    let expires = at + chrono::Duration::days(30);
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.set_token_times(&tn, "bbb222", Some(expires), None))
        .unwrap();
    let e2 = epoch();
    assert!(e2 > e1, "a token's new expiry bumps the epoch");
    let tn = t.clone();
    assert!(write_blocking(store, move |tx: &mut dyn WriteTx| tx.revoke_token(&tn, "bbb222", at)).unwrap());
    let e3 = epoch();
    assert!(e3 > e2, "a revoked token bumps the epoch");
    let tn = t.clone();
    let policy = move |version: u64| {
        let day = at.date_naive();
        RecordRow::plain("settings", "token_policy", version, "active", day, "{}".into(), at)
    };
    let other =
        RecordRow::plain("settings", "suggestion_policy", 1, "active", at.date_naive(), "{}".into(), at);
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_record(&tn, &other)).unwrap();
    assert_eq!(epoch(), e3, "other settings leave the epoch");
    let tn = t.clone();
    let p1 = policy(1);
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_record(&tn, &p1)).unwrap();
    let e4 = epoch();
    assert!(e4 > e3, "a token policy set bumps the epoch");
    let tn = t.clone();
    let p2 = policy(2);
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.update_record(&tn, &p2, 1)).unwrap();
    let e5 = epoch();
    assert!(e5 > e4, "a token policy changed bumps the epoch");
    let other_tenant = liaison_core::ids::TenantId::parse("other").unwrap();
    let ot = other_tenant.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&ot, "另一院", at)).unwrap();
    let other_epoch = read(store, |q| q.auth_epoch(&other_tenant)).unwrap();
    assert!(other_epoch.is_some(), "a new tenant gets its epoch row");
    assert_eq!(read(store, |q| q.user_by_login(t, "office")).unwrap().unwrap(), approved);
    let (_, tok) = read(store, |q| q.user_by_token_hash("hash-1")).unwrap().unwrap();
    assert_eq!(tok.last_used_at, Some(at + chrono::Duration::hours(1)));
    assert_eq!(tok.expires_at, Some(at + chrono::Duration::days(90)), "kept when not given");

    // Disabled: every token revoked in the same transaction, none found again.
    let tn = t.clone();
    let uid = user.id;
    let revoked = write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.revoke_user_tokens(&tn, uid, at + chrono::Duration::days(1))
    })
    .unwrap();
    assert_eq!(revoked, ["aaa111"], "bbb222 was revoked above");
    assert!(epoch() > e5, "a disabled account's tokens revoked bump the epoch");
    assert_eq!(read(store, |q| q.auth_epoch(&other_tenant)).unwrap(), other_epoch, "per tenant");
    assert!(read(store, |q| q.user_by_token_hash("hash-2")).unwrap().is_none());
    assert!(read(store, |q| q.tokens(t)).unwrap().iter().all(|x| x.revoked_at.is_some()));
    seq
}

#[test]
fn one_transaction_per_request_mode_commits_each_job() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(
        &dir.path().join("t.db"),
        keys(),
        SqliteOptions { max_batch: 1, ..Default::default() },
    )
    .unwrap();
    let t = TenantId::parse("t1").unwrap();
    let t2 = t.clone();
    write_blocking(&store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", Utc::now())).unwrap();
    for i in 0..5 {
        let t = t.clone();
        write_blocking(&store, move |tx: &mut dyn WriteTx| tx.append(&t, record("e", &i.to_string())))
            .unwrap();
    }
    assert_eq!(store.verify_audit().unwrap().records, 5);
    let t3 = t.clone();
    let dup = write_blocking(&store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t3, "again", Utc::now()));
    assert!(matches!(dup, Err(StoreError::Taken(_))));
}

fn row(id: &str, number: Option<&str>, status: &str, due: Option<&str>, deputies: &[&str]) -> RecordRow {
    RecordRow {
        kind: "suggestion",
        id: id.into(),
        version: 1,
        number: number.map(str::to_owned),
        status: status.into(),
        department: Some("dept-a".into()),
        handler: Some("user-1".into()),
        due_on: due.map(str::to_owned),
        opened_on: "2026-03-02".into(),
        data: format!("{{\"id\":\"{id}\"}}"),
        deputies: deputies.iter().map(|s| s.to_string()).collect(),
        departments: vec!["dept-a".into(), "dept-b".into()],
        tags: if status == "answered" { vec!["published".into()] } else { vec![] },
        // A record saved before summaries were kept has none (r3 below).
        summary: (id != "r3").then(|| format!("{{\"s\":\"{status}\"}}")),
        line: (id != "r3").then(|| format!("{{\"line\":\"{id}\",\"s\":\"{status}\"}}")),
        updated_at: Utc::now(),
    }
}

fn records_story(store: &dyn Store, t: &TenantId) {
    let t1 = t.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        assert_eq!(tx.next_number(&t1, "suggestion-2026")?, 1);
        assert_eq!(tx.next_number(&t1, "suggestion-2026")?, 2);
        assert_eq!(tx.next_number(&t1, "suggestion-2027")?, 1);
        tx.insert_record(&t1, &row("r1", Some("2026-0001"), "assigned", Some("2026-06-02"), &["d1", "d2"]))?;
        tx.insert_record(&t1, &row("r2", Some("2026-0002"), "answered", Some("2026-04-01"), &["d2"]))?;
        tx.insert_record(&t1, &row("r3", None, "received", None, &["d3"]))
    })
    .unwrap();
    // A number is used once; the failed job leaves nothing behind.
    let t2 = t.clone();
    let dup = write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.insert_record(&t2, &row("r4", Some("2026-0001"), "registered", None, &["d4"]))
    });
    assert!(matches!(dup, Err(StoreError::Taken(_))), "{dup:?}");
    assert_eq!(read(store, |q| q.record(t, "suggestion", "r4")).unwrap(), None);
    let list = |q: RecordQuery| -> Vec<String> {
        read(store, |s| s.records(t, "suggestion", &q)).unwrap().into_iter().map(|r| r.id).collect()
    };
    assert_eq!(list(RecordQuery { deputy: Some("d2".into()), ..Default::default() }), ["r1", "r2"]);
    assert_eq!(
        list(RecordQuery { department: Some("dept-b".into()), ..Default::default() }),
        ["r1", "r2", "r3"]
    );
    assert_eq!(list(RecordQuery { due_by: Some("2026-05-01".into()), ..Default::default() }), ["r2"]);
    assert_eq!(list(RecordQuery { tag: Some("published".into()), ..Default::default() }), ["r2"]);
    // Figures read summaries, or the data of a record that has none, under the same filters.
    let mut summaries = read(store, |s| {
        s.record_summaries(
            t,
            "suggestion",
            &RecordQuery { department: Some("dept-b".into()), ..Default::default() },
        )
    })
    .unwrap();
    summaries.sort();
    assert_eq!(
        summaries,
        [
            Summary::Summary("{\"s\":\"answered\"}".into()),
            Summary::Summary("{\"s\":\"assigned\"}".into()),
            Summary::Data("{\"id\":\"r3\"}".into())
        ]
    );
    assert_eq!(
        list(RecordQuery { statuses: vec!["assigned".into(), "received".into()], ..Default::default() }),
        ["r1", "r3"]
    );
    assert_eq!(list(RecordQuery { after: Some("r1".into()), limit: 1, ..Default::default() }), ["r2"]);
    let by_number = read(store, |q| q.record_by_number(t, "suggestion", "2026-0002")).unwrap().unwrap();
    assert_eq!((by_number.id.as_str(), by_number.status.as_str()), ("r2", "answered"));

    // Versions: a stale update is refused; the parties follow the new state.
    let t3 = t.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        let mut r = row("r1", Some("2026-0001"), "in_handling", Some("2026-06-02"), &["d1"]);
        r.version = 2;
        tx.update_record(&t3, &r, 1)
    })
    .unwrap();
    let t4 = t.clone();
    let stale = write_blocking(store, move |tx: &mut dyn WriteTx| {
        let mut r = row("r1", Some("2026-0001"), "answered", None, &["d1"]);
        r.version = 2;
        tx.update_record(&t4, &r, 1)
    });
    assert!(matches!(stale, Err(StoreError::Conflict { actual: 2, expected: 1, .. })), "{stale:?}");
    assert_eq!(list(RecordQuery { deputy: Some("d2".into()), ..Default::default() }), ["r2"]);
    assert_eq!(read(store, |q| q.record(t, "suggestion", "r1")).unwrap().unwrap().status, "in_handling");

    // The report's lines: one range by the day opened, each line as last written; the data of a record
    // saved without one (r3); nothing outside the range; a line removed with an update that has none.
    let lines = |from: &str, to: &str| {
        let mut l = Vec::new();
        read(store, |s| {
            s.record_lines(t, "suggestion", from, to, &mut |x| {
                l.push(match x {
                    Line::Line(s) => ("line", s.to_owned()),
                    Line::Data(s) => ("data", s.to_owned()),
                })
            })
        })
        .unwrap();
        l.sort();
        l
    };
    assert_eq!(
        lines("2026-03-02", "2026-03-02"),
        [
            ("data", "{\"id\":\"r3\"}".into()),
            ("line", "{\"line\":\"r1\",\"s\":\"in_handling\"}".into()),
            ("line", "{\"line\":\"r2\",\"s\":\"answered\"}".into()),
        ]
    );
    assert_eq!(lines("2026-03-03", "2026-12-31"), []);
    assert_eq!(lines("2026-01-01", "2026-03-01"), []);
    let t6 = t.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        let mut r = row("r2", Some("2026-0002"), "answered", Some("2026-04-01"), &["d2"]);
        (r.version, r.line) = (2, None);
        tx.update_record(&t6, &r, 1)
    })
    .unwrap();
    assert_eq!(
        lines("2026-01-01", "2026-12-31"),
        [
            ("data", "{\"id\":\"r2\"}".into()),
            ("data", "{\"id\":\"r3\"}".into()),
            ("line", "{\"line\":\"r1\",\"s\":\"in_handling\"}".into()),
        ]
    );

    // One-use links: found by the hash of the secret, used once.
    let link = LinkRecord {
        id: "lnk1".into(),
        tenant: t.clone(),
        kind: "suggestion".into(),
        record_id: "r2".into(),
        deputy_id: "d2".into(),
        round: 1,
        created_at: Utc::now(),
        expires_on: "2026-05-12".into(),
        used_at: None,
    };
    let (l, t5) = (link.clone(), t.clone());
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_link(&l, "hash-of-secret")).unwrap();
    let found = read(store, |q| q.link_by_hash("hash-of-secret")).unwrap().unwrap();
    assert_eq!(found.deputy_id, "d2");
    assert_eq!(found.created_at.timestamp(), link.created_at.timestamp());
    let uses = write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<(bool, bool), StoreError> {
        Ok((tx.use_link(&t5, "lnk1", Utc::now())?, tx.use_link(&t5, "lnk1", Utc::now())?))
    })
    .unwrap();
    assert_eq!(uses, (true, false));
    assert!(read(store, |q| q.link_by_hash("hash-of-secret")).unwrap().unwrap().used_at.is_some());
    assert_eq!(read(store, |q| q.link_by_hash("other")).unwrap(), None);
}

#[test]
fn a_damaged_file_is_found_beside_the_service_and_turns_readiness_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = SqliteStore::open(&path, keys(), SqliteOptions::default()).unwrap();
        store.integrity_checked().unwrap();
        store.check().unwrap();
        let t = TenantId::parse("t1").unwrap();
        let t2 = t.clone();
        write_blocking(&store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", Utc::now())).unwrap();
        write_blocking(&store, move |tx: &mut dyn WriteTx| {
            for i in 0..2000 {
                tx.append(&t, record("e", &i.to_string()))?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }
    let (root, page_size): (i64, i64) = {
        let c = SqliteStore::raw_connection(&path).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        let root =
            c.query_row("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'", [], |r| r.get(0));
        (root.unwrap(), c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap())
    };
    // A disk fault overwrites the audit log's root page.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = ((root - 1) * page_size) as usize;
    bytes[at..at + page_size as usize].fill(0xFF);
    std::fs::write(&path, bytes).unwrap();
    let store = SqliteStore::open(&path, keys(), SqliteOptions::default()).expect("start-up does not wait");
    let found = store.integrity_checked();
    assert!(matches!(found, Err(StoreError::Corrupt(_))), "{found:?}");
    assert!(store.check().is_err(), "readiness is off");
    // A damaged store refuses writes until it is repaired, saying so (issue 13 item 5), and /readyz says why.
    let t = TenantId::parse("t1").unwrap();
    let refused =
        write_blocking(&store, move |tx: &mut dyn WriteTx| tx.append(&t, record("e", "x")).map(|_| ()));
    let outage = refused.as_ref().err().and_then(StoreError::outage);
    assert_eq!(outage, Some(liaison_store::Outage::Damaged), "{refused:?}");
    let r = store.readiness();
    assert!(!r.ready && r.integrity == "damaged", "{r:?}");
    assert!(
        r.reasons.iter().any(|n| n.code == "store.damaged" && n.message_zh.contains("从备份恢复")),
        "{r:?}"
    );
    // A backup of the damaged file fails its check, and leaves nothing behind (issue 13 item 1).
    let dest = dir.path().join("backup.db");
    let refused = store.backup_to(&dest);
    assert!(matches!(refused, Err(StoreError::Corrupt(_))), "{refused:?}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("t.db"))
        .collect();
    assert!(left.is_empty(), "no partial backup left: {left:?}");
}

/// Issue 13 item 2: a record whose bytes are damaged (not UTF-8) is named with its sequence number and
/// kind, and verification goes on to the end: an edit after it is still found.
#[test]
fn a_damaged_audit_record_is_named_and_the_records_after_it_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(&path, keys(), SqliteOptions::default()).unwrap();
    let t = TenantId::parse("t1").unwrap();
    let t2 = t.clone();
    write_blocking(&store, move |tx: &mut dyn WriteTx| {
        tx.insert_tenant(&t2, "x", Utc::now())?;
        for i in 0..12 {
            tx.append(&t2, record(&format!("e{i}"), &i.to_string()))?;
        }
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let c = SqliteStore::raw_connection(&path).unwrap();
    c.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET payload = CAST(X'7B226B223A22FF227D' AS TEXT) WHERE seq = 4;
         UPDATE audit_log SET actor_name = '某人' WHERE seq = 9;",
    )
    .unwrap();
    drop(c);
    let report = store.verify_audit().unwrap();
    assert_eq!(report.records, 12, "every record was read");
    assert_eq!(report.breaks.len(), 2, "{:?}", report.breaks);
    let damaged = &report.breaks[0];
    assert_eq!((damaged.seq, damaged.kind.as_str()), (4, "e3"));
    let Problem::Unreadable { reason } = &damaged.problem else { panic!("{:?}", damaged.problem) };
    assert!(reason.contains("payload"), "{reason}");
    assert!(damaged.problem.describe().contains("无法读取"));
    assert_eq!((report.breaks[1].seq, &report.breaks[1].problem), (9, &Problem::Edited));
}

fn bulky(i: usize) -> NewRecord {
    NewRecord {
        payload: serde_json::json!({"i": i, "text": "备".repeat(150)}).to_string(),
        ..record("e", &i.to_string())
    }
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Issue 13 item 1: a backup while a writer commits without pause finishes (one snapshot, not a copy that
/// restarts on every write), is checked, private (0600), restores, and its chain verifies.
#[test]
fn a_backup_under_steady_writes_finishes_as_one_checked_private_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = Arc::new(SqliteStore::open(&path, keys(), SqliteOptions::default()).unwrap());
    let t = TenantId::parse("t1").unwrap();
    let t2 = t.clone();
    write_blocking(&*store, move |tx: &mut dyn WriteTx| {
        tx.insert_tenant(&t2, "x", Utc::now())?;
        for i in 0..6000 {
            tx.append(&t2, bulky(i))?;
        }
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writer = {
        let (store, stop, written, t) = (store.clone(), stop.clone(), written.clone(), t.clone());
        std::thread::spawn(move || {
            let mut i = 6000;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let t = t.clone();
                write_blocking(&*store, move |tx: &mut dyn WriteTx| tx.append(&t, bulky(i))).unwrap();
                written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                i += 1;
            }
        })
    };
    while written.load(std::sync::atomic::Ordering::SeqCst) < 20 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let dest = dir.path().join("backup.db");
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    {
        let (store, dest) = (store.clone(), dest.clone());
        std::thread::spawn(move || {
            let _ = done_tx.send(store.backup_to(&dest).map_err(|e| e.to_string()));
        });
    }
    let before = written.load(std::sync::atomic::Ordering::SeqCst);
    let report = done_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the backup finishes while the writer keeps committing")
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    writer.join().unwrap();
    assert!(written.load(std::sync::atomic::Ordering::SeqCst) > before, "the writer was not held up");
    assert!(report.ok(), "{:?}", report.breaks);
    assert!(report.records > 6000, "{}", report.records);
    #[cfg(unix)]
    assert_eq!(mode(&dest), 0o600);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    names.sort();
    assert_eq!(names, ["backup.db", "t.db", "t.db-shm", "t.db-wal"], "one self-contained file, no leftovers");

    let restored = dir.path().join("restored.db");
    SqliteStore::restore(&dest, &restored).unwrap();
    let copy = SqliteStore::open(&restored, keys(), SqliteOptions::default()).unwrap();
    copy.integrity_checked().unwrap();
    let again = copy.verify_audit().unwrap();
    assert!(again.ok(), "{:?}", again.breaks);
    assert_eq!(again.records, report.records, "the restored database is the snapshot");
    assert!(
        matches!(store.backup_to(&dest), Err(StoreError::Taken(_))),
        "an existing file is never replaced"
    );
}

/// Issue 12 item 13: the database, its WAL and shared-memory files, a backup and a restored database are
/// private (0600) under umask 022. The test runs itself again under that umask (set by the shell: the
/// crate has no unsafe code to call umask).
#[cfg(unix)]
#[test]
fn database_files_and_backups_are_private_under_umask_022() {
    const NAME: &str = "database_files_and_backups_are_private_under_umask_022";
    if std::env::var_os("LIAISON_UMASK_CHILD").is_none() {
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 022 && exec \"$0\" --exact \"$1\" --test-threads 1")
            .arg(exe)
            .arg(NAME)
            .env("LIAISON_UMASK_CHILD", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("1 passed"),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"").unwrap();
    assert_eq!(mode(&probe), 0o644, "the umask is 022 here");
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(&path, keys(), SqliteOptions::default()).unwrap();
    let t = TenantId::parse("t1").unwrap();
    write_blocking(&store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t, "x", Utc::now())).unwrap();
    for f in ["t.db", "t.db-wal", "t.db-shm"] {
        assert_eq!(mode(&dir.path().join(f)), 0o600, "{f}");
    }
    let backup = dir.path().join("backup.db");
    store.backup_to(&backup).unwrap();
    assert_eq!(mode(&backup), 0o600, "backup");
    let restored = dir.path().join("restored.db");
    SqliteStore::restore(&backup, &restored).unwrap();
    assert_eq!(mode(&restored), 0o600, "restored");
}

fn wal_size(db: &std::path::Path) -> u64 {
    let mut p = db.as_os_str().to_owned();
    p.push("-wal");
    std::fs::metadata(std::path::PathBuf::from(p)).map(|m| m.len()).unwrap_or(0)
}

/// Issue 13 item 6: the WAL never keeps the size of the largest transaction it held. At its next reset it
/// is cut back to `journal_size_limit`; a large job truncates it as soon as its transaction ends.
#[test]
fn the_write_ahead_log_shrinks_after_a_large_job() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let options = SqliteOptions { wal_limit_mib: 1, ..Default::default() };
    let store = SqliteStore::open(&path, keys(), options).unwrap();
    let t = TenantId::parse("t1").unwrap();
    let t2 = t.clone();
    write_blocking(&store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", Utc::now())).unwrap();
    let big = |from: usize| {
        let t = t.clone();
        move |tx: &mut dyn WriteTx| {
            for i in from..from + 6000 {
                tx.append(&t, bulky(i))?;
            }
            Ok::<_, StoreError>(())
        }
    };
    // An ordinary job, then the next one: the log is reset and cut back to the limit.
    write_blocking(&store, big(0)).unwrap();
    assert!(wal_size(&path) > 1024 * 1024, "the test's job is larger than the limit");
    let t3 = t.clone();
    write_blocking(&store, move |tx: &mut dyn WriteTx| tx.append(&t3, record("small", "1"))).unwrap();
    assert!(wal_size(&path) <= 1024 * 1024, "WAL {} bytes", wal_size(&path));
    // A large job: truncated as soon as it is done.
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(liaison_store::write_large_async(&store, big(6001))).unwrap();
    assert_eq!(wal_size(&path), 0);
    assert_eq!(store.verify_audit().unwrap().records, 12001);
}
