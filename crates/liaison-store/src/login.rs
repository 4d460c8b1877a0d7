//! Staff login's rows (schema v7, `must_change` v8), written once over the [`Exec`] seam for both backends: an account's
//! credentials (password hash, sealed TOTP secret, guard, recovery-code hashes) and server-side sessions
//! (the cookie's secret kept only as a hash).

use chrono::{DateTime, Utc};
use liaison_core::ids::{TenantId, UserId};
use liaison_core::login::{EndReason, Guard, Stage};
use serde::{Deserialize, Serialize};

use crate::StoreError;
use crate::records::{Cell, Exec};
use crate::rows::{Param, parse_ts, ts};

/// A recovery code: its keyed hash and when it was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCode {
    /// HMAC-SM3 of the code under the store's derived key.
    pub hash: String,
    /// When it was spent.
    pub used_at: Option<DateTime<Utc>>,
}

/// An account's credentials for the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRecord {
    /// Tenant.
    pub tenant: TenantId,
    /// The account.
    pub user: UserId,
    /// The password as an argon2id PHC string.
    pub password_hash: Option<String>,
    /// When the password was set.
    pub password_set_at: Option<DateTime<Utc>>,
    /// The TOTP secret, sealed (SM4-GCM, hex).
    pub totp_secret: Option<String>,
    /// A secret waiting for its first code (enrolment), sealed.
    pub totp_pending: Option<String>,
    /// When the second factor was enrolled.
    pub totp_enrolled_at: Option<DateTime<Utc>>,
    /// Failures, lock, last TOTP step.
    pub guard: Guard,
    /// The recovery codes.
    pub recovery: Vec<RecoveryCode>,
    /// The password was set by an administrator: its owner must change it at the next login.
    pub must_change: bool,
    /// Writes so far (0: not stored yet).
    pub version: u64,
}

impl CredentialRecord {
    /// Nothing set yet, for an account.
    pub fn empty(tenant: TenantId, user: UserId) -> Self {
        Self {
            tenant,
            user,
            password_hash: None,
            password_set_at: None,
            totp_secret: None,
            totp_pending: None,
            totp_enrolled_at: None,
            guard: Guard::default(),
            recovery: vec![],
            must_change: false,
            version: 0,
        }
    }
}

/// A session's row (not its secret: only the secret's hash is stored, beside the row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Its id (named in audit records and lists).
    pub id: String,
    /// Tenant.
    pub tenant: TenantId,
    /// The account.
    pub user: UserId,
    /// The CSRF token the pages embed in every form.
    pub csrf: String,
    /// The stage, times and end.
    pub state: liaison_core::login::Session,
}

fn t(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn opt_ts(v: Option<DateTime<Utc>>) -> Param {
    v.map_or(Param::Null, |v| Param::Text(ts(v)))
}

fn opt_text(v: &Option<String>) -> Param {
    v.as_ref().map_or(Param::Null, |v| Param::Text(v.clone()))
}

fn cell_ts(c: &Cell) -> Result<Option<DateTime<Utc>>, StoreError> {
    c.opt_text().map(|s| parse_ts(&s)).transpose()
}

fn tenant_of(c: &Cell) -> Result<TenantId, StoreError> {
    TenantId::parse(&c.text()?).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn user_of(c: &Cell) -> Result<UserId, StoreError> {
    Ok(UserId(crate::rows::uuid_col(&c.text()?)?))
}

const CREDENTIAL_COLUMNS: &str = "tenant_id, user_id, password_hash, password_set_at, totp_secret, totp_pending, totp_enrolled_at, totp_last_step, failures, locked_until, recovery, version, must_change";

fn credential(r: &[Cell]) -> Result<CredentialRecord, StoreError> {
    Ok(CredentialRecord {
        tenant: tenant_of(&r[0])?,
        user: user_of(&r[1])?,
        password_hash: r[2].opt_text(),
        password_set_at: cell_ts(&r[3])?,
        totp_secret: r[4].opt_text(),
        totp_pending: r[5].opt_text(),
        totp_enrolled_at: cell_ts(&r[6])?,
        guard: Guard {
            last_step: r[7].opt_text().map(|_| r[7].int()).transpose()?.map(|s| s as u64),
            failures: r[8].int()? as u32,
            locked_until: cell_ts(&r[9])?,
        },
        recovery: serde_json::from_str(&r[10].text()?)?,
        version: r[11].int()? as u64,
        must_change: r[12].int()? != 0,
    })
}

pub(crate) fn credentials(
    db: &dyn Exec,
    tenant: &TenantId,
    user: UserId,
) -> Result<Option<CredentialRecord>, StoreError> {
    let rows = db.fetch(
        &format!("SELECT {CREDENTIAL_COLUMNS} FROM user_credentials WHERE tenant_id = $1 AND user_id = $2"),
        &[t(tenant.as_str()), t(&user.to_string())],
    )?;
    rows.first().map(|r| credential(r)).transpose()
}

/// Accounts locked at `now`, or with failures counted towards a lock.
pub(crate) fn guarded_credentials(
    db: &dyn Exec,
    tenant: &TenantId,
    now: DateTime<Utc>,
) -> Result<Vec<CredentialRecord>, StoreError> {
    let rows = db.fetch(
        &format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM user_credentials
             WHERE tenant_id = $1 AND (locked_until > $2 OR failures > 0) ORDER BY user_id"
        ),
        &[t(tenant.as_str()), t(&ts(now))],
    )?;
    rows.iter().map(|r| credential(r)).collect()
}

/// Insert (`expected` 0) or update the credentials at the version read; a stale one is a conflict.
pub(crate) fn save_credentials(db: &dyn Exec, c: &CredentialRecord, expected: u64) -> Result<(), StoreError> {
    let recovery = serde_json::to_string(&c.recovery)?;
    let ps = [
        t(c.tenant.as_str()),
        t(&c.user.to_string()),
        opt_text(&c.password_hash),
        opt_ts(c.password_set_at),
        opt_text(&c.totp_secret),
        opt_text(&c.totp_pending),
        opt_ts(c.totp_enrolled_at),
        c.guard.last_step.map_or(Param::Null, |s| Param::Int(s as i64)),
        Param::Int(i64::from(c.guard.failures)),
        opt_ts(c.guard.locked_until),
        Param::Text(recovery),
        Param::Int(expected as i64 + 1),
        Param::Int(i64::from(c.must_change)),
    ];
    if expected == 0 {
        db.exec(
            &format!(
                "INSERT INTO user_credentials ({CREDENTIAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            ),
            &ps,
        )?;
        return Ok(());
    }
    let mut ps = ps.to_vec();
    ps.push(Param::Int(expected as i64));
    let n = db.exec(
        "UPDATE user_credentials SET password_hash = $3, password_set_at = $4, totp_secret = $5, totp_pending = $6,
             totp_enrolled_at = $7, totp_last_step = $8, failures = $9, locked_until = $10, recovery = $11, version = $12,
             must_change = $13
         WHERE tenant_id = $1 AND user_id = $2 AND version = $14",
        &ps,
    )?;
    if n == 0 {
        return Err(StoreError::Conflict {
            what: "credentials",
            id: c.user.to_string(),
            actual: 0,
            expected,
        });
    }
    Ok(())
}

const SESSION_COLUMNS: &str = "id, tenant_id, user_id, csrf_token, stage, started_at, last_seen, authenticated_at, ended_at, end_reason";

fn session(r: &[Cell]) -> Result<SessionRecord, StoreError> {
    let stage = r[4].text()?;
    let ended = match (cell_ts(&r[8])?, r[9].opt_text()) {
        (Some(at), Some(why)) => Some((
            at,
            EndReason::parse(&why).ok_or_else(|| StoreError::Corrupt(format!("end reason {why}")))?,
        )),
        _ => None,
    };
    Ok(SessionRecord {
        id: r[0].text()?,
        tenant: tenant_of(&r[1])?,
        user: user_of(&r[2])?,
        csrf: r[3].text()?,
        state: liaison_core::login::Session {
            stage: Stage::parse(&stage).ok_or_else(|| StoreError::Corrupt(format!("stage {stage}")))?,
            started_at: parse_ts(&r[5].text()?)?,
            last_seen: parse_ts(&r[6].text()?)?,
            authenticated_at: parse_ts(&r[7].text()?)?,
            ended,
        },
    })
}

pub(crate) fn session_by_hash(db: &dyn Exec, hash: &str) -> Result<Option<SessionRecord>, StoreError> {
    let rows =
        db.fetch(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1"), &[t(hash)])?;
    rows.first().map(|r| session(r)).transpose()
}

/// An account's sessions that have not ended (lapsed ones included), oldest first.
pub(crate) fn open_sessions(
    db: &dyn Exec,
    tenant: &TenantId,
    user: UserId,
) -> Result<Vec<SessionRecord>, StoreError> {
    let rows = db.fetch(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND ended_at IS NULL
             ORDER BY started_at, id"
        ),
        &[t(tenant.as_str()), t(&user.to_string())],
    )?;
    rows.iter().map(|r| session(r)).collect()
}

pub(crate) fn insert_session(db: &dyn Exec, s: &SessionRecord, hash: &str) -> Result<(), StoreError> {
    let st = &s.state;
    db.exec(
        &format!("INSERT INTO sessions ({SESSION_COLUMNS}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"),
        &[
            t(&s.id),
            t(s.tenant.as_str()),
            t(&s.user.to_string()),
            t(&s.csrf),
            t(st.stage.code()),
            t(&ts(st.started_at)),
            t(&ts(st.last_seen)),
            t(&ts(st.authenticated_at)),
            opt_ts(st.ended.map(|e| e.0)),
            st.ended.map_or(Param::Null, |e| t(e.1.code())),
            t(hash),
        ],
    )?;
    Ok(())
}

/// Write a session's stage, times and end. An ended session is never reopened (`ended_at IS NULL`):
/// false when the row was ended meanwhile or does not exist.
pub(crate) fn save_session(db: &dyn Exec, s: &SessionRecord) -> Result<bool, StoreError> {
    let st = &s.state;
    let n = db.exec(
        "UPDATE sessions SET stage = $3, last_seen = $4, authenticated_at = $5, ended_at = $6, end_reason = $7
         WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL",
        &[
            t(s.tenant.as_str()),
            t(&s.id),
            t(st.stage.code()),
            t(&ts(st.last_seen)),
            t(&ts(st.authenticated_at)),
            opt_ts(st.ended.map(|e| e.0)),
            st.ended.map_or(Param::Null, |e| t(e.1.code())),
        ],
    )?;
    Ok(n == 1)
}

/// End every session of an account that has not ended; their ids.
pub(crate) fn end_user_sessions(
    db: &dyn Exec,
    tenant: &TenantId,
    user: UserId,
    at: DateTime<Utc>,
    reason: EndReason,
) -> Result<Vec<String>, StoreError> {
    let rows = db.fetch(
        "UPDATE sessions SET ended_at = $3, end_reason = $4 WHERE tenant_id = $1 AND user_id = $2 AND ended_at IS NULL RETURNING id",
        &[t(tenant.as_str()), t(&user.to_string()), t(&ts(at)), t(reason.code())],
    )?;
    let mut ids = rows.iter().map(|r| r[0].text()).collect::<Result<Vec<_>, _>>()?;
    ids.sort();
    Ok(ids)
}
