//! A deputy files a joint suggestion online (issue 17, item 7): the lead deputy opens a draft, invites
//! co-signers, edits; each co-signer confirms or declines for themself; the lead submits, and in the same
//! transaction the suggestion is filed (received and registered with the year's next number, source
//! `online`) with the lead and the co-signers who confirmed as its proposers, and the draft records the
//! suggestion's id and number. The rules are the core's (`liaison_core::suggestion::draft`); here the
//! deputy who acts is always the account's own deputy, never one named in the request.
//!
//! Who reads a draft: its lead and the deputies invited to it, nobody else — staff see what a draft became
//! (the filed suggestion, marked as filed online), not the deputies' words before they agreed on them.

use liaison_core::access::{Action, Role};
use liaison_core::ids::{DeputyId, DraftId};
use liaison_core::message::{MessageKind, Recipient};
use liaison_core::registry::{LongText, ShortText};
use liaison_core::suggestion::Source;
use liaison_core::suggestion::draft::{Draft, DraftCommand, DraftError, DraftEvent, Filed, OpenDraft};
use liaison_core::{FieldError, Localized};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::Fields;
use crate::outgoing::Queued;
use crate::refs::signers;
use crate::registry::Idempotency;
use crate::runner::{Columns, RowEnv, Runner, Stored, json_err};
use crate::suggestion::file_in;
use crate::{App, AppError, Principal};

mod candidates;
mod view;

pub use candidates::Candidate;
pub use view::{CoSignerView, DraftView, SignerView};

/// The record kind of a draft.
pub(crate) const DRAFT: &str = "draft";

/// A new draft: its words and the co-signers invited at once (deputy ids; may be none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// 标题.
    pub title: String,
    /// 内容.
    pub content: String,
    /// Co-signers to invite (deputy ids).
    #[serde(default)]
    pub co_signers: Vec<String>,
}

/// A command on a draft; the deputy who acts is the account's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum DraftAction {
    /// The lead invites co-signers (deputy ids).
    Invite {
        /// Deputy ids.
        co_signers: Vec<String>,
    },
    /// The lead changes the words (a part not given is kept); confirmations given so far are withdrawn.
    Edit {
        /// New title.
        #[serde(default)]
        title: Option<String>,
        /// New content.
        #[serde(default)]
        content: Option<String>,
    },
    /// An invited co-signer confirms the words of the edition read.
    Confirm {
        /// The edition read (`edition` of the draft).
        edition: u32,
    },
    /// An invited co-signer declines (or takes back a confirmation).
    Decline {
        /// Why (optional).
        #[serde(default)]
        reason: Option<String>,
    },
    /// The lead submits: every invitation answered, or `leave_unanswered` to file with those who confirmed.
    Submit {
        /// File with those who confirmed; the unanswered invitations lapse.
        #[serde(default)]
        leave_unanswered: bool,
    },
    /// The lead withdraws the draft.
    Withdraw {
        /// Why (optional).
        #[serde(default)]
        reason: Option<String>,
    },
}

impl Stored for Draft {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        let deputies = std::iter::once(&self.lead)
            .chain(self.invitations.iter().map(|i| &i.signer))
            .map(|s| s.deputy.to_string())
            .collect();
        Ok(Columns { deputies, ..Columns::new(self.status.code(), self.opened_on) })
    }
}

/// The account's own deputy: a deputy account acting as itself, nobody else (an administrator holds no
/// deputy role, a staff account no deputy).
fn own_deputy(p: &Principal) -> Result<DeputyId, AppError> {
    p.require(Action::DraftSuggestion)?;
    match p.deputy {
        Some(d) if p.roles.contains(&Role::Deputy) => Ok(d),
        _ => Err(AppError::Forbidden { action: Action::DraftSuggestion.code() }),
    }
}

/// A refusal of the draft's rules about the request's own input names its field (problem+json
/// `errors[]`); the others stay the workflow's refusals.
fn named(e: AppError) -> AppError {
    match e.rule_as::<DraftError>() {
        Some(d) if d.is_input() => match d.field() {
            Some(field) => AppError::Invalid(vec![FieldError {
                field: field.to_owned(),
                code: d.code(),
                message_zh: d.zh(),
                message_en: d.en(),
            }]),
            None => e,
        },
        _ => e,
    }
}

/// A draft the deputy may see (lead or invited); any other is not found, whether it exists or not.
fn visible(run: &Runner<'_>, id: &str, deputy: DeputyId, expected: Option<u64>) -> Result<Draft, AppError> {
    let not_found = || AppError::NotFound { what: DRAFT, id: id.trim().to_owned() };
    let d: Draft = run.find(id)?.ok_or_else(not_found)?;
    if !d.concerns(deputy) {
        return Err(not_found());
    }
    crate::runner::expect_version(DRAFT, &d.key(), d.version, expected)?;
    Ok(d)
}

fn optional_short(f: &mut Fields, field: &str, s: Option<&str>) -> Option<ShortText> {
    s.filter(|s| !s.trim().is_empty()).and_then(|s| f.take(field, ShortText::parse(s)))
}

impl App {
    /// Open a draft as its lead (the account's own deputy), inviting the co-signers named.
    pub async fn open_draft(
        &self,
        p: &Principal,
        input: &DraftInput,
        idempotency: Option<Idempotency>,
    ) -> Result<DraftView, AppError> {
        let me = own_deputy(p)?;
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let content = f.take("content", LongText::parse(&input.content));
        f.done()?;
        let (Some(title), Some(content)) = (title, content) else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, ids) = (p.tenant.clone(), input.co_signers.clone());
        let idempotency = idempotency.map(|i| i.scoped(p, "draft.open"));
        self.change(p, None, move |run| {
            if let Some(i) = &idempotency
                && let Some((hash, response)) = run.q().idempotent(&tenant, &i.key)?
            {
                return if hash == i.request_hash {
                    serde_json::from_str(&response).map_err(json_err)
                } else {
                    Err(AppError::IdempotencyMismatch)
                };
            }
            let lead = signers(run.q(), &tenant, "lead", &[me.to_string()])?
                .pop()
                .ok_or(AppError::Contract("the lead was just looked up"))?;
            let co_signers = signers(run.q(), &tenant, "co_signers", &ids)?;
            let today = run.today();
            let open = OpenDraft { lead, title, content, co_signers };
            let d: Draft = run.create(DraftId(crate::new_id()), open, today).map_err(named)?;
            let events = opening_invitation(&d);
            queue_for_draft(run, &d, &events)?;
            let v = DraftView::of(&d, me);
            if let Some(i) = &idempotency {
                let body = serde_json::to_string(&v).map_err(json_err)?;
                let at = run.meta().at;
                run.tx().save_idempotent(&tenant, &i.key, &i.request_hash, &body, at)?;
            }
            Ok(v)
        })
        .await
    }

    /// Run a command on a draft as the account's own deputy (the lead's commands, or a co-signer's answer).
    pub async fn draft_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: DraftAction,
    ) -> Result<DraftView, AppError> {
        let me = own_deputy(p)?;
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        self.change(p, None, move |run| {
            let d = visible(run, &id, me, expected)?;
            let mut f = Fields::default();
            let command = match action {
                DraftAction::Invite { co_signers } => DraftCommand::Invite {
                    by: me,
                    co_signers: signers(run.q(), &tenant, "co_signers", &co_signers)?,
                },
                DraftAction::Edit { title, content } => {
                    let title = optional_short(&mut f, "title", title.as_deref());
                    let content = content
                        .as_deref()
                        .filter(|s| !s.trim().is_empty())
                        .and_then(|s| f.take("content", LongText::parse(s)));
                    DraftCommand::Edit { by: me, title, content }
                }
                DraftAction::Confirm { edition } => DraftCommand::Confirm { by: me, edition },
                DraftAction::Decline { reason } => DraftCommand::Decline {
                    by: me,
                    reason: optional_short(&mut f, "reason", reason.as_deref()),
                },
                DraftAction::Withdraw { reason } => DraftCommand::Withdraw {
                    by: me,
                    reason: optional_short(&mut f, "reason", reason.as_deref()),
                },
                DraftAction::Submit { leave_unanswered } => {
                    // Checked before anything is written; the suggestion is filed, then the draft records it.
                    let proposers = d.proposers(me, leave_unanswered).map_err(AppError::rule)?;
                    let today = run.today();
                    let s =
                        file_in(run, (d.title.clone(), d.content.clone(), Source::Online, today), proposers)?;
                    let number = s.number.ok_or(AppError::Contract("a filed suggestion has its number"))?;
                    DraftCommand::Submit {
                        by: me,
                        leave_unanswered,
                        filed: Filed { suggestion: s.id, number },
                    }
                }
            };
            f.done()?;
            let today = run.today();
            let (d, events) = run.execute_events(d, None, command, today).map_err(named)?;
            queue_for_draft(run, &d, &events)?;
            Ok(DraftView::of(&d, me))
        })
        .await
    }

    /// One draft, as the account's own deputy sees it (its lead or a deputy invited to it).
    pub fn draft(&self, p: &Principal, id: &str) -> Result<DraftView, AppError> {
        let me = own_deputy(p)?;
        let not_found = || AppError::NotFound { what: DRAFT, id: id.trim().to_owned() };
        let r = self.read(|q| q.record(&p.tenant, DRAFT, id.trim()))?.ok_or_else(not_found)?;
        let d: Draft = serde_json::from_str(&r.data).map_err(json_err)?;
        if !d.concerns(me) {
            return Err(not_found());
        }
        Ok(DraftView::of(&d, me))
    }

    /// The drafts the account's own deputy leads or is invited to, the newest first.
    pub fn drafts(&self, p: &Principal) -> Result<Vec<DraftView>, AppError> {
        let me = own_deputy(p)?;
        let q = RecordQuery { deputy: Some(me.to_string()), ..RecordQuery::default() };
        let rows = self.read(|s| s.records(&p.tenant, DRAFT, &q))?;
        let mut out = rows
            .iter()
            .map(|r| serde_json::from_str::<Draft>(&r.data).map_err(json_err))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|d| std::cmp::Reverse((d.opened_on, d.id)));
        Ok(out.iter().map(|d| DraftView::of(d, me)).collect())
    }
}

/// The events of a draft just opened that cause messages: its first invitation, if any.
fn opening_invitation(d: &Draft) -> Vec<DraftEvent> {
    if d.invitations.is_empty() {
        return vec![];
    }
    let co_signers = d.invitations.iter().map(|i| i.signer.clone()).collect();
    vec![DraftEvent::Invited { co_signers, on: d.opened_on }]
}

/// Queue what a draft's events cause (`d` the state after them): an invitation to each deputy invited (or
/// asked again after an edit), and to the lead when the last invitation is answered.
pub(crate) fn queue_for_draft(
    run: &mut Runner<'_>,
    d: &Draft,
    events: &[DraftEvent],
) -> Result<(), AppError> {
    let id = d.id.to_string();
    let stage = format!("v{}", d.version);
    let base = |again: bool| {
        serde_json::json!({
            "title": d.title.as_str(), "lead": d.lead.name.as_str(), "edition": d.edition, "again": again,
        })
    };
    for e in events {
        let (to, again): (Vec<DeputyId>, bool) = match e {
            DraftEvent::Invited { co_signers, .. } => (co_signers.iter().map(|s| s.deputy).collect(), false),
            DraftEvent::Edited { reopened, .. } => (reopened.clone(), true),
            DraftEvent::Confirmed { .. } | DraftEvent::Declined { .. } if d.all_answered() => {
                let count = |code: &str| d.invitations.iter().filter(|i| i.answer.code() == code).count();
                let params = serde_json::json!({
                    "title": d.title.as_str(), "confirmed": count("confirmed"), "declined": count("declined"),
                });
                let m = Queued {
                    kind: MessageKind::DraftAnswered,
                    recipient: Recipient::Deputy(d.lead.deputy),
                    params,
                };
                run.queue_everywhere((DRAFT, &id), &stage, m)?;
                continue;
            }
            _ => continue,
        };
        for deputy in to {
            let m = Queued {
                kind: MessageKind::DraftInvited,
                recipient: Recipient::Deputy(deputy),
                params: base(again),
            };
            run.queue_everywhere((DRAFT, &id), &stage, m)?;
        }
    }
    Ok(())
}
