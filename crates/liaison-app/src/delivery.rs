//! The delivery worker's round (issue 17): claim the due messages, hand each to its channel, record the
//! outcome through the core's [`Delivery`](liaison_core::message::Delivery) state machine — delivered,
//! sent, a failed attempt backed off, or failed for good after the policy's limit, with the reason — and
//! audit each move as the system.
//!
//! **At least once.** A claim leases a message for [`LEASE`]; the send happens outside any transaction and
//! the outcome is recorded in a second one. A worker that dies (or loses the database) between the send
//! and that record leaves the message to be claimed again when its lease lapses, and it is sent again. The
//! message's dedup key travels with it ([`liaison_store::NewMessage::dedup_key`]): a channel whose far
//! side can drop a repeat (an SMS gateway's client reference, an e-mail's `Message-ID`) passes it on. The
//! in-app inbox cannot repeat: its delivery is the row itself.
//!
//! A channel is provider-neutral: one method, [`Channel::deliver`], answering delivered, sent or failed with
//! the reason: the in-app inbox here, e-mail and SMS in `senders` (over transports the binaries give). A
//! worker claims only the messages of the channels it has, so a CLI round (the inbox) leaves the e-mail
//! and SMS to the service.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::Duration;
use liaison_core::message::{DeliveryCommand, MessageChannel, Outcome, Recipient, RetryPolicy};
use liaison_core::{Actor, Meta};
use liaison_store::MessageRecord;

use crate::messages::MESSAGE;
use crate::{App, AppError, record};

/// How long a claimed message is left to its worker before another may claim it again.
pub const LEASE: Duration = Duration::minutes(5);

/// What a channel's send returns: a future, so an adapter may wait on the network.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// A way to reach people: e-mail, SMS, the in-app inbox. Provider-neutral: an adapter turns the message
/// (recipient by id, subject, text, template key and parameters, dedup key) into its provider's request.
/// Addresses and numbers are resolved and decrypted inside the adapter, never stored in the message.
pub trait Channel: Send + Sync {
    /// Try to deliver `m` once.
    fn deliver<'a>(&'a self, m: &'a MessageRecord) -> Sending<'a>;
}

/// The channels a worker delivers through, by the channel a message names.
#[derive(Clone, Default)]
pub struct Channels {
    by: Vec<(MessageChannel, Arc<dyn Channel>)>,
}

impl Channels {
    /// No channel yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Deliver the messages of `channel` through `adapter` (replacing an earlier one).
    pub fn with(mut self, channel: MessageChannel, adapter: Arc<dyn Channel>) -> Self {
        self.by.retain(|(c, _)| *c != channel);
        self.by.push((channel, adapter));
        self
    }
    /// The service's channels: the in-app inbox of `app`.
    pub fn standard(app: &App) -> Self {
        Self::new().with(MessageChannel::Inbox, Arc::new(InboxChannel { app: app.clone() }))
    }
    /// The channels there is an adapter for (the worker claims only their messages).
    pub fn kinds(&self) -> Vec<MessageChannel> {
        self.by.iter().map(|(c, _)| *c).collect()
    }
    fn get(&self, channel: MessageChannel) -> Option<&Arc<dyn Channel>> {
        self.by.iter().find(|(c, _)| *c == channel).map(|(_, a)| a)
    }
}

/// The in-app inbox: delivery is the message becoming readable in its recipient's inbox. An account must
/// exist and be active; a message for a deputy is readable in the inbox of the deputy's account, today or
/// once the deputy has one.
pub struct InboxChannel {
    app: App,
}

impl Channel for InboxChannel {
    fn deliver<'a>(&'a self, m: &'a MessageRecord) -> Sending<'a> {
        Box::pin(async move {
            match m.message.recipient {
                Recipient::Deputy(_) => Outcome::Delivered,
                Recipient::User(u) => {
                    // A blocking read (PostgreSQL waits on the network): off the async threads.
                    let (app, tenant) = (self.app.clone(), m.tenant.clone());
                    let found = tokio::task::spawn_blocking(move || app.read(|q| q.user(&tenant, u))).await;
                    match found {
                        Ok(Ok(Some(x))) if x.active => Outcome::Delivered,
                        Ok(Ok(_)) => Outcome::Failed("收件账户不存在或已停用 (no active account)".into()),
                        Ok(Err(e)) => Outcome::Failed(format!("读取账户失败 (accounts unreadable): {e}")),
                        Err(_) => Outcome::Failed("读取账户失败 (the lookup stopped)".into()),
                    }
                }
            }
        })
    }
}

/// What one round of the worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryRound {
    /// Messages claimed.
    pub claimed: usize,
    /// Delivered (or handed over).
    pub delivered: usize,
    /// Failed attempts that will be retried.
    pub retrying: usize,
    /// Given up (marked failed).
    pub failed: usize,
}

pub(crate) fn worker_meta(at: chrono::DateTime<chrono::Utc>, reason: Option<String>) -> Meta {
    let actor = Actor {
        user: liaison_store::system_user(),
        name: "消息发送 (delivery worker)".into(),
        via: Some("worker".into()),
    };
    Meta { actor, at, reason }
}

impl App {
    /// The retry policy of the delivery worker.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Replace the retry policy (`LIAISON_MESSAGE_ATTEMPTS`, `LIAISON_MESSAGE_BACKOFF`).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// One round of the delivery worker: claim up to `limit` due messages of every tenant, deliver each
    /// through its channel, record each outcome. Several servers may run rounds at once (PostgreSQL: each
    /// message is claimed by one).
    pub async fn deliver_due(&self, channels: &Channels, limit: u32) -> Result<DeliveryRound, AppError> {
        let now = self.now();
        let kinds = channels.kinds();
        let claimed = self.write(move |tx| Ok(tx.claim_messages(now, now + LEASE, limit, &kinds)?)).await?;
        let mut round = DeliveryRound { claimed: claimed.len(), ..Default::default() };
        for m in claimed {
            let outcome = match channels.get(m.message.channel) {
                Some(c) => c.deliver(&m).await,
                None => Outcome::Failed(format!("未配置 {} 渠道 (no adapter)", m.message.channel.code())),
            };
            tracing::info!(message = %m.message.id, channel = m.message.channel.code(), ?outcome, "delivery attempt");
            match self.record_outcome(m, outcome).await? {
                Some(liaison_core::message::DeliveryState::Queued) => round.retrying += 1,
                Some(liaison_core::message::DeliveryState::Failed) => round.failed += 1,
                Some(_) => round.delivered += 1,
                None => {}
            }
        }
        Ok(round)
    }

    /// Record a channel's answer on a claimed message, as the worker; the message's new state (`None`: it
    /// was moved meanwhile, by a person or another worker, and is left as it is).
    async fn record_outcome(
        &self,
        m: MessageRecord,
        outcome: Outcome,
    ) -> Result<Option<liaison_core::message::DeliveryState>, AppError> {
        let at = self.now();
        let reason = match &outcome {
            Outcome::Failed(r) => Some(r.clone()),
            _ => None,
        };
        let policy = self.retry;
        let tenant = m.tenant.clone();
        self.change_as(tenant.clone(), worker_meta(at, reason), move |run| {
            let id = m.message.id.clone();
            let (next, events) =
                m.delivery.handle(DeliveryCommand::Attempted(outcome), at, &policy).map_err(AppError::rule)?;
            if !run.tx().save_delivery(&tenant, &id, &next, m.delivery.version)? {
                tracing::warn!(message = %id, "message moved while it was being delivered; outcome not recorded");
                return Ok(None);
            }
            for e in &events {
                let r = record(run.meta(), e.kind(), MESSAGE, &id, e);
                run.tx().append(&tenant, r)?;
            }
            Ok(Some(next.state))
        })
        .await
    }
}
