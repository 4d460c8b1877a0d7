//! SQL for every query and write of the SQLite backend.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use liaison_core::ids::{DeputyId, TenantId, UserId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{Deputy, DuplicateKey, KeyMatch};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::audit::GENESIS;
use crate::batch;
use crate::records::{self, Cell, Exec};
use crate::rows::*;
use crate::{
    AuditRecord, BatchState, DeputyKeys, DeputyQuery, DeputySummary, Keys, LinkRecord, NewRecord, Queries,
    RecordQuery, RecordRow, StoreError, StoredRecord, TokenRecord, UserRecord, WriteTx,
};

impl RowLike for Row<'_> {
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.get(i)?)
    }
    fn boolean(&self, i: usize) -> Result<bool, StoreError> {
        Ok(self.get(i)?)
    }
    fn lossy(&self, i: usize) -> String {
        use rusqlite::types::ValueRef;
        match self.get_ref(i) {
            Ok(ValueRef::Text(b) | ValueRef::Blob(b)) => String::from_utf8_lossy(b).into_owned(),
            Ok(ValueRef::Integer(n)) => n.to_string(),
            Ok(ValueRef::Real(x)) => x.to_string(),
            Ok(ValueRef::Null) | Err(_) => String::new(),
        }
    }
    fn lossy_opt(&self, i: usize) -> Option<String> {
        match self.get_ref(i) {
            Ok(rusqlite::types::ValueRef::Null) => None,
            _ => Some(self.lossy(i)),
        }
    }
    fn bytes(&self, i: usize) -> Vec<u8> {
        use rusqlite::types::ValueRef;
        match self.get_ref(i) {
            Ok(ValueRef::Text(b) | ValueRef::Blob(b)) => b.to_vec(),
            _ => Vec::new(),
        }
    }
}

fn ph(n: usize) -> String {
    format!("?{n}")
}

fn sql_params(ps: &[Param]) -> Vec<Box<dyn ToSql>> {
    ps.iter()
        .map(|p| -> Box<dyn ToSql> {
            match p {
                Param::Text(s) => Box::new(s.clone()),
                Param::Int(i) => Box::new(*i),
                Param::Null => Box::new(rusqlite::types::Null),
            }
        })
        .collect()
}

fn collect<T>(
    stmt: &mut rusqlite::Statement<'_>,
    p: impl rusqlite::Params,
    f: fn(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut rows = stmt.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(f(r)?);
    }
    Ok(out)
}

/// A connection answering queries.
pub(crate) struct Conn<'a> {
    pub(crate) c: &'a Connection,
    pub(crate) keys: &'a Keys,
}

impl Exec for Conn<'_> {
    fn exec(&self, sql: &str, ps: &[Param]) -> Result<u64, StoreError> {
        let values = sql_params(ps);
        let mut stmt = self.c.prepare_cached(&sql.replace('$', "?"))?;
        stmt.execute(rusqlite::params_from_iter(values.iter()))
            .map(|n| n as u64)
            .map_err(|e| unique(e, || "record".to_owned()))
    }

    fn fetch(&self, sql: &str, ps: &[Param]) -> Result<Vec<Vec<Cell>>, StoreError> {
        use rusqlite::types::ValueRef;
        let values = sql_params(ps);
        let mut stmt = self.c.prepare_cached(&sql.replace('$', "?"))?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Real(f) => Cell::Text(f.to_string()),
                    ValueRef::Blob(_) => Cell::Null,
                });
            }
            out.push(row);
        }
        Ok(out)
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
            .prepare_cached(&format!(
                "SELECT data, sealed FROM deputies WHERE tenant_id = ?1 AND id = ?2 AND {VISIBLE}"
            ))?
            .query_row(params![tenant.as_str(), id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(data, sealed)| open_deputy(self.keys, tenant, id, &data, &sealed)).transpose()
    }

    fn deputy_summary(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE tenant_id = ?1 AND id = ?2 AND {VISIBLE}"
        ))?;
        let mut rows = stmt.query(params![tenant.as_str(), id.to_string()])?;
        rows.next()?.map(summary_row).transpose()
    }

    fn list_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<Vec<DeputySummary>, StoreError> {
        let (w, mut ps) = deputy_where(tenant, q, ph, true);
        ps.push(Param::Int(i64::from(q.limit.max(1))));
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE {w} ORDER BY name_key, id LIMIT {}",
            ph(ps.len())
        );
        let values = sql_params(&ps);
        let mut stmt = self.c.prepare_cached(&sql)?;
        collect(&mut stmt, rusqlite::params_from_iter(values.iter()), |r| summary_row(r))
    }

    fn count_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<u64, StoreError> {
        let (w, ps) = deputy_where(tenant, q, ph, false);
        let values = sql_params(&ps);
        let n: i64 = self
            .c
            .prepare_cached(&format!("SELECT count(*) FROM deputies WHERE {w}"))?
            .query_row(rusqlite::params_from_iter(values.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    fn current_deputy_refs(&self, tenant: &TenantId) -> Result<Vec<DeputyRef>, StoreError> {
        let mut stmt = self.c.prepare_cached(
            &format!("SELECT id, name, level, region, delegation, officer_id, department_id FROM deputies
             WHERE tenant_id = ?1 AND status IN ('registered', 'in_office') AND {VISIBLE} ORDER BY name_key, id"),
        )?;
        collect(&mut stmt, [tenant.as_str()], |r| ref_row(r))
    }

    fn key_matches(&self, tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError> {
        let mut stmt = self.c.prepare_cached(
            &format!("SELECT k.deputy_id, k.id_hash FROM deputy_keys k
             JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
             WHERE k.tenant_id = ?1 AND k.key = ?2 AND d.status IN ('registered', 'in_office') AND {VISIBLE_D}"),
        )?;
        let mut out = Vec::new();
        for k in keys {
            let mut rows = stmt.query(params![tenant.as_str(), k.key])?;
            while let Some(r) = rows.next()? {
                out.push(KeyMatch {
                    existing: DeputyId(uuid_col(&r.text(0)?)?),
                    reason: k.reason,
                    existing_id_hash: r.opt_text(1)?,
                });
            }
        }
        Ok(out)
    }

    fn chain_seq(&self, tenant: &TenantId) -> Result<Option<u64>, StoreError> {
        let seq: Option<i64> = self
            .c
            .prepare_cached("SELECT max(seq) FROM audit_log WHERE tenant_id = ?1")?
            .query_row([tenant.as_str()], |r| r.get(0))?;
        Ok(seq.map(|s| s as u64))
    }

    fn deputy_keys_between(
        &self,
        tenant: &TenantId,
        after: Option<u64>,
        before: Option<u64>,
    ) -> Result<Vec<(String, DeputyId, Option<String>)>, StoreError> {
        let (after, before) = (after.map_or(-1, |s| s as i64), before.map_or(i64::MAX, |s| s as i64));
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT k.key, k.deputy_id, k.id_hash
             FROM (SELECT DISTINCT aggregate_id FROM audit_log
                   WHERE tenant_id = ?1 AND seq > ?2 AND seq < ?3 AND aggregate_type = 'deputy') a
             JOIN deputy_keys k INDEXED BY deputy_keys_by_deputy ON k.tenant_id = ?1 AND k.deputy_id = a.aggregate_id
             JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
             WHERE d.status IN ('registered', 'in_office') AND {VISIBLE_D}"
        ))?;
        let mut rows = stmt.query(params![tenant.as_str(), after, before])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((r.text(0)?, DeputyId(uuid_col(&r.text(1)?)?), r.opt_text(2)?));
        }
        Ok(out)
    }

    fn organisation(&self, tenant: &TenantId) -> Result<Organisation, StoreError> {
        let row: Option<(i64, String)> = self
            .c
            .prepare_cached("SELECT version, data FROM organisations WHERE tenant_id = ?1")?
            .query_row([tenant.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        organisation_of(row)
    }

    fn user_by_login(&self, tenant: &TenantId, login: &str) -> Result<Option<UserRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = ?1 AND u.login = ?2"
        ))?;
        Ok(collect(&mut stmt, params![tenant.as_str(), login], |r| user_row(r))?.pop())
    }

    fn users(&self, tenant: &TenantId) -> Result<Vec<UserRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = ?1 ORDER BY u.login"
        ))?;
        collect(&mut stmt, [tenant.as_str()], |r| user_row(r))
    }

    fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<(UserRecord, TokenRecord)>, StoreError> {
        let mut stmt = self.c.prepare_cached(TOKEN_USER_SQL)?;
        Ok(collect(&mut stmt, [token_hash], |r| token_user_row(r))?.pop())
    }

    fn tokens(&self, tenant: &TenantId) -> Result<Vec<TokenRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(TOKENS_SQL)?;
        collect(&mut stmt, [tenant.as_str()], |r| token_row(r))
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
        collect(&mut stmt, params![tenant.as_str(), aggregate_id], |r| audit_row(r))
    }

    fn audit_records(&self, t: &TenantId, q: &crate::AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        crate::trail::audit_records(self, t, q)
    }

    fn audit_times(
        &self,
        t: &TenantId,
        actor: &str,
        kind: &str,
        from: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> Result<Vec<chrono::DateTime<chrono::Utc>>, StoreError> {
        crate::trail::audit_times(self, t, actor, kind, from, limit)
    }

    fn audit_record_at(&self, t: &TenantId, seq: u64) -> Result<Option<AuditRecord>, StoreError> {
        crate::trail::audit_record_at(self, t, seq)
    }

    fn record(&self, t: &TenantId, kind: &str, id: &str) -> Result<Option<StoredRecord>, StoreError> {
        records::record(self, t, kind, id)
    }

    fn record_by_number(
        &self,
        t: &TenantId,
        kind: &str,
        n: &str,
    ) -> Result<Option<StoredRecord>, StoreError> {
        records::record_by_number(self, t, kind, n)
    }

    fn records(&self, t: &TenantId, kind: &str, q: &RecordQuery) -> Result<Vec<StoredRecord>, StoreError> {
        records::list_records(self, t, kind, q)
    }

    fn record_summaries(
        &self,
        t: &TenantId,
        kind: &str,
        q: &RecordQuery,
    ) -> Result<Vec<records::Summary>, StoreError> {
        records::list_summaries(self, t, kind, q)
    }

    fn link_by_hash(&self, hash: &str) -> Result<Option<LinkRecord>, StoreError> {
        records::link_by_hash(self, hash)
    }

    fn batches_to_clear(
        &self,
        tenant: &TenantId,
        stale_before: DateTime<Utc>,
    ) -> Result<Vec<(String, BatchState)>, StoreError> {
        batch::to_clear(self, tenant, stale_before)
    }
}

/// The writer's view of one job: queries plus writes, with the job's audit-chain head cached.
pub(crate) struct SqliteTx<'a> {
    conn: Conn<'a>,
    heads: HashMap<String, Head>,
}

impl<'a> SqliteTx<'a> {
    pub(crate) fn new(c: &'a Connection, keys: &'a Keys) -> Self {
        Self { conn: Conn { c, keys }, heads: HashMap::new() }
    }

    fn head(&mut self, tenant: &TenantId) -> Result<Head, StoreError> {
        if let Some(h) = self.heads.get(tenant.as_str()) {
            return Ok(h.clone());
        }
        let h: Option<(i64, String, String)> = self
            .conn
            .c
            .prepare_cached(
                "SELECT seq, hash, at FROM audit_log WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([tenant.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(match h {
            Some((seq, hash, at)) => Head { seq: seq as u64, hash, at: Some(parse_ts(&at)?) },
            None => Head { seq: 0, hash: GENESIS.to_owned(), at: None },
        })
    }

    /// Insert (`expected` is `None`) or update the row whose stored version is `expected`.
    fn write_deputy_row(
        &self,
        tenant: &TenantId,
        d: &Deputy,
        expected: Option<u64>,
    ) -> Result<usize, StoreError> {
        let r = DeputyRow::prepare(self.conn.keys, tenant, d)?;
        self.write_row(tenant, &r, expected, None)
    }

    /// Insert (`expected` none, under an import `batch` or none) or update a deputy's row.
    fn write_row(
        &self,
        tenant: &TenantId,
        r: &DeputyRow,
        expected: Option<u64>,
        batch: Option<&str>,
    ) -> Result<usize, StoreError> {
        let exp = expected.unwrap_or(0) as i64;
        let last: &dyn rusqlite::ToSql = if expected.is_some() { &exp } else { &batch };
        let values = params![
            tenant.as_str(),
            r.id,
            r.version,
            r.name,
            r.name_key,
            r.pinyin,
            r.initials,
            r.level,
            r.status,
            r.region,
            r.delegation,
            r.officer,
            r.department,
            r.data,
            r.masked,
            r.sealed,
            r.updated_at,
            last,
        ];
        let sql = if expected.is_some() { DEPUTY_UPDATE_SQL } else { DEPUTY_INSERT_SQL };
        Ok(self.conn.c.prepare_cached(&sql.replace('$', "?"))?.execute(values)?)
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
        let mut ins = self.conn.c.prepare_cached(KEY_INSERT_SQL)?;
        for k in &keys.keys {
            ins.execute(params![tenant.as_str(), k.key, id.to_string(), keys.id_hash])?;
        }
        Ok(())
    }
}

crate::rows::queries_through_conn!(SqliteTx<'_>);

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
        let head = self.head(tenant)?;
        check_chronology(&head, r.at)?;
        let (seq, at) = (head.seq, r.at);
        let rec = chain_record(self.conn.keys, tenant, r, seq, head.hash);
        self.conn
            .c
            .prepare_cached(&format!(
                "INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
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
                rec.hash,
                rec.actor_via
            ])?;
        self.heads.insert(rec.tenant, Head { seq: rec.seq, hash: rec.hash, at: Some(at) });
        Ok(seq + 1)
    }

    fn insert_deputy(&mut self, tenant: &TenantId, d: &Deputy, keys: &DeputyKeys) -> Result<(), StoreError> {
        self.write_deputy_row(tenant, d, None).map_err(|e| match e {
            StoreError::Db(e) => unique(e, || format!("deputy {}", d.id)),
            e => e,
        })?;
        self.write_keys(tenant, d.id, keys, true)
    }

    fn insert_prepared_deputy(&mut self, tenant: &TenantId, d: &PreparedDeputy) -> Result<(), StoreError> {
        self.write_row(tenant, &d.row, None, None).map_err(|e| match e {
            StoreError::Db(e) => unique(e, || format!("deputy {}", d.id())),
            e => e,
        })?;
        Ok(())
    }

    fn begin_batch(&mut self, tenant: &TenantId, batch: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        batch::begin(&self.conn, tenant, batch, at)
    }

    fn stage_deputies(
        &mut self,
        tenant: &TenantId,
        batch: &str,
        deputies: &[PreparedDeputy],
        keys: &[(String, DeputyId, Option<String>)],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        batch::heartbeat(&self.conn, tenant, batch, at)?;
        for d in deputies {
            self.write_row(tenant, &d.row, None, Some(batch)).map_err(|e| match e {
                StoreError::Db(e) => unique(e, || format!("deputy {}", d.id())),
                e => e,
            })?;
        }
        self.insert_keys(tenant, keys)
    }

    fn end_batch(
        &mut self,
        tenant: &TenantId,
        batch: &str,
        to: BatchState,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        batch::end(&self.conn, tenant, batch, to, at)
    }

    fn wipe_batch(&mut self, tenant: &TenantId, batch: &str, limit: u32) -> Result<u64, StoreError> {
        batch::wipe(&self.conn, tenant, batch, limit)
    }

    fn insert_keys(
        &mut self,
        tenant: &TenantId,
        keys: &[(String, DeputyId, Option<String>)],
    ) -> Result<(), StoreError> {
        let mut ins = self.conn.c.prepare_cached(KEY_INSERT_SQL)?;
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
            return Err(conflict_or_missing("deputy", d.id.to_string(), actual, expected));
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
                .prepare_cached("INSERT INTO organisations (tenant_id, version, data) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")?
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
        self.conn
            .c
            .prepare_cached(
                "INSERT INTO users (tenant_id, id, login, display_name, roles, active, version, created_at,
                 deputy_id, department_id, kind, pending, officer_grant)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                u.tenant.as_str(),
                u.id.to_string(),
                u.login,
                u.display_name,
                roles_text(u),
                u.active,
                u.version as i64,
                ts(u.created_at),
                u.deputy.map(|d| d.to_string()),
                u.department.map(|d| d.to_string()),
                u.kind.code(),
                pending_json(u)?,
                grant_json(u)?,
            ])
            .map_err(|e| unique(e, || format!("login {}", u.login)))?;
        Ok(())
    }

    fn update_user(&mut self, u: &UserRecord, expected: u64) -> Result<(), StoreError> {
        let n = self
            .conn
            .c
            .prepare_cached(
                "UPDATE users SET roles = ?3, active = ?4, version = ?5, department_id = ?6, pending = ?7,
                 officer_grant = ?9 WHERE tenant_id = ?1 AND id = ?2 AND version = ?8",
            )?
            .execute(params![
                u.tenant.as_str(),
                u.id.to_string(),
                roles_text(u),
                u.active,
                u.version as i64,
                u.department.map(|d| d.to_string()),
                pending_json(u)?,
                expected as i64,
                grant_json(u)?,
            ])?;
        if n == 0 {
            let actual = self.conn.user_by_login(&u.tenant, &u.login)?.map(|x| x.version as i64);
            return Err(conflict_or_missing("user", u.login.clone(), actual, expected));
        }
        Ok(())
    }

    fn revoke_user_tokens(
        &mut self,
        tenant: &TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        crate::accounts::revoke_user_tokens(&self.conn, tenant, user, at)
    }

    fn set_token_times(
        &mut self,
        tenant: &TenantId,
        token_id: &str,
        expires_at: Option<DateTime<Utc>>,
        last_used_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        crate::accounts::set_token_times(&self.conn, tenant, token_id, expires_at, last_used_at)
    }

    fn revoke_links(
        &mut self,
        tenant: &TenantId,
        kind: &str,
        record_id: &str,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::accounts::revoke_links(&self.conn, tenant, kind, record_id, at)
    }

    fn insert_token(&mut self, t: &TokenRecord, token_hash: &str) -> Result<(), StoreError> {
        self.conn
            .c
            .prepare_cached(
                "INSERT INTO api_tokens (id, tenant_id, user_id, token_hash, label, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                t.id,
                t.tenant.as_str(),
                t.user.to_string(),
                token_hash,
                t.label,
                ts(t.created_at),
                t.expires_at.map(ts)
            ])?;
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
            .prepare_cached("UPDATE api_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND revoked_at IS NULL")?
            .execute(params![tenant.as_str(), token_id, ts(at)])?;
        Ok(n == 1)
    }

    fn insert_record(&mut self, tenant: &TenantId, row: &RecordRow) -> Result<(), StoreError> {
        records::write_record(&self.conn, tenant, row, None)
    }

    fn update_record(&mut self, tenant: &TenantId, row: &RecordRow, expected: u64) -> Result<(), StoreError> {
        records::write_record(&self.conn, tenant, row, Some(expected))
    }

    fn next_number(&mut self, tenant: &TenantId, name: &str) -> Result<u64, StoreError> {
        records::next_number(&self.conn, tenant, name)
    }

    fn insert_link(&mut self, link: &LinkRecord, hash: &str) -> Result<(), StoreError> {
        records::insert_link(&self.conn, link, hash)
    }

    fn revoke_deputy_links(
        &mut self,
        tenant: &TenantId,
        kind: &str,
        record_id: &str,
        deputy_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        records::revoke_deputy_links(&self.conn, tenant, kind, record_id, deputy_id)
    }

    fn use_link(&mut self, tenant: &TenantId, id: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        records::use_link(&self.conn, tenant, id, at)
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
            .prepare_cached("INSERT INTO idempotency (tenant_id, key, request_hash, response, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
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
