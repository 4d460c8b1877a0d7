//! Records the store reads and writes that are not domain aggregates: users, tokens, audit records, list
//! queries and list rows.

use chrono::{DateTime, Utc};
use liaison_core::access::Role;
use liaison_core::account::{Account, AccountKind, RoleRequest};
use liaison_core::ids::{DepartmentId, DeputyId, OfficerId, TenantId, UserId};
use liaison_core::registry::{DeputyLevel, DeputyStatus};
use serde::{Deserialize, Serialize};

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    /// Tenant.
    pub tenant: TenantId,
    /// Id.
    pub id: UserId,
    /// Login name (a-z, 0-9, `.`, `_`, `-`).
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// False when disabled.
    pub active: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// The deputy this account belongs to (role `deputy`): the deputy rates and reads only as themself.
    pub deputy: Option<DeputyId>,
    /// The department this account works in (role `department`): it handles only that department's items.
    pub department: Option<DepartmentId>,
    /// A person's account, or an integration system's.
    pub kind: AccountKind,
    /// Roles waiting for the security administrator's approval.
    pub pending: Option<RoleRequest>,
    /// What an officer's account reaches: its liaison officer and regions (issue 12, item 7).
    pub grant: liaison_core::scope::Grant,
    /// Changes applied (optimistic concurrency).
    pub version: u64,
}

impl UserRecord {
    /// The account as the core's rules see it.
    pub fn account(&self) -> Account {
        Account {
            id: self.id,
            kind: self.kind,
            roles: self.roles.clone(),
            active: self.active,
            pending: self.pending.clone(),
            deputy: self.deputy,
            department: self.department,
            grant: self.grant.clone(),
            version: self.version,
        }
    }
    /// Take the account's state after the core decided.
    pub fn set_account(&mut self, a: &Account) {
        self.kind = a.kind;
        self.roles = a.roles.clone();
        self.active = a.active;
        self.pending = a.pending.clone();
        self.deputy = a.deputy;
        self.department = a.department;
        self.grant = a.grant.clone();
        self.version = a.version;
    }
}

/// An API token's record (the token text is shown once at creation and never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Token id (also the token's visible prefix).
    pub id: String,
    /// Tenant.
    pub tenant: TenantId,
    /// Owner.
    pub user: UserId,
    /// What it is for.
    pub label: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it stops working (none for a token made before expiry existed, until the next start sets it).
    pub expires_at: Option<DateTime<Utc>>,
    /// Last used (to the hour): a token idle beyond the policy's limit stops working.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A new record for the audit chain.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// Event id (UUID v7).
    pub id: uuid::Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: liaison_core::Actor,
    /// Event kind (`deputy.registered`, `access.personal_data_viewed` …).
    pub kind: String,
    /// Aggregate type (`deputy`, `organisation`, `user` …).
    pub aggregate_type: &'static str,
    /// Aggregate id.
    pub aggregate_id: String,
    /// Why, when given.
    pub reason: Option<String>,
    /// The event without personal data, as JSON text.
    pub payload: String,
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Tenant.
    pub tenant: String,
    /// Position in the tenant's chain, from 1.
    pub seq: u64,
    /// Event id.
    pub id: String,
    /// When (RFC 3339).
    pub at: String,
    /// Actor id.
    pub actor_id: String,
    /// Actor name.
    pub actor_name: String,
    /// The credential the actor used (`token:<id>`, `console:<os user>` …); none in records made before
    /// it was recorded (schema v4).
    pub actor_via: Option<String>,
    /// Event kind.
    pub kind: String,
    /// Aggregate type.
    pub aggregate_type: String,
    /// Aggregate id.
    pub aggregate_id: String,
    /// Reason.
    pub reason: Option<String>,
    /// Payload (JSON text).
    pub payload: String,
    /// Hash of the previous record.
    pub prev_hash: String,
    /// This record's hash.
    pub hash: String,
}

/// Filters and position for a list of deputies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeputyQuery {
    /// Only this level.
    pub level: Option<DeputyLevel>,
    /// Only this status.
    pub status: Option<DeputyStatus>,
    /// Only this region.
    pub region: Option<String>,
    /// Only deputies of this officer.
    pub officer: Option<OfficerId>,
    /// Name prefix, or pinyin / initials prefix (ASCII).
    pub search: Option<String>,
    /// Start after this (name key, id) position.
    pub after: Option<(String, DeputyId)>,
    /// Page size.
    pub limit: u32,
}

/// A deputy as lists show it: personal data masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputySummary {
    /// Id.
    pub id: DeputyId,
    /// Version.
    pub version: u64,
    /// Name.
    pub name: String,
    /// Pinyin sort key (the list cursor's position).
    pub name_key: String,
    /// Level.
    pub level: DeputyLevel,
    /// Status.
    pub status: DeputyStatus,
    /// Region.
    pub region: String,
    /// Delegation.
    pub delegation: Option<String>,
    /// Officer.
    pub officer: Option<OfficerId>,
    /// Department.
    pub department: Option<DepartmentId>,
    /// The record without personal data (JSON of `Deputy`, parsed by whoever needs it).
    pub data: String,
    /// Masked personal data.
    pub masked: MaskedPersonal,
}

/// Personal data, masked (`138****0000`): what lists and exports show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedPersonal {
    /// Mobile.
    pub mobile: Option<String>,
    /// Landline.
    pub landline: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// ID number.
    pub id_number: Option<String>,
}

impl MaskedPersonal {
    /// Mask a deputy's personal data.
    pub fn of(
        id_number: Option<&liaison_core::registry::IdNumber>,
        c: &liaison_core::registry::ContactCard,
    ) -> Self {
        Self {
            mobile: c.mobile.as_ref().map(|v| v.masked()),
            landline: c.landline.as_ref().map(|v| v.masked()),
            address: c.address.as_ref().map(|v| v.masked()),
            email: c.email.as_ref().map(|v| v.masked()),
            id_number: id_number.map(|v| v.masked()),
        }
    }

    /// The copy as it is shown today: a masked ID number stored by an older version (`330106********1234`)
    /// keeps only its last four (`**************1234`), so no stored copy shows more than a new one.
    pub fn tightened(mut self) -> Self {
        if let Some(n) = self.id_number.as_mut() {
            let chars: Vec<char> = n.chars().collect();
            let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
            *n = format!("{}{tail}", "*".repeat(chars.len().saturating_sub(4)));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::MaskedPersonal;

    #[test]
    fn an_older_masked_id_number_keeps_only_its_last_four() {
        let old = MaskedPersonal { id_number: Some("330106********1234".into()), ..Default::default() };
        assert_eq!(old.tightened().id_number.as_deref(), Some("**************1234"));
        let new = MaskedPersonal { id_number: Some("**************123X".into()), ..Default::default() };
        assert_eq!(new.clone().tightened(), new);
    }
}
