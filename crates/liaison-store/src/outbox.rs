//! The transactional outbox (schema v9, issue 17), written once over the [`Exec`] seam for both backends:
//! a message is inserted in the transaction of the event that causes it (unique by its dedup key), claimed
//! by the delivery worker, and its delivery saved at the version read.
//!
//! The claim moves a due message's `next_attempt_at` past a lease and returns it, in one statement; on
//! PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so servers claiming at once take different
//! messages; SQLite has one writer. A worker that dies after its claim leaves the message to be claimed
//! again when the lease lapses: delivery is at least once.

use chrono::{DateTime, Utc};
use liaison_core::ids::TenantId;
use liaison_core::message::{Delivery, DeliveryState, MessageChannel, Recipient};

use crate::StoreError;
use crate::records::{Cell, Exec};
use crate::rows::{Param, parse_ts, ts};

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Its id (UUID v7).
    pub id: String,
    /// What it is about (`suggestion.assigned`).
    pub kind: String,
    /// The channel.
    pub channel: MessageChannel,
    /// Who it is for.
    pub recipient: Recipient,
    /// The subject.
    pub subject: String,
    /// The text.
    pub body: String,
    /// A template key, for channels that render their own text (SMS).
    pub template: Option<String>,
    /// The template's parameters, as JSON.
    pub params: Option<String>,
    /// The kind of the item it belongs to (`suggestion`).
    pub item_type: String,
    /// The item's id.
    pub item_id: String,
    /// Unique per tenant: the same event and recipient queue one message.
    pub dedup_key: String,
    /// When queued (the event's time).
    pub created_at: DateTime<Utc>,
    /// Not attempted before this time (quiet hours); none: at once. Read back as none (the delivery's
    /// `next_attempt_at` holds it).
    pub not_before: Option<DateTime<Utc>>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    /// Tenant.
    pub tenant: TenantId,
    /// What was queued.
    pub message: NewMessage,
    /// Its delivery.
    pub delivery: Delivery,
    /// When its recipient read it in the inbox.
    pub read_at: Option<DateTime<Utc>>,
}

/// Filters of a message list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageQuery {
    /// Only in this state.
    pub state: Option<DeliveryState>,
    /// Only of this item (type, id).
    pub item: Option<(String, String)>,
    /// Only for this recipient.
    pub recipient: Option<Recipient>,
    /// Only on this channel.
    pub channel: Option<MessageChannel>,
    /// Only delivered ones not read yet.
    pub unread: bool,
    /// Before this id (the next page).
    pub before: Option<String>,
    /// Page size (0: 100).
    pub limit: u32,
}

const COLUMNS: &str = "id, tenant_id, kind, channel, recipient_kind, recipient_id, subject, body, template, params, \
     item_type, item_id, dedup_key, state, attempts, next_attempt_at, last_error, created_at, sent_at, delivered_at, \
     read_at, version";

fn t(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn opt(v: &Option<String>) -> Param {
    v.as_ref().map_or(Param::Null, |v| Param::Text(v.clone()))
}

fn opt_ts(v: Option<DateTime<Utc>>) -> Param {
    v.map_or(Param::Null, |v| Param::Text(ts(v)))
}

fn cell_ts(c: &Cell) -> Result<Option<DateTime<Utc>>, StoreError> {
    c.opt_text().map(|s| parse_ts(&s)).transpose()
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("outbox {what}: {v}"))
}

fn record(r: &[Cell]) -> Result<MessageRecord, StoreError> {
    let text = |i: usize| r[i].text();
    let channel = text(3)?;
    let (rk, rid) = (text(4)?, text(5)?);
    let state = text(13)?;
    Ok(MessageRecord {
        tenant: TenantId::parse(&text(1)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        message: NewMessage {
            id: text(0)?,
            kind: text(2)?,
            channel: MessageChannel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
            recipient: Recipient::parse(&rk, &rid).ok_or_else(|| corrupt("recipient", &rk))?,
            subject: text(6)?,
            body: text(7)?,
            template: r[8].opt_text(),
            params: r[9].opt_text(),
            item_type: text(10)?,
            item_id: text(11)?,
            dedup_key: text(12)?,
            created_at: parse_ts(&text(17)?)?,
            not_before: None,
        },
        delivery: Delivery {
            state: DeliveryState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
            attempts: u32::try_from(r[14].int()?).map_err(|_| corrupt("attempts", "out of range"))?,
            next_attempt_at: parse_ts(&text(15)?)?,
            last_error: r[16].opt_text(),
            sent_at: cell_ts(&r[18])?,
            delivered_at: cell_ts(&r[19])?,
            version: r[21].int()? as u64,
        },
        read_at: cell_ts(&r[20])?,
    })
}

/// Queue a message; false when its dedup key was already queued (nothing written).
pub(crate) fn insert(db: &dyn Exec, tenant: &TenantId, m: &NewMessage) -> Result<bool, StoreError> {
    let d = Delivery::queued(m.not_before.unwrap_or(m.created_at).max(m.created_at));
    let n = db.exec(
        &format!(
            "INSERT INTO outbox ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
             $16, NULL, $17, NULL, NULL, NULL, $18) ON CONFLICT (tenant_id, dedup_key) DO NOTHING"
        ),
        &[
            t(&m.id),
            t(tenant.as_str()),
            t(&m.kind),
            t(m.channel.code()),
            t(m.recipient.kind()),
            t(&m.recipient.id()),
            t(&m.subject),
            t(&m.body),
            opt(&m.template),
            opt(&m.params),
            t(&m.item_type),
            t(&m.item_id),
            t(&m.dedup_key),
            t(d.state.code()),
            Param::Int(0),
            t(&ts(d.next_attempt_at)),
            t(&ts(m.created_at)),
            Param::Int(d.version as i64),
        ],
    )?;
    Ok(n > 0)
}

/// One message of a tenant.
pub(crate) fn message(
    db: &dyn Exec,
    tenant: &TenantId,
    id: &str,
) -> Result<Option<MessageRecord>, StoreError> {
    let rows = db.fetch(
        &format!("SELECT {COLUMNS} FROM outbox WHERE tenant_id = $1 AND id = $2"),
        &[t(tenant.as_str()), t(id.trim())],
    )?;
    rows.first().map(|r| record(r)).transpose()
}

/// A tenant's messages matching `q`, newest first.
pub(crate) fn messages(
    db: &dyn Exec,
    tenant: &TenantId,
    q: &MessageQuery,
) -> Result<Vec<MessageRecord>, StoreError> {
    let mut w = String::from("tenant_id = $1");
    let mut ps = vec![t(tenant.as_str())];
    let mut add = |w: &mut String, cond: &str, v: Param| {
        ps.push(v);
        w.push_str(&format!(" AND {cond} ${}", ps.len()));
    };
    if let Some(s) = q.state {
        add(&mut w, "state =", t(s.code()));
    }
    if let Some((kind, id)) = &q.item {
        add(&mut w, "item_type =", t(kind));
        add(&mut w, "item_id =", t(id));
    }
    if let Some(r) = &q.recipient {
        add(&mut w, "recipient_kind =", t(r.kind()));
        add(&mut w, "recipient_id =", t(&r.id()));
    }
    if let Some(c) = q.channel {
        add(&mut w, "channel =", t(c.code()));
    }
    if let Some(b) = &q.before {
        add(&mut w, "id <", t(b));
    }
    if q.unread {
        w.push_str(" AND read_at IS NULL");
    }
    let limit = if q.limit == 0 { 100 } else { q.limit.min(1000) };
    let rows =
        db.fetch(&format!("SELECT {COLUMNS} FROM outbox WHERE {w} ORDER BY id DESC LIMIT {limit}"), &ps)?;
    rows.iter().map(|r| record(r)).collect()
}

/// Claim up to `limit` due messages of `channels` (those the worker can send) of every tenant: each is moved to `lease_until` (so no other worker
/// takes it meanwhile) and returned as it was before the claim. `skip_locked` on PostgreSQL.
pub(crate) fn claim(
    db: &dyn Exec,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
    channels: &[MessageChannel],
    skip_locked: bool,
) -> Result<Vec<MessageRecord>, StoreError> {
    let lock = if skip_locked { " FOR UPDATE SKIP LOCKED" } else { "" };
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    // The codes are the core's constants, never input.
    let of: Vec<String> = channels.iter().map(|c| format!("'{}'", c.code())).collect();
    let due = db.fetch(
        &format!(
            "SELECT {COLUMNS} FROM outbox WHERE state = 'queued' AND next_attempt_at <= $1 AND channel IN ({})
             ORDER BY next_attempt_at, id LIMIT {limit}{lock}",
            of.join(", ")
        ),
        &[t(&ts(now))],
    )?;
    let mut out = Vec::with_capacity(due.len());
    for r in &due {
        let m = record(r)?;
        db.exec(
            "UPDATE outbox SET next_attempt_at = $1 WHERE tenant_id = $2 AND id = $3 AND version = $4",
            &[
                t(&ts(lease_until)),
                t(m.tenant.as_str()),
                t(&m.message.id),
                Param::Int(m.delivery.version as i64),
            ],
        )?;
        out.push(m);
    }
    Ok(out)
}

/// Save a message's delivery, if it is still at version `expected`; false when someone moved it meanwhile.
pub(crate) fn save_delivery(
    db: &dyn Exec,
    tenant: &TenantId,
    id: &str,
    d: &Delivery,
    expected: u64,
) -> Result<bool, StoreError> {
    let n = db.exec(
        "UPDATE outbox SET state = $3, attempts = $4, next_attempt_at = $5, last_error = $6, sent_at = $7,
             delivered_at = $8, version = $9
         WHERE tenant_id = $1 AND id = $2 AND version = $10",
        &[
            t(tenant.as_str()),
            t(id),
            t(d.state.code()),
            Param::Int(i64::from(d.attempts)),
            t(&ts(d.next_attempt_at)),
            opt(&d.last_error),
            opt_ts(d.sent_at),
            opt_ts(d.delivered_at),
            Param::Int(d.version as i64),
            Param::Int(expected as i64),
        ],
    )?;
    Ok(n > 0)
}

/// Mark a delivered inbox message for `recipient` read; false when there is none (or it was read already).
pub(crate) fn mark_read(
    db: &dyn Exec,
    tenant: &TenantId,
    id: &str,
    recipient: &Recipient,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = db.exec(
        "UPDATE outbox SET read_at = $5
         WHERE tenant_id = $1 AND id = $2 AND channel = 'inbox' AND recipient_kind = $3 AND recipient_id = $4
           AND state = 'delivered' AND read_at IS NULL",
        &[t(tenant.as_str()), t(id.trim()), t(recipient.kind()), t(&recipient.id()), t(&ts(at))],
    )?;
    Ok(n > 0)
}
