//! A deputy's login without a password (issue 17, item 6): a one-time code sent by SMS to the mobile
//! number on the register. Pure: the caller draws the code, hashes it (keyed) and passes the hash and
//! `now`; the code itself never enters this state, a stored body or a trail.
//!
//! One `CodeLogin` per mobile number asked for — known to the register or not, so the answer never says
//! whether a number is a deputy's (no account enumeration): an unknown number gets the same limits and the
//! same "code sent" answer, but its challenge names no deputy and no code ever matches it.
//!
//! ```text
//! idle ──request (≤ 3 per 15 min)──▶ pending(code hash, expires in 5 min)
//! pending ──verify: right, in time──▶ idle (Verified: a deputy session may begin)
//! pending ──verify: wrong──▶ pending (wrong + 1) ──5th wrong──▶ locked 15 min (the challenge dropped)
//! ```

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ids::DeputyId;

/// The limits of code login (the defaults are the issue's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePolicy {
    /// How long a code works (default 5 minutes).
    pub valid_for: Duration,
    /// Codes one number may be sent within [`window`](Self::window) (default 3).
    pub max_sends: u32,
    /// The window of the send limit (default 15 minutes).
    pub window: Duration,
    /// Wrong codes in a row that lock the number (default 5).
    pub max_wrong: u32,
    /// How long the lock lasts (default 15 minutes).
    pub lockout: Duration,
}

impl Default for CodePolicy {
    fn default() -> Self {
        Self {
            valid_for: Duration::minutes(5),
            max_sends: 3,
            window: Duration::minutes(15),
            max_wrong: 5,
            lockout: Duration::minutes(15),
        }
    }
}

/// The number of digits of a code.
pub const CODE_DIGITS: usize = 6;

/// A code sent and not yet used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The keyed hash of the code (the code itself is never kept).
    pub code_hash: String,
    /// The last moment it works.
    pub expires_at: DateTime<Utc>,
    /// The deputy whose number it is; `None` for a number not on the register (nothing is sent).
    pub deputy: Option<DeputyId>,
}

/// The code-login state of one mobile number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeLogin {
    /// When codes were asked for within the send window (older ones are dropped).
    pub sent: Vec<DateTime<Utc>>,
    /// The code waiting to be entered.
    pub pending: Option<Challenge>,
    /// Wrong codes in a row.
    pub wrong: u32,
    /// Locked until then after too many wrong codes.
    pub locked_until: Option<DateTime<Utc>>,
}

/// What is asked of a number's code login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCommand {
    /// Send a new code (it replaces any pending one).
    Request {
        /// The keyed hash of the code drawn by the caller.
        code_hash: String,
        /// The deputy on the register with this number, if any.
        deputy: Option<DeputyId>,
    },
    /// Check an entered code.
    Verify {
        /// The keyed hash of the code entered.
        code_hash: String,
    },
}

/// What happened (each one recorded; none carries a code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CodeEvent {
    /// A code was drawn (and, for a deputy's number, queued as an SMS).
    Issued {
        /// The challenge.
        challenge: Challenge,
        /// When.
        at: DateTime<Utc>,
    },
    /// The right code, in time: the deputy may have a session.
    Verified {
        /// The deputy.
        deputy: DeputyId,
    },
    /// A wrong (or expired, or unmatched) code.
    Wrong {
        /// Wrong codes in a row, this one included.
        count: u32,
    },
    /// Too many wrong codes: locked, the pending code dropped.
    Locked {
        /// Until when.
        until: DateTime<Utc>,
    },
}

/// Why a request or a check was refused with nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    /// Too many codes asked for this number lately.
    #[error("mobile: too many codes were requested; try again after {retry_at}")]
    TooManyRequests {
        /// When another may be asked for.
        retry_at: DateTime<Utc>,
    },
    /// Locked after too many wrong codes.
    #[error("code: too many wrong codes; locked until {until}")]
    Locked {
        /// Until when.
        until: DateTime<Utc>,
    },
    /// No code is waiting (never asked, used, or dropped).
    #[error("code: no code is waiting; request a new one")]
    NoCode,
}

impl CodeError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooManyRequests { .. } => "deputy_login.too_many_requests",
            Self::Locked { .. } => "deputy_login.locked",
            Self::NoCode => "deputy_login.no_code",
        }
    }
    /// The field it is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::TooManyRequests { .. } => "mobile",
            Self::Locked { .. } | Self::NoCode => "code",
        }
    }
}

impl Localized for CodeError {
    fn zh(&self) -> String {
        let hm = |t: &DateTime<Utc>| (*t + Duration::hours(8)).format("%H:%M").to_string();
        match self {
            Self::TooManyRequests { retry_at } => format!("获取验证码过于频繁，请于 {} 后再试", hm(retry_at)),
            Self::Locked { until } => format!("验证码错误次数过多，请于 {} 后再试", hm(until)),
            Self::NoCode => "没有待验证的验证码，请重新获取".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl crate::aggregate::DomainError for CodeError {
    fn code(&self) -> &'static str {
        CodeError::code(self)
    }
    fn is_input(&self) -> bool {
        false
    }
}

impl CodeEvent {
    /// The stable name of its audit record.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Issued { .. } => "auth.login_code_issued",
            Self::Verified { .. } => "auth.login_code_verified",
            Self::Wrong { .. } => "auth.login_code_wrong",
            Self::Locked { .. } => "auth.login_code_locked",
        }
    }
}

impl CodeLogin {
    /// The stored status of the state: `locked` (until a time), `pending` (a code waits) or `idle`.
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        match (&self.locked_until, &self.pending) {
            (Some(u), _) if now < *u => "locked",
            (_, Some(_)) => "pending",
            _ => "idle",
        }
    }

    /// Decide a command at `now` under `policy`: the events, or a refusal with nothing changed. A wrong
    /// code is an event (it must be recorded), not a refusal.
    pub fn decide(
        &self,
        command: &CodeCommand,
        now: DateTime<Utc>,
        policy: &CodePolicy,
    ) -> Result<Vec<CodeEvent>, CodeError> {
        if let Some(until) = self.locked_until.filter(|u| now < *u) {
            return Err(CodeError::Locked { until });
        }
        match command {
            CodeCommand::Request { code_hash, deputy } => {
                let recent: Vec<_> = self.sent.iter().filter(|t| now - **t < policy.window).collect();
                if recent.len() >= usize::try_from(policy.max_sends).unwrap_or(usize::MAX) {
                    let oldest = recent.iter().copied().min().copied().unwrap_or(now);
                    return Err(CodeError::TooManyRequests { retry_at: oldest + policy.window });
                }
                let challenge = Challenge {
                    code_hash: code_hash.clone(),
                    expires_at: now + policy.valid_for,
                    deputy: *deputy,
                };
                Ok(vec![CodeEvent::Issued { challenge, at: now }])
            }
            CodeCommand::Verify { code_hash } => {
                let Some(c) = &self.pending else { return Err(CodeError::NoCode) };
                let wrong = self.wrong.saturating_add(1);
                match c.deputy {
                    Some(deputy) if now <= c.expires_at && c.code_hash == *code_hash => {
                        Ok(vec![CodeEvent::Verified { deputy }])
                    }
                    _ if wrong >= policy.max_wrong => Ok(vec![
                        CodeEvent::Wrong { count: wrong },
                        CodeEvent::Locked { until: now + policy.lockout },
                    ]),
                    _ => Ok(vec![CodeEvent::Wrong { count: wrong }]),
                }
            }
        }
    }

    /// Apply an event (the sends outside the window are dropped as a new one is recorded).
    pub fn apply(&mut self, event: &CodeEvent, policy: &CodePolicy) {
        match event {
            CodeEvent::Issued { challenge, at } => {
                self.sent.retain(|t| *at - *t < policy.window);
                self.sent.push(*at);
                self.pending = Some(challenge.clone());
            }
            CodeEvent::Verified { .. } => {
                self.pending = None;
                self.wrong = 0;
                self.locked_until = None;
            }
            CodeEvent::Wrong { count } => self.wrong = *count,
            CodeEvent::Locked { until } => {
                self.pending = None;
                self.wrong = 0;
                self.locked_until = Some(*until);
            }
        }
    }
}

#[cfg(test)]
#[path = "code_tests.rs"]
mod tests;
