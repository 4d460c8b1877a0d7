//! The organisation as an [`Aggregate`]: one per tenant, starting empty, so its first command creates it.

use super::{OrgCommand, OrgError, OrgEvent, Organisation};
use crate::Aggregate;
use crate::aggregate::domain_event;
use crate::ids::TenantId;

domain_event!(OrgCommand);

impl crate::DomainError for OrgError {
    fn code(&self) -> &'static str {
        OrgError::code(self)
    }
    /// Every refusal of the organisation conflicts with its state (an unknown or duplicate member).
    fn is_input(&self) -> bool {
        false
    }
}

impl Aggregate for Organisation {
    const KIND: &'static str = "organisation";
    type Id = TenantId;
    /// An organisation has no creation of its own: its first command, decided against the empty one.
    type Create = OrgCommand;
    type Command = OrgCommand;
    type Event = OrgEvent;
    type Error = OrgError;
    type Context<'a> = ();
    type CreateContext<'a> = ();

    fn create(_: &TenantId, c: OrgCommand, (): ()) -> Result<Vec<OrgEvent>, OrgError> {
        Organisation::default().decide(c)
    }
    fn created(_: &TenantId, first: &OrgEvent) -> Option<Self> {
        let mut o = Organisation::default();
        o.apply(first);
        Some(o)
    }
    fn decide(&self, c: OrgCommand, (): ()) -> Result<Vec<OrgEvent>, OrgError> {
        Organisation::decide(self, c)
    }
    fn apply(&mut self, e: &OrgEvent) {
        Organisation::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
