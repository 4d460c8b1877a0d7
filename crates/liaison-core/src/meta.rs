//! Who did a thing, when, and why: the metadata every recorded change carries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::UserId;

/// The date in China Standard Time (UTC+8, no daylight saving) of an instant; computed in [`crate::dates`],
/// named here too for the callers that know it by this path.
pub use crate::dates::china_date;

/// The person or system that issued a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user's id.
    pub user: UserId,
    /// The user's name at the time, for the record.
    pub name: String,
    /// The credential the command came through: `token:<id>`, `console:<os user>`, `activation:<id>`,
    /// `link:<id>`, `system` (issue 12, item 1: every record names the account and the token or session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// The context of one command: the actor, the moment (passed in, never read from a clock) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Who.
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, when a reason was given.
    pub reason: Option<String>,
}

impl Meta {
    /// The calendar day of `at` in China Standard Time (UTC+8), which is the day deadlines count in.
    pub fn today(&self) -> chrono::NaiveDate {
        china_date(self.at)
    }
}
