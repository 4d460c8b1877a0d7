//! Accounts and their life (issue 12, items 1 and 14): which roles an account may hold together, the
//! security administrator's approval of every business role and deputy account, disabling and
//! re-enabling, and how long an API token lives.
//!
//! The rules: an account holds one administrator role (system, security or audit) and nothing else, or
//! business roles only; a deputy's account holds `deputy` alone and belongs to one deputy, who has at
//! most one account; an integration (service) account is a system, never an administrator or a deputy.
//! The system administrator creates accounts and asks for roles; a business role takes effect only when
//! a second person, the security administrator, approves it. A role change goes the same way.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::ids::{DepartmentId, DeputyId, UserId};
use crate::scope::Grant;

/// A person's account, or an integration system's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A person: tokens only from the person (or an activation code the person redeems).
    #[default]
    Person,
    /// An integration system (the case system, the congress's system): the system administrator issues
    /// its tokens.
    Service,
}

impl AccountKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Service => "service",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "person" => Some(Self::Person),
            "service" => Some(Self::Service),
            _ => None,
        }
    }
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Person => "人员",
            Self::Service => "集成系统",
        }
    }
}

/// Roles asked for and waiting for the security administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequest {
    /// The roles the account would hold.
    pub roles: Vec<Role>,
    /// The department, for a `department` role.
    #[serde(default)]
    pub department: Option<DepartmentId>,
    /// For an officer: the liaison officer it is and the regions it reaches (issue 12, item 7).
    #[serde(default, skip_serializing_if = "Grant::is_empty")]
    pub grant: Grant,
    /// Who asked (the system administrator).
    pub by: UserId,
    /// When.
    pub at: DateTime<Utc>,
}

/// An account as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: UserId,
    /// Person or integration system.
    pub kind: AccountKind,
    /// The roles in effect.
    pub roles: Vec<Role>,
    /// False once disabled.
    pub active: bool,
    /// Roles waiting for approval.
    pub pending: Option<RoleRequest>,
    /// The deputy a deputy's account belongs to.
    pub deputy: Option<DeputyId>,
    /// The department a department account works in.
    pub department: Option<DepartmentId>,
    /// What an officer's account reaches: its liaison officer and regions.
    pub grant: Grant,
    /// Events applied.
    pub version: u64,
}

/// A new account, as the system administrator asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// Its id (made outside the core).
    pub id: UserId,
    /// Person or integration system.
    pub kind: AccountKind,
    /// The roles asked for: administrator roles take effect at once, business roles on approval.
    pub roles: Vec<Role>,
    /// For a deputy's account: the deputy.
    pub deputy: Option<DeputyId>,
    /// For a department account: its department.
    pub department: Option<DepartmentId>,
    /// For an officer's account: the liaison officer it is and the regions it reaches.
    pub grant: Grant,
}

/// A change to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountCommand {
    /// Ask for a new set of roles (the system administrator); it waits for the security administrator.
    RequestRoles {
        /// The roles the account is to hold.
        roles: Vec<Role>,
        /// The department, for a `department` role (kept from the account when not given).
        department: Option<DepartmentId>,
        /// For the `officer` role: its liaison officer and regions (kept from the account when not given).
        grant: Option<Grant>,
    },
    /// Approve the roles waiting (the security administrator, not the one who asked).
    Approve,
    /// Reject the roles waiting.
    Reject,
    /// Disable the account: it can do nothing, and every token of it is revoked with it.
    Disable,
    /// Enable a disabled account again (the security administrator: unlocking).
    Enable,
}

/// What happened to an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountEvent {
    /// Created, with the administrator role it holds at once (none for business accounts).
    Created {
        /// Person or integration system.
        kind: AccountKind,
        /// Roles in effect from the start.
        roles: Vec<Role>,
        /// The deputy of a deputy's account.
        deputy: Option<DeputyId>,
    },
    /// Roles asked for.
    RolesRequested {
        /// The roles.
        roles: Vec<Role>,
        /// The department, for a `department` role.
        department: Option<DepartmentId>,
        /// For the `officer` role: its liaison officer and regions.
        #[serde(default, skip_serializing_if = "Grant::is_empty")]
        grant: Grant,
        /// Who asked.
        by: UserId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The roles asked for were approved and are in effect.
    RolesGranted {
        /// The roles now held.
        roles: Vec<Role>,
        /// The department now.
        department: Option<DepartmentId>,
        /// The officer's grant now.
        #[serde(default, skip_serializing_if = "Grant::is_empty")]
        grant: Grant,
        /// Who asked.
        requested_by: UserId,
        /// Who approved.
        approved_by: UserId,
    },
    /// The roles asked for were rejected; the account keeps what it had.
    RolesRejected {
        /// The roles that were asked for.
        roles: Vec<Role>,
        /// Who rejected.
        by: UserId,
    },
    /// Disabled (its tokens revoked with it).
    Disabled {
        /// Who.
        by: UserId,
    },
    /// Enabled again.
    Enabled {
        /// Who.
        by: UserId,
    },
    /// Roles held before the separation rule existed, cut down to what it allows (an upgrade).
    RolesNormalised {
        /// Held before.
        from: Vec<Role>,
        /// Held now.
        to: Vec<Role>,
    },
}

impl AccountEvent {
    /// The audit record's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Created { .. } => "user.created",
            Self::RolesRequested { .. } => "user.roles_requested",
            Self::RolesGranted { .. } => "user.roles_granted",
            Self::RolesRejected { .. } => "user.roles_rejected",
            Self::Disabled { .. } => "user.disabled",
            Self::Enabled { .. } => "user.enabled",
            Self::RolesNormalised { .. } => "user.roles_normalised",
        }
    }
}

/// Check a set of roles for an account of `kind` and return it sorted, without repeats.
pub(crate) fn check_roles(kind: AccountKind, roles: &[Role]) -> Result<Vec<Role>, AccountError> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(AccountError::NoRole);
    }
    let admins: Vec<Role> = roles.iter().copied().filter(|r| r.is_administrator()).collect();
    let business: Vec<Role> = roles.iter().copied().filter(|r| !r.is_administrator()).collect();
    if let [a, b, ..] = admins[..] {
        return Err(AccountError::TwoAdministrators(a, b));
    }
    if let (Some(a), Some(b)) = (admins.first(), business.first()) {
        return Err(AccountError::AdministratorWithBusiness(*a, *b));
    }
    if roles.contains(&Role::Deputy) && roles.len() > 1 {
        return Err(AccountError::DeputyWithOther);
    }
    if kind == AccountKind::Service
        && let Some(r) = roles.iter().find(|r| r.is_administrator() || **r == Role::Deputy)
    {
        return Err(AccountError::ServiceRole(*r));
    }
    Ok(roles)
}

/// Roles held before the separation rule, cut down to what it allows: an administrator keeps its first
/// administrator role only (system before security before audit), a deputy's account `deputy` only.
pub fn normalise(roles: &[Role]) -> Vec<Role> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    if let Some(a) = roles.iter().find(|r| r.is_administrator()) {
        return vec![*a];
    }
    if roles.contains(&Role::Deputy) {
        return vec![Role::Deputy];
    }
    roles
}

/// Check what a new account asks for before anything is looked up: the roles together, and that a
/// deputy's account names its deputy and a department account its department (and no other account
/// either). Returns the roles sorted, without repeats.
pub fn check_new(
    kind: AccountKind,
    roles: &[Role],
    names_deputy: bool,
    names_department: bool,
    grant: &Grant,
) -> Result<Vec<Role>, AccountError> {
    let roles = check_roles(kind, roles)?;
    check_links(&roles, names_deputy, names_department)?;
    check_grant(&roles, grant)?;
    Ok(roles)
}

/// A liaison officer or regions are granted to an officer's account only.
fn check_grant(roles: &[Role], grant: &Grant) -> Result<(), AccountError> {
    if !grant.is_empty() && !roles.contains(&Role::Officer) {
        return Err(AccountError::GrantWithoutOfficer);
    }
    Ok(())
}

fn check_links(roles: &[Role], deputy: bool, department: bool) -> Result<(), AccountError> {
    if roles.contains(&Role::Deputy) != deputy {
        return Err(AccountError::DeputyMismatch);
    }
    match (roles.contains(&Role::Department), department) {
        (true, false) => Err(AccountError::DepartmentRequired),
        (false, true) => Err(AccountError::DepartmentWithoutRole),
        _ => Ok(()),
    }
}

impl Account {
    /// Open an account (the system administrator `by`). `deputy_account` is the login of an account the
    /// deputy already has, if any. Administrator roles take effect at once; business roles wait for the
    /// security administrator (`RolesRequested`).
    pub fn open(
        new: &NewAccount,
        by: UserId,
        deputy_account: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Account, Vec<AccountEvent>), AccountError> {
        let roles =
            check_new(new.kind, &new.roles, new.deputy.is_some(), new.department.is_some(), &new.grant)?;
        if let Some(login) = deputy_account {
            return Err(AccountError::DeputyHasAccount(login.to_owned()));
        }
        let administrator = roles.iter().any(|r| r.is_administrator());
        let mut events = vec![AccountEvent::Created {
            kind: new.kind,
            roles: if administrator { roles.clone() } else { vec![] },
            deputy: new.deputy,
        }];
        if !administrator {
            events.push(AccountEvent::RolesRequested {
                roles,
                department: new.department,
                grant: new.grant.clone(),
                by,
                at: now,
            });
        }
        let mut account = Account {
            id: new.id,
            kind: new.kind,
            roles: vec![],
            active: true,
            pending: None,
            deputy: None,
            department: None,
            grant: Grant::default(),
            version: 0,
        };
        for e in &events {
            account.apply(e);
        }
        Ok((account, events))
    }

    /// Decide a command by `by` at `now`: the events, or why not. Nothing changes on a refusal.
    pub fn decide(
        &self,
        cmd: &AccountCommand,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<AccountEvent>, AccountError> {
        if by == self.id {
            return Err(AccountError::OwnAccount);
        }
        match cmd {
            AccountCommand::RequestRoles { roles, department, grant } => {
                if !self.active {
                    return Err(AccountError::Disabled);
                }
                if self.pending.is_some() {
                    return Err(AccountError::AlreadyPending);
                }
                let roles = check_roles(self.kind, roles)?;
                let department = match department {
                    Some(d) => Some(*d),
                    None if roles.contains(&Role::Department) => self.department,
                    None => None,
                };
                check_links(&roles, self.deputy.is_some(), department.is_some())?;
                let grant = match grant {
                    Some(g) => g.clone(),
                    None if roles.contains(&Role::Officer) => self.grant.clone(),
                    None => Grant::default(),
                };
                check_grant(&roles, &grant)?;
                if roles == self.roles && department == self.department && grant == self.grant {
                    return Err(AccountError::NoChange);
                }
                Ok(vec![AccountEvent::RolesRequested { roles, department, grant, by, at: now }])
            }
            AccountCommand::Approve => {
                let p = self.pending.as_ref().ok_or(AccountError::NothingPending)?;
                if p.by == by {
                    return Err(AccountError::SamePerson);
                }
                Ok(vec![AccountEvent::RolesGranted {
                    roles: p.roles.clone(),
                    department: p.department,
                    grant: p.grant.clone(),
                    requested_by: p.by,
                    approved_by: by,
                }])
            }
            AccountCommand::Reject => {
                let p = self.pending.as_ref().ok_or(AccountError::NothingPending)?;
                Ok(vec![AccountEvent::RolesRejected { roles: p.roles.clone(), by }])
            }
            AccountCommand::Disable => {
                if !self.active {
                    return Err(AccountError::Disabled);
                }
                Ok(vec![AccountEvent::Disabled { by }])
            }
            AccountCommand::Enable => {
                if self.active {
                    return Err(AccountError::NotDisabled);
                }
                Ok(vec![AccountEvent::Enabled { by }])
            }
        }
    }

    /// Whether `cmd` would leave nobody active in a role someone must hold (the system and the security
    /// administrator): `others` are the other accounts. Checked with `decide`.
    pub fn check_not_last(&self, cmd: &AccountCommand, others: &[Account]) -> Result<(), AccountError> {
        let losing = |r: Role| match cmd {
            AccountCommand::Disable => self.active && self.roles.contains(&r),
            AccountCommand::Approve => {
                self.roles.contains(&r) && self.pending.as_ref().is_some_and(|p| !p.roles.contains(&r))
            }
            _ => false,
        };
        for r in [Role::Admin, Role::SecurityAdmin] {
            if losing(r) && !others.iter().any(|o| o.id != self.id && o.active && o.roles.contains(&r)) {
                return Err(AccountError::LastAdministrator(r));
            }
        }
        Ok(())
    }

    /// Whether `by` may make a token for this account: anyone for themself, the holder of `manage_tokens`
    /// (`may_manage_tokens`) for an integration account, nobody for another person (issue 12, item 1).
    pub fn token_by(&self, by: UserId, may_manage_tokens: bool) -> Result<(), AccountError> {
        match (by == self.id, self.kind, may_manage_tokens) {
            (true, _, _) => Ok(()),
            (false, AccountKind::Service, true) => Ok(()),
            _ => Err(AccountError::PersonsToken),
        }
    }

    /// The upgrade's event for an account whose roles break the separation rule, if it does.
    pub fn normalised(&self) -> Option<AccountEvent> {
        let to = normalise(&self.roles);
        (to != self.roles).then(|| AccountEvent::RolesNormalised { from: self.roles.clone(), to })
    }

    /// Fold an event in.
    pub fn apply(&mut self, e: &AccountEvent) {
        match e {
            AccountEvent::Created { kind, roles, deputy } => {
                self.kind = *kind;
                self.roles = roles.clone();
                self.deputy = *deputy;
            }
            AccountEvent::RolesRequested { roles, department, grant, by, at } => {
                self.pending = Some(RoleRequest {
                    roles: roles.clone(),
                    department: *department,
                    grant: grant.clone(),
                    by: *by,
                    at: *at,
                });
            }
            AccountEvent::RolesGranted { roles, department, grant, .. } => {
                self.roles = roles.clone();
                self.department = *department;
                self.grant = grant.clone();
                self.pending = None;
            }
            AccountEvent::RolesRejected { .. } => self.pending = None,
            AccountEvent::Disabled { .. } => {
                self.active = false;
                self.pending = None;
            }
            AccountEvent::Enabled { .. } => self.active = true,
            AccountEvent::RolesNormalised { to, .. } => {
                self.roles = to.clone();
                if !to.contains(&Role::Department) {
                    self.department = None;
                }
                if !to.contains(&Role::Officer) {
                    self.grant = Grant::default();
                }
            }
        }
        self.version += 1;
    }
}

/// How long API tokens live: a lifetime from creation (default 90 days) and an idle limit (default 30
/// days without use). Set by the security administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPolicy {
    /// Days from creation until a token expires (1–365; a token may ask for fewer).
    pub lifetime_days: u32,
    /// Days without use after which a token no longer works (1 to the lifetime).
    pub idle_days: u32,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self { lifetime_days: 90, idle_days: 30 }
    }
}

/// Why a token no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenLapse {
    /// Past its expiry.
    Expired,
    /// Not used for longer than the idle limit.
    Idle,
}

impl TokenPolicy {
    /// A policy, checked: lifetime 1–365 days, idle limit 1 day to the lifetime.
    pub fn new(lifetime_days: u32, idle_days: u32) -> Result<Self, AccountError> {
        if !(1..=365).contains(&lifetime_days) {
            return Err(AccountError::Policy { field: "lifetime_days", why: "lifetime" });
        }
        if idle_days == 0 || idle_days > lifetime_days {
            return Err(AccountError::Policy { field: "idle_days", why: "idle" });
        }
        Ok(Self { lifetime_days, idle_days })
    }

    /// When a token created at `now` expires: after `days` (the policy's lifetime when not given, never
    /// more).
    pub fn expiry(&self, now: DateTime<Utc>, days: Option<u32>) -> Result<DateTime<Utc>, AccountError> {
        let days = days.unwrap_or(self.lifetime_days);
        if days == 0 || days > self.lifetime_days {
            return Err(AccountError::Lifetime { max: self.lifetime_days });
        }
        Ok(now + Duration::days(i64::from(days)))
    }

    /// Whether a token still works at `now`: not past `expires_at`, and used (or created) within the
    /// idle limit.
    pub fn check(
        &self,
        expires_at: DateTime<Utc>,
        last_used: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), TokenLapse> {
        if now >= expires_at {
            return Err(TokenLapse::Expired);
        }
        if now - last_used > Duration::days(i64::from(self.idle_days)) {
            return Err(TokenLapse::Idle);
        }
        Ok(())
    }
}

mod aggregate;
mod error;
pub use aggregate::{Acting, OpenAccount};
pub use error::AccountError;

#[cfg(test)]
mod tests;
