//! Whom a lead may invite to co-sign: a name search over the current register, by name, level and region
//! only (a deputy's account cannot read the register itself). The id is carried for the form's choice,
//! never shown.

use liaison_core::ids::DeputyId;
use liaison_store::{DeputyQuery, DeputySummary};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::own_deputy;
use crate::{App, AppError, Principal};

/// The most candidates one search returns.
const MAX: usize = 20;

/// A deputy the lead may invite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Candidate {
    /// The deputy's id (the form's value; not for display).
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 级别.
    pub level_zh: String,
    /// 所属区域.
    pub region: String,
}

impl Candidate {
    fn of(r: DeputySummary) -> Self {
        Self { id: r.id.to_string(), name: r.name, level_zh: r.level.zh().into(), region: r.region }
    }
}

impl App {
    /// The deputies a lead may invite: first those already `chosen` (deputy ids from an earlier search;
    /// any that is not a current deputy, or is the caller, is left out), then the current deputies whose
    /// name (or pinyin, or initials) starts with `q`, the caller's own deputy left out; at most 20 found.
    /// An empty search finds nobody (the register is not listed whole to a deputy).
    pub fn draft_candidates(
        &self,
        p: &Principal,
        q: &str,
        chosen: &[String],
    ) -> Result<Vec<Candidate>, AppError> {
        let me = own_deputy(p)?;
        let mut out: Vec<Candidate> = Vec::new();
        for id in chosen.iter().filter_map(|s| DeputyId::parse(s.trim()).ok()) {
            if id == me || out.iter().any(|c| c.id == id.to_string()) {
                continue;
            }
            if let Some(r) = self.read(|s| s.deputy_summary(&p.tenant, id))?
                && r.status.is_current()
            {
                out.push(Candidate::of(r));
            }
        }
        let q = q.trim();
        if q.is_empty() {
            return Ok(out);
        }
        let query = DeputyQuery { search: Some(q.to_owned()), limit: 200, ..DeputyQuery::default() };
        let rows = self.read(|s| s.list_deputies(&p.tenant, &query))?;
        let found: Vec<Candidate> = rows
            .into_iter()
            .filter(|r| r.status.is_current() && r.id != me && !out.iter().any(|c| c.id == r.id.to_string()))
            .take(MAX)
            .map(Candidate::of)
            .collect();
        out.extend(found);
        Ok(out)
    }
}
