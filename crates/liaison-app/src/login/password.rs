//! A person changes their own password (issue 16): always possible from an active session, and required at
//! the login after the security administrator set it (`CredentialRecord::must_change`: until then the
//! pages allow nothing else). The current password is proved again (a wrong one counts towards the lock,
//! like any wrong password); the new one passes the policy and differs from the current one. Every session
//! of the account ends — other browsers included — and a new session starts for this browser, with a new
//! id, cookie and CSRF token (`auth.password_changed`, `auth.session_ended`, `auth.session_started`).

use liaison_core::login::{
    EndReason, LoginError, PasswordError, Session, SessionCommand, Stage, check_password as policy_check,
};
use liaison_store::crypto::{random_hex, token_hash};
use liaison_store::{SessionRecord, WriteTx};

use super::steps::{Outcome, Proof, audit, end_sessions, lock_ends, prove, settle};
use super::{Found, check_password, new_cookie, reload, secret, user_meta};
use crate::{App, AppError};

/// The browser's new session after a password change: set its cookie in place of the old one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewed {
    /// The new cookie's value (never stored, never shown again).
    pub cookie: String,
    /// The new session's CSRF token.
    pub csrf: String,
}

impl App {
    /// Change the session's own password: `current` proved again, `new` checked by the policy. Every
    /// session of the account ends; the browser gets a new one.
    pub async fn change_password(&self, cookie: &str, current: &str, new: &str) -> Result<Renewed, AppError> {
        let f = self.found(cookie)?;
        if f.session.state.stage != Stage::Active {
            return Err(LoginError::SecondFactorRequired.into());
        }
        policy_check(&f.user.login, new)?;
        if new == current {
            return Err(PasswordError::SameAsCurrent.into());
        }
        let right = check_password(current, f.creds.password_hash.clone()).await?;
        let hash = if right { Some(secret::hash_password(new)?) } else { None };
        let (policy, key, at) = (self.login_policy, f.hash, self.now());
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let Found { mut session, user: u, mut creds, .. } = reload(&*tx, &key)?;
                let meta = user_meta(&u, format!("session:{}", session.id), at);
                // The session must still be live and active (it may have lapsed or ended meanwhile).
                session.state.decide(SessionCommand::Touch, &policy, at)?;
                if let Err(refusal) = prove(tx, &meta, &u, &mut creds, Proof::Password(right), &policy)? {
                    lock_ends(tx, &meta, &u, &creds, &mut session)?;
                    return Ok(Outcome::Refused(refusal.into()));
                }
                let Some(hash) = hash else { return Err(AppError::Contract("a right password without a hash")) };
                let forced = creds.must_change;
                let seen = creds.version;
                creds.password_hash = Some(hash);
                creds.password_set_at = Some(at);
                creds.must_change = false;
                tx.save_credentials(&creds, seen)?;
                audit(tx, &meta, &u, "auth.password_changed", serde_json::json!({ "login": u.login, "forced": forced }))?;
                end_sessions(tx, &meta, &u, EndReason::PasswordChanged)?;
                // A new session for this browser: both factors were proved by this session, and the
                // password again just now.
                let mut state = Session::begin(Stage::Code, at);
                for e in state.decide(SessionCommand::Complete, &policy, at)? {
                    state.apply(&e);
                }
                let (id, cookie) = new_cookie()?;
                let csrf = random_hex(32)?;
                let s = SessionRecord { id, tenant: u.tenant.clone(), user: u.id, csrf: csrf.clone(), state };
                tx.insert_session(&s, &token_hash(&cookie))?;
                audit(
                    tx,
                    &meta,
                    &u,
                    "auth.session_started",
                    serde_json::json!({ "session": s.id, "factors": ["password", "session"], "after": "password_changed" }),
                )?;
                Ok(Outcome::Done(Renewed { cookie, csrf }))
            })
            .await?;
        settle(outcome)
    }
}
