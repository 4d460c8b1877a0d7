//! What both backends share: the stored form of a deputy (sealed personal data, masked copy, sort keys),
//! reading rows back into records, and the list filter as SQL text with its parameters.

use chrono::{DateTime, SecondsFormat, Utc};
use liaison_core::access::Role;
use liaison_core::account::AccountKind;
use liaison_core::ids::{DepartmentId, DeputyId, OfficerId, TenantId, UserId};
use liaison_core::registry::{ContactCard, Deputy, DeputyLevel, DeputyStatus, IdNumber};
use serde::{Deserialize, Serialize};

use liaison_core::organisation::Organisation;

use crate::audit::{Damaged, record_hash};
use crate::{
    AuditRecord, DeputyQuery, DeputySummary, Keys, MaskedPersonal, NewRecord, StoreError, TokenRecord,
    UserRecord,
};

/// Timestamps are stored as RFC 3339 text with microseconds (the audit chain hashes this exact text).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A tenant's audit-chain head: its last sequence number, hash and time (none before the first record).
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) seq: u64,
    pub(crate) hash: String,
    pub(crate) at: Option<DateTime<Utc>>,
}

/// How far a change may precede the chain's head: the clocks of servers sharing a database differ a little.
pub(crate) fn clock_tolerance() -> chrono::Duration {
    chrono::Duration::minutes(5)
}

/// The chain never goes back in time: refuse a change dated before the head by more than the tolerance.
pub(crate) fn check_chronology(head: &Head, at: DateTime<Utc>) -> Result<(), StoreError> {
    match head.at {
        Some(last) if at + clock_tolerance() < last => {
            Err(StoreError::Backdated { at: ts(at), last: ts(last) })
        }
        _ => Ok(()),
    }
}

pub(crate) fn uuid_col(s: &str) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("id {s}: {e}")))
}

/// The personal part of a deputy's record, sealed as one value.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Personal {
    pub(crate) id_number: Option<IdNumber>,
    pub(crate) contact: ContactCard,
}

/// Sealed personal data is bound to its tenant and deputy: moved to another row, it does not open.
pub(crate) fn aad(tenant: &TenantId, id: DeputyId) -> Vec<u8> {
    format!("deputy/{tenant}/{id}").into_bytes()
}

/// A deputy as stored: every column's value, prepared from the aggregate.
pub(crate) struct DeputyRow {
    pub(crate) id: String,
    pub(crate) version: i64,
    pub(crate) name: String,
    pub(crate) name_key: String,
    pub(crate) pinyin: String,
    pub(crate) initials: String,
    pub(crate) level: &'static str,
    pub(crate) status: &'static str,
    pub(crate) region: String,
    pub(crate) delegation: Option<String>,
    pub(crate) officer: Option<String>,
    pub(crate) department: Option<String>,
    pub(crate) data: String,
    pub(crate) masked: String,
    pub(crate) sealed: Vec<u8>,
    pub(crate) updated_at: String,
}

/// A new deputy's row made ready outside any transaction — personal data sealed, a masked copy, the sort
/// and search keys — so that a bulk import does its CPU work before it takes the write lock and holds it
/// only for the inserts (issue 13, item 4).
pub struct PreparedDeputy {
    pub(crate) row: DeputyRow,
    id: DeputyId,
}

impl std::fmt::Debug for PreparedDeputy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PreparedDeputy({})", self.id)
    }
}

impl PreparedDeputy {
    /// Prepare `d` (a newly registered deputy, version 1) for `tenant` under the store's keys.
    pub fn new(keys: &Keys, tenant: &TenantId, d: &Deputy) -> Result<Self, StoreError> {
        Ok(Self { row: DeputyRow::prepare(keys, tenant, d)?, id: d.id })
    }

    /// The deputy's id.
    pub fn id(&self) -> DeputyId {
        self.id
    }
}

impl DeputyRow {
    /// Seal the personal data, mask a copy for lists, compute the sort and search keys.
    pub(crate) fn prepare(keys: &Keys, tenant: &TenantId, d: &Deputy) -> Result<Self, StoreError> {
        let personal = Personal { id_number: d.data.id_number.clone(), contact: d.data.contact.clone() };
        let c = crate::state::DeputyColumns::of(d)?;
        Ok(Self {
            id: d.id.to_string(),
            version: c.version,
            name: c.name,
            name_key: c.name_key,
            pinyin: c.pinyin,
            initials: c.initials,
            level: d.data.level.code(),
            status: d.status.code(),
            region: c.region,
            delegation: c.delegation,
            officer: c.officer,
            department: c.department,
            data: c.data,
            masked: serde_json::to_string(&MaskedPersonal::of(
                personal.id_number.as_ref(),
                &personal.contact,
            ))?,
            sealed: keys.seal(&aad(tenant, d.id), &serde_json::to_vec(&personal)?)?,
            updated_at: ts(Utc::now()),
        })
    }
}

/// Rebuild a deputy from its public JSON and its sealed personal data.
pub(crate) fn open_deputy(
    keys: &Keys,
    tenant: &TenantId,
    id: DeputyId,
    data: &str,
    sealed: &[u8],
) -> Result<Deputy, StoreError> {
    let mut d: Deputy = serde_json::from_str(data)?;
    let p: Personal = serde_json::from_slice(&keys.open(&aad(tenant, id), sealed)?)?;
    d.data.id_number = p.id_number;
    d.data.contact = p.contact;
    Ok(d)
}

/// A result row of either driver.
pub(crate) trait RowLike {
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn boolean(&self, i: usize) -> Result<bool, StoreError>;
    /// The column as text whatever it holds (bytes that are not UTF-8 shown with replacement characters,
    /// no value as ""): for naming a damaged row.
    fn lossy(&self, i: usize) -> String;
    /// As `lossy`, with no value as `None`.
    fn lossy_opt(&self, i: usize) -> Option<String>;
    /// The column as bytes (empty when it holds none).
    fn bytes(&self, i: usize) -> Vec<u8>;
}

pub(crate) const AUDIT_COLUMNS: &str = "tenant_id, seq, id, at, actor_id, actor_name, kind, aggregate_type, aggregate_id, reason, payload, prev_hash, hash, actor_via";

pub(crate) const SUMMARY_COLUMNS: &str =
    "id, version, name, name_key, level, status, region, delegation, officer_id, department_id, data, masked";

pub(crate) const USER_COLUMNS: &str = "u.tenant_id, u.id, u.login, u.display_name, u.roles, u.active, u.created_at, u.deputy_id, u.department_id, u.kind, u.pending, u.version, u.officer_grant";

const AUDIT_NAMES: [&str; 14] = [
    "tenant_id",
    "seq",
    "id",
    "at",
    "actor_id",
    "actor_name",
    "kind",
    "aggregate_type",
    "aggregate_id",
    "reason",
    "payload",
    "prev_hash",
    "hash",
    "actor_via",
];

/// Name the column a read failed on.
fn audit_col<T>(i: usize, r: Result<T, StoreError>) -> Result<T, StoreError> {
    r.map_err(|e| StoreError::Corrupt(format!("column {}: {e}", AUDIT_NAMES.get(i).copied().unwrap_or("?"))))
}

pub(crate) fn audit_row(r: &impl RowLike) -> Result<AuditRecord, StoreError> {
    let t = |i| audit_col(i, r.text(i));
    Ok(AuditRecord {
        tenant: t(0)?,
        seq: audit_col(1, r.int(1))? as u64,
        id: t(2)?,
        at: t(3)?,
        actor_id: t(4)?,
        actor_name: t(5)?,
        kind: t(6)?,
        aggregate_type: t(7)?,
        aggregate_id: t(8)?,
        reason: audit_col(9, r.opt_text(9))?,
        payload: t(10)?,
        prev_hash: t(11)?,
        hash: t(12)?,
        actor_via: audit_col(13, r.opt_text(13))?,
    })
}

/// An audit row read for verification: the record, or what could be read of a damaged one and why the
/// rest could not (verification names it and goes on).
pub(crate) fn audit_entry(r: &impl RowLike) -> Result<AuditRecord, Box<Damaged>> {
    audit_row(r).map_err(|e| {
        Box::new(Damaged {
            tenant: r.lossy(0),
            seq: r.int(1).ok().and_then(|s| u64::try_from(s).ok()),
            id: r.lossy(2),
            kind: r.lossy(6),
            hash: r.text(12).ok(),
            reason: e.to_string(),
        })
    })
}

pub(crate) fn level_of(s: &str) -> Result<DeputyLevel, StoreError> {
    DeputyLevel::parse(s).map_err(|_| StoreError::Corrupt(format!("level {s}")))
}

pub(crate) fn status_of(s: &str) -> Result<DeputyStatus, StoreError> {
    DeputyStatus::from_code(s).ok_or_else(|| StoreError::Corrupt(format!("status {s}")))
}

fn opt_uuid(r: &impl RowLike, i: usize) -> Result<Option<uuid::Uuid>, StoreError> {
    r.opt_text(i)?.map(|s| uuid_col(&s)).transpose()
}

pub(crate) fn summary_row(r: &impl RowLike) -> Result<DeputySummary, StoreError> {
    Ok(DeputySummary {
        id: DeputyId(uuid_col(&r.text(0)?)?),
        version: r.int(1)? as u64,
        name: r.text(2)?,
        name_key: r.text(3)?,
        level: level_of(&r.text(4)?)?,
        status: status_of(&r.text(5)?)?,
        region: r.text(6)?,
        delegation: r.opt_text(7)?,
        officer: opt_uuid(r, 8)?.map(OfficerId),
        department: opt_uuid(r, 9)?.map(DepartmentId),
        data: r.text(10)?,
        masked: serde_json::from_str::<MaskedPersonal>(&r.text(11)?)?.tightened(),
    })
}

/// `id, name, level, region, delegation, officer_id, department_id` → a coverage reference.
pub(crate) fn ref_row(r: &impl RowLike) -> Result<liaison_core::organisation::DeputyRef, StoreError> {
    Ok(liaison_core::organisation::DeputyRef {
        id: DeputyId(uuid_col(&r.text(0)?)?),
        name: r.text(1)?,
        level: level_of(&r.text(2)?)?,
        region: r.text(3)?,
        delegation: r.opt_text(4)?,
        officer: opt_uuid(r, 5)?.map(OfficerId),
        department: opt_uuid(r, 6)?.map(DepartmentId),
    })
}

pub(crate) fn level_row(
    r: &impl RowLike,
) -> Result<(DeputyId, liaison_core::registry::DeputyLevel), StoreError> {
    Ok((DeputyId(uuid_col(&r.text(0)?)?), level_of(&r.text(1)?)?))
}

pub(crate) fn user_row(r: &impl RowLike) -> Result<UserRecord, StoreError> {
    let roles = r.text(4)?;
    Ok(UserRecord {
        tenant: TenantId::parse(&r.text(0)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        id: UserId(uuid_col(&r.text(1)?)?),
        login: r.text(2)?,
        display_name: r.text(3)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Role::parse(s).map_err(|_| StoreError::Corrupt(format!("role {s}"))))
            .collect::<Result<_, _>>()?,
        active: r.boolean(5)?,
        created_at: parse_ts(&r.text(6)?)?,
        deputy: opt_uuid(r, 7)?.map(DeputyId),
        department: opt_uuid(r, 8)?.map(DepartmentId),
        kind: AccountKind::parse(&r.text(9)?).ok_or_else(|| StoreError::Corrupt("account kind".into()))?,
        pending: r.opt_text(10)?.map(|p| serde_json::from_str(&p)).transpose()?,
        version: r.int(11)? as u64,
        grant: r.opt_text(12)?.map(|g| serde_json::from_str(&g)).transpose()?.unwrap_or_default(),
    })
}

/// An officer's grant as stored (JSON), or NULL when nothing is granted.
pub(crate) fn grant_json(u: &UserRecord) -> Result<Option<String>, StoreError> {
    Ok((!u.grant.is_empty()).then(|| serde_json::to_string(&u.grant)).transpose()?)
}

/// A user's pending roles as stored (JSON), or NULL.
pub(crate) fn pending_json(u: &UserRecord) -> Result<Option<String>, StoreError> {
    Ok(u.pending.as_ref().map(serde_json::to_string).transpose()?)
}

/// A user's roles as stored: codes separated by commas.
pub(crate) fn roles_text(u: &UserRecord) -> String {
    u.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// A parameter of a built query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
    Null,
}

/// A deputy is seen by every query once it belongs to no import batch, or to a published one: an import's
/// rows are written in chunks beside the service's writes and appear together when their batch is
/// published (issue 13, item 4; `import_batches`).
pub(crate) const VISIBLE: &str =
    "(batch IS NULL OR batch IN (SELECT id FROM import_batches WHERE state = 'published'))";
/// [`VISIBLE`] for a lookup of one deputy by its key: the batch looked up by its primary key for that row
/// (SQLite builds the `IN (SELECT …)` list into a temporary b-tree on every execution: most of a point
/// read's time when it was measured, issue 19).
pub(crate) const VISIBLE_ROW: &str = "(batch IS NULL OR EXISTS (SELECT 1 FROM import_batches b WHERE b.id = deputies.batch AND b.state = 'published'))";
/// [`VISIBLE`] for a query that names the deputies table `d`.
pub(crate) const VISIBLE_D: &str =
    "(d.batch IS NULL OR d.batch IN (SELECT id FROM import_batches WHERE state = 'published'))";

/// The `WHERE` clause of a deputy list (tenant first, as `1`), with its parameters, in a dialect's
/// placeholder style (`?N` for SQLite, `$N` for PostgreSQL).
pub(crate) fn deputy_where(
    tenant: &TenantId,
    q: &DeputyQuery,
    ph: fn(usize) -> String,
    with_after: bool,
) -> (String, Vec<Param>) {
    let mut params = vec![Param::Text(tenant.as_str().to_owned())];
    let mut w = format!("tenant_id = {} AND {VISIBLE}", ph(1));
    let mut add = |w: &mut String, col: &str, op: &str, v: Param| {
        params.push(v);
        w.push_str(&format!(" AND {col} {op} {}", ph(params.len())));
    };
    if let Some(l) = q.level {
        add(&mut w, "level", "=", Param::Text(l.code().into()));
    }
    if let Some(s) = q.status {
        add(&mut w, "status", "=", Param::Text(s.code().into()));
    }
    if let Some(r) = &q.region {
        add(&mut w, "region", "=", Param::Text(r.clone()));
    }
    if let Some(o) = q.officer {
        add(&mut w, "officer_id", "=", Param::Text(o.to_string()));
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Prefix ranges on byte-ordered keys: `[s, s + max)`.
        let (cols, lo, hi) = if s.bytes().all(|b| b.is_ascii_alphabetic()) {
            let lo = s.to_ascii_lowercase();
            (&["pinyin", "initials"][..], lo.clone(), format!("{lo}{{"))
        } else {
            (&["name"][..], s.to_owned(), format!("{s}\u{10FFFF}"))
        };
        params.push(Param::Text(lo));
        params.push(Param::Text(hi));
        let (a, b) = (ph(params.len() - 1), ph(params.len()));
        let ors: Vec<String> = cols.iter().map(|c| format!("({c} >= {a} AND {c} < {b})")).collect();
        w.push_str(&format!(" AND ({})", ors.join(" OR ")));
    }
    if with_after && let Some((key, id)) = &q.after {
        params.push(Param::Text(key.clone()));
        params.push(Param::Text(id.to_string()));
        w.push_str(&format!(" AND (name_key, id) > ({}, {})", ph(params.len() - 1), ph(params.len())));
    }
    (w, params)
}

// ---- SQL and helpers both backends use (SQLite binds `$N` by position, like PostgreSQL) ----

pub(crate) const TOKEN_USER_SQL: &str =
    "SELECT u.tenant_id, u.id, u.login, u.display_name, u.roles, u.active, u.created_at, u.deputy_id, u.department_id,
     u.kind, u.pending, u.version, u.officer_grant,
     t.id, t.tenant_id, t.user_id, t.label, t.created_at, t.revoked_at, t.expires_at, t.last_used_at
     FROM api_tokens t JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active";

pub(crate) const AUTH_EPOCH_SQL: &str = "SELECT epoch FROM auth_epochs WHERE tenant_id = $1";

pub(crate) const TOKENS_SQL: &str = "SELECT id, tenant_id, user_id, label, created_at, revoked_at, expires_at, last_used_at FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at";

/// A token from its columns, starting at `at` (`id, tenant_id, user_id, label, created_at, revoked_at,
/// expires_at, last_used_at`).
pub(crate) fn token_row_at(r: &impl RowLike, at: usize) -> Result<TokenRecord, StoreError> {
    let time = |i: usize| r.opt_text(at + i)?.map(|s| parse_ts(&s)).transpose();
    Ok(TokenRecord {
        id: r.text(at)?,
        tenant: TenantId::parse(&r.text(at + 1)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        user: UserId(uuid_col(&r.text(at + 2)?)?),
        label: r.text(at + 3)?,
        created_at: parse_ts(&r.text(at + 4)?)?,
        revoked_at: time(5)?,
        expires_at: time(6)?,
        last_used_at: time(7)?,
    })
}

pub(crate) fn token_row(r: &impl RowLike) -> Result<TokenRecord, StoreError> {
    token_row_at(r, 0)
}

/// The user and the token of a `TOKEN_USER_SQL` row.
pub(crate) fn token_user_row(r: &impl RowLike) -> Result<(UserRecord, TokenRecord), StoreError> {
    Ok((user_row(r)?, token_row_at(r, 13)?))
}

pub(crate) fn organisation_of(row: Option<(i64, String)>) -> Result<Organisation, StoreError> {
    match row {
        None => Ok(Organisation::default()),
        Some((v, data)) => {
            let mut org: Organisation = serde_json::from_str(&data)?;
            org.version = v as u64;
            Ok(org)
        }
    }
}

pub(crate) const DEPUTY_INSERT_SQL: &str =
    "INSERT INTO deputies (tenant_id, id, version, name, name_key, pinyin, initials, level,
    status, region, delegation, officer_id, department_id, data, masked, sealed, updated_at, batch)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";

pub(crate) const DEPUTY_UPDATE_SQL: &str = "UPDATE deputies SET version = $3, name = $4, name_key = $5, pinyin = $6,
    initials = $7, level = $8, status = $9, region = $10, delegation = $11, officer_id = $12, department_id = $13,
    data = $14, masked = $15, sealed = $16, updated_at = $17
    WHERE tenant_id = $1 AND id = $2 AND version = $18";

pub(crate) const KEY_INSERT_SQL: &str = "INSERT INTO deputy_keys (tenant_id, key, deputy_id, id_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

/// A new audit record, chained after `(seq, prev_hash)`.
pub(crate) fn chain_record(
    keys: &Keys,
    tenant: &TenantId,
    r: NewRecord,
    seq: u64,
    prev_hash: String,
) -> AuditRecord {
    let mut rec = AuditRecord {
        tenant: tenant.as_str().to_owned(),
        seq: seq + 1,
        id: r.id.to_string(),
        at: ts(r.at),
        actor_id: r.actor.user.to_string(),
        actor_name: r.actor.name,
        actor_via: r.actor.via,
        kind: r.kind,
        aggregate_type: r.aggregate_type.to_owned(),
        aggregate_id: r.aggregate_id,
        reason: r.reason,
        payload: r.payload,
        prev_hash,
        hash: String::new(),
    };
    rec.hash = record_hash(keys, &rec);
    rec
}

pub(crate) fn conflict_or_missing(
    what: &'static str,
    id: String,
    actual: Option<i64>,
    expected: u64,
) -> StoreError {
    match actual {
        Some(a) => StoreError::Conflict { what, id, actual: a as u64, expected },
        None => StoreError::NotFound { what, id },
    }
}
