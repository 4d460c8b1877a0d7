//! Meetings, visits and the liaison work plan as [`Aggregate`]s. A plan had one method per command
//! (`set_targets`, `adopt`); [`PlanCommand`] names them so it is decided like every other workflow.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    AgendaItem, Meeting, MeetingCommand, MeetingError, MeetingEvent, Plan, PlanEvent, PlanPeriod,
    RaisedOpinion, Targets, Visit, VisitPlace,
};
use crate::aggregate::{domain_error, domain_event};
use crate::ids::{MeetingId, VisitId};
use crate::registry::{LongText, ShortText};
use crate::suggestion::{Signer, StaffRef};
use crate::{Aggregate, DomainEvent, NoCommand};

domain_error!(MeetingError);
domain_event!(MeetingEvent, PlanEvent);

/// What plans a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMeeting {
    /// Title.
    pub title: ShortText,
    /// Day.
    pub on: NaiveDate,
    /// Place.
    pub place: ShortText,
    /// Agenda (at least one item).
    pub agenda: Vec<AgendaItem>,
    /// Invited.
    pub invited: Vec<Signer>,
}

impl Aggregate for Meeting {
    const KIND: &'static str = "meeting";
    type Id = MeetingId;
    type Create = PlanMeeting;
    type Command = MeetingCommand;
    type Event = MeetingEvent;
    type Error = MeetingError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = ();

    fn create(_: &MeetingId, c: PlanMeeting, (): ()) -> Result<Vec<MeetingEvent>, MeetingError> {
        Ok(vec![Self::plan(c.title, c.on, c.place, c.agenda, c.invited)?])
    }
    fn created(id: &MeetingId, first: &MeetingEvent) -> Option<Self> {
        Self::from_planned(*id, first)
    }
    fn decide(&self, c: MeetingCommand, today: NaiveDate) -> Result<Vec<MeetingEvent>, MeetingError> {
        Meeting::decide(self, c, today)
    }
    fn apply(&mut self, e: &MeetingEvent) {
        Meeting::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

/// A change to a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanCommand {
    /// Set (or change, before adoption) the targets and notes.
    SetTargets {
        /// Targets.
        targets: Targets,
        /// Notes.
        notes: Option<LongText>,
    },
    /// A leader adopts it (once).
    Adopt {
        /// The leader.
        by: StaffRef,
    },
}

impl Aggregate for Plan {
    const KIND: &'static str = "plan";
    type Id = PlanPeriod;
    /// A plan has no creation of its own: its first command, decided against the empty period.
    type Create = PlanCommand;
    type Command = PlanCommand;
    type Event = PlanEvent;
    type Error = MeetingError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(period: &PlanPeriod, c: PlanCommand, today: NaiveDate) -> Result<Vec<PlanEvent>, MeetingError> {
        Plan::new(*period).decide(c, today)
    }
    fn created(period: &PlanPeriod, first: &PlanEvent) -> Option<Self> {
        let mut p = Plan::new(*period);
        p.apply(first);
        Some(p)
    }
    fn decide(&self, c: PlanCommand, today: NaiveDate) -> Result<Vec<PlanEvent>, MeetingError> {
        Ok(vec![match c {
            PlanCommand::SetTargets { targets, notes } => self.set_targets(targets, notes)?,
            PlanCommand::Adopt { by } => self.adopt(by, today)?,
        }])
    }
    fn apply(&mut self, e: &PlanEvent) {
        Plan::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

/// What happened to a visit: it was recorded, once, after it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitEvent {
    /// Recorded.
    Recorded {
        /// The visit.
        visit: Box<Visit>,
    },
}

impl DomainEvent for VisitEvent {
    fn kind(&self) -> &'static str {
        match self {
            Self::Recorded { .. } => "visit.recorded",
        }
    }
}

/// What records a visit (refused when it lies in the future).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordVisit {
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

/// A visit is a record of what happened: created once, never changed (its version is always 1).
impl Aggregate for Visit {
    const KIND: &'static str = "visit";
    type Id = VisitId;
    type Create = RecordVisit;
    type Command = NoCommand;
    type Event = VisitEvent;
    type Error = MeetingError;
    type Context<'a> = ();
    type CreateContext<'a> = NaiveDate;

    fn create(id: &VisitId, c: RecordVisit, today: NaiveDate) -> Result<Vec<VisitEvent>, MeetingError> {
        let visit = Self {
            id: *id,
            deputy: c.deputy,
            on: c.on,
            place: c.place,
            staff: c.staff,
            notes: c.notes,
            issues: c.issues,
            recorded_by: c.recorded_by,
        };
        visit.check(today)?;
        Ok(vec![VisitEvent::Recorded { visit: Box::new(visit) }])
    }
    fn created(id: &VisitId, first: &VisitEvent) -> Option<Self> {
        let VisitEvent::Recorded { visit } = first;
        (visit.id == *id).then(|| (**visit).clone())
    }
    fn decide(&self, c: NoCommand, (): ()) -> Result<Vec<VisitEvent>, MeetingError> {
        match c {}
    }
    /// Nothing follows the one event that creates a visit.
    fn apply(&mut self, _: &VisitEvent) {}
    fn version(&self) -> u64 {
        1
    }
}
