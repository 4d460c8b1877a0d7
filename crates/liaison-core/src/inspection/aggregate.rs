//! The inspection as an [`Aggregate`].

use chrono::NaiveDate;

use super::{Inspection, InspectionCommand, InspectionError, InspectionEvent, InspectionKind};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::InspectionId;
use crate::registry::ShortText;
use crate::suggestion::Signer;

domain_error!(InspectionError);
domain_event!(InspectionEvent);

/// What plans an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInspection {
    /// What kind.
    pub kind: InspectionKind,
    /// Title.
    pub title: ShortText,
    /// The organiser's reference.
    pub organiser_ref: ShortText,
    /// From, to.
    pub period: (NaiveDate, NaiveDate),
    /// The deputies taking part.
    pub participants: Vec<Signer>,
    /// Materials given to them.
    pub materials: Vec<ShortText>,
    /// The items they score.
    pub items: Vec<ShortText>,
}

impl Aggregate for Inspection {
    const KIND: &'static str = "inspection";
    type Id = InspectionId;
    type Create = PlanInspection;
    type Command = InspectionCommand;
    type Event = InspectionEvent;
    type Error = InspectionError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(
        id: &InspectionId,
        c: PlanInspection,
        today: NaiveDate,
    ) -> Result<Vec<InspectionEvent>, InspectionError> {
        let (_, e) = Self::plan(
            *id,
            c.kind,
            c.title,
            c.organiser_ref,
            c.period,
            c.participants,
            c.materials,
            c.items,
            today,
        )?;
        Ok(vec![e])
    }
    fn created(id: &InspectionId, first: &InspectionEvent) -> Option<Self> {
        match first {
            InspectionEvent::Planned { plan } if plan.id == *id => Some((**plan).clone()),
            _ => None,
        }
    }
    fn decide(
        &self,
        c: InspectionCommand,
        today: NaiveDate,
    ) -> Result<Vec<InspectionEvent>, InspectionError> {
        Inspection::decide(self, c, today)
    }
    fn apply(&mut self, e: &InspectionEvent) {
        Inspection::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
