//! The accounts as the administration page lists them (issue 16, item 6): each account with its roles,
//! its department and liaison officer by name, and its sign-in state (password set, authenticator
//! enrolled, failures, locked until) — one read for the whole list. The system administrator and the
//! security administrator see it (`users`' permission); only the security administrator sees the sign-in
//! state, as `locked_accounts` does.

use chrono::{DateTime, Utc};
use liaison_core::access::Action;

use crate::accounts::user_view;
use crate::views::UserView;
use crate::{App, AppError, Principal};

/// One account on the administration page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// The account.
    pub user: UserView,
    /// Its department's name (a `department` account).
    pub department: Option<String>,
    /// Its liaison officer's name (an `officer` account).
    pub officer: Option<String>,
    /// The sign-in state, for the security administrator only.
    pub sign_in: Option<SignIn>,
}

/// An account's sign-in state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// A password is set (by the security administrator, or changed since).
    pub password: bool,
    /// The authenticator is enrolled.
    pub authenticator: bool,
    /// Failures in a row.
    pub failures: u32,
    /// Locked until then.
    pub locked_until: Option<DateTime<Utc>>,
}

impl App {
    /// Every account of the tenant, by name, with what the administration page shows.
    pub fn roster(&self, p: &Principal) -> Result<Vec<RosterEntry>, AppError> {
        if !p.may(Action::GrantRoles) {
            p.require(Action::ManageUsers)?;
        }
        let security = p.may(Action::GrantRoles);
        let now = self.now();
        let (users, org, creds) = self.read(|q| {
            let users = q.users(&p.tenant)?;
            let creds = if security {
                users
                    .iter()
                    .map(|u| Ok((u.id, q.credentials(&p.tenant, u.id)?)))
                    .collect::<Result<Vec<_>, liaison_store::StoreError>>()?
            } else {
                Vec::new()
            };
            Ok((users, q.organisation(&p.tenant)?, creds))
        })?;
        let mut out: Vec<RosterEntry> = users
            .iter()
            .map(|u| RosterEntry {
                user: user_view(u),
                department: u.department.and_then(|d| org.departments.get(&d)).map(|d| d.name.to_string()),
                officer: u.grant.officer.and_then(|o| org.officers.get(&o)).map(|o| o.name.to_string()),
                sign_in: security.then(|| {
                    let c = creds.iter().find(|(id, _)| *id == u.id).and_then(|(_, c)| c.as_ref());
                    SignIn {
                        password: c.is_some_and(|c| c.password_hash.is_some()),
                        authenticator: c.is_some_and(|c| c.totp_secret.is_some()),
                        failures: c.map_or(0, |c| c.guard.failures),
                        locked_until: c.and_then(|c| c.guard.locked_until).filter(|until| *until > now),
                    }
                }),
            })
            .collect();
        out.sort_by(|a, b| {
            let admin = |e: &RosterEntry| {
                e.user.roles.iter().any(|r| matches!(r.as_str(), "admin" | "security_admin" | "auditor"))
            };
            admin(b).cmp(&admin(a)).then_with(|| a.user.login.cmp(&b.user.login))
        });
        Ok(out)
    }
}
