//! Why a password, a login step or a session was refused: stable codes, the field concerned, zh-CN and
//! English. No message says whether a login exists.

use chrono::{DateTime, Utc};

use crate::Localized;

/// Why a new password was refused (the field is always `password`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// Fewer characters than the policy's minimum.
    #[error("password: at least {min} characters are required")]
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More characters than the policy's maximum.
    #[error("password: at most {max} characters are allowed")]
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// Blank, or with control characters.
    #[error("password: it must not be blank or hold control characters")]
    Unprintable,
    /// The password is the login.
    #[error("password: it must not be the login")]
    IsLogin,
    /// The password contains the login.
    #[error("password: it must not contain the login")]
    ContainsLogin,
    /// On the list of common, breached passwords.
    #[error("password: it is one of the most common passwords found in data breaches")]
    Common,
    /// The new password is the current one (a change must change it).
    #[error("password: the new password must differ from the current one")]
    SameAsCurrent,
}

impl PasswordError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "password.too_short",
            Self::TooLong { .. } => "password.too_long",
            Self::Unprintable => "password.unprintable",
            Self::IsLogin => "password.is_login",
            Self::ContainsLogin => "password.contains_login",
            Self::Common => "password.common",
            Self::SameAsCurrent => "password.same_as_current",
        }
    }
    /// The field it is about: always `password`.
    pub fn field(&self) -> &'static str {
        "password"
    }
}

impl Localized for PasswordError {
    fn zh(&self) -> String {
        match self {
            Self::TooShort { min } => format!("密码至少 {min} 个字符"),
            Self::TooLong { max } => format!("密码最多 {max} 个字符"),
            Self::Unprintable => "密码不能为空白，也不能含控制字符".into(),
            Self::IsLogin => "密码不能与登录名相同".into(),
            Self::ContainsLogin => "密码不能包含登录名".into(),
            Self::Common => "密码是数据泄露中最常见的密码之一，请换一个".into(),
            Self::SameAsCurrent => "新密码不能与当前密码相同".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// Why a login step, a second factor or a session was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// The login or the password is wrong — or the account is unknown, disabled or locked: one message
    /// for all, so that it never says whether a login exists.
    #[error(
        "the login or the password is wrong (after 5 failures in a row the account is locked for a while)"
    )]
    Failed,
    /// The account is locked until the given moment (told only after the password was right, or to the
    /// security administrator).
    #[error("the account is locked after repeated failures until {until}")]
    Locked {
        /// When the lock ends.
        until: DateTime<Utc>,
    },
    /// The code of the second factor is wrong.
    #[error("code: the verification code is wrong")]
    CodeWrong,
    /// The code's time step was used already (a replay).
    #[error("code: this verification code was used already; wait for the next one")]
    CodeReplayed,
    /// A recovery code that is unknown or spent.
    #[error("code: the recovery code is wrong or was used already")]
    RecoveryInvalid,
    /// The session is unknown, ended, idle too long or past its lifetime.
    #[error("the session has ended; log in again")]
    SessionInvalid,
    /// The session waits for its second factor (or its enrolment).
    #[error("the second factor is required before anything else")]
    SecondFactorRequired,
    /// The step does not fit the session's stage (a code for a session that enrols, or the reverse).
    #[error("this step does not fit the login's stage")]
    WrongStage,
    /// A sensitive action needs a recent authentication.
    #[error("enter your password or a verification code again to continue")]
    ReauthRequired,
    /// A deputy's account: deputies log in by a one-time SMS code (issue 17), not with a password.
    #[error("deputies log in with a one-time SMS code, not a password")]
    DeputyLogin,
    /// An integration account: it uses API tokens, never the pages.
    #[error("an integration account cannot log in to the pages; it uses API tokens")]
    NotAPerson,
    /// The account has no second factor enrolled.
    #[error("the account has no second factor enrolled")]
    NotEnrolled,
    /// The account is not locked.
    #[error("the account is not locked")]
    NotLocked,
    /// A login policy that does not hold together.
    #[error("{0}: the login policy's times do not hold together")]
    Policy(&'static str),
}

impl LoginError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Failed => "login.failed",
            Self::Locked { .. } => "login.locked",
            Self::CodeWrong => "login.code_wrong",
            Self::CodeReplayed => "login.code_replayed",
            Self::RecoveryInvalid => "login.recovery_invalid",
            Self::SessionInvalid => "login.session_invalid",
            Self::SecondFactorRequired => "login.second_factor_required",
            Self::WrongStage => "login.wrong_stage",
            Self::ReauthRequired => "login.reauth_required",
            Self::DeputyLogin => "login.deputy_sms",
            Self::NotAPerson => "login.not_a_person",
            Self::NotEnrolled => "login.not_enrolled",
            Self::NotLocked => "login.not_locked",
            Self::Policy(_) => "login.policy",
        }
    }
    /// The input field it is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::CodeWrong | Self::CodeReplayed | Self::RecoveryInvalid => Some("code"),
            Self::Policy(f) => Some(f),
            _ => None,
        }
    }
}

impl Localized for LoginError {
    fn zh(&self) -> String {
        match self {
            Self::Failed => "登录名或密码错误（连续失败 5 次将暂时锁定账户）".into(),
            Self::Locked { until } => {
                format!("连续失败次数过多，账户已锁定至 {}", crate::dates::china_time(*until).format("%H:%M"))
            }
            Self::CodeWrong => "验证码错误，请核对后重新输入".into(),
            Self::CodeReplayed => "该验证码已经使用过，请等待下一个验证码".into(),
            Self::RecoveryInvalid => "恢复码错误或已使用".into(),
            Self::SessionInvalid => "会话已结束，请重新登录".into(),
            Self::SecondFactorRequired => "请先完成第二重身份验证（动态验证码）".into(),
            Self::WrongStage => "此步骤与当前登录阶段不符".into(),
            Self::ReauthRequired => "此操作须重新验证身份：请再次输入密码或动态验证码".into(),
            Self::DeputyLogin => "代表通过短信验证码登录，不使用密码".into(),
            Self::NotAPerson => "集成系统账户不能登录页面，请使用 API 令牌".into(),
            Self::NotEnrolled => "该账户尚未绑定动态验证码".into(),
            Self::NotLocked => "该账户未被锁定".into(),
            Self::Policy(_) => "登录策略的时限设置不合理".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
