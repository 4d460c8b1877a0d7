//! Regular meetings and visits (R3, P1.1, P1.2): the liaison work plan of a period and its progress,
//! meetings with deputies (agenda, invitations, attendance, minutes, opinions that become suggestions or
//! improvement measures), visits to deputies, the deputies not yet reached, and the calendar as `.ics`.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use liaison_core::Aggregate;
use liaison_core::ValueError;
use liaison_core::access::Action;
use liaison_core::ids::DeputyId;
use liaison_core::meeting::*;
use liaison_core::registry::{LongText, ShortText, parse_date};
use liaison_core::suggestion::{MeasureOrigin, Signer, Source};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{Fields, deputy_id, long, short, word};
use crate::refs::{department_ref, signers, staff};
use crate::runner::{Columns, RowEnv, Runner, Stored, json_err, snapshot};
use crate::suggestion::{file_in, open_measure_in};
use crate::{App, AppError, Principal};

const PLAN: &str = "plan";
pub(crate) const MEETING: &str = "meeting";
pub(crate) const VISIT: &str = "visit";

/// A plan's targets, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// `2026`, `2026H1` or `2026H2`.
    pub period: String,
    /// Meetings with deputies.
    pub meetings: u32,
    /// Share of the deputies in office to reach (visit or meet), per cent.
    pub reached_percent: u32,
    /// Major-matter notices.
    pub notices: u32,
    /// Activities.
    pub activities: u32,
    /// What the plan says.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A plan and its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PlanView {
    /// The plan.
    #[schema(value_type = Object)]
    pub plan: Plan,
    /// What happened in the period.
    #[schema(value_type = Object)]
    pub achieved: Achieved,
    /// Each target against what was achieved.
    #[schema(value_type = Vec<Object>)]
    pub progress: Vec<Progress>,
}

/// A meeting with the labels of the deputies it names (invited, attending, raising an opinion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    /// The meeting.
    pub meeting: Meeting,
    /// The invited deputies' labels by id.
    pub people: crate::People,
}

/// Where an opinion raised at a meeting or visit goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpinionInput {
    /// The deputy's id.
    pub deputy: String,
    /// What was said.
    pub text: String,
    /// `suggestion` (filed now), `measure` (opened now, with `owner` and `deadline`) or absent (recorded only).
    #[serde(default)]
    pub to: Option<String>,
    /// For a measure: the owner department.
    #[serde(default)]
    pub owner: Option<String>,
    /// For a measure: the deadline.
    #[serde(default)]
    pub deadline: Option<String>,
}

/// A new meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    /// Title.
    pub title: String,
    /// Day (YYYY-MM-DD).
    pub on: String,
    /// Place.
    pub place: String,
    /// Agenda items as `kind:title` (`work_report:通报一季度工作`, `petitions:信访办理情况` …).
    pub agenda: Vec<String>,
    /// Deputies invited (ids).
    #[serde(default)]
    pub invite: Vec<String>,
}

/// A command on a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum MeetingAction {
    /// Invite more deputies.
    Invite {
        /// Deputies (ids).
        deputies: Vec<String>,
    },
    /// It was held: who attended, the minutes.
    Hold {
        /// Deputies who attended (ids).
        attended: Vec<String>,
        /// Minutes.
        minutes: String,
    },
    /// Cancel it.
    Cancel {
        /// Why.
        reason: String,
    },
    /// An opinion raised by an attending deputy.
    Opinion {
        /// The opinion.
        #[serde(flatten)]
        #[schema(inline)]
        opinion: OpinionInput,
    },
}

/// A visit, recorded after it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    /// The deputy's id.
    pub deputy: String,
    /// Day.
    pub on: String,
    /// home / work_unit / office (家中/工作单位/办公场所).
    pub place: String,
    /// Who went.
    pub staff: Vec<String>,
    /// Notes.
    pub notes: String,
    /// Issues raised (each routed like a meeting's opinions; the deputy is the visited one).
    #[serde(default)]
    pub issues: Vec<OpinionInput>,
}

/// A plan is stored under its period, `adopted` once a leader adopted it.
impl Stored for Plan {
    fn key(&self) -> String {
        self.id.clone()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns::new(if self.adopted.is_some() { "adopted" } else { "draft" }, self.period.from()))
    }
}

/// A visit is written once; its audit record is the visit itself.
impl Stored for Visit {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns { deputies: vec![self.deputy.deputy.to_string()], ..Columns::new("recorded", self.on) })
    }
    fn payload(&self, _: &VisitEvent) -> Result<serde_json::Value, AppError> {
        snapshot(self)
    }
}

impl Stored for Meeting {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.invited.iter().map(|s| s.deputy.to_string()).collect(),
            ..Columns::new(self.status.code(), self.on)
        })
    }
}

/// Route an opinion: file a suggestion (source 座谈会 / 走访) or open a measure, in the caller's
/// transaction. Returns the opinion with what it became.
fn route_opinion(
    run: &mut Runner<'_>,
    who: &Signer,
    input: &OpinionInput,
    source: Source,
    context: &str,
) -> Result<RaisedOpinion, AppError> {
    let text = long("text", &input.text)?;
    let title = short(
        "title",
        &format!("{}：{}", context, text.as_str().chars().take(40).collect::<String>())
            .chars()
            .take(100)
            .collect::<String>(),
    )?;
    let became = match input.to.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some("suggestion" | "建议") => {
            let today = run.today();
            let s = file_in(run, (title, text.clone(), source, today), vec![who.clone()])?;
            Some(format!("suggestion:{}", s.id))
        }
        Some("measure" | "整改措施") => {
            let org = run.q().organisation(run.tenant())?;
            let owner = department_ref(&org, input.owner.as_deref().unwrap_or_default())?;
            let deadline = parse_date(input.deadline.as_deref().unwrap_or_default())
                .map_err(|e| AppError::invalid("deadline", &e))?;
            let origin = MeasureOrigin::Opinion {
                text: long("text", &format!("{context}：{text}")).unwrap_or_else(|_| text.clone()),
            };
            let m = open_measure_in(
                run,
                (title, text.clone(), deadline),
                owner,
                origin,
                vec![who.clone()],
                None,
            )?;
            Some(format!("measure:{}", m.id))
        }
        Some(_) => return Err(AppError::invalid("to", &ValueError::OneOf("suggestion/measure"))),
    };
    Ok(RaisedOpinion { deputy: who.deputy, text, became })
}

fn agenda_item(s: &str) -> Result<AgendaItem, AppError> {
    let (k, t) = s.split_once([':', '：']).unwrap_or(("other", s));
    Ok(AgendaItem { kind: word("agenda", k, AgendaKind::parse)?, title: short("agenda", t)? })
}

impl App {
    /// Set a period's plan targets (creating the plan), before a leader adopts it.
    /// With `expected`, refused as stale unless the plan is at that version (0: not set yet).
    pub async fn set_plan(
        &self,
        p: &Principal,
        input: &PlanInput,
        expected: Option<u64>,
    ) -> Result<PlanView, AppError> {
        p.require(Action::ManageLiaison)?;
        let period = PlanPeriod::parse(&input.period).map_err(|e| AppError::invalid("period", &e))?;
        if input.reached_percent > 100 {
            return Err(AppError::invalid("reached_percent", &ValueError::Range { min: 0, max: 100 }));
        }
        let notes =
            input.notes.as_deref().filter(|s| !s.trim().is_empty()).map(|s| long("notes", s)).transpose()?;
        let targets = Targets {
            meetings: input.meetings,
            reached_percent: input.reached_percent,
            notices: input.notices,
            activities: input.activities,
        };
        let plan = self
            .change(p, None, move |run| {
                let today = run.today();
                let command = PlanCommand::SetTargets { targets, notes };
                run.upsert(period, expected, command, today, |c| (c, today))
            })
            .await?;
        self.plan_view(p, plan)
    }

    /// A leader adopts a period's plan.
    pub async fn adopt_plan(
        &self,
        p: &Principal,
        period: &str,
        expected: Option<u64>,
    ) -> Result<PlanView, AppError> {
        p.require(Action::ApproveLiaison)?;
        let period = PlanPeriod::parse(period).map_err(|e| AppError::invalid("period", &e))?;
        let by = staff(p);
        let plan = self
            .change(p, None, move |run| {
                let plan: Plan = run.load(&period.to_string())?;
                let today = run.today();
                run.execute(plan, expected, PlanCommand::Adopt { by }, today)
            })
            .await?;
        self.plan_view(p, plan)
    }

    /// A period's plan with its progress computed from what happened.
    pub fn plan(&self, p: &Principal, period: &str) -> Result<PlanView, AppError> {
        p.require(Action::ReadCoverage)?;
        let period = PlanPeriod::parse(period).map_err(|e| AppError::invalid("period", &e))?;
        let r = self
            .read(|q| q.record(&p.tenant, PLAN, &period.to_string()))?
            .ok_or_else(|| AppError::NotFound { what: "plan", id: period.to_string() })?;
        let plan: Plan = serde_json::from_str(&r.data).map_err(json_err)?;
        self.plan_view(p, plan)
    }

    fn plan_view(&self, p: &Principal, plan: Plan) -> Result<PlanView, AppError> {
        let (from, to) = (plan.period.from(), plan.period.to());
        let reach = self.reach_report(p, from, to)?;
        let in_period = RecordQuery {
            opened_from: Some(from.to_string()),
            opened_to: Some(to.to_string()),
            ..RecordQuery::default()
        };
        let held = RecordQuery { statuses: vec!["held".into()], ..in_period.clone() };
        let sent = RecordQuery { statuses: vec!["sent".into()], ..in_period };
        let meetings = self.read(|q| q.records(&p.tenant, MEETING, &held))?.len() as u32;
        let notices = self.read(|q| q.records(&p.tenant, "notice", &sent))?.len() as u32;
        let activities = self.read(|q| q.records(&p.tenant, "activity", &held))?.len() as u32;
        let deputies = reach.by_level.iter().map(|x| x.1).sum();
        let achieved = Achieved { meetings, reached: reach.reached, deputies, notices, activities };
        Ok(PlanView { progress: progress(&plan.targets, &achieved), achieved, plan })
    }

    /// Plan a meeting with deputies.
    pub async fn plan_meeting(&self, p: &Principal, input: &MeetingInput) -> Result<Meeting, AppError> {
        p.require(Action::ManageLiaison)?;
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let on = f.take("on", parse_date(&input.on));
        let place = f.take("place", ShortText::parse(&input.place));
        f.done()?;
        let (Some(title), Some(on), Some(place)) = (title, on, place) else {
            return Err(AppError::Invalid(vec![]));
        };
        let agenda = input
            .agenda
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| agenda_item(s))
            .collect::<Result<Vec<_>, _>>()?;
        let (tenant, invite) = (p.tenant.clone(), input.invite.clone());
        self.change(p, None, move |run| {
            let invited = signers(run.q(), &tenant, "invite", &invite)?;
            let id = liaison_core::ids::MeetingId(crate::new_id());
            run.create(id, PlanMeeting { title, on, place, agenda, invited }, ())
        })
        .await
    }

    /// Run a command on a meeting.
    pub async fn meeting_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: MeetingAction,
    ) -> Result<Meeting, AppError> {
        p.require(Action::ManageLiaison)?;
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        self.change(p, None, move |run| {
            let m: Meeting = run.load_seen(&id, expected)?;
            let command = match action {
                MeetingAction::Invite { deputies } => {
                    MeetingCommand::Invite { deputies: signers(run.q(), &tenant, "deputies", &deputies)? }
                }
                MeetingAction::Hold { attended, minutes } => {
                    let attended: BTreeSet<DeputyId> = attended
                        .iter()
                        .filter(|s| !s.trim().is_empty())
                        .map(|s| deputy_id("attended", s))
                        .collect::<Result<_, _>>()?;
                    MeetingCommand::Hold { attended, minutes: long("minutes", &minutes)? }
                }
                MeetingAction::Cancel { reason } => {
                    MeetingCommand::Cancel { reason: long("reason", &reason)? }
                }
                MeetingAction::Opinion { opinion } => {
                    let d = deputy_id("deputy", &opinion.deputy)?;
                    let who = m
                        .invited
                        .iter()
                        .find(|s| s.deputy == d)
                        .cloned()
                        .ok_or(AppError::rule(MeetingError::NotPresent(d)))?;
                    // Check first, so a refused opinion files nothing.
                    let probe = RaisedOpinion { deputy: d, text: long("text", &opinion.text)?, became: None };
                    m.decide(MeetingCommand::RaiseOpinion { opinion: probe }, run.today())
                        .map_err(AppError::rule)?;
                    let raised = route_opinion(run, &who, &opinion, Source::Forum, m.title.as_str())?;
                    MeetingCommand::RaiseOpinion { opinion: raised }
                }
            };
            let today = run.today();
            run.execute(m, None, command, today)
        })
        .await
    }

    /// The meetings planned for, held or cancelled in `[from, to]`, by day (the pages' list).
    pub fn meetings(&self, p: &Principal, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>, AppError> {
        p.require(Action::ReadCoverage)?;
        if to < from {
            return Err(AppError::invalid("to", &ValueError::Mismatch("from")));
        }
        let mut meetings = self.meetings_and_visits(p, from, to)?.0;
        meetings.sort_by_key(|m| (m.on, m.id.to_string()));
        Ok(meetings)
    }

    /// One meeting with the labels (name, level, region) of the deputies it names.
    pub fn meeting_view(&self, p: &Principal, id: &str) -> Result<MeetingView, AppError> {
        let meeting = self.meeting(p, id)?;
        let people = self.people(p, meeting.invited.iter().map(|s| s.deputy))?;
        Ok(MeetingView { meeting, people })
    }

    /// One meeting.
    pub fn meeting(&self, p: &Principal, id: &str) -> Result<Meeting, AppError> {
        p.require(Action::ReadCoverage)?;
        let r = self
            .read(|q| q.record(&p.tenant, MEETING, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "meeting", id: id.into() })?;
        serde_json::from_str(&r.data).map_err(json_err)
    }

    /// Record a visit to a deputy (after it happened); issues raised may become suggestions or measures.
    pub async fn record_visit(&self, p: &Principal, input: &VisitInput) -> Result<Visit, AppError> {
        p.require(Action::ManageLiaison)?;
        let mut f = Fields::default();
        let on = f.take("on", parse_date(&input.on));
        let place = f.take("place", VisitPlace::parse(&input.place));
        let notes = f.take("notes", LongText::parse(&input.notes));
        let staff_names: Vec<ShortText> = input
            .staff
            .iter()
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| f.take("staff", ShortText::parse(s)))
            .collect();
        if staff_names.is_empty() {
            f.0.push(liaison_core::FieldError::new("staff", &ValueError::Required));
        }
        f.done()?;
        let (Some(on), Some(place), Some(notes)) = (on, place, notes) else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, input, by) = (p.tenant.clone(), input.clone(), staff(p));
        self.change(p, None, move |run| {
            let who = signers(run.q(), &tenant, "deputy", std::slice::from_ref(&input.deputy))?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            let mut visit = RecordVisit {
                deputy: who.clone(),
                on,
                place,
                staff: staff_names,
                notes,
                issues: vec![],
                recorded_by: by,
            };
            let id = liaison_core::ids::VisitId(crate::new_id());
            let today = run.today();
            // Check first, so a refused visit files nothing.
            Visit::create(&id, visit.clone(), today).map_err(AppError::rule)?;
            for i in &input.issues {
                visit.issues.push(route_opinion(run, &who, i, Source::Visit, "走访")?);
            }
            run.create(id, visit, today)
        })
        .await
    }

    pub(crate) fn meetings_and_visits(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<Meeting>, Vec<Visit>), AppError> {
        let q = RecordQuery {
            opened_from: Some(from.to_string()),
            opened_to: Some(to.to_string()),
            ..RecordQuery::default()
        };
        let meetings = self
            .read(|s| s.records(&p.tenant, MEETING, &q))?
            .iter()
            .map(|r| serde_json::from_str(&r.data).map_err(json_err))
            .collect::<Result<Vec<Meeting>, _>>()?;
        let visits = self
            .read(|s| s.records(&p.tenant, VISIT, &q))?
            .iter()
            .map(|r| serde_json::from_str(&r.data).map_err(json_err))
            .collect::<Result<Vec<Visit>, _>>()?;
        Ok((meetings, visits))
    }

    /// The deputies reached (met or visited) in `[from, to]`, by level and region, and those not reached.
    pub fn reach_report(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<ReachReport, AppError> {
        self.reach_among(p, from, to, &|_| true).map(|(r, _, _)| r)
    }

    /// `reach_report` over the current deputies `keep` accepts, with the meetings held and the visits made
    /// in the period (a report of one level or region).
    pub(crate) fn reach_among(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        keep: &dyn Fn(&liaison_core::organisation::DeputyRef) -> bool,
    ) -> Result<(ReachReport, Vec<Meeting>, Vec<Visit>), AppError> {
        p.require(Action::ReadCoverage)?;
        if to < from {
            return Err(AppError::invalid("to", &ValueError::Mismatch("from")));
        }
        let mut deputies = self.read(|q| q.current_deputy_refs(&p.tenant))?;
        deputies.retain(|d| keep(d));
        let (meetings, visits) = self.meetings_and_visits(p, from, to)?;
        Ok((reach(&deputies, &meetings, &visits, from, to), meetings, visits))
    }
}
