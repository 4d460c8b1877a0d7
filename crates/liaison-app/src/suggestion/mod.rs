//! Suggestion use cases (R1, P1.3): file, assign, handle, answer, rate (own account, one-use link, or a
//! transcribed paper form), re-handle, close; improvement measures; due lists; figures; the deployment's
//! policy. Each command is one transaction: load, check permission and scope, let the core decide, save the
//! new state with its next deadline, append the events to the audit chain.

use chrono::NaiveDate;
use liaison_core::access::{Action, Role};
use liaison_core::calendar::WorkCalendar;
use liaison_core::ids::{DepartmentId, DeputyId, MeasureId, SuggestionId, TenantId, UserId};
use liaison_core::registry::{Deputy, LongText, ShortText, parse_date};
use liaison_core::suggestion::*;
use liaison_core::{Actor, FieldError, Meta, ValueError};
use liaison_store::{LinkRecord, Queries, RecordQuery, StoredRecord, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::*;
use crate::refs::*;
use crate::registry::Idempotency;
use crate::runner::{Columns, RowEnv, Runner, SETTINGS, Stored, json_err};
use crate::{App, AppError, Page, Principal, record};

pub(crate) const SUGGESTION: &str = "suggestion";
/// The kind of a one-use link for a deputy of the body rating a published answer.
pub(crate) const BODY_LINK: &str = "suggestion.body";
pub(crate) const MEASURE: &str = "measure";
/// The tag of an item that took part in a transfer (转办), either side: what the roll-up lists.
pub(crate) const TRANSFER_TAG: &str = "transferred";
pub(crate) const POLICY_ID: &str = "suggestion_policy";

mod wire;

pub use wire::*;

mod actions;
mod filing;
mod links;
mod measures;
mod policy;
mod reading;
#[cfg(test)]
pub(crate) use reading::monthly;
pub(crate) use reading::{MonthlySums, figures_view};
mod similar;
mod transfer;
mod view;

pub use similar::{
    ANSWER_TEMPLATES, AnswerTemplate, Handler, SIMILAR_MAX, SIMILAR_MIN_PERMILLE, Similar,
    unfilled_placeholders,
};

pub(crate) use links::{link_actor, spend_link};
pub(crate) use view::*;

// ---------------------------------------------------------------------------------------------------
// Persistence
// ---------------------------------------------------------------------------------------------------

pub(crate) fn load_policy(q: &dyn Queries, tenant: &TenantId) -> Result<(SuggestionPolicy, u64), AppError> {
    match q.record(tenant, SETTINGS, POLICY_ID)? {
        Some(r) => Ok((serde_json::from_str(&r.data).map_err(json_err)?, r.version)),
        None => Ok((SuggestionPolicy::default(), 0)),
    }
}

pub(crate) fn parse_suggestion(r: &StoredRecord) -> Result<Suggestion, AppError> {
    serde_json::from_str(&r.data).map_err(json_err)
}

/// Find a suggestion by id or number.
pub(crate) fn find_suggestion(q: &dyn Queries, tenant: &TenantId, key: &str) -> Result<Suggestion, AppError> {
    let key = key.trim();
    let rec = if SuggestionNumber::parse(key).is_ok() {
        q.record_by_number(tenant, SUGGESTION, key)?
    } else {
        q.record(tenant, SUGGESTION, key)?
    };
    rec.as_ref()
        .map(parse_suggestion)
        .transpose()?
        .ok_or_else(|| AppError::NotFound { what: "suggestion", id: key.into() })
}

impl Stored for Suggestion {
    const NEEDS_POLICY: bool = true;

    fn key(&self) -> String {
        self.id.to_string()
    }

    fn columns(&self, env: &RowEnv<'_>) -> Result<Columns, AppError> {
        let s = self;
        let mut departments: Vec<String> = Vec::new();
        if let Some(a) = &s.assignment {
            departments.push(a.lead.id.to_string());
            departments.extend(a.co_handlers.iter().map(|c| c.department.id.to_string()));
        }
        Ok(Columns {
            number: s.number.map(|n| n.to_string()),
            department: s.assignment.as_ref().map(|a| a.lead.id.to_string()),
            handler: s.assignment.as_ref().map(|a| a.handler.user.to_string()),
            due_on: s.next_deadline(env.policy, env.calendar).map(|o| o.due),
            deputies: s
                .proposers
                .iter()
                .chain(&s.withdrawn)
                .chain(&s.panel)
                .map(|p| p.deputy.to_string())
                .collect(),
            departments,
            tags: [
                (!s.publications.is_empty()).then_some("published"),
                (s.transfer.is_some() || s.transferred_from.is_some()).then_some(TRANSFER_TAG),
            ]
            .into_iter()
            .flatten()
            .map(Into::into)
            .collect(),
            summary: Some(serde_json::to_string(&SuggestionFacts::of(s)).map_err(json_err)?),
            line: Some(crate::report::ReportLine::json(s)?),
            ..Columns::new(s.status.code(), s.received_on)
        })
    }
}

/// Receive and register a suggestion inside a transaction, with the year's next number.
pub(crate) fn file_in(
    run: &mut Runner<'_>,
    (title, content, source, on): (ShortText, LongText, Source, NaiveDate),
    proposers: Vec<Signer>,
) -> Result<Suggestion, AppError> {
    let id = SuggestionId(crate::new_id());
    let s: Suggestion = run.create(id, Receive { title, content, source, on, proposers }, ())?;
    let year = chrono::Datelike::year(&on);
    let tenant = run.tenant().clone();
    let seq = run.tx().next_number(&tenant, &format!("suggestion-{year}"))?;
    let number = SuggestionNumber { year, seq: u32::try_from(seq).unwrap_or(u32::MAX) };
    run_command(run, s, None, SuggestionCommand::Register { number })
}

/// Open an improvement measure inside a transaction (linking it to its suggestion, if any).
pub(crate) fn open_measure_in(
    run: &mut Runner<'_>,
    (title, description, deadline): (ShortText, LongText, NaiveDate),
    owner: DepartmentRef,
    origin: MeasureOrigin,
    deputies: Vec<Signer>,
    from: Option<Suggestion>,
) -> Result<Measure, AppError> {
    let id = MeasureId(crate::new_id());
    let today = run.today();
    let open = OpenMeasure { title, description, origin, owner, deadline, deputies };
    let m: Measure = run.create(id, open, today)?;
    if let Some(s) = from {
        run_command(run, s, None, SuggestionCommand::LinkMeasure { measure: id })?;
    }
    Ok(m)
}

/// Decide a command on a loaded suggestion, save it and audit it (the runner, with the suggestion's
/// context: today, the policy, the calendar).
pub(crate) fn run_command(
    run: &mut Runner<'_>,
    s: Suggestion,
    expected: Option<u64>,
    command: SuggestionCommand,
) -> Result<Suggestion, AppError> {
    let policy = run.policy()?.clone();
    let cx = Ctx { today: run.today(), policy: &policy, calendar: run.calendar() };
    let (s, events) = run.execute_events(s, expected, command, cx)?;
    // The messages the events cause, in the same transaction (issue 17).
    crate::outgoing::queue_for_suggestion(run, &s, &events)?;
    Ok(s)
}

/// The view of a suggestion just written, as `shown` may see it.
pub(crate) fn view_in(run: &mut Runner<'_>, s: Suggestion, shown: Shown) -> Result<SuggestionView, AppError> {
    let (cal, today) = (run.calendar(), run.today());
    Ok(view(s, run.policy()?, cal, today, shown))
}
