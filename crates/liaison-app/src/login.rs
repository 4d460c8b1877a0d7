//! Staff login for the pages (issue 16, "Login and sessions"): password (argon2id), second factor (TOTP,
//! enrolled with a QR code, ten recovery codes shown once), lockout, server-side sessions with a CSRF
//! token, re-authentication. The rules are `liaison_core::login`'s; this is load → decide → persist →
//! audit. API tokens are untouched: a session resolves to the same [`Principal`] a token does.
//!
//! The cookie's value is `lss_<id>_<secret>`; only its SM3 hash is stored. No password, secret, code or
//! cookie value is ever put in an audit payload or a log line.

use chrono::{DateTime, Utc};
use liaison_core::Meta;
use liaison_core::ids::TenantId;
use liaison_core::login::{
    EndReason, Factor, GuardCommand, LoginError, Session, SessionCommand, Stage, after_password,
};
use liaison_store::crypto::{random_hex, token_hash};
use liaison_store::{CredentialRecord, Queries, SessionRecord, UserRecord, WriteTx};
use serde::{Deserialize, Serialize};

use crate::{App, AppError, Principal};

mod admin;
mod deputy;
mod link;
mod password;
mod roster;
mod secret;
mod steps;
pub mod totp;

pub use admin::LockedAccount;
pub(crate) use deputy::open_code;
pub use deputy::{CODE_LOGIN, DeputyLogin};
pub use link::{LOGIN_LINK, LoginLinkForm};
pub use password::Renewed;
pub use roster::{RosterEntry, SignIn};
pub use secret::{RECOVERY_CODES, hash_password, verify_password};
use steps::{Outcome, Proof, complete, guard, lock_ends, prove, settle};
pub(crate) use steps::{audit, end_sessions};

/// A login begun by a right password: the cookie to set (shown once) and what the page asks next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginStarted {
    /// The cookie's value (`Secure`, `HttpOnly`, `SameSite=Strict`): never stored, never shown again.
    pub cookie: String,
    /// The session's CSRF token, for the forms of the next step.
    pub csrf: String,
    /// `enrol` (first login: set up the authenticator) or `code` (enter its code).
    pub next: Stage,
}

/// What the enrolment page shows: the secret as text and as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The otpauth:// URI.
    pub uri: String,
    /// The secret in base32, for typing into an app by hand.
    pub secret: String,
    /// The URI as an SVG QR code, drawn on the server.
    pub qr_svg: String,
}

/// Recovery codes, shown once at enrolment: each works once in place of a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    /// The codes (`xxxxx-xxxxx`).
    pub codes: Vec<String>,
}

/// A resolved, active session: who it acts for, its CSRF token and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    /// The account, as the API's permission table sees it (`via`: `session:<id>`).
    pub principal: Principal,
    /// The session's id.
    pub id: String,
    /// The CSRF token every form of the pages carries.
    pub csrf: String,
    /// Its stage and times.
    pub state: Session,
    /// The password was set by an administrator: the pages allow nothing but changing it
    /// ([`App::change_password`]).
    pub must_change_password: bool,
}

/// A factor proved again before a sensitive action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reauth<'a> {
    /// The password.
    Password(&'a str),
    /// A TOTP code.
    Code(&'a str),
}

/// A random token for a form of the login steps before a session is active (the double-submit cookie of
/// the pages): 32 bytes from the operating system, in hex.
pub fn form_token() -> Result<String, AppError> {
    Ok(random_hex(32)?)
}

const COOKIE_PREFIX: &str = "lss_";

fn new_cookie() -> Result<(String, String), AppError> {
    let id = random_hex(8)?;
    Ok((id.clone(), format!("{COOKIE_PREFIX}{id}_{}", random_hex(32)?)))
}

fn cookie_hash(cookie: &str) -> Option<String> {
    let c = cookie.trim();
    (c.starts_with(COOKIE_PREFIX) && c.len() <= 120).then(|| token_hash(c))
}

fn aad(c: &CredentialRecord) -> Vec<u8> {
    format!("liaison/totp/v1/{}/{}", c.tenant, c.user).into_bytes()
}

pub(crate) fn user_meta(u: &UserRecord, via: String, at: DateTime<Utc>) -> Meta {
    let actor =
        liaison_core::Actor { user: u.id, name: format!("{} ({})", u.display_name, u.login), via: Some(via) };
    Meta { actor, at, reason: None }
}

/// A session and its account, read for a step.
struct Found {
    hash: String,
    session: SessionRecord,
    user: UserRecord,
    creds: CredentialRecord,
}

fn find(q: &dyn Queries, hash: &str) -> Result<Option<Found>, liaison_store::StoreError> {
    let Some(session) = q.session_by_hash(hash)? else { return Ok(None) };
    let Some(user) = q.users(&session.tenant)?.into_iter().find(|u| u.id == session.user) else {
        return Ok(None);
    };
    let creds = q
        .credentials(&session.tenant, user.id)?
        .unwrap_or_else(|| CredentialRecord::empty(session.tenant.clone(), user.id));
    Ok(Some(Found { hash: hash.to_owned(), session, user, creds }))
}

impl App {
    fn found(&self, cookie: &str) -> Result<Found, AppError> {
        let hash = cookie_hash(cookie).ok_or(LoginError::SessionInvalid)?;
        let f = self.read(|q| find(q, &hash))?.ok_or(LoginError::SessionInvalid)?;
        if !f.user.active {
            return Err(LoginError::SessionInvalid.into());
        }
        Ok(f)
    }

    fn open_secret(&self, c: &CredentialRecord, sealed: Option<&String>) -> Result<Vec<u8>, AppError> {
        let sealed = sealed.ok_or(LoginError::NotEnrolled)?;
        let bytes = hex::decode(sealed).map_err(|e| liaison_store::StoreError::Corrupt(e.to_string()))?;
        Ok(self.store().keys().open(&aad(c), &bytes)?)
    }

    /// The first step: a login and a password. Right, for a staff account, it opens a session waiting for
    /// the second factor (`next`: enrol or code). Wrong — or an unknown, disabled or locked account —
    /// it is one and the same refusal (`login.failed`), after the same work (a dummy hash is checked
    /// when there is no account). A wrong password counts towards the lock and is audited.
    pub async fn login_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password: &str,
    ) -> Result<LoginStarted, AppError> {
        let login = login.trim().to_lowercase();
        let found = self.read(|q| match q.user_by_login(tenant, &login)? {
            Some(u) => {
                let c = q.credentials(tenant, u.id)?;
                Ok(Some((u, c)))
            }
            None => Ok(None),
        })?;
        let stored = match &found {
            Some((_, Some(c))) => c.password_hash.clone(),
            _ => None,
        };
        let right = check_password(password, stored).await?;
        let Some((u, Some(c))) = found else {
            tracing::info!("login refused: unknown login or no password set");
            return Err(LoginError::Failed.into());
        };
        if !u.active || (right && c.guard.locked(self.now())) {
            return Err(LoginError::Failed.into());
        }
        let next = if right {
            Some(after_password(
                &u.roles,
                u.kind == liaison_core::account::AccountKind::Person,
                c.totp_secret.is_some(),
            )?)
        } else {
            None
        };
        let (policy, at) = (self.login_policy, self.now());
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let meta = user_meta(&u, "password".into(), at);
                let mut c = tx.credentials(&u.tenant, u.id)?.ok_or(LoginError::Failed)?;
                let Some(next) = next else {
                    return match guard(tx, &meta, &u, &mut c, GuardCommand::Fail(Factor::Password), &policy) {
                        Ok(_) | Err(AppError::Login(LoginError::Locked { .. })) => {
                            Ok(Outcome::Refused(LoginError::Failed.into()))
                        }
                        Err(e) => Err(e),
                    };
                };
                let pass = GuardCommand::Pass { factor: Factor::Password, step: None };
                if let Err(AppError::Login(LoginError::Locked { .. })) =
                    guard(tx, &meta, &u, &mut c, pass, &policy)
                {
                    return Ok(Outcome::Refused(LoginError::Failed.into()));
                }
                let (id, cookie) = new_cookie()?;
                let csrf = random_hex(32)?;
                let s = SessionRecord {
                    id,
                    tenant: u.tenant.clone(),
                    user: u.id,
                    csrf: csrf.clone(),
                    state: Session::begin(next, at),
                };
                tx.insert_session(&s, &token_hash(&cookie))?;
                Ok(Outcome::Done(LoginStarted { cookie, csrf, next }))
            })
            .await
            // Two logins of one account at once (PostgreSQL) may find its credentials changed meanwhile:
            // the one refusal, never a version number that would tell the login exists.
            .map_err(|e| match e {
                AppError::Stale { .. } => LoginError::Failed.into(),
                e => e,
            })?;
        settle(outcome)
    }

    /// Enrolment, first step: a new secret for the session's account (sealed, waiting for its first code),
    /// as an otpauth:// URI and a QR code. Asking again replaces the waiting secret.
    pub async fn begin_enrolment(&self, cookie: &str) -> Result<Enrolment, AppError> {
        let f = self.found(cookie)?;
        if f.session.state.lapse(&self.login_policy, self.now()).is_some() {
            return Err(LoginError::SessionInvalid.into());
        }
        if f.session.state.stage != Stage::Enrol {
            return Err(LoginError::WrongStage.into());
        }
        let secret = secret::random_bytes(totp::SECRET_BYTES)?;
        let sealed = hex::encode(self.store().keys().seal(&aad(&f.creds), &secret)?);
        let issuer = self.read(|q| q.tenant(&f.user.tenant))?.unwrap_or_else(|| "liaison".into());
        let uri = totp::uri(&issuer, &f.user.login, &secret);
        let qr_svg = totp::qr_svg(&uri).ok_or(LoginError::WrongStage)?;
        let (tenant, user) = (f.user.tenant.clone(), f.user.id);
        self.write(move |tx: &mut dyn WriteTx| {
            let mut c = tx.credentials(&tenant, user)?.ok_or(LoginError::SessionInvalid)?;
            // An account enrolled meanwhile (by its owner, in another session) is not enrolled again from
            // a session that waited: that would replace the owner's authenticator.
            if c.totp_secret.is_some() {
                return Err(LoginError::WrongStage.into());
            }
            let seen = c.version;
            c.totp_pending = Some(sealed);
            tx.save_credentials(&c, seen)?;
            Ok(())
        })
        .await?;
        Ok(Enrolment { secret: totp::base32(&secret), uri, qr_svg })
    }

    /// Enrolment, last step: the first code from the new authenticator. Right, the second factor is
    /// enrolled (`auth.mfa_enrolled`), ten recovery codes are made (shown once, kept as keyed hashes) and
    /// the session is active (`auth.session_started`). Wrong, it counts towards the lock.
    pub async fn confirm_enrolment(&self, cookie: &str, code: &str) -> Result<RecoveryCodes, AppError> {
        let f = self.found(cookie)?;
        if f.session.state.stage != Stage::Enrol {
            return Err(LoginError::WrongStage.into());
        }
        let pending = f.creds.totp_pending.clone();
        let secret = self.open_secret(&f.creds, pending.as_ref())?;
        let at = self.now();
        let proof = Proof::Totp(totp::verify(&secret, code, at.timestamp()));
        let codes =
            (0..RECOVERY_CODES).map(|_| secret::new_recovery_code()).collect::<Result<Vec<_>, _>>()?;
        let keys = self.store().keys();
        let hashes: Vec<String> = codes
            .iter()
            .filter_map(|c| secret::normalise_recovery(c))
            .map(|c| keys.lookup_hash("recovery", &c))
            .collect();
        let (policy, hash) = (self.login_policy, f.hash);
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let Found { mut session, user: u, mut creds, .. } = reload(&*tx, &hash)?;
                let meta = user_meta(&u, format!("session:{}", session.id), at);
                let events = session.state.decide(SessionCommand::Complete, &policy, at)?;
                if session.state.stage != Stage::Enrol
                    || creds.totp_pending != pending
                    || creds.totp_secret.is_some()
                {
                    return Err(LoginError::WrongStage.into());
                }
                if let Err(refusal) = prove(tx, &meta, &u, &mut creds, proof, &policy)? {
                    lock_ends(tx, &meta, &u, &creds, &mut session)?;
                    return Ok(Outcome::Refused(refusal.into()));
                }
                let seen = creds.version;
                creds.totp_secret = creds.totp_pending.take();
                creds.totp_enrolled_at = Some(at);
                creds.recovery = hashes
                    .into_iter()
                    .map(|hash| liaison_store::RecoveryCode { hash, used_at: None })
                    .collect();
                tx.save_credentials(&creds, seen)?;
                audit(
                    tx,
                    &meta,
                    &u,
                    "auth.mfa_enrolled",
                    serde_json::json!({ "recovery_codes": RECOVERY_CODES }),
                )?;
                complete(tx, &meta, &u, &mut session, &events, Factor::Totp)?;
                Ok(Outcome::Done(RecoveryCodes { codes }))
            })
            .await?;
        settle(outcome)
    }

    /// The second step of a login with an enrolled account: a TOTP code (its time step good once), or a
    /// recovery code (good once). Right, the session is active (`auth.session_started`); wrong, it counts
    /// towards the lock, and the lock ends the waiting session.
    pub async fn login_code(&self, cookie: &str, code: &str) -> Result<(), AppError> {
        let f = self.found(cookie)?;
        if f.session.state.stage != Stage::Code {
            return Err(LoginError::WrongStage.into());
        }
        let proof = self.proof(&f.creds, code)?;
        let (policy, hash, at) = (self.login_policy, f.hash, self.now());
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let Found { mut session, user: u, mut creds, .. } = reload(&*tx, &hash)?;
                let meta = user_meta(&u, format!("session:{}", session.id), at);
                let events = session.state.decide(SessionCommand::Complete, &policy, at)?;
                if session.state.stage != Stage::Code {
                    return Err(LoginError::WrongStage.into());
                }
                match prove(tx, &meta, &u, &mut creds, proof, &policy)? {
                    Ok(factor) => {
                        complete(tx, &meta, &u, &mut session, &events, factor)?;
                        Ok(Outcome::Done(()))
                    }
                    Err(refusal) => {
                        lock_ends(tx, &meta, &u, &creds, &mut session)?;
                        Ok(Outcome::Refused(refusal.into()))
                    }
                }
            })
            .await?;
        settle(outcome)
    }

    /// What a typed code is: six digits are a TOTP code (the step it matches now, if any), ten letters and
    /// digits a recovery code (its keyed hash).
    fn proof(&self, c: &CredentialRecord, code: &str) -> Result<Proof, AppError> {
        if let Some(r) = secret::normalise_recovery(code) {
            return Ok(Proof::Recovery(self.store().keys().lookup_hash("recovery", &r)));
        }
        let secret = self.open_secret(c, c.totp_secret.as_ref())?;
        Ok(Proof::Totp(totp::verify(&secret, code, self.now().timestamp())))
    }

    /// The active session a cookie names, as the [`Principal`] the API's permission table applies to
    /// (`via`: `session:<id>`). Unknown, ended, idle, expired, half-done (no second factor yet) or of a
    /// disabled account: refused. A lapsed session is ended and audited; a use is noted (to the minute,
    /// so the idle limit may end a session up to a minute early).
    pub async fn session(&self, cookie: &str) -> Result<StaffSession, AppError> {
        let f = self.found(cookie)?;
        let (now, policy) = (self.now(), self.login_policy);
        if let Some(reason) = f.session.state.lapse(&policy, now) {
            if f.session.state.ended.is_none() {
                let mut s = f.session.clone();
                s.state.apply(&liaison_core::login::SessionEvent::Ended { at: now, reason });
                let user = f.user;
                self.write(move |tx: &mut dyn WriteTx| {
                    if tx.save_session(&s)? {
                        let meta = user_meta(&user, "system".into(), now);
                        let payload = serde_json::json!({ "session": s.id, "reason": reason.code() });
                        audit(tx, &meta, &user, "auth.session_ended", payload)?;
                    }
                    Ok(())
                })
                .await?;
            }
            return Err(LoginError::SessionInvalid.into());
        }
        if f.session.state.stage != Stage::Active {
            return Err(LoginError::SecondFactorRequired.into());
        }
        let mut state = f.session.state;
        if now - state.last_seen >= chrono::Duration::minutes(1) {
            for e in state.decide(SessionCommand::Touch, &policy, now)? {
                state.apply(&e);
            }
            let s = SessionRecord { state, ..f.session.clone() };
            self.write(move |tx: &mut dyn WriteTx| Ok(tx.save_session(&s)?)).await?;
        }
        let principal = crate::identity::principal(f.user, format!("session:{}", f.session.id));
        Ok(StaffSession {
            principal,
            id: f.session.id,
            csrf: f.session.csrf,
            state,
            must_change_password: f.creds.must_change,
        })
    }

    /// Refuse a sensitive action (a full contact card, an approval) unless the session proved a factor
    /// within the policy's window (default 10 minutes): the page then asks for `reauthenticate`.
    pub fn require_recent_auth(&self, s: &StaffSession) -> Result<(), AppError> {
        Ok(liaison_core::login::requires_recent_auth(&s.state, self.now(), self.login_policy.recent_auth)?)
    }

    /// Prove a factor again (the password or a TOTP code) before a sensitive action: refreshes the
    /// session's authentication time. A wrong one counts towards the lock.
    pub async fn reauthenticate(&self, cookie: &str, with: Reauth<'_>) -> Result<(), AppError> {
        let f = self.found(cookie)?;
        let proof = match with {
            Reauth::Password(pw) => Proof::Password(check_password(pw, f.creds.password_hash.clone()).await?),
            Reauth::Code(code) => match self.proof(&f.creds, code)? {
                Proof::Totp(step) => Proof::Totp(step),
                _ => Proof::Totp(None),
            },
        };
        let (policy, hash, at) = (self.login_policy, f.hash, self.now());
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let Found { mut session, user: u, mut creds, .. } = reload(&*tx, &hash)?;
                let meta = user_meta(&u, format!("session:{}", session.id), at);
                let events = session.state.decide(SessionCommand::Reauthenticate, &policy, at)?;
                let factor = match prove(tx, &meta, &u, &mut creds, proof, &policy)? {
                    Ok(factor) => factor,
                    Err(refusal) => {
                        if creds.guard.locked(at) {
                            end_sessions(tx, &meta, &u, EndReason::Locked)?;
                        }
                        return Ok(Outcome::Refused(refusal.into()));
                    }
                };
                for e in &events {
                    session.state.apply(e);
                }
                tx.save_session(&session)?;
                let payload = serde_json::json!({ "session": session.id, "factor": factor.code() });
                steps::audit(tx, &meta, &u, "auth.reauthenticated", payload)?;
                Ok(Outcome::Done(()))
            })
            .await?;
        settle(outcome)
    }

    /// Log out: the session ends (`auth.session_ended`, reason `logout`).
    pub async fn logout(&self, cookie: &str) -> Result<(), AppError> {
        let f = self.found(cookie)?;
        let (policy, hash, at) = (self.login_policy, f.hash, self.now());
        self.write(move |tx: &mut dyn WriteTx| {
            let Found { mut session, user: u, .. } = reload(&*tx, &hash)?;
            let meta = user_meta(&u, format!("session:{}", session.id), at);
            for e in session.state.decide(SessionCommand::End(EndReason::Logout), &policy, at)? {
                session.state.apply(&e);
            }
            tx.save_session(&session)?;
            audit(
                tx,
                &meta,
                &u,
                "auth.session_ended",
                serde_json::json!({ "session": session.id, "reason": EndReason::Logout.code() }),
            )
        })
        .await
    }
}

fn reload(q: &dyn Queries, hash: &str) -> Result<Found, AppError> {
    let f = find(q, hash)?.ok_or(LoginError::SessionInvalid)?;
    if !f.user.active {
        return Err(LoginError::SessionInvalid.into());
    }
    Ok(f)
}

/// Check a password against its stored hash (a dummy hash when there is none, so the work is the same)
/// off the async workers, at most two at a time: argon2id takes 19 MiB and tens of milliseconds, and a
/// burst of logins must not stall the service's other requests.
async fn check_password(password: &str, stored: Option<String>) -> Result<bool, AppError> {
    static HASHING: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let _permit = HASHING
        .get_or_init(|| tokio::sync::Semaphore::new(2))
        .acquire()
        .await
        .map_err(|_| AppError::Contract("the password checks' semaphore is never closed"))?;
    let password = zeroize::Zeroizing::new(password.to_owned());
    tokio::task::spawn_blocking(move || match stored {
        Some(h) => secret::verify_password(&password, &h),
        None => {
            secret::verify_dummy(&password);
            false
        }
    })
    .await
    .map_err(|_| AppError::Contract("a password check stopped"))
}
