//! A pool fixed before the draw: its strata and shares, each stratum's exact inclusion probability, and the
//! canonical text (format 2) that binds the strata, the shares, the matter and the seed's promise.

use super::*;

/// A pool fixed before the draw: the strata with their fixed quotas, and the seats still to be shared
/// among groups of strata by randomised rounding (proportional quotas), if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    /// The strata, in draw order.
    pub strata: Vec<Stratum>,
    /// The seats shared by randomised rounding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<Apportionment>,
    /// The matter drawn for, as its record states it (kind, day, seats, eligibility, rule for an activity;
    /// the case and its kind for a review), so that the published record's own fields are bound too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matter: Option<String>,
}

impl Pool {
    /// A pool without shares.
    pub fn plain(strata: Vec<Stratum>) -> Self {
        Self { strata, shares: None, matter: None }
    }

    /// The same pool, for this matter.
    pub fn for_matter(mut self, matter: String) -> Self {
        self.matter = Some(matter);
        self
    }

    /// Seats in all.
    pub fn seats(&self) -> usize {
        seats_of(&self.strata, self.shares.as_ref())
    }

    /// Every stratum's inclusion probability: the chance that any one of its candidates is drawn, exactly,
    /// as a fraction `(numerator, denominator)` (reduced).
    pub fn inclusion(&self) -> Vec<Inclusion> {
        inclusion_of(&self.strata, self.shares.as_ref())
    }
}

/// The strata's fixed quotas and the seats shared by rounding, saturating.
pub(super) fn seats_of(strata: &[Stratum], shares: Option<&Apportionment>) -> usize {
    strata
        .iter()
        .fold(0usize, |n, s| n.saturating_add(s.quota))
        .saturating_add(shares.map_or(0, Apportionment::extra))
}

/// Every stratum's inclusion probability (see [`Pool::inclusion`]), from borrowed parts.
pub(super) fn inclusion_of(strata: &[Stratum], shares: Option<&Apportionment>) -> Vec<Inclusion> {
    let mut bonus: Vec<(u64, u64)> = vec![(0, 1); strata.len()];
    if let Some(sh) = shares {
        for g in &sh.groups {
            if let Some(&i) =
                g.strata.iter().find(|&&i| strata.get(i).is_some_and(|s| s.quota < s.candidates.len()))
            {
                bonus[i] = (g.length, sh.step);
            }
        }
    }
    strata
        .iter()
        .zip(bonus)
        .map(|(s, (num, den))| {
            // (quota + num/den) / size
            let size = s.candidates.len() as u64;
            let quota = u64::try_from(s.quota).unwrap_or(u64::MAX);
            let (n, d) =
                reduce(quota.saturating_mul(den).saturating_add(num), size.max(1).saturating_mul(den));
            Inclusion {
                stratum: s.name.clone(),
                candidates: s.candidates.len(),
                numerator: n,
                denominator: d,
            }
        })
        .collect()
}

fn reduce(n: u64, d: u64) -> (u64, u64) {
    let (mut a, mut b) = (n, d);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    let g = a.max(1);
    (n / g, d / g)
}

/// The chance of each candidate of a stratum to be drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inclusion {
    /// The stratum.
    pub stratum: String,
    /// Its candidates.
    pub candidates: usize,
    /// Numerator of the probability.
    pub numerator: u64,
    /// Denominator of the probability.
    pub denominator: u64,
}

/// The canonical text of a pool and its promise (format 2): the strata's lines as [`canonical`], then one
/// `share:` line per group (`share:name:length/step:indices`), the matter (`matter:…`) when stated, then
/// the promise
/// (`promise:committed:<commitment>` or `promise:public:<published_on>:<source>`).
pub fn canonical_v2(pool: &Pool, promise: &SeedPromise) -> String {
    canonical_parts(&pool.strata, pool.shares.as_ref(), pool.matter.as_deref(), promise)
}

pub(super) fn canonical_parts(
    strata: &[Stratum],
    shares: Option<&Apportionment>,
    matter: Option<&str>,
    promise: &SeedPromise,
) -> String {
    let mut out = canonical(strata);
    if let Some(sh) = shares {
        for g in &sh.groups {
            let idx: Vec<String> = g.strata.iter().map(ToString::to_string).collect();
            out.push_str(&format!("\nshare:{}:{}/{}:{}", g.name, g.length, sh.step, idx.join(",")));
        }
    }
    if let Some(m) = matter {
        out.push_str(&format!("\nmatter:{m}"));
    }
    match promise {
        SeedPromise::Committed { commitment, reason } => {
            out.push_str(&format!("\npromise:committed:{commitment}"));
            if let Some(r) = reason {
                out.push_str(&format!(":{r}"));
            }
        }
        SeedPromise::Public { source, published_on } => {
            out.push_str(&format!("\npromise:public:{published_on}:{source}"));
        }
    }
    out
}
