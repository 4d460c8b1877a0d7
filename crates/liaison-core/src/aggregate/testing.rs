//! Given past events, when a command, then these events or this refusal — for every aggregate alike, and
//! checking the laws of [`Aggregate`] on the way: a refusal changes nothing, an accepted command adds one
//! version per event, a record's version is the number of its events.
//!
//! ```ignore
//! given::<Service>(&id, &[opened]).when(ServiceCommand::Resolve { result }, today).then(&[resolved]);
//! given::<Service>(&id, &[opened, resolved]).when(again, today).then_refused("service.resolved");
//! nothing::<Service>(&id).when_created(open, today).then(&[opened]);
//! ```

use super::{Aggregate, DomainError, DomainEvent};
use crate::Localized;

/// A record as its past events left it (or no record yet).
pub(crate) struct Given<A: Aggregate> {
    id: A::Id,
    state: Option<A>,
}

/// No record yet: the next step is a creation.
pub(crate) fn nothing<A: Aggregate>(id: &A::Id) -> Given<A> {
    Given { id: id.clone(), state: None }
}

/// The record its events build (the first creates it); its version must be the number of events.
pub(crate) fn given<A: Aggregate>(id: &A::Id, events: &[A::Event]) -> Given<A> {
    let state =
        A::replay(id, events).unwrap_or_else(|| panic!("the given events do not create a {}", A::KIND));
    assert_eq!(state.version(), events.len() as u64, "{}: version = number of events", A::KIND);
    Given { id: id.clone(), state: Some(state) }
}

impl<A: Aggregate> Given<A> {
    /// The state the given events built (none before a creation).
    pub(crate) fn state(&self) -> Option<&A> {
        self.state.as_ref()
    }

    /// When this command is decided against the record.
    pub(crate) fn when(self, command: A::Command, cx: A::Context<'_>) -> Then<A> {
        let Some(state) = self.state else { panic!("no {} to command: use `when_created`", A::KIND) };
        let before = state.clone();
        let outcome = state.decide(command, cx);
        assert_eq!(state, before, "{}: decide changed the state", A::KIND);
        Then { id: self.id, before: Some(state), outcome }
    }

    /// When this creation is decided (there must be no record yet).
    pub(crate) fn when_created(self, command: A::Create, cx: A::CreateContext<'_>) -> Then<A> {
        assert!(self.state.is_none(), "a {} already exists: use `when`", A::KIND);
        let outcome = A::create(&self.id, command, cx);
        Then { id: self.id, before: None, outcome }
    }
}

/// What the command came to.
pub(crate) struct Then<A: Aggregate> {
    id: A::Id,
    before: Option<A>,
    outcome: Result<Vec<A::Event>, A::Error>,
}

impl<A: Aggregate> Then<A> {
    /// Accepted with these events; the state after them (its version checked).
    pub(crate) fn then(self, expected: &[A::Event]) -> A {
        let (state, events) = self.accepted();
        assert_eq!(events, expected, "{}: the events", A::KIND);
        state
    }

    /// Accepted, whatever the events; the state after them and the events, for the test to look at.
    pub(crate) fn then_accepted(self) -> (A, Vec<A::Event>) {
        self.accepted()
    }

    /// Accepted, with whatever events (their kinds checked); the state after them and the events.
    pub(crate) fn then_kinds(self, kinds: &[&str]) -> (A, Vec<A::Event>) {
        let (state, events) = self.accepted();
        let got: Vec<&str> = events.iter().map(DomainEvent::kind).collect();
        assert_eq!(got, kinds, "{}: the events' kinds", A::KIND);
        (state, events)
    }

    /// Refused with this code; the state unchanged (a creation: no record). The error, for more checks.
    pub(crate) fn then_refused(self, code: &str) -> A::Error {
        match self.outcome {
            Ok(events) => panic!("{}: expected the refusal {code}, got the events {events:?}", A::KIND),
            Err(e) => {
                assert_eq!(e.code(), code, "{}: the refusal's code ({e})", A::KIND);
                assert!(!e.zh().is_empty() && !e.en().is_empty(), "{}: a refusal says why", A::KIND);
                e
            }
        }
    }

    /// The events folded into the state, the laws checked: one version per event, a creation's first
    /// event creating the record at version 1.
    fn accepted(self) -> (A, Vec<A::Event>) {
        let events = match self.outcome {
            Ok(events) => events,
            Err(e) => panic!("{}: refused ({}: {e})", A::KIND, e.code()),
        };
        let state = match self.before {
            Some(before) => {
                let mut state = before.clone();
                for e in &events {
                    state.apply(e);
                }
                assert_eq!(
                    state.version(),
                    before.version() + events.len() as u64,
                    "{}: one version per event",
                    A::KIND
                );
                state
            }
            None => {
                let first = events.first().unwrap_or_else(|| panic!("{}: a creation with no event", A::KIND));
                let created = A::created(&self.id, first)
                    .unwrap_or_else(|| panic!("{}: the first event {first:?} does not create it", A::KIND));
                assert_eq!(created.version(), 1, "{}: a new record is at version 1", A::KIND);
                let state = A::replay(&self.id, &events)
                    .unwrap_or_else(|| panic!("{}: the events do not replay", A::KIND));
                assert_eq!(state.version(), events.len() as u64, "{}: version = number of events", A::KIND);
                state
            }
        };
        (state, events)
    }
}
