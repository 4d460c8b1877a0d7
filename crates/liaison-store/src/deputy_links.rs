//! A deputy of two congresses on two procuratorates' registers (schema v14, issue 20): the links, one row
//! per side in that side's tenant, and the lookup that finds the same person on another register by the
//! keyed hash of the ID number. Written once over the [`Exec`] seam.
//!
//! The lookup is the one read besides `tenants()` that crosses tenants: it starts from the caller's
//! tenant's records and returns, of the other registers' records, only their tenant, id and congress level
//! (the level is in the duplicate key, `id:<level>:<hash>`) — never a name, a number or a contact.

use chrono::{DateTime, Utc};
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::DeputyLevel;

use crate::StoreError;
use crate::records::{Cell, Exec};
use crate::rows::{Param, VISIBLE_D, parse_ts, ts};

/// One side of a link, as its tenant stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeputyLinkRecord {
    /// The side's procuratorate.
    pub tenant: TenantId,
    /// The side's record.
    pub deputy: DeputyId,
    /// The level of the side's congress (as the record said when linked).
    pub level: DeputyLevel,
    /// The other procuratorate.
    pub other_tenant: TenantId,
    /// The other record (its id only).
    pub other_deputy: DeputyId,
    /// The level of the other record's congress.
    pub other_level: DeputyLevel,
    /// How they were found to be one person (`registry::link::LinkBasis::code`).
    pub basis: String,
    /// When.
    pub linked_at: DateTime<Utc>,
}

/// A current record of the caller's register and a current record of another register with the same ID
/// number: ids and levels only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameIdElsewhere {
    /// The caller's record.
    pub deputy: DeputyId,
    /// Its congress level.
    pub level: DeputyLevel,
    /// The other procuratorate.
    pub other_tenant: TenantId,
    /// The other record.
    pub other_deputy: DeputyId,
    /// Its congress level.
    pub other_level: DeputyLevel,
}

fn text(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("deputy link {what}: {v}"))
}

fn tenant_of(c: &Cell) -> Result<TenantId, StoreError> {
    let s = c.text()?;
    TenantId::parse(&s).map_err(|_| corrupt("tenant", &s))
}

fn deputy_of(c: &Cell) -> Result<DeputyId, StoreError> {
    let s = c.text()?;
    DeputyId::parse(&s).map_err(|_| corrupt("deputy", &s))
}

fn level_of(c: &Cell) -> Result<DeputyLevel, StoreError> {
    let s = c.text()?;
    DeputyLevel::parse(&s).map_err(|_| corrupt("level", &s))
}

/// The level in a duplicate key `id:<level>:<hash>`.
fn level_in_key(c: &Cell) -> Result<DeputyLevel, StoreError> {
    let key = c.text()?;
    let level = key.split(':').nth(1).unwrap_or_default();
    DeputyLevel::parse(level).map_err(|_| corrupt("key", &key))
}

/// The links of `tenant`'s records (of one record when `deputy` is given), by record and other tenant.
pub(crate) fn links(
    db: &dyn Exec,
    tenant: &TenantId,
    deputy: Option<DeputyId>,
) -> Result<Vec<DeputyLinkRecord>, StoreError> {
    let (sql, ps) = links_query(tenant, deputy);
    link_records(&db.fetch(&sql, &ps)?)
}

/// The query of [`links`] and its parameters.
pub(crate) fn links_query(tenant: &TenantId, deputy: Option<DeputyId>) -> (String, Vec<Param>) {
    let mut ps = vec![text(tenant.as_str())];
    let mut sql =
        "SELECT tenant_id, deputy_id, level, other_tenant_id, other_deputy_id, other_level, basis, \
                   linked_at \
                   FROM deputy_links WHERE tenant_id = $1"
            .to_owned();
    if let Some(d) = deputy {
        sql.push_str(" AND deputy_id = $2");
        ps.push(text(&d.to_string()));
    }
    sql.push_str(" ORDER BY deputy_id, other_tenant_id");
    (sql, ps)
}

/// The rows of [`links_query`] as records.
pub(crate) fn link_records(rows: &[Vec<Cell>]) -> Result<Vec<DeputyLinkRecord>, StoreError> {
    rows.iter()
        .map(|r| {
            Ok(DeputyLinkRecord {
                tenant: tenant_of(&r[0])?,
                deputy: deputy_of(&r[1])?,
                level: level_of(&r[2])?,
                other_tenant: tenant_of(&r[3])?,
                other_deputy: deputy_of(&r[4])?,
                other_level: level_of(&r[5])?,
                basis: r[6].text()?,
                linked_at: parse_ts(&r[7].text()?)?,
            })
        })
        .collect()
}

/// The current records of other registers with the ID number of a current record of `tenant` (of one
/// record when `deputy` is given): both visible (not in an unpublished import), both with an ID number.
pub(crate) fn same_id_elsewhere(
    db: &dyn Exec,
    tenant: &TenantId,
    deputy: Option<DeputyId>,
) -> Result<Vec<SameIdElsewhere>, StoreError> {
    let mut ps = vec![text(tenant.as_str())];
    let own = VISIBLE_D.replace("d.batch", "e.batch");
    let mut sql = format!(
        "SELECT a.deputy_id, a.key, b.tenant_id, b.deputy_id, b.key \
         FROM deputy_keys a \
         JOIN deputy_keys b ON b.id_hash = a.id_hash AND b.tenant_id <> a.tenant_id AND b.key LIKE 'id:%' \
         JOIN deputies d ON d.tenant_id = b.tenant_id AND d.id = b.deputy_id AND {VISIBLE_D} \
         JOIN deputies e ON e.tenant_id = a.tenant_id AND e.id = a.deputy_id AND {own} \
         WHERE a.tenant_id = $1 AND a.key LIKE 'id:%' AND a.id_hash IS NOT NULL"
    );
    if let Some(d) = deputy {
        sql.push_str(" AND a.deputy_id = $2");
        ps.push(text(&d.to_string()));
    }
    sql.push_str(" ORDER BY a.deputy_id, b.tenant_id, b.deputy_id");
    db.fetch(&sql, &ps)?
        .iter()
        .map(|r| {
            Ok(SameIdElsewhere {
                deputy: deputy_of(&r[0])?,
                level: level_in_key(&r[1])?,
                other_tenant: tenant_of(&r[2])?,
                other_deputy: deputy_of(&r[3])?,
                other_level: level_in_key(&r[4])?,
            })
        })
        .collect()
}

/// Insert one side of a link; a side already there (a race with another server) is `Taken`.
pub(crate) fn insert(db: &dyn Exec, l: &DeputyLinkRecord) -> Result<(), StoreError> {
    let n = db.exec(
        "INSERT INTO deputy_links (tenant_id, deputy_id, level, other_tenant_id, other_deputy_id, other_level, \
         basis, linked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        &[
            text(l.tenant.as_str()),
            text(&l.deputy.to_string()),
            text(l.level.code()),
            text(l.other_tenant.as_str()),
            text(&l.other_deputy.to_string()),
            text(l.other_level.code()),
            text(&l.basis),
            text(&ts(l.linked_at)),
        ],
    )?;
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Taken(format!("deputy link {} → {}", l.deputy, l.other_tenant)))
    }
}
