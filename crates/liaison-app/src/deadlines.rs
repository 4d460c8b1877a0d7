//! Deadlines and the calendar they are counted on (issue 11, item 16): how a deadline was computed (start,
//! rule, days skipped, years assumed), and the recomputation of the running answer deadlines once a newer
//! holiday schedule is loaded — each change an event on its suggestion's record.

use chrono::NaiveDate;
use liaison_core::FieldError;
use liaison_core::access::Action;
use liaison_core::calendar::DeadlineBasis;
use liaison_core::registry::parse_date;
use liaison_core::suggestion::{Ctx, SuggestionCommand, SuggestionError, SuggestionEvent};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::parse_period;
use crate::suggestion::{SUGGESTION, parse_suggestion, run_command};
use crate::{App, AppError, Principal};

/// How a deadline is computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeadlineExplanation {
    /// The computation: start, period, due day, days skipped, years assumed.
    #[schema(value_type = Object)]
    pub basis: DeadlineBasis,
    /// The same in Chinese.
    pub note_zh: String,
    /// The same in English.
    pub note_en: String,
}

/// An answer deadline moved by the calendar as it now stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeadlineChange {
    /// The suggestion's number.
    pub number: Option<String>,
    /// Its title.
    pub title: String,
    /// The deadline before.
    pub from: NaiveDate,
    /// The deadline now.
    pub to: NaiveDate,
}

/// How a deadline of `period` (`3m`, `20d`) from `start` is computed on this calendar (no database needed).
pub fn explain_deadline(
    calendar: &liaison_core::calendar::WorkCalendar,
    start: &str,
    period: &str,
) -> Result<DeadlineExplanation, AppError> {
    let start = parse_date(start).map_err(|e| FieldError::new("from", &e));
    // A period a deadline can have: 1 to 1,000 working days or 1 to 60 months (a user walk asked for
    // 99,999 days and got half a megabyte of skipped days; 0 days is no deadline).
    let period = parse_period(period)
        .and_then(|p| match p {
            liaison_core::calendar::Period::WorkingDays(n) if (1..=1000).contains(&n) => Ok(p),
            liaison_core::calendar::Period::Months(n) if (1..=60).contains(&n) => Ok(p),
            _ => Err(liaison_core::ValueError::Range { min: 1, max: 1000 }),
        })
        .map_err(|e| FieldError::new("period", &e));
    let (start, period) = match (start, period) {
        (Ok(s), Ok(p)) => (s, p),
        (s, p) => return Err(AppError::Invalid(s.err().into_iter().chain(p.err()).collect())),
    };
    let basis = calendar.explain(start, period);
    Ok(DeadlineExplanation { note_zh: basis.note_zh(), note_en: basis.note_en(), basis })
}

impl App {
    /// How a deadline of `period` (`3m`, `20d`) from `start` is computed on the calendar in force.
    pub fn explain_deadline(&self, start: &str, period: &str) -> Result<DeadlineExplanation, AppError> {
        explain_deadline(&self.calendar, start, period)
    }

    /// Recompute the answer deadlines of the items being handled on the calendar as it now stands (after a
    /// newer holiday schedule is loaded: `LIAISON_CALENDAR`), those an approved extension governs excepted;
    /// each change is recorded on its item. With `dry_run` nothing is written: the changes are listed.
    pub async fn recompute_deadlines(
        &self,
        p: &Principal,
        dry_run: bool,
    ) -> Result<Vec<DeadlineChange>, AppError> {
        p.require(Action::AssignSuggestion)?;
        let tenant = p.tenant.clone();
        let changes = self
            .change(p, Some("节假日安排更新，重新计算答复期限".into()), move |run| {
                let policy = run.policy()?.clone();
                let q = RecordQuery {
                    statuses: vec!["assigned".into(), "in_handling".into()],
                    ..RecordQuery::default()
                };
                let mut out = Vec::new();
                for r in run.q().records(&tenant, SUGGESTION, &q)? {
                    let Ok(s) = parse_suggestion(&r) else { continue };
                    let ctx = Ctx { today: run.today(), policy: &policy, calendar: run.calendar() };
                    let from = s.assignment.as_ref().map(|a| a.deadline);
                    match s.decide(SuggestionCommand::RecomputeDeadline, ctx) {
                        Ok(events) => {
                            let to = events.iter().find_map(|e| match e {
                                SuggestionEvent::DeadlineRecomputed { to, .. } => Some(*to),
                                _ => None,
                            });
                            if let (Some(from), Some(to)) = (from, to) {
                                out.push(DeadlineChange {
                                    number: s.number.map(|n| n.to_string()),
                                    title: s.title.to_string(),
                                    from,
                                    to,
                                });
                            }
                            if !dry_run {
                                run_command(run, s, None, SuggestionCommand::RecomputeDeadline)?;
                            }
                        }
                        Err(SuggestionError::NothingToChange | SuggestionError::IllegalTransition { .. }) => {
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(out)
            })
            .await?;
        Ok(changes)
    }
}
