//! The activity as an [`Aggregate`]: planned (again, after a committed draw, waiting for approval), then
//! changed by [`ActivityCommand`]s on the day they are decided.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Activity, ActivityCommand, ActivityError, ActivityEvent, ActivityKind, Selection};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::ActivityId;
use crate::registry::{DeputyLevel, ShortText};

domain_error!(ActivityError);
domain_event!(ActivityEvent);

/// What plans an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanActivity {
    /// What kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: ShortText,
    /// The day.
    pub on: NaiveDate,
    /// Where.
    pub place: ShortText,
    /// How many deputies take part.
    pub seats: u32,
    /// The levels that may take part (all when empty).
    pub levels: BTreeSet<DeputyLevel>,
    /// How they are chosen.
    pub selection: Selection,
    /// The activity for the same matter whose committed draw this one replans (it then waits for a
    /// leader's approval).
    pub replans: Option<String>,
}

impl Aggregate for Activity {
    const KIND: &'static str = "activity";
    type Id = ActivityId;
    type Create = PlanActivity;
    type Command = ActivityCommand;
    type Event = ActivityEvent;
    type Error = ActivityError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = ();

    fn create(id: &ActivityId, c: PlanActivity, (): ()) -> Result<Vec<ActivityEvent>, ActivityError> {
        let (a, e) = Self::plan(*id, c.kind, c.title, c.on, c.place, c.seats, c.levels, c.selection)?;
        Ok(vec![match c.replans {
            Some(of) => a.replanning(of).1,
            None => e,
        }])
    }
    fn created(id: &ActivityId, first: &ActivityEvent) -> Option<Self> {
        match first {
            ActivityEvent::Planned { activity } if activity.id == *id => Some((**activity).clone()),
            _ => None,
        }
    }
    fn decide(&self, c: ActivityCommand, today: NaiveDate) -> Result<Vec<ActivityEvent>, ActivityError> {
        Activity::decide(self, c, today)
    }
    fn apply(&mut self, e: &ActivityEvent) {
        Activity::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
