//! The verifiable lottery (抽签, C4, R4): a draw that anyone can reproduce from the recorded data alone.
//!
//! The protocol: before the draw, the pool (the eligible candidates, in a canonical order) is fixed and its
//! fingerprint recorded, with a commitment to the seed (its hash); the seed is then revealed and the draw
//! computed from the pool and the seed only; one draw per commitment. The draw is a ChaCha20 stream keyed
//! by the 32-byte seed, consumed by our own Fisher–Yates shuffle with rejection sampling (never a library's
//! sampling helpers, whose output may change between versions), pinned by golden test vectors.
//!
//! Stratified draws shuffle each stratum (e.g. each level) in turn, in a fixed order, from the same stream.
//! Hashing (the fingerprint and the commitment) is done by the caller (SM3, outside the pure core).
//!
//! The seed either is made by the system and committed to ([`SeedPromise::Committed`]), or is taken from a
//! public value named in advance and published only after the pool is fixed ([`SeedPromise::Public`]: a
//! welfare-lottery result, an exchange's closing index …), so that nobody at the procuratorate chooses it.

use chrono::NaiveDate;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::registry::ShortText;

/// One stratum of a pool: its name, the candidates (in canonical order) and how many to draw from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Stratum {
    /// Name (a level's code, or `all`).
    pub name: String,
    /// Candidates, sorted.
    pub candidates: Vec<String>,
    /// How many to draw.
    pub quota: usize,
}

/// The canonical text of a pool, which the caller hashes into its fingerprint: one line per stratum,
/// `name:quota:candidate,candidate,…`, strata in the given order, candidates sorted.
pub fn canonical(strata: &[Stratum]) -> String {
    strata
        .iter()
        .map(|s| {
            let mut c = s.candidates.clone();
            c.sort();
            format!("{}:{}:{}", s.name, s.quota, c.join(","))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a draw cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LotteryError {
    /// A stratum has fewer candidates than its quota.
    #[error("stratum {name} has {have} candidate(s) for {quota} place(s)")]
    TooFew {
        /// Stratum.
        name: String,
        /// Candidates.
        have: usize,
        /// Quota.
        quota: usize,
    },
    /// A candidate listed twice.
    #[error("candidate {0} is listed twice")]
    Duplicate(String),
    /// The shares do not fit their strata.
    #[error("the shared seats do not fit the strata")]
    BadShares,
}

/// Draw: for each stratum in order, a uniformly random ordered selection of its quota from its candidates
/// in sorted order, by a partial Fisher–Yates shuffle (position `i` swaps with a uniform `j` in `i..n`, for
/// `i` in `0..quota`), all strata from one ChaCha20 stream. The work is proportional to the quotas, not to
/// the pool (the swaps are kept sparse), so 100 places from millions of candidates take microseconds once
/// the candidates are in order. The result, stratum by stratum, in drawn order.
pub fn draw(strata: &[Stratum], seed: &[u8; 32]) -> Result<Vec<String>, LotteryError> {
    let mut rng = ChaCha20Rng::from_seed(*seed);
    let quotas: Vec<usize> = strata.iter().map(|s| s.quota).collect();
    draw_strata(strata, &quotas, &mut rng)
}

/// Draw from a pool: when it has shares, the stream's first number places the rounding's points (see
/// [`Apportionment`]) and fixes the quotas; then each stratum is drawn as [`draw`] does, from the same stream.
/// A pool without shares draws exactly as [`draw`].
pub fn draw_pool(pool: &Pool, seed: &[u8; 32]) -> Result<Vec<String>, LotteryError> {
    draw_parts(&pool.strata, pool.shares.as_ref(), 0, seed)
}

/// Draw from strata and shares, with `extra` more places in the last stratum (replacements after the draw),
/// without copying the candidates (millions of them at national scale).
fn draw_parts(
    strata: &[Stratum],
    shares: Option<&Apportionment>,
    extra: usize,
    seed: &[u8; 32],
) -> Result<Vec<String>, LotteryError> {
    let mut rng = ChaCha20Rng::from_seed(*seed);
    let mut quotas: Vec<usize> = match shares {
        None => strata.iter().map(|s| s.quota).collect(),
        Some(sh) => {
            sh.check(strata)?;
            let u = below(&mut rng, sh.step);
            sh.quotas(strata, u)
        }
    };
    if let Some(last) = quotas.last_mut() {
        *last = last.saturating_add(extra);
    }
    draw_strata(strata, &quotas, &mut rng)
}

fn draw_strata(
    strata: &[Stratum],
    quotas: &[usize],
    rng: &mut ChaCha20Rng,
) -> Result<Vec<String>, LotteryError> {
    for (s, &quota) in strata.iter().zip(quotas) {
        if s.candidates.len() < quota {
            return Err(LotteryError::TooFew { name: s.name.clone(), have: s.candidates.len(), quota });
        }
    }
    let mut out = Vec::new();
    for (s, &quota) in strata.iter().zip(quotas) {
        let sorted: std::borrow::Cow<'_, [String]> = if s.candidates.windows(2).all(|w| w[0] <= w[1]) {
            std::borrow::Cow::Borrowed(&s.candidates)
        } else {
            let mut c = s.candidates.clone();
            c.sort();
            std::borrow::Cow::Owned(c)
        };
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(LotteryError::Duplicate(w[0].clone()));
        }
        let n = sorted.len();
        let mut moved: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for i in 0..quota {
            let j = i + below(rng, (n - i) as u64) as usize;
            let at_i = moved.get(&i).copied().unwrap_or(i);
            let at_j = moved.get(&j).copied().unwrap_or(j);
            moved.insert(j, at_i);
            out.push(sorted[at_j].clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(d) = out.iter().find(|x| !seen.insert(x.as_str())) {
        return Err(LotteryError::Duplicate(d.clone()));
    }
    Ok(out)
}

/// A uniform integer in `0..n` (n ≥ 1) by rejection sampling on 64-bit words.
fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % n) - 1;
    loop {
        let x = rng.next_u64();
        if x <= zone {
            return x % n;
        }
    }
}

mod apportion;
mod pool;
mod record;
mod seed;
mod verify;

pub use apportion::{Apportionment, ShareGroup, Split, split};
pub use pool::{Inclusion, Pool, canonical_v2};
pub use record::{DrawRecord, FORMAT, Replacement, Replan, ReplanApproval};
pub use seed::{Reveal, SeedError, SeedPromise, parse_seed, public_value_text, seed_hex};
pub use verify::{DrawProblem, DrawVerification, HashHex, commitment, public_seed};

#[cfg(test)]
mod tests;
