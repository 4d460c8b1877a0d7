//! Major-matter notices (重大事项通报, R2): draft, a leader's approval, sending to every current deputy of
//! the audience, per-deputy delivery and acknowledgement, and responses that may open a suggestion.

use std::collections::BTreeSet;

use liaison_core::ValueError;
use liaison_core::access::{Action, Role};
use liaison_core::ids::DeputyId;
use liaison_core::notice::*;
use liaison_core::registry::{LongText, ShortText};
use liaison_core::suggestion::{Reader, Source};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{Fields, audience, deputy_id, long, short, word};
use crate::refs::{signers, staff};
use crate::runner::{Columns, RowEnv, Stored, json_err};
use crate::suggestion::file_in;
use crate::{App, AppError, Principal};

const KIND: &str = "notice";

/// A new notice, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    /// Title.
    pub title: String,
    /// Content.
    pub content: String,
    /// `all`, `level`, `region`, `delegation`, or `chosen` (with `deputies`).
    pub scope: String,
    /// The levels, regions or delegations.
    #[serde(default)]
    pub values: Vec<String>,
    /// For `chosen`: the deputies' ids.
    #[serde(default)]
    pub deputies: Vec<String>,
    /// letter / sms / meeting / email (书面/短信/会议/电子邮件).
    pub channel: String,
}

/// A command on a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum NoticeAction {
    /// Change the draft (absent fields keep their value).
    Edit {
        /// Title.
        #[serde(default)]
        title: Option<String>,
        /// Content.
        #[serde(default)]
        content: Option<String>,
        /// Scope (with `values` / `deputies`).
        #[serde(default)]
        scope: Option<String>,
        /// Values of the scope.
        #[serde(default)]
        values: Vec<String>,
        /// Chosen deputies.
        #[serde(default)]
        deputies: Vec<String>,
        /// Channel.
        #[serde(default)]
        channel: Option<String>,
    },
    /// A leader approves it.
    Approve {},
    /// Send it to every current deputy of the audience.
    Send {},
    /// Record a recipient's delivery.
    Delivery {
        /// The deputy.
        deputy: String,
        /// Delivered (true) or failed (false).
        delivered: bool,
        /// How, or why not.
        #[serde(default)]
        note: Option<String>,
    },
    /// A recipient acknowledges it (a deputy account for itself, or the office recording it).
    Acknowledge {
        /// The deputy (default: the acting deputy account).
        #[serde(default)]
        deputy: Option<String>,
    },
    /// A recipient responds; with `open_suggestion` the response is filed as a suggestion.
    Respond {
        /// The deputy (default: the acting deputy account).
        #[serde(default)]
        deputy: Option<String>,
        /// The response.
        text: String,
        /// File it as a suggestion (source 通报反馈).
        #[serde(default)]
        open_suggestion: bool,
    },
}

/// A notice as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoticeView {
    /// The notice.
    #[schema(value_type = Object)]
    pub notice: Notice,
    /// Status in Chinese.
    pub status_zh: String,
    /// Recipients.
    pub recipients: u32,
    /// Delivered.
    pub delivered: u32,
    /// Failed deliveries.
    pub failed: u32,
    /// Acknowledged.
    pub acknowledged: u32,
    /// Responses.
    pub responded: u32,
    /// The recipients as shown (name, level, region), by id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub people: crate::People,
    /// The delivery table, one row per recipient by name: each message the outbox holds for the deputy
    /// (queued, sent, delivered, failed with the reason) beside the acknowledgement and response (staff,
    /// on one notice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<crate::notice_deliveries::NoticeDeliveryRow>,
}

fn view(n: Notice) -> NoticeView {
    let (recipients, delivered, failed, acknowledged, responded) = n.tally();
    NoticeView {
        status_zh: n.status.zh().into(),
        recipients,
        delivered,
        failed,
        acknowledged,
        responded,
        notice: n,
        people: crate::People::new(),
        deliveries: Vec::new(),
    }
}

/// A deputy account sees only its own part of a notice addressed to many (issue 12, item 5): not the
/// other recipients, their delivery, the office's notes about them or their responses.
fn own_part(p: &Principal, mut n: Notice) -> Notice {
    if p.roles == [Role::Deputy] {
        n.recipients.retain(|d, _| Some(*d) == p.deputy);
    }
    n
}

impl Stored for Notice {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.recipients.keys().map(ToString::to_string).collect(),
            ..Columns::new(self.status.code(), self.sent_on.unwrap_or(self.drafted_on))
        })
    }
}

fn notice_audience(
    q: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
    scope: &str,
    values: &[String],
    deputies: &[String],
) -> Result<NoticeAudience, AppError> {
    match scope.trim() {
        "chosen" | "指定代表" => {
            let chosen: BTreeSet<DeputyId> =
                signers(q, tenant, "deputies", deputies)?.into_iter().map(|s| s.deputy).collect();
            if chosen.is_empty() {
                return Err(AppError::invalid("deputies", &ValueError::Required));
            }
            Ok(NoticeAudience::Chosen { deputies: chosen })
        }
        s => Ok(NoticeAudience::Register { audience: audience(s, values)? }),
    }
}

/// Every current deputy of the register as a reader (level, region, delegation).
fn register(
    q: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
) -> Result<Vec<Reader>, AppError> {
    q.current_deputy_refs(tenant)?
        .into_iter()
        .map(|d| {
            Ok(Reader {
                deputy: d.id,
                level: d.level,
                region: short("region", &d.region)?,
                delegation: d.delegation.as_deref().and_then(|x| ShortText::parse(x).ok()),
            })
        })
        .collect()
}

fn own_or(p: &Principal, deputy: Option<String>) -> Result<DeputyId, AppError> {
    match (deputy, p.deputy) {
        (Some(d), _) if p.may(Action::ManageNotices) => deputy_id("deputy", &d),
        (None, Some(own)) => Ok(own),
        (Some(d), Some(own)) if d.trim() == own.to_string() => Ok(own),
        _ => Err(AppError::invalid("deputy", &ValueError::Required)),
    }
}

impl App {
    /// Draft a notice.
    pub async fn draft_notice(&self, p: &Principal, input: &NoticeInput) -> Result<NoticeView, AppError> {
        p.require(Action::ManageNotices)?;
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let content = f.take("content", LongText::parse(&input.content));
        let channel = f.take("channel", Channel::parse(&input.channel));
        f.done()?;
        let (Some(title), Some(content), Some(channel)) = (title, content, channel) else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, input, drafter) = (p.tenant.clone(), input.clone(), staff(p));
        self.change(p, None, move |run| {
            let audience = notice_audience(run.q(), &tenant, &input.scope, &input.values, &input.deputies)?;
            let id = liaison_core::ids::NoticeId(crate::new_id());
            let today = run.today();
            run.create(id, DraftNotice { title, content, audience, channel, by: Some(drafter) }, today)
                .map(view)
        })
        .await
    }

    /// Run a command on a notice.
    pub async fn notice_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: NoticeAction,
    ) -> Result<NoticeView, AppError> {
        match &action {
            NoticeAction::Approve {} => p.require(Action::ApproveLiaison)?,
            NoticeAction::Acknowledge { deputy: None } | NoticeAction::Respond { deputy: None, .. }
                if p.deputy.is_some() =>
            {
                p.require(Action::RateAsDeputy)?
            }
            _ => p.require(Action::ManageNotices)?,
        }
        let (tenant, id, p2) = (p.tenant.clone(), id.trim().to_owned(), p.clone());
        self.change(p, None, move |run| {
            let n: Notice = run.load_seen(&id, expected)?;
            if p2.roles == [Role::Deputy] && !p2.deputy.is_some_and(|d| n.recipients.contains_key(&d)) {
                return Err(AppError::NotFound { what: "notice", id });
            }
            let command = match action {
                NoticeAction::Edit { title, content, scope, values, deputies, channel } => {
                    NoticeCommand::Edit {
                        title: title.map(|t| short("title", &t)).transpose()?,
                        content: content.map(|t| long("content", &t)).transpose()?,
                        audience: scope
                            .map(|s| notice_audience(run.q(), &tenant, &s, &values, &deputies))
                            .transpose()?,
                        channel: channel.map(|c| word("channel", &c, Channel::parse)).transpose()?,
                    }
                }
                NoticeAction::Approve {} => NoticeCommand::Approve { by: staff(&p2) },
                NoticeAction::Send {} => NoticeCommand::Send { register: register(run.q(), &tenant)? },
                NoticeAction::Delivery { deputy, delivered, note } => NoticeCommand::RecordDelivery {
                    deputy: deputy_id("deputy", &deputy)?,
                    delivered,
                    note: note.filter(|s| !s.trim().is_empty()).map(|s| short("note", &s)).transpose()?,
                },
                NoticeAction::Acknowledge { deputy } => {
                    NoticeCommand::Acknowledge { deputy: own_or(&p2, deputy)? }
                }
                NoticeAction::Respond { deputy, text, open_suggestion } => {
                    let deputy = own_or(&p2, deputy)?;
                    let text = long("text", &text)?;
                    // Check first, so a refused response files nothing.
                    let today = run.today();
                    n.decide(NoticeCommand::Respond { deputy, text: text.clone(), suggestion: None }, today)?;
                    let suggestion = if open_suggestion {
                        let proposers = signers(run.q(), &tenant, "deputy", &[deputy.to_string()])?;
                        let title: String = format!("对“{}”的意见", n.title).chars().take(100).collect();
                        let s = file_in(
                            run,
                            (short("title", &title)?, text.clone(), Source::Notice, today),
                            proposers,
                        )?;
                        Some(s.id)
                    } else {
                        None
                    };
                    NoticeCommand::Respond { deputy, text, suggestion }
                }
            };
            let today = run.today();
            let (n, events) = run.execute_events(n, None, command, today)?;
            crate::notice_links::queue_for_notice(run, &n, &events)?;
            Ok(n)
        })
        .await
        .map(|n: Notice| view(own_part(p, n)))
    }

    /// One notice (a deputy account: only one it received).
    pub fn notice(&self, p: &Principal, id: &str) -> Result<NoticeView, AppError> {
        p.require(Action::ReadSuggestions)?;
        let r = self
            .read(|q| q.record(&p.tenant, KIND, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "notice", id: id.into() })?;
        let n: Notice = serde_json::from_str(&r.data).map_err(json_err)?;
        if p.roles == [Role::Deputy] && !p.deputy.is_some_and(|d| n.recipients.contains_key(&d)) {
            return Err(AppError::NotFound { what: "notice", id: id.into() });
        }
        let n = own_part(p, n);
        let people = self.people(p, n.recipients.keys().copied())?;
        let deliveries = if p.roles == [Role::Deputy] || n.status != NoticeStatus::Sent {
            Vec::new()
        } else {
            self.notice_deliveries(p, &n, &people)?
        };
        Ok(NoticeView { people, deliveries, ..view(n) })
    }

    /// Notices (a deputy account: those it received), optionally of one year (sent, or drafted if not
    /// sent, in that year).
    pub fn notices(&self, p: &Principal, year: Option<i32>) -> Result<Vec<NoticeView>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let mut q = RecordQuery::default();
        if let Some(y) = year {
            q.opened_from = Some(format!("{y}-01-01"));
            q.opened_to = Some(format!("{y}-12-31"));
        }
        if p.roles == [Role::Deputy] {
            q.deputy = p.deputy.map(|d| d.to_string());
            q.statuses = vec!["sent".into()];
        }
        let rows = self.read(|s| s.records(&p.tenant, KIND, &q))?;
        rows.iter()
            .map(|r| serde_json::from_str::<Notice>(&r.data).map(|n| view(own_part(p, n))).map_err(json_err))
            .collect()
    }
}
