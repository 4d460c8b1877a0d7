//! SQL for every write of the PostgreSQL backend: a write job's transaction (`WriteTx`) with the
//! tenant's audit-chain head cached, the deputy's row and keys, accounts, tokens, links and records.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use deadpool_postgres::ClientWrapper;
use liaison_core::ids::{DeputyId, TenantId, UserId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{Deputy, DuplicateKey, KeyMatch};

use super::conn::{Deferred, Lock, P, PgConn, taken};
use crate::audit::GENESIS;
use crate::batch;
use crate::records;
use crate::rows::*;
use crate::{
    AuditRecord, BatchState, DeputyKeys, DeputyQuery, DeputySummary, Keys, LinkRecord, NewRecord, Queries,
    RecordRow, StoreError, TokenRecord, UserRecord, WriteTx,
};

/// Rows per multi-row statement of a bulk write (an import's chunk is one or a few statements).
const BULK_ROWS: usize = 1_000;

/// A chunk of new deputies in one statement: each column an array, unnested into rows.
const DEPUTIES_BULK_SQL: &str =
    "INSERT INTO deputies (tenant_id, id, version, name, name_key, pinyin, initials,
    level, status, region, delegation, officer_id, department_id, data, masked, sealed, updated_at, batch)
    SELECT $1::text, u.*, $18::text FROM unnest($2::text[], $3::int8[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
    $15::text[], $16::bytea[], $17::text[]) AS u";

/// Duplicate keys in one statement (as `KEY_INSERT_SQL`, a key already there is left alone).
const KEYS_BULK_SQL: &str = "INSERT INTO deputy_keys (tenant_id, key, deputy_id, id_hash)
    SELECT $1::text, u.* FROM unnest($2::text[], $3::text[], $4::text[]) AS u ON CONFLICT DO NOTHING";

/// Audit records already chained, in one statement.
const AUDIT_BULK_SQL: &str = "INSERT INTO audit_log (tenant_id, seq, id, at, actor_id, actor_name, kind,
    aggregate_type, aggregate_id, reason, payload, prev_hash, hash, actor_via)
    SELECT $1::text, u.* FROM unnest($2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) AS u";

/// A write job's view: queries plus writes inside the job's transaction.
pub(crate) struct PgTx<'a> {
    conn: PgConn<'a>,
    heads: HashMap<String, Head>,
    /// Whether this is the first job of its transaction (no earlier job holds locks in it).
    first: bool,
}

impl<'a> PgTx<'a> {
    /// A job's view, holding the chain `heads` its transaction has locked so far and what the jobs before
    /// it left to send (`carried`); `first`: no job ran before it in this transaction.
    pub(crate) fn new(
        c: &'a ClientWrapper,
        keys: &'a Keys,
        heads: HashMap<String, Head>,
        carried: Deferred,
        first: bool,
    ) -> Self {
        Self { conn: PgConn::carrying(c, keys, carried), heads, first }
    }

    /// The chain heads as this job leaves them.
    pub(crate) fn take_heads(&mut self) -> HashMap<String, Head> {
        std::mem::take(&mut self.heads)
    }

    /// End the job and the transaction: what is held back, then `sql` (release, commit), in one trip.
    pub(crate) fn end(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        self.conn.end(sql)
    }

    /// End the job, the transaction going on: what is held back and then `sql` (release its savepoint,
    /// make the next job's), for the next job to send with its first statement.
    pub(crate) fn carry(&self, sql: &str) -> Deferred {
        self.conn.carry(sql)
    }

    /// The job failed: drop its own audit records held back (its savepoint is rolled back), and send
    /// what the jobs before it held back, on its own (so that a failure there is not undone by the
    /// rollback to the savepoint).
    pub(crate) fn discard(&self) -> Result<(), tokio_postgres::Error> {
        self.conn.discard_deferred();
        self.conn.flush()
    }

    /// Whether something held back failed: the transaction is lost.
    pub(crate) fn lost(&self) -> bool {
        self.conn.lost()
    }

    /// The tenant's chain head, locked until this transaction ends: servers append one at a time.
    fn head(&mut self, tenant: &TenantId) -> Result<Head, StoreError> {
        if let Some(h) = self.heads.get(tenant.as_str()) {
            return Ok(h.clone());
        }
        // The head made if the tenant has none yet, then read and locked: both sent at once.
        let t = tenant.as_str();
        let [_, found] = self.conn.pipelined(
            [
                "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING",
                "SELECT h.seq, h.hash, a.at FROM audit_heads h \
                 LEFT JOIN audit_log a ON a.tenant_id = h.tenant_id AND a.seq = h.seq \
                 WHERE h.tenant_id = $1 FOR UPDATE OF h",
            ],
            [&[&t, &GENESIS], &[&t]],
        )?;
        let r = found
            .into_iter()
            .next()
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

    /// A new deputy's row and its duplicate keys, sent at once: one round trip.
    fn insert_row_with_keys(
        &self,
        tenant: &TenantId,
        r: &DeputyRow,
        id: DeputyId,
        keys: &DeputyKeys,
    ) -> Result<(), StoreError> {
        let (t, id, batch) = (tenant.as_str(), id.to_string(), None::<&str>);
        let row: [P<'_>; 18] = [
            &t,
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
            &batch,
        ];
        let inserts: Vec<[P<'_>; 4]> =
            keys.keys.iter().map(|k| -> [P<'_>; 4] { [&t, &k.key, &id, &keys.id_hash] }).collect();
        let mut statements: Vec<(&str, &[P<'_>])> = vec![(DEPUTY_INSERT_SQL, &row)];
        statements.extend(inserts.iter().map(|p| (KEY_INSERT_SQL, &p[..])));
        let mut results = self.conn.execute_each(&statements)?.into_iter();
        if let Some(inserted) = results.next() {
            inserted.map_err(|e| taken(e, || format!("deputy {}", r.id)))?;
        }
        for k in results {
            k?;
        }
        Ok(())
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

    /// Insert new deputies under an import batch, one statement per [`BULK_ROWS`] (each column an array).
    fn insert_rows(
        &self,
        tenant: &TenantId,
        deputies: &[PreparedDeputy],
        batch: &str,
    ) -> Result<(), StoreError> {
        for part in deputies.chunks(BULK_ROWS) {
            let rows: Vec<&DeputyRow> = part.iter().map(|d| &d.row).collect();
            let text = |f: fn(&DeputyRow) -> &str| rows.iter().map(|r| f(r)).collect::<Vec<&str>>();
            let opt = |f: fn(&DeputyRow) -> Option<&str>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
            let versions: Vec<i64> = rows.iter().map(|r| r.version).collect();
            let sealed: Vec<&[u8]> = rows.iter().map(|r| r.sealed.as_slice()).collect();
            self.conn
                .execute(
                    DEPUTIES_BULK_SQL,
                    &[
                        &tenant.as_str(),
                        &text(|r| &r.id),
                        &versions,
                        &text(|r| &r.name),
                        &text(|r| &r.name_key),
                        &text(|r| &r.pinyin),
                        &text(|r| &r.initials),
                        &text(|r| r.level),
                        &text(|r| r.status),
                        &text(|r| &r.region),
                        &opt(|r| r.delegation.as_deref()),
                        &opt(|r| r.officer.as_deref()),
                        &opt(|r| r.department.as_deref()),
                        &text(|r| &r.data),
                        &text(|r| &r.masked),
                        &sealed,
                        &text(|r| &r.updated_at),
                        &batch,
                    ],
                )
                .map_err(|e| taken(e, || format!("a deputy of the import batch {batch}")))?;
        }
        Ok(())
    }

    fn write_keys(
        &self,
        tenant: &TenantId,
        id: DeputyId,
        keys: &DeputyKeys,
        fresh: bool,
    ) -> Result<(), StoreError> {
        let (id, t) = (id.to_string(), tenant.as_str());
        let delete: [P<'_>; 2] = [&t, &id];
        let inserts: Vec<[P<'_>; 4]> =
            keys.keys.iter().map(|k| -> [P<'_>; 4] { [&t, &k.key, &id, &keys.id_hash] }).collect();
        let mut statements: Vec<(&str, &[P<'_>])> = Vec::with_capacity(inserts.len() + 1);
        if !fresh {
            statements.push(("DELETE FROM deputy_keys WHERE tenant_id = $1 AND deputy_id = $2", &delete));
        }
        statements.extend(inserts.iter().map(|p| (KEY_INSERT_SQL, &p[..])));
        // All sent at once; the first failure is the answer.
        for r in self.conn.execute_each(&statements)? {
            r?;
        }
        Ok(())
    }
}

crate::delegate::queries_through_conn!(PgTx<'_>);

impl WriteTx for PgTx<'_> {
    /// The keys locked first (transaction-scoped advisory locks, in key order, sent with the queries): a
    /// registration of the same person in another transaction — another writer, another server — waits
    /// for this one to end, then finds its keys.
    fn key_matches_locked(
        &mut self,
        tenant: &TenantId,
        keys: &[DuplicateKey],
    ) -> Result<Vec<KeyMatch>, StoreError> {
        // The first job of a group holds nothing another transaction could wait for: it may wait.
        let lock = if self.first { Lock::Wait } else { Lock::Try };
        self.conn.key_matches_with_locks(tenant, keys, lock)
    }

    fn insert_tenant(&mut self, tenant: &TenantId, name: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)",
                &[&tenant.as_str(), &name, &ts(at)],
            )
            .map_err(|e| taken(e, || format!("tenant {tenant}")))?;
        Ok(())
    }

    fn insert_tenant_record(&mut self, t: &crate::TenantRecord) -> Result<(), StoreError> {
        crate::tenants::insert(&self.conn, t)
    }

    fn insert_deputy_link(&mut self, link: &crate::DeputyLinkRecord) -> Result<(), StoreError> {
        crate::deputy_links::insert(&self.conn, link)
    }

    fn place_tenant(
        &mut self,
        tenant: &TenantId,
        level: liaison_core::tenant::TenantLevel,
        parent: Option<&TenantId>,
    ) -> Result<(), StoreError> {
        crate::tenants::place(&self.conn, tenant, level, parent)
    }

    fn append(&mut self, tenant: &TenantId, r: NewRecord) -> Result<u64, StoreError> {
        let head = self.head(tenant)?;
        check_chronology(&head, r.at)?;
        let (seq, at) = (head.seq, r.at);
        let rec = chain_record(self.conn.keys, tenant, r, seq, head.hash);
        self.heads.insert(rec.tenant.clone(), Head { seq: rec.seq, hash: rec.hash.clone(), at: Some(at) });
        // Sent with the transaction's next statement (or its end): the head stays locked till then.
        self.conn.defer(rec)?;
        Ok(seq + 1)
    }

    fn insert_deputy(&mut self, tenant: &TenantId, d: &Deputy, keys: &DeputyKeys) -> Result<(), StoreError> {
        let r = DeputyRow::prepare(self.conn.keys, tenant, d)?;
        self.insert_row_with_keys(tenant, &r, d.id, keys)
    }

    fn insert_prepared_deputy_with_keys(
        &mut self,
        tenant: &TenantId,
        d: &PreparedDeputy,
        keys: &DeputyKeys,
    ) -> Result<(), StoreError> {
        self.insert_row_with_keys(tenant, &d.row, d.id(), keys)
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
        self.insert_rows(tenant, deputies, batch)?;
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
        // One statement for all of them (one round trip, not one per key): the keys as three arrays.
        for part in keys.chunks(BULK_ROWS) {
            let ids: Vec<String> = part.iter().map(|(_, id, _)| id.to_string()).collect();
            let k: Vec<&str> = part.iter().map(|(key, _, _)| key.as_str()).collect();
            let h: Vec<Option<&str>> = part.iter().map(|(_, _, hash)| hash.as_deref()).collect();
            self.conn.execute(KEYS_BULK_SQL, &[&tenant.as_str(), &k, &ids, &h])?;
        }
        Ok(())
    }

    fn append_all(
        &mut self,
        tenant: &TenantId,
        records: Vec<NewRecord>,
    ) -> Result<Option<(u64, u64)>, StoreError> {
        // Chained here, in order, after the locked head; then one insert of them all and one update of the
        // head (two round trips for the chunk instead of two per record).
        let mut head = self.head(tenant)?;
        let first = head.seq + 1;
        let mut recs = Vec::with_capacity(records.len());
        for r in records {
            check_chronology(&head, r.at)?;
            let at = r.at;
            let rec = chain_record(self.conn.keys, tenant, r, head.seq, std::mem::take(&mut head.hash));
            head = Head { seq: rec.seq, hash: rec.hash.clone(), at: Some(at) };
            recs.push(rec);
        }
        if recs.is_empty() {
            return Ok(None);
        }
        for part in recs.chunks(BULK_ROWS) {
            let col = |f: fn(&AuditRecord) -> &str| part.iter().map(f).collect::<Vec<&str>>();
            let seqs: Vec<i64> = part.iter().map(|r| r.seq as i64).collect();
            let reasons: Vec<Option<&str>> = part.iter().map(|r| r.reason.as_deref()).collect();
            let via: Vec<Option<&str>> = part.iter().map(|r| r.actor_via.as_deref()).collect();
            self.conn.execute(
                AUDIT_BULK_SQL,
                &[
                    &tenant.as_str(),
                    &seqs,
                    &col(|r| &r.id),
                    &col(|r| &r.at),
                    &col(|r| &r.actor_id),
                    &col(|r| &r.actor_name),
                    &col(|r| &r.kind),
                    &col(|r| &r.aggregate_type),
                    &col(|r| &r.aggregate_id),
                    &reasons,
                    &col(|r| &r.payload),
                    &col(|r| &r.prev_hash),
                    &col(|r| &r.hash),
                    &via,
                ],
            )?;
        }
        let s = head.seq as i64;
        self.conn.execute(
            "UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1",
            &[&tenant.as_str(), &s, &head.hash],
        )?;
        let last = head.seq;
        self.heads.insert(tenant.as_str().to_owned(), head);
        Ok(Some((first, last)))
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

    fn save_credentials(&mut self, c: &crate::CredentialRecord, expected: u64) -> Result<(), StoreError> {
        crate::login::save_credentials(&self.conn, c, expected)
    }

    fn insert_session(&mut self, s: &crate::SessionRecord, hash: &str) -> Result<(), StoreError> {
        crate::login::insert_session(&self.conn, s, hash)
    }

    fn save_session(&mut self, s: &crate::SessionRecord) -> Result<bool, StoreError> {
        crate::login::save_session(&self.conn, s)
    }

    fn end_user_sessions(
        &mut self,
        tenant: &TenantId,
        user: UserId,
        at: DateTime<Utc>,
        reason: liaison_core::login::EndReason,
    ) -> Result<Vec<String>, StoreError> {
        crate::login::end_user_sessions(&self.conn, tenant, user, at, reason)
    }

    fn enqueue_message(&mut self, tenant: &TenantId, m: &crate::NewMessage) -> Result<bool, StoreError> {
        crate::outbox::insert(&self.conn, tenant, m)
    }

    fn claim_messages(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
        channels: &[liaison_core::message::MessageChannel],
    ) -> Result<Vec<crate::MessageRecord>, StoreError> {
        crate::outbox::claim(&self.conn, now, lease_until, limit, channels, true)
    }

    fn save_contact(
        &mut self,
        tenant: &TenantId,
        contact: &crate::ContactRecord,
        email: Option<Option<&str>>,
        expected: u64,
    ) -> Result<bool, StoreError> {
        crate::contacts::save_contact(&self.conn, self.conn.keys, tenant, contact, email, expected)
    }

    fn save_delivery(
        &mut self,
        tenant: &TenantId,
        id: &str,
        d: &liaison_core::message::Delivery,
        expected: u64,
    ) -> Result<bool, StoreError> {
        crate::outbox::save_delivery(&self.conn, tenant, id, d, expected)
    }

    fn mark_message_read(
        &mut self,
        tenant: &TenantId,
        id: &str,
        recipient: &liaison_core::message::Recipient,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        crate::outbox::mark_read(&self.conn, tenant, id, recipient, at)
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
