//! The procuratorates of the deployment (schema v13, issue 20): each tenant's name, level and the
//! procuratorate above it. The one table no query filters by tenant — it is the deployment's own list, a
//! reference table on Citus — and it holds no register data. Written once over the [`Exec`] seam.

use chrono::{DateTime, Utc};
use liaison_core::ids::TenantId;
use liaison_core::tenant::{Tenant, TenantLevel};

use crate::StoreError;
use crate::records::{Cell, Exec};
use crate::rows::{Param, parse_ts, ts};

/// A tenant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRecord {
    /// The procuratorate: id, name, level (none while unplaced), parent.
    pub tenant: Tenant,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

fn text(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn opt(s: Option<&str>) -> Param {
    s.map_or(Param::Null, text)
}

fn row(r: &[Cell]) -> Result<TenantRecord, StoreError> {
    let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("tenant {what}: {v}"));
    let id = r[0].text()?;
    let level = match r[2].opt_text() {
        Some(l) => Some(TenantLevel::parse(&l).map_err(|_| corrupt("level", &l))?),
        None => None,
    };
    let parent = match r[3].opt_text() {
        Some(p) => Some(TenantId::parse(&p).map_err(|_| corrupt("parent", &p))?),
        None => None,
    };
    Ok(TenantRecord {
        tenant: Tenant {
            id: TenantId::parse(&id).map_err(|_| corrupt("id", &id))?,
            name: r[1].text()?,
            level,
            parent,
        },
        created_at: parse_ts(&r[4].text()?)?,
    })
}

/// Every tenant, by id.
pub(crate) fn tenants(db: &dyn Exec) -> Result<Vec<TenantRecord>, StoreError> {
    db.fetch("SELECT id, name, level, parent_id, created_at FROM tenants ORDER BY id", &[])?
        .iter()
        .map(|r| row(r))
        .collect()
}

/// Insert a tenant with its place in the tree; an id already used is `Taken`.
pub(crate) fn insert(db: &dyn Exec, t: &TenantRecord) -> Result<(), StoreError> {
    let id = t.tenant.id.as_str();
    let taken = db.fetch("SELECT 1 FROM tenants WHERE id = $1", &[text(id)])?;
    if !taken.is_empty() {
        return Err(StoreError::Taken(format!("tenant {id}")));
    }
    db.exec(
        "INSERT INTO tenants (id, name, created_at, level, parent_id) VALUES ($1, $2, $3, $4, $5)",
        &[
            text(id),
            text(&t.tenant.name),
            text(&ts(t.created_at)),
            opt(t.tenant.level.map(TenantLevel::code)),
            opt(t.tenant.parent.as_ref().map(TenantId::as_str)),
        ],
    )?;
    Ok(())
}

/// Place an unplaced tenant; one placed meanwhile (by another server) is a conflict.
pub(crate) fn place(
    db: &dyn Exec,
    id: &TenantId,
    level: TenantLevel,
    parent: Option<&TenantId>,
) -> Result<(), StoreError> {
    let n = db.exec(
        "UPDATE tenants SET level = $1, parent_id = $2 WHERE id = $3 AND level IS NULL",
        &[text(level.code()), opt(parent.map(TenantId::as_str)), text(id.as_str())],
    )?;
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict { what: "tenant", id: id.to_string(), actual: 1, expected: 0 })
    }
}
