//! The deputy as an [`Aggregate`]: registered (duplicates looked for by the caller, who holds the
//! register), then changed by [`DeputyCommand`]s, which need nothing besides the state.

use chrono::NaiveDate;

use super::{Deputy, DeputyCommand, DeputyDraft, DeputyEvent, DuplicateReason, RegistryError};
use crate::Aggregate;
use crate::aggregate::domain_event;
use crate::ids::DeputyId;

domain_event!(DeputyEvent);

impl crate::DomainError for RegistryError {
    fn code(&self) -> &'static str {
        RegistryError::code(self)
    }
    /// A bad field or a date before the term are the input's; a duplicate or a transition the register's.
    fn is_input(&self) -> bool {
        matches!(self, Self::Invalid(_) | Self::BeforeTermStart { .. })
    }
    fn fields(&self) -> &[crate::FieldError] {
        match self {
            Self::Invalid(f) => f,
            _ => &[],
        }
    }
}

/// What registers a deputy: the checked draft and the duplicate the caller found on the register, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterDeputy {
    /// The deputy's data, parsed.
    pub draft: DeputyDraft,
    /// A deputy already on the register who is the same person, and why.
    pub duplicate: Option<(DeputyId, DuplicateReason)>,
}

impl Aggregate for Deputy {
    const KIND: &'static str = "deputy";
    type Id = DeputyId;
    type Create = RegisterDeputy;
    type Command = DeputyCommand;
    type Event = DeputyEvent;
    type Error = RegistryError;
    type Context<'a> = ();
    type CreateContext<'a> = NaiveDate;

    fn create(_: &DeputyId, c: RegisterDeputy, today: NaiveDate) -> Result<Vec<DeputyEvent>, RegistryError> {
        Ok(vec![Self::register(c.draft, c.duplicate, today)?])
    }
    fn created(id: &DeputyId, first: &DeputyEvent) -> Option<Self> {
        Self::from_registered(*id, first)
    }
    fn decide(&self, c: DeputyCommand, (): ()) -> Result<Vec<DeputyEvent>, RegistryError> {
        Deputy::decide(self, c)
    }
    fn apply(&mut self, e: &DeputyEvent) {
        Deputy::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
