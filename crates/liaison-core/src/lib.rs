//! `liaison-core`: the deputy-liaison rules of a people's procuratorate (人民检察院人大代表联络工作) as
//! pure types and state machines.
//!
//! Architecture invariant: this crate performs no I/O, reads no clock, makes no ids and draws no random
//! number. Time (`now`, `today`), new ids and seeds are arguments. `clippy.toml` in this crate bans the
//! calls that would break this, and `tests::dependency_allow_list` keeps the dependency list short.
//!
//! Each workflow is a module with its state, commands, events, a `decide` that checks the rules and
//! returns events or a typed error, and an `apply` that folds an event into the state.
//! Every workflow keeps one contract, [`Aggregate`], its errors [`DomainError`] and its events
//! [`DomainEvent`] (module `aggregate`).
#![deny(missing_docs)]

pub mod access;
pub mod account;
pub mod activity;
pub mod aggregate;
pub mod appointment;
pub mod budget;
pub mod calendar;
pub mod channels;
pub mod collation;
pub mod commendation;
pub mod dates;
pub mod deliberation;
pub mod error;
pub mod ids;
pub mod inspection;
pub mod login;
pub mod lottery;
pub mod meeting;
pub mod message;
pub mod meta;
pub mod notice;
pub mod organisation;
pub mod ratio;
pub mod registry;
pub mod review;
pub mod rights;
pub mod scope;
pub mod scorecard;
pub mod suggestion;
pub mod supervisor;
pub mod tenant;

pub use aggregate::{Aggregate, DomainError, DomainEvent, NoCommand};
pub use error::{FieldError, Localized, ValueError};
pub use meta::{Actor, Meta};

#[cfg(test)]
mod example_tests;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod tests;
