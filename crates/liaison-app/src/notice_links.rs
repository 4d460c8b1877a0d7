//! A major-matter notice reaches each recipient deputy (R2, issue 17 item 1): the sending queues a message
//! to every recipient through the outbox (the inbox, and SMS or e-mail as the deputy's contact preference
//! allows), and the delivery worker, as it sends by SMS or e-mail, issues the deputy's own one-click
//! acknowledgement link into that message alone — the secret is never stored (only its SM3 hash), never
//! in an audit payload, never on a staff screen. The link opens a public page that acknowledges through the
//! core's notice state machine (`Acknowledge`); a used, expired, superseded or forged link is refused.

use chrono::{Days, NaiveDate};
use liaison_core::ids::{DeputyId, TenantId, UserId};
use liaison_core::message::{MessageKind, Recipient};
use liaison_core::notice::{Notice, NoticeCommand, NoticeEvent, NoticeStatus};
use liaison_core::{Actor, Meta};
use liaison_store::{LinkRecord, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::outgoing::Queued;
use crate::runner::{Runner, json_err};
use crate::{App, AppError, record};

/// The kind of a notice's acknowledgement link in the one-use links.
pub(crate) const NOTICE_LINK: &str = "notice";

/// How long an acknowledgement link works, in days from its sending.
pub const NOTICE_LINK_DAYS: u64 = 30;

/// What a notice's acknowledgement page shows (no login: the link is the credential, for one deputy and
/// one notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoticeAckForm {
    /// The notice's title.
    pub title: String,
    /// Its content.
    pub content: String,
    /// Sent on.
    pub sent_on: Option<NaiveDate>,
    /// The deputy the link was sent to, by name.
    pub deputy: String,
    /// The last day the link works.
    pub expires_on: NaiveDate,
}

/// Queue the notice's message to each of its recipients when it is sent (`n` the state after the events).
pub(crate) fn queue_for_notice(
    run: &mut Runner<'_>,
    n: &Notice,
    events: &[NoticeEvent],
) -> Result<(), AppError> {
    let Some(NoticeEvent::Sent { on, recipients }) =
        events.iter().find(|e| matches!(e, NoticeEvent::Sent { .. }))
    else {
        return Ok(());
    };
    let tenant = run.tenant().clone();
    let sender = run.q().tenant(&tenant)?.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "本院".into());
    let params = serde_json::json!({
        "title": n.title.as_str(), "content": n.content.as_str(), "sent_on": on, "sender": sender,
    });
    let (id, stage) = (n.id.to_string(), format!("v{}", n.version));
    for deputy in recipients {
        let m = Queued {
            kind: MessageKind::NoticeSent,
            recipient: Recipient::Deputy(*deputy),
            params: params.clone(),
        };
        run.queue_everywhere(("notice", &id), &stage, m)?;
    }
    Ok(())
}

fn gone(code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::BadFile { code, zh: zh.into(), en: en.into() }
}

/// The deputy acknowledged the notice already (through the deputy's account, or the office recorded it).
fn acknowledged() -> AppError {
    gone(
        "notice_link.acknowledged",
        "您已确认知悉该通报，无需再次确认",
        "you have already acknowledged this notice",
    )
}

fn not_found() -> AppError {
    AppError::NotFound { what: "notice link", id: String::new() }
}

/// A link still usable today: not used, not past its day.
fn usable(link: &LinkRecord, today: NaiveDate) -> Result<NaiveDate, AppError> {
    if link.used_at.is_some() {
        return Err(gone(
            "notice_link.used",
            "该确认链接已使用过",
            "this acknowledgement link was already used",
        ));
    }
    let expires = NaiveDate::parse_from_str(&link.expires_on, "%Y-%m-%d").map_err(|_| not_found())?;
    if today > expires {
        return Err(gone("notice_link.expired", "该确认链接已过期", "this acknowledgement link has expired"));
    }
    Ok(expires)
}

impl App {
    /// The worker's acknowledgement link for the deputy a notice's message is for: issued as it sends, so it
    /// exists only in the message that reaches the deputy; it replaces the deputy's earlier unused ones and
    /// is audited by its id alone (`notice.ack_link_sent`). `None` when there is nothing to acknowledge (not
    /// a recipient, or acknowledged already).
    pub(crate) async fn notice_link_for_message(
        &self,
        tenant: &TenantId,
        notice: &str,
        deputy: DeputyId,
        message: &str,
    ) -> Result<Option<String>, AppError> {
        let meta = crate::delivery::worker_meta(self.now(), None);
        let (tenant, id, message) = (tenant.clone(), notice.to_owned(), message.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let Some(r) = tx.record(&tenant, NOTICE_LINK, &id)? else { return Ok(None) };
            let n: Notice = serde_json::from_str(&r.data).map_err(json_err)?;
            let open = n.status == NoticeStatus::Sent
                && n.recipients.get(&deputy).is_some_and(|d| d.acknowledged_on.is_none());
            if !open {
                return Ok(None);
            }
            let revoked = tx.revoke_deputy_links(&tenant, NOTICE_LINK, &id, &deputy.to_string())?;
            let link_id = liaison_store::crypto::random_hex(8)?;
            let token = format!("{link_id}.{}", liaison_store::crypto::random_hex(24)?);
            let expires_on = meta.today().checked_add_days(Days::new(NOTICE_LINK_DAYS)).unwrap_or(meta.today());
            let link = LinkRecord {
                id: link_id.clone(),
                tenant: tenant.clone(),
                kind: NOTICE_LINK.into(),
                record_id: id.clone(),
                deputy_id: deputy.to_string(),
                round: 0,
                created_at: meta.at,
                expires_on: expires_on.to_string(),
                used_at: None,
            };
            tx.insert_link(&link, &liaison_store::crypto::token_hash(&token))?;
            let payload = serde_json::json!({
                "deputy": deputy.0, "link": link_id, "message": message, "expires_on": expires_on, "revoked": revoked,
            });
            tx.append(&tenant, record(&meta, "notice.ack_link_sent", NOTICE_LINK, id, payload))?;
            Ok(Some(format!("/ack/{token}")))
        })
        .await
    }

    /// The notice link of `token`, its notice and its deputy (forged, or a link of another kind: not found).
    fn notice_link(&self, token: &str) -> Result<(LinkRecord, Notice, DeputyId), AppError> {
        let token = token.trim();
        if token.len() > 80 || !token.contains('.') {
            return Err(not_found());
        }
        let hash = liaison_store::crypto::token_hash(token);
        let link =
            self.read(|q| q.link_by_hash(&hash))?.filter(|l| l.kind == NOTICE_LINK).ok_or_else(not_found)?;
        let r = self.read(|q| q.record(&link.tenant, NOTICE_LINK, &link.record_id))?.ok_or_else(not_found)?;
        let n: Notice = serde_json::from_str(&r.data).map_err(json_err)?;
        let deputy = crate::input::deputy_id("deputy", &link.deputy_id)?;
        if !n.recipients.contains_key(&deputy) {
            return Err(not_found());
        }
        Ok((link, n, deputy))
    }

    /// What the acknowledgement page shows for a link.
    pub fn notice_ack_form(&self, token: &str) -> Result<NoticeAckForm, AppError> {
        let (link, n, deputy) = self.notice_link(token)?;
        let expires_on = usable(&link, liaison_core::dates::china_date(self.now()))?;
        if n.recipients.get(&deputy).is_some_and(|d| d.acknowledged_on.is_some()) {
            return Err(acknowledged());
        }
        let name = self.read(|q| q.deputy_summary(&link.tenant, deputy))?.map(|d| d.name.as_str().to_owned());
        Ok(NoticeAckForm {
            title: n.title.to_string(),
            content: n.content.to_string(),
            sent_on: n.sent_on,
            deputy: name.unwrap_or_default(),
            expires_on,
        })
    }

    /// The deputy acknowledges the notice through the link: the link is spent and the core's `Acknowledge`
    /// recorded in one transaction, as the deputy by the link (audited with the link's id, never its
    /// secret). A notice already acknowledged (by the deputy's account, or the office) is refused by the core.
    pub async fn acknowledge_by_link(&self, token: &str) -> Result<NoticeAckForm, AppError> {
        let form = self.notice_ack_form(token)?;
        let (link, _, deputy) = self.notice_link(token)?;
        let actor = Actor {
            user: UserId(uuid::Uuid::nil()),
            name: format!("代表{}（知悉确认链接 {}）", form.deputy, link.id),
            via: Some(format!("link:{}", link.id)),
        };
        let meta = Meta { actor, at: self.now(), reason: None };
        self.change_as(link.tenant.clone(), meta, move |run| {
            let n: Notice = run.load(&link.record_id)?;
            let today = run.today();
            usable(&link, today)?;
            let (tenant, at) = (link.tenant.clone(), run.meta().at);
            if !run.tx().use_link(&tenant, &link.id, at)? {
                return Err(gone(
                    "notice_link.used",
                    "该确认链接已使用过",
                    "this acknowledgement link was already used",
                ));
            }
            run.execute(n, None, NoticeCommand::Acknowledge { deputy }, today).map_err(|e| {
                match e.rule_as::<liaison_core::notice::NoticeError>() {
                    Some(liaison_core::notice::NoticeError::AlreadyRecorded) => acknowledged(),
                    _ => e,
                }
            })?;
            Ok(())
        })
        .await?;
        Ok(form)
    }
}
