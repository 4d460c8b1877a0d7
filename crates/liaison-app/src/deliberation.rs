//! The deliberation of the annual work report at a congress session (列席审议): attendances, opinions voiced
//! with their deputies, each opinion routed to a suggestion or an improvement measure (created in the same
//! transaction), the deputy told what came of it, and the session's summary.

use liaison_core::access::Action;
use liaison_core::deliberation::*;
use liaison_core::registry::{LongText, ShortText, parse_date};
use liaison_core::suggestion::{MeasureOrigin, MeasureStatus, Source, Suggestion, SuggestionStatus};
use liaison_core::{FieldError, ValueError};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{Fields, long, short};
use crate::refs::{department_ref, signers, staff};
use crate::runner::json_err;
use crate::runner::{Columns, RowEnv, Stored};
use crate::suggestion::{MEASURE, file_in, find_suggestion, open_measure_in};
use crate::{App, AppError, Principal};

const KIND: &str = "deliberation";

/// A new deliberation record for a congress session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliberationInput {
    /// The session (市第十六届人民代表大会第五次会议).
    pub session: String,
    /// Its first day (YYYY-MM-DD).
    pub opens_on: String,
}

/// A command on a session's deliberation record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeliberationAction {
    /// Staff attended a group's deliberation.
    Attend {
        /// The group (代表团/小组).
        group: String,
        /// The day (YYYY-MM-DD).
        on: String,
        /// Who attended.
        staff: Vec<String>,
    },
    /// An opinion voiced in an attended group, with the deputy who gave it.
    Opinion {
        /// The group.
        group: String,
        /// The deputy's id.
        deputy: String,
        /// What was said.
        text: String,
    },
    /// Route opinion `n` to a suggestion (filed now, source 大会期间, the deputy as proposer) or to an
    /// improvement measure (opened now with the owner and deadline).
    Route {
        /// The opinion's number.
        n: u32,
        /// `suggestion` or `measure`.
        to: String,
        /// For a measure: the owner department.
        #[serde(default)]
        owner: Option<String>,
        /// For a measure: the deadline (YYYY-MM-DD).
        #[serde(default)]
        deadline: Option<String>,
        /// A short title (default: the opinion's first words).
        #[serde(default)]
        title: Option<String>,
    },
    /// Tell the deputy what came of opinion `n` (its suggestion answered, or its measure done).
    Tell {
        /// The opinion's number.
        n: u32,
        /// What the deputy is told.
        text: String,
    },
    /// Close the record: every opinion has reached its deputy.
    Close {},
}

/// A session's deliberation record with its summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeliberationView {
    /// The record.
    #[schema(value_type = Object)]
    pub deliberation: Deliberation,
    /// One line per opinion: who, what, where it went, what the deputy was told.
    pub summary: Vec<OpinionLine>,
}

/// A line of a session's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpinionLine {
    /// Number.
    pub n: u32,
    /// Group.
    pub group: String,
    /// Deputy.
    pub deputy: String,
    /// The opinion.
    pub text: String,
    /// Status in Chinese.
    pub status: String,
    /// Where it went (建议 2026-0003 / 整改措施 …).
    pub handled_as: Option<String>,
    /// What the deputy was told.
    pub told: Option<String>,
}

fn line(o: &Opinion) -> OpinionLine {
    OpinionLine {
        n: o.n,
        group: o.group.to_string(),
        deputy: format!("{}（{}）", o.deputy.name, o.deputy.level.zh()),
        text: o.text.to_string(),
        status: o.status.zh().into(),
        handled_as: o.route.as_ref().map(|r| match r {
            Route::Suggestion { id, number } => {
                format!("建议 {}", number.map(|n| n.to_string()).unwrap_or_else(|| id.to_string()))
            }
            Route::Measure { id } => format!("整改措施 {id}"),
        }),
        told: o.told.as_ref().map(|(on, t)| format!("{on}：{t}")),
    }
}

fn view(d: Deliberation) -> DeliberationView {
    DeliberationView { summary: d.opinions.iter().map(line).collect(), deliberation: d }
}

impl Stored for Deliberation {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.opinions.iter().map(|o| o.deputy.deputy.to_string()).collect(),
            ..Columns::new(if self.closed_on.is_some() { "closed" } else { "open" }, self.opens_on)
        })
    }
}

/// Whether a routed item has an outcome the deputy can be told: its suggestion answered (or closed,
/// rerouted, merged), or its measure done.
fn outcome_ready(
    tx: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
    route: &Route,
) -> Result<bool, AppError> {
    Ok(match route {
        Route::Suggestion { id, .. } => {
            let s: Suggestion = find_suggestion(tx, tenant, &id.to_string())?;
            s.first_answer().is_some()
                || matches!(s.status, SuggestionStatus::Rerouted | SuggestionStatus::Merged)
        }
        Route::Measure { id } => {
            let r = tx
                .record(tenant, MEASURE, &id.to_string())?
                .ok_or_else(|| AppError::NotFound { what: "measure", id: id.to_string() })?;
            let m: liaison_core::suggestion::Measure = serde_json::from_str(&r.data).map_err(json_err)?;
            m.status != MeasureStatus::Open
        }
    })
}

impl App {
    /// Open the deliberation record of a congress session.
    pub async fn open_deliberation(
        &self,
        p: &Principal,
        input: &DeliberationInput,
    ) -> Result<DeliberationView, AppError> {
        p.require(Action::FileSuggestion)?;
        let mut f = Fields::default();
        let session = f.take("session", ShortText::parse(&input.session));
        let opens_on = f.take("opens_on", parse_date(&input.opens_on));
        f.done()?;
        let (Some(session), Some(opens_on)) = (session, opens_on) else {
            return Err(AppError::Invalid(vec![]));
        };
        self.change(p, None, move |run| {
            let id = liaison_core::ids::DeliberationId(crate::new_id());
            let today = run.today();
            run.create(id, OpenDeliberation { session, opens_on }, today).map(view)
        })
        .await
    }

    /// Run a command on a deliberation record.
    pub async fn deliberation_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: DeliberationAction,
    ) -> Result<DeliberationView, AppError> {
        p.require(Action::FileSuggestion)?;
        let (tenant, id, p2) = (p.tenant.clone(), id.trim().to_owned(), p.clone());
        self.change(p, None, move |run| {
            let d: Deliberation = run.load_seen(&id, expected)?;
            let command = match action {
                DeliberationAction::Attend { group, on, staff: people } => {
                    let mut f = Fields::default();
                    let group = f.take("group", ShortText::parse(&group));
                    let on = f.take("on", parse_date(&on));
                    let people: Vec<ShortText> = people
                        .iter()
                        .filter(|s| !s.trim().is_empty())
                        .filter_map(|s| f.take("staff", ShortText::parse(s)))
                        .collect();
                    f.done()?;
                    let (Some(group), Some(on)) = (group, on) else { return Err(AppError::Invalid(vec![])) };
                    DeliberationCommand::Attend { group, on, staff: people, by: staff(&p2) }
                }
                DeliberationAction::Opinion { group, deputy, text } => {
                    let deputy = signers(run.q(), &tenant, "deputy", &[deputy])?
                        .pop()
                        .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
                    DeliberationCommand::RecordOpinion {
                        group: short("group", &group)?,
                        deputy,
                        text: long("text", &text)?,
                    }
                }
                DeliberationAction::Route { n, to, owner, deadline, title } => {
                    let o = d
                        .opinions
                        .iter()
                        .find(|o| o.n == n)
                        .cloned()
                        .ok_or(DeliberationError::NoOpinion(n))?;
                    if o.status != OpinionStatus::Recorded {
                        return Err(DeliberationError::WrongStep { n, status: o.status }.into());
                    }
                    let title = match title.filter(|t| !t.trim().is_empty()) {
                        Some(t) => short("title", &t)?,
                        None => {
                            let head: String = o.text.as_str().chars().take(30).collect();
                            short(
                                "title",
                                &format!(
                                    "{}（{}审议意见）",
                                    head,
                                    d.session.as_str().chars().take(40).collect::<String>()
                                ),
                            )
                            .or_else(|_| short("title", &head))?
                        }
                    };
                    let route = match to.trim() {
                        "suggestion" | "建议" => {
                            let today = run.today();
                            let s = file_in(
                                run,
                                (title, o.text.clone(), Source::CongressSession, today),
                                vec![o.deputy.clone()],
                            )?;
                            Route::Suggestion { id: s.id, number: s.number }
                        }
                        "measure" | "整改措施" => {
                            let org = run.q().organisation(&tenant)?;
                            let owner = department_ref(&org, owner.as_deref().unwrap_or_default())?;
                            let deadline = parse_date(deadline.as_deref().unwrap_or_default())
                                .map_err(|e| AppError::Invalid(vec![FieldError::new("deadline", &e)]))?;
                            let origin = MeasureOrigin::Opinion {
                                text: LongText::parse(&format!("{} {}：{}", d.session, o.group, o.text))
                                    .unwrap_or_else(|_| o.text.clone()),
                            };
                            let m = open_measure_in(
                                run,
                                (title, o.text.clone(), deadline),
                                owner,
                                origin,
                                vec![o.deputy.clone()],
                                None,
                            )?;
                            Route::Measure { id: m.id }
                        }
                        _ => return Err(AppError::invalid("to", &ValueError::OneOf("suggestion/measure"))),
                    };
                    DeliberationCommand::Route { n, route }
                }
                DeliberationAction::Tell { n, text } => {
                    let o = d.opinions.iter().find(|o| o.n == n).ok_or(DeliberationError::NoOpinion(n))?;
                    let ready = match &o.route {
                        Some(r) => outcome_ready(run.q(), &tenant, r)?,
                        None => false,
                    };
                    DeliberationCommand::Tell { n, text: long("text", &text)?, outcome_ready: ready }
                }
                DeliberationAction::Close {} => DeliberationCommand::Close,
            };
            let today = run.today();
            run.execute(d, None, command, today).map(view)
        })
        .await
    }

    /// One session's deliberation record with its summary.
    pub fn deliberation(&self, p: &Principal, id: &str) -> Result<DeliberationView, AppError> {
        p.require(Action::ReadFigures)?;
        let r = self
            .read(|q| q.record(&p.tenant, KIND, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "deliberation", id: id.into() })?;
        Ok(view(serde_json::from_str(&r.data).map_err(json_err)?))
    }

    /// Every session's deliberation record.
    pub fn deliberations(&self, p: &Principal) -> Result<Vec<DeliberationView>, AppError> {
        p.require(Action::ReadFigures)?;
        let rows = self.read(|q| q.records(&p.tenant, KIND, &RecordQuery::default()))?;
        rows.iter().map(|r| serde_json::from_str(&r.data).map(view).map_err(json_err)).collect()
    }
}
