//! Whose deputies an account reaches (issue 12, item 7): an officer sees a deputy's full card and changes
//! the deputy's record only for the deputies assigned to them (the deputy's corresponding officer, C2) or in
//! the regions granted to their account; the office and leadership keep the whole register. Every full
//! view states why (`ViewReason`), and a run of full views beyond the limit is refused and raised as an
//! alert (`BulkViewLimit`).
//!
//! Pure: the caller passes the account's roles and grant, the deputy, the views counted and the time.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::ids::OfficerId;
use crate::registry::Deputy;
use crate::{Localized, ValueError};

/// What an officer's account is granted, set by the system administrator's request and the security
/// administrator's approval (with its roles): the liaison officer of the organisation it is, and regions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The organisation's liaison officer this account is: the deputies assigned to that officer are in
    /// reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<OfficerId>,
    /// Regions whose every deputy is in reach (as the register names them).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub regions: BTreeSet<String>,
}

impl Grant {
    /// Nothing granted.
    pub fn is_empty(&self) -> bool {
        self.officer.is_none() && self.regions.is_empty()
    }
}

/// How far an account reaches in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every deputy of the tenant (the office, leadership).
    Tenant,
    /// Only the deputies its grant names (an officer without the office's or a leader's role).
    Granted,
}

/// The reach of an account holding `roles`: tenant-wide for the office and leadership, granted for an
/// officer. (Other roles never reach a full card or a registry change: the role table refuses them first.)
pub fn reach(roles: &[Role]) -> Reach {
    if roles.iter().any(|r| matches!(r, Role::Office | Role::Leader)) {
        Reach::Tenant
    } else {
        Reach::Granted
    }
}

/// Why a deputy is within reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The whole register (office, leadership).
    Tenant,
    /// The deputy is assigned to the account's officer.
    Assigned,
    /// The deputy's region is granted to the account.
    Region,
}

impl Basis {
    /// The stable code (stored with a full view's audit record).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::Assigned => "assigned",
            Self::Region => "region",
        }
    }
}

/// A deputy outside the account's reach.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// The account is granted no officer and no region: it reaches no deputy.
    #[error(
        "{name} is outside your scope: your account is linked to no liaison officer and granted no region (ask the system administrator to request one, the security administrator approves it)"
    )]
    NoGrant {
        /// The deputy's name.
        name: String,
    },
    /// The deputy is neither assigned to the account's officer nor in a region granted to it.
    #[error(
        "{name} is outside your scope: the deputy is not assigned to you and the region {region} is not granted to your account"
    )]
    NotAssigned {
        /// The deputy's name.
        name: String,
        /// The deputy's region.
        region: String,
    },
}

impl ScopeError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoGrant { .. } => "scope.no_grant",
            Self::NotAssigned { .. } => "scope.not_assigned",
        }
    }
}

impl Localized for ScopeError {
    fn zh(&self) -> String {
        match self {
            Self::NoGrant { name } => format!(
                "代表{name}不在您的联络范围内：您的账户未关联联络员，也未授权任何区域（由系统管理员申请、安全管理员批准）"
            ),
            Self::NotAssigned { name, region } => {
                format!(
                    "代表{name}不在您的联络范围内：该代表的联络员不是您，所属区域“{region}”也未授权给您的账户"
                )
            }
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// Whether an account with `roles` and `grant` reaches `deputy` (a full view, a change to the record), and
/// on what basis.
pub fn decide(roles: &[Role], grant: &Grant, deputy: &Deputy) -> Result<Basis, ScopeError> {
    if reach(roles) == Reach::Tenant {
        return Ok(Basis::Tenant);
    }
    let name = deputy.data.name.to_string();
    if grant.is_empty() {
        return Err(ScopeError::NoGrant { name });
    }
    if grant.officer.is_some() && deputy.responsibility.officer == grant.officer {
        return Ok(Basis::Assigned);
    }
    let region = deputy.data.region.to_string();
    if grant.regions.contains(region.trim()) {
        return Ok(Basis::Region);
    }
    Err(ScopeError::NotAssigned { name, region })
}

/// The shortest reason accepted, in characters that are letters or digits.
pub const REASON_MIN: usize = 4;
/// The longest reason accepted, in characters.
pub const REASON_MAX: usize = 200;

/// Why a deputy's full card is viewed: trimmed, at least [`REASON_MIN`] letters or digits (a Chinese
/// character counts as one), at most [`REASON_MAX`] characters, one line without control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViewReason(String);

impl ViewReason {
    /// Parse a reason as typed.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValueError::Required);
        }
        if s.chars().count() > REASON_MAX {
            return Err(ValueError::TooLong { max: REASON_MAX });
        }
        if let Some(c) = s.chars().find(|c| c.is_control()) {
            return Err(ValueError::BadCharacters(format!("U+{:04X}", u32::from(c))));
        }
        crate::registry::script::no_invisible(s)?;
        if s.chars().filter(|c| c.is_alphanumeric()).count() < REASON_MIN {
            return Err(ValueError::TooShort { min: REASON_MIN });
        }
        Ok(Self(s.to_owned()))
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many full views one account may make in a window before it is refused and an alert is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkViewLimit {
    /// Full views allowed in a window (1–10,000; default 20).
    pub max_views: u32,
    /// The window in minutes (1–1,440; default 10), sliding: the views of the last `window_minutes`.
    pub window_minutes: u32,
}

impl Default for BulkViewLimit {
    fn default() -> Self {
        Self { max_views: 20, window_minutes: 10 }
    }
}

/// A full view refused because the account made too many in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooMany {
    /// Views counted in the window.
    pub count: u32,
    /// When the window the views are counted in began.
    pub since: DateTime<Utc>,
    /// Seconds until the oldest view counted leaves the window (at least 1).
    pub retry_after: u32,
}

impl BulkViewLimit {
    /// A limit, checked: 1–10,000 views in 1–1,440 minutes.
    pub fn new(max_views: u32, window_minutes: u32) -> Result<Self, (&'static str, ValueError)> {
        if !(1..=10_000).contains(&max_views) {
            return Err(("max_views", ValueError::Range { min: 1, max: 10_000 }));
        }
        if !(1..=1_440).contains(&window_minutes) {
            return Err(("window_minutes", ValueError::Range { min: 1, max: 1_440 }));
        }
        Ok(Self { max_views, window_minutes })
    }
    /// The window as a duration.
    pub fn window(&self) -> Duration {
        Duration::minutes(i64::from(self.window_minutes))
    }
    /// Where the window that ends `now` begins.
    pub fn since(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window()
    }
    /// Whether one more view at `now` is allowed, given the times of the account's views since
    /// `since(now)` (oldest first; the caller reads at most `max_views` of them).
    pub fn check(&self, views: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), TooMany> {
        let count = u32::try_from(views.len()).unwrap_or(u32::MAX);
        if count < self.max_views {
            return Ok(());
        }
        let oldest = views.first().copied().unwrap_or(now);
        let secs = (oldest + self.window() - now).num_seconds().max(1);
        Err(TooMany { count, since: self.since(now), retry_after: u32::try_from(secs).unwrap_or(u32::MAX) })
    }
}

#[cfg(test)]
mod tests;
