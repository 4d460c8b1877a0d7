//! Why a change to an account was refused: stable codes, the field concerned, zh-CN and English.

use crate::Localized;
use crate::access::Role;

/// Why a change to an account was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// No role given.
    #[error("roles: at least one role is required")]
    NoRole,
    /// Two administrator roles on one account.
    #[error("roles: {0} and {1} are two administrator roles; no account holds two")]
    TwoAdministrators(Role, Role),
    /// An administrator role with a business role.
    #[error("roles: the administrator role {0} cannot be held with the business role {1}")]
    AdministratorWithBusiness(Role, Role),
    /// `deputy` with another role.
    #[error("roles: a deputy's account holds the role deputy alone")]
    DeputyWithOther,
    /// An integration account with an administrator or deputy role.
    #[error("roles: an integration account cannot hold {0}")]
    ServiceRole(Role),
    /// `deputy` without the deputy, or a deputy without `deputy`; or a role change that would add or
    /// remove `deputy`.
    #[error("deputy: a deputy's account names its deputy and holds the role deputy; other accounts do not")]
    DeputyMismatch,
    /// `department` without its department.
    #[error("department: a department account needs its department")]
    DepartmentRequired,
    /// A department without the `department` role.
    #[error("department: only a department account names a department")]
    DepartmentWithoutRole,
    /// A liaison officer or regions granted to an account without the `officer` role.
    #[error("officer: only an officer's account is linked to a liaison officer or granted regions")]
    GrantWithoutOfficer,
    /// The deputy already has an account.
    #[error("deputy: this deputy already has the account {0}; one deputy has one account")]
    DeputyHasAccount(String),
    /// Nothing waits for approval.
    #[error("no roles are waiting for approval on this account")]
    NothingPending,
    /// Roles already wait for approval.
    #[error("roles already wait for approval on this account: approve or reject them first")]
    AlreadyPending,
    /// The roles asked for are those held.
    #[error("roles: the account already holds exactly these roles")]
    NoChange,
    /// The approver asked for the roles: approval needs a second person.
    #[error("the roles must be approved by someone other than the one who asked for them")]
    SamePerson,
    /// An administrator acting on their own account.
    #[error("an administrator cannot change, disable or enable their own account")]
    OwnAccount,
    /// The account is disabled.
    #[error("the account is disabled")]
    Disabled,
    /// The account is not disabled.
    #[error("the account is not disabled")]
    NotDisabled,
    /// A deputy's account used at the console (`--as`): a deputy acts only through their own token or link.
    #[error(
        "a deputy's account cannot be used at the console (--as): a deputy acts only through their own token or one-use link"
    )]
    DeputyAtConsole,
    /// A token asked for a person's account by someone else.
    #[error(
        "a person's token is made only by that person (or from an activation code they redeem); administrators make tokens for integration accounts only"
    )]
    PersonsToken,
    /// Disabling, or changing the roles of, the last active account holding an administrator role that
    /// someone must hold (system or security): nobody could then add accounts or approve roles.
    #[error("the account is the last active {0}: add another first")]
    LastAdministrator(Role),
    /// An activation code that is unknown, used, expired or for a disabled account.
    #[error("the activation code is not valid: unknown, already used, expired or replaced by a newer one")]
    ActivationInvalid,
    /// A token lifetime outside the policy.
    #[error("days: a token lives from 1 to {max} days")]
    Lifetime {
        /// The policy's limit.
        max: u32,
    },
    /// A token policy that does not hold together.
    #[error("{field}: {why}")]
    Policy {
        /// The field.
        field: &'static str,
        /// Why.
        why: &'static str,
    },
}

impl AccountError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoRole => "account.no_role",
            Self::TwoAdministrators(..) => "account.two_administrators",
            Self::AdministratorWithBusiness(..) => "account.administrator_with_business_role",
            Self::DeputyWithOther => "account.deputy_with_other_role",
            Self::ServiceRole(_) => "account.service_role",
            Self::DeputyMismatch => "account.deputy_mismatch",
            Self::DepartmentRequired => "account.department_required",
            Self::DepartmentWithoutRole => "account.department_without_role",
            Self::GrantWithoutOfficer => "account.grant_without_officer",
            Self::DeputyHasAccount(_) => "account.deputy_has_account",
            Self::NothingPending => "account.nothing_pending",
            Self::AlreadyPending => "account.already_pending",
            Self::NoChange => "account.no_change",
            Self::SamePerson => "account.same_person",
            Self::OwnAccount => "account.own_account",
            Self::Disabled => "account.disabled",
            Self::NotDisabled => "account.not_disabled",
            Self::DeputyAtConsole => "account.deputy_at_console",
            Self::PersonsToken => "token.persons_token",
            Self::ActivationInvalid => "account.activation_invalid",
            Self::LastAdministrator(_) => "account.last_administrator",
            Self::Lifetime { .. } => "token.lifetime",
            Self::Policy { .. } => "security.policy",
        }
    }
    /// The input field it is about, when it is about the input (HTTP 422); otherwise it conflicts with
    /// the account's state or the rules of approval (409).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::NoRole
            | Self::TwoAdministrators(..)
            | Self::AdministratorWithBusiness(..)
            | Self::DeputyWithOther
            | Self::ServiceRole(_)
            | Self::NoChange => Some("roles"),
            Self::DeputyMismatch | Self::DeputyHasAccount(_) => Some("deputy"),
            Self::DepartmentRequired | Self::DepartmentWithoutRole => Some("department"),
            Self::GrantWithoutOfficer => Some("officer"),
            Self::Lifetime { .. } => Some("days"),
            Self::Policy { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl Localized for AccountError {
    fn zh(&self) -> String {
        match self {
            Self::NoRole => "至少需要一个角色".into(),
            Self::TwoAdministrators(a, b) => {
                format!("{}与{}是两个管理员角色，一个账户不能同时担任（三员分立）", a.zh(), b.zh())
            }
            Self::AdministratorWithBusiness(a, b) => {
                format!("管理员角色{}不能与业务角色{}由同一账户担任（三员分立）", a.zh(), b.zh())
            }
            Self::DeputyWithOther => "代表本人的账户只能有“代表本人”一个角色".into(),
            Self::ServiceRole(r) => format!("集成系统账户不能担任{}", r.zh()),
            Self::DeputyMismatch => {
                "代表本人的账户须指明其代表并只有“代表本人”角色，其他账户不能指明代表".into()
            }
            Self::DepartmentRequired => "内设部门账户须指明其部门".into(),
            Self::DepartmentWithoutRole => "只有内设部门账户才能指明部门".into(),
            Self::GrantWithoutOfficer => "只有联络员账户才能关联联络员或授权区域".into(),
            Self::DeputyHasAccount(login) => format!("该代表已有账户 {login}：一名代表只能有一个账户"),
            Self::NothingPending => "该账户没有待批准的角色".into(),
            Self::AlreadyPending => "该账户已有待批准的角色：请先批准或驳回".into(),
            Self::NoChange => "该账户已经是这些角色".into(),
            Self::SamePerson => "角色须由申请人以外的另一人（安全管理员）批准".into(),
            Self::OwnAccount => "管理员不能变更、停用或启用自己的账户".into(),
            Self::Disabled => "该账户已停用".into(),
            Self::NotDisabled => "该账户未停用".into(),
            Self::DeputyAtConsole => {
                "代表本人的账户不能在命令行中以 --as 使用：代表只通过本人的令牌或一次性链接操作".into()
            }
            Self::PersonsToken => {
                "人员的令牌只能由本人创建（或由本人兑换激活码获得）；管理员只能为集成系统账户签发令牌".into()
            }
            Self::ActivationInvalid => "激活码无效：不存在、已使用、已过期或已被新的激活码取代".into(),
            Self::LastAdministrator(r) => format!("该账户是仅剩的在用{}：请先添加另一名{}", r.zh(), r.zh()),
            Self::Lifetime { max } => format!("令牌有效期须为 1 至 {max} 天"),
            Self::Policy { why, .. } => match *why {
                "lifetime" => "令牌有效期须为 1 至 365 天".into(),
                _ => "闲置期限须为 1 天以上，且不超过令牌有效期".into(),
            },
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
