//! Meetings and the liaison work plan as [`Aggregate`]s. A plan had one method per command
//! (`set_targets`, `adopt`); [`PlanCommand`] names them so it is decided like every other workflow.

use chrono::NaiveDate;

use super::{
    AgendaItem, Meeting, MeetingCommand, MeetingError, MeetingEvent, Plan, PlanEvent, PlanPeriod, Targets,
};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::MeetingId;
use crate::registry::{LongText, ShortText};
use crate::suggestion::{Signer, StaffRef};

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
        Self::from_planned(id.to_string(), first)
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
