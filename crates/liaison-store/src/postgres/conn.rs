//! SQL for every query of the PostgreSQL backend: rows read as the shared row types, the `Exec` glue the
//! records' SQL runs over, and `Queries` on a pooled connection.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use deadpool_postgres::ClientWrapper;
use futures_util::future::join_all;
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{Deputy, DuplicateKey, KeyMatch};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

pub(super) use super::deferred::Deferred;
use super::wait;
use crate::batch;
use crate::records::{self, Cell, Exec};
use crate::rows::*;
use crate::{
    AuditRecord, BatchState, DeputyQuery, DeputySummary, Keys, LinkRecord, Queries, RecordQuery, StoreError,
    StoredRecord, TokenRecord, UserRecord,
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

pub(super) type P<'a> = &'a (dyn ToSql + Sync);

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

pub(super) fn taken(e: tokio_postgres::Error, what: impl Fn() -> String) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) { StoreError::Taken(what()) } else { StoreError::Pg(e) }
}

/// A row as the backend-neutral cells of `Exec::fetch`.
fn cells(r: &Row) -> Result<Vec<Cell>, StoreError> {
    use tokio_postgres::types::Type;
    let mut row = Vec::with_capacity(r.len());
    for (i, c) in r.columns().iter().enumerate() {
        let cell = match *c.type_() {
            Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
            Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map_or(Cell::Null, |v| Cell::Int(i64::from(v))),
            _ => r.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text),
        };
        row.push(cell);
    }
    Ok(row)
}

/// A pooled connection answering queries.
pub(crate) struct PgConn<'a> {
    pub(crate) c: &'a ClientWrapper,
    pub(crate) keys: &'a Keys,
    /// A write transaction's steps not sent yet (see [`Deferred`]).
    pub(super) deferred: RefCell<Deferred>,
    /// A step held back failed: the transaction is lost, whatever its jobs answered.
    pub(super) lost: std::cell::Cell<bool>,
}

/// How `key_matches_with_locks` locks the keys it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// Not at all (a read).
    None,
    /// Waiting for a key another transaction holds.
    Wait,
    /// Only if free: a key held elsewhere is `Busy`.
    Try,
}

impl<'a> PgConn<'a> {
    pub(crate) fn new(c: &'a ClientWrapper, keys: &'a Keys) -> Self {
        Self::carrying(c, keys, Deferred::default())
    }

    /// A job's connection, with what the jobs before it left to send.
    pub(crate) fn carrying(c: &'a ClientWrapper, keys: &'a Keys, carried: Deferred) -> Self {
        let carried = carried.carried_over();
        Self { c, keys, deferred: RefCell::new(carried), lost: std::cell::Cell::new(false) }
    }

    /// Whether a step held back failed (the transaction is lost).
    pub(super) fn lost(&self) -> bool {
        self.lost.get()
    }

    pub(super) fn query(&self, sql: &str, params: &[P<'_>]) -> Result<Vec<Row>, StoreError> {
        let stmt = wait(self.c.prepare_cached(sql))?;
        Ok(self.after_deferred(self.c.query(&stmt, params))?)
    }

    /// Different queries sent together (one round trip), their rows in order.
    pub(super) fn pipelined<const N: usize>(
        &self,
        sql: [&str; N],
        params: [&[P<'_>]; N],
    ) -> Result<[Vec<Row>; N], StoreError> {
        let mut prepared = Vec::with_capacity(N);
        for q in sql {
            prepared.push(wait(self.c.prepare_cached(q))?);
        }
        let all = join_all(prepared.iter().zip(params).map(|(s, p)| self.c.query(s, p)));
        let rows = self.after_deferred(async { all.await.into_iter().collect::<Result<Vec<_>, _>>() })?;
        rows.try_into().map_err(|_| StoreError::Corrupt("a pipelined query went unanswered".into()))
    }

    /// Who on the register has one of `keys`; with `lock`, each key first locked until the transaction
    /// ends (advisory locks taken in key order). One query per key, all sent at once with the locks: one
    /// round trip. A transaction that may already hold locks others wait for (an earlier job of its group
    /// appended, so it holds the chain head) must not wait in turn — two groups could wait for each other
    /// — so `Lock::Try` takes the keys only if they are free, and a key held elsewhere (the same person
    /// being registered by another transaction at this moment) is `Busy`: the job fails alone, to be
    /// retried, and finds the other registration then.
    pub(super) fn key_matches_with_locks(
        &self,
        tenant: &TenantId,
        keys: &[DuplicateKey],
        lock: Lock,
    ) -> Result<Vec<KeyMatch>, StoreError> {
        let t = tenant.as_str();
        let mut locked: Vec<String> = match lock {
            Lock::None => Vec::new(),
            _ => keys.iter().map(|k| format!("{t}\u{1f}{}", k.key)).collect(),
        };
        locked.sort();
        locked.dedup();
        let lock_stmt = wait(self.c.prepare_cached(match lock {
            Lock::Try => "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
            _ => "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        }))?;
        let find = wait(self.c.prepare_cached(&format!(
            "SELECT k.deputy_id, k.id_hash FROM deputy_keys k
             JOIN deputies d ON d.tenant_id = k.tenant_id AND d.id = k.deputy_id
             WHERE k.tenant_id = $1 AND k.key = $2 AND d.status IN ('registered', 'in_office') AND {VISIBLE_D}"
        )))?;
        let lock_params: Vec<[P<'_>; 1]> = locked.iter().map(|k| -> [P<'_>; 1] { [k] }).collect();
        let find_params: Vec<[P<'_>; 2]> = keys.iter().map(|k| -> [P<'_>; 2] { [&t, &k.key] }).collect();
        let all = join_all(
            lock_params
                .iter()
                .map(|p| self.c.query(&lock_stmt, p))
                .chain(find_params.iter().map(|p| self.c.query(&find, p))),
        );
        let mut rows = self.after_deferred(async { all.await.into_iter().collect::<Result<Vec<_>, _>>() })?;
        let found = rows.split_off(lock_params.len());
        if lock == Lock::Try {
            for r in &rows {
                if !r.first().map(|r| r.boolean(0)).transpose()?.unwrap_or(false) {
                    return Err(StoreError::Outage {
                        outage: crate::Outage::Busy,
                        detail: "the same person is being registered by another transaction; try again"
                            .into(),
                    });
                }
            }
        }
        let mut out = Vec::new();
        for (k, rows) in keys.iter().zip(found) {
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

    pub(super) fn query_opt(&self, sql: &str, params: &[P<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    pub(super) fn execute(&self, sql: &str, params: &[P<'_>]) -> Result<u64, tokio_postgres::Error> {
        let stmt = wait(self.c.prepare_cached(sql))?;
        self.after_deferred(self.c.execute(&stmt, params))
    }

    /// Several statements sent together (one round trip), answered in order: each one's outcome (a
    /// statement after a failed one fails too, the transaction being aborted).
    pub(super) fn execute_each(
        &self,
        statements: &[(&str, &[P<'_>])],
    ) -> Result<Vec<Result<u64, tokio_postgres::Error>>, tokio_postgres::Error> {
        let mut prepared = Vec::with_capacity(statements.len());
        for (sql, _) in statements {
            prepared.push(wait(self.c.prepare_cached(sql))?);
        }
        let all = join_all(prepared.iter().zip(statements).map(|(s, (_, p))| self.c.execute(s, p)));
        self.after_deferred(async { Ok(all.await) })
    }

    pub(super) fn map<T>(
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
        let b = boxed(ps);
        self.query(sql, &refs(&b))?.iter().map(cells).collect()
    }

    fn each_text(&self, sql: &str, ps: &[Param], each: &mut dyn FnMut(&str)) -> Result<(), StoreError> {
        let b = boxed(ps);
        for r in &self.query(sql, &refs(&b))? {
            each(r.try_get::<_, &str>(0)?);
        }
        Ok(())
    }
}

impl Queries for PgConn<'_> {
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
        self.query_opt("SELECT name FROM tenants WHERE id = $1", &[&tenant.as_str()])?
            .map(|r| r.text(0))
            .transpose()
    }

    fn deputy(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<Deputy>, StoreError> {
        let row = self.query_opt(
            &format!("SELECT data, sealed FROM deputies WHERE tenant_id = $1 AND id = $2 AND {VISIBLE_ROW}"),
            &[&tenant.as_str(), &id.to_string()],
        )?;
        row.map(|r| {
            let sealed: Vec<u8> = r.try_get(1)?;
            open_deputy(self.keys, tenant, id, &r.text(0)?, &sealed)
        })
        .transpose()
    }

    fn deputy_summary(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE tenant_id = $1 AND id = $2 AND {VISIBLE_ROW}"
        );
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

    fn current_deputy_levels(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<(DeputyId, liaison_core::registry::DeputyLevel)>, StoreError> {
        self.map(
            &format!("SELECT id, level FROM deputies
             WHERE tenant_id = $1 AND status IN ('registered', 'in_office') AND {VISIBLE} ORDER BY name_key, id"),
            &[&tenant.as_str()],
            level_row,
        )
    }

    fn key_matches(&self, tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError> {
        self.key_matches_with_locks(tenant, keys, Lock::None)
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

    fn user(
        &self,
        tenant: &TenantId,
        id: liaison_core::ids::UserId,
    ) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 AND u.id = $2");
        Ok(self.map(&sql, &[&tenant.as_str(), &id.to_string()], user_row)?.pop())
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

    fn auth_epoch(&self, tenant: &TenantId) -> Result<Option<u64>, StoreError> {
        self.query_opt(AUTH_EPOCH_SQL, &[&tenant.as_str()])?.map(|r| Ok(r.int(0)? as u64)).transpose()
    }

    /// The three statements pipelined: one round trip instead of three.
    fn deputy_with_epoch(
        &self,
        tenant: &TenantId,
        id: DeputyId,
    ) -> Result<crate::DeputyWithEpoch, StoreError> {
        static SUMMARY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let summary = SUMMARY.get_or_init(|| {
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM deputies WHERE tenant_id = $1 AND id = $2 AND {VISIBLE_ROW}"
            )
        });
        let (links, _) = crate::deputy_links::links_query(tenant, Some(id));
        let (t, id) = (tenant.as_str(), id.to_string());
        let [epoch, deputy, linked] =
            self.pipelined([AUTH_EPOCH_SQL, summary, &links], [&[&t], &[&t, &id], &[&t, &id]])?;
        let epoch = epoch.first().map(|r| Ok::<_, StoreError>(r.int(0)? as u64)).transpose()?;
        let deputy = deputy.first().map(summary_row).transpose()?;
        let linked =
            crate::deputy_links::link_records(&linked.iter().map(cells).collect::<Result<Vec<_>, _>>()?)?;
        Ok((epoch, deputy, linked))
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
