//! Staff login (issue 16, "Login and sessions"): the password policy, the lockout of an account after
//! repeated failures, the refusal of a replayed second-factor code, and the life of a session — pure
//! state machines; the hashes, the codes and the cookies are the app's.
//!
//! The login: a right password opens a session that waits for its second factor (`Stage::Enrol` when the
//! account has none yet, else `Stage::Code`); a right code (or a recovery code) makes it `Active`. A staff
//! account never gets an active session without the second factor. Five failures in a row (password or
//! code) lock the account for fifteen minutes (both configurable); the security administrator sees and
//! may lift the lock. A session ends when logged out or revoked, after 30 minutes unused or 12 hours
//! after it began; a sensitive action asks for a recent authentication.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::ids::UserId;

pub mod code;
mod error;
pub mod link;
mod password;
mod session;

pub use error::{LoginError, PasswordError};
#[cfg(test)]
pub(crate) use password::is_common;
pub use password::{MAX_CHARS, MIN_CHARS, check_password};
pub use session::{EndReason, Session, SessionCommand, SessionEvent, Stage, requires_recent_auth};

/// The login's limits: failures before a lock, the lock's length, the session's idle and absolute
/// limits, how long a half-done login waits for its second factor, and how recent an authentication a
/// sensitive action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPolicy {
    /// Failures in a row that lock the account (default 5).
    pub max_failures: u32,
    /// How long the lock lasts (default 15 minutes).
    pub lockout: Duration,
    /// A session unused this long ends (default 30 minutes).
    pub idle: Duration,
    /// A session ends this long after it began, used or not (default 12 hours).
    pub absolute: Duration,
    /// A login waits this long between its password and its second factor (default 5 minutes).
    pub second_factor_within: Duration,
    /// A sensitive action needs an authentication this recent (default 10 minutes).
    pub recent_auth: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lockout: Duration::minutes(15),
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
            second_factor_within: Duration::minutes(5),
            recent_auth: Duration::minutes(10),
        }
    }
}

impl LoginPolicy {
    /// A policy, checked: at least one failure, every time positive, the idle limit within the lifetime.
    pub fn new(
        max_failures: u32,
        lockout: Duration,
        idle: Duration,
        absolute: Duration,
    ) -> Result<Self, LoginError> {
        if max_failures == 0 {
            return Err(LoginError::Policy("max_failures"));
        }
        if lockout <= Duration::zero() {
            return Err(LoginError::Policy("lockout"));
        }
        if idle <= Duration::zero() || idle > absolute {
            return Err(LoginError::Policy("idle"));
        }
        Ok(Self { max_failures, lockout, idle, absolute, ..Self::default() })
    }
}

/// Which credential a login step checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Factor {
    /// The password.
    Password,
    /// A TOTP code.
    Totp,
    /// A recovery code.
    Recovery,
    /// A one-time code sent by SMS to a deputy's registered mobile (the deputy's only factor).
    SmsCode,
    /// The one-use login link in a message to a deputy (as good as the message's channel).
    LoginLink,
}

impl Factor {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Totp => "totp",
            Self::Recovery => "recovery",
            Self::SmsCode => "sms_code",
            Self::LoginLink => "login_link",
        }
    }
}

/// What a login may lead to for an account: the pages' login is for staff; a deputy logs in by SMS code
/// (issue 17: the hook is here, the login is not built) and an integration system only by API token.
pub fn after_password(roles: &[Role], person: bool, enrolled: bool) -> Result<Stage, LoginError> {
    if !person {
        return Err(LoginError::NotAPerson);
    }
    if roles.contains(&Role::Deputy) {
        return Err(LoginError::DeputyLogin);
    }
    Ok(if enrolled { Stage::Code } else { Stage::Enrol })
}

/// An account's guard: failures in a row, the lock, and the last TOTP time step used (a code is good once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Guard {
    /// Failures since the last success or lock.
    pub failures: u32,
    /// Locked until then.
    pub locked_until: Option<DateTime<Utc>>,
    /// The last TOTP time step accepted.
    pub last_step: Option<u64>,
}

/// A change to an account's guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardCommand {
    /// A credential was wrong.
    Fail(Factor),
    /// A credential was right (`step`: the TOTP time step it matched).
    Pass {
        /// The factor.
        factor: Factor,
        /// The TOTP step, for a code.
        step: Option<u64>,
    },
    /// The security administrator lifts the lock.
    Unlock {
        /// Who.
        by: UserId,
    },
}

/// What happened to an account's guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GuardEvent {
    /// A failure (the count in a row, this one included).
    Failed {
        /// The factor.
        factor: Factor,
        /// Failures in a row.
        failures: u32,
    },
    /// Locked after too many failures.
    Locked {
        /// Until when.
        until: DateTime<Utc>,
    },
    /// A right credential: the count starts again.
    Passed {
        /// The factor.
        factor: Factor,
        /// The TOTP step used.
        step: Option<u64>,
    },
    /// The lock lifted by the security administrator.
    Unlocked {
        /// Who.
        by: UserId,
    },
}

impl GuardEvent {
    /// The audit record's kind (a pass is recorded with the step it completes, not here).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Failed { .. } => "auth.login_failed",
            Self::Locked { .. } => "auth.locked",
            Self::Passed { .. } => "auth.factor_passed",
            Self::Unlocked { .. } => "auth.unlocked",
        }
    }
}

impl Guard {
    /// Whether the account is locked at `now`.
    pub fn locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|u| now < u)
    }

    /// Decide a command at `now`. A locked account refuses every credential (`Locked`, which the login
    /// shows as its one failure message); a TOTP step at or before the last one used is a replay.
    pub fn decide(
        &self,
        cmd: GuardCommand,
        policy: &LoginPolicy,
        now: DateTime<Utc>,
    ) -> Result<Vec<GuardEvent>, LoginError> {
        match cmd {
            GuardCommand::Unlock { by } => {
                if !self.locked(now) && self.failures == 0 {
                    return Err(LoginError::NotLocked);
                }
                Ok(vec![GuardEvent::Unlocked { by }])
            }
            _ if self.locked(now) => Err(LoginError::Locked { until: self.locked_until.unwrap_or(now) }),
            GuardCommand::Fail(factor) => {
                let failures = self.failures + 1;
                let mut events = vec![GuardEvent::Failed { factor, failures }];
                if failures >= policy.max_failures {
                    events.push(GuardEvent::Locked { until: now + policy.lockout });
                }
                Ok(events)
            }
            GuardCommand::Pass { factor, step } => {
                if let (Some(s), Some(last)) = (step, self.last_step)
                    && s <= last
                {
                    return Err(LoginError::CodeReplayed);
                }
                Ok(vec![GuardEvent::Passed { factor, step }])
            }
        }
    }

    /// Apply an event.
    pub fn apply(&mut self, e: &GuardEvent) {
        match e {
            GuardEvent::Failed { failures, .. } => self.failures = *failures,
            GuardEvent::Locked { until } => {
                self.locked_until = Some(*until);
                self.failures = 0;
            }
            GuardEvent::Passed { factor, step } => {
                // Only a completed login (its second factor) starts the count again: a right password
                // alone must not, or four wrong codes, the password again, four more … would guess the
                // code without ever locking the account.
                if *factor != Factor::Password {
                    self.failures = 0;
                }
                if step.is_some() {
                    self.last_step = *step;
                }
            }
            GuardEvent::Unlocked { .. } => {
                self.locked_until = None;
                self.failures = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests;
