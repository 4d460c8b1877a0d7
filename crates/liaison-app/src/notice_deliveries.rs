//! A notice's delivery table (R2, issue 17 item 2): for each recipient, by name, the state of each message
//! the outbox holds for the notice (queued, sent, delivered where the channel tells, failed with the
//! reason) beside the acknowledgement and the response the notice records. Read from the outbox when the
//! notice is shown: the outbox is the one record of what was sent.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_core::ids::DeputyId;
use liaison_core::message::{DeliveryState, MessageChannel, Recipient};
use liaison_core::notice::Notice;
use liaison_store::{MessageQuery, MessageRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, People, Principal};

/// One message of a recipient: its channel and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoticeMessage {
    /// `inbox`, `sms` or `email`.
    pub channel: String,
    /// The channel in Chinese (站内消息, 短信, 电子邮件).
    pub channel_zh: String,
    /// `queued`, `sent`, `delivered` or `failed`.
    pub state: String,
    /// The state in Chinese.
    pub state_zh: String,
    /// Why it failed (the last failed attempt's reason).
    pub error: Option<String>,
    /// When it was handed over or arrived, if it was.
    pub at: Option<DateTime<Utc>>,
}

/// One recipient's row of a notice's delivery table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoticeDeliveryRow {
    /// The deputy's id.
    pub deputy: String,
    /// The deputy, as shown: `姓名（县级，鼓楼区）`.
    pub name: String,
    /// The messages the outbox holds for this deputy about the notice (none: not sent through the outbox).
    pub messages: Vec<NoticeMessage>,
    /// A delivery the office recorded by hand (a letter, at a meeting): delivered or not.
    pub recorded: Option<bool>,
    /// Acknowledged on.
    pub acknowledged_on: Option<NaiveDate>,
    /// Whether the deputy responded.
    pub responded: bool,
}

/// The channel's Chinese name.
pub fn channel_zh(c: MessageChannel) -> &'static str {
    match c {
        MessageChannel::Inbox => "站内消息",
        MessageChannel::Sms => "短信",
        MessageChannel::Email => "电子邮件",
    }
}

fn message(m: &MessageRecord) -> NoticeMessage {
    let d = &m.delivery;
    NoticeMessage {
        channel: m.message.channel.code().into(),
        channel_zh: channel_zh(m.message.channel).into(),
        state: d.state.code().into(),
        state_zh: d.state.zh().into(),
        error: d
            .last_error
            .clone()
            .filter(|_| d.state != DeliveryState::Delivered && d.state != DeliveryState::Sent),
        at: d.delivered_at.or(d.sent_at),
    }
}

impl App {
    /// The delivery table of a sent notice, one row per recipient in the order of `people` (names), each
    /// with the outbox's messages for that deputy (an inbox message to the deputy's account counts as the
    /// deputy's).
    pub(crate) fn notice_deliveries(
        &self,
        p: &Principal,
        n: &Notice,
        people: &People,
    ) -> Result<Vec<NoticeDeliveryRow>, AppError> {
        let id = n.id.to_string();
        let (mut rows, mut before) = (Vec::new(), None);
        loop {
            let q = MessageQuery {
                item: Some(("notice".into(), id.clone())),
                before: before.clone(),
                limit: 1000,
                ..Default::default()
            };
            let page = self.read(|s| s.messages(&p.tenant, &q))?;
            let last = page.last().map(|m| m.message.id.clone());
            let full = page.len() == 1000;
            rows.extend(page);
            match last {
                Some(l) if full => before = Some(l),
                _ => break,
            }
        }
        let users = self.read(|s| s.users(&p.tenant))?;
        let mut by: BTreeMap<DeputyId, Vec<&MessageRecord>> = BTreeMap::new();
        for m in &rows {
            let deputy = match m.message.recipient {
                Recipient::Deputy(d) => Some(d),
                Recipient::User(u) => users.iter().find(|x| x.id == u).and_then(|x| x.deputy),
            };
            if let Some(d) = deputy {
                by.entry(d).or_default().push(m);
            }
        }
        let mut out: Vec<NoticeDeliveryRow> = n
            .recipients
            .iter()
            .map(|(d, r)| {
                let mut ms: Vec<&MessageRecord> = by.get(d).cloned().unwrap_or_default();
                ms.sort_by_key(|m| (m.message.channel != MessageChannel::Inbox, m.message.id.clone()));
                NoticeDeliveryRow {
                    deputy: d.to_string(),
                    name: people
                        .get(&d.to_string())
                        .map_or_else(|| "（已不在册）".to_owned(), |l| l.display()),
                    messages: ms.into_iter().map(message).collect(),
                    recorded: r.delivered,
                    acknowledged_on: r.acknowledged_on,
                    responded: r.response.is_some(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}
