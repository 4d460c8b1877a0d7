//! The steps a login's writes share: audit records about an account, ending its sessions, the guard
//! (failures, lock, replay) applied and saved, a proof checked against it, and a session completed.

use liaison_core::Meta;
use liaison_core::login::{EndReason, Factor, GuardCommand, LoginError, LoginPolicy};
use liaison_store::{CredentialRecord, SessionRecord, UserRecord, WriteTx};

use crate::{AppError, record};

/// Append an audit record about an account's login (aggregate `user`).
pub(crate) fn audit(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    kind: &str,
    payload: serde_json::Value,
) -> Result<(), AppError> {
    tx.append(&u.tenant, record(meta, kind, "user", u.id, payload))?;
    Ok(())
}

/// End every open session of an account (password changed, second factor reset, disabled), each ending
/// audited.
pub(crate) fn end_sessions(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    reason: EndReason,
) -> Result<usize, AppError> {
    let ids = tx.end_user_sessions(&u.tenant, u.id, meta.at, reason)?;
    for id in &ids {
        audit(
            tx,
            meta,
            u,
            "auth.session_ended",
            serde_json::json!({ "session": id, "reason": reason.code() }),
        )?;
    }
    Ok(ids.len())
}

/// Apply a guard command to the credentials: the events, audited and saved; a failure that locks ends the
/// session waiting for its code.
pub(super) fn guard(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    c: &mut CredentialRecord,
    cmd: GuardCommand,
    policy: &LoginPolicy,
) -> Result<Vec<liaison_core::login::GuardEvent>, AppError> {
    let events = c.guard.decide(cmd, policy, meta.at)?;
    for e in &events {
        c.guard.apply(e);
        match e {
            liaison_core::login::GuardEvent::Failed { factor, failures } => audit(
                tx,
                meta,
                u,
                e.kind(),
                serde_json::json!({ "factor": factor.code(), "failures": failures }),
            )?,
            liaison_core::login::GuardEvent::Locked { until } => {
                audit(tx, meta, u, e.kind(), serde_json::json!({ "until": until }))?
            }
            liaison_core::login::GuardEvent::Unlocked { .. } => {
                audit(tx, meta, u, e.kind(), serde_json::json!({}))?
            }
            liaison_core::login::GuardEvent::Passed { .. } => {}
        }
    }
    let seen = c.version;
    tx.save_credentials(c, seen)?;
    c.version = seen + 1;
    Ok(events)
}

/// The outcome of a step's write: committed either way, then told to the caller.
pub(super) enum Outcome<T> {
    Done(T),
    Refused(AppError),
}

pub(super) fn settle<T>(o: Outcome<T>) -> Result<T, AppError> {
    match o {
        Outcome::Done(t) => Ok(t),
        Outcome::Refused(e) => Err(e),
    }
}

/// What a second-factor step proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Proof {
    /// The password was right or not (re-authentication).
    Password(bool),
    /// The TOTP step a code matched, if any.
    Totp(Option<u64>),
    /// A recovery code's keyed hash.
    Recovery(String),
}

/// Check a proof against the guard: `Ok(factor)` when it passed (the step or recovery code spent), or the
/// refusal to tell once the failure is recorded. A replayed step is a failure like a wrong code.
pub(super) fn prove(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    c: &mut CredentialRecord,
    proof: Proof,
    policy: &LoginPolicy,
) -> Result<Result<Factor, LoginError>, AppError> {
    let mut recovery = None;
    let (factor, passed) = match proof {
        Proof::Password(ok) => (Factor::Password, ok.then_some(None)),
        Proof::Totp(step) => (Factor::Totp, step.map(Some)),
        Proof::Recovery(hash) => {
            recovery = c.recovery.iter().position(|r| r.used_at.is_none() && r.hash == hash);
            (Factor::Recovery, recovery.map(|_| None))
        }
    };
    let refusal = match factor {
        Factor::Password => LoginError::Failed,
        Factor::Totp => LoginError::CodeWrong,
        Factor::Recovery => LoginError::RecoveryInvalid,
        // An SMS code and any factor a later core adds: a wrong code.
        _ => LoginError::CodeWrong,
    };
    let Some(step) = passed else {
        guard(tx, meta, u, c, GuardCommand::Fail(factor), policy)?;
        return Ok(Err(refusal));
    };
    let pass = GuardCommand::Pass { factor, step };
    if let Err(e @ LoginError::CodeReplayed) = c.guard.decide(pass, policy, meta.at) {
        guard(tx, meta, u, c, GuardCommand::Fail(factor), policy)?;
        return Ok(Err(e));
    }
    if let Some(code) = recovery.and_then(|i| c.recovery.get_mut(i)) {
        code.used_at = Some(meta.at);
        let remaining = c.recovery.iter().filter(|r| r.used_at.is_none()).count();
        audit(tx, meta, u, "auth.recovery_code_used", serde_json::json!({ "remaining": remaining }))?;
    }
    guard(tx, meta, u, c, pass, policy)?;
    Ok(Ok(factor))
}

/// After a failed code: when the failure locked the account, the session waiting for it ends.
pub(super) fn lock_ends(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    c: &CredentialRecord,
    session: &mut SessionRecord,
) -> Result<(), AppError> {
    if c.guard.locked(meta.at) {
        end_sessions(tx, meta, u, EndReason::Locked)?;
        session.state.ended = Some((meta.at, EndReason::Locked));
    }
    Ok(())
}

/// The second factor passed: the session is active (`auth.session_started`).
pub(super) fn complete(
    tx: &mut dyn WriteTx,
    meta: &Meta,
    u: &UserRecord,
    session: &mut SessionRecord,
    events: &[liaison_core::login::SessionEvent],
    factor: Factor,
) -> Result<(), AppError> {
    for e in events {
        session.state.apply(e);
    }
    if !tx.save_session(session)? {
        return Err(LoginError::SessionInvalid.into());
    }
    audit(
        tx,
        meta,
        u,
        "auth.session_started",
        serde_json::json!({ "session": session.id, "factors": ["password", factor.code()] }),
    )
}
