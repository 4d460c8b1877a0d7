//! A staff session's life: begun after the password, waiting for the second factor (or its enrolment),
//! active, seen, re-authenticated, ended (logout, revocation, idle, lifetime).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{LoginError, LoginPolicy};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The password was right; the account has no second factor yet and must enrol one.
    Enrol,
    /// The password was right; the second factor's code is awaited.
    Code,
    /// Both factors passed: the session acts for its account.
    Active,
}

impl Stage {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Enrol => "enrol",
            Self::Code => "code",
            Self::Active => "active",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "enrol" => Some(Self::Enrol),
            "code" => Some(Self::Code),
            "active" => Some(Self::Active),
            _ => None,
        }
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The person logged out.
    Logout,
    /// Unused beyond the idle limit.
    Idle,
    /// Past its absolute lifetime (or a half-done login past its wait).
    Expired,
    /// The password was changed.
    PasswordChanged,
    /// The second factor was reset.
    MfaReset,
    /// The account was disabled.
    Disabled,
    /// The account was locked while the login waited for its code.
    Locked,
}

impl EndReason {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::Idle => "idle",
            Self::Expired => "expired",
            Self::PasswordChanged => "password_changed",
            Self::MfaReset => "mfa_reset",
            Self::Disabled => "disabled",
            Self::Locked => "locked",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Logout,
            Self::Idle,
            Self::Expired,
            Self::PasswordChanged,
            Self::MfaReset,
            Self::Disabled,
            Self::Locked,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
}

/// A session as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Its stage.
    pub stage: Stage,
    /// When the password was accepted.
    pub started_at: DateTime<Utc>,
    /// Last used.
    pub last_seen: DateTime<Utc>,
    /// When a factor was last proved (the password, then the code; a re-authentication).
    pub authenticated_at: DateTime<Utc>,
    /// When it ended, and why.
    pub ended: Option<(DateTime<Utc>, EndReason)>,
}

/// A change to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCommand {
    /// The second factor passed (a code, or the enrolment's first code).
    Complete,
    /// A request used the session.
    Touch,
    /// The person proved a factor again (for a sensitive action).
    Reauthenticate,
    /// End it.
    End(EndReason),
}

/// What happened to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SessionEvent {
    /// The second factor passed: active.
    Completed {
        /// When.
        at: DateTime<Utc>,
    },
    /// Used.
    Seen {
        /// When.
        at: DateTime<Utc>,
    },
    /// A factor proved again.
    Reauthenticated {
        /// When.
        at: DateTime<Utc>,
    },
    /// Ended.
    Ended {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: EndReason,
    },
}

impl Session {
    /// A session begun by a right password at `now`, at the stage `after_password` gave.
    pub fn begin(stage: Stage, now: DateTime<Utc>) -> Self {
        Self { stage, started_at: now, last_seen: now, authenticated_at: now, ended: None }
    }

    /// Whether it still works at `now`: not ended, within its lifetime and idle limit; a half-done login
    /// within its wait for the second factor. `Some` names why it lapsed.
    pub fn lapse(&self, policy: &LoginPolicy, now: DateTime<Utc>) -> Option<EndReason> {
        if let Some((_, reason)) = self.ended {
            return Some(reason);
        }
        if self.stage != Stage::Active {
            return (now - self.started_at >= policy.second_factor_within).then_some(EndReason::Expired);
        }
        if now - self.started_at >= policy.absolute {
            return Some(EndReason::Expired);
        }
        if now - self.last_seen >= policy.idle {
            return Some(EndReason::Idle);
        }
        None
    }

    /// Decide a command at `now`.
    pub fn decide(
        &self,
        cmd: SessionCommand,
        policy: &LoginPolicy,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionEvent>, LoginError> {
        if let SessionCommand::End(reason) = cmd {
            return match self.ended {
                Some(_) => Err(LoginError::SessionInvalid),
                None => Ok(vec![SessionEvent::Ended { at: now, reason }]),
            };
        }
        if self.lapse(policy, now).is_some() {
            return Err(LoginError::SessionInvalid);
        }
        match cmd {
            SessionCommand::Complete => match self.stage {
                Stage::Active => Err(LoginError::WrongStage),
                Stage::Enrol | Stage::Code => Ok(vec![SessionEvent::Completed { at: now }]),
            },
            SessionCommand::Touch => match self.stage {
                Stage::Active => Ok(vec![SessionEvent::Seen { at: now }]),
                _ => Err(LoginError::SecondFactorRequired),
            },
            SessionCommand::Reauthenticate => match self.stage {
                Stage::Active => Ok(vec![SessionEvent::Reauthenticated { at: now }]),
                _ => Err(LoginError::SecondFactorRequired),
            },
            SessionCommand::End(_) => Ok(vec![]),
        }
    }

    /// Apply an event.
    pub fn apply(&mut self, e: &SessionEvent) {
        match *e {
            SessionEvent::Completed { at } => {
                self.stage = Stage::Active;
                self.last_seen = at;
                self.authenticated_at = at;
            }
            SessionEvent::Seen { at } => self.last_seen = at,
            SessionEvent::Reauthenticated { at } => {
                self.last_seen = at;
                self.authenticated_at = at;
            }
            SessionEvent::Ended { at, reason } => self.ended = Some((at, reason)),
        }
    }
}

/// Refuse a sensitive action (a full contact card, an approval) unless the session proved a factor within
/// `window` before `now`: the page then asks for the password or a code again.
pub fn requires_recent_auth(
    session: &Session,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<(), LoginError> {
    if session.stage != Stage::Active || session.ended.is_some() {
        return Err(LoginError::SessionInvalid);
    }
    if now - session.authenticated_at > window {
        return Err(LoginError::ReauthRequired);
    }
    Ok(())
}
