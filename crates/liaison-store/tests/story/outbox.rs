//! The transactional outbox (schema v9, issue 17) on SQLite and on PostgreSQL (`LIAISON_TEST_POSTGRES`
//! makes the PostgreSQL run required): a message exists iff its transaction committed, its dedup key
//! queues it once, the worker's claim leases due messages (PostgreSQL: two claims at once take different
//! ones), a delivery is saved at the version read, and an inbox message is marked read by its recipient only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use liaison_core::ids::{TenantId, UserId};
use liaison_core::message::{
    DeliveryCommand, DeliveryState, MessageChannel, Outcome, Recipient, RetryPolicy,
};
use liaison_store::postgres::{PgOptions, PgStore};
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::testing::TestDatabase;
use liaison_store::{Keys, MessageQuery, NewMessage, Store, StoreError, WriteTx, read, write_blocking};

fn stores() -> Vec<(Arc<dyn Store>, Box<dyn std::any::Any>)> {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::from_master(&[6; 32]);
    let sqlite = SqliteStore::open(&dir.path().join("t.db"), keys, SqliteOptions::default()).unwrap();
    let mut out: Vec<(Arc<dyn Store>, Box<dyn std::any::Any>)> = vec![(Arc::new(sqlite), Box::new(dir))];
    if let Some(db) = TestDatabase::create("the outbox story").unwrap() {
        let pg = PgStore::open(&db.url, Keys::from_master(&[6; 32]), PgOptions::default()).unwrap();
        out.push((Arc::new(pg), Box::new(db)));
    }
    out
}

fn message(user: UserId, dedup: &str, at: DateTime<Utc>) -> NewMessage {
    NewMessage {
        id: uuid::Uuid::now_v7().to_string(),
        kind: "suggestion.assigned".into(),
        channel: MessageChannel::Inbox,
        recipient: Recipient::User(user),
        subject: "新交办建议".into(),
        body: "请办理".into(),
        template: Some("suggestion.assigned".into()),
        params: Some("{}".into()),
        item_type: "suggestion".into(),
        item_id: "s1".into(),
        dedup_key: dedup.into(),
        created_at: at,
        not_before: None,
    }
}

#[test]
fn outbox_story_on_both_backends() {
    for (store, _keep) in stores() {
        eprintln!("outbox story on {}", store.describe());
        story(&*store);
    }
}

fn story(store: &dyn Store) {
    let t = TenantId::parse("t1").unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let user = UserId(uuid::Uuid::now_v7());
    let tn = t.clone();
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.insert_tenant(&tn, "测试院", at)).unwrap();

    // Committed: the message is there. Rolled back (the job fails after queuing): none.
    let (m1, tn) = (message(user, "k1", at), t.clone());
    assert!(write_blocking(store, move |tx: &mut dyn WriteTx| tx.enqueue_message(&tn, &m1)).unwrap());
    let (m2, tn) = (message(user, "k2", at), t.clone());
    let failed = write_blocking(store, move |tx: &mut dyn WriteTx| -> Result<(), StoreError> {
        tx.enqueue_message(&tn, &m2)?;
        Err(StoreError::Corrupt("the event was refused".into()))
    });
    assert!(failed.is_err());
    let all = read(store, |q| q.messages(&t, &MessageQuery::default())).unwrap();
    assert_eq!(all.iter().map(|m| m.message.dedup_key.as_str()).collect::<Vec<_>>(), ["k1"]);

    // The same dedup key again: one message.
    let (m1b, tn) = (message(user, "k1", at), t.clone());
    assert!(!write_blocking(store, move |tx: &mut dyn WriteTx| tx.enqueue_message(&tn, &m1b)).unwrap());
    assert_eq!(read(store, |q| q.messages(&t, &MessageQuery::default())).unwrap().len(), 1);
    let stored = &all[0];
    assert_eq!((stored.delivery.state, stored.delivery.attempts), (DeliveryState::Queued, 0));
    assert_eq!(stored.message, message(user, "k1", at).with_id(&stored.message.id));

    // Claimed: leased (not claimable again before the lease ends), then claimable after it.
    let lease = at + Duration::minutes(5);
    let claim = |now, limit| {
        write_blocking(store, move |tx: &mut dyn WriteTx| {
            tx.claim_messages(now, now + Duration::minutes(5), limit, &[MessageChannel::Inbox])
        })
        .unwrap()
    };
    assert_eq!(claim(at - Duration::seconds(1), 10).len(), 0, "not due yet");
    let got = claim(at, 10);
    assert_eq!(got.len(), 1);
    assert_eq!(claim(at + Duration::seconds(1), 10).len(), 0, "leased");
    let again = claim(lease, 10);
    assert_eq!(again.len(), 1, "the lease lapsed: at least once");

    // A failed attempt saved at the version read; a stale save changes nothing.
    let m = &again[0];
    let (d, _) = m
        .delivery
        .handle(
            DeliveryCommand::Attempted(Outcome::Failed("网关超时".into())),
            lease,
            &RetryPolicy::default(),
        )
        .unwrap();
    let (tn, id, d1, v) = (t.clone(), m.message.id.clone(), d.clone(), m.delivery.version);
    assert!(write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_delivery(&tn, &id, &d1, v)).unwrap());
    let (tn, id, d1) = (t.clone(), m.message.id.clone(), d.clone());
    assert!(!write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_delivery(&tn, &id, &d1, v)).unwrap());
    let now = read(store, |q| q.message(&t, &m.message.id)).unwrap().unwrap();
    assert_eq!(now.delivery, d);
    let failed_q = MessageQuery { state: Some(DeliveryState::Queued), ..Default::default() };
    assert_eq!(read(store, |q| q.messages(&t, &failed_q)).unwrap().len(), 1);
    let item_q = MessageQuery { item: Some(("suggestion".into(), "s2".into())), ..Default::default() };
    assert!(read(store, |q| q.messages(&t, &item_q)).unwrap().is_empty());

    // Delivered, then read by its recipient only, once.
    let (d2, _) =
        d.handle(DeliveryCommand::Attempted(Outcome::Delivered), lease, &RetryPolicy::default()).unwrap();
    let (tn, id, d3, v) = (t.clone(), m.message.id.clone(), d2.clone(), d.version);
    assert!(write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_delivery(&tn, &id, &d3, v)).unwrap());
    let mark = |who: UserId| {
        let (tn, id) = (t.clone(), m.message.id.clone());
        write_blocking(store, move |tx: &mut dyn WriteTx| {
            tx.mark_message_read(&tn, &id, &Recipient::User(who), lease)
        })
        .unwrap()
    };
    assert!(!mark(UserId(uuid::Uuid::now_v7())), "someone else's message");
    assert!(mark(user));
    assert!(!mark(user), "read already");
    let read_q = MessageQuery { recipient: Some(Recipient::User(user)), unread: true, ..Default::default() };
    assert!(read(store, |q| q.messages(&t, &read_q)).unwrap().is_empty());

    // Several servers: two claims at once take different messages (PostgreSQL: SKIP LOCKED; SQLite: one
    // writer, one after the other).
    for i in 0..6 {
        let (mi, tn) = (message(user, &format!("many-{i}"), at), t.clone());
        write_blocking(store, move |tx: &mut dyn WriteTx| tx.enqueue_message(&tn, &mi)).unwrap();
    }
    let later = lease + Duration::hours(1);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| claim(later, 4));
        let b = s.spawn(|| claim(later, 4));
        (a.join().unwrap(), b.join().unwrap())
    });
    let mut ids: Vec<_> = a.iter().chain(&b).map(|m| m.message.id.clone()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!((ids.len(), n), (6, 6), "each due message claimed by one worker");
    // A worker without the e-mail channel claims none of its messages.
    let (mut mail, tn) = (message(user, "mail-1", at), t.clone());
    mail.channel = MessageChannel::Email;
    write_blocking(store, move |tx: &mut dyn WriteTx| tx.enqueue_message(&tn, &mail)).unwrap();
    assert!(claim(later, 10).is_empty(), "an inbox worker leaves the e-mail");
    contacts(store, &t, user, at);
}

/// Schema v10: a contact row with a sealed address (opened only by `contact_email`, masked in the row),
/// saved at its version, the address kept when left out and removed when asked.
fn contacts(store: &dyn Store, t: &TenantId, user: UserId, at: DateTime<Utc>) {
    use liaison_core::message::ContactPreference;
    use liaison_store::ContactRecord;
    let who = Recipient::User(user);
    assert_eq!(read(store, |q| q.contact(t, &who)).unwrap(), None, "the defaults");
    let c = ContactRecord {
        subject: who,
        prefer: ContactPreference::Email,
        opt_out: false,
        email_masked: Some("d***@example.cn".into()),
        updated_at: at,
        version: 1,
    };
    let save = |c: &ContactRecord, email: Option<Option<&'static str>>, expected: u64| {
        let (tn, c) = (t.clone(), c.clone());
        write_blocking(store, move |tx: &mut dyn WriteTx| tx.save_contact(&tn, &c, email, expected)).unwrap()
    };
    assert!(save(&c, Some(Some("dept1@example.cn")), 0));
    assert!(!save(&c, Some(Some("dept1@example.cn")), 0), "created once");
    assert_eq!(read(store, |q| q.contact(t, &who)).unwrap().as_ref(), Some(&c));
    assert_eq!(read(store, |q| q.contact_email(t, &who)).unwrap().as_deref(), Some("dept1@example.cn"));
    // The address is sealed in the row.
    let c2 = ContactRecord { opt_out: true, version: 2, ..c.clone() };
    assert!(save(&c2, None, 1), "the address kept");
    assert!(!save(&c2, None, 1), "stale");
    assert_eq!(read(store, |q| q.contact_email(t, &who)).unwrap().as_deref(), Some("dept1@example.cn"));
    assert!(
        read(store, |q| q.contact(t, &who)).unwrap().is_some_and(|x| x.opt_out && x.email_masked.is_some())
    );
    let c3 = ContactRecord { email_masked: None, version: 3, ..c2 };
    assert!(save(&c3, Some(None), 2), "the address removed");
    assert_eq!(read(store, |q| q.contact_email(t, &who)).unwrap(), None);
}

trait WithId {
    fn with_id(self, id: &str) -> Self;
}

impl WithId for NewMessage {
    fn with_id(mut self, id: &str) -> Self {
        id.clone_into(&mut self.id);
        self
    }
}
