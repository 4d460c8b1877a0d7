//! The deputy register (代表登记簿, C1, P1.1): deputies of all five levels, their contact cards, special
//! roles and terms, with the lifecycle registered → in office → term ended / removed, and the yearly refresh
//! from a congress's list (`refresh`).

mod aggregate;
mod deputy;
mod draft;
mod duplicate;
pub mod link;
mod refresh;
pub(crate) mod script;
pub(crate) mod values;

pub use aggregate::RegisterDeputy;
pub use deputy::{
    ContactCard, Deputy, DeputyCommand, DeputyEvent, DeputyStatus, RegistryError, RemovalReason,
    Responsibility,
};
pub use draft::{ContactPatch, DeputyDraft, DeputyInput, DeputyPatch};
pub use duplicate::{DuplicateKey, DuplicateReason, KeyMatch, duplicate_keys, same_person};
pub use refresh::{Congress, possibly_departed, scope as refresh_scope};
pub use values::{
    Address, DeputyLevel, Email, Gender, IdNumber, Landline, LongText, MobileNumber, PersonName, ShortText,
    SpecialRole, TermNumber, parse_date,
};
