//! What is queued, on which channels (issue 17, items 3–5): every message goes to its recipient's in-app
//! inbox, and also by SMS or e-mail as the recipient's contact preference and contacts on file allow —
//! unless the deployment switched its kind off, or the recipient opted out of non-statutory messages. SMS
//! and e-mail queued in quiet hours wait until they end (the inbox never waits).
//!
//! Whether a contact is on file is read from the masked register (a deputy) or the masked contact row (an
//! account): nothing is decrypted here. The worker alone opens numbers and addresses, when it sends.

use liaison_core::access::Role;
use liaison_core::ids::{DeputyId, UserId};
use liaison_core::message::{
    ContactPreference, MessageChannel, MessageKind, MessagePolicy, QuietHours, Recipient,
};
use liaison_core::suggestion::{Suggestion, SuggestionEvent};
use liaison_store::NewMessage;

use crate::AppError;
use crate::runner::Runner;
use crate::templates::render;

/// The deployment's message settings: what is sent and when ([`MessagePolicy`]), the language of the
/// texts, and the public address of the service (the deputies' feedback links start with it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageSettings {
    /// Kinds switched off, quiet hours, the warning horizon, the SMS length.
    pub policy: MessagePolicy,
    /// English texts instead of Chinese (`LIAISON_MESSAGE_LANG=en`).
    pub english: bool,
    /// The service's public address (`LIAISON_PUBLIC_URL`, e.g. `https://lx.example.cn`).
    pub public_url: Option<String>,
    /// The channels besides the inbox the deployment has configured (e-mail when `LIAISON_SMTP_HOST` is
    /// set, SMS when `LIAISON_SMS_PROVIDER` is): nothing is queued on another.
    pub outside: Vec<MessageChannel>,
    /// The liaison hotline deputies are shown on their portal (`LIAISON_HOTLINE`).
    pub hotline: Option<String>,
    /// How long a deputy's login link in an e-mail works (`LIAISON_LOGIN_LINK_HOURS`, default 24).
    pub login_link: liaison_core::login::link::LinkPolicy,
}

/// The environment variables of the message settings, with what each means (for `--help` and errors).
pub const SETTINGS_VARS: &[(&str, &str)] = &[
    ("LIAISON_MESSAGE_DISABLE", "kinds not sent, comma-separated (suggestion.assigned, duty.due_soon …)"),
    ("LIAISON_QUIET_HOURS", "HH:MM-HH:MM, China time: SMS and e-mail queued in them wait until they end"),
    ("LIAISON_DUE_SOON_DAYS", "working days before a due day when the reminder goes (default 5)"),
    ("LIAISON_SMS_SEGMENTS", "segments an SMS may take (default 2: 134 Chinese characters)"),
    ("LIAISON_MESSAGE_LANG", "zh (default) or en: the language of the texts"),
    ("LIAISON_PUBLIC_URL", "the service's public address: deputies' feedback links start with it"),
    ("LIAISON_HOTLINE", "the liaison hotline deputies see on their portal (e.g. 0591-12309)"),
    (
        "LIAISON_LOGIN_LINK_HOURS",
        "hours a deputy's one-use login link in an e-mail works (1-168, default 24)",
    ),
];

impl MessageSettings {
    /// The settings from the environment (`get` reads a variable; the binaries pass `std::env::var`), and
    /// which outside channels are configured; a bad value is refused naming its variable.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Self, AppError> {
        let var = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let bad = |k: &str, e: liaison_core::ValueError| AppError::invalid(k, &e);
        let mut s = Self::default();
        if let Some(v) = var("LIAISON_MESSAGE_DISABLE") {
            s.policy.disabled =
                MessagePolicy::parse_disabled(&v).map_err(|e| bad("LIAISON_MESSAGE_DISABLE", e))?;
        }
        if let Some(v) = var("LIAISON_QUIET_HOURS") {
            s.policy.quiet = Some(QuietHours::parse(&v).map_err(|e| bad("LIAISON_QUIET_HOURS", e))?);
        }
        let number = |k: &str, min: u32, max: u32| -> Result<Option<u32>, AppError> {
            var(k)
                .map(|v| {
                    v.parse::<u32>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
                        bad(k, liaison_core::ValueError::Range { min: min.into(), max: max.into() })
                    })
                })
                .transpose()
        };
        if let Some(n) = number("LIAISON_DUE_SOON_DAYS", 0, 60)? {
            s.policy.due_soon_working_days = n;
        }
        if let Some(n) = number("LIAISON_SMS_SEGMENTS", 1, 10)? {
            s.policy.sms_segments = n;
        }
        s.english = match var("LIAISON_MESSAGE_LANG").as_deref() {
            None | Some("zh") | Some("zh-CN") => false,
            Some("en") => true,
            Some(_) => return Err(bad("LIAISON_MESSAGE_LANG", liaison_core::ValueError::OneOf("zh/en"))),
        };
        if let Some(n) = number("LIAISON_LOGIN_LINK_HOURS", 1, 168)? {
            s.login_link = liaison_core::login::link::LinkPolicy::hours(n).map_err(|_| {
                bad("LIAISON_LOGIN_LINK_HOURS", liaison_core::ValueError::Range { min: 1, max: 168 })
            })?;
        }
        s.public_url = var("LIAISON_PUBLIC_URL");
        s.hotline = var("LIAISON_HOTLINE");
        if var("LIAISON_SMTP_HOST").is_some() {
            s.outside.push(MessageChannel::Email);
        }
        if var("LIAISON_SMS_PROVIDER").is_some() {
            s.outside.push(MessageChannel::Sms);
        }
        Ok(s)
    }
}

/// A message to queue with an event: its kind, recipient and template parameters (the text is rendered
/// from them).
#[derive(Clone)]
pub(crate) struct Queued {
    /// What it is about.
    pub kind: MessageKind,
    /// Who it is for.
    pub recipient: Recipient,
    /// The template's parameters.
    pub params: serde_json::Value,
}

/// What [`Runner::queue_reaching`] queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reach {
    /// Anything new.
    pub any: bool,
    /// The outside channel that took a new message.
    pub outside: Option<MessageChannel>,
}

impl Runner<'_> {
    /// Queue `m` on `channel` in this transaction, for the item `(item_type, item_id)` and the occasion
    /// `stage` (the item's version after the event, or a reminder's stage and day): false when the kind is
    /// switched off or the same occasion had queued it for this recipient already.
    pub(crate) fn queue(
        &mut self,
        item: (&str, &str),
        stage: &str,
        channel: MessageChannel,
        m: &Queued,
    ) -> Result<bool, AppError> {
        let settings = self.messaging();
        if !settings.policy.enabled(m.kind) {
            return Ok(false);
        }
        let (item_type, item_id) = item;
        let mut dedup_key = format!(
            "{}:{item_type}:{item_id}:{stage}:{}:{}",
            m.kind.code(),
            m.recipient.kind(),
            m.recipient.id()
        );
        let at = self.meta().at;
        let not_before = if channel == MessageChannel::Inbox {
            None
        } else {
            dedup_key.push(':');
            dedup_key.push_str(channel.code());
            Some(settings.policy.release(at))
        };
        let text = render(m.kind, settings.english, &m.params, None);
        let message = NewMessage {
            id: crate::new_id().to_string(),
            kind: m.kind.code().to_owned(),
            channel,
            recipient: m.recipient,
            subject: text.subject,
            body: text.body,
            template: Some(m.kind.code().to_owned()),
            params: Some(m.params.to_string()),
            item_type: item_type.to_owned(),
            item_id: item_id.to_owned(),
            dedup_key,
            created_at: at,
            not_before,
        };
        let tenant = self.tenant().clone();
        Ok(self.tx().enqueue_message(&tenant, &message)?)
    }

    /// Queue `m` in its recipient's inbox and on the channel the recipient's preference picks among the
    /// contacts on file (a deputy's inbox message goes to the deputy's account when there is one): whether
    /// anything new was queued.
    pub(crate) fn queue_everywhere(
        &mut self,
        item: (&str, &str),
        stage: &str,
        m: Queued,
    ) -> Result<bool, AppError> {
        Ok(self.queue_reaching(item, stage, m)?.any)
    }

    /// [`queue_everywhere`](Runner::queue_everywhere), saying also which outside channel (SMS or e-mail)
    /// took a new message, if any: the one that carries a deputy's own link.
    pub(crate) fn queue_reaching(
        &mut self,
        item: (&str, &str),
        stage: &str,
        m: Queued,
    ) -> Result<Reach, AppError> {
        let tenant = self.tenant().clone();
        let users = self.q().users(&tenant)?;
        let inbox = match m.recipient {
            Recipient::Deputy(d) => deputy_account(&users, d),
            r => r,
        };
        let mut any =
            self.queue(item, stage, MessageChannel::Inbox, &Queued { recipient: inbox, ..m.clone() })?;
        let mut outside = None;
        if let Some(channel) = self.outside_channel(&m)?
            && self.queue(item, stage, channel, &m)?
        {
            any = true;
            outside = Some(channel);
        }
        Ok(Reach { any, outside })
    }

    /// The SMS or e-mail channel for `m`, if any: none when opted out (non-statutory), when the preference
    /// is the inbox, or when no contact fits.
    fn outside_channel(&mut self, m: &Queued) -> Result<Option<MessageChannel>, AppError> {
        let tenant = self.tenant().clone();
        let contact = self.q().contact(&tenant, &m.recipient)?;
        let prefer = contact.as_ref().map_or(ContactPreference::Auto, |c| c.prefer);
        if contact.as_ref().is_some_and(|c| c.opt_out) && !m.kind.statutory() {
            return Ok(None);
        }
        let (mobile, email) = match m.recipient {
            Recipient::Deputy(d) => {
                let masked = self.q().deputy_summary(&tenant, d)?.map(|s| s.masked).unwrap_or_default();
                (masked.mobile.is_some(), masked.email.is_some())
            }
            Recipient::User(_) => (false, contact.as_ref().is_some_and(|c| c.email_masked.is_some())),
        };
        let on = |c: MessageChannel| self.messaging().outside.contains(&c);
        Ok(prefer.pick(mobile && on(MessageChannel::Sms), email && on(MessageChannel::Email)))
    }
}

/// A deputy's account (active, with the deputy role), or the deputy when there is none.
pub(crate) fn deputy_account(users: &[liaison_store::UserRecord], deputy: DeputyId) -> Recipient {
    users
        .iter()
        .find(|u| u.active && u.deputy == Some(deputy) && u.roles.contains(&Role::Deputy))
        .map_or(Recipient::Deputy(deputy), |u| Recipient::User(u.id))
}

/// The active accounts of a department.
pub(crate) fn department_accounts(
    users: &[liaison_store::UserRecord],
    department: liaison_core::ids::DepartmentId,
) -> Vec<UserId> {
    users
        .iter()
        .filter(|u| u.active && u.roles.contains(&Role::Department) && u.department == Some(department))
        .map(|u| u.id)
        .collect()
}

/// Queue what a suggestion's events cause (`s` the state after them): on assignment (and re-assignment),
/// to the handler and the lead department's accounts; on an answer, to each co-signing deputy, whose own
/// feedback link the worker adds when it sends by SMS or e-mail.
pub(crate) fn queue_for_suggestion(
    run: &mut Runner<'_>,
    s: &Suggestion,
    events: &[SuggestionEvent],
) -> Result<(), AppError> {
    let number = s.number.as_ref().map(ToString::to_string).unwrap_or_default();
    let title = s.title.as_str().to_owned();
    let id = s.id.to_string();
    let stage = format!("v{}", s.version);
    for e in events {
        match e {
            SuggestionEvent::Assigned { assignment } | SuggestionEvent::Reassigned { assignment, .. } => {
                let users = run.q().users(run.tenant())?;
                let mut to: Vec<UserId> = vec![assignment.handler.user];
                for u in department_accounts(&users, assignment.lead.id) {
                    if !to.contains(&u) {
                        to.push(u);
                    }
                }
                let params = serde_json::json!({
                    "number": number, "title": title, "lead": assignment.lead.name.as_str(),
                    "handler": assignment.handler.name, "deadline": assignment.deadline,
                });
                for user in to {
                    let m = Queued {
                        kind: MessageKind::Assigned,
                        recipient: Recipient::User(user),
                        params: params.clone(),
                    };
                    run.queue_everywhere(("suggestion", &id), &stage, m)?;
                }
            }
            SuggestionEvent::Answered { answer, round } => {
                let params = serde_json::json!({
                    "number": number, "title": title, "class": answer.class.code(), "class_zh": answer.class.zh(),
                    "round": round, "feedback_due": answer.feedback_due,
                });
                for deputy in &answer.recipients {
                    let m = Queued {
                        kind: MessageKind::Answered,
                        recipient: Recipient::Deputy(*deputy),
                        params: params.clone(),
                    };
                    run.queue_everywhere(("suggestion", &id), &stage, m)?;
                }
            }
            SuggestionEvent::Transferred { transfer } => {
                let params = serde_json::json!({
                    "number": number, "title": title, "to": transfer.to_name.as_str(),
                    "reason": transfer.reason.as_str(), "notice": transfer.notice.as_str(), "on": transfer.on,
                });
                for deputy in &transfer.told {
                    let m = Queued {
                        kind: MessageKind::SuggestionTransferred,
                        recipient: Recipient::Deputy(*deputy),
                        params: params.clone(),
                    };
                    run.queue_everywhere(("suggestion", &id), &stage, m)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
