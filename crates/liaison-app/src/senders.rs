//! The e-mail and SMS channels (issue 17, item 2), provider-neutral: each resolves its recipient's address
//! or number, renders the message's template (adding a deputy's own feedback link, issued now), and hands
//! the result to a transport — a [`Mailer`] (SMTP in the service) or an [`SmsGateway`] (a provider's HTTP
//! API in the service). Transports live with the binaries; nothing here speaks a network protocol.
//!
//! **Contacts are opened only here**, in the delivery worker, when a message is sent: a deputy's number or
//! address from the register, an account's address from its sealed contact row. They are never stored in
//! the message and never logged: a log line carries the message id and the masked number or address.

use std::sync::Arc;

use liaison_core::message::sms::fit;
use liaison_core::message::{MessageChannel, MessageKind, Outcome, Recipient};
use liaison_store::MessageRecord;

use crate::delivery::{Channel, Sending};
use crate::templates::{Rendered, render};
use crate::{App, AppError};

/// An e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The address (opened for this send only).
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The text.
    pub body: String,
    /// A stable id for the far side to drop a repeat (from the message's id).
    pub message_id: String,
}

/// Sends e-mail (SMTP in the service; a capture in tests).
pub trait Mailer: Send + Sync {
    /// Send once: sent (the server accepted it) or failed with the reason.
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a>;
}

/// An SMS to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// The mobile number (opened for this send only).
    pub to: String,
    /// The template (the message kind's code; a provider maps it to its own template code).
    pub template: String,
    /// The template's parameters, with the title shortened as the text was.
    pub params: serde_json::Value,
    /// The whole text, within the SMS length rule.
    pub text: String,
    /// The message's id: the provider's client reference, so it can drop a repeat.
    pub reference: String,
}

/// Sends SMS through a provider (one adapter per provider API).
pub trait SmsGateway: Send + Sync {
    /// Send once: sent (the provider accepted it) or failed with the reason.
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a>;
}

/// The longest text an SMS template parameter carries (a title, a notice's content, a reason), the link
/// apart.
pub const TITLE_PARAM: usize = 20;

/// `138****0000`: a number as a log may show it (the register's masking).
pub fn mask_number(n: &str) -> String {
    liaison_core::registry::MobileNumber::parse(n).map_or_else(|_| "****".into(), |m| m.masked())
}

/// `z***@example.cn`: an address as a log may show it (the register's masking).
pub fn mask_address(a: &str) -> String {
    liaison_core::registry::Email::parse(a).map_or_else(|_| "***".into(), |e| e.masked())
}

impl App {
    /// The deployment's message settings.
    pub fn message_settings(&self) -> &crate::outgoing::MessageSettings {
        &self.messaging
    }

    /// Replace the message settings (what is sent, quiet hours, language, public address, channels).
    pub fn with_message_settings(mut self, s: crate::outgoing::MessageSettings) -> Self {
        self.messaging = Arc::new(s);
        self
    }

    /// Open the number (`Sms`) or address (`Email`) of a message's recipient, off the async threads: the
    /// worker's alone. `None` when none is on file.
    async fn open_contact(
        &self,
        m: &MessageRecord,
        channel: MessageChannel,
    ) -> Result<Option<String>, AppError> {
        let (app, tenant, recipient) = (self.clone(), m.tenant.clone(), m.message.recipient);
        let job = move || -> Result<Option<String>, AppError> {
            match recipient {
                Recipient::Deputy(d) => {
                    let Some(deputy) = app.read(|q| q.deputy(&tenant, d))? else { return Ok(None) };
                    let c = &deputy.data.contact;
                    Ok(match channel {
                        MessageChannel::Sms => c.mobile.as_ref().map(|x| x.as_str().to_owned()),
                        _ => c.email.as_ref().map(|x| x.as_str().to_owned()),
                    })
                }
                Recipient::User(_) if channel == MessageChannel::Email => {
                    app.read(|q| q.contact_email(&tenant, &recipient))
                }
                Recipient::User(_) => Ok(None),
            }
        };
        tokio::task::spawn_blocking(job).await.map_err(|e| AppError::Contract(join_error(&e)))?
    }

    /// Render a message for sending: its template, with a deputy's own link issued now when the message
    /// carries one (an answer or a feedback reminder: the rating link; a published answer: the body's
    /// rating link; a notice: the acknowledgement link), none when nothing is left to rate or acknowledge.
    async fn render_for_sending(&self, m: &MessageRecord) -> Result<(Rendered, Option<String>), String> {
        let Some(kind) = MessageKind::parse(&m.message.kind) else {
            let r =
                Rendered { subject: m.message.subject.clone(), body: m.message.body.clone(), sms: vec![] };
            return Ok((r, None));
        };
        let params: serde_json::Value =
            m.message.params.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
        let mut link = None;
        if kind == MessageKind::LoginCode {
            let code = crate::login::open_code(self.store().keys(), &m.tenant, &m.message.id, &params)
                .ok_or_else(|| "登录验证码无法解开 (the sealed code does not open)".to_owned())?;
            let text = render(kind, self.messaging.english, &params, Some(&code));
            return Ok((text, Some(code)));
        }
        if let (true, Recipient::Deputy(d)) = (kind.carries_link(), m.message.recipient) {
            let Some(base) = self.messaging.public_url.as_deref() else {
                return Err("未配置服务的公开地址，无法附上本人链接 (LIAISON_PUBLIC_URL is not set)".into());
            };
            let (tenant, item, id) = (&m.tenant, m.message.item_id.as_str(), m.message.id.as_str());
            let path = match kind {
                MessageKind::NoticeSent => self.notice_link_for_message(tenant, item, d, id).await,
                MessageKind::BodyRating => self.body_link_for_message(tenant, item, d, id).await,
                _ => self.link_for_message(tenant, item, d, id).await,
            }
            .map_err(|e| format!("本人链接未能生成 (link not issued): {}", e.code()))?;
            link = path.map(|p| format!("{}{p}", base.trim_end_matches('/')));
        }
        Ok((render(kind, self.messaging.english, &params, link.as_deref()), link))
    }
}

impl App {
    /// What a channel sends: the recipient's number or address (opened), the text and the deputy's link;
    /// or the failed outcome with its reason (none on file, unreadable, no link possible).
    async fn prepare(
        &self,
        m: &MessageRecord,
        channel: MessageChannel,
    ) -> Result<(String, Rendered, Option<String>), Outcome> {
        let to = match self.open_contact(m, channel).await {
            Ok(Some(to)) => to,
            Ok(None) if channel == MessageChannel::Sms => {
                return Err(Outcome::Failed("收件人没有登记手机号码 (no mobile number on file)".into()));
            }
            Ok(None) => {
                return Err(Outcome::Failed("收件人没有登记电子邮箱 (no e-mail address on file)".into()));
            }
            Err(e) => {
                return Err(Outcome::Failed(format!("读取收件人失败 (recipient unreadable): {}", e.code())));
            }
        };
        let (text, link) = self.render_for_sending(m).await.map_err(Outcome::Failed)?;
        Ok((to, text, link))
    }
}

impl App {
    /// The line an e-mail to a deputy adds: the deputy's own one-use login link to the portal page the
    /// message is about, issued now (see [`crate::login::LOGIN_LINK`]). `None` when the message has no
    /// portal page, the deputy has no active account, or no public address is configured; a failure to
    /// issue it is logged (by the message's id) and the e-mail goes without it.
    async fn login_line(&self, m: &MessageRecord) -> Option<String> {
        let (Recipient::Deputy(d), Some(kind)) = (m.message.recipient, MessageKind::parse(&m.message.kind))
        else {
            return None;
        };
        let base = self.messaging.public_url.as_deref()?.trim_end_matches('/').to_owned();
        let issued = self.login_link_for_message(&m.tenant, kind, &m.message.item_id, d, &m.message.id).await;
        let path = match issued {
            Ok(path) => path?,
            Err(e) => {
                tracing::warn!(message = %m.message.id, error = e.code(), "login link not issued");
                return None;
            }
        };
        let hours = self.messaging.login_link.valid_for.num_hours();
        Some(if self.messaging.english {
            format!(
                "\n\nSign in to your deputy's portal with this link (for you only, once, within {hours} hours): {base}{path}"
            )
        } else {
            format!("\n\n登录代表联络服务（仅限本人使用，{hours} 小时内有效，只能使用一次）：{base}{path}")
        })
    }
}

fn join_error(e: &tokio::task::JoinError) -> &'static str {
    if e.is_panic() { "the contact lookup panicked" } else { "the contact lookup was cancelled" }
}

/// E-mail through a [`Mailer`].
pub struct EmailChannel {
    app: App,
    mailer: Arc<dyn Mailer>,
}

impl EmailChannel {
    /// E-mail for `app`'s messages through `mailer`.
    pub fn new(app: &App, mailer: Arc<dyn Mailer>) -> Self {
        Self { app: app.clone(), mailer }
    }
}

impl Channel for EmailChannel {
    fn deliver<'a>(&'a self, m: &'a MessageRecord) -> Sending<'a> {
        Box::pin(async move {
            let (to, text, _) = match self.app.prepare(m, MessageChannel::Email).await {
                Ok(ready) => ready,
                Err(failed) => return failed,
            };
            let mut body = text.body;
            if let Some(login) = self.app.login_line(m).await {
                body.push_str(&login);
            }
            tracing::info!(message = %m.message.id, to = %mask_address(&to), "sending e-mail");
            let mail = Mail { to, subject: text.subject, body, message_id: m.message.id.clone() };
            self.mailer.send(&mail).await
        })
    }
}

/// SMS through an [`SmsGateway`], each text kept within the deployment's segments.
pub struct SmsChannel {
    app: App,
    gateway: Arc<dyn SmsGateway>,
}

impl SmsChannel {
    /// SMS for `app`'s messages through `gateway`.
    pub fn new(app: &App, gateway: Arc<dyn SmsGateway>) -> Self {
        Self { app: app.clone(), gateway }
    }
}

impl Channel for SmsChannel {
    fn deliver<'a>(&'a self, m: &'a MessageRecord) -> Sending<'a> {
        Box::pin(async move {
            let (to, text, link) = match self.app.prepare(m, MessageChannel::Sms).await {
                Ok(ready) => ready,
                Err(failed) => return failed,
            };
            let segments = self.app.messaging.policy.sms_segments;
            let sms_text = match fit(&text.sms, segments) {
                Ok(t) => t,
                Err(e) => return Outcome::Failed(format!("短信超长 (SMS too long): {e}")),
            };
            let mut params: serde_json::Value =
                m.message.params.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
            if let Some(obj) = params.as_object_mut() {
                // A provider's template variable is short (Alibaba Cloud: 35 characters): each text (a title,
                // a notice's content, a place, a reason) at most TITLE_PARAM characters, cut with `…`; the
                // link whole.
                for v in obj.values_mut() {
                    if let serde_json::Value::String(t) = v
                        && t.chars().count() > TITLE_PARAM
                    {
                        *t = format!("{}…", t.chars().take(TITLE_PARAM - 1).collect::<String>());
                    }
                }
                if m.message.kind == MessageKind::LoginCode.code() {
                    // The provider's template takes the code itself; the sealed copy stays here.
                    obj.remove("sealed_code");
                    obj.remove("title");
                    if let Some(code) = link {
                        obj.insert("code".into(), serde_json::Value::String(code));
                    }
                } else if let Some(link) = link {
                    obj.insert("link".into(), serde_json::Value::String(link));
                }
            }
            tracing::info!(message = %m.message.id, to = %mask_number(&to), "sending SMS");
            let sms = Sms {
                to,
                template: m.message.kind.clone(),
                params,
                text: sms_text,
                reference: m.message.id.clone(),
            };
            self.gateway.send(&sms).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_see_masked_contacts_only() {
        assert_eq!(
            mask_number("13800138000"),
            liaison_core::registry::MobileNumber::parse("13800138000").unwrap().masked()
        );
        assert_eq!(mask_number("123"), "****");
        assert_eq!(mask_address("zhang.san@example.cn"), "z***@example.cn");
        assert_eq!(mask_address("nobody"), "***");
    }
}
