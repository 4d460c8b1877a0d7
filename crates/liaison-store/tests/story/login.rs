//! The staff login's rows (schema v7) on SQLite and on PostgreSQL (`LIAISON_TEST_POSTGRES` makes the
//! PostgreSQL run required): credentials saved at a version, locked accounts listed, sessions found by
//! their secret's hash, saved, never reopened, and revoked together.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use liaison_core::account::AccountKind;
use liaison_core::ids::{TenantId, UserId};
use liaison_core::login::{EndReason, Guard, Session, Stage};
use liaison_store::postgres::{PgOptions, PgStore};
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::testing::TestDatabase;
use liaison_store::{
    CredentialRecord, Keys, RecoveryCode, SessionRecord, Store, StoreError, UserRecord, WriteTx, read,
    write_blocking,
};

fn stores() -> Vec<(Arc<dyn Store>, Box<dyn std::any::Any>)> {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::from_master(&[5; 32]);
    let sqlite = SqliteStore::open(&dir.path().join("t.db"), keys, SqliteOptions::default()).unwrap();
    let mut out: Vec<(Arc<dyn Store>, Box<dyn std::any::Any>)> = vec![(Arc::new(sqlite), Box::new(dir))];
    if let Some(db) = TestDatabase::create("the login story").unwrap() {
        let pg = PgStore::open(&db.url, Keys::from_master(&[5; 32]), PgOptions::default()).unwrap();
        out.push((Arc::new(pg), Box::new(db)));
    }
    out
}

#[test]
fn login_story_on_both_backends() {
    for (store, _keep) in stores() {
        eprintln!("login story on {}", store.describe());
        story(&*store);
    }
}

fn story(store: &dyn Store) {
    let t = TenantId::parse("t1").unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let user = UserRecord {
        tenant: t.clone(),
        id: UserId(uuid::Uuid::now_v7()),
        login: "office".into(),
        display_name: "联络室".into(),
        roles: vec![liaison_core::access::Role::Office],
        active: true,
        created_at: at,
        deputy: None,
        department: None,
        kind: AccountKind::Person,
        pending: None,
        grant: Default::default(),
        version: 1,
    };
    let (u, tn) = (user.clone(), t.clone());
    write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        tx.insert_tenant(&tn, "测试院", at)?;
        tx.insert_user(&u)
    })
    .unwrap();

    // Credentials: inserted at version 0, updated at the version read; a stale write changes nothing.
    assert_eq!(read(store, |q| q.credentials(&t, user.id)).unwrap(), None);
    let mut c = CredentialRecord::empty(t.clone(), user.id);
    c.password_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
    c.password_set_at = Some(at);
    c.totp_secret = Some("0a0b0c".into());
    c.totp_enrolled_at = Some(at);
    c.guard = Guard { failures: 2, locked_until: None, last_step: Some(59_000_000) };
    c.recovery = vec![
        RecoveryCode { hash: "h1".into(), used_at: None },
        RecoveryCode { hash: "h2".into(), used_at: Some(at) },
    ];
    let c1 = c.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_credentials(&c1, 0)).unwrap();
    let stored = read(store, |q| q.credentials(&t, user.id)).unwrap().unwrap();
    assert_eq!(stored, CredentialRecord { version: 1, ..c.clone() });

    let mut locked = stored.clone();
    locked.guard =
        Guard { failures: 0, locked_until: Some(at + Duration::minutes(15)), last_step: Some(59_000_001) };
    let l = locked.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_credentials(&l, 1)).unwrap();
    let l = locked.clone();
    let stale = write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_credentials(&l, 1));
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    let found = read(store, |q| q.guarded_credentials(&t, at + Duration::minutes(14))).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].guard, locked.guard);
    assert!(read(store, |q| q.guarded_credentials(&t, at + Duration::minutes(15))).unwrap().is_empty());

    // Sessions: found by the hash of their secret only; saved; ended together; never reopened.
    let session = |id: &str, stage| SessionRecord {
        id: id.into(),
        tenant: t.clone(),
        user: user.id,
        csrf: format!("csrf-{id}"),
        state: Session::begin(stage, at),
    };
    let (s1, s2) = (session("s1", Stage::Code), session("s2", Stage::Enrol));
    let (a, b) = (s1.clone(), s2.clone());
    write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        tx.insert_session(&a, "hash-s1")?;
        tx.insert_session(&b, "hash-s2")
    })
    .unwrap();
    assert_eq!(read(store, |q| q.session_by_hash("hash-s1")).unwrap(), Some(s1.clone()));
    assert_eq!(read(store, |q| q.session_by_hash("s1")).unwrap(), None, "the id is not the secret");
    let mut active = s1.clone();
    active.state.stage = Stage::Active;
    active.state.last_seen = at + Duration::minutes(1);
    active.state.authenticated_at = at + Duration::minutes(1);
    let a = active.clone();
    assert!(write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_session(&a)).unwrap());
    assert_eq!(read(store, |q| q.session_by_hash("hash-s1")).unwrap(), Some(active.clone()));
    assert_eq!(read(store, |q| q.open_sessions(&t, user.id)).unwrap().len(), 2);

    let (tn, uid) = (t.clone(), user.id);
    let ended = write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.end_user_sessions(&tn, uid, at + Duration::minutes(2), EndReason::PasswordChanged)
    })
    .unwrap();
    assert_eq!(ended, ["s1", "s2"]);
    assert!(read(store, |q| q.open_sessions(&t, user.id)).unwrap().is_empty());
    let s = read(store, |q| q.session_by_hash("hash-s1")).unwrap().unwrap();
    assert_eq!(s.state.ended, Some((at + Duration::minutes(2), EndReason::PasswordChanged)));
    let a = active.clone();
    assert!(!write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_session(&a)).unwrap(), "not reopened");
    assert_eq!(read(store, |q| q.session_by_hash("hash-s1")).unwrap().unwrap().state.ended, s.state.ended);
}
