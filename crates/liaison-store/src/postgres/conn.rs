//! SQL for every query and write of the PostgreSQL backend.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use deadpool_postgres::ClientWrapper;
use liaison_core::ids::{DeputyId, TenantId, UserId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{Deputy, DuplicateKey, KeyMatch};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use super::wait;
use crate::audit::GENESIS;
use crate::batch;
use crate::records::{self, Cell, Exec};
use crate::rows::*;
use crate::{
    AuditRecord, BatchState, DeputyKeys, DeputyQuery, DeputySummary, Keys, LinkRecord, NewRecord, Queries,
    RecordQuery, RecordRow, StoreError, StoredRecord, TokenRecord, UserRecord, WriteTx,
};

impl RowLike for Row {
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn boolean(&self, i: usize) -> Result<bool, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn lossy(&self, i: usize) -> String {
        self.lossy_opt(i).unwrap_or_default()
    }
    fn lossy_opt(&self, i: usize) -> Option<String> {
        match self.try_get::<_, Option<String>>(i) {
            Ok(v) => v,
            Err(_) => match self.try_get::<_, Option<i64>>(i) {
                Ok(v) => v.map(|n| n.to_string()),
                Err(_) => self
                    .try_get::<_, Option<Vec<u8>>>(i)
                    .ok()
                    .flatten()
                    .map(|b| String::from_utf8_lossy(&b).into_owned()),
            },
        }
    }
    fn bytes(&self, i: usize) -> Vec<u8> {
        self.try_get::<_, Option<Vec<u8>>>(i).ok().flatten().unwrap_or_default()
    }
}

fn ph(n: usize) -> String {
    format!("${n}")
}

type P<'a> = &'a (dyn ToSql + Sync);

fn boxed(ps: &[Param]) -> Vec<Box<dyn ToSql + Sync + Send>> {
    ps.iter()
        .map(|p| -> Box<dyn ToSql + Sync + Send> {
            match p {
                Param::Text(s) => Box::new(s.clone()),
                Param::Int(i) => Box::new(*i),
                Param::Null => Box::new(None::<String>),
            }
        })
        .collect()
}

fn refs(b: &[Box<dyn ToSql + Sync + Send>]) -> Vec<P<'_>> {
    b.iter().map(|x| -> P<'_> { x.as_ref() }).collect()
}

fn taken(e: tokio_postgres::Error, what: impl Fn() -> String) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) { StoreError::Taken(what()) } else { StoreError::Pg(e) }
}

/// A pooled connection answering queries.
pub(crate) struct PgConn<'a> {
    pub(crate) c: &'a ClientWrapper,
    pub(crate) keys: &'a Keys,
}

impl PgConn<'_> {
    fn query(&self, sql: &str, params: &[P<'_>]) -> Result<Vec<Row>, StoreError> {
        let stmt = wait(self.c.prepare_cached(sql))?;
        Ok(wait(self.c.query(&stmt, params))?)
    }

    fn query_opt(&self, sql: &str, params: &[P<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    fn execute(&self, sql: &str, params: &[P<'_>]) -> Result<u64, tokio_postgres::Error> {
        let stmt = wait(self.c.prepare_cached(sql))?;
        wait(self.c.execute(&stmt, params))
    }

    fn map<T>(
        &self,
        sql: &str,
        params: &[P<'_>],
        f: fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.query(sql, params)?.iter().map(f).collect()
    }
}

impl Exec for PgConn<'_> {
    fn exec(&self, sql: &str, ps: &[Param]) -> Result<u64, StoreError> {
        let b = boxed(ps);
        self.execute(sql, &refs(&b)).map_err(|e| taken(e, || "record".to_owned()))
    }

    fn fetch(&self, sql: &str, ps: &[Param]) -> Result<Vec<Vec<Cell>>, StoreError> {
        use tokio_postgres::types::Type;
        let b = boxed(ps);
        let rows = self.query(sql, &refs(&b))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = Vec::with_capacity(r.len());
            for (i, c) in r.columns().iter().enumerate() {
                let cell = match *c.type_() {
                    Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
                    Type::INT4 => {
                        r.try_get::<_, Option<i32>>(i)?.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))
                    }
                    _ => r.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text),
                };
                row.push(cell);
            }
            out.push(row);
        }
        Ok(out)
    }
}

impl Queries for PgConn<'_> {
    fn tenant(&self, tenant: &TenantId) -> Result<Option<String>, StoreError> {
        self.query_opt("SELECT name FROM tenants WHERE id = $1", &[&tenant.as_str()])?
            .map(|r| r.text(0))
            .transpose()
    }

    fn deputy(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<Deputy>, StoreError> {
        let row = self.query_opt(
            &format!("SELECT data, sealed FROM deputies WHERE tenant_id = $1 AND id = $2 AND {VISIBLE}"),
            &[&tenant.as_str(), &id.to_string()],
        )?;
        row.map(|r| {
            let sealed: Vec<u8> = r.try_get(1)?;
            open_deputy(self.keys, tenant, id, &r.text(0)?, &sealed)
        })
        .transpose()
    }

    fn deputy_summary(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError> {
        let sql =
            format!("SELECT {SUMMARY_COLUMNS} FROM deputies WHERE tenant_id = $1 AND id = $2 AND {VISIBLE}");
        self.query_opt(&sql, &[&tenant.as_str(), &id.to_string()])?.map(|r| summary_row(&r)).transpose()
    }

    fn list_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<Vec<DeputySummary>, StoreError> {
        let (w, mut ps) = deputy_where(tenant, q, ph, true);
        ps.push(Param::Int(i64::from(q.limit.max(1))));
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE {w} ORDER BY name_key, id LIMIT {}",
            ph(ps.len())
        );
        let b = boxed(&ps);
        self.map(&sql, &refs(&b), summary_row)
    }

    fn count_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<u64, StoreError> {
        let (w, ps) = deputy_where(tenant, q, ph, false);
        let b = boxed(&ps);
        let rows = self.query(&format!("SELECT count(*) FROM deputies WHERE {w}"), &refs(&b))?;
        Ok(rows.first().map(|r| r.int(0)).transpose()?.unwrap_or(0) as u64)
    }

    fn current_deputy_refs(&self, tenant: &TenantId) -> Result<Vec<DeputyRef>, StoreError> {
        self.map(
            &format!("SELECT id, name, level, region, delegation, officer_id, department_id FROM deputies
             WHERE tenant_id = $1 AND status IN ('registered', 'in_office') AND {VISIBLE} ORDER BY name_key, id"),
            &[&tenant.as_str()],
            ref_row,
        )
    }

    fn key_matches(&self, tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError> {
        let mut out = Vec::new();
        for k in keys {
            let rows = self.query(
                &format!("SELECT k.deputy_id, k.id_hash FROM deputy_keys k
                 JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
                 WHERE k.tenant_id = $1 AND k.key = $2 AND d.status IN ('registered', 'in_office') AND {VISIBLE_D}"),
                &[&tenant.as_str(), &k.key],
            )?;
            for r in rows {
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
        let row =
            self.query_opt("SELECT max(seq) FROM audit_log WHERE tenant_id = $1", &[&tenant.as_str()])?;
        let seq: Option<i64> = match row {
            Some(r) => r.try_get(0)?,
            None => None,
        };
        Ok(seq.map(|s| s as u64))
    }

    fn deputy_keys_between(
        &self,
        tenant: &TenantId,
        after: Option<u64>,
        before: Option<u64>,
    ) -> Result<Vec<(String, DeputyId, Option<String>)>, StoreError> {
        let (after, before) = (after.map_or(-1, |s| s as i64), before.map_or(i64::MAX, |s| s as i64));
        let rows = self.query(
            &format!(
                "SELECT k.key, k.deputy_id, k.id_hash
             FROM (SELECT DISTINCT aggregate_id FROM audit_log
                   WHERE tenant_id = $1 AND seq > $2 AND seq < $3 AND aggregate_type = 'deputy') a
             JOIN deputy_keys k ON k.tenant_id = $1 AND k.deputy_id = a.aggregate_id
             JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
             WHERE d.status IN ('registered', 'in_office') AND {VISIBLE_D}"
            ),
            &[&tenant.as_str(), &after, &before],
        )?;
        rows.iter().map(|r| Ok((r.text(0)?, DeputyId(uuid_col(&r.text(1)?)?), r.opt_text(2)?))).collect()
    }

    fn organisation(&self, tenant: &TenantId) -> Result<Organisation, StoreError> {
        let row = self
            .query_opt("SELECT version, data FROM organisations WHERE tenant_id = $1", &[&tenant.as_str()])?;
        organisation_of(row.map(|r| Ok::<_, StoreError>((r.int(0)?, r.text(1)?))).transpose()?)
    }

    fn user_by_login(&self, tenant: &TenantId, login: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 AND u.login = $2");
        Ok(self.map(&sql, &[&tenant.as_str(), &login], user_row)?.pop())
    }

    fn users(&self, tenant: &TenantId) -> Result<Vec<UserRecord>, StoreError> {
        self.map(
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 ORDER BY u.login"),
            &[&tenant.as_str()],
            user_row,
        )
    }

    fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<(UserRecord, TokenRecord)>, StoreError> {
        Ok(self.map(TOKEN_USER_SQL, &[&token_hash], token_user_row)?.pop())
    }

    fn tokens(&self, tenant: &TenantId) -> Result<Vec<TokenRecord>, StoreError> {
        self.map(TOKENS_SQL, &[&tenant.as_str()], token_row)
    }

    fn idempotent(&self, tenant: &TenantId, key: &str) -> Result<Option<(String, String)>, StoreError> {
        let row = self.query_opt(
            "SELECT request_hash, response FROM idempotency WHERE tenant_id = $1 AND key = $2",
            &[&tenant.as_str(), &key],
        )?;
        row.map(|r| Ok((r.text(0)?, r.text(1)?))).transpose()
    }

    fn history(&self, tenant: &TenantId, aggregate_id: &str) -> Result<Vec<AuditRecord>, StoreError> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE tenant_id = $1 AND aggregate_id = $2 ORDER BY seq"
        );
        self.map(&sql, &[&tenant.as_str(), &aggregate_id], audit_row)
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

/// A write job's view: queries plus writes inside the job's transaction.
pub(crate) struct PgTx<'a> {
    conn: PgConn<'a>,
    heads: HashMap<String, Head>,
}

impl<'a> PgTx<'a> {
    pub(crate) fn new(c: &'a ClientWrapper, keys: &'a Keys) -> Self {
        Self { conn: PgConn { c, keys }, heads: HashMap::new() }
    }

    /// The tenant's chain head, locked until this transaction ends: servers append one at a time.
    fn head(&mut self, tenant: &TenantId) -> Result<Head, StoreError> {
        if let Some(h) = self.heads.get(tenant.as_str()) {
            return Ok(h.clone());
        }
        self.conn.execute(
            "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING",
            &[&tenant.as_str(), &GENESIS],
        )?;
        let r = self
            .conn
            .query_opt(
                "SELECT h.seq, h.hash, a.at FROM audit_heads h \
                 LEFT JOIN audit_log a ON a.tenant_id = h.tenant_id AND a.seq = h.seq \
                 WHERE h.tenant_id = $1 FOR UPDATE OF h",
                &[&tenant.as_str()],
            )?
            .ok_or_else(|| StoreError::Corrupt(format!("no chain head for tenant {tenant}")))?;
        let at = r.opt_text(2)?.map(|t| parse_ts(&t)).transpose()?;
        Ok(Head { seq: r.int(0)? as u64, hash: r.text(1)?, at })
    }

    /// Insert (`expected` is `None`) or update the row whose stored version is `expected`.
    fn write_deputy_row(
        &self,
        tenant: &TenantId,
        d: &Deputy,
        expected: Option<u64>,
    ) -> Result<u64, StoreError> {
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
    ) -> Result<u64, StoreError> {
        let exp = expected.unwrap_or(0) as i64;
        let values: [P<'_>; 18] = [
            &tenant.as_str(),
            &r.id,
            &r.version,
            &r.name,
            &r.name_key,
            &r.pinyin,
            &r.initials,
            &r.level,
            &r.status,
            &r.region,
            &r.delegation,
            &r.officer,
            &r.department,
            &r.data,
            &r.masked,
            &r.sealed,
            &r.updated_at,
            &exp,
        ];
        match expected {
            None => self
                .conn
                .execute(DEPUTY_INSERT_SQL, &[&values[..17], &[&batch as P<'_>]].concat())
                .map_err(|e| taken(e, || format!("deputy {}", r.id))),
            Some(_) => Ok(self.conn.execute(DEPUTY_UPDATE_SQL, &values)?),
        }
    }

    fn write_keys(
        &self,
        tenant: &TenantId,
        id: DeputyId,
        keys: &DeputyKeys,
        fresh: bool,
    ) -> Result<(), StoreError> {
        let id = id.to_string();
        if !fresh {
            self.conn.execute(
                "DELETE FROM deputy_keys WHERE tenant_id = $1 AND deputy_id = $2",
                &[&tenant.as_str(), &id],
            )?;
        }
        for k in &keys.keys {
            self.conn.execute(KEY_INSERT_SQL, &[&tenant.as_str(), &k.key, &id, &keys.id_hash])?;
        }
        Ok(())
    }
}

crate::rows::queries_through_conn!(PgTx<'_>);

impl WriteTx for PgTx<'_> {
    fn insert_tenant(&mut self, tenant: &TenantId, name: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)",
                &[&tenant.as_str(), &name, &ts(at)],
            )
            .map_err(|e| taken(e, || format!("tenant {tenant}")))?;
        Ok(())
    }

    fn append(&mut self, tenant: &TenantId, r: NewRecord) -> Result<u64, StoreError> {
        let head = self.head(tenant)?;
        check_chronology(&head, r.at)?;
        let (seq, at) = (head.seq, r.at);
        let rec = chain_record(self.conn.keys, tenant, r, seq, head.hash);
        let s = rec.seq as i64;
        self.conn.execute(
            &format!("INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"),
            &[
                &rec.tenant, &s, &rec.id, &rec.at, &rec.actor_id, &rec.actor_name, &rec.kind, &rec.aggregate_type,
                &rec.aggregate_id, &rec.reason, &rec.payload, &rec.prev_hash, &rec.hash, &rec.actor_via,
            ],
        )?;
        self.conn.execute(
            "UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1",
            &[&rec.tenant, &s, &rec.hash],
        )?;
        self.heads.insert(rec.tenant, Head { seq: rec.seq, hash: rec.hash, at: Some(at) });
        Ok(seq + 1)
    }

    fn insert_deputy(&mut self, tenant: &TenantId, d: &Deputy, keys: &DeputyKeys) -> Result<(), StoreError> {
        self.write_deputy_row(tenant, d, None)?;
        self.write_keys(tenant, d.id, keys, true)
    }

    fn insert_prepared_deputy(&mut self, tenant: &TenantId, d: &PreparedDeputy) -> Result<(), StoreError> {
        self.write_row(tenant, &d.row, None, None)?;
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
            self.write_row(tenant, &d.row, None, Some(batch))?;
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
        for (key, id, hash) in keys {
            self.conn.execute(KEY_INSERT_SQL, &[&tenant.as_str(), key, &id.to_string(), hash])?;
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
            let actual = self
                .conn
                .query_opt(
                    "SELECT version FROM deputies WHERE tenant_id = $1 AND id = $2",
                    &[&tenant.as_str(), &d.id.to_string()],
                )?
                .map(|r| r.int(0))
                .transpose()?;
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
        let (v, e) = (org.version as i64, expected as i64);
        let n = if expected == 0 {
            self.conn.execute(
                "INSERT INTO organisations (tenant_id, version, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&tenant.as_str(), &v, &data],
            )?
        } else {
            self.conn.execute(
                "UPDATE organisations SET version = $2, data = $3 WHERE tenant_id = $1 AND version = $4",
                &[&tenant.as_str(), &v, &data, &e],
            )?
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
            .execute(
                "INSERT INTO users (tenant_id, id, login, display_name, roles, active, version, created_at,
                 deputy_id, department_id, kind, pending, officer_grant)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                &[
                    &u.tenant.as_str(),
                    &u.id.to_string(),
                    &u.login,
                    &u.display_name,
                    &roles_text(u),
                    &u.active,
                    &(u.version as i64),
                    &ts(u.created_at),
                    &u.deputy.map(|d| d.to_string()),
                    &u.department.map(|d| d.to_string()),
                    &u.kind.code(),
                    &pending_json(u)?,
                    &grant_json(u)?,
                ],
            )
            .map_err(|e| taken(e, || format!("login {}", u.login)))?;
        Ok(())
    }

    fn update_user(&mut self, u: &UserRecord, expected: u64) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE users SET roles = $3, active = $4, version = $5, department_id = $6, pending = $7,
             officer_grant = $9 WHERE tenant_id = $1 AND id = $2 AND version = $8",
            &[
                &u.tenant.as_str(),
                &u.id.to_string(),
                &roles_text(u),
                &u.active,
                &(u.version as i64),
                &u.department.map(|d| d.to_string()),
                &pending_json(u)?,
                &(expected as i64),
                &grant_json(u)?,
            ],
        )?;
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
        self.conn.execute(
            "INSERT INTO api_tokens (id, tenant_id, user_id, token_hash, label, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &t.id,
                &t.tenant.as_str(),
                &t.user.to_string(),
                &token_hash,
                &t.label,
                &ts(t.created_at),
                &t.expires_at.map(ts),
            ],
        )?;
        Ok(())
    }

    fn revoke_token(
        &mut self,
        tenant: &TenantId,
        token_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
            &[&tenant.as_str(), &token_id, &ts(at)],
        )?;
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
            .execute(
                "INSERT INTO idempotency (tenant_id, key, request_hash, response, created_at) VALUES ($1, $2, $3, $4, $5)",
                &[&tenant.as_str(), &key, &request_hash, &response, &ts(at)],
            )
            .map_err(|e| taken(e, || format!("idempotency key {key}")))?;
        Ok(())
    }
}
