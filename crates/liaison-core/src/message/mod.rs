//! Outgoing messages (issue 17): the delivery life of one message of the outbox, a pure state machine.
//!
//! A message is written `queued` in the transaction of the event that causes it. The delivery worker hands
//! it to its channel and records the outcome here: `delivered` (the channel says it arrived: the in-app
//! inbox), `sent` (handed over, arrival not yet told: an SMTP server accepted it), or a failed attempt,
//! which leaves it `queued` for a later attempt after an exponential backoff, until the policy's limit of
//! attempts makes it `failed` with the reason. A person may put a failed message back in the queue
//! (`failed → queued`, audited with who, when and why). Nothing else moves it: every other move is an
//! [`DeliveryError::Illegal`] transition.
//!
//! ```text
//! queued ──attempt: delivered──▶ delivered
//!   │ ▲ ──attempt: sent────────▶ sent ──confirmed──▶ delivered
//!   │ └─attempt failed (under the limit: backoff)
//!   └───attempt failed (the limit) ──▶ failed ──retry──▶ queued
//! ```

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{DeputyId, UserId};
use crate::{DomainError, Localized};

mod policy;
pub mod sms;

pub use policy::{ContactPreference, KINDS_TEXT, MessageKind, MessagePolicy, QuietHours};

/// The way a message reaches its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageChannel {
    /// The in-app inbox of an account (站内消息).
    Inbox,
    /// E-mail over SMTP.
    Email,
    /// SMS through a gateway.
    Sms,
}

impl MessageChannel {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Inbox => "inbox",
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Inbox, Self::Email, Self::Sms].into_iter().find(|c| c.code() == s.trim())
    }
}

/// Who a message is for: an account, or a deputy (who may have no account yet). Never an address or a
/// phone number: the worker resolves those from the register when it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Recipient {
    /// A user account.
    User(UserId),
    /// A deputy of the register.
    Deputy(DeputyId),
}

impl Recipient {
    /// `user` or `deputy`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::Deputy(_) => "deputy",
        }
    }
    /// The id, as text.
    pub fn id(&self) -> String {
        match self {
            Self::User(u) => u.to_string(),
            Self::Deputy(d) => d.to_string(),
        }
    }
    /// From the stored kind and id.
    pub fn parse(kind: &str, id: &str) -> Option<Self> {
        let id = uuid::Uuid::parse_str(id.trim()).ok()?;
        match kind {
            "user" => Some(Self::User(UserId(id))),
            "deputy" => Some(Self::Deputy(DeputyId(id))),
            _ => None,
        }
    }
}

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for (another) attempt (待发送).
    Queued,
    /// Handed to the channel; arrival not told (已发出).
    Sent,
    /// Arrived (已送达).
    Delivered,
    /// Given up after the limit of attempts (发送失败).
    Failed,
}

impl DeliveryState {
    /// Every state.
    pub const ALL: [Self; 4] = [Self::Queued, Self::Sent, Self::Delivered, Self::Failed];
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s.trim())
    }
    /// The Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Queued => "待发送",
            Self::Sent => "已发出",
            Self::Delivered => "已送达",
            Self::Failed => "发送失败",
        }
    }
}

/// What a channel said of one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "reason", rename_all = "snake_case")]
pub enum Outcome {
    /// It arrived.
    Delivered,
    /// Handed over; arrival may be told later.
    Sent,
    /// It did not go, and why (kept as the message's last error: no address, no number in it).
    Failed(String),
}

/// How often and how long the worker tries: attempt `n` (from 1) that fails waits `base × 2^(n-1)`, at most
/// `cap`, before the next; the `max_attempts`-th failure gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// The wait after the first failure.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
    /// Attempts before the message is marked failed (at least 1).
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { base: Duration::seconds(30), cap: Duration::hours(1), max_attempts: 6 }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failed attempt (1: the first).
    pub fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(30);
        let factor = 1i32 << doublings;
        self.base.checked_mul(factor).map_or(self.cap, |d| d.min(self.cap))
    }
}

/// A message's delivery state, attempts and times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The state.
    pub state: DeliveryState,
    /// Failed attempts since it was (re-)queued.
    pub attempts: u32,
    /// Not attempted before this time.
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was handed over (sent or delivered).
    pub sent_at: Option<DateTime<Utc>>,
    /// When it arrived.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Changes so far (optimistic concurrency between workers and people).
    pub version: u64,
}

/// What may happen to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryCommand {
    /// The worker tried it; the channel answered this.
    Attempted(Outcome),
    /// The channel told that a sent message arrived.
    Confirmed,
    /// A person puts a failed message back in the queue.
    Retry,
}

/// What happened to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeliveryEvent {
    /// Handed over.
    Sent {
        /// When.
        at: DateTime<Utc>,
    },
    /// Arrived.
    Delivered {
        /// When.
        at: DateTime<Utc>,
    },
    /// An attempt failed; another comes after the backoff.
    AttemptFailed {
        /// Why.
        reason: String,
        /// The next attempt.
        retry_at: DateTime<Utc>,
    },
    /// The last allowed attempt failed: given up.
    GaveUp {
        /// Why.
        reason: String,
    },
    /// Put back in the queue by a person.
    Requeued {
        /// When.
        at: DateTime<Utc>,
    },
}

impl DeliveryEvent {
    /// The stable name of its audit record.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sent { .. } => "message.sent",
            Self::Delivered { .. } => "message.delivered",
            Self::AttemptFailed { .. } => "message.attempt_failed",
            Self::GaveUp { .. } => "message.failed",
            Self::Requeued { .. } => "message.requeued",
        }
    }
}

/// Why a move of a message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The message's state does not allow the move.
    #[error("message: cannot {action} a message that is {}", .from.code())]
    Illegal {
        /// The state it is in.
        from: DeliveryState,
        /// The move asked for (`attempt`, `confirm`, `retry`).
        action: &'static str,
    },
}

impl DeliveryError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Illegal { action: "retry", .. } => "message.not_failed",
            Self::Illegal { .. } => "message.illegal_transition",
        }
    }
    /// Never the input's fault: the message's state forbids it.
    pub fn is_input(&self) -> bool {
        false
    }
}

impl Localized for DeliveryError {
    fn zh(&self) -> String {
        match self {
            Self::Illegal { from, action: "retry" } => {
                format!("只有发送失败的消息可以重新发送，此消息{}", from.zh())
            }
            Self::Illegal { from, action } => format!("消息{}，不能执行 {action}", from.zh()),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl DomainError for DeliveryError {
    fn code(&self) -> &'static str {
        DeliveryError::code(self)
    }
    fn is_input(&self) -> bool {
        DeliveryError::is_input(self)
    }
}

impl Delivery {
    /// A new message, due at `now`.
    pub fn queued(now: DateTime<Utc>) -> Self {
        Self {
            state: DeliveryState::Queued,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            sent_at: None,
            delivered_at: None,
            version: 1,
        }
    }

    /// Decide a command at `now` under `policy`.
    pub fn decide(
        &self,
        command: DeliveryCommand,
        now: DateTime<Utc>,
        policy: &RetryPolicy,
    ) -> Result<Vec<DeliveryEvent>, DeliveryError> {
        use DeliveryState as S;
        let illegal = |action| Err(DeliveryError::Illegal { from: self.state, action });
        Ok(match (self.state, command) {
            (S::Queued, DeliveryCommand::Attempted(Outcome::Delivered)) => {
                vec![DeliveryEvent::Delivered { at: now }]
            }
            (S::Queued, DeliveryCommand::Attempted(Outcome::Sent)) => vec![DeliveryEvent::Sent { at: now }],
            (S::Queued, DeliveryCommand::Attempted(Outcome::Failed(reason))) => {
                let failures = self.attempts.saturating_add(1);
                if failures >= policy.max_attempts.max(1) {
                    vec![DeliveryEvent::GaveUp { reason }]
                } else {
                    vec![DeliveryEvent::AttemptFailed { reason, retry_at: now + policy.backoff(failures) }]
                }
            }
            (S::Sent, DeliveryCommand::Confirmed) => vec![DeliveryEvent::Delivered { at: now }],
            (S::Failed, DeliveryCommand::Retry) => vec![DeliveryEvent::Requeued { at: now }],
            (_, DeliveryCommand::Attempted(_)) => return illegal("attempt"),
            (_, DeliveryCommand::Confirmed) => return illegal("confirm"),
            (_, DeliveryCommand::Retry) => return illegal("retry"),
        })
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &DeliveryEvent) {
        self.version += 1;
        match e {
            DeliveryEvent::Sent { at } => {
                self.state = DeliveryState::Sent;
                self.sent_at = Some(*at);
            }
            DeliveryEvent::Delivered { at } => {
                self.state = DeliveryState::Delivered;
                self.sent_at = self.sent_at.or(Some(*at));
                self.delivered_at = Some(*at);
            }
            DeliveryEvent::AttemptFailed { reason, retry_at } => {
                self.attempts += 1;
                self.last_error = Some(reason.clone());
                self.next_attempt_at = *retry_at;
            }
            DeliveryEvent::GaveUp { reason } => {
                self.attempts += 1;
                self.state = DeliveryState::Failed;
                self.last_error = Some(reason.clone());
            }
            DeliveryEvent::Requeued { at } => {
                self.state = DeliveryState::Queued;
                self.attempts = 0;
                self.next_attempt_at = *at;
            }
        }
    }

    /// Decide and fold: the state after the command and its events.
    pub fn handle(
        &self,
        command: DeliveryCommand,
        now: DateTime<Utc>,
        policy: &RetryPolicy,
    ) -> Result<(Self, Vec<DeliveryEvent>), DeliveryError> {
        let events = self.decide(command, now, policy)?;
        let mut next = self.clone();
        for e in &events {
            next.apply(e);
        }
        Ok((next, events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + s, 0).unwrap()
    }

    fn fail(d: &Delivery, now: DateTime<Utc>, p: &RetryPolicy) -> Delivery {
        d.handle(DeliveryCommand::Attempted(Outcome::Failed("down".into())), now, p).unwrap().0
    }

    #[test]
    fn failures_back_off_exponentially_then_give_up_with_the_reason() {
        let p = RetryPolicy { base: Duration::seconds(10), cap: Duration::seconds(35), max_attempts: 4 };
        let d = Delivery::queued(at(0));
        let d1 = fail(&d, at(0), &p);
        assert_eq!((d1.state, d1.attempts, d1.next_attempt_at), (DeliveryState::Queued, 1, at(10)));
        let d2 = fail(&d1, at(10), &p);
        assert_eq!(d2.next_attempt_at, at(30));
        let d3 = fail(&d2, at(30), &p);
        assert_eq!(d3.next_attempt_at, at(65), "capped at 35 s");
        let d4 = fail(&d3, at(65), &p);
        assert_eq!((d4.state, d4.attempts), (DeliveryState::Failed, 4));
        assert_eq!(d4.last_error.as_deref(), Some("down"));
        assert_eq!(d4.version, 5);
    }

    #[test]
    fn only_a_failed_message_is_requeued_and_only_a_queued_one_attempted() {
        let p = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
        let d = Delivery::queued(at(0));
        assert_eq!(
            d.decide(DeliveryCommand::Retry, at(1), &p),
            Err(DeliveryError::Illegal { from: DeliveryState::Queued, action: "retry" })
        );
        let failed = fail(&d, at(1), &p);
        assert_eq!(failed.state, DeliveryState::Failed);
        assert!(failed.decide(DeliveryCommand::Attempted(Outcome::Delivered), at(2), &p).is_err());
        let (again, events) = failed.handle(DeliveryCommand::Retry, at(3), &p).unwrap();
        assert_eq!(events, vec![DeliveryEvent::Requeued { at: at(3) }]);
        assert_eq!((again.state, again.attempts, again.next_attempt_at), (DeliveryState::Queued, 0, at(3)));
        let (done, _) = again.handle(DeliveryCommand::Attempted(Outcome::Delivered), at(4), &p).unwrap();
        assert_eq!((done.state, done.delivered_at), (DeliveryState::Delivered, Some(at(4))));
        assert!(done.decide(DeliveryCommand::Retry, at(5), &p).is_err());
    }

    #[test]
    fn a_sent_message_is_delivered_when_the_channel_tells() {
        let p = RetryPolicy::default();
        let (sent, _) =
            Delivery::queued(at(0)).handle(DeliveryCommand::Attempted(Outcome::Sent), at(1), &p).unwrap();
        assert_eq!(sent.state, DeliveryState::Sent);
        let (done, _) = sent.handle(DeliveryCommand::Confirmed, at(9), &p).unwrap();
        assert_eq!(
            (done.state, done.sent_at, done.delivered_at),
            (DeliveryState::Delivered, Some(at(1)), Some(at(9)))
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in DeliveryState::ALL {
            assert_eq!(DeliveryState::parse(s.code()), Some(s));
        }
        let r = Recipient::User(UserId(uuid::Uuid::nil()));
        assert_eq!(Recipient::parse(r.kind(), &r.id()), Some(r));
        assert_eq!(MessageChannel::parse("inbox"), Some(MessageChannel::Inbox));
    }
}
