//! Notifying deputies of major matters (重大事项通报, R2): a notice is drafted, approved by a leader, and
//! sent to an audience (all deputies, by level, region, delegation, or chosen deputies) through a recorded
//! channel; every deputy of the audience at the moment of sending is a recipient, with a delivery and an
//! acknowledgement of their own; a deputy's response can open a suggestion.
//!
//! draft → approved → sent. The recipients are fixed when the notice is sent (the register at that moment),
//! so an approved notice reaches every deputy of its audience, and a later change of the register does not
//! rewrite who was told.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::ids::{DeputyId, NoticeId, SuggestionId};
use crate::registry::values::{clean, word_enum};
use crate::registry::{LongText, ShortText};
use crate::suggestion::{Audience, Reader, StaffRef};

word_enum!(
    /// How a notice is sent.
    Channel, "letter/sms/meeting/email (书面/短信/会议/电子邮件)", {
    /// 书面 (letter).
    Letter => "letter", "书面", ["信函", "来信"];
    /// 短信 (SMS).
    Sms => "sms", "短信", ["message"];
    /// 会议 (at a meeting).
    Meeting => "meeting", "会议", ["座谈会"];
    /// 电子邮件.
    Email => "email", "电子邮件", ["邮件"];
});

/// Who a notice is for: an audience of the register, or chosen deputies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeAudience {
    /// By the register: all, or levels, regions, delegations.
    Register {
        /// The audience.
        audience: Audience,
    },
    /// Chosen deputies.
    Chosen {
        /// The deputies.
        deputies: BTreeSet<DeputyId>,
    },
}

impl NoticeAudience {
    /// Whether a deputy of the register belongs to it.
    pub fn includes(&self, r: &Reader) -> bool {
        match self {
            Self::Register { audience } => audience.includes(r.level, &r.region, r.delegation.as_ref()),
            Self::Chosen { deputies } => deputies.contains(&r.deputy),
        }
    }
    /// Whether it names nobody.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Register { audience } => audience.is_empty(),
            Self::Chosen { deputies } => deputies.is_empty(),
        }
    }
}

/// Where a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Being drafted (草拟).
    Draft,
    /// Approved by a leader (已审批).
    Approved,
    /// Sent (已通报).
    Sent,
}

impl NoticeStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
            Self::Sent => "sent",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Draft => "草拟",
            Self::Approved => "已审批",
            Self::Sent => "已通报",
        }
    }
}

/// One recipient's delivery, acknowledgement and response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Delivered (true), failed (false), or not yet known.
    pub delivered: Option<bool>,
    /// Why it failed, or how it was delivered.
    pub note: Option<ShortText>,
    /// Acknowledged on.
    pub acknowledged_on: Option<NaiveDate>,
    /// The deputy's response, and the suggestion it opened.
    pub response: Option<(LongText, Option<SuggestionId>)>,
}

/// A major-matter notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Id.
    pub id: NoticeId,
    /// Version.
    pub version: u64,
    /// Title.
    pub title: ShortText,
    /// Content.
    pub content: LongText,
    /// Who it is for.
    pub audience: NoticeAudience,
    /// How it is sent.
    pub channel: Channel,
    /// Status.
    pub status: NoticeStatus,
    /// Drafted on.
    pub drafted_on: NaiveDate,
    /// Who drafted it (absent on notices drafted before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafted_by: Option<StaffRef>,
    /// The approving leader and the day.
    pub approved: Option<(StaffRef, NaiveDate)>,
    /// Sent on.
    pub sent_on: Option<NaiveDate>,
    /// Every recipient (fixed when sent) and their delivery.
    pub recipients: BTreeMap<DeputyId, Delivery>,
}

/// What may be asked of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeCommand {
    /// Change the draft.
    Edit {
        /// Title.
        title: Option<ShortText>,
        /// Content.
        content: Option<LongText>,
        /// Audience.
        audience: Option<NoticeAudience>,
        /// Channel.
        channel: Option<Channel>,
    },
    /// A leader approves it.
    Approve {
        /// The leader.
        by: StaffRef,
    },
    /// Send it: the recipients are every current deputy of the register (passed in) in the audience.
    Send {
        /// The current register, as readers.
        register: Vec<Reader>,
    },
    /// Record a recipient's delivery.
    RecordDelivery {
        /// The deputy.
        deputy: DeputyId,
        /// Delivered or failed.
        delivered: bool,
        /// How, or why not.
        note: Option<ShortText>,
    },
    /// The deputy acknowledges it.
    Acknowledge {
        /// The deputy.
        deputy: DeputyId,
    },
    /// The deputy responds (the response may open a suggestion).
    Respond {
        /// The deputy.
        deputy: DeputyId,
        /// The response.
        text: LongText,
        /// The suggestion it opened, if any.
        suggestion: Option<SuggestionId>,
    },
}

/// What happened to a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NoticeEvent {
    /// Drafted.
    Drafted {
        /// Title.
        title: ShortText,
        /// Content.
        content: LongText,
        /// Audience.
        audience: NoticeAudience,
        /// Channel.
        channel: Channel,
        /// On.
        on: NaiveDate,
        /// Who drafted it (absent in events recorded before it was).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<StaffRef>,
    },
    /// Draft changed.
    Edited {
        /// Title.
        title: Option<ShortText>,
        /// Content.
        content: Option<LongText>,
        /// Audience.
        audience: Option<NoticeAudience>,
        /// Channel.
        channel: Option<Channel>,
    },
    /// Approved.
    Approved {
        /// By.
        by: StaffRef,
        /// On.
        on: NaiveDate,
    },
    /// Sent to these recipients.
    Sent {
        /// On.
        on: NaiveDate,
        /// Every deputy of the audience at that moment.
        recipients: Vec<DeputyId>,
    },
    /// A delivery recorded.
    DeliveryRecorded {
        /// Deputy.
        deputy: DeputyId,
        /// Delivered or failed.
        delivered: bool,
        /// Note.
        note: Option<ShortText>,
    },
    /// Acknowledged.
    Acknowledged {
        /// Deputy.
        deputy: DeputyId,
        /// On.
        on: NaiveDate,
    },
    /// A response.
    Responded {
        /// Deputy.
        deputy: DeputyId,
        /// Text.
        text: LongText,
        /// The suggestion it opened.
        suggestion: Option<SuggestionId>,
    },
}

impl NoticeEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Drafted { .. } => "notice.drafted",
            Self::Edited { .. } => "notice.edited",
            Self::Approved { .. } => "notice.approved",
            Self::Sent { .. } => "notice.sent",
            Self::DeliveryRecorded { .. } => "notice.delivery_recorded",
            Self::Acknowledged { .. } => "notice.acknowledged",
            Self::Responded { .. } => "notice.responded",
        }
    }
}

impl Notice {
    /// Decide a new draft.
    pub fn draft(
        title: ShortText,
        content: LongText,
        audience: NoticeAudience,
        channel: Channel,
        by: Option<StaffRef>,
        today: NaiveDate,
    ) -> Result<NoticeEvent, NoticeError> {
        if audience.is_empty() {
            return Err(NoticeError::EmptyAudience);
        }
        Ok(NoticeEvent::Drafted { title, content, audience, channel, on: today, by })
    }

    /// Build from its `Drafted` event.
    pub fn from_drafted(id: NoticeId, e: &NoticeEvent) -> Option<Self> {
        match e {
            NoticeEvent::Drafted { title, content, audience, channel, on, by } => Some(Self {
                id,
                version: 1,
                title: title.clone(),
                content: content.clone(),
                audience: audience.clone(),
                channel: *channel,
                status: NoticeStatus::Draft,
                drafted_on: *on,
                drafted_by: by.clone(),
                approved: None,
                sent_on: None,
                recipients: BTreeMap::new(),
            }),
            _ => None,
        }
    }

    fn recipient(&self, d: DeputyId) -> Result<&Delivery, NoticeError> {
        if self.status != NoticeStatus::Sent {
            return Err(NoticeError::IllegalTransition { status: self.status, command: "record" });
        }
        self.recipients.get(&d).ok_or(NoticeError::NotARecipient(d))
    }

    /// Check a command.
    pub fn decide(&self, c: NoticeCommand, today: NaiveDate) -> Result<Vec<NoticeEvent>, NoticeError> {
        let refuse = |command| Err(NoticeError::IllegalTransition { status: self.status, command });
        match c {
            NoticeCommand::Edit { title, content, audience, channel } => {
                if self.status != NoticeStatus::Draft {
                    return refuse("edit");
                }
                if audience.as_ref().is_some_and(NoticeAudience::is_empty) {
                    return Err(NoticeError::EmptyAudience);
                }
                let same = title.as_ref().is_none_or(|t| *t == self.title)
                    && content.as_ref().is_none_or(|t| *t == self.content)
                    && audience.as_ref().is_none_or(|a| *a == self.audience)
                    && channel.is_none_or(|c| c == self.channel);
                if same {
                    return Err(NoticeError::NothingToChange);
                }
                Ok(vec![NoticeEvent::Edited { title, content, audience, channel }])
            }
            NoticeCommand::Approve { by } => match self.status {
                NoticeStatus::Draft if self.drafted_by.as_ref().is_some_and(|d| d.user == by.user) => {
                    Err(NoticeError::SelfApproval)
                }
                NoticeStatus::Draft => Ok(vec![NoticeEvent::Approved { by, on: today }]),
                _ => refuse("approve"),
            },
            NoticeCommand::Send { register } => {
                if self.status != NoticeStatus::Approved {
                    return refuse("send");
                }
                let mut recipients: Vec<DeputyId> =
                    register.iter().filter(|r| self.audience.includes(r)).map(|r| r.deputy).collect();
                recipients.sort_unstable();
                recipients.dedup();
                if recipients.is_empty() {
                    return Err(NoticeError::NoRecipients);
                }
                Ok(vec![NoticeEvent::Sent { on: today, recipients }])
            }
            NoticeCommand::RecordDelivery { deputy, delivered, note } => {
                let r = self.recipient(deputy)?;
                if r.delivered == Some(delivered) && r.note == note {
                    return Err(NoticeError::NothingToChange);
                }
                Ok(vec![NoticeEvent::DeliveryRecorded { deputy, delivered, note }])
            }
            NoticeCommand::Acknowledge { deputy } => {
                if self.recipient(deputy)?.acknowledged_on.is_some() {
                    return Err(NoticeError::AlreadyRecorded);
                }
                Ok(vec![NoticeEvent::Acknowledged { deputy, on: today }])
            }
            NoticeCommand::Respond { deputy, text, suggestion } => {
                let r = self.recipient(deputy)?;
                if r.response.is_some() {
                    return Err(NoticeError::AlreadyRecorded);
                }
                let mut out = Vec::new();
                if r.acknowledged_on.is_none() {
                    out.push(NoticeEvent::Acknowledged { deputy, on: today });
                }
                out.push(NoticeEvent::Responded { deputy, text, suggestion });
                Ok(out)
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &NoticeEvent) {
        self.version += 1;
        match e {
            NoticeEvent::Drafted { .. } => {}
            NoticeEvent::Edited { title, content, audience, channel } => {
                if let Some(t) = title {
                    self.title = t.clone();
                }
                if let Some(c) = content {
                    self.content = c.clone();
                }
                if let Some(a) = audience {
                    self.audience = a.clone();
                }
                if let Some(c) = channel {
                    self.channel = *c;
                }
            }
            NoticeEvent::Approved { by, on } => {
                self.approved = Some((by.clone(), *on));
                self.status = NoticeStatus::Approved;
            }
            NoticeEvent::Sent { on, recipients } => {
                self.sent_on = Some(*on);
                self.status = NoticeStatus::Sent;
                self.recipients = recipients.iter().map(|d| (*d, Delivery::default())).collect();
            }
            NoticeEvent::DeliveryRecorded { deputy, delivered, note } => {
                if let Some(r) = self.recipients.get_mut(deputy) {
                    r.delivered = Some(*delivered);
                    r.note = note.clone();
                }
            }
            NoticeEvent::Acknowledged { deputy, on } => {
                if let Some(r) = self.recipients.get_mut(deputy) {
                    r.acknowledged_on = Some(*on);
                }
            }
            NoticeEvent::Responded { deputy, text, suggestion } => {
                if let Some(r) = self.recipients.get_mut(deputy) {
                    r.response = Some((text.clone(), *suggestion));
                }
            }
        }
    }

    /// (recipients, delivered, failed, acknowledged, responded).
    pub fn tally(&self) -> (u32, u32, u32, u32, u32) {
        let n = |f: &dyn Fn(&Delivery) -> bool| self.recipients.values().filter(|d| f(d)).count() as u32;
        (
            self.recipients.len() as u32,
            n(&|d| d.delivered == Some(true)),
            n(&|d| d.delivered == Some(false)),
            n(&|d| d.acknowledged_on.is_some()),
            n(&|d| d.response.is_some()),
        )
    }
}

mod error;
pub use error::NoticeError;

mod aggregate;
pub use aggregate::DraftNotice;

#[cfg(test)]
mod tests;
