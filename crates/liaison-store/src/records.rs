//! Workflow records: one table for every workflow aggregate after the register (suggestions, improvement
//! measures, settings, and the workflows still to come), so a new workflow adds no table to either backend.
//!
//! A row holds the aggregate's current state as JSON and the columns lists, deadlines and reports filter
//! on (number, status, lead department, handler, next due day, opening day). `record_parties` says which
//! deputies and departments a record concerns, for "my suggestions" and department lists. The SQL is
//! written once, with `$N` placeholders, over the small [`Exec`] seam each backend implements.

use chrono::{DateTime, Utc};
use liaison_core::ids::TenantId;
use serde::{Deserialize, Serialize};

use crate::StoreError;
use crate::rows::{Param, ts};

/// A value read back from a record query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Null,
    Text(String),
    Int(i64),
}

impl Cell {
    pub(crate) fn text(&self) -> Result<String, StoreError> {
        match self {
            Self::Text(s) => Ok(s.clone()),
            Self::Int(i) => Ok(i.to_string()),
            Self::Null => Err(StoreError::Corrupt("unexpected NULL".into())),
        }
    }
    pub(crate) fn opt_text(&self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s.clone()),
            Self::Int(i) => Some(i.to_string()),
            Self::Null => None,
        }
    }
    pub(crate) fn int(&self) -> Result<i64, StoreError> {
        match self {
            Self::Int(i) => Ok(*i),
            Self::Text(s) => s.parse().map_err(|_| StoreError::Corrupt(format!("not a number: {s}"))),
            Self::Null => Err(StoreError::Corrupt("unexpected NULL".into())),
        }
    }
}

/// The seam between the record SQL and a driver: run a statement, or fetch rows as cells.
pub(crate) trait Exec {
    /// Run a statement; the number of rows changed.
    fn exec(&self, sql: &str, ps: &[Param]) -> Result<u64, StoreError>;
    /// Run a query (or a statement with `RETURNING`).
    fn fetch(&self, sql: &str, ps: &[Param]) -> Result<Vec<Vec<Cell>>, StoreError>;
    /// Run a query of one text column, handing each row's text to `each` as it is read, borrowed from
    /// the row (a year's million report lines: no copy of each kept).
    fn each_text(&self, sql: &str, ps: &[Param], each: &mut dyn FnMut(&str)) -> Result<(), StoreError>;
}

/// A workflow record to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    /// The kind (`suggestion`, `measure`, `settings` …).
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Version after this write.
    pub version: u64,
    /// Its number, unique per tenant and kind (`2026-0001`).
    pub number: Option<String>,
    /// Status code.
    pub status: String,
    /// The owning (lead) department.
    pub department: Option<String>,
    /// The handler (a user id).
    pub handler: Option<String>,
    /// The next deadline (YYYY-MM-DD), if any.
    pub due_on: Option<String>,
    /// The day it was received or opened (YYYY-MM-DD).
    pub opened_on: String,
    /// The state, as JSON.
    pub data: String,
    /// The deputies it concerns.
    pub deputies: Vec<String>,
    /// The departments it concerns (lead and co-handlers).
    pub departments: Vec<String>,
    /// Markers lists filter on (`published` …).
    pub tags: Vec<String>,
    /// What its figures need, computed by the core (for suggestions: their facts, as JSON).
    pub summary: Option<String>,
    /// Its line in the report's tables, as JSON (for suggestions: their facts and the annex's columns), kept
    /// in `record_lines` by the day it was opened (schema v12).
    pub line: Option<String>,
    /// When written.
    pub updated_at: DateTime<Utc>,
}

/// A stored workflow record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRecord {
    /// Id.
    pub id: String,
    /// Version.
    pub version: u64,
    /// Number.
    pub number: Option<String>,
    /// Status code.
    pub status: String,
    /// Next deadline.
    pub due_on: Option<String>,
    /// The state, as JSON.
    pub data: String,
}

/// Filters for a list of records, in id order (ids are time-ordered UUID v7).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordQuery {
    /// Only these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only records concerning this department (lead or co-handler).
    pub department: Option<String>,
    /// Only this handler.
    pub handler: Option<String>,
    /// Only records concerning this deputy.
    pub deputy: Option<String>,
    /// Only records carrying this tag.
    pub tag: Option<String>,
    /// Opened on or after (YYYY-MM-DD).
    pub opened_from: Option<String>,
    /// Opened on or before.
    pub opened_to: Option<String>,
    /// Next deadline on or before (YYYY-MM-DD).
    pub due_by: Option<String>,
    /// After this id.
    pub after: Option<String>,
    /// Page size (0: no limit).
    pub limit: u32,
}

impl RecordRow {
    /// A row of `kind` that no department or handler owns and no deadline governs; add the deputies it
    /// concerns and its number with [`RecordRow::with_deputies`] and [`RecordRow::with_number`].
    pub fn plain(
        kind: &'static str,
        id: &str,
        version: u64,
        status: &str,
        opened_on: chrono::NaiveDate,
        data: String,
        updated_at: DateTime<Utc>,
    ) -> Self {
        Self {
            kind,
            id: id.to_owned(),
            version,
            number: None,
            status: status.to_owned(),
            department: None,
            handler: None,
            due_on: None,
            opened_on: opened_on.to_string(),
            data,
            deputies: vec![],
            departments: vec![],
            tags: vec![],
            summary: None,
            line: None,
            updated_at,
        }
    }

    /// The deputies it concerns.
    #[must_use]
    pub fn with_deputies(mut self, deputies: Vec<String>) -> Self {
        self.deputies = deputies;
        self
    }

    /// Its number.
    #[must_use]
    pub fn with_number(mut self, number: Option<String>) -> Self {
        self.number = number;
        self
    }
}

/// A one-use link (a feedback link sent to one deputy): its secret is stored only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRecord {
    /// Id (also in the link, before the secret).
    pub id: String,
    /// Tenant.
    pub tenant: TenantId,
    /// The record kind it is for.
    pub kind: String,
    /// The record.
    pub record_id: String,
    /// The deputy it was sent to.
    pub deputy_id: String,
    /// The round it is for.
    pub round: u32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// The last day it works (YYYY-MM-DD).
    pub expires_on: String,
    /// When it was used.
    pub used_at: Option<String>,
}

const RECORD_COLUMNS: &str = "id, version, number, status, due_on, data";

fn stored(r: &[Cell]) -> Result<StoredRecord, StoreError> {
    Ok(StoredRecord {
        id: r[0].text()?,
        version: r[1].int()? as u64,
        number: r[2].opt_text(),
        status: r[3].text()?,
        due_on: r[4].opt_text(),
        data: r[5].text()?,
    })
}

fn t(s: &str) -> Param {
    Param::Text(s.to_owned())
}

fn opt(s: &Option<String>) -> Param {
    s.as_ref().map_or(Param::Null, |s| Param::Text(s.clone()))
}

pub(crate) fn record(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    id: &str,
) -> Result<Option<StoredRecord>, StoreError> {
    let rows = db.fetch(
        &format!("SELECT {RECORD_COLUMNS} FROM records WHERE tenant_id = $1 AND kind = $2 AND id = $3"),
        &[t(tenant.as_str()), t(kind), t(id)],
    )?;
    rows.first().map(|r| stored(r)).transpose()
}

pub(crate) fn record_by_number(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    number: &str,
) -> Result<Option<StoredRecord>, StoreError> {
    let rows = db.fetch(
        &format!("SELECT {RECORD_COLUMNS} FROM records WHERE tenant_id = $1 AND kind = $2 AND number = $3"),
        &[t(tenant.as_str()), t(kind), t(number)],
    )?;
    rows.first().map(|r| stored(r)).transpose()
}

/// The `WHERE` clause and parameters of a record query (over `records r`), in id order (or in no order)
/// with its `LIMIT`.
fn filter(tenant: &TenantId, kind: &str, q: &RecordQuery, ordered: bool) -> (String, Vec<Param>) {
    let mut ps = vec![t(tenant.as_str()), t(kind)];
    let mut w = String::from("r.tenant_id = $1 AND r.kind = $2");
    fn next(ps: &mut Vec<Param>, v: Param) -> String {
        ps.push(v);
        format!("${}", ps.len())
    }
    if !q.statuses.is_empty() {
        let phs: Vec<String> = q.statuses.iter().map(|s| next(&mut ps, t(s))).collect();
        w.push_str(&format!(" AND r.status IN ({})", phs.join(", ")));
    }
    if let Some(h) = &q.handler {
        let p = next(&mut ps, t(h));
        w.push_str(&format!(" AND r.handler_id = {p}"));
    }
    for (role, v) in [("department", &q.department), ("deputy", &q.deputy), ("tag", &q.tag)] {
        if let Some(v) = v {
            let p = next(&mut ps, t(v));
            w.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM record_parties p WHERE p.tenant_id = r.tenant_id AND p.kind = r.kind
                  AND p.record_id = r.id AND p.role = '{role}' AND p.party = {p})"
            ));
        }
    }
    if let Some(d) = &q.opened_from {
        let p = next(&mut ps, t(d));
        w.push_str(&format!(" AND r.opened_on >= {p}"));
    }
    if let Some(d) = &q.opened_to {
        let p = next(&mut ps, t(d));
        w.push_str(&format!(" AND r.opened_on <= {p}"));
    }
    if let Some(d) = &q.due_by {
        let p = next(&mut ps, t(d));
        w.push_str(&format!(" AND r.due_on IS NOT NULL AND r.due_on <= {p}"));
    }
    if let Some(a) = &q.after {
        let p = next(&mut ps, t(a));
        w.push_str(&format!(" AND r.id > {p}"));
    }
    if ordered {
        w.push_str(" ORDER BY r.id");
    }
    if q.limit > 0 {
        let p = next(&mut ps, Param::Int(i64::from(q.limit)));
        w.push_str(&format!(" LIMIT {p}"));
    }
    (w, ps)
}

pub(crate) fn list_records(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    q: &RecordQuery,
) -> Result<Vec<StoredRecord>, StoreError> {
    let (w, ps) = filter(tenant, kind, q, true);
    let sql =
        format!("SELECT r.id, r.version, r.number, r.status, r.due_on, r.data FROM records r WHERE {w}");
    db.fetch(&sql, &ps)?.iter().map(|r| stored(r)).collect()
}

/// A record as figures read it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Summary {
    /// Its summary.
    Summary(String),
    /// Its whole data: it was saved before summaries were kept.
    Data(String),
}

pub(crate) fn list_summaries(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    q: &RecordQuery,
) -> Result<Vec<Summary>, StoreError> {
    // In no particular order: the summaries come from the index by day received alone (SQLite), and the
    // data only of the records saved without a summary.
    let q = RecordQuery { limit: 0, ..q.clone() };
    let (w, ps) = filter(tenant, kind, &q, false);
    let mut out: Vec<Summary> = db
        .fetch(&format!("SELECT r.summary FROM records r WHERE {w} AND r.summary IS NOT NULL"), &ps)?
        .iter()
        .map(|r| r[0].text().map(Summary::Summary))
        .collect::<Result<_, _>>()?;
    for r in db.fetch(&format!("SELECT r.data FROM records r WHERE {w} AND r.summary IS NULL"), &ps)? {
        out.push(Summary::Data(r[0].text()?));
    }
    Ok(out)
}

/// A record as the report's tables read it, borrowed from the row being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Line<'a> {
    /// Its line.
    Line(&'a str),
    /// Its whole data: it was saved before lines were kept (schema v12).
    Data(&'a str),
}

pub(crate) fn each_line(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    from: &str,
    to: &str,
    each: &mut dyn FnMut(Line<'_>),
) -> Result<(), StoreError> {
    // One range of `record_lines`; then, only when the period holds records without a line (saved before
    // v12), their data. Whatever is written between the reads is counted at most once: a record read by its
    // data has no line.
    let ps = [t(tenant.as_str()), t(kind), t(from), t(to)];
    let within = "tenant_id = $1 AND kind = $2 AND opened_on >= $3 AND opened_on <= $4";
    let mut lines = 0_i64;
    db.each_text(&format!("SELECT line FROM record_lines WHERE {within}"), &ps, &mut |line| {
        lines += 1;
        each(Line::Line(line));
    })?;
    let records = db.fetch(&format!("SELECT count(*) FROM records WHERE {within}"), &ps)?;
    let records = records.first().and_then(|r| r.first()).map(Cell::int).transpose()?.unwrap_or(0);
    if records > lines {
        let sql = "SELECT r.data FROM records r WHERE r.tenant_id = $1 AND r.kind = $2 AND r.opened_on >= $3
             AND r.opened_on <= $4 AND NOT EXISTS (SELECT 1 FROM record_lines l
             WHERE l.tenant_id = r.tenant_id AND l.kind = r.kind AND l.id = r.id)";
        db.each_text(sql, &ps, &mut |data| each(Line::Data(data)))?;
    }
    Ok(())
}

/// Keep a record's line beside it: written, replaced, or (a record of a kind without lines, or an update
/// that has none) removed. `fresh`: the record is new, so there is no line to remove.
fn write_line(db: &dyn Exec, tenant: &TenantId, r: &RecordRow, fresh: bool) -> Result<(), StoreError> {
    match &r.line {
        Some(line) => {
            db.exec(
                "INSERT INTO record_lines (tenant_id, kind, id, opened_on, line) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (tenant_id, kind, id) DO UPDATE SET opened_on = excluded.opened_on, line = excluded.line",
                &[t(tenant.as_str()), t(r.kind), t(&r.id), t(&r.opened_on), t(line)],
            )?;
        }
        None if !fresh => {
            db.exec(
                "DELETE FROM record_lines WHERE tenant_id = $1 AND kind = $2 AND id = $3",
                &[t(tenant.as_str()), t(r.kind), t(&r.id)],
            )?;
        }
        None => {}
    }
    Ok(())
}

pub(crate) fn write_record(
    db: &dyn Exec,
    tenant: &TenantId,
    r: &RecordRow,
    expected: Option<u64>,
) -> Result<(), StoreError> {
    let values = vec![
        t(tenant.as_str()),
        t(r.kind),
        t(&r.id),
        Param::Int(r.version as i64),
        opt(&r.number),
        t(&r.status),
        opt(&r.department),
        opt(&r.handler),
        opt(&r.due_on),
        t(&r.opened_on),
        t(&r.data),
        t(&ts(r.updated_at)),
        opt(&r.summary),
    ];
    match expected {
        None => {
            db.exec(
                "INSERT INTO records (tenant_id, kind, id, version, number, status, department_id, handler_id, due_on,
                 opened_on, data, updated_at, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                &values,
            )
            .map_err(|e| match e {
                StoreError::Taken(_) => StoreError::Taken(format!("{} {}", r.kind, r.number.as_deref().unwrap_or(&r.id))),
                e => e,
            })?;
        }
        Some(exp) => {
            let mut v = values;
            v.push(Param::Int(exp as i64));
            let n = db.exec(
                "UPDATE records SET version = $4, number = $5, status = $6, department_id = $7, handler_id = $8,
                 due_on = $9, opened_on = $10, data = $11, updated_at = $12, summary = $13
                 WHERE tenant_id = $1 AND kind = $2 AND id = $3 AND version = $14",
                &v,
            )?;
            if n == 0 {
                let actual = record(db, tenant, r.kind, &r.id)?.map(|s| s.version as i64);
                return Err(crate::rows::conflict_or_missing(r.kind, r.id.clone(), actual, exp));
            }
            db.exec(
                "DELETE FROM record_parties WHERE tenant_id = $1 AND kind = $2 AND record_id = $3",
                &[t(tenant.as_str()), t(r.kind), t(&r.id)],
            )?;
        }
    }
    write_line(db, tenant, r, expected.is_none())?;
    for (role, parties) in [("deputy", &r.deputies), ("department", &r.departments), ("tag", &r.tags)] {
        for p in parties {
            db.exec(
                "INSERT INTO record_parties (tenant_id, kind, record_id, role, party) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT DO NOTHING",
                &[t(tenant.as_str()), t(r.kind), t(&r.id), t(role), t(p)],
            )?;
        }
    }
    Ok(())
}

pub(crate) fn next_number(db: &dyn Exec, tenant: &TenantId, name: &str) -> Result<u64, StoreError> {
    let rows = db.fetch(
        "INSERT INTO counters (tenant_id, name, value) VALUES ($1, $2, 1)
         ON CONFLICT (tenant_id, name) DO UPDATE SET value = counters.value + 1 RETURNING value",
        &[t(tenant.as_str()), t(name)],
    )?;
    let v = rows.first().and_then(|r| r.first()).ok_or_else(|| StoreError::Corrupt("counter".into()))?;
    Ok(v.int()? as u64)
}

const LINK_COLUMNS: &str =
    "id, tenant_id, kind, record_id, deputy_id, round, created_at, expires_on, used_at";

fn link(r: &[Cell]) -> Result<LinkRecord, StoreError> {
    Ok(LinkRecord {
        id: r[0].text()?,
        tenant: TenantId::parse(&r[1].text()?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        kind: r[2].text()?,
        record_id: r[3].text()?,
        deputy_id: r[4].text()?,
        round: r[5].int()? as u32,
        created_at: crate::rows::parse_ts(&r[6].text()?)?,
        expires_on: r[7].text()?,
        used_at: r[8].opt_text(),
    })
}

pub(crate) fn link_by_hash(db: &dyn Exec, hash: &str) -> Result<Option<LinkRecord>, StoreError> {
    let rows =
        db.fetch(&format!("SELECT {LINK_COLUMNS} FROM one_use_links WHERE token_hash = $1"), &[t(hash)])?;
    rows.first().map(|r| link(r)).transpose()
}

pub(crate) fn insert_link(db: &dyn Exec, l: &LinkRecord, hash: &str) -> Result<(), StoreError> {
    db.exec(
        &format!("INSERT INTO one_use_links ({LINK_COLUMNS}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
        &[
            t(&l.id),
            t(l.tenant.as_str()),
            t(&l.kind),
            t(&l.record_id),
            t(&l.deputy_id),
            Param::Int(i64::from(l.round)),
            t(&ts(l.created_at)),
            t(&l.expires_on),
            opt(&l.used_at),
            t(hash),
        ],
    )?;
    Ok(())
}

/// Revoke the unused links of `kind` for one deputy on one record: their secrets stop working (the rows are
/// removed; the audit trail keeps their issue and their revocation). Returns their ids.
pub(crate) fn revoke_deputy_links(
    db: &dyn Exec,
    tenant: &TenantId,
    kind: &str,
    record_id: &str,
    deputy_id: &str,
) -> Result<Vec<String>, StoreError> {
    let params = [t(tenant.as_str()), t(kind), t(record_id), t(deputy_id)];
    let ids = db
        .fetch(
            "SELECT id FROM one_use_links WHERE tenant_id = $1 AND kind = $2 AND record_id = $3 AND deputy_id = $4 \
             AND used_at IS NULL ORDER BY id",
            &params,
        )?
        .iter()
        .map(|r| r[0].text())
        .collect::<Result<Vec<_>, _>>()?;
    if !ids.is_empty() {
        db.exec(
            "DELETE FROM one_use_links WHERE tenant_id = $1 AND kind = $2 AND record_id = $3 AND deputy_id = $4 \
             AND used_at IS NULL",
            &params,
        )?;
    }
    Ok(ids)
}

pub(crate) fn use_link(
    db: &dyn Exec,
    tenant: &TenantId,
    id: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(db.exec(
        "UPDATE one_use_links SET used_at = $3 WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL",
        &[t(tenant.as_str()), t(id), t(&ts(at))],
    )? == 1)
}
