//! Every query a read connection answers, answered by a write transaction too: `queries_through_conn!`
//! writes `impl Queries` for a backend's transaction type by delegating each query to its connection, so a
//! command's reads see its own uncommitted writes and the list of queries is written once for both backends.

/// `impl Queries for $tx` by delegating every query to its `conn` field: a write transaction answers
/// the same queries as a read connection, inside its transaction.
macro_rules! queries_through_conn {
    ($tx:ty) => {
        impl $crate::Queries for $tx {
            fn tenant(&self, t: &TenantId) -> Result<Option<String>, StoreError> {
                self.conn.tenant(t)
            }
            fn tenants(&self) -> Result<Vec<$crate::TenantRecord>, StoreError> {
                self.conn.tenants()
            }
            fn deputy_links(
                &self,
                t: &TenantId,
                deputy: Option<DeputyId>,
            ) -> Result<Vec<$crate::DeputyLinkRecord>, StoreError> {
                self.conn.deputy_links(t, deputy)
            }
            fn same_id_elsewhere(
                &self,
                t: &TenantId,
                deputy: Option<DeputyId>,
            ) -> Result<Vec<$crate::SameIdElsewhere>, StoreError> {
                self.conn.same_id_elsewhere(t, deputy)
            }
            fn deputy(&self, t: &TenantId, id: DeputyId) -> Result<Option<Deputy>, StoreError> {
                self.conn.deputy(t, id)
            }
            fn deputy_summary(
                &self,
                t: &TenantId,
                id: DeputyId,
            ) -> Result<Option<DeputySummary>, StoreError> {
                self.conn.deputy_summary(t, id)
            }
            fn list_deputies(&self, t: &TenantId, q: &DeputyQuery) -> Result<Vec<DeputySummary>, StoreError> {
                self.conn.list_deputies(t, q)
            }
            fn count_deputies(&self, t: &TenantId, q: &DeputyQuery) -> Result<u64, StoreError> {
                self.conn.count_deputies(t, q)
            }
            fn current_deputy_refs(&self, t: &TenantId) -> Result<Vec<DeputyRef>, StoreError> {
                self.conn.current_deputy_refs(t)
            }
            fn current_deputy_levels(
                &self,
                t: &TenantId,
            ) -> Result<Vec<(DeputyId, liaison_core::registry::DeputyLevel)>, StoreError> {
                self.conn.current_deputy_levels(t)
            }
            fn key_matches(&self, t: &TenantId, keys: &[DuplicateKey]) -> Result<Vec<KeyMatch>, StoreError> {
                self.conn.key_matches(t, keys)
            }
            fn chain_seq(&self, t: &TenantId) -> Result<Option<u64>, StoreError> {
                self.conn.chain_seq(t)
            }
            fn deputy_keys_between(
                &self,
                t: &TenantId,
                after: Option<u64>,
                before: Option<u64>,
            ) -> Result<Vec<(String, DeputyId, Option<String>)>, StoreError> {
                self.conn.deputy_keys_between(t, after, before)
            }
            fn organisation(&self, t: &TenantId) -> Result<Organisation, StoreError> {
                self.conn.organisation(t)
            }
            fn user_by_login(&self, t: &TenantId, login: &str) -> Result<Option<UserRecord>, StoreError> {
                self.conn.user_by_login(t, login)
            }
            fn user(&self, t: &TenantId, id: UserId) -> Result<Option<UserRecord>, StoreError> {
                self.conn.user(t, id)
            }
            fn auth_epoch(&self, t: &TenantId) -> Result<Option<u64>, StoreError> {
                self.conn.auth_epoch(t)
            }
            fn contact(
                &self,
                t: &TenantId,
                s: &liaison_core::message::Recipient,
            ) -> Result<Option<$crate::ContactRecord>, StoreError> {
                self.conn.contact(t, s)
            }
            fn contact_email(
                &self,
                t: &TenantId,
                s: &liaison_core::message::Recipient,
            ) -> Result<Option<String>, StoreError> {
                self.conn.contact_email(t, s)
            }
            fn credentials(
                &self,
                t: &TenantId,
                user: UserId,
            ) -> Result<Option<$crate::CredentialRecord>, StoreError> {
                self.conn.credentials(t, user)
            }
            fn guarded_credentials(
                &self,
                t: &TenantId,
                now: DateTime<Utc>,
            ) -> Result<Vec<$crate::CredentialRecord>, StoreError> {
                self.conn.guarded_credentials(t, now)
            }
            fn session_by_hash(&self, h: &str) -> Result<Option<$crate::SessionRecord>, StoreError> {
                self.conn.session_by_hash(h)
            }
            fn open_sessions(
                &self,
                t: &TenantId,
                user: UserId,
            ) -> Result<Vec<$crate::SessionRecord>, StoreError> {
                self.conn.open_sessions(t, user)
            }
            fn users(&self, t: &TenantId) -> Result<Vec<UserRecord>, StoreError> {
                self.conn.users(t)
            }
            fn user_by_token_hash(&self, h: &str) -> Result<Option<(UserRecord, TokenRecord)>, StoreError> {
                self.conn.user_by_token_hash(h)
            }
            fn tokens(&self, t: &TenantId) -> Result<Vec<TokenRecord>, StoreError> {
                self.conn.tokens(t)
            }
            fn idempotent(&self, t: &TenantId, key: &str) -> Result<Option<(String, String)>, StoreError> {
                self.conn.idempotent(t, key)
            }
            fn history(&self, t: &TenantId, aggregate_id: &str) -> Result<Vec<AuditRecord>, StoreError> {
                self.conn.history(t, aggregate_id)
            }
            fn audit_records(
                &self,
                t: &TenantId,
                q: &$crate::AuditQuery,
            ) -> Result<Vec<AuditRecord>, StoreError> {
                self.conn.audit_records(t, q)
            }
            fn audit_times(
                &self,
                t: &TenantId,
                actor: &str,
                kind: &str,
                from: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> Result<Vec<chrono::DateTime<chrono::Utc>>, StoreError> {
                self.conn.audit_times(t, actor, kind, from, limit)
            }
            fn audit_record_at(&self, t: &TenantId, seq: u64) -> Result<Option<AuditRecord>, StoreError> {
                self.conn.audit_record_at(t, seq)
            }
            fn record(
                &self,
                t: &TenantId,
                kind: &str,
                id: &str,
            ) -> Result<Option<$crate::StoredRecord>, StoreError> {
                self.conn.record(t, kind, id)
            }
            fn record_by_number(
                &self,
                t: &TenantId,
                kind: &str,
                number: &str,
            ) -> Result<Option<$crate::StoredRecord>, StoreError> {
                self.conn.record_by_number(t, kind, number)
            }
            fn records(
                &self,
                t: &TenantId,
                kind: &str,
                q: &$crate::RecordQuery,
            ) -> Result<Vec<$crate::StoredRecord>, StoreError> {
                self.conn.records(t, kind, q)
            }
            fn record_summaries(
                &self,
                t: &TenantId,
                kind: &str,
                q: &$crate::RecordQuery,
            ) -> Result<Vec<$crate::Summary>, StoreError> {
                self.conn.record_summaries(t, kind, q)
            }
            fn record_lines(
                &self,
                t: &TenantId,
                kind: &str,
                from: &str,
                to: &str,
                each: &mut dyn FnMut($crate::Line<'_>),
            ) -> Result<(), StoreError> {
                self.conn.record_lines(t, kind, from, to, each)
            }
            fn link_by_hash(&self, hash: &str) -> Result<Option<$crate::LinkRecord>, StoreError> {
                self.conn.link_by_hash(hash)
            }
            fn batches_to_clear(
                &self,
                t: &TenantId,
                stale_before: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<(String, $crate::BatchState)>, StoreError> {
                self.conn.batches_to_clear(t, stale_before)
            }
            fn message(&self, t: &TenantId, id: &str) -> Result<Option<$crate::MessageRecord>, StoreError> {
                self.conn.message(t, id)
            }
            fn messages(
                &self,
                t: &TenantId,
                q: &$crate::MessageQuery,
            ) -> Result<Vec<$crate::MessageRecord>, StoreError> {
                self.conn.messages(t, q)
            }
        }
    };
}
pub(crate) use queries_through_conn;
