//! SQL for every query of the SQLite backend: rows read as the shared row types, the `Exec` glue the
//! records' SQL runs over, and `Queries` on a read connection.

use chrono::{DateTime, Utc};
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{Deputy, DuplicateKey, KeyMatch};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::batch;
use crate::records::{self, Cell, Exec};
use crate::rows::*;
use crate::{
    AuditRecord, BatchState, DeputyQuery, DeputySummary, Keys, LinkRecord, Queries, RecordQuery, StoreError,
    StoredRecord, TokenRecord, UserRecord,
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
            Ok(ValueRef::Text(b) | ValueRef::Blob(b)) => utf8(b),
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
                    ValueRef::Text(t) => Cell::Text(utf8(t)),
                    ValueRef::Real(f) => Cell::Text(f.to_string()),
                    ValueRef::Blob(_) => Cell::Null,
                });
            }
            out.push(row);
        }
        Ok(out)
    }

    fn each_text(&self, sql: &str, ps: &[Param], each: &mut dyn FnMut(&str)) -> Result<(), StoreError> {
        use rusqlite::types::ValueRef;
        let values = sql_params(ps);
        let mut stmt = self.c.prepare_cached(&sql.replace('$', "?"))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        while let Some(r) = rows.next()? {
            match r.get_ref(0)? {
                // The standard library's fast check first (the lossy decoding's own check was a tenth of
                // reading a year's report lines, on the one thread that reads them).
                ValueRef::Text(t) => match std::str::from_utf8(t) {
                    Ok(s) => each(s),
                    Err(_) => each(&String::from_utf8_lossy(t)),
                },
                _ => return Err(StoreError::Corrupt("a text column without text".into())),
            }
        }
        Ok(())
    }
}

impl Queries for Conn<'_> {
    fn tenants(&self) -> Result<Vec<crate::TenantRecord>, StoreError> {
        crate::tenants::tenants(self)
    }

    fn deputy_links(
        &self,
        tenant: &TenantId,
        deputy: Option<DeputyId>,
    ) -> Result<Vec<crate::DeputyLinkRecord>, StoreError> {
        crate::deputy_links::links(self, tenant, deputy)
    }

    fn same_id_elsewhere(
        &self,
        tenant: &TenantId,
        deputy: Option<DeputyId>,
    ) -> Result<Vec<crate::SameIdElsewhere>, StoreError> {
        crate::deputy_links::same_id_elsewhere(self, tenant, deputy)
    }

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
                "SELECT data, sealed FROM deputies WHERE tenant_id = ?1 AND id = ?2 AND {VISIBLE_ROW}"
            ))?
            .query_row(params![tenant.as_str(), id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(data, sealed)| open_deputy(self.keys, tenant, id, &data, &sealed)).transpose()
    }

    fn deputy_summary(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE tenant_id = ?1 AND id = ?2 AND {VISIBLE_ROW}"
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

    fn current_deputy_levels(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<(DeputyId, liaison_core::registry::DeputyLevel)>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT id, level FROM deputies
             WHERE tenant_id = ?1 AND status IN ('registered', 'in_office') AND {VISIBLE} ORDER BY name_key, id"
        ))?;
        collect(&mut stmt, [tenant.as_str()], |r| level_row(r))
    }

    fn key_matches(&self, tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError> {
        let mut stmt = self.c.prepare_cached(
            // CROSS JOIN keeps the key look-up outermost: left to itself the planner walks the register
            // through the covering name index and probes each deputy's keys (86 s for 4,000 rows beside 6,000).
            &format!("SELECT k.deputy_id, k.id_hash FROM deputy_keys k
             CROSS JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
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

    fn user(
        &self,
        tenant: &TenantId,
        id: liaison_core::ids::UserId,
    ) -> Result<Option<UserRecord>, StoreError> {
        let mut stmt = self.c.prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = ?1 AND u.id = ?2"
        ))?;
        Ok(collect(&mut stmt, params![tenant.as_str(), id.to_string()], |r| user_row(r))?.pop())
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

    fn auth_epoch(&self, tenant: &TenantId) -> Result<Option<u64>, StoreError> {
        let epoch: Option<i64> =
            self.c.prepare_cached(AUTH_EPOCH_SQL)?.query_row([tenant.as_str()], |r| r.get(0)).optional()?;
        Ok(epoch.map(|e| e as u64))
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

    fn record_lines(
        &self,
        t: &TenantId,
        kind: &str,
        from: &str,
        to: &str,
        each: &mut dyn FnMut(records::Line<'_>),
    ) -> Result<(), StoreError> {
        records::each_line(self, t, kind, from, to, each)
    }

    fn link_by_hash(&self, hash: &str) -> Result<Option<LinkRecord>, StoreError> {
        records::link_by_hash(self, hash)
    }

    fn credentials(
        &self,
        t: &TenantId,
        user: liaison_core::ids::UserId,
    ) -> Result<Option<crate::CredentialRecord>, StoreError> {
        crate::login::credentials(self, t, user)
    }

    fn guarded_credentials(
        &self,
        t: &TenantId,
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::CredentialRecord>, StoreError> {
        crate::login::guarded_credentials(self, t, now)
    }

    fn session_by_hash(&self, hash: &str) -> Result<Option<crate::SessionRecord>, StoreError> {
        crate::login::session_by_hash(self, hash)
    }

    fn open_sessions(
        &self,
        t: &TenantId,
        user: liaison_core::ids::UserId,
    ) -> Result<Vec<crate::SessionRecord>, StoreError> {
        crate::login::open_sessions(self, t, user)
    }

    fn batches_to_clear(
        &self,
        tenant: &TenantId,
        stale_before: DateTime<Utc>,
    ) -> Result<Vec<(String, BatchState)>, StoreError> {
        batch::to_clear(self, tenant, stale_before)
    }

    fn message(&self, tenant: &TenantId, id: &str) -> Result<Option<crate::MessageRecord>, StoreError> {
        crate::outbox::message(self, tenant, id)
    }

    fn messages(
        &self,
        tenant: &TenantId,
        q: &crate::MessageQuery,
    ) -> Result<Vec<crate::MessageRecord>, StoreError> {
        crate::outbox::messages(self, tenant, q)
    }

    fn contact(
        &self,
        tenant: &TenantId,
        subject: &liaison_core::message::Recipient,
    ) -> Result<Option<crate::ContactRecord>, StoreError> {
        crate::contacts::contact(self, tenant, subject)
    }

    fn contact_email(
        &self,
        tenant: &TenantId,
        subject: &liaison_core::message::Recipient,
    ) -> Result<Option<String>, StoreError> {
        crate::contacts::contact_email(self, self.keys, tenant, subject)
    }
}

/// A constraint violation as `Taken` (what is taken, named by `what`), anything else as a database error.
pub(super) fn unique(e: rusqlite::Error, what: impl Fn() -> String) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Taken(what())
        }
        _ => StoreError::Db(e),
    }
}

/// SQLite text as a `String`: checked as UTF-8 by the standard library's fast check, and only text that
/// is not (written by another program) decoded lossily — `from_utf8_lossy` alone was a tenth of reading a
/// year's report lines.
fn utf8(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    }
}
