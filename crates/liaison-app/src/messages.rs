//! Outgoing messages (issue 17): what is queued with which event, the delivery list the office and the
//! system administrator read, a retry (audited with who, when and why), and an account's own inbox.
//!
//! A message is queued by `Runner::queue` (`outgoing`) in the transaction of the event that causes it, so it exists
//! iff the event committed. Its dedup key names the event (the item, its version after the event, what
//! happened) and the recipient: the same event queued twice is one message. The worker that delivers it
//! is `delivery`.

use liaison_core::access::Action;
use liaison_core::message::{DeliveryCommand, DeliveryState, MessageChannel, Recipient};
use liaison_store::{MessageQuery, MessageRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, Principal, record};

/// The aggregate type of a message's audit records.
pub(crate) const MESSAGE: &str = "message";

/// One message as the delivery list shows it: its state, never its text (the system administrator reads
/// this list and sees no deputy's data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    /// Id.
    pub id: String,
    /// What it is about (`suggestion.assigned`).
    pub kind: String,
    /// `inbox` (`email`, `sms` later).
    pub channel: String,
    /// `user` or `deputy`.
    pub recipient_kind: String,
    /// The recipient's id.
    pub recipient_id: String,
    /// The recipient's name, when the reader may see it (an account's display name; a deputy's name for
    /// the office).
    pub recipient_name: Option<String>,
    /// The item it belongs to, as `KIND:ID`.
    pub item: String,
    /// `queued`, `sent`, `delivered`, `failed`.
    pub state: String,
    /// The state in Chinese.
    pub state_zh: String,
    /// Failed attempts since it was (re-)queued.
    pub attempts: u32,
    /// The next attempt (queued only).
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Queued at.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Handed over at.
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Arrived at.
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Changes so far.
    pub version: u64,
}

/// One message of an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InboxItem {
    /// Id.
    pub id: String,
    /// What it is about.
    pub kind: String,
    /// The subject.
    pub subject: String,
    /// The text.
    pub body: String,
    /// The item it belongs to, as `KIND:ID`.
    pub item: String,
    /// When it arrived.
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was read (none: unread).
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Filters of the delivery list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MessageFilter {
    /// Only in this state (`queued`, `sent`, `delivered`, `failed`).
    pub state: Option<String>,
    /// Only of this item, `KIND:ID` (`suggestion:0190…`).
    pub item: Option<String>,
    /// Before this message id (the next page).
    pub before: Option<String>,
    /// Page size (default 100, at most 1000).
    pub limit: Option<u32>,
}

fn bad(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![liaison_core::FieldError {
        field: field.to_owned(),
        code,
        message_zh: zh.to_owned(),
        message_en: en.to_owned(),
    }])
}

impl MessageFilter {
    fn query(&self) -> Result<MessageQuery, AppError> {
        let state = match self.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(DeliveryState::parse(s).ok_or_else(|| {
                bad(
                    "state",
                    "message.bad_state",
                    "状态应为 queued、sent、delivered 或 failed",
                    "state must be queued, sent, delivered or failed",
                )
            })?),
        };
        let item = match self.item.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                s.split_once(':')
                    .filter(|(k, i)| !k.is_empty() && !i.is_empty())
                    .map(|(k, i)| (k.to_owned(), i.to_owned()))
                    .ok_or_else(|| {
                        bad("item", "message.bad_item", "事项应写作 类型:编号", "item must be KIND:ID")
                    })?,
            ),
        };
        Ok(MessageQuery {
            state,
            item,
            before: self.before.clone(),
            limit: self.limit.unwrap_or(100),
            ..Default::default()
        })
    }
}

fn item_of(m: &MessageRecord) -> String {
    format!("{}:{}", m.message.item_type, m.message.item_id)
}

impl App {
    /// The delivery list (the office and the system administrator): each message's state, attempts and
    /// last error, never its text.
    pub fn messages(&self, p: &Principal, filter: &MessageFilter) -> Result<Vec<MessageView>, AppError> {
        p.require(Action::ManageDelivery)?;
        let mut q = filter.query()?;
        // A suggestion may be named by its number (`suggestion:2026-0001`).
        if let Some((kind, id)) = &mut q.item
            && uuid::Uuid::parse_str(id).is_err()
            && let Some(r) = self.read(|s| s.record_by_number(&p.tenant, kind, id))?
        {
            *id = r.id;
        }
        let (rows, users) = self.read(|s| Ok((s.messages(&p.tenant, &q)?, s.users(&p.tenant)?)))?;
        let deputy_names = p.may(Action::ReadRegistry);
        rows.iter()
            .map(|m| {
                let name = match m.message.recipient {
                    Recipient::User(u) => users.iter().find(|x| x.id == u).map(|x| x.display_name.clone()),
                    Recipient::Deputy(d) if deputy_names => {
                        self.read(|s| s.deputy_summary(&p.tenant, d))?.map(|x| x.name.as_str().to_owned())
                    }
                    Recipient::Deputy(_) => None,
                };
                Ok(view(m, name))
            })
            .collect()
    }

    /// Put a failed message back in the queue (the office and the system administrator), with a reason,
    /// refused as stale when the caller saw another version (`expected`): audited as `message.requeued`
    /// with who, when and why.
    pub async fn retry_message(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        reason: Option<String>,
    ) -> Result<MessageView, AppError> {
        p.require(Action::ManageDelivery)?;
        if reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(bad(
                "reason",
                "message.reason_required",
                "重新发送须写明原因",
                "a retry needs a reason",
            ));
        }
        let (tenant, id, policy) = (p.tenant.clone(), id.trim().to_owned(), self.retry_policy());
        self.change(p, reason, move |run| {
            let m = run
                .q()
                .message(&tenant, &id)?
                .ok_or_else(|| AppError::NotFound { what: MESSAGE, id: id.clone() })?;
            crate::runner::expect_version(MESSAGE, &id, m.delivery.version, expected)?;
            let at = run.meta().at;
            let (next, events) =
                m.delivery.handle(DeliveryCommand::Retry, at, &policy).map_err(AppError::rule)?;
            if !run.tx().save_delivery(&tenant, &id, &next, m.delivery.version)? {
                // Read in this transaction, changed before it wrote: the worker moved it meanwhile.
                return Err(AppError::from(liaison_store::StoreError::Conflict {
                    what: MESSAGE,
                    id: id.clone(),
                    actual: m.delivery.version + 1,
                    expected: m.delivery.version,
                }));
            }
            for e in &events {
                let r = record(run.meta(), e.kind(), MESSAGE, &id, e);
                run.tx().append(&tenant, r)?;
            }
            Ok(view(&MessageRecord { delivery: next, ..m }, None))
        })
        .await
    }

    /// The caller's own inbox: the delivered in-app messages for its account (and, for a deputy's account,
    /// those for its deputy), newest first.
    pub fn inbox(&self, p: &Principal, unread: bool) -> Result<Vec<InboxItem>, AppError> {
        p.require(Action::ReadInbox)?;
        let mut rows = Vec::new();
        for recipient in recipients(p) {
            let q = MessageQuery {
                state: Some(DeliveryState::Delivered),
                recipient: Some(recipient),
                channel: Some(MessageChannel::Inbox),
                unread,
                limit: 200,
                ..Default::default()
            };
            rows.extend(self.read(|s| s.messages(&p.tenant, &q))?);
        }
        rows.sort_by(|a, b| b.message.id.cmp(&a.message.id));
        Ok(rows
            .iter()
            .map(|m| InboxItem {
                id: m.message.id.clone(),
                kind: m.message.kind.clone(),
                subject: m.message.subject.clone(),
                body: m.message.body.clone(),
                item: item_of(m),
                delivered_at: m.delivery.delivered_at,
                read_at: m.read_at,
            })
            .collect())
    }

    /// Mark a message of the caller's own inbox read; another's message is not found.
    pub async fn mark_read(&self, p: &Principal, id: &str) -> Result<(), AppError> {
        p.require(Action::ReadInbox)?;
        let (tenant, id, who) = (p.tenant.clone(), id.trim().to_owned(), recipients(p));
        let at = self.now();
        self.write(move |tx| {
            let m = tx.message(&tenant, &id)?.filter(|m| {
                who.contains(&m.message.recipient)
                    && m.message.channel == MessageChannel::Inbox
                    && m.delivery.state == DeliveryState::Delivered
            });
            let Some(m) = m else { return Err(AppError::NotFound { what: MESSAGE, id }) };
            if m.read_at.is_none() {
                tx.mark_message_read(&tenant, &id, &m.message.recipient, at)?;
            }
            Ok(())
        })
        .await
    }
}

/// Whom the caller's inbox holds messages for: its account, and its deputy.
fn recipients(p: &Principal) -> Vec<Recipient> {
    let mut out = vec![Recipient::User(p.user)];
    out.extend(p.deputy.map(Recipient::Deputy));
    out
}

fn view(m: &MessageRecord, recipient_name: Option<String>) -> MessageView {
    let d = &m.delivery;
    MessageView {
        id: m.message.id.clone(),
        kind: m.message.kind.clone(),
        channel: m.message.channel.code().to_owned(),
        recipient_kind: m.message.recipient.kind().to_owned(),
        recipient_id: m.message.recipient.id(),
        recipient_name,
        item: item_of(m),
        state: d.state.code().to_owned(),
        state_zh: d.state.zh().to_owned(),
        attempts: d.attempts,
        next_attempt_at: (d.state == DeliveryState::Queued).then_some(d.next_attempt_at),
        last_error: d.last_error.clone(),
        created_at: m.message.created_at,
        sent_at: d.sent_at,
        delivered_at: d.delivered_at,
        version: d.version,
    }
}
