//! How messages reach a person (schema v10, issue 17): a recipient's contact preference, opt-out of
//! non-statutory messages, and an account's e-mail address — sealed with the deployment's key, masked for
//! lists, opened only by [`contact_email`] for the delivery worker. Written once over the [`Exec`] seam.

use chrono::{DateTime, Utc};
use liaison_core::ids::TenantId;
use liaison_core::message::{ContactPreference, Recipient};

use crate::StoreError;
use crate::crypto::Keys;
use crate::records::{Cell, Exec};
use crate::rows::{Param, parse_ts, ts};

/// A recipient's contact settings, as lists may show them (the address masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRecord {
    /// Whose.
    pub subject: Recipient,
    /// The channel preferred besides the inbox.
    pub prefer: ContactPreference,
    /// Opted out of non-statutory messages.
    pub opt_out: bool,
    /// An account's e-mail address, masked (`z***@example.cn`); none for a deputy (the register has it).
    pub email_masked: Option<String>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Changes so far.
    pub version: u64,
}

fn t(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn aad(tenant: &TenantId, subject: &Recipient) -> Vec<u8> {
    format!("contact:{}:{}:{}", tenant.as_str(), subject.kind(), subject.id()).into_bytes()
}

fn row(r: &[Cell]) -> Result<ContactRecord, StoreError> {
    let (kind, id) = (r[0].text()?, r[1].text()?);
    let prefer = r[2].text()?;
    Ok(ContactRecord {
        subject: Recipient::parse(&kind, &id)
            .ok_or_else(|| StoreError::Corrupt(format!("contact subject: {kind}")))?,
        prefer: ContactPreference::parse(&prefer)
            .map_err(|_| StoreError::Corrupt(format!("contact preference: {prefer}")))?,
        opt_out: r[3].int()? != 0,
        email_masked: r[4].opt_text(),
        updated_at: parse_ts(&r[5].text()?)?,
        version: r[6].int()? as u64,
    })
}

/// A recipient's settings (none: the defaults, auto and not opted out).
pub(crate) fn contact(
    db: &dyn Exec,
    tenant: &TenantId,
    subject: &Recipient,
) -> Result<Option<ContactRecord>, StoreError> {
    let rows = db.fetch(
        "SELECT subject_kind, subject_id, prefer, opt_out, email_masked, updated_at, version
         FROM message_contacts WHERE tenant_id = $1 AND subject_kind = $2 AND subject_id = $3",
        &[t(tenant.as_str()), t(subject.kind()), t(&subject.id())],
    )?;
    rows.first().map(|r| row(r)).transpose()
}

/// An account's e-mail address, opened: for the delivery worker only, never for a list.
pub(crate) fn contact_email(
    db: &dyn Exec,
    keys: &Keys,
    tenant: &TenantId,
    subject: &Recipient,
) -> Result<Option<String>, StoreError> {
    let rows = db.fetch(
        "SELECT email_sealed FROM message_contacts WHERE tenant_id = $1 AND subject_kind = $2 AND subject_id = $3",
        &[t(tenant.as_str()), t(subject.kind()), t(&subject.id())],
    )?;
    let Some(sealed) = rows.first().and_then(|r| r[0].opt_text()) else { return Ok(None) };
    let bytes = hex::decode(&sealed).map_err(|_| StoreError::Corrupt("contact e-mail: not hex".into()))?;
    let plain = keys.open(&aad(tenant, subject), &bytes)?;
    String::from_utf8(plain).map(Some).map_err(|_| StoreError::Corrupt("contact e-mail: not UTF-8".into()))
}

/// Save a recipient's settings at version `expected` (0: none yet); `email`: `None` keeps the address,
/// `Some(None)` removes it, `Some(Some(a))` seals `a` (already checked by the caller). False when the
/// settings moved meanwhile.
pub(crate) fn save_contact(
    db: &dyn Exec,
    keys: &Keys,
    tenant: &TenantId,
    c: &ContactRecord,
    email: Option<Option<&str>>,
    expected: u64,
) -> Result<bool, StoreError> {
    let (sealed, masked) = match email {
        None => (None, None),
        Some(None) => (Some(Param::Null), Some(Param::Null)),
        Some(Some(a)) => {
            let s = keys.seal(&aad(tenant, &c.subject), a.as_bytes())?;
            (Some(t(&hex::encode(s))), Some(c.email_masked.as_deref().map_or(Param::Null, t)))
        }
    };
    let ps = |sealed: Param, masked: Param| {
        vec![
            t(tenant.as_str()),
            t(c.subject.kind()),
            t(&c.subject.id()),
            t(c.prefer.code()),
            Param::Int(i64::from(c.opt_out)),
            sealed,
            masked,
            t(&ts(c.updated_at)),
            Param::Int(c.version as i64),
        ]
    };
    if expected == 0 {
        let (s, m) = (sealed.unwrap_or(Param::Null), masked.unwrap_or(Param::Null));
        let n = db.exec(
            "INSERT INTO message_contacts (tenant_id, subject_kind, subject_id, prefer, opt_out, email_sealed,
                 email_masked, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (tenant_id, subject_kind, subject_id) DO NOTHING",
            &ps(s, m),
        )?;
        return Ok(n > 0);
    }
    let keep = sealed.is_none();
    let mut p = ps(sealed.unwrap_or(Param::Null), masked.unwrap_or(Param::Null));
    p.push(Param::Int(expected as i64));
    let set_email = if keep { "" } else { ", email_sealed = $6, email_masked = $7" };
    let sql = format!(
        "UPDATE message_contacts SET prefer = $4, opt_out = $5{set_email}, updated_at = $8, version = $9
         WHERE tenant_id = $1 AND subject_kind = $2 AND subject_id = $3 AND version = $10"
    );
    if keep {
        // The unused parameters still bound, so the numbering holds on both backends.
        let sql = sql.replace("updated_at = $8", "updated_at = $8, email_sealed = COALESCE($6, email_sealed), email_masked = COALESCE($7, email_masked)");
        return Ok(db.exec(&sql, &p)? > 0);
    }
    Ok(db.exec(&sql, &p)? > 0)
}
