//! The rights check (G1): given a deputy, or an ID number (with the name, when known), tell whether the
//! person is a deputy in office, of which level(s), and what the Law on Deputies requires before arrest or
//! trial. Every check is audited (who asked, why, what was found), and the ID number never leaves as
//! text: it is matched by its keyed hash.

use liaison_core::ValueError;
use liaison_core::access::Action;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{Deputy, IdNumber};
use liaison_core::rights::{id_keys, protection};
use liaison_store::WriteTx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::runner::json_err;
use crate::{App, AppError, Principal, record};

/// What to check: a deputy's id, or an ID number (and the name, to confirm it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RightsQuery {
    /// A deputy's id on the register.
    #[serde(default)]
    pub deputy: Option<String>,
    /// A resident ID number (18 characters).
    #[serde(default)]
    pub id_number: Option<String>,
    /// The person's name, to confirm the match.
    #[serde(default)]
    pub name: Option<String>,
    /// Why the check is made (the case reference): recorded in the audit chain. Required.
    pub reason: String,
}

/// One deputyship the person holds, and what it requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Deputyship {
    /// The deputy's id.
    #[schema(value_type = String, format = Uuid)]
    pub deputy: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Level code.
    pub level: String,
    /// Level in Chinese.
    pub level_zh: String,
    /// Term (届).
    pub term: u16,
    /// Status (`in_office`, `registered`).
    pub status: String,
    /// Status in Chinese (在任, 已登记).
    pub status_zh: String,
    /// Permission needed before arrest or trial (county level and above).
    pub permission_required: bool,
    /// Who permits, or whom to notify.
    pub authority: String,
    /// The requirement, in Chinese.
    pub requirement_zh: String,
    /// The requirement, in English.
    pub requirement_en: String,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RightsAnswer {
    /// Whether the person is a current deputy on this register.
    pub is_deputy: bool,
    /// Every current deputyship (one person may sit in congresses of two levels).
    pub deputyships: Vec<Deputyship>,
    /// A name was given and does not match the register (the answer is then empty: check the input).
    pub name_mismatch: bool,
    /// The audit record of this check.
    pub audit_seq: u64,
}

impl App {
    /// Check a person's protection as a deputy (audited).
    pub async fn rights_check(&self, p: &Principal, q: &RightsQuery) -> Result<RightsAnswer, AppError> {
        p.require(Action::CheckRights)?;
        if q.reason.trim().is_empty() {
            return Err(AppError::invalid("reason", &ValueError::Required));
        }
        let by_id = q.deputy.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let by_number = q.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let (deputy, id_hash) = match (by_id, by_number) {
            (Some(d), None) => (
                Some(
                    DeputyId::parse(d)
                        .map_err(|_| AppError::invalid("deputy", &ValueError::OneOf("uuid")))?,
                ),
                None,
            ),
            (None, Some(n)) => {
                let n = IdNumber::parse(n).map_err(|e| AppError::invalid("id_number", &e))?;
                (None, Some(self.store.keys().lookup_hash("id_number", n.as_str())))
            }
            _ => {
                return Err(AppError::invalid(
                    "deputy",
                    &ValueError::Mismatch("id_number: give exactly one"),
                ));
            }
        };
        let meta = self.meta(p, Some(q.reason.clone()));
        let (tenant, name) =
            (p.tenant.clone(), q.name.clone().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()));
        self.write(move |tx: &mut dyn WriteTx| {
            let mut ids: Vec<DeputyId> = match (deputy, &id_hash) {
                (Some(d), _) => vec![d],
                (None, Some(h)) => tx.key_matches(&tenant, &id_keys(h))?.into_iter().map(|m| m.existing).collect(),
                _ => vec![],
            };
            ids.sort();
            ids.dedup();
            let mut found = Vec::new();
            for id in ids {
                let Some(s) = tx.deputy_summary(&tenant, id)? else { continue };
                if !s.status.is_current() {
                    continue;
                }
                let d: Deputy = serde_json::from_str(&s.data).map_err(json_err)?;
                found.push(d);
            }
            let name_mismatch = name.as_ref().is_some_and(|n| found.iter().any(|d| d.data.name.as_str() != n));
            if name_mismatch {
                found.clear();
            }
            let deputyships: Vec<Deputyship> = found
                .iter()
                .map(|d| {
                    let pr = protection(d.data.level);
                    Deputyship {
                        deputy: d.id.0,
                        name: d.data.name.to_string(),
                        level: d.data.level.code().into(),
                        level_zh: d.data.level.zh().into(),
                        term: d.data.term.get(),
                        status: d.status.code().into(),
                        status_zh: d.status.zh().into(),
                        permission_required: pr.permission_required,
                        authority: pr.authority,
                        requirement_zh: pr.requirement_zh,
                        requirement_en: pr.requirement_en,
                    }
                })
                .collect();
            let payload = serde_json::json!({
                "by": if deputy.is_some() { "deputy" } else { "id_number" },
                "deputy": deputy.map(|d| d.to_string()),
                "found": deputyships.iter().map(|d| serde_json::json!({"deputy": d.deputy, "level": d.level})).collect::<Vec<_>>(),
                "name_mismatch": name_mismatch,
            });
            let audit_seq = tx.append(&tenant, record(&meta, "rights.checked", "rights", deputy.map(|d| d.to_string()).unwrap_or_else(|| "by-id-number".into()), payload))?;
            Ok(RightsAnswer { is_deputy: !deputyships.is_empty(), deputyships, name_mismatch, audit_seq })
        })
        .await
    }
}
