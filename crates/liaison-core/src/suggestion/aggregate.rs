//! Suggestions and measures as [`Aggregate`]s. A suggestion is decided with its [`Ctx`] (today, the
//! policy, the calendar); a measure with today's date.

use chrono::NaiveDate;

use super::{
    Ctx, Measure, MeasureCommand, MeasureError, MeasureEvent, MeasureOrigin, Signer, Source, Suggestion,
    SuggestionCommand, SuggestionError, SuggestionEvent,
};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::{MeasureId, SuggestionId};
use crate::registry::{LongText, ShortText};
use crate::suggestion::DepartmentRef;

domain_error!(SuggestionError);
domain_event!(SuggestionEvent, MeasureEvent);

impl crate::DomainError for MeasureError {
    fn code(&self) -> &'static str {
        MeasureError::code(self)
    }
    /// A deadline in the past or implausible, or no deputy, is the input's; the rest the measure's state.
    fn is_input(&self) -> bool {
        matches!(self, Self::DeadlineInPast(_) | Self::NoDeputies | Self::Date(_))
    }
}

/// What files a suggestion: its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receive {
    /// Title.
    pub title: ShortText,
    /// Content.
    pub content: LongText,
    /// Where it came from.
    pub source: Source,
    /// Received on.
    pub on: NaiveDate,
    /// The deputies who raised it (at least one, each once).
    pub proposers: Vec<Signer>,
}

impl Aggregate for Suggestion {
    const KIND: &'static str = "suggestion";
    type Id = SuggestionId;
    type Create = Receive;
    type Command = SuggestionCommand;
    type Event = SuggestionEvent;
    type Error = SuggestionError;
    type Context<'a> = Ctx<'a>;
    type CreateContext<'a> = ();

    fn create(_: &SuggestionId, c: Receive, (): ()) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        Ok(vec![Self::receive(c.title, c.content, c.source, c.on, c.proposers)?])
    }
    fn created(id: &SuggestionId, first: &SuggestionEvent) -> Option<Self> {
        Self::from_received(*id, first)
    }
    fn decide(&self, c: SuggestionCommand, cx: Ctx<'_>) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        Suggestion::decide(self, c, cx)
    }
    fn apply(&mut self, e: &SuggestionEvent) {
        Suggestion::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

/// What opens a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMeasure {
    /// Title.
    pub title: ShortText,
    /// What is to be done.
    pub description: LongText,
    /// What gave rise to it.
    pub origin: MeasureOrigin,
    /// The department that owns it.
    pub owner: DepartmentRef,
    /// Due on (not in the past).
    pub deadline: NaiveDate,
    /// The deputies told of it (at least one).
    pub deputies: Vec<Signer>,
}

impl Aggregate for Measure {
    const KIND: &'static str = "measure";
    type Id = MeasureId;
    type Create = OpenMeasure;
    type Command = MeasureCommand;
    type Event = MeasureEvent;
    type Error = MeasureError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(_: &MeasureId, c: OpenMeasure, today: NaiveDate) -> Result<Vec<MeasureEvent>, MeasureError> {
        Ok(vec![Self::open(c.title, c.description, c.origin, c.owner, c.deadline, c.deputies, today)?])
    }
    fn created(id: &MeasureId, first: &MeasureEvent) -> Option<Self> {
        Self::from_opened(*id, first)
    }
    fn decide(&self, c: MeasureCommand, today: NaiveDate) -> Result<Vec<MeasureEvent>, MeasureError> {
        Measure::decide(self, c, today)
    }
    fn apply(&mut self, e: &MeasureEvent) {
        Measure::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
