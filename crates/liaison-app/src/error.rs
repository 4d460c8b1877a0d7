//! The façade's error: domain rejections from the core, permission and identity failures, storage
//! failures. Each has a stable code, a kind that interfaces map to a status or exit code, and messages in
//! zh-CN and English. Internal failures tell the user only that something failed, never the details.

use liaison_core::organisation::OrgError;
use liaison_core::registry::RegistryError;
use liaison_core::suggestion::{MeasureError, SuggestionError};
use liaison_core::{DomainError, FieldError, Localized};
use liaison_store::StoreError;

use crate::import::ImportReport;

/// How an interface should treat an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed or breaks a rule (HTTP 422, exit 1).
    Invalid,
    /// No valid credentials (HTTP 401).
    Unauthenticated,
    /// Not allowed for this user's roles (HTTP 403).
    Forbidden,
    /// No such thing (HTTP 404).
    NotFound,
    /// Conflicts with the current state: a duplicate, an illegal transition (HTTP 409).
    Conflict,
    /// The version the caller saw is no longer current (HTTP 412).
    Stale,
    /// It existed and is gone for good: a one-use link spent or expired (HTTP 410).
    Gone,
    /// The system cannot serve it right now — the database busy beyond its wait, unreachable, or damaged —
    /// and nothing was written: retry later (HTTP 503 with `Retry-After`).
    Unavailable,
    /// No space left for the database; nothing was written (HTTP 507).
    StorageFull,
    /// Too many requests of this kind from this account for now (HTTP 429 with `Retry-After`).
    TooMany,
    /// A failure of the system, not of the request (HTTP 500).
    Internal,
}

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Field-level input errors.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// A rule of a workflow refused the command: the core's typed refusal, with its code, its messages
    /// and whether the input or the record's state is at fault.
    #[error("{0}")]
    Rule(Box<dyn DomainError>),
    /// An account rule refused the command (a refusal about a field of the input is `Invalid` instead).
    #[error(transparent)]
    Account(liaison_core::account::AccountError),
    /// No or bad credentials.
    #[error("authentication required: a valid API token")]
    Unauthenticated,
    /// A staff login step or session was refused (issue 16): a wrong login or password says no more.
    #[error(transparent)]
    Login(liaison_core::login::LoginError),
    /// The deputy is outside the caller's scope (issue 12, item 7).
    #[error(transparent)]
    Scope(liaison_core::scope::ScopeError),
    /// Too many full views in the window: refused, and the security alert raised (issue 12, item 7).
    #[error(
        "too many full views of deputies' personal data: {count} in the last {window_minutes} minutes (the limit); the security administrator has been alerted; retry in {retry_after} s"
    )]
    BulkViewing {
        /// Views counted in the window.
        count: u32,
        /// The window.
        window_minutes: u32,
        /// Seconds until one more view is allowed.
        retry_after: u32,
    },
    /// The user's roles do not allow the action.
    #[error("not allowed: your roles do not permit {action}")]
    Forbidden {
        /// The action's code.
        action: &'static str,
    },
    /// No such record.
    #[error("not found: {what} {id}")]
    NotFound {
        /// Kind of record.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The record changed since the caller read it.
    #[error("{what} {id} is at version {actual}, not {expected}: reload and try again")]
    Stale {
        /// Kind of record.
        what: &'static str,
        /// Its id.
        id: String,
        /// Current version.
        actual: u64,
        /// The version the caller saw.
        expected: u64,
    },
    /// A unique name is taken.
    #[error("{0} is already taken")]
    Taken(String),
    /// A change dated before the last recorded one: the record never goes back in time.
    #[error(
        "the change is dated {at}, before the last recorded change at {last}: check the clock (or LIAISON_NOW)"
    )]
    Backdated {
        /// The change's time.
        at: String,
        /// The last recorded change's time.
        last: String,
    },
    /// An idempotency key was reused for a different request.
    #[error("the Idempotency-Key was already used for a different request")]
    IdempotencyMismatch,
    /// An import was refused: nothing was written. The report names every bad row.
    #[error("import refused: {} problem(s) in {} row(s), nothing was written", .0.errors.len(), .0.rows_with_errors())]
    ImportRefused(Box<ImportReport>),
    /// A file could not be read as a register.
    #[error("{en}")]
    BadFile {
        /// Stable code.
        code: &'static str,
        /// Chinese message.
        zh: String,
        /// English message.
        en: String,
    },
    /// Storage failed.
    #[error("storage: {0}")]
    Store(StoreError),
    /// A law of the aggregate contract was broken (a creation that created nothing): a bug, never the
    /// caller's fault.
    #[error("internal: {0}")]
    Contract(&'static str),
    /// Internal: a dry run's report, carried out of the transaction to roll it back.
    #[doc(hidden)]
    #[error("dry run")]
    DryRun(Box<ImportReport>),
}

impl From<liaison_core::account::AccountError> for AppError {
    /// A refusal about a field of the input (the roles asked for, the deputy, the department, the days) is
    /// an input error naming that field; the rest conflict with the account's state or the approval rules.
    fn from(e: liaison_core::account::AccountError) -> Self {
        use liaison_core::account::AccountError as A;
        match (e.field(), &e) {
            (_, A::DeputyHasAccount(_)) | (None, _) => Self::Account(e),
            (Some(field), _) => Self::Invalid(vec![FieldError {
                field: field.to_owned(),
                code: e.code(),
                message_zh: e.zh(),
                message_en: e.en(),
            }]),
        }
    }
}

impl From<liaison_core::login::LoginError> for AppError {
    /// A wrong code names the field `code`; the rest are the login's own refusals.
    fn from(e: liaison_core::login::LoginError) -> Self {
        match e.field() {
            Some(field) => Self::Invalid(vec![FieldError {
                field: field.to_owned(),
                code: e.code(),
                message_zh: e.zh(),
                message_en: e.en(),
            }]),
            None => Self::Login(e),
        }
    }
}

impl From<liaison_core::login::PasswordError> for AppError {
    /// Every refusal of a new password names the field `password` and its reason.
    fn from(e: liaison_core::login::PasswordError) -> Self {
        Self::Invalid(vec![FieldError {
            field: e.field().to_owned(),
            code: e.code(),
            message_zh: e.zh(),
            message_en: e.en(),
        }])
    }
}

impl AppError {
    /// A workflow's refusal.
    pub fn rule(e: impl DomainError) -> Self {
        Self::Rule(Box::new(e))
    }

    /// The workflow's refusal of type `T`, if it is one.
    pub fn rule_as<T: DomainError>(&self) -> Option<&T> {
        match self {
            Self::Rule(e) => {
                let e: &(dyn std::error::Error + 'static) = &**e;
                e.downcast_ref()
            }
            _ => None,
        }
    }
}

/// Each workflow's refusal converts with `?`.
macro_rules! rules {
    ($($t:ty),+ $(,)?) => {
        $(impl From<$t> for AppError {
            fn from(e: $t) -> Self {
                Self::rule(e)
            }
        })+
    };
}

rules!(
    RegistryError,
    OrgError,
    SuggestionError,
    MeasureError,
    liaison_core::deliberation::DeliberationError,
    liaison_core::notice::NoticeError,
    liaison_core::meeting::MeetingError,
    liaison_core::inspection::InspectionError,
    liaison_core::commendation::NominationError,
    liaison_core::review::ReviewError,
    liaison_core::activity::ActivityError,
    liaison_core::budget::BudgetError,
    liaison_core::appointment::AppointmentError,
    liaison_core::channels::ChannelError,
    liaison_core::suggestion::draft::DraftError,
    liaison_core::tenant::TenantError,
    liaison_core::registry::link::LinkError,
);

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { what, id, actual, expected } => Self::Stale { what, id, actual, expected },
            StoreError::NotFound { what, id } => Self::NotFound { what, id },
            StoreError::Taken(what) => Self::Taken(what),
            StoreError::Backdated { at, last } => Self::Backdated { at, last },
            e => Self::Store(e),
        }
    }
}

impl AppError {
    /// The stable code (`deputy.duplicate`, `auth.forbidden` …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "input.invalid",
            Self::Rule(e) => e.code(),
            Self::Account(e) => e.code(),
            Self::Login(e) => e.code(),
            Self::Scope(e) => e.code(),
            Self::BulkViewing { .. } => "personal_data.bulk_viewing",
            Self::Unauthenticated => "auth.unauthenticated",
            Self::Forbidden { .. } => "auth.forbidden",
            Self::NotFound { .. } => "not_found",
            Self::Stale { .. } => "version.stale",
            Self::Taken(_) => "name.taken",
            Self::Backdated { .. } => "audit.backdated",
            Self::IdempotencyMismatch => "idempotency.mismatch",
            Self::ImportRefused(_) => "import.refused",
            Self::BadFile { code, .. } => code,
            Self::Store(e) if e.outage().is_some() => e.outage().map_or("internal", |o| o.code()),
            Self::Store(StoreError::KeyExposed { .. }) => "key.exposed",
            Self::Store(StoreError::KeyMalformed) => "key.malformed",
            Self::Store(StoreError::BadUrl(_)) => "database_url.invalid",
            Self::Store(_) | Self::DryRun(_) | Self::Contract(_) => "internal",
        }
    }

    /// How interfaces should treat it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::BadFile { code, .. }
                if code.starts_with("feedback_link.")
                    || code.starts_with("notice_link.")
                    || code.starts_with("login_link.") =>
            {
                ErrorKind::Gone
            }
            // The operator's configuration, not a failure of the system: said as it is (issue 12).
            Self::Store(StoreError::KeyExposed { .. } | StoreError::KeyMalformed | StoreError::BadUrl(_)) => {
                ErrorKind::Invalid
            }
            Self::Invalid(_) | Self::ImportRefused(_) | Self::BadFile { .. } => ErrorKind::Invalid,
            Self::Rule(e) if e.is_input() => ErrorKind::Invalid,
            Self::Rule(_) | Self::Taken(_) | Self::Backdated { .. } | Self::IdempotencyMismatch => {
                ErrorKind::Conflict
            }
            Self::Account(e) => {
                use liaison_core::account::AccountError as A;
                match e {
                    A::DeputyAtConsole | A::PersonsToken => ErrorKind::Forbidden,
                    A::ActivationInvalid => ErrorKind::Unauthenticated,
                    _ => ErrorKind::Conflict,
                }
            }
            Self::Unauthenticated => ErrorKind::Unauthenticated,
            Self::Login(e) => {
                use liaison_core::login::LoginError as L;
                match e {
                    L::Failed | L::SessionInvalid | L::SecondFactorRequired => ErrorKind::Unauthenticated,
                    L::Locked { .. } => ErrorKind::TooMany,
                    L::ReauthRequired | L::DeputyLogin | L::NotAPerson => ErrorKind::Forbidden,
                    L::Policy(_) | L::CodeWrong | L::CodeReplayed | L::RecoveryInvalid => ErrorKind::Invalid,
                    _ => ErrorKind::Conflict,
                }
            }
            Self::Forbidden { .. } | Self::Scope(_) => ErrorKind::Forbidden,
            Self::BulkViewing { .. } => ErrorKind::TooMany,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Stale { .. } => ErrorKind::Stale,
            Self::Store(e) => match e.outage() {
                Some(liaison_store::Outage::DiskFull) => ErrorKind::StorageFull,
                Some(_) => ErrorKind::Unavailable,
                None => ErrorKind::Internal,
            },
            Self::DryRun(_) | Self::Contract(_) => ErrorKind::Internal,
        }
    }

    /// Field-level errors, when there are any.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(f) => f,
            Self::Rule(e) => e.fields(),
            _ => &[],
        }
    }

    /// Seconds after which the same request may succeed, when the refusal is for now only (a busy store, a
    /// limit).
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::BulkViewing { retry_after, .. } => Some(*retry_after),
            _ => self.outage().map(liaison_store::Outage::retry_after),
        }
    }

    /// The operational failure behind it, if it is one: interfaces say what it is and when to retry.
    pub fn outage(&self) -> Option<liaison_store::Outage> {
        match self {
            Self::Store(e) => e.outage(),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &str, e: &liaison_core::ValueError) -> Self {
        Self::Invalid(vec![FieldError::new(field, e)])
    }
}

impl Localized for AppError {
    fn zh(&self) -> String {
        match self {
            Self::Invalid(errs) => format!(
                "输入有误：{}",
                errs.iter()
                    .map(|e| {
                        // A field without a Chinese label is named as the API names it, never as "字段".
                        let label = match liaison_core::error::field_zh(&e.field) {
                            "字段" => e.field.as_str(),
                            zh => zh,
                        };
                        format!("{label}：{}", e.message_zh)
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            Self::Rule(e) => e.zh(),
            Self::Account(e) => e.zh(),
            Self::Login(e) => e.zh(),
            Self::Scope(e) => e.zh(),
            Self::BulkViewing { count, window_minutes, retry_after } => format!(
                "查看代表完整个人信息过于频繁：{window_minutes} 分钟内已查看 {count} 次（上限），已向安全管理员告警；请 {retry_after} 秒后再试"
            ),
            Self::Unauthenticated => "需要有效的访问令牌（令牌不存在、已撤销、已过期或闲置过久）".into(),
            // The action in words, its code after it (what the role table and the logs name).
            Self::Forbidden { action } => {
                match liaison_core::access::Action::all().find(|a| a.code() == *action) {
                    Some(a) => format!("无权执行此操作：{}（{action}）", a.zh()),
                    None => format!("无权执行此操作（{action}）"),
                }
            }
            // A link is found by its secret, which is never repeated back: say what may have happened.
            Self::NotFound { what: "feedback link", .. } => {
                "找不到该反馈链接：链接可能不完整，或已被联络室新签发的链接取代；请向联络室索取新链接".into()
            }
            Self::NotFound { what, id } if id.is_empty() => format!("找不到{}", what_zh(what)),
            Self::NotFound { what, id } => format!("找不到{}：{id}", what_zh(what)),
            Self::Stale { actual, expected, .. } => {
                format!("记录已被他人修改（当前版本 {actual}，您看到的是 {expected}），请刷新后重试")
            }
            Self::Taken(what) => format!("{what} 已被占用"),
            Self::Backdated { at, last } => format!(
                "此项变更的时间 {at} 早于最后一条已记录变更的时间 {last}：记录不能倒填日期，请检查时钟（或 LIAISON_NOW）"
            ),
            Self::IdempotencyMismatch => "该幂等键已用于另一个不同的请求".into(),
            Self::ImportRefused(r) => {
                format!("导入被拒绝：{} 行有 {} 处错误，未写入任何数据", r.rows_with_errors(), r.errors.len())
            }
            Self::BadFile { zh, .. } => zh.clone(),
            Self::Store(e) if e.outage().is_some() => e.outage().map_or_else(String::new, |o| o.zh().into()),
            Self::Store(StoreError::KeyExposed { path, mode }) => format!(
                "密钥文件 {path} 的权限为 {mode:o}，本人以外的用户也能读取；为保护个人信息，拒绝使用该密钥。\
                 请运行 chmod 600 {path} 后重试"
            ),
            Self::Store(StoreError::KeyMalformed) => {
                "主密钥格式有误：须为 64 位十六进制数字（32 字节），请检查 LIAISON_KEY 或密钥文件".into()
            }
            Self::Store(StoreError::BadUrl(why)) => format!("数据库地址有误：{why}"),
            Self::Store(_) | Self::DryRun(_) | Self::Contract(_) => {
                "系统内部错误，请稍后重试或联系管理员".into()
            }
        }
    }
    fn en(&self) -> String {
        match self {
            Self::Store(e) if e.outage().is_some() => e.outage().map_or_else(String::new, |o| o.en().into()),
            Self::Store(
                e @ (StoreError::KeyExposed { .. } | StoreError::KeyMalformed | StoreError::BadUrl(_)),
            ) => e.to_string(),
            Self::Rule(e) => e.en(),
            Self::Store(_) | Self::DryRun(_) | Self::Contract(_) => {
                "internal error; try again later or contact the administrator".into()
            }
            e => e.to_string(),
        }
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "deputy" => "代表",
        "user" => "用户",
        "token" => "令牌",
        "officer" => "联络员",
        "department" => "部门",
        "leader" => "院领导",
        "region" => "区域",
        "suggestion" => "建议",
        "draft" => "建议草稿",
        "measure" => "整改措施",
        "feedback link" => "反馈链接",
        "deliberation" => "列席审议记录",
        "notice" => "重大事项通报",
        "plan" => "联络工作计划",
        "meeting" => "座谈会",
        "inspection" => "视察/评议",
        "nomination" => "奖励推荐",
        "review" => "案件评议",
        "activity" => "活动",
        "appointment" => "约见",
        "card" => "联系卡",
        "service" => "服务事项",
        "solicitation" => "征求意见",
        "call" => "来电记录",
        "visit" => "走访记录",
        "budget" => "经费预算",
        _ => "记录",
    }
}
