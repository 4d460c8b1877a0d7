//! Accounts' use cases (issue 12, items 1 and 14): the system administrator creates accounts and asks for
//! roles; the security administrator approves or rejects them and unlocks accounts; either disables an
//! account, which revokes every token of it in the same transaction. The core's `account` rules decide;
//! every change is an audit record naming who, through which credential, and the roles.

use liaison_core::access::{Action, Role};
use liaison_core::account::{Account, AccountCommand, AccountEvent, AccountKind, NewAccount};
use liaison_core::ids::{DepartmentId, DeputyId, OfficerId, TenantId, UserId};
use liaison_core::scope::Grant;
use liaison_core::{Meta, ValueError};
use liaison_store::{UserRecord, WriteTx};

use crate::identity::check_login;
use crate::views::UserView;
use crate::{App, AppError, Principal, record};

/// A new account.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Login (a-z, 0-9, `.`, `_`, `-`).
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Roles: one administrator role (admin, security_admin, auditor) alone, or business roles (office,
    /// officer, leader, department), or deputy alone. Business roles and deputy accounts wait for the
    /// security administrator's approval.
    pub roles: Vec<String>,
    /// For the `deputy` role: the deputy's id (one account per deputy).
    #[serde(default)]
    pub deputy: Option<String>,
    /// For the `department` role (required, and only for it): the department's name or id.
    #[serde(default)]
    pub department: Option<String>,
    /// For the `officer` role only: the organisation's liaison officer this account is (name or id); the
    /// deputies assigned to that officer are within its reach (issue 12, item 7).
    #[serde(default)]
    pub officer: Option<String>,
    /// For the `officer` role only: regions whose every deputy is within its reach.
    #[serde(default)]
    pub regions: Vec<String>,
    /// An integration system's account (the case system, the congress's system) rather than a person's:
    /// the system administrator issues its tokens.
    #[serde(default)]
    pub service: bool,
    /// Why the account is opened (recorded in the audit trail).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A change of an account's roles, asked by the system administrator.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    /// The roles the account is to hold (all of them, not a difference).
    pub roles: Vec<String>,
    /// For the `department` role: the department's name or id (kept when not given).
    #[serde(default)]
    pub department: Option<String>,
    /// For the `officer` role: the liaison officer it is (name or id; empty: none; kept when not given).
    #[serde(default)]
    pub officer: Option<String>,
    /// For the `officer` role: the regions granted (all of them; empty: none; kept when not given).
    #[serde(default)]
    pub regions: Option<Vec<String>>,
}

/// What an administrator does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStep {
    /// Approve the roles waiting (security administrator).
    Approve,
    /// Reject them (security administrator).
    Reject,
    /// Disable the account and revoke its tokens (system or security administrator).
    Disable,
    /// Enable it again (security administrator).
    Enable,
}

pub(crate) fn user_view(u: &UserRecord) -> UserView {
    UserView {
        id: u.id.0,
        login: u.login.clone(),
        display_name: u.display_name.clone(),
        kind: u.kind.code().to_owned(),
        roles: u.roles.iter().map(|r| r.code().to_owned()).collect(),
        pending_roles: u.pending.as_ref().map(|p| p.roles.iter().map(|r| r.code().to_owned()).collect()),
        active: u.active,
        created_at: u.created_at,
        deputy: u.deputy.map(|d| d.0),
        department: u.department.map(|d| d.0),
        grant: crate::views::GrantView::of(&u.grant),
        pending_grant: u.pending.as_ref().and_then(|p| crate::views::GrantView::of(&p.grant)),
        version: u.version,
    }
}

/// Append one audit record per event, each carrying the account's login and view after it.
pub(crate) fn append_events(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    events: &[AccountEvent],
) -> Result<(), AppError> {
    for e in events {
        let payload = serde_json::json!({ "login": u.login, "event": e });
        tx.append(&u.tenant, record(meta, e.kind(), "user", u.id.to_string(), payload))?;
    }
    Ok(())
}

fn parse_roles(roles: &[String]) -> Result<Vec<Role>, AppError> {
    roles.iter().map(|r| Role::parse(r)).collect::<Result<_, _>>().map_err(|e| AppError::invalid("roles", &e))
}

fn department_of(
    tx: &dyn WriteTx,
    tenant: &liaison_core::ids::TenantId,
    name: Option<&str>,
) -> Result<Option<DepartmentId>, AppError> {
    match name.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => {
            let org = tx.organisation(tenant)?;
            Ok(Some(crate::organisation::find_department(&org, name)?))
        }
        None => Ok(None),
    }
}

/// The regions of a grant, each a checked label (field `regions`).
fn parse_regions(regions: &[String]) -> Result<std::collections::BTreeSet<String>, AppError> {
    regions
        .iter()
        .filter(|r| !r.trim().is_empty())
        .map(|r| {
            liaison_core::registry::ShortText::parse(r)
                .map(|t| t.to_string())
                .map_err(|e| AppError::invalid("regions", &e))
        })
        .collect()
}

/// The liaison officer named (`officer`), found in the organisation; blank: none.
fn officer_of(
    tx: &dyn WriteTx,
    tenant: &TenantId,
    name: Option<&str>,
) -> Result<Option<OfficerId>, AppError> {
    match name.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => {
            let org = tx.organisation(tenant)?;
            Ok(Some(crate::organisation::find_officer(&org, name)?))
        }
        None => Ok(None),
    }
}

impl App {
    /// Add an account (the system administrator). An administrator role takes effect at once; business
    /// roles and a deputy's account wait for the security administrator's approval. One deputy has at most
    /// one account; a department account names its department.
    pub async fn add_user(&self, p: &Principal, new: &NewUser) -> Result<UserView, AppError> {
        p.require(Action::ManageUsers)?;
        check_login(&new.login)?;
        let display = liaison_core::registry::ShortText::parse(&new.display_name)
            .map_err(|e| AppError::invalid("display_name", &e))?;
        let roles = parse_roles(&new.roles)?;
        let deputy = match new.deputy.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => Some(
                DeputyId::parse(d).map_err(|_| AppError::invalid("deputy", &ValueError::OneOf("uuid")))?,
            ),
            None => None,
        };
        let kind = if new.service { AccountKind::Service } else { AccountKind::Person };
        let names_department = new.department.as_deref().is_some_and(|d| !d.trim().is_empty());
        let regions = parse_regions(&new.regions)?;
        // Whether a grant is asked for at all, before the officer is looked up.
        let asked = Grant {
            officer: new
                .officer
                .as_deref()
                .is_some_and(|o| !o.trim().is_empty())
                .then_some(OfficerId(uuid::Uuid::nil())),
            regions: regions.clone(),
        };
        liaison_core::account::check_new(kind, &roles, deputy.is_some(), names_department, &asked)?;
        let meta = self.meta(p, new.reason.clone());
        let (new, by) = (new.clone(), p.user);
        let tenant = p.tenant.clone();
        self.write(move |tx: &mut dyn WriteTx| {
            if let Some(d) = deputy
                && tx.deputy_summary(&tenant, d)?.is_none()
            {
                return Err(AppError::NotFound { what: "deputy", id: d.to_string() });
            }
            let department = department_of(tx, &tenant, new.department.as_deref())?;
            let grant = Grant { officer: officer_of(tx, &tenant, new.officer.as_deref())?, regions };
            let users = tx.users(&tenant)?;
            let taken = deputy.and_then(|d| users.iter().find(|u| u.deputy == Some(d)));
            let draft = NewAccount { id: UserId(crate::new_id()), kind, roles, deputy, department, grant };
            let (account, events) = Account::open(&draft, by, taken.map(|u| u.login.as_str()), meta.at)?;
            let mut user = UserRecord {
                tenant: tenant.clone(),
                id: draft.id,
                login: new.login.clone(),
                display_name: display.to_string(),
                roles: vec![],
                active: true,
                created_at: meta.at,
                deputy,
                department: None,
                kind,
                pending: None,
                grant: Grant::default(),
                version: 0,
            };
            user.set_account(&account);
            tx.insert_user(&user)?;
            append_events(tx, &meta, &user, &events)?;
            Ok(user_view(&user))
        })
        .await
    }

    /// Ask for a new set of roles for an account (the system administrator); it waits for the security
    /// administrator. `expected`: the account's version the caller saw (a stale one is refused, unchanged).
    pub async fn request_roles(
        &self,
        p: &Principal,
        login: &str,
        expected: Option<u64>,
        change: &RoleChange,
    ) -> Result<UserView, AppError> {
        p.require(Action::ManageUsers)?;
        let roles = parse_roles(&change.roles)?;
        let department = change.department.clone();
        if department.as_deref().is_some_and(|d| !d.trim().is_empty()) && !roles.contains(&Role::Department) {
            return Err(liaison_core::account::AccountError::DepartmentWithoutRole.into());
        }
        let regions = change.regions.as_deref().map(parse_regions).transpose()?;
        let officer = change.officer.clone();
        let account = login.to_owned();
        self.account_command(p, login, expected, None, move |tx, tenant| {
            // A part of the grant not given is kept from the account as it is.
            let grant = if officer.is_some() || regions.is_some() {
                let now = tx.user_by_login(tenant, &account)?.map(|u| u.grant).unwrap_or_default();
                Some(Grant {
                    officer: match &officer {
                        Some(o) => officer_of(tx, tenant, Some(o))?,
                        None => now.officer,
                    },
                    regions: regions.unwrap_or(now.regions),
                })
            } else {
                None
            };
            Ok(AccountCommand::RequestRoles {
                roles,
                department: department_of(tx, tenant, department.as_deref())?,
                grant,
            })
        })
        .await
    }

    /// Approve, reject, disable or enable an account. Disabling revokes every token of the account in the
    /// same transaction; it is the system administrator's or the security administrator's, the rest the
    /// security administrator's alone. Nobody does any of it to their own account. `expected`: the account's
    /// version the caller saw (a stale one is refused, unchanged).
    pub async fn account_step(
        &self,
        p: &Principal,
        login: &str,
        expected: Option<u64>,
        step: AccountStep,
        reason: Option<String>,
    ) -> Result<UserView, AppError> {
        match step {
            AccountStep::Disable if p.may(Action::ManageUsers) => {}
            _ => p.require(Action::GrantRoles)?,
        }
        let cmd = match step {
            AccountStep::Approve => AccountCommand::Approve,
            AccountStep::Reject => AccountCommand::Reject,
            AccountStep::Disable => AccountCommand::Disable,
            AccountStep::Enable => AccountCommand::Enable,
        };
        self.account_command(p, login, expected, reason, move |_, _| Ok(cmd)).await
    }

    /// Load, decide, persist and audit one command on an account, in one write transaction: refused as
    /// stale before anything is decided when the caller saw another version (`expected`).
    async fn account_command(
        &self,
        p: &Principal,
        login: &str,
        expected: Option<u64>,
        reason: Option<String>,
        cmd: impl FnOnce(&dyn WriteTx, &liaison_core::ids::TenantId) -> Result<AccountCommand, AppError>
        + Send
        + 'static,
    ) -> Result<UserView, AppError> {
        let meta = self.meta(p, reason);
        let (tenant, login, by) = (p.tenant.clone(), login.to_owned(), p.user);
        self.write(move |tx: &mut dyn WriteTx| {
            let mut u = tx
                .user_by_login(&tenant, &login)?
                .ok_or_else(|| AppError::NotFound { what: "user", id: login.clone() })?;
            let seen = u.version;
            crate::runner::expect_version("user", &login, seen, expected)?;
            let cmd = cmd(&*tx, &tenant)?;
            let mut account = u.account();
            let events = account.decide(&cmd, by, meta.at)?;
            let others: Vec<Account> =
                tx.users(&tenant)?.iter().filter(|o| o.id != u.id).map(UserRecord::account).collect();
            account.check_not_last(&cmd, &others)?;
            for e in &events {
                account.apply(e);
            }
            u.set_account(&account);
            tx.update_user(&u, seen)?;
            append_events(tx, &meta, &u, &events)?;
            if cmd == AccountCommand::Disable {
                for id in tx.revoke_user_tokens(&tenant, u.id, meta.at)? {
                    tx.append(
                        &tenant,
                        record(
                            &meta,
                            "token.revoked",
                            "token",
                            id,
                            serde_json::json!({ "user": u.login, "why": "user.disabled" }),
                        ),
                    )?;
                }
                tx.revoke_links(&tenant, crate::identity::ACTIVATION, &u.id.to_string(), meta.at)?;
                crate::login::end_sessions(tx, &meta, &u, liaison_core::login::EndReason::Disabled)?;
            }
            Ok(user_view(&u))
        })
        .await
    }

    /// One account of the tenant, with its version (the system and the security administrator).
    pub fn user(&self, p: &Principal, login: &str) -> Result<UserView, AppError> {
        if !p.may(Action::GrantRoles) {
            p.require(Action::ManageUsers)?;
        }
        let login = login.trim();
        self.read(|q| q.user_by_login(&p.tenant, login))?
            .map(|u| user_view(&u))
            .ok_or_else(|| AppError::NotFound { what: "user", id: login.to_owned() })
    }

    /// The tenant's accounts (the system and the security administrator).
    pub fn users(&self, p: &Principal) -> Result<Vec<UserView>, AppError> {
        if !p.may(Action::GrantRoles) {
            p.require(Action::ManageUsers)?;
        }
        Ok(self.read(|q| q.users(&p.tenant))?.iter().map(user_view).collect())
    }
}
