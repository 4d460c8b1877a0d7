//! Import batches (issue 13, item 4): a register import writes its new deputies in bounded chunks, each its
//! own short transaction beside the service's writes, under a batch that no query sees
//! ([`crate::rows::VISIBLE`]); one short transaction then publishes the batch — one row changes state and
//! every deputy of it appears at once — or abandons it. An abandoned batch's rows stay as tombstones
//! (name, region, data and sealed personal data wiped, duplicate keys removed), so that the registrations
//! the audit trail holds for them are told apart from a deputy that went missing (`audit verify --state`).
//! A batch whose importer died leaves its heartbeat behind; the next import abandons it.
//!
//! The SQL is the same on both backends (through [`Exec`]).

use chrono::{DateTime, Utc};
use liaison_core::ids::TenantId;
use serde::Serialize;

use crate::StoreError;
use crate::records::Exec;
use crate::rows::{Param, ts};

/// Where an import batch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchState {
    /// Chunks are being written; nothing of it is seen.
    Staging,
    /// Published: its deputies are on the register.
    Published,
    /// Refused, failed or interrupted: its rows are (being) wiped to tombstones.
    Abandoned,
}

impl BatchState {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Staging => "staging",
            Self::Published => "published",
            Self::Abandoned => "abandoned",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "staging" => Ok(Self::Staging),
            "published" => Ok(Self::Published),
            "abandoned" => Ok(Self::Abandoned),
            other => Err(StoreError::Corrupt(format!("not an import batch state: {other}"))),
        }
    }
}

fn text(s: &str) -> Param {
    Param::Text(s.to_owned())
}

pub(crate) fn begin(
    x: &impl Exec,
    tenant: &TenantId,
    batch: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    x.exec(
        "INSERT INTO import_batches (tenant_id, id, state, started_at, heartbeat_at) VALUES ($1, $2, 'staging', $3, $3)",
        &[text(tenant.as_str()), text(batch), Param::Text(ts(at))],
    )?;
    Ok(())
}

/// Renew an open batch's heartbeat before a chunk is staged under it; refused with `Transaction` when the
/// batch is not open (abandoned by someone who found it stale).
pub(crate) fn heartbeat(
    x: &impl Exec,
    tenant: &TenantId,
    batch: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = x.exec(
        "UPDATE import_batches SET heartbeat_at = $3 WHERE tenant_id = $1 AND id = $2 AND state = 'staging'",
        &[text(tenant.as_str()), text(batch), Param::Text(ts(at))],
    )?;
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Transaction(format!("import batch {batch} is no longer open")))
    }
}

/// Move an open batch to `to` (published or abandoned); false if it was not open.
pub(crate) fn end(
    x: &impl Exec,
    tenant: &TenantId,
    batch: &str,
    to: BatchState,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = x.exec(
        "UPDATE import_batches SET state = $3, heartbeat_at = $4 WHERE tenant_id = $1 AND id = $2 AND state = 'staging'",
        &[text(tenant.as_str()), text(batch), text(to.code()), Param::Text(ts(at))],
    )?;
    Ok(n == 1)
}

/// Wipe up to `limit` rows of an abandoned batch to tombstones; how many were wiped (0: done).
pub(crate) fn wipe(x: &impl Exec, tenant: &TenantId, batch: &str, limit: u32) -> Result<u64, StoreError> {
    let state = x.fetch(
        "SELECT state FROM import_batches WHERE tenant_id = $1 AND id = $2",
        &[text(tenant.as_str()), text(batch)],
    )?;
    match state.first().and_then(|r| r.first()).map(|c| c.text()).transpose()? {
        Some(s) if BatchState::parse(&s)? == BatchState::Abandoned => {}
        other => {
            return Err(StoreError::Transaction(format!(
                "import batch {batch} is {}: only an abandoned batch is wiped",
                other.as_deref().unwrap_or("unknown")
            )));
        }
    }
    let chosen =
        "SELECT id FROM deputies WHERE tenant_id = $1 AND batch = $2 AND name <> '' ORDER BY id LIMIT $3";
    let ps = [text(tenant.as_str()), text(batch), Param::Int(i64::from(limit))];
    x.exec(&format!("DELETE FROM deputy_keys WHERE tenant_id = $1 AND deputy_id IN ({chosen})"), &ps)?;
    x.exec(
        &format!(
            "UPDATE deputies SET name = '', name_key = '', pinyin = '', initials = '', region = '',
             delegation = NULL, officer_id = NULL, department_id = NULL, data = '{{}}', masked = '{{}}',
             sealed = substr(sealed, 1, 0) WHERE tenant_id = $1 AND id IN ({chosen})"
        ),
        &ps,
    )
}

/// The batches of a tenant left to clear: open ones whose heartbeat is older than `stale_before` (their
/// importer died), and abandoned ones with rows not yet wiped.
pub(crate) fn to_clear(
    x: &impl Exec,
    tenant: &TenantId,
    stale_before: DateTime<Utc>,
) -> Result<Vec<(String, BatchState)>, StoreError> {
    let rows = x.fetch(
        "SELECT id, state FROM import_batches b WHERE tenant_id = $1 AND (
            (state = 'staging' AND heartbeat_at < $2)
            OR (state = 'abandoned' AND EXISTS (SELECT 1 FROM deputies d
                WHERE d.tenant_id = b.tenant_id AND d.batch = b.id AND d.name <> '')))
         ORDER BY started_at, id",
        &[text(tenant.as_str()), Param::Text(ts(stale_before))],
    )?;
    rows.iter()
        .map(|r| match r.as_slice() {
            [id, state] => Ok((id.text()?, BatchState::parse(&state.text()?)?)),
            _ => Err(StoreError::Corrupt("import batch row".into())),
        })
        .collect()
}
