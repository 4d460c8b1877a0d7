//! The recorded draw: everything a third party needs to reproduce it (the pool, the promise, the seed,
//! the drawn), the replacements after it and the approval of a matter planned again.

use super::pool::{canonical_parts, inclusion_of, seats_of};
use super::*;

/// A recorded draw: everything a third party needs to reproduce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct DrawRecord {
    /// The pool, as strata (candidates and quotas, fixed before the draw).
    pub strata: Vec<Stratum>,
    /// The SM3 fingerprint of the pool's canonical text.
    pub fingerprint: String,
    /// What was fixed about the seed before the draw.
    #[serde(flatten)]
    pub promise: SeedPromise,
    /// The seed (64 hex digits), once revealed or derived.
    pub seed: Option<String>,
    /// The public value the seed was derived from, when it came from one.
    #[serde(default)]
    pub public_value: Option<String>,
    /// The drawn, in order.
    pub drawn: Vec<String>,
    /// The seats shared by randomised rounding (proportional quotas), when the pool has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<Apportionment>,
    /// The canonical text's format: 1 (the pool only; records made before 2026-11-28) or 2 (the pool, the
    /// shares and the seed's promise).
    #[serde(default = "format_v1")]
    pub format: u32,
    /// The matter drawn for (see [`Pool::matter`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matter: Option<String>,
    /// Participants replaced after the draw (a conflict found late, R4): each replacement is the next one
    /// the same stream draws from the same pool, so the record still verifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replacements: Vec<Replacement>,
}

/// A matter planned again after an earlier draw for it had its pool and seed fixed (the classic way to re-run
/// a lottery until it pleases): allowed only once a leader approves it with a reason, and shown on the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Replan {
    /// The earlier record (its id) whose draw was committed.
    pub of: String,
    /// The leader's approval, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ReplanApproval>,
}

/// A leader's approval of planning a matter again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ReplanApproval {
    /// The approving leader (name).
    pub by: String,
    /// Why.
    pub reason: String,
    /// On.
    pub on: NaiveDate,
}

/// A participant recused after the draw and the one drawn in their place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Replacement {
    /// The recused participant.
    pub out: String,
    /// Why (the relation found).
    pub reason: String,
    /// Recorded on.
    pub on: NaiveDate,
    /// Drawn in their place.
    pub replacement: String,
}

fn format_v1() -> u32 {
    1
}

/// The format of the canonical text of the draws made now.
pub const FORMAT: u32 = 2;

impl DrawRecord {
    /// The record of a pool and promise, before the draw (current format).
    pub fn committed(pool: Pool, fingerprint: String, promise: SeedPromise) -> Self {
        Self {
            strata: pool.strata,
            fingerprint,
            promise,
            seed: None,
            public_value: None,
            drawn: Vec::new(),
            shares: pool.shares,
            format: FORMAT,
            replacements: Vec::new(),
            matter: pool.matter,
        }
    }

    /// The draw as the seed gives it from the pool: the quotas, then one more from the last stratum for each
    /// replacement (the next ones the stream draws), in order.
    pub fn recompute(&self, seed: &[u8; 32]) -> Result<Vec<String>, LotteryError> {
        draw_parts(&self.strata, self.shares.as_ref(), self.replacements.len(), seed)
    }

    /// The next replacement the stream draws (for one more recused participant), or none when the pool is
    /// exhausted or nothing was drawn yet.
    pub fn next_replacement(&self) -> Option<String> {
        let seed = self.seed.as_deref().and_then(parse_seed)?;
        draw_parts(&self.strata, self.shares.as_ref(), self.replacements.len() + 1, &seed).ok()?.pop()
    }

    /// The participants: the drawn, less those replaced (in the order drawn).
    pub fn participants(&self) -> Vec<String> {
        self.drawn.iter().filter(|d| !self.replacements.iter().any(|r| &r.out == *d)).cloned().collect()
    }

    /// The pool as fixed before the draw.
    pub fn pool(&self) -> Pool {
        Pool { strata: self.strata.clone(), shares: self.shares.clone(), matter: self.matter.clone() }
    }

    /// The text the fingerprint is the hash of: the pool (and, from format 2, the shares and the promise).
    pub fn canonical(&self) -> String {
        if self.format < 2 {
            return canonical(&self.strata);
        }
        canonical_parts(&self.strata, self.shares.as_ref(), self.matter.as_deref(), &self.promise)
    }

    /// Seats in all: the strata's fixed quotas and the seats shared by rounding (saturating: a record from
    /// outside may state any quota, and is then refused by its fingerprint, not by a panic — issue 13).
    pub fn seats(&self) -> usize {
        seats_of(&self.strata, self.shares.as_ref())
    }

    /// Every stratum's inclusion probability (see [`Pool::inclusion`]).
    pub fn inclusion(&self) -> Vec<Inclusion> {
        inclusion_of(&self.strata, self.shares.as_ref())
    }
}
