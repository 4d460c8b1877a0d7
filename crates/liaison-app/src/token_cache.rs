//! Bearer-token authentication with a principal cache (issue 19): the principals of tokens already seen,
//! kept under the tenant's **authentication epoch** and used only while that epoch is still the tenant's.
//!
//! The epoch (`auth_epochs`, schema v15) is one row per tenant that database triggers bump in the same
//! transaction as every write that can change what a token authenticates as: an account changed (roles,
//! disabled, enabled, deputy linked or unlinked, department, grant) or removed, a token revoked, re-dated
//! or removed, the token policy set. Every request reads that row (one indexed single-row lookup) on the
//! connection it authenticates on, so a change committed by this process, the CLI or a second server is
//! seen by the very next request. An in-process counter would not be: the other processes do not share it.
//!
//! Rules that keep the cache from ever admitting what the database would refuse:
//! - the key is the token's hash, never the token;
//! - an entry is read *after* the epoch it is tagged with (on a miss: token, epoch, token again), so it is
//!   at least as new as its epoch, never older;
//! - only an admission is decided from the cache: a cached token that looks expired or idle is read again
//!   before it is refused (another server may have noted a newer use);
//! - a tenant without an epoch row (a database changed by hand) is never cached;
//! - the idle-use touch (`Touch`, to the hour) is submitted for cached principals as for read ones.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use liaison_core::account::TokenPolicy;
use liaison_core::ids::TenantId;
use liaison_store::crypto::token_hash;
use liaison_store::{Queries, StoreError};

use crate::identity::{Touch, load_token_policy, principal};
use crate::{App, AppError, Principal};

/// At most this many tokens are kept; the cache is emptied when it is full (a refill costs one read each).
const MAX_ENTRIES: usize = 10_000;

/// What a token authenticated as, and what its admission depends on.
#[derive(Debug, Clone)]
struct Entry {
    principal: Principal,
    token: String,
    epoch: u64,
    expires_at: Option<DateTime<Utc>>,
    last_used: DateTime<Utc>,
    policy: TokenPolicy,
}

/// The principals of tokens seen, by the token's hash.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl TokenCache {
    fn get(&self, hash: &str) -> Option<Entry> {
        self.entries.lock().ok()?.get(hash).cloned()
    }

    fn put(&self, hash: String, entry: Entry) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= MAX_ENTRIES && !m.contains_key(&hash) {
                m.clear();
            }
            m.insert(hash, entry);
        }
    }

    fn forget(&self, hash: &str) {
        if let Ok(mut m) = self.entries.lock() {
            m.remove(hash);
        }
    }

    /// Note a use submitted for the token (the cached entry stops asking for another within the hour).
    fn used(&self, hash: &str, at: DateTime<Utc>) {
        if let Ok(mut m) = self.entries.lock()
            && let Some(e) = m.get_mut(hash)
        {
            e.last_used = e.last_used.max(at);
        }
    }

    /// How many tokens are kept (tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.lock().map(|m| m.len()).unwrap_or(0)
    }
}

/// A read made with the tenant's authentication epoch: the epoch beside what was read
/// ([`App::read_as_with`]).
type FirstRead<'a, T> = dyn Fn(&dyn Queries, &TenantId) -> Result<(Option<u64>, T), StoreError> + 'a;

/// How a token's admission turned out.
enum Admission {
    /// Admitted; `touched` when a use was submitted.
    Admitted { touched: bool },
    /// Expired or idle.
    Lapsed,
}

impl App {
    /// Who a bearer token belongs to. Unknown, malformed, revoked, expired and idle tokens, and tokens of
    /// disabled accounts, are all `Unauthenticated`. A use is noted (to the hour) for the idle limit. One
    /// pooled connection, and on a cached token one indexed read (the tenant's authentication epoch).
    pub fn authenticate(&self, token: &str) -> Result<Principal, AppError> {
        self.read(|q| Ok(self.authenticate_on(q, token)))?
    }

    /// Authenticate `token` and run `f` as its principal on the same pooled connection: one checkout for
    /// both (a handler's read after the gate would take a second).
    pub fn read_as<R>(
        &self,
        token: &str,
        f: impl FnOnce(&Principal, &dyn Queries) -> Result<R, AppError>,
    ) -> Result<(Principal, R), AppError> {
        self.read_as_with(token, |q, t| Ok((q.auth_epoch(t)?, ())), |p, q, ()| f(p, q))
    }

    /// [`App::read_as`] whose first read comes with the tenant's epoch: `first(q, tenant)` returns the
    /// epoch it read beside what it read (`Queries::deputy_with_epoch`: one round trip on PostgreSQL).
    /// For a kept principal it runs before anything is decided, under that principal's tenant, and what it
    /// read is used only if the epoch admits the principal; otherwise the token is read again and `first`
    /// runs again under the principal read. `then` runs last, with the principal, the connection and what
    /// `first` read: the caller's checks of the principal belong there, before anything is returned.
    pub(crate) fn read_as_with<T, R>(
        &self,
        token: &str,
        first: impl Fn(&dyn Queries, &TenantId) -> Result<(Option<u64>, T), StoreError>,
        then: impl FnOnce(&Principal, &dyn Queries, T) -> Result<R, AppError>,
    ) -> Result<(Principal, R), AppError> {
        self.read(|q| {
            Ok(self.authenticate_with(q, token, &first).and_then(|(p, read)| {
                let r = then(&p, q, read)?;
                Ok((p, r))
            }))
        })?
    }

    /// Authenticate on the connection `q`: the cached principal while the tenant's epoch is the one it was
    /// read under and the cached times admit it, else a fresh read.
    pub(crate) fn authenticate_on(&self, q: &dyn Queries, token: &str) -> Result<Principal, AppError> {
        self.authenticate_with(q, token, &|q, t| Ok((q.auth_epoch(t)?, ()))).map(|(p, ())| p)
    }

    /// Authenticate on `q` with `first`'s read (see [`App::read_as_with`]); on a fresh read of the token
    /// `first` runs once more, after it, under the tenant read.
    fn authenticate_with<T>(
        &self,
        q: &dyn Queries,
        token: &str,
        first: &FirstRead<'_, T>,
    ) -> Result<(Principal, T), AppError> {
        let token = token.trim();
        if !token.starts_with("lia_") || token.len() > 100 {
            return Err(AppError::Unauthenticated);
        }
        let hash = token_hash(token);
        let now = self.now();
        let mut known = None;
        if let Some(hit) = self.tokens.get(&hash) {
            let (epoch, read) = first(q, &hit.principal.tenant)?;
            if epoch == Some(hit.epoch)
                && let Admission::Admitted { touched } = self.admit(&hit, now)
            {
                if touched {
                    self.tokens.used(&hash, now);
                }
                return Ok((hit.principal, read));
            }
            known = Some((hit.principal.tenant, epoch));
        }
        let p = self.authenticate_fresh(q, hash, known, now)?;
        let (_, read) = first(q, &p.tenant)?;
        Ok((p, read))
    }

    /// Read the token, its account and the tenant's policy from the database, under the epoch read before
    /// them (`known`: the tenant and epoch just read for a stale entry), decide, and keep what was admitted.
    fn authenticate_fresh(
        &self,
        q: &dyn Queries,
        hash: String,
        known: Option<(TenantId, Option<u64>)>,
        now: DateTime<Utc>,
    ) -> Result<Principal, AppError> {
        let (tenant, epoch) = match known {
            Some(known) => known,
            None => match q.user_by_token_hash(&hash)? {
                // The tenant is known only from the token: its epoch is read, then the token again.
                Some((u, _)) => {
                    let epoch = q.auth_epoch(&u.tenant)?;
                    (u.tenant, epoch)
                }
                None => return Err(AppError::Unauthenticated),
            },
        };
        let Some((u, tok)) = q.user_by_token_hash(&hash)? else {
            self.tokens.forget(&hash);
            return Err(AppError::Unauthenticated);
        };
        // Kept only under its own tenant's epoch.
        let epoch = epoch.filter(|_| u.tenant == tenant);
        let (policy, _) = load_token_policy(q, &u.tenant)?;
        let entry = Entry {
            principal: principal(u, format!("token:{}", tok.id)),
            token: tok.id,
            epoch: epoch.unwrap_or_default(),
            expires_at: tok.expires_at,
            last_used: tok.last_used_at.unwrap_or(tok.created_at),
            policy,
        };
        match self.admit(&entry, now) {
            Admission::Lapsed => {
                tracing::info!(token = %entry.token, "token refused: expired or idle");
                self.tokens.forget(&hash);
                Err(AppError::Unauthenticated)
            }
            Admission::Admitted { touched } => {
                let principal = entry.principal.clone();
                if epoch.is_some() {
                    let last_used = if touched { now } else { entry.last_used };
                    self.tokens.put(hash, Entry { last_used, ..entry });
                } else {
                    self.tokens.forget(&hash);
                }
                Ok(principal)
            }
        }
    }

    /// The token's expiry and idle limit at `now`, and the use noted (to the hour) when admitted.
    fn admit(&self, e: &Entry, now: DateTime<Utc>) -> Admission {
        let Some(expires) = e.expires_at else { return Admission::Admitted { touched: false } };
        if e.policy.check(expires, e.last_used, now).is_err() {
            return Admission::Lapsed;
        }
        let touched = now - e.last_used >= Duration::hours(1);
        if touched {
            self.store.submit(Box::new(Touch {
                tenant: e.principal.tenant.clone(),
                id: e.token.clone(),
                at: now,
            }));
        }
        Admission::Admitted { touched }
    }
}
