//! A read is one snapshot (issue 19): every statement of one `Store::read` sees the database of one moment,
//! and a read that fails gives its connection back out of its transaction (a connection left inside one
//! would show every later read an old snapshot).

use liaison_core::ids::TenantId;
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::{StoreError, WriteTx, read, write_blocking};

#[test]
fn a_read_sees_one_moment_and_a_failed_read_leaves_no_transaction_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    // One pooled reader: every read below runs on the same connection.
    let store =
        SqliteStore::open(&path, super::keys(), SqliteOptions { readers: 1, ..Default::default() }).unwrap();
    let t = TenantId::parse("t1").unwrap();
    let t2 = t.clone();
    write_blocking(&store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&t2, "x", chrono::Utc::now()))
        .unwrap();
    // Another process writing meanwhile (the CLI, a second server): a plain connection to the same file.
    let other = rusqlite::Connection::open(&path).unwrap();
    let bump =
        || other.execute("UPDATE auth_epochs SET epoch = epoch + 1 WHERE tenant_id = 't1'", []).unwrap();

    let (first, second) = read(&store, |q| {
        let first = q.auth_epoch(&t)?;
        bump();
        Ok((first, q.auth_epoch(&t)?))
    })
    .unwrap();
    assert_eq!(first, second, "both statements of one read see the same moment");
    let now = read(&store, |q| q.auth_epoch(&t)).unwrap();
    assert_eq!(now, first.map(|e| e + 1), "the next read sees the write");

    // A read that fails half-way: its connection goes back out of the transaction.
    let failed = read(&store, |q| -> Result<(), StoreError> {
        q.auth_epoch(&t)?;
        Err(StoreError::Corrupt("a read that fails".into()))
    });
    assert!(matches!(failed, Err(StoreError::Corrupt(_))));
    bump();
    let after = read(&store, |q| q.auth_epoch(&t)).unwrap();
    assert_eq!(after, now.map(|e| e + 1), "the read after a failed one sees the latest write");
}
