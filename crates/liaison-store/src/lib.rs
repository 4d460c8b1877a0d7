//! `liaison-store`: persistence. The `Store` trait and its SQLite implementation.
//!
//! Architecture invariant: only this crate speaks SQL. Every command is one transaction that appends its
//! events to the audit chain and updates the current state, together or not at all; reads use the
//! current-state tables and never replay events.
//!
//! Writes go through [`Store::submit`]: a [`WriteJob`] runs inside the single writer's transaction (its own
//! savepoint, so its failure rolls back only its own changes) and learns afterwards whether the group
//! commit succeeded. [`write_blocking`] and [`write_async`] wrap a closure as a job.

mod accounts;
pub mod audit;
mod batch;
mod contacts;
pub mod crypto;
mod delegate;
mod deputy_links;
mod error;
mod files;
pub mod health;
mod login;
mod model;
mod outbox;
pub mod postgres;
mod records;
pub mod replication;
mod rows;
pub mod sqlite;
pub mod state;
mod tenants;
#[doc(hidden)]
pub mod testing;
mod trail;

pub use batch::BatchState;
pub use contacts::ContactRecord;
pub use crypto::Keys;
pub use deputy_links::{DeputyLinkRecord, SameIdElsewhere};
pub use error::StoreError;
pub use health::{Outage, Readiness};
pub use login::{CredentialRecord, RecoveryCode, SessionRecord};
pub use model::*;
pub use outbox::{MessageQuery, MessageRecord, NewMessage};
pub use records::{Line, LinkRecord, RecordQuery, RecordRow, StoredRecord, Summary};
pub use replication::{ReplicationStatus, StandbyLag};
pub use rows::PreparedDeputy;
pub use tenants::TenantRecord;
pub use trail::AuditQuery;

use liaison_core::ids::{DeputyId, TenantId, UserId};
use liaison_core::organisation::{DeputyRef, Organisation};
use liaison_core::registry::{Deputy, DuplicateKey, KeyMatch};

/// What [`Queries::deputy_with_epoch`] reads: the tenant's epoch, the deputy (if any), its links.
pub type DeputyWithEpoch = (Option<u64>, Option<DeputySummary>, Vec<DeputyLinkRecord>);

/// Queries every connection can answer (inside a write job, or on a read connection).
pub trait Queries {
    /// A tenant's name, if the tenant exists.
    fn tenant(&self, tenant: &TenantId) -> Result<Option<String>, StoreError>;
    /// Every tenant of the deployment with its place in the tree, by id (`tenants` module): the one read
    /// no tenant filters, and it holds no register data.
    fn tenants(&self) -> Result<Vec<TenantRecord>, StoreError>;
    /// The links of `tenant`'s records to the same person's records on other registers (schema v14,
    /// `deputy_links` module); of one record when `deputy` is given.
    fn deputy_links(
        &self,
        tenant: &TenantId,
        deputy: Option<DeputyId>,
    ) -> Result<Vec<DeputyLinkRecord>, StoreError>;
    /// The current records of other procuratorates' registers with the ID number of a current record of
    /// `tenant` (of one record when `deputy` is given), by the keyed hash: their tenant, id and congress
    /// level only. With `tenants()`, the one read that crosses tenants.
    fn same_id_elsewhere(
        &self,
        tenant: &TenantId,
        deputy: Option<DeputyId>,
    ) -> Result<Vec<SameIdElsewhere>, StoreError>;
    /// One deputy, with personal data decrypted.
    fn deputy(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<Deputy>, StoreError>;
    /// One deputy as lists show it (personal data masked, nothing decrypted).
    fn deputy_summary(&self, tenant: &TenantId, id: DeputyId) -> Result<Option<DeputySummary>, StoreError>;
    /// A page of deputies in pinyin order.
    fn list_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<Vec<DeputySummary>, StoreError>;
    /// How many deputies match (ignoring the cursor and limit).
    fn count_deputies(&self, tenant: &TenantId, q: &DeputyQuery) -> Result<u64, StoreError>;
    /// The current deputies (registered or in office), as coverage needs them, in pinyin order.
    fn current_deputy_refs(&self, tenant: &TenantId) -> Result<Vec<DeputyRef>, StoreError>;
    /// The current deputies' ids and levels only, in pinyin order (participation counts over them): read
    /// from the name-order index alone, without a string per deputy.
    fn current_deputy_levels(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<(DeputyId, liaison_core::registry::DeputyLevel)>, StoreError>;
    /// Current deputies sharing any of these keys (duplicate detection; the core decides with
    /// `registry::same_person`).
    fn key_matches(&self, tenant: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError>;
    /// The sequence number of the tenant's newest audit record (`None`: no record yet). Read before a bulk
    /// job's checks outside its transaction, it marks what those checks saw.
    fn chain_seq(&self, tenant: &TenantId) -> Result<Option<u64>, StoreError>;
    /// The duplicate keys (key, deputy, keyed hash of the ID number) of the current deputies with an audit
    /// record after `after` (from the first when `None`) and before `before` (to the last when `None`): what
    /// changed since a bulk job's checks, between the records the job wrote itself.
    fn deputy_keys_between(
        &self,
        tenant: &TenantId,
        after: Option<u64>,
        before: Option<u64>,
    ) -> Result<Vec<(String, DeputyId, Option<String>)>, StoreError>;
    /// The organisation (empty at version 0 if never set up).
    fn organisation(&self, tenant: &TenantId) -> Result<Organisation, StoreError>;
    /// A user by login.
    fn user_by_login(&self, tenant: &TenantId, login: &str) -> Result<Option<UserRecord>, StoreError>;
    /// A user by id.
    fn user(&self, tenant: &TenantId, id: UserId) -> Result<Option<UserRecord>, StoreError>;
    /// All users of a tenant.
    fn users(&self, tenant: &TenantId) -> Result<Vec<UserRecord>, StoreError>;
    /// The user behind an unrevoked API token of an active account (by the token's hash), with the token.
    fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<(UserRecord, TokenRecord)>, StoreError>;
    /// The tenant's authentication epoch (schema v15, `auth_epochs`): a number that grows, in the same
    /// transaction, with every write that can change what a bearer token authenticates as (an account
    /// changed, a token revoked or re-dated, the token policy set), whichever process makes it. `None`
    /// when the tenant has no row (a principal read then must not be kept). One indexed single-row read.
    fn auth_epoch(&self, tenant: &TenantId) -> Result<Option<u64>, StoreError>;
    /// [`Queries::auth_epoch`], [`Queries::deputy_summary`] and [`Queries::deputy_links`] of one deputy, for
    /// `GET /api/v1/deputies/{id}`: PostgreSQL sends them in one round trip (issue 19); this reads in turn.
    fn deputy_with_epoch(&self, tenant: &TenantId, id: DeputyId) -> Result<DeputyWithEpoch, StoreError> {
        Ok((self.auth_epoch(tenant)?, self.deputy_summary(tenant, id)?, self.deputy_links(tenant, Some(id))?))
    }
    /// The tokens of a tenant (never the token text: it is not stored).
    fn tokens(&self, tenant: &TenantId) -> Result<Vec<TokenRecord>, StoreError>;
    /// The stored response for an idempotency key, with the hash of the request that made it.
    fn idempotent(&self, tenant: &TenantId, key: &str) -> Result<Option<(String, String)>, StoreError>;
    /// The audit records of one aggregate, oldest first.
    fn history(&self, tenant: &TenantId, aggregate_id: &str) -> Result<Vec<AuditRecord>, StoreError>;
    /// The audit records of a tenant matching `q`, in chain order (what the audit administrator reads).
    fn audit_records(&self, tenant: &TenantId, q: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;
    /// When the account `actor` (its user id) made records of `kind` at or after `from`, oldest first, at
    /// most `limit` of them: what a limit counted from the trail reads (issue 12, item 7). Served by the
    /// index `(tenant_id, actor_id, kind, at)`, so it reads only the window's rows.
    fn audit_times(
        &self,
        tenant: &TenantId,
        actor: &str,
        kind: &str,
        from: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> Result<Vec<chrono::DateTime<chrono::Utc>>, StoreError>;
    /// The audit record at one position of a tenant's chain.
    fn audit_record_at(&self, tenant: &TenantId, seq: u64) -> Result<Option<AuditRecord>, StoreError>;
    /// A workflow record by kind and id.
    fn record(&self, tenant: &TenantId, kind: &str, id: &str) -> Result<Option<StoredRecord>, StoreError>;
    /// A workflow record by kind and number.
    fn record_by_number(
        &self,
        tenant: &TenantId,
        kind: &str,
        number: &str,
    ) -> Result<Option<StoredRecord>, StoreError>;
    /// Workflow records of a kind, filtered, in id (time) order.
    fn records(
        &self,
        tenant: &TenantId,
        kind: &str,
        q: &RecordQuery,
    ) -> Result<Vec<StoredRecord>, StoreError>;
    /// The summaries of the records of a kind, filtered (the data of those saved without one), in no
    /// particular order and without a limit: what figures read.
    fn record_summaries(
        &self,
        tenant: &TenantId,
        kind: &str,
        q: &RecordQuery,
    ) -> Result<Vec<Summary>, StoreError>;
    /// The report lines of the records of a kind opened in `[from, to]` (YYYY-MM-DD), in no particular
    /// order (the data of those saved without one), each handed to `each` as it is read: what the annual
    /// report reads.
    fn record_lines(
        &self,
        tenant: &TenantId,
        kind: &str,
        from: &str,
        to: &str,
        each: &mut dyn FnMut(Line<'_>),
    ) -> Result<(), StoreError>;
    /// A one-use link by the hash of its secret.
    fn link_by_hash(&self, hash: &str) -> Result<Option<LinkRecord>, StoreError>;
    /// An account's credentials for the pages (password hash, sealed second factor, guard).
    fn credentials(&self, tenant: &TenantId, user: UserId) -> Result<Option<CredentialRecord>, StoreError>;
    /// The accounts locked at `now` or with failures counted towards a lock.
    fn guarded_credentials(
        &self,
        tenant: &TenantId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<CredentialRecord>, StoreError>;
    /// A session by the hash of its cookie's secret.
    fn session_by_hash(&self, hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// An account's sessions not ended (lapsed ones included), oldest first.
    fn open_sessions(&self, tenant: &TenantId, user: UserId) -> Result<Vec<SessionRecord>, StoreError>;
    /// A tenant's import batches left to clear: open ones whose heartbeat is older than `stale_before`
    /// (their importer died), and abandoned ones with rows not yet wiped (`batch` module).
    fn batches_to_clear(
        &self,
        tenant: &TenantId,
        stale_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<(String, BatchState)>, StoreError>;
    /// One outgoing message of a tenant (`outbox` module).
    fn message(&self, tenant: &TenantId, id: &str) -> Result<Option<MessageRecord>, StoreError>;
    /// A tenant's outgoing messages matching `q`, newest first.
    fn messages(&self, tenant: &TenantId, q: &MessageQuery) -> Result<Vec<MessageRecord>, StoreError>;
    /// A recipient's contact settings (`contacts` module); none: the defaults.
    fn contact(
        &self,
        tenant: &TenantId,
        subject: &liaison_core::message::Recipient,
    ) -> Result<Option<ContactRecord>, StoreError>;
    /// An account's e-mail address, opened: the delivery worker's alone, never a list's.
    fn contact_email(
        &self,
        tenant: &TenantId,
        subject: &liaison_core::message::Recipient,
    ) -> Result<Option<String>, StoreError>;
}

/// What a write job may do, inside the writer's transaction.
pub trait WriteTx: Queries {
    /// Create a tenant.
    fn insert_tenant(
        &mut self,
        tenant: &TenantId,
        name: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
    /// Create a tenant with its place in the tree (issue 20); an id already used is `Taken`.
    fn insert_tenant_record(&mut self, tenant: &TenantRecord) -> Result<(), StoreError>;
    /// Insert one side of a deputy's link to another register (in the side's own tenant); a side already
    /// there is `Taken`.
    fn insert_deputy_link(&mut self, link: &DeputyLinkRecord) -> Result<(), StoreError>;
    /// Place an unplaced tenant in the tree (once: a placed one is a `Conflict`).
    fn place_tenant(
        &mut self,
        tenant: &TenantId,
        level: liaison_core::tenant::TenantLevel,
        parent: Option<&TenantId>,
    ) -> Result<(), StoreError>;
    /// Append a record to the tenant's audit chain (the event log); returns its sequence number.
    fn append(&mut self, tenant: &TenantId, record: NewRecord) -> Result<u64, StoreError>;
    /// Append records in order (a bulk import's chunk); the sequence numbers of the first and the last,
    /// none when there were none. A backend may write them in one statement; the chain is the same.
    fn append_all(
        &mut self,
        tenant: &TenantId,
        records: Vec<NewRecord>,
    ) -> Result<Option<(u64, u64)>, StoreError> {
        let mut range: Option<(u64, u64)> = None;
        for r in records {
            let seq = self.append(tenant, r)?;
            range = Some((range.map_or(seq, |(first, _)| first), seq));
        }
        Ok(range)
    }
    /// Insert a new deputy with its duplicate keys and the keyed hash of its ID number.
    fn insert_deputy(
        &mut self,
        tenant: &TenantId,
        deputy: &Deputy,
        keys: &DeputyKeys,
    ) -> Result<(), StoreError>;
    /// [`Queries::key_matches`] for a registration: the answer stays true until the transaction ends — a
    /// registration of the same person elsewhere waits for this one (PostgreSQL: the keys are locked;
    /// SQLite: its one writer already runs one transaction at a time).
    fn key_matches_locked(
        &mut self,
        tenant: &TenantId,
        keys: &[liaison_core::registry::DuplicateKey],
    ) -> Result<Vec<liaison_core::registry::KeyMatch>, StoreError> {
        self.key_matches(tenant, keys)
    }
    /// [`WriteTx::insert_deputy`] of a deputy prepared before the job reached the writer
    /// ([`PreparedDeputy`]), with its duplicate keys: the row's CPU work (sealing, masking, JSON, pinyin)
    /// done on the caller's thread, not the writer's (issue 19).
    fn insert_prepared_deputy_with_keys(
        &mut self,
        tenant: &TenantId,
        deputy: &PreparedDeputy,
        keys: &DeputyKeys,
    ) -> Result<(), StoreError>;
    /// Insert a new deputy prepared outside the transaction ([`PreparedDeputy`]: sealed, masked, keyed),
    /// without its duplicate keys (a bulk import adds them afterwards with `insert_keys`).
    fn insert_prepared_deputy(
        &mut self,
        tenant: &TenantId,
        deputy: &PreparedDeputy,
    ) -> Result<(), StoreError>;
    /// Open an import batch: the deputies staged under it are seen by no query until it is published
    /// (`batch` module; issue 13, item 4).
    fn begin_batch(
        &mut self,
        tenant: &TenantId,
        batch: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
    /// Stage prepared deputies and their duplicate keys under an open batch, and renew its heartbeat;
    /// refused with `Transaction` when the batch is no longer open (found stale and abandoned).
    fn stage_deputies(
        &mut self,
        tenant: &TenantId,
        batch: &str,
        deputies: &[PreparedDeputy],
        keys: &[(String, DeputyId, Option<String>)],
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
    /// Publish (every deputy of it appears at once) or abandon an open batch; false if it was not open.
    fn end_batch(
        &mut self,
        tenant: &TenantId,
        batch: &str,
        to: BatchState,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError>;
    /// Wipe up to `limit` rows of an abandoned batch to tombstones (personal data and keys removed); how
    /// many were wiped (0: none left).
    fn wipe_batch(&mut self, tenant: &TenantId, batch: &str, limit: u32) -> Result<u64, StoreError>;
    /// Add duplicate-detection keys: (key, deputy, keyed hash of its ID number). A bulk import adds them
    /// after its deputies, sorted, so the index grows in order.
    fn insert_keys(
        &mut self,
        tenant: &TenantId,
        keys: &[(String, DeputyId, Option<String>)],
    ) -> Result<(), StoreError>;
    /// Replace a deputy's state and keys; refused with `Conflict` unless the stored version is `expected`.
    fn update_deputy(
        &mut self,
        tenant: &TenantId,
        deputy: &Deputy,
        expected: u64,
        keys: &DeputyKeys,
    ) -> Result<(), StoreError>;
    /// Replace the organisation; refused with `Conflict` unless the stored version is `expected`.
    fn save_organisation(
        &mut self,
        tenant: &TenantId,
        org: &Organisation,
        expected: u64,
    ) -> Result<(), StoreError>;
    /// Insert a user.
    fn insert_user(&mut self, user: &UserRecord) -> Result<(), StoreError>;
    /// Insert a token (its hash only).
    fn insert_token(&mut self, token: &TokenRecord, token_hash: &str) -> Result<(), StoreError>;
    /// Revoke a token; false if there was no active token with that id.
    fn revoke_token(
        &mut self,
        tenant: &TenantId,
        token_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError>;
    /// Replace a user's roles, status, pending roles and department; refused with `Conflict` unless the
    /// stored version is `expected`.
    fn update_user(&mut self, user: &UserRecord, expected: u64) -> Result<(), StoreError>;
    /// Revoke every unrevoked token of a user; returns the ids revoked.
    fn revoke_user_tokens(
        &mut self,
        tenant: &TenantId,
        user: UserId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<String>, StoreError>;
    /// Set when a token expires (tokens made before expiry existed) and when it was last used.
    fn set_token_times(
        &mut self,
        tenant: &TenantId,
        token_id: &str,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
        last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(), StoreError>;
    /// Spend every unused one-use link of a kind for a record (a new one replaces them); returns how many.
    fn revoke_links(
        &mut self,
        tenant: &TenantId,
        kind: &str,
        record_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError>;
    /// Insert a workflow record (refused with `Taken` if its number is used).
    fn insert_record(&mut self, tenant: &TenantId, row: &RecordRow) -> Result<(), StoreError>;
    /// Replace a workflow record; refused with `Conflict` unless the stored version is `expected`.
    fn update_record(&mut self, tenant: &TenantId, row: &RecordRow, expected: u64) -> Result<(), StoreError>;
    /// The next value of a per-tenant counter (1, 2, 3 …), e.g. `suggestion-2026`.
    fn next_number(&mut self, tenant: &TenantId, name: &str) -> Result<u64, StoreError>;
    /// Store a one-use link (its secret's hash only).
    fn insert_link(&mut self, link: &LinkRecord, hash: &str) -> Result<(), StoreError>;
    /// Revoke the unused links of `kind` sent to one deputy for one record (a new issue replaces them);
    /// returns the ids revoked.
    fn revoke_deputy_links(
        &mut self,
        tenant: &TenantId,
        kind: &str,
        record_id: &str,
        deputy_id: &str,
    ) -> Result<Vec<String>, StoreError>;
    /// Insert (`expected` 0) or update an account's credentials at the version read.
    fn save_credentials(&mut self, c: &CredentialRecord, expected: u64) -> Result<(), StoreError>;
    /// Insert a session with the hash of its secret.
    fn insert_session(&mut self, s: &SessionRecord, hash: &str) -> Result<(), StoreError>;
    /// Write a session's stage, times and end; false when it had ended meanwhile.
    fn save_session(&mut self, s: &SessionRecord) -> Result<bool, StoreError>;
    /// End every open session of an account; their ids.
    fn end_user_sessions(
        &mut self,
        tenant: &TenantId,
        user: UserId,
        at: chrono::DateTime<chrono::Utc>,
        reason: liaison_core::login::EndReason,
    ) -> Result<Vec<String>, StoreError>;
    /// Mark a link used; false if it was already used or does not exist.
    fn use_link(
        &mut self,
        tenant: &TenantId,
        id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError>;
    /// Queue an outgoing message in this transaction (the outbox); false when its dedup key was queued
    /// already (nothing written).
    fn enqueue_message(&mut self, tenant: &TenantId, message: &NewMessage) -> Result<bool, StoreError>;
    /// Claim up to `limit` messages of `channels` of every tenant due at `now` for the delivery worker: each is leased
    /// until `lease_until` and returned as it was (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    fn claim_messages(
        &mut self,
        now: chrono::DateTime<chrono::Utc>,
        lease_until: chrono::DateTime<chrono::Utc>,
        limit: u32,
        channels: &[liaison_core::message::MessageChannel],
    ) -> Result<Vec<MessageRecord>, StoreError>;
    /// Save a recipient's contact settings at version `expected` (0: none yet); `email`: `None` keeps the
    /// account's address, `Some(None)` removes it, `Some(Some(a))` seals `a`. False when they moved.
    fn save_contact(
        &mut self,
        tenant: &TenantId,
        contact: &ContactRecord,
        email: Option<Option<&str>>,
        expected: u64,
    ) -> Result<bool, StoreError>;
    /// Save a message's delivery if it is still at version `expected`; false when it moved meanwhile.
    fn save_delivery(
        &mut self,
        tenant: &TenantId,
        id: &str,
        delivery: &liaison_core::message::Delivery,
        expected: u64,
    ) -> Result<bool, StoreError>;
    /// Mark a delivered inbox message for `recipient` read; false when there is none unread.
    fn mark_message_read(
        &mut self,
        tenant: &TenantId,
        id: &str,
        recipient: &liaison_core::message::Recipient,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError>;
    /// Remember the response to an idempotent request.
    fn save_idempotent(
        &mut self,
        tenant: &TenantId,
        key: &str,
        request_hash: &str,
        response: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
}

/// A unit of work for the writer. `run` executes inside its own savepoint and says whether to keep its
/// changes; `finish` learns whether the transaction that holds them committed.
pub trait WriteJob: Send {
    /// Do the work; `true` keeps the changes, `false` rolls them back.
    fn run(&mut self, tx: &mut dyn WriteTx) -> bool;
    /// The commit's outcome.
    fn finish(self: Box<Self>, committed: Result<(), StoreError>);
    /// A large job (an import): once its transaction has ended, and before `finish`, the backend gives
    /// back the space its log took (SQLite: `wal_checkpoint(TRUNCATE)`; PostgreSQL: nothing to do).
    fn large(&self) -> bool {
        false
    }
}

/// A persistence backend.
pub trait Store: Send + Sync {
    /// Queue a write job for the writer.
    fn submit(&self, job: Box<dyn WriteJob>);
    /// Run read-only queries on a pooled connection.
    fn read(&self, f: &mut dyn FnMut(&dyn Queries) -> Result<(), StoreError>) -> Result<(), StoreError>;
    /// The audit keys (for verification).
    fn keys(&self) -> &Keys;
    /// Verify the audit chain of every tenant.
    fn verify_audit(&self) -> Result<audit::VerifyReport, StoreError>;
    /// Hand every aggregate of the given kinds (`deputy`, `organisation`, record kinds) to `visit` with its
    /// stored state and its audit records, one at a time in (tenant, kind, id) order, all read from one
    /// consistent snapshot (`state` module): what `liaison audit verify --state` replays and compares.
    fn scan_state(
        &self,
        kinds: &[&str],
        visit: &mut dyn FnMut(state::AggregateState) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// Ready to serve: it answers, and no damage was found (SQLite: the start-up integrity check).
    fn check(&self) -> Result<(), StoreError>;
    /// Where the start-up integrity check stands: `checking`, `ok` or `damaged` (PostgreSQL keeps its own:
    /// `ok`).
    fn integrity(&self) -> &'static str {
        "ok"
    }
    /// Ready to take reads *and writes*, and if not, why (`/readyz`): it answers, it was not found damaged,
    /// its last write did not fail (within `health::FAILED_WRITE_WINDOW`), and (SQLite) the disk holding it
    /// has more free space than the configured floor.
    fn readiness(&self) -> Readiness {
        let mut r = Readiness::new(self.integrity());
        if let Err(e) = self.check() {
            r.not(
                "store.unreachable",
                format!("数据库无法访问：{e}"),
                format!("the database does not answer: {e}"),
            );
        }
        r
    }
    /// Write one consistent backup to `dest` (which must not exist) while the service runs: a private file
    /// (0600), written under a temporary name and renamed onto `dest` only when complete, so `dest` never
    /// holds a partial backup. SQLite: a snapshot of the file, checked (`quick_check`, then the audit chain
    /// under the key) before it is renamed; the chain report of the copy is returned. PostgreSQL:
    /// `pg_dump --format=custom` (`None`: a dump is checked by restoring it, `liaison db restore`).
    fn backup(&self, dest: &std::path::Path) -> Result<Option<audit::VerifyReport>, StoreError>;

    /// The applied schema version.
    fn schema_version(&self) -> Result<u32, StoreError>;
    /// A short name for logs: `sqlite:/path` or `postgres://…` (without credentials).
    fn describe(&self) -> String;
    /// Whether reads wait on the network (PostgreSQL) rather than run on the CPU (SQLite): async callers
    /// should then tell their runtime that they are about to block.
    fn reads_wait_on_network(&self) -> bool {
        false
    }
    /// Run read-only queries where staleness is harmless (reports, dashboards, public figures): on a
    /// standby when one is configured (PostgreSQL `read_replica_url`), else as [`Store::read`]. Never for a
    /// command's own reads (those run inside its write job) nor for authentication.
    fn read_stale(
        &self,
        f: &mut dyn FnMut(&dyn Queries) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.read(f)
    }
    /// Where the database stands in streaming replication (`/metrics`): `None` for a backend without
    /// replication (SQLite).
    fn replication(&self) -> Result<Option<ReplicationStatus>, StoreError> {
        Ok(None)
    }
}

struct ClosureJob<F, R, E> {
    f: Option<F>,
    large: bool,
    result: Option<Result<R, E>>,
    reply: Option<tokio::sync::oneshot::Sender<Result<R, E>>>,
}

impl<F, R, E> WriteJob for ClosureJob<F, R, E>
where
    F: FnOnce(&mut dyn WriteTx) -> Result<R, E> + Send,
    R: Send,
    E: From<StoreError> + Send,
{
    fn run(&mut self, tx: &mut dyn WriteTx) -> bool {
        let Some(f) = self.f.take() else { return false };
        let r = f(tx);
        let ok = r.is_ok();
        self.result = Some(r);
        ok
    }

    fn large(&self) -> bool {
        self.large
    }

    fn finish(mut self: Box<Self>, committed: Result<(), StoreError>) {
        let out = match (committed, self.result.take()) {
            (Ok(()), Some(r)) => r,
            (Err(e), Some(Ok(_))) => Err(e.into()),
            (_, Some(Err(e))) => Err(e),
            (Err(e), None) => Err(e.into()),
            (Ok(()), None) => Err(StoreError::WriterGone.into()),
        };
        if let Some(reply) = self.reply.take() {
            // The caller may have gone away (a dropped request); the outcome is then only in the log.
            let _ = reply.send(out);
        }
    }
}

fn job<F, R, E>(f: F, large: bool) -> (Box<dyn WriteJob>, tokio::sync::oneshot::Receiver<Result<R, E>>)
where
    F: FnOnce(&mut dyn WriteTx) -> Result<R, E> + Send + 'static,
    R: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    (Box::new(ClosureJob { f: Some(f), large, result: None, reply: Some(tx) }), rx)
}

/// Run `f` as one transaction on the writer and wait for it (for synchronous callers such as the CLI).
pub fn write_blocking<F, R, E>(store: &dyn Store, f: F) -> Result<R, E>
where
    F: FnOnce(&mut dyn WriteTx) -> Result<R, E> + Send + 'static,
    R: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let (j, rx) = job(f, false);
    store.submit(j);
    rx.blocking_recv().unwrap_or_else(|_| Err(StoreError::WriterGone.into()))
}

/// Run `f` as one transaction on the writer and await it (for async callers such as the HTTP server).
pub async fn write_async<F, R, E>(store: &dyn Store, f: F) -> Result<R, E>
where
    F: FnOnce(&mut dyn WriteTx) -> Result<R, E> + Send + 'static,
    R: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let (j, rx) = job(f, false);
    store.submit(j);
    rx.await.unwrap_or_else(|_| Err(StoreError::WriterGone.into()))
}

/// As `write_async`, for a large job (an import): once its transaction has ended, the log it grew is given
/// back before the answer (SQLite: the WAL is checkpointed and truncated), so a large import does not
/// leave hundreds of megabytes of log behind.
pub async fn write_large_async<F, R, E>(store: &dyn Store, f: F) -> Result<R, E>
where
    F: FnOnce(&mut dyn WriteTx) -> Result<R, E> + Send + 'static,
    R: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let (j, rx) = job(f, true);
    store.submit(j);
    rx.await.unwrap_or_else(|_| Err(StoreError::WriterGone.into()))
}

/// Give back the log's space now (SQLite: checkpoint and truncate the WAL, on the writer, between
/// transactions; nothing elsewhere), and wait for it. For synchronous callers (after a backup).
pub fn checkpoint_blocking(store: &dyn Store) {
    let (j, rx) = job(|_: &mut dyn WriteTx| Ok::<(), StoreError>(()), true);
    store.submit(j);
    let _ = rx.blocking_recv();
}

/// Run read-only queries and return their result.
pub fn read<R>(
    store: &dyn Store,
    f: impl FnOnce(&dyn Queries) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut f = Some(f);
    let mut out = None;
    store.read(&mut |q| {
        if let Some(f) = f.take() {
            out = Some(f(q)?);
        }
        Ok(())
    })?;
    out.ok_or(StoreError::WriterGone)
}

/// As [`read`], where staleness is harmless ([`Store::read_stale`]).
pub fn read_stale<R>(
    store: &dyn Store,
    f: impl FnOnce(&dyn Queries) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut f = Some(f);
    let mut out = None;
    store.read_stale(&mut |q| {
        if let Some(f) = f.take() {
            out = Some(f(q)?);
        }
        Ok(())
    })?;
    out.ok_or(StoreError::WriterGone)
}

/// A deputy's duplicate-detection keys and the keyed hash of its ID number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeputyKeys {
    /// Keys (`registry::duplicate_keys`).
    pub keys: Vec<DuplicateKey>,
    /// Keyed hash of the ID number.
    pub id_hash: Option<String>,
}

/// The tenant id every single-procuratorate deployment uses.
pub fn default_tenant() -> TenantId {
    TenantId::single()
}

/// The id of the system actor (first start, migrations).
pub fn system_user() -> UserId {
    UserId(uuid::Uuid::nil())
}
