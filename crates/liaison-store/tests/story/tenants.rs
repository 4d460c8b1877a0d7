//! The tree of procuratorates (schema v13, issue 20) on SQLite and on PostgreSQL (`LIAISON_TEST_POSTGRES`
//! makes the PostgreSQL run required): a tenant keeps its level and parent, an unplaced one is placed once,
//! an id is used once, and a parent must be a real tenant; a deputy's links across registers (v14).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use liaison_core::ids::DeputyId;
use liaison_core::ids::TenantId;
use liaison_core::registry::{Deputy, DeputyInput, DeputyLevel, duplicate_keys};
use liaison_core::tenant::{Tenant, TenantLevel};
use liaison_store::postgres::{PgOptions, PgStore};
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::testing::TestDatabase;
use liaison_store::{
    DeputyKeys, DeputyLinkRecord, Keys, SameIdElsewhere, Store, StoreError, TenantRecord, WriteTx, read,
    write_blocking,
};

fn stores() -> Vec<(Arc<dyn Store>, Box<dyn std::any::Any>)> {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::from_master(&[7; 32]);
    let sqlite = SqliteStore::open(&dir.path().join("t.db"), keys, SqliteOptions::default()).unwrap();
    let mut out: Vec<(Arc<dyn Store>, Box<dyn std::any::Any>)> = vec![(Arc::new(sqlite), Box::new(dir))];
    if let Some(db) = TestDatabase::create("the tenants story").unwrap() {
        let pg = PgStore::open(&db.url, Keys::from_master(&[7; 32]), PgOptions::default()).unwrap();
        out.push((Arc::new(pg), Box::new(db)));
    }
    out
}

fn id(s: &str) -> TenantId {
    TenantId::parse(s).unwrap()
}

fn rec(i: &str, name: &str, level: TenantLevel, parent: Option<&str>) -> TenantRecord {
    TenantRecord {
        tenant: Tenant { id: id(i), name: name.into(), level: Some(level), parent: parent.map(id) },
        created_at: Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap(),
    }
}

#[test]
fn tenants_story_on_both_backends() {
    for (store, _keep) in stores() {
        eprintln!("tenants story on {}", store.describe());
        story(&*store);
    }
}

fn story(store: &dyn Store) {
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    assert!(store.schema_version().unwrap() >= 13, "schema v13 or later");
    // The single procuratorate, made as before v13: unplaced.
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.insert_tenant(&TenantId::single(), "人民检察院", at)
    })
    .unwrap();
    let tree = [
        rec("zj", "浙江省人民检察院", TenantLevel::Province, None),
        rec("hz", "杭州市人民检察院", TenantLevel::City, Some("zj")),
    ];
    for r in tree.clone() {
        write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_tenant_record(&r)).unwrap();
    }
    let all = read(store, |q| q.tenants()).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(
        all[0].tenant,
        Tenant { id: TenantId::single(), name: "人民检察院".into(), level: None, parent: None }
    );
    assert_eq!(all[1], tree[1]);
    assert_eq!(all[2], tree[0]);

    // An id is used once; a parent must exist (the database's own check, under the core's rules).
    let again = rec("hz", "另一个", TenantLevel::City, Some("zj"));
    let taken = write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_tenant_record(&again));
    assert!(matches!(taken, Err(StoreError::Taken(_))), "{taken:?}");
    let orphan = rec("xh", "西湖区人民检察院", TenantLevel::County, Some("nowhere"));
    assert!(write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_tenant_record(&orphan)).is_err());

    // Placed once; a second placement is a conflict and changes nothing.
    let place = |parent: &'static str| {
        write_blocking(store, move |tx: &mut dyn WriteTx| {
            tx.place_tenant(&TenantId::single(), TenantLevel::County, Some(&id(parent)))
        })
    };
    place("hz").unwrap();
    assert!(matches!(place("zj"), Err(StoreError::Conflict { .. })));
    let placed = read(store, |q| q.tenants()).unwrap().remove(0).tenant;
    assert_eq!((placed.level, placed.parent), (Some(TenantLevel::County), Some(id("hz"))));
    links(store);
}

/// A deputy with an ID number at `level`, and its duplicate keys under the store's keys.
fn deputy(store: &dyn Store, level: &str, id_number: &str) -> (Deputy, DeputyKeys) {
    let input = DeputyInput {
        name: "林建国".into(),
        gender: "男".into(),
        level: level.into(),
        term: "16".into(),
        region: "西湖区".into(),
        id_number: id_number.into(),
        term_start: "2022-01-01".into(),
        ..Default::default()
    };
    let draft = input.parse().unwrap();
    let id_hash = Some(store.keys().lookup_hash("id_number", id_number));
    let keys = DeputyKeys { keys: duplicate_keys(&draft, id_hash.as_deref()), id_hash };
    let e = Deputy::register(draft, None, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    (Deputy::from_registered(DeputyId(uuid::Uuid::now_v7()), &e).unwrap(), keys)
}

/// Schema v14: the same ID number on another register is found by its keyed hash, with the other record's
/// tenant, id and level only; a link's sides are each in their own tenant, once.
fn links(store: &dyn Store) {
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
    let (county, ck) = deputy(store, "县", "330106197001010115");
    let (city, yk) = deputy(store, "市", "330106197001010115");
    let (other, ok) = deputy(store, "市", "330106197001010131");
    let (c, y) = (county.id, city.id);
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.insert_deputy(&TenantId::single(), &county, &ck)?;
        tx.insert_deputy(&id("hz"), &city, &yk)?;
        tx.insert_deputy(&id("zj"), &other, &ok)
    })
    .unwrap();
    let found = read(store, |q| q.same_id_elsewhere(&TenantId::single(), None)).unwrap();
    assert_eq!(
        found,
        vec![SameIdElsewhere {
            deputy: c,
            level: DeputyLevel::County,
            other_tenant: id("hz"),
            other_deputy: y,
            other_level: DeputyLevel::City,
        }]
    );
    assert_eq!(read(store, |q| q.same_id_elsewhere(&id("hz"), Some(y))).unwrap()[0].other_deputy, c);
    assert!(read(store, |q| q.same_id_elsewhere(&id("zj"), None)).unwrap().is_empty(), "another number");
    let side =
        |t: &str, d: DeputyId, l: DeputyLevel, ot: &str, od: DeputyId, ol: DeputyLevel| DeputyLinkRecord {
            tenant: id(t),
            deputy: d,
            level: l,
            other_tenant: id(ot),
            other_deputy: od,
            other_level: ol,
            basis: "same_id_number".into(),
            linked_at: at,
        };
    let mine = side("default", c, DeputyLevel::County, "hz", y, DeputyLevel::City);
    let theirs = side("hz", y, DeputyLevel::City, "default", c, DeputyLevel::County);
    let (m, t) = (mine.clone(), theirs.clone());
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.insert_deputy_link(&m)?;
        tx.insert_deputy_link(&t)
    })
    .unwrap();
    // Each tenant reads its own side only.
    assert_eq!(read(store, |q| q.deputy_links(&TenantId::single(), None)).unwrap(), vec![mine.clone()]);
    assert_eq!(read(store, |q| q.deputy_links(&id("hz"), Some(y))).unwrap(), vec![theirs]);
    assert!(read(store, |q| q.deputy_links(&id("hz"), Some(c))).unwrap().is_empty());
    assert!(read(store, |q| q.deputy_links(&id("zj"), None)).unwrap().is_empty());
    // A record has one link into each other register.
    let again = write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_deputy_link(&mine));
    assert!(matches!(again, Err(StoreError::Taken(_))), "{again:?}");
}
