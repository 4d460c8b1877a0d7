//! A PostgreSQL primary fenced for a switchover (`default_transaction_read_only`, issue 20): a write that
//! meets a read-only session fails, and the store reports itself not ready until a write succeeds again —
//! it reported ready for a moment (the transaction's COMMIT went through, the failed job having been rolled
//! back to its savepoint, and health was noted as a success before the session was found read-only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use liaison_core::ids::TenantId;
use liaison_core::tenant::{Tenant, TenantLevel};
use liaison_store::postgres::{PgOptions, PgStore};
use liaison_store::testing::TestDatabase;
use liaison_store::{Keys, Store, StoreError, TenantRecord, WriteTx, write_blocking};

fn add(store: &PgStore, n: u32) -> Result<(), StoreError> {
    let tenant = Tenant {
        id: TenantId::parse(&format!("t{n}")).unwrap(),
        name: format!("第{n}检察院"),
        level: Some(TenantLevel::Province),
        parent: None,
    };
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    write_blocking(store, move |tx: &mut dyn WriteTx| {
        tx.insert_tenant_record(&TenantRecord { tenant, created_at: at })
    })
}

/// Its sessions ended from outside: the pool's connections are gone, the next ones are new sessions.
fn end_sessions(db: &TestDatabase) {
    db.on_server("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()")
        .unwrap();
}

#[test]
fn a_write_on_a_fenced_primary_leaves_the_store_not_ready_until_a_write_succeeds() {
    let Some(db) = TestDatabase::create("the fenced primary's readiness").unwrap() else { return };
    let store = PgStore::open(&db.url, Keys::from_master(&[7; 32]), PgOptions::default()).unwrap();
    add(&store, 1).unwrap();
    assert!(store.readiness().ready, "{:?}", store.readiness().reasons);

    // Fenced: every new session is read-only.
    db.on_server("ALTER DATABASE {db} SET default_transaction_read_only = on").unwrap();
    end_sessions(&db);
    let tries: Vec<bool> = (2..5).map(|n| add(&store, n).is_ok()).collect();
    assert_eq!(tries, [false, false, false], "a fenced primary took a write");
    let r = store.readiness();
    assert!(!r.ready, "ready on a fenced primary");
    assert!(r.reasons.iter().any(|x| x.code == "store.last_write_failed"), "{:?}", r.reasons);

    // Unfenced: the next write that succeeds makes it ready again.
    db.on_server("ALTER DATABASE {db} RESET default_transaction_read_only").unwrap();
    end_sessions(&db);
    let ok = (5..9).any(|n| add(&store, n).is_ok());
    assert!(ok, "no write succeeded once unfenced");
    assert!(store.readiness().ready, "{:?}", store.readiness().reasons);
}
