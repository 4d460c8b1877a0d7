//! The accounts' SQL that both backends share, written once over the [`Exec`] seam: revoking every token
//! of an account (disabling it), a token's expiry and last use, and spending earlier one-use links
//! (activation codes) when a new one is issued.

use chrono::{DateTime, Utc};
use liaison_core::ids::{TenantId, UserId};

use crate::StoreError;
use crate::records::Exec;
use crate::rows::{Param, ts};

fn t(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn opt_ts(v: Option<DateTime<Utc>>) -> Param {
    v.map_or(Param::Null, |v| Param::Text(ts(v)))
}

pub(crate) fn revoke_user_tokens(
    db: &dyn Exec,
    tenant: &TenantId,
    user: UserId,
    at: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let rows = db.fetch(
        "UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
        &[t(tenant.as_str()), t(&user.to_string()), t(&ts(at))],
    )?;
    let mut ids = rows.iter().map(|r| r[0].text()).collect::<Result<Vec<_>, _>>()?;
    ids.sort();
    Ok(ids)
}

pub(crate) fn set_token_times(
    db: &dyn Exec,
    tenant: &TenantId,
    id: &str,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    db.exec(
        "UPDATE api_tokens SET expires_at = COALESCE($3, expires_at), last_used_at = COALESCE($4, last_used_at)
         WHERE tenant_id = $1 AND id = $2",
        &[t(tenant.as_str()), t(id), opt_ts(expires_at), opt_ts(last_used_at)],
    )?;
    Ok(())
}

pub(crate) fn revoke_links(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    record_id: &str,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    db.exec(
        "UPDATE one_use_links SET used_at = $4 WHERE tenant_id = $1 AND kind = $2 AND record_id = $3 AND used_at IS NULL",
        &[t(tenant.as_str()), t(kind), t(record_id), t(&ts(at))],
    )
}
