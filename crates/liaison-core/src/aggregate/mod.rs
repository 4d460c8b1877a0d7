//! The one contract every workflow keeps (issue 15): an [`Aggregate`] is created by a command, changed by
//! commands, and each change is an event returned by `decide` and folded by `apply`; a refusal is a
//! [`DomainError`] with a stable code, a message in zh-CN and English, and whether the caller's input was
//! wrong or the record's state forbids it.
//!
//! Modelled on cqrs-es's `Aggregate`, with two differences the workflows need: creation is its own step
//! (most states have required fields, so there is no `Default` state to send a first command to), and the
//! context `decide` needs besides the state — today's date, the calendar, the policy, the acting user — is
//! an associated type, borrowed when it must be ([`Aggregate::Context`] is generic over a lifetime).
//!
//! The use cases load a record, call [`Aggregate::decide`], fold the events with [`Aggregate::apply`] and
//! write the state and one audit record per event (named by [`DomainEvent::kind`]). Nothing here does I/O.

use std::fmt::{Debug, Display};

use crate::Localized;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

/// Why a command was refused: a rule of the workflow, never an infrastructure failure.
///
/// The messages come from [`Localized`] (`zh`, `en`, `message(lang)`).
pub trait DomainError: std::error::Error + Localized + Send + Sync + 'static {
    /// The stable code (`suggestion.no_contact_recorded`), for logs, API clients and tests.
    fn code(&self) -> &'static str;
    /// Whether the caller's input is at fault (HTTP 422) rather than the record's state or the rules of
    /// the workflow (a conflict, HTTP 409).
    fn is_input(&self) -> bool;
    /// The fields of the input it names, each with its own reason (a registration with three bad fields);
    /// empty when the refusal is about the whole command.
    fn fields(&self) -> &[crate::FieldError] {
        &[]
    }
}

/// An event of an aggregate: a fact that happened, with its stable name.
pub trait DomainEvent: Debug + Clone + PartialEq {
    /// The stable name of the audit record it is written as (`card.revoked`).
    fn kind(&self) -> &'static str;
}

/// A workflow's state machine: one record of one kind, created by a command and changed by commands, every
/// change an event.
///
/// **Laws** (checked for every aggregate by the given/when/then helper of the tests):
/// - [`create`](Aggregate::create) returns at least one event; [`created`](Aggregate::created) builds the
///   state from the first at version 1 and [`apply`](Aggregate::apply) folds the rest;
/// - `apply` adds one to the version per event, so a record's version is the number of its events;
/// - a refused command (`create` or `decide` returning `Err`) changes nothing.
pub trait Aggregate: Debug + Clone + PartialEq {
    /// The record kind (`suggestion`, `card` …): the name the store and the audit trail know it by.
    const KIND: &'static str;
    /// Its typed id.
    type Id: Debug + Clone + PartialEq + Display;
    /// What creates one.
    type Create;
    /// What changes one.
    type Command;
    /// What happened to it.
    type Event: DomainEvent;
    /// Why a command was refused.
    type Error: DomainError;
    /// What [`decide`](Aggregate::decide) needs besides the state (`()` when nothing).
    type Context<'a>;
    /// What [`create`](Aggregate::create) needs besides the command (`()` when nothing): often other
    /// records the rules compare with, such as the deputy's earlier cards.
    type CreateContext<'a>;

    /// Decide a creation: the events, the first of which creates the record, or why not.
    fn create(
        id: &Self::Id,
        command: Self::Create,
        cx: Self::CreateContext<'_>,
    ) -> Result<Vec<Self::Event>, Self::Error>;

    /// The state a creating event starts, at version 1; `None` when the event does not create one.
    fn created(id: &Self::Id, first: &Self::Event) -> Option<Self>;

    /// Decide a command against the state: the events, or why it is refused. Never changes the state.
    fn decide(&self, command: Self::Command, cx: Self::Context<'_>) -> Result<Vec<Self::Event>, Self::Error>;

    /// Fold an event into the state, adding one to the version.
    fn apply(&mut self, event: &Self::Event);

    /// The version: the number of events folded into the state.
    fn version(&self) -> u64;

    /// Rebuild a record from its whole event log; `None` when the first event does not create one.
    fn replay(id: &Self::Id, events: &[Self::Event]) -> Option<Self> {
        let (first, rest) = events.split_first()?;
        let mut state = Self::created(id, first)?;
        for e in rest {
            state.apply(e);
        }
        Some(state)
    }

    /// Decide a command and fold its events into a copy: the new state and the events to record.
    fn handle(
        &self,
        command: Self::Command,
        cx: Self::Context<'_>,
    ) -> Result<(Self, Vec<Self::Event>), Self::Error> {
        let events = self.decide(command, cx)?;
        let mut next = self.clone();
        for e in &events {
            next.apply(e);
        }
        Ok((next, events))
    }
}

/// The command of a record that never changes once created (a visit, a hotline call): there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCommand {}

/// Implement [`DomainError`] by the error's own `code` and `is_input`.
macro_rules! domain_error {
    ($($t:ty),+ $(,)?) => {
        $(impl $crate::aggregate::DomainError for $t {
            fn code(&self) -> &'static str {
                <$t>::code(self)
            }
            fn is_input(&self) -> bool {
                <$t>::is_input(self)
            }
        })+
    };
}

/// Implement [`DomainEvent`] by the event's own `kind`.
macro_rules! domain_event {
    ($($t:ty),+ $(,)?) => {
        $(impl $crate::aggregate::DomainEvent for $t {
            fn kind(&self) -> &'static str {
                <$t>::kind(self)
            }
        })+
    };
}

pub(crate) use {domain_error, domain_event};
