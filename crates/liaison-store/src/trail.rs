//! Reading the audit trail for the audit administrator: the records of one tenant, filtered by kind,
//! actor, time and aggregate, in chain order, a page at a time. The SQL is written once over [`Exec`].

use liaison_core::ids::TenantId;

use crate::records::{Cell, Exec};
use crate::rows::{AUDIT_COLUMNS, Param};
use crate::{AuditRecord, StoreError};

/// Filters and position for a list of audit records (all optional; every filter given must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// The kind (`deputy.registered`), or every kind under a prefix when it ends with `.` (`access.`).
    pub kind: Option<String>,
    /// The acting account: its user id, its login, or the name recorded.
    pub actor: Option<String>,
    /// From this moment on (RFC 3339 as stored, inclusive).
    pub from: Option<String>,
    /// Before this moment (RFC 3339 as stored, exclusive).
    pub to: Option<String>,
    /// The aggregate: its id, or its type (`deputy`, `suggestion`, `access` …).
    pub aggregate: Option<String>,
    /// Only records after this sequence number (the cursor).
    pub after: Option<u64>,
    /// Page size.
    pub limit: u32,
}

/// `LIKE` pattern text with its wildcards escaped (`\` is the escape character).
fn like_literal(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The records of a tenant matching `q`, in chain order.
pub(crate) fn audit_records(
    db: &dyn Exec,
    tenant: &TenantId,
    q: &AuditQuery,
) -> Result<Vec<AuditRecord>, StoreError> {
    let mut ps = vec![Param::Text(tenant.as_str().to_owned())];
    let mut w = String::from("tenant_id = $1");
    fn next(ps: &mut Vec<Param>, v: Param) -> String {
        ps.push(v);
        format!("${}", ps.len())
    }
    if let Some(k) = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        if k.ends_with('.') {
            let p = next(&mut ps, Param::Text(format!("{}%", like_literal(k))));
            w.push_str(&format!(" AND kind LIKE {p} ESCAPE '\\'"));
        } else {
            let p = next(&mut ps, Param::Text(k.to_owned()));
            w.push_str(&format!(" AND kind = {p}"));
        }
    }
    if let Some(a) = q.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let exact = next(&mut ps, Param::Text(a.to_owned()));
        // Names are recorded as `姓名 (login)`.
        let login = next(&mut ps, Param::Text(format!("% ({})", like_literal(a))));
        w.push_str(&format!(
            " AND (actor_id = {exact} OR actor_name = {exact} OR actor_name LIKE {login} ESCAPE '\\')"
        ));
    }
    if let Some(f) = &q.from {
        let p = next(&mut ps, Param::Text(f.clone()));
        w.push_str(&format!(" AND at >= {p}"));
    }
    if let Some(t) = &q.to {
        let p = next(&mut ps, Param::Text(t.clone()));
        w.push_str(&format!(" AND at < {p}"));
    }
    if let Some(a) = q.aggregate.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let p = next(&mut ps, Param::Text(a.to_owned()));
        w.push_str(&format!(" AND (aggregate_id = {p} OR aggregate_type = {p})"));
    }
    if let Some(after) = q.after {
        let p = next(&mut ps, Param::Int(i64::try_from(after).unwrap_or(i64::MAX)));
        w.push_str(&format!(" AND seq > {p}"));
    }
    let limit = next(&mut ps, Param::Int(i64::from(q.limit.max(1))));
    let rows = db
        .fetch(&format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {w} ORDER BY seq LIMIT {limit}"), &ps)?;
    rows.iter().map(|r| record(r)).collect()
}

/// When `actor` made records of `kind` at or after `from`, oldest first, at most `limit`.
pub(crate) fn audit_times(
    db: &dyn Exec,
    tenant: &TenantId,
    actor: &str,
    kind: &str,
    from: chrono::DateTime<chrono::Utc>,
    limit: u32,
) -> Result<Vec<chrono::DateTime<chrono::Utc>>, StoreError> {
    let rows = db.fetch(
        "SELECT at FROM audit_log WHERE tenant_id = $1 AND actor_id = $2 AND kind = $3 AND at >= $4
         ORDER BY at LIMIT $5",
        &[
            Param::Text(tenant.as_str().to_owned()),
            Param::Text(actor.to_owned()),
            Param::Text(kind.to_owned()),
            Param::Text(crate::rows::ts(from)),
            Param::Int(i64::from(limit.max(1))),
        ],
    )?;
    rows.iter()
        .map(|r| {
            let at = r.first().ok_or_else(|| StoreError::Corrupt("audit column at missing".into()))?;
            crate::rows::parse_ts(&at.text()?)
        })
        .collect()
}

/// The record at one position of a tenant's chain.
pub(crate) fn audit_record_at(
    db: &dyn Exec,
    tenant: &TenantId,
    seq: u64,
) -> Result<Option<AuditRecord>, StoreError> {
    let rows = db.fetch(
        &format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE tenant_id = $1 AND seq = $2"),
        &[Param::Text(tenant.as_str().to_owned()), Param::Int(i64::try_from(seq).unwrap_or(i64::MAX))],
    )?;
    rows.first().map(|r| record(r)).transpose()
}

fn record(r: &[Cell]) -> Result<AuditRecord, StoreError> {
    let cell = |i: usize| r.get(i).ok_or_else(|| StoreError::Corrupt(format!("audit column {i} missing")));
    Ok(AuditRecord {
        tenant: cell(0)?.text()?,
        seq: u64::try_from(cell(1)?.int()?).map_err(|_| StoreError::Corrupt("negative seq".into()))?,
        id: cell(2)?.text()?,
        at: cell(3)?.text()?,
        actor_id: cell(4)?.text()?,
        actor_name: cell(5)?.text()?,
        kind: cell(6)?.text()?,
        aggregate_type: cell(7)?.text()?,
        aggregate_id: cell(8)?.text()?,
        reason: cell(9)?.opt_text(),
        payload: cell(10)?.text()?,
        prev_hash: cell(11)?.text()?,
        hash: cell(12)?.text()?,
        actor_via: r.get(13).and_then(|c| c.opt_text()),
    })
}
