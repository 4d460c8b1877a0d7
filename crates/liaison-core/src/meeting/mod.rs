//! Regular meetings with deputies and visits to deputies (定期会议与走访制度, R3, P1.2): a liaison work plan
//! per period with targets and progress computed from what happened; meetings with agenda items (work
//! report, cases, handling of petitions), invitations, attendance, minutes and the opinions raised; visits
//! to a deputy; and the deputies not yet met or visited in a period, by level and region (P1.1).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::ids::DeputyId;
use crate::ids::{MeetingId, VisitId};
use crate::registry::values::{clean, word_enum};
use crate::registry::{LongText, ShortText};
use crate::suggestion::{Signer, StaffRef};

word_enum!(
    /// What a meeting's agenda item is about.
    AgendaKind, "work_report/cases/petitions/other (工作报告/案件/信访/其他)", {
    /// Report on procuratorial work (通报检察工作).
    WorkReport => "work_report", "工作报告", ["通报检察工作"];
    /// Cases (案件情况).
    Cases => "cases", "案件", ["案件情况"];
    /// Handling of petitions (信访办理).
    Petitions => "petitions", "信访", ["信访办理"];
    /// Anything else.
    Other => "other", "其他", [];
});

word_enum!(
    /// Where a visit took place.
    VisitPlace, "home/work_unit/office (家中/工作单位/办公场所)", {
    /// At home (家中).
    Home => "home", "家中", ["家"];
    /// At the deputy's work unit (工作单位).
    WorkUnit => "work_unit", "工作单位", ["单位"];
    /// At an office (办公场所, e.g. a liaison station).
    Office => "office", "办公场所", ["联络站"];
});

/// A plan's period: a year or a half-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PlanPeriod {
    /// Year.
    pub year: i32,
    /// 1 or 2 for a half-year; none for the whole year.
    pub half: Option<u8>,
}

impl PlanPeriod {
    /// Parse `2026`, `2026H1` or `2026H2`.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = clean(s).to_ascii_uppercase();
        let bad = ValueError::OneOf("YYYY, YYYYH1 or YYYYH2");
        let (y, half) = match s.split_once('H') {
            Some((y, "1")) => (y, Some(1)),
            Some((y, "2")) => (y, Some(2)),
            Some(_) => return Err(bad),
            None => (s.as_str(), None),
        };
        let year: i32 = y.parse().map_err(|_| bad.clone())?;
        if !(2000..=2999).contains(&year) {
            return Err(bad);
        }
        Ok(Self { year, half })
    }
    /// First day.
    pub fn from(self) -> NaiveDate {
        let m = if self.half == Some(2) { 7 } else { 1 };
        NaiveDate::from_ymd_opt(self.year, m, 1).unwrap_or(NaiveDate::MIN)
    }
    /// Last day.
    pub fn to(self) -> NaiveDate {
        let (m, d) = if self.half == Some(1) { (6, 30) } else { (12, 31) };
        NaiveDate::from_ymd_opt(self.year, m, d).unwrap_or(NaiveDate::MAX)
    }
    /// Whether a day falls in it.
    pub fn contains(self, d: NaiveDate) -> bool {
        d >= self.from() && d <= self.to()
    }
}

impl std::fmt::Display for PlanPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.half {
            Some(h) => write!(f, "{}H{h}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

/// A plan's targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    /// Meetings with deputies to hold.
    pub meetings: u32,
    /// Share of the deputies in office to visit or meet, in per cent.
    pub reached_percent: u32,
    /// Major-matter notices to send (the essay: at least one or two a year).
    pub notices: u32,
    /// Activities with deputies.
    pub activities: u32,
}

/// What happened in a period, gathered from the records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Achieved {
    /// Meetings held.
    pub meetings: u32,
    /// Deputies in office visited or met (attended a meeting).
    pub reached: u32,
    /// Deputies in office.
    pub deputies: u32,
    /// Notices sent.
    pub notices: u32,
    /// Activities held.
    pub activities: u32,
}

/// A target against what was achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// What (`meetings`, `reached_percent`, `notices`, `activities`).
    pub target: String,
    /// Planned.
    pub planned: u32,
    /// Achieved.
    pub achieved: u32,
    /// Met.
    pub met: bool,
}

/// Progress against each target.
pub fn progress(t: &Targets, a: &Achieved) -> Vec<Progress> {
    let reached_percent =
        if a.deputies == 0 { 0 } else { (u64::from(a.reached) * 100 / u64::from(a.deputies)) as u32 };
    [
        ("meetings", t.meetings, a.meetings),
        ("reached_percent", t.reached_percent, reached_percent),
        ("notices", t.notices, a.notices),
        ("activities", t.activities, a.activities),
    ]
    .into_iter()
    .map(|(k, p, v)| Progress { target: k.into(), planned: p, achieved: v, met: v >= p })
    .collect()
}

/// A liaison work plan (联络工作计划).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Id (the period, `2026` or `2026H1`: one plan per period).
    pub id: String,
    /// Version.
    pub version: u64,
    /// Period.
    pub period: PlanPeriod,
    /// Targets.
    pub targets: Targets,
    /// What the plan says.
    pub notes: Option<LongText>,
    /// Adopted by a leader, and when.
    pub adopted: Option<(StaffRef, NaiveDate)>,
}

/// What happened to a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlanEvent {
    /// Drafted, or its targets changed before adoption.
    TargetsSet {
        /// Period.
        period: PlanPeriod,
        /// Targets.
        targets: Targets,
        /// Notes.
        notes: Option<LongText>,
    },
    /// Adopted by a leader.
    Adopted {
        /// By.
        by: StaffRef,
        /// On.
        on: NaiveDate,
    },
}

impl PlanEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TargetsSet { .. } => "plan.targets_set",
            Self::Adopted { .. } => "plan.adopted",
        }
    }
}

impl Plan {
    /// A new plan for a period (id: the period).
    pub fn new(period: PlanPeriod) -> Self {
        Self {
            id: period.to_string(),
            version: 0,
            period,
            targets: Targets::default(),
            notes: None,
            adopted: None,
        }
    }
    /// Set the targets (refused once adopted).
    pub(crate) fn set_targets(
        &self,
        targets: Targets,
        notes: Option<LongText>,
    ) -> Result<PlanEvent, MeetingError> {
        if self.adopted.is_some() {
            return Err(MeetingError::PlanAdopted);
        }
        if self.version > 0 && targets == self.targets && notes == self.notes {
            return Err(MeetingError::NothingToChange);
        }
        Ok(PlanEvent::TargetsSet { period: self.period, targets, notes })
    }
    /// A leader adopts it (once).
    pub fn adopt(&self, by: StaffRef, today: NaiveDate) -> Result<PlanEvent, MeetingError> {
        if self.adopted.is_some() {
            return Err(MeetingError::PlanAdopted);
        }
        Ok(PlanEvent::Adopted { by, on: today })
    }
    /// Fold an event.
    pub fn apply(&mut self, e: &PlanEvent) {
        self.version += 1;
        match e {
            PlanEvent::TargetsSet { targets, notes, .. } => {
                self.targets = *targets;
                self.notes = notes.clone();
            }
            PlanEvent::Adopted { by, on } => self.adopted = Some((by.clone(), *on)),
        }
    }
}

/// A meeting's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Planned (计划).
    Planned,
    /// Held (已召开).
    Held,
    /// Cancelled (已取消).
    Cancelled,
}

impl MeetingStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
            Self::Cancelled => "cancelled",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Planned => "计划",
            Self::Held => "已召开",
            Self::Cancelled => "已取消",
        }
    }
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    /// What about.
    pub kind: AgendaKind,
    /// Title.
    pub title: ShortText,
}

/// An opinion raised at a meeting or a visit, and the item it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RaisedOpinion {
    /// The deputy.
    pub deputy: DeputyId,
    /// What was said.
    pub text: LongText,
    /// The suggestion or measure it became (`suggestion:<id>` / `measure:<id>`), if any.
    pub became: Option<String>,
}

/// A meeting with deputies (座谈会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Meeting {
    /// Id.
    pub id: MeetingId,
    /// Version.
    pub version: u64,
    /// Title.
    pub title: ShortText,
    /// Day.
    pub on: NaiveDate,
    /// Place.
    pub place: ShortText,
    /// Agenda.
    pub agenda: Vec<AgendaItem>,
    /// Deputies invited.
    pub invited: Vec<Signer>,
    /// Status.
    pub status: MeetingStatus,
    /// Deputies who attended.
    pub attended: BTreeSet<DeputyId>,
    /// Minutes.
    pub minutes: Option<LongText>,
    /// Opinions raised.
    pub opinions: Vec<RaisedOpinion>,
    /// Why it was cancelled.
    pub cancelled: Option<LongText>,
}

/// What may be asked of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingCommand {
    /// Invite more deputies (while planned).
    Invite {
        /// Deputies.
        deputies: Vec<Signer>,
    },
    /// Record that it was held, who attended (invited deputies), and the minutes.
    Hold {
        /// Attended.
        attended: BTreeSet<DeputyId>,
        /// Minutes.
        minutes: LongText,
    },
    /// Cancel it.
    Cancel {
        /// Why.
        reason: LongText,
    },
    /// An opinion raised by an attending deputy, and the item it became.
    RaiseOpinion {
        /// The opinion.
        opinion: RaisedOpinion,
    },
}

/// What happened to a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MeetingEvent {
    /// Planned.
    Planned {
        /// Title.
        title: ShortText,
        /// Day.
        on: NaiveDate,
        /// Place.
        place: ShortText,
        /// Agenda.
        agenda: Vec<AgendaItem>,
        /// Invited.
        invited: Vec<Signer>,
    },
    /// Invited more.
    Invited {
        /// Deputies.
        deputies: Vec<Signer>,
    },
    /// Held.
    Held {
        /// Attended.
        attended: BTreeSet<DeputyId>,
        /// Minutes.
        minutes: LongText,
    },
    /// Cancelled.
    Cancelled {
        /// Why.
        reason: LongText,
    },
    /// An opinion raised.
    OpinionRaised {
        /// The opinion.
        opinion: RaisedOpinion,
    },
}

impl MeetingEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Planned { .. } => "meeting.planned",
            Self::Invited { .. } => "meeting.invited",
            Self::Held { .. } => "meeting.held",
            Self::Cancelled { .. } => "meeting.cancelled",
            Self::OpinionRaised { .. } => "meeting.opinion_raised",
        }
    }
}

/// Why a meeting, visit or plan command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingError {
    /// The command does not fit the meeting's status.
    #[error("cannot {command} a meeting whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: MeetingStatus,
        /// Command.
        command: &'static str,
    },
    /// A meeting needs an agenda.
    #[error("a meeting needs at least one agenda item")]
    NoAgenda,
    /// Held before the day it was planned for.
    #[error("a meeting planned for {0} cannot be recorded as held before that day")]
    NotYet(NaiveDate),
    /// An attendee who was not invited, or an opinion from someone who did not attend.
    #[error("deputy {0} was not invited to or did not attend this meeting")]
    NotPresent(DeputyId),
    /// Everyone invited was already invited.
    #[error("nothing to change")]
    NothingToChange,
    /// A visit in the future.
    #[error("a visit is recorded after it happened, not for {0}")]
    VisitInFuture(NaiveDate),
    /// A plan already adopted.
    #[error("the plan is already adopted")]
    PlanAdopted,
}

impl MeetingError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "meeting.illegal_transition",
            Self::NoAgenda => "meeting.no_agenda",
            Self::NotYet(_) => "meeting.not_yet",
            Self::NotPresent(_) => "meeting.not_present",
            Self::NothingToChange => "meeting.nothing_to_change",
            Self::VisitInFuture(_) => "visit.in_future",
            Self::PlanAdopted => "plan.adopted",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::NoAgenda | Self::VisitInFuture(_))
    }
}

impl Localized for MeetingError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("会议当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::NoAgenda => "会议至少要有一项议程".into(),
            Self::NotYet(d) => format!("会议计划于 {d} 召开，不能提前记录为已召开"),
            Self::NotPresent(d) => format!("代表 {d} 未受邀或未出席本次会议"),
            Self::NothingToChange => "没有需要修改的内容".into(),
            Self::VisitInFuture(d) => format!("走访须在发生后记录，不能记录 {d} 的走访"),
            Self::PlanAdopted => "计划已经通过".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl Meeting {
    /// Decide a new meeting.
    pub fn plan(
        title: ShortText,
        on: NaiveDate,
        place: ShortText,
        agenda: Vec<AgendaItem>,
        invited: Vec<Signer>,
    ) -> Result<MeetingEvent, MeetingError> {
        if agenda.is_empty() {
            return Err(MeetingError::NoAgenda);
        }
        Ok(MeetingEvent::Planned { title, on, place, agenda, invited })
    }

    /// Build from its `Planned` event.
    pub fn from_planned(id: MeetingId, e: &MeetingEvent) -> Option<Self> {
        match e {
            MeetingEvent::Planned { title, on, place, agenda, invited } => Some(Self {
                id,
                version: 1,
                title: title.clone(),
                on: *on,
                place: place.clone(),
                agenda: agenda.clone(),
                invited: invited.clone(),
                status: MeetingStatus::Planned,
                attended: BTreeSet::new(),
                minutes: None,
                opinions: Vec::new(),
                cancelled: None,
            }),
            _ => None,
        }
    }

    /// Check a command.
    pub fn decide(&self, c: MeetingCommand, today: NaiveDate) -> Result<Vec<MeetingEvent>, MeetingError> {
        let refuse = |command| Err(MeetingError::IllegalTransition { status: self.status, command });
        match c {
            MeetingCommand::Invite { deputies } => {
                if self.status != MeetingStatus::Planned {
                    return refuse("invite");
                }
                let new: Vec<Signer> = deputies
                    .into_iter()
                    .filter(|d| !self.invited.iter().any(|i| i.deputy == d.deputy))
                    .collect();
                if new.is_empty() {
                    return Err(MeetingError::NothingToChange);
                }
                Ok(vec![MeetingEvent::Invited { deputies: new }])
            }
            MeetingCommand::Hold { attended, minutes } => {
                if self.status != MeetingStatus::Planned {
                    return refuse("hold");
                }
                if today < self.on {
                    return Err(MeetingError::NotYet(self.on));
                }
                if let Some(d) = attended.iter().find(|d| !self.invited.iter().any(|i| i.deputy == **d)) {
                    return Err(MeetingError::NotPresent(*d));
                }
                Ok(vec![MeetingEvent::Held { attended, minutes }])
            }
            MeetingCommand::Cancel { reason } => {
                if self.status != MeetingStatus::Planned {
                    return refuse("cancel");
                }
                Ok(vec![MeetingEvent::Cancelled { reason }])
            }
            MeetingCommand::RaiseOpinion { opinion } => {
                if self.status != MeetingStatus::Held {
                    return refuse("record an opinion of");
                }
                if !self.attended.contains(&opinion.deputy) {
                    return Err(MeetingError::NotPresent(opinion.deputy));
                }
                Ok(vec![MeetingEvent::OpinionRaised { opinion }])
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &MeetingEvent) {
        self.version += 1;
        match e {
            MeetingEvent::Planned { .. } => {}
            MeetingEvent::Invited { deputies } => self.invited.extend(deputies.iter().cloned()),
            MeetingEvent::Held { attended, minutes } => {
                self.attended = attended.clone();
                self.minutes = Some(minutes.clone());
                self.status = MeetingStatus::Held;
            }
            MeetingEvent::Cancelled { reason } => {
                self.cancelled = Some(reason.clone());
                self.status = MeetingStatus::Cancelled;
            }
            MeetingEvent::OpinionRaised { opinion } => self.opinions.push(opinion.clone()),
        }
    }
}

/// A visit to a deputy (走访), recorded after it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Visit {
    /// Id.
    pub id: VisitId,
    /// The deputy visited.
    pub deputy: Signer,
    /// Day.
    pub on: NaiveDate,
    /// Where.
    pub place: VisitPlace,
    /// Who went.
    pub staff: Vec<ShortText>,
    /// Notes.
    pub notes: LongText,
    /// Issues raised, and what they became.
    pub issues: Vec<RaisedOpinion>,
    /// Recorded by.
    pub recorded_by: StaffRef,
}

impl Visit {
    /// Check a visit before it is recorded.
    pub fn check(&self, today: NaiveDate) -> Result<(), MeetingError> {
        if self.on > today {
            return Err(MeetingError::VisitInFuture(self.on));
        }
        if let Some(i) = self.issues.iter().find(|i| i.deputy != self.deputy.deputy) {
            return Err(MeetingError::NotPresent(i.deputy));
        }
        Ok(())
    }
}

/// The year of a day (for plans).
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

mod aggregate;
mod reach;
pub use aggregate::{PlanCommand, PlanMeeting, RecordVisit, VisitEvent};
pub use reach::{ReachReport, reach, reached, reached_by_level};
#[cfg(test)]
mod tests;
