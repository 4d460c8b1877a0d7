//! SQL for every query and write of the SQLite backend.

use chrono::{DateTime, SecondsFormat, Utc};
use liaison_core::access::Role;
use liaison_core::collation;
use liaison_core::ids::{DepartmentId, DeputyId, OfficerId, TenantId, UserId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{
    ContactCard, Deputy, DeputyLevel, DeputyStatus, DuplicateKey, IdNumber, KeyMatch,
};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};
use serde::{Deserialize, Serialize};

use crate::audit::{GENESIS, record_hash};
use crate::{
    AuditRecord, DeputyKeys, DeputyQuery, DeputySummary, Keys, MaskedPersonal, NewRecord, Queries,
    StoreError, TokenRecord, UserRecord, WriteTx,
};

pub(crate) const AUDIT_COLUMNS: &str = "tenant_id, seq, id, at, actor_id, actor_name, kind, aggregate_type, aggregate_id, reason, payload, prev_hash, hash";

const SUMMARY_COLUMNS: &str =
    "id, version, name, name_key, level, status, region, delegation, officer_id, department_id, data, masked";

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn uuid_col(s: &str) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("id {s}: {e}")))
}

/// The personal part of a deputy's record: sealed as one value.
#[derive(Serialize, Deserialize, Default)]
struct Personal {
    id_number: Option<IdNumber>,
    contact: ContactCard,
}

fn aad(tenant: &TenantId, id: DeputyId) -> Vec<u8> {
    format!("deputy/{tenant}/{id}").into_bytes()
}

fn masked_of(p: &Personal) -> MaskedPersonal {
    MaskedPersonal::of(p.id_number.as_ref(), &p.contact)
}

pub(crate) fn audit_row(r: &Row<'_>) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        tenant: r.get(0)?,
        seq: r.get::<_, i64>(1)? as u64,
        id: r.get(2)?,
        at: r.get(3)?,
        actor_id: r.get(4)?,
        actor_name: r.get(5)?,
        kind: r.get(6)?,
        aggregate_type: r.get(7)?,
        aggregate_id: r.get(8)?,
        reason: r.get(9)?,
        payload: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

fn level_of(s: &str) -> Result<DeputyLevel, StoreError> {
    DeputyLevel::parse(s).map_err(|_| StoreError::Corrupt(format!("level {s}")))
}

fn status_of(s: &str) -> Result<DeputyStatus, StoreError> {
    DeputyStatus::from_code(s).ok_or_else(|| StoreError::Corrupt(format!("status {s}")))
}

fn summary_row(r: &Row<'_>) -> Result<DeputySummary, StoreError> {
    let opt_id = |i: usize| -> Result<Option<uuid::Uuid>, StoreError> {
        r.get::<_, Option<String>>(i)?.map(|s| uuid_col(&s)).transpose()
    };
    Ok(DeputySummary {
        id: DeputyId(uuid_col(&r.get::<_, String>(0)?)?),
        version: r.get::<_, i64>(1)? as u64,
        name: r.get(2)?,
        name_key: r.get(3)?,
        level: level_of(&r.get::<_, String>(4)?)?,
        status: status_of(&r.get::<_, String>(5)?)?,
        region: r.get(6)?,
        delegation: r.get(7)?,
        officer: opt_id(8)?.map(OfficerId),
        department: opt_id(9)?.map(DepartmentId),
        data: r.get(10)?,
        masked: serde_json::from_str(&r.get::<_, String>(11)?)?,
    })
}

fn user_row(r: &Row<'_>) -> Result<UserRecord, StoreError> {
    let roles: String = r.get(4)?;
    Ok(UserRecord {
        tenant: TenantId::parse(&r.get::<_, String>(0)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        id: UserId(uuid_col(&r.get::<_, String>(1)?)?),
        login: r.get(2)?,
        display_name: r.get(3)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Role::parse(s).map_err(|_| StoreError::Corrupt(format!("role {s}"))))
            .collect::<Result<_, _>>()?,
        active: r.get(5)?,
        created_at: parse_ts(&r.get::<_, String>(6)?)?,
    })
}

const USER_COLUMNS: &str = "u.tenant_id, u.id, u.login, u.display_name, u.roles, u.active, u.created_at";

/// A connection answering queries.
pub(crate) struct Conn<'a> {
    pub(crate) c: &'a Connection,
    pub(crate) keys: &'a Keys,
}

impl Conn<'_> {
    fn summary_where(&self, q: &DeputyQuery, params: &mut Vec<Box<dyn ToSql>>) -> String {
        let mut w = String::from("tenant_id = ?1");
        let mut push = |w: &mut String, cond: &str, v: Box<dyn ToSql>| {
            params.push(v);
            w.push_str(&cond.replace('?', &format!("?{}", params.len())));
        };
        if let Some(l) = q.level {
            push(&mut w, " AND level = ?", Box::new(l.code()));
        }
        if let Some(s) = q.status {
            push(&mut w, " AND status = ?", Box::new(s.code()));
        }
        if let Some(r) = &q.region {
            push(&mut w, " AND region = ?", Box::new(r.clone()));
        }
        if let Some(o) = q.officer {
            push(&mut w, " AND officer_id = ?", Box::new(o.to_string()));
        }
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            if s.bytes().all(|b| b.is_ascii_alphabetic()) {
                let lo = s.to_ascii_lowercase();
                let hi = format!("{lo}{{");
                params.push(Box::new(lo));
                params.push(Box::new(hi));
                let (a, b) = (params.len() - 1, params.len());
                w.push_str(&format!(
                    " AND ((pinyin >= ?{a} AND pinyin < ?{b}) OR (initials >= ?{a} AND initials < ?{b}))"
                ));
            } else {
                params.push(Box::new(s.to_owned()));
                params.push(Box::new(format!("{s}\u{10FFFF}")));
                let (a, b) = (params.len() - 1, params.len());
                w.push_str(&format!(" AND name >= ?{a} AND name < ?{b}"));
            }
        }
        w
    }
}

impl Queries for Conn<'_> {
    fn tenant(&self, tenant: &TenantId) -> Result<Option<String>, StoreError> {
        Ok(self
            .c
            .prepare_cached("SELECT name FROM tenants WHERE id = ?1")?
            .query_row([tenant.as_str()], |r| r.get(0))
            .optional()?)
    }

    fn deputy(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<Deputy>, StoreError> {
        let row: Option<(String, Vec<u8>)> = self
            .c
            .prepare_cached("SELECT data, sealed FROM deputies WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![tenant.as_str(), id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((data, sealed)) = row else { return Ok(None) };
        let mut d: Deputy = serde_json::from_str(&data)?;
        let p: Personal = serde_json::from_slice(&self.keys.open(&aad(tenant, id), &sealed)?)?;
        d.data.id_number = p.id_number;
        d.data.contact = p.contact;
        Ok(Some(d))
    }

    fn deputy_summary(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE tenant_id = ?1 AND id = ?2"
        ))?;
        let mut rows = stmt.query(params![tenant.as_str(), id.to_string()])?;
        rows.next()?.map(summary_row).transpose()
    }

    fn list_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<Vec<DeputySummary>, StoreError> {
        let mut params: Vec<Box<dyn ToSql>> = vec![Box::new(tenant.as_str().to_owned())];
        let mut w = self.summary_where(q, &mut params);
        if let Some((key, id)) = &q.after {
            params.push(Box::new(key.clone()));
            params.push(Box::new(id.to_string()));
            w.push_str(&format!(" AND (name_key, id) > (?{}, ?{})", params.len() - 1, params.len()));
        }
        params.push(Box::new(i64::from(q.limit.max(1))));
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE {w} ORDER BY name_key, id LIMIT ?{}",
            params.len()
        );
        let mut stmt = self.c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(summary_row(r)?);
        }
        Ok(out)
    }

    fn count_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<u64, StoreError> {
        let mut params: Vec<Box<dyn ToSql>> = vec![Box::new(tenant.as_str().to_owned())];
        let w = self.summary_where(q, &mut params);
        let n: i64 = self
            .c
            .prepare_cached(&format!("SELECT count(*) FROM deputies WHERE {w}"))?
            .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    fn current_deputy_refs(&self, tenant: &TenantId) -> Result<Vec<DeputyRef>, StoreError> {
        let mut stmt = self.c.prepare_cached(
            "SELECT id, name, level, region, delegation, officer_id, department_id FROM deputies
             WHERE tenant_id = ?1 AND status IN ('registered', 'in_office') ORDER BY name_key, id",
        )?;
        let mut rows = stmt.query([tenant.as_str()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let opt = |i: usize| -> Result<Option<uuid::Uuid>, StoreError> {
                r.get::<_, Option<String>>(i)?.map(|s| uuid_col(&s)).transpose()
            };
            out.push(DeputyRef {
                id: DeputyId(uuid_col(&r.get::<_, String>(0)?)?),
                name: r.get(1)?,
                level: level_of(&r.get::<_, String>(2)?)?,
                region: r.get(3)?,
                delegation: r.get(4)?,
                officer: opt(5)?.map(OfficerId),
                department: opt(6)?.map(DepartmentId),
            });
        }
        Ok(out)
    }

    fn key_matches(&self, tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError> {
        let mut stmt = self.c.prepare_cached(
            "SELECT k.deputy_id, k.id_hash FROM deputy_keys k
             JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
             WHERE k.tenant_id = ?1 AND k.key = ?2 AND d.status IN ('registered', 'in_office')",
        )?;
        let mut out = Vec::new();
        for k in keys {
            let mut rows = stmt.query(params![tenant.as_str(), k.key])?;
            while let Some(r) = rows.next()? {
                out.push(KeyMatch {
                    existing: DeputyId(uuid_col(&r.get::<_, String>(0)?)?),
                    reason: k.reason,
                    existing_id_hash: r.get(1)?,
                });
            }
        }
        Ok(out)
    }

    fn organisation(&self, tenant: &TenantId) -> Result<Organisation, StoreError> {
        let row: Option<(i64, String)> = self
            .c
            .prepare_cached("SELECT version, data FROM organisations WHERE tenant_id = ?1")?
            .query_row([tenant.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => Ok(Organisation::default()),
            Some((v, data)) => {
                let mut org: Organisation = serde_json::from_str(&data)?;
                org.version = v as u64;
                Ok(org)
            }
        }
    }

    fn user_by_login(&self, tenant: &TenantId, login: &str) -> Result<Option<UserRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = ?1 AND u.login = ?2"
        ))?;
        let mut rows = stmt.query(params![tenant.as_str(), login])?;
        rows.next()?.map(user_row).transpose()
    }

    fn users(&self, tenant: &TenantId) -> Result<Vec<UserRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = ?1 ORDER BY u.login"
        ))?;
        let mut rows = stmt.query([tenant.as_str()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(user_row(r)?);
        }
        Ok(out)
    }

    fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<(UserRecord, String)>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {USER_COLUMNS}, t.id FROM api_tokens t JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.user_id
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active = 1"
        ))?;
        let mut rows = stmt.query([token_hash])?;
        match rows.next()? {
            Some(r) => Ok(Some((user_row(r)?, r.get(7)?))),
            None => Ok(None),
        }
    }

    fn tokens(&self, tenant: &TenantId) -> Result<Vec<TokenRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(
            "SELECT id, tenant_id, user_id, label, created_at, revoked_at FROM api_tokens WHERE tenant_id = ?1
             ORDER BY created_at",
        )?;
        let mut rows = stmt.query([tenant.as_str()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(TokenRecord {
                id: r.get(0)?,
                tenant: tenant.clone(),
                user: UserId(uuid_col(&r.get::<_, String>(2)?)?),
                label: r.get(3)?,
                created_at: parse_ts(&r.get::<_, String>(4)?)?,
                revoked_at: r.get::<_, Option<String>>(5)?.map(|s| parse_ts(&s)).transpose()?,
            });
        }
        Ok(out)
    }

    fn idempotent(&self, tenant: &TenantId, key: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .c
            .prepare_cached(
                "SELECT request_hash, response FROM idempotency WHERE tenant_id = ?1 AND key = ?2",
            )?
            .query_row(params![tenant.as_str(), key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn history(&self, tenant: &TenantId, aggregate_id: &str) -> Result<Vec<AuditRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE tenant_id = ?1 AND aggregate_id = ?2 ORDER BY seq"
        ))?;
        let mut rows = stmt.query(params![tenant.as_str(), aggregate_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(audit_row(r)?);
        }
        Ok(out)
    }
}

/// The writer's view of one job: queries plus writes, with the job's audit-chain head cached.
pub(crate) struct SqliteTx<'a> {
    conn: Conn<'a>,
    heads: std::collections::HashMap<String, (u64, String)>,
}

impl<'a> SqliteTx<'a> {
    pub(crate) fn new(c: &'a Connection, keys: &'a Keys) -> Self {
        Self { conn: Conn { c, keys }, heads: Default::default() }
    }

    fn head(&mut self, tenant: &TenantId) -> Result<(u64, String), StoreError> {
        if let Some(h) = self.heads.get(tenant.as_str()) {
            return Ok(h.clone());
        }
        let h: Option<(i64, String)> = self
            .conn
            .c
            .prepare_cached("SELECT seq, hash FROM audit_log WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT 1")?
            .query_row([tenant.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(h.map(|(s, h)| (s as u64, h)).unwrap_or((0, GENESIS.to_owned())))
    }

    /// Insert (`expected` is `None`) or update the row whose stored version is `expected`.
    fn write_deputy_row(
        &self,
        tenant: &TenantId,
        d: &Deputy,
        expected: Option<u64>,
    ) -> Result<usize, StoreError> {
        let insert = expected.is_none();
        let personal = Personal { id_number: d.data.id_number.clone(), contact: d.data.contact.clone() };
        let mut public = d.clone();
        public.data.id_number = None;
        public.data.contact = ContactCard::default();
        let sealed = self.conn.keys.seal(&aad(tenant, d.id), &serde_json::to_vec(&personal)?)?;
        let name = d.data.name.as_str();
        let syllables = collation::name_pinyin(name);
        let pinyin: String =
            syllables.iter().flat_map(|s| s.chars().filter(|c| c.is_ascii_alphabetic())).collect();
        let values = params![
            tenant.as_str(),
            d.id.to_string(),
            d.version as i64,
            name,
            collation::sort_key(name),
            pinyin,
            collation::initials(name),
            d.data.level.code(),
            d.status.code(),
            d.data.region.as_str(),
            d.data.delegation.as_ref().map(|x| x.as_str()),
            d.responsibility.officer.map(|o| o.to_string()),
            d.responsibility.department.map(|o| o.to_string()),
            serde_json::to_string(&public)?,
            serde_json::to_string(&masked_of(&personal))?,
            sealed,
            ts(Utc::now()),
            expected.unwrap_or(0) as i64,
        ];
        let sql = if insert {
            "INSERT INTO deputies (tenant_id, id, version, name, name_key, pinyin, initials, level, status, region,
                delegation, officer_id, department_id, data, masked, sealed, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        } else {
            "UPDATE deputies SET version = ?3, name = ?4, name_key = ?5, pinyin = ?6, initials = ?7, level = ?8,
                status = ?9, region = ?10, delegation = ?11, officer_id = ?12, department_id = ?13, data = ?14,
                masked = ?15, sealed = ?16, updated_at = ?17
             WHERE tenant_id = ?1 AND id = ?2 AND version = ?18"
        };
        let n = if insert { values.len() - 1 } else { values.len() };
        Ok(self.conn.c.prepare_cached(sql)?.execute(&values[..n])?)
    }

    fn write_keys(
        &self,
        tenant: &TenantId,
        id: DeputyId,
        keys: &DeputyKeys,
        fresh: bool,
    ) -> Result<(), StoreError> {
        if !fresh {
            self.conn
                .c
                .prepare_cached("DELETE FROM deputy_keys WHERE tenant_id = ?1 AND deputy_id = ?2")?
                .execute(params![tenant.as_str(), id.to_string()])?;
        }
        let mut ins = self.conn.c.prepare_cached(
            "INSERT OR IGNORE INTO deputy_keys (tenant_id, key, deputy_id, id_hash) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for k in &keys.keys {
            ins.execute(params![tenant.as_str(), k.key, id.to_string(), keys.id_hash])?;
        }
        Ok(())
    }
}

macro_rules! delegate_queries {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        impl Queries for SqliteTx<'_> {
            $(fn $name(&self, $($arg: $ty),*) -> $ret { self.conn.$name($($arg),*) })*
        }
    };
}

delegate_queries! {
    tenant(tenant: &TenantId) -> Result<Option<String>, StoreError>;
    deputy(tenant: &TenantId, id: DeputyId) -> Result<Option<Deputy>, StoreError>;
    deputy_summary(tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError>;
    list_deputies(tenant: &TenantId, q: &DeputyQuery) -> Result<Vec<DeputySummary>, StoreError>;
    count_deputies(tenant: &TenantId, q: &DeputyQuery) -> Result<u64, StoreError>;
    current_deputy_refs(tenant: &TenantId) -> Result<Vec<DeputyRef>, StoreError>;
    key_matches(tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError>;
    organisation(tenant: &TenantId) -> Result<Organisation, StoreError>;
    user_by_login(tenant: &TenantId, login: &str) -> Result<Option<UserRecord>, StoreError>;
    users(tenant: &TenantId) -> Result<Vec<UserRecord>, StoreError>;
    user_by_token_hash(token_hash: &str) -> Result<Option<(UserRecord, String)>, StoreError>;
    tokens(tenant: &TenantId) -> Result<Vec<TokenRecord>, StoreError>;
    idempotent(tenant: &TenantId, key: &str) -> Result<Option<(String, String)>, StoreError>;
    history(tenant: &TenantId, aggregate_id: &str) -> Result<Vec<AuditRecord>, StoreError>;
}

impl WriteTx for SqliteTx<'_> {
    fn insert_tenant(&mut self, tenant: &TenantId, name: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .c
            .prepare_cached("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![tenant.as_str(), name, ts(at)])
            .map_err(|e| unique(e, || format!("tenant {tenant}")))?;
        Ok(())
    }

    fn append(&mut self, tenant: &TenantId, r: NewRecord) -> Result<u64, StoreError> {
        let (seq, prev_hash) = self.head(tenant)?;
        let mut rec = AuditRecord {
            tenant: tenant.as_str().to_owned(),
            seq: seq + 1,
            id: r.id.to_string(),
            at: ts(r.at),
            actor_id: r.actor.user.to_string(),
            actor_name: r.actor.name,
            kind: r.kind,
            aggregate_type: r.aggregate_type.to_owned(),
            aggregate_id: r.aggregate_id,
            reason: r.reason,
            payload: r.payload,
            prev_hash,
            hash: String::new(),
        };
        rec.hash = record_hash(self.conn.keys, &rec);
        self.conn
            .c
            .prepare_cached(&format!(
                "INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))?
            .execute(params![
                rec.tenant,
                rec.seq as i64,
                rec.id,
                rec.at,
                rec.actor_id,
                rec.actor_name,
                rec.kind,
                rec.aggregate_type,
                rec.aggregate_id,
                rec.reason,
                rec.payload,
                rec.prev_hash,
                rec.hash
            ])?;
        self.heads.insert(rec.tenant, (rec.seq, rec.hash));
        Ok(seq + 1)
    }

    fn insert_deputy(&mut self, tenant: &TenantId, d: &Deputy, keys: &DeputyKeys) -> Result<(), StoreError> {
        self.write_deputy_row(tenant, d, None).map_err(|e| match e {
            StoreError::Db(e) => unique(e, || format!("deputy {}", d.id)),
            e => e,
        })?;
        self.write_keys(tenant, d.id, keys, true)
    }

    fn insert_keys(
        &mut self,
        tenant: &TenantId,
        keys: &[(String, DeputyId, Option<String>)],
    ) -> Result<(), StoreError> {
        let mut ins = self.conn.c.prepare_cached(
            "INSERT OR IGNORE INTO deputy_keys (tenant_id, key, deputy_id, id_hash) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (key, id, hash) in keys {
            ins.execute(params![tenant.as_str(), key, id.to_string(), hash])?;
        }
        Ok(())
    }

    fn update_deputy(
        &mut self,
        tenant: &TenantId,
        d: &Deputy,
        expected: u64,
        keys: &DeputyKeys,
    ) -> Result<(), StoreError> {
        if d.version <= expected {
            return Err(StoreError::Corrupt(format!("deputy {} saved without a new version", d.id)));
        }
        if self.write_deputy_row(tenant, d, Some(expected))? == 0 {
            let actual: Option<i64> = self
                .conn
                .c
                .prepare_cached("SELECT version FROM deputies WHERE tenant_id = ?1 AND id = ?2")?
                .query_row(params![tenant.as_str(), d.id.to_string()], |r| r.get(0))
                .optional()?;
            return Err(match actual {
                Some(a) => {
                    StoreError::Conflict { what: "deputy", id: d.id.to_string(), actual: a as u64, expected }
                }
                None => StoreError::NotFound { what: "deputy", id: d.id.to_string() },
            });
        }
        self.write_keys(tenant, d.id, keys, false)
    }

    fn save_organisation(
        &mut self,
        tenant: &TenantId,
        org: &Organisation,
        expected: u64,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(org)?;
        let n = if expected == 0 {
            self.conn
                .c
                .prepare_cached(
                    "INSERT INTO organisations (tenant_id, version, data) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                )?
                .execute(params![tenant.as_str(), org.version as i64, data])?
        } else {
            self.conn
                .c
                .prepare_cached(
                    "UPDATE organisations SET version = ?2, data = ?3 WHERE tenant_id = ?1 AND version = ?4",
                )?
                .execute(params![tenant.as_str(), org.version as i64, data, expected as i64])?
        };
        if n == 0 {
            let actual = self.conn.organisation(tenant)?.version;
            return Err(StoreError::Conflict {
                what: "organisation",
                id: tenant.to_string(),
                actual,
                expected,
            });
        }
        Ok(())
    }

    fn insert_user(&mut self, u: &UserRecord) -> Result<(), StoreError> {
        let roles: Vec<&str> = u.roles.iter().map(|r| r.code()).collect();
        self.conn
            .c
            .prepare_cached(
                "INSERT INTO users (tenant_id, id, login, display_name, roles, active, version, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)",
            )?
            .execute(params![
                u.tenant.as_str(),
                u.id.to_string(),
                u.login,
                u.display_name,
                roles.join(","),
                u.active,
                ts(u.created_at)
            ])
            .map_err(|e| unique(e, || format!("login {}", u.login)))?;
        Ok(())
    }

    fn insert_token(&mut self, t: &TokenRecord, token_hash: &str) -> Result<(), StoreError> {
        self.conn
            .c
            .prepare_cached(
                "INSERT INTO api_tokens (id, tenant_id, user_id, token_hash, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![t.id, t.tenant.as_str(), t.user.to_string(), token_hash, t.label, ts(t.created_at)])?;
        Ok(())
    }

    fn revoke_token(
        &mut self,
        tenant: &TenantId,
        token_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = self
            .conn
            .c
            .prepare_cached(
                "UPDATE api_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND revoked_at IS NULL",
            )?
            .execute(params![tenant.as_str(), token_id, ts(at)])?;
        Ok(n == 1)
    }

    fn save_idempotent(
        &mut self,
        tenant: &TenantId,
        key: &str,
        request_hash: &str,
        response: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .c
            .prepare_cached(
                "INSERT INTO idempotency (tenant_id, key, request_hash, response, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![tenant.as_str(), key, request_hash, response, ts(at)])
            .map_err(|e| unique(e, || format!("idempotency key {key}")))?;
        Ok(())
    }
}

fn unique(e: rusqlite::Error, what: impl Fn() -> String) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Taken(what())
        }
        _ => StoreError::Db(e),
    }
}
