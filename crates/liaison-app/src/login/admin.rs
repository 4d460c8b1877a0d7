//! The security administrator's side of staff login: set a password (read from standard input by the
//! CLI), reset a second factor, see and lift locks. Each revokes what it must and is audited.

use chrono::{DateTime, Utc};
use liaison_core::access::Action;
use liaison_core::login::{EndReason, GuardCommand, LoginError, check_password};
use liaison_store::{CredentialRecord, UserRecord, WriteTx};
use serde::{Deserialize, Serialize};

use super::{audit, end_sessions, guard, secret};
use crate::{App, AppError, Principal};

/// A locked account (or one counting failures), as the security administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LockedAccount {
    /// Login.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Locked until then (none: not locked, failures counted).
    pub locked_until: Option<DateTime<Utc>>,
    /// Failures in a row since the last success or lock.
    pub failures: u32,
}

fn load(tx: &dyn WriteTx, p: &Principal, login: &str) -> Result<(UserRecord, CredentialRecord), AppError> {
    let u = tx
        .user_by_login(&p.tenant, login)?
        .ok_or_else(|| AppError::NotFound { what: "user", id: login.to_owned() })?;
    let c =
        tx.credentials(&p.tenant, u.id)?.unwrap_or_else(|| CredentialRecord::empty(p.tenant.clone(), u.id));
    Ok((u, c))
}

impl App {
    /// Set an account's password (the security administrator, `grant_roles`). Refused per the policy
    /// (each refusal names `password` and why); stored as argon2id; every session of the account ends
    /// (`auth.password_set`, then `auth.session_ended` for each). Not for a deputy's or an integration
    /// account: neither logs in with a password.
    pub async fn set_password(
        &self,
        p: &Principal,
        login: &str,
        password: &str,
        reason: Option<String>,
    ) -> Result<usize, AppError> {
        p.require(Action::GrantRoles)?;
        check_password(login, password)?;
        let u = self
            .read(|q| q.user_by_login(&p.tenant, login))?
            .ok_or_else(|| AppError::NotFound { what: "user", id: login.to_owned() })?;
        liaison_core::login::after_password(
            &u.roles,
            u.kind == liaison_core::account::AccountKind::Person,
            true,
        )?;
        let hash = secret::hash_password(password)?;
        let meta = self.meta(p, reason);
        let (p, login) = (p.clone(), login.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let (u, mut c) = load(&*tx, &p, &login)?;
            let seen = c.version;
            let first = c.password_hash.is_none();
            c.password_hash = Some(hash);
            c.password_set_at = Some(meta.at);
            // A password someone else chose is known to them: its owner changes it at the next login.
            c.must_change = u.id != p.user;
            tx.save_credentials(&c, seen)?;
            audit(
                tx,
                &meta,
                &u,
                "auth.password_set",
                serde_json::json!({ "login": u.login, "first": first, "must_change": c.must_change }),
            )?;
            end_sessions(tx, &meta, &u, EndReason::PasswordChanged)
        })
        .await
    }

    /// Reset an account's second factor (the security administrator): the secret and the recovery codes
    /// are cleared, every session ends, and the next login enrols again and then changes the password
    /// (`auth.mfa_reset`).
    pub async fn reset_mfa(
        &self,
        p: &Principal,
        login: &str,
        reason: Option<String>,
    ) -> Result<usize, AppError> {
        p.require(Action::GrantRoles)?;
        let meta = self.meta(p, reason);
        let (p, login) = (p.clone(), login.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let (u, mut c) = load(&*tx, &p, &login)?;
            if c.totp_secret.is_none() && c.totp_pending.is_none() {
                return Err(LoginError::NotEnrolled.into());
            }
            let seen = c.version;
            let codes = c.recovery.len();
            c.totp_secret = None;
            c.totp_pending = None;
            c.totp_enrolled_at = None;
            c.recovery.clear();
            // Whoever reset it may know the password too: its owner chooses a new one at the next login.
            c.must_change = u.id != p.user;
            tx.save_credentials(&c, seen)?;
            audit(
                tx,
                &meta,
                &u,
                "auth.mfa_reset",
                serde_json::json!({ "login": u.login, "recovery_codes_cleared": codes, "must_change": c.must_change }),
            )?;
            end_sessions(tx, &meta, &u, EndReason::MfaReset)
        })
        .await
    }

    /// Lift an account's lock (or clear its count of failures): the security administrator
    /// (`auth.unlocked`).
    pub async fn unlock(&self, p: &Principal, login: &str, reason: Option<String>) -> Result<(), AppError> {
        p.require(Action::GrantRoles)?;
        let meta = self.meta(p, reason);
        let (p, login, policy) = (p.clone(), login.to_owned(), self.login_policy());
        self.write(move |tx: &mut dyn WriteTx| {
            let (u, mut c) = load(&*tx, &p, &login)?;
            if c.version == 0 {
                return Err(LoginError::NotLocked.into());
            }
            guard(tx, &meta, &u, &mut c, GuardCommand::Unlock { by: p.user }, &policy)?;
            Ok(())
        })
        .await
    }

    /// The accounts locked now, and those counting failures towards a lock (the security administrator).
    pub fn locked_accounts(&self, p: &Principal) -> Result<Vec<LockedAccount>, AppError> {
        p.require(Action::GrantRoles)?;
        let now = self.now();
        let (creds, users) =
            self.read(|q| Ok((q.guarded_credentials(&p.tenant, now)?, q.users(&p.tenant)?)))?;
        Ok(creds
            .into_iter()
            .filter_map(|c| {
                let u = users.iter().find(|u| u.id == c.user)?;
                Some(LockedAccount {
                    login: u.login.clone(),
                    name: u.display_name.clone(),
                    locked_until: c.guard.locked_until.filter(|until| *until > now),
                    failures: c.guard.failures,
                })
            })
            .collect())
    }
}
