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

/// What is fixed about the seed before the draw, beside the pool's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "seed_source", rename_all = "snake_case")]
pub enum SeedPromise {
    /// A seed made by the system and kept until the draw; its hash (the commitment) is recorded first.
    Committed {
        /// SM3 of the seed's 64 lowercase hex digits.
        commitment: String,
        /// Why a secret seed rather than a public value (the public value is the default, since with a
        /// secret seed the office knows the result before the draw): recorded and published with the draw.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A public value named in advance, published only after the pool is fixed; the seed is the SM3 hash
    /// of [`public_value_text`] of the value as published.
    Public {
        /// What the value is and where it is published (e.g. 中国福利彩票双色球第2026138期开奖号码).
        source: ShortText,
        /// The day it is published: after the day the pool is fixed.
        published_on: NaiveDate,
    },
}

/// What is revealed at the draw; the caller derives the seed from it (the revealed seed itself, or the
/// hash of the public value's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reveal {
    /// The seed, by its hash (computed by the caller), to compare with the commitment.
    Seed {
        /// SM3 of the revealed seed's 64 lowercase hex digits.
        seed_hash: String,
    },
    /// The public value as published.
    PublicValue {
        /// The value.
        value: ShortText,
    },
}

/// Why a seed does not keep its promise.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The revealed seed does not match the commitment (or the wrong kind of seed was revealed).
    #[error("the revealed seed does not match what was promised before the draw")]
    Mismatch,
    /// The public value is not published yet.
    #[error("the public value named for the draw is published on {0}: the draw cannot be made before")]
    NotYetPublished(NaiveDate),
    /// The public value would be known before the pool is fixed.
    #[error("the public value must be published after the pool is fixed, after {0}")]
    PublishedTooEarly(NaiveDate),
}

impl Localized for SeedError {
    fn zh(&self) -> String {
        match self {
            Self::Mismatch => "公布的随机种子与抽签前的承诺不符".into(),
            Self::NotYetPublished(d) => format!("指定的公开数据于 {d} 公布，此前不能抽签"),
            Self::PublishedTooEarly(d) => format!("指定的公开数据须在确定抽选范围之后公布，即晚于 {d}"),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl SeedPromise {
    /// A public value must be published after `today`, the day the pool is fixed.
    pub fn check_commit(&self, today: NaiveDate) -> Result<(), SeedError> {
        match self {
            Self::Public { published_on, .. } if *published_on <= today => {
                Err(SeedError::PublishedTooEarly(today))
            }
            _ => Ok(()),
        }
    }

    /// Whether what is revealed keeps the promise: the commitment's hash, or a public value once published.
    pub fn check_reveal(&self, reveal: &Reveal, today: NaiveDate) -> Result<(), SeedError> {
        match (self, reveal) {
            (Self::Committed { commitment, .. }, Reveal::Seed { seed_hash })
                if seed_hash.eq_ignore_ascii_case(commitment) =>
            {
                Ok(())
            }
            (Self::Public { published_on, .. }, Reveal::PublicValue { .. }) if today < *published_on => {
                Err(SeedError::NotYetPublished(*published_on))
            }
            (Self::Public { .. }, Reveal::PublicValue { .. }) => Ok(()),
            _ => Err(SeedError::Mismatch),
        }
    }
}

/// The text of a public value that is hashed into the seed: whitespace runs as one space, trimmed, so that
/// a value copied with other spacing gives the same seed.
pub fn public_value_text(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A recorded draw: everything a third party needs to reproduce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct Replan {
    /// The earlier record (its id) whose draw was committed.
    pub of: String,
    /// The leader's approval, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ReplanApproval>,
}

/// A leader's approval of planning a matter again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
fn seats_of(strata: &[Stratum], shares: Option<&Apportionment>) -> usize {
    strata
        .iter()
        .fold(0usize, |n, s| n.saturating_add(s.quota))
        .saturating_add(shares.map_or(0, Apportionment::extra))
}

/// Every stratum's inclusion probability (see [`Pool::inclusion`]), from borrowed parts.
fn inclusion_of(strata: &[Stratum], shares: Option<&Apportionment>) -> Vec<Inclusion> {
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

/// Seats shared among groups of strata by systematic randomised rounding (随机化取整), so that the
/// expected share of every group is exact: the draw's stream first gives `u` uniform in `0..step`; the
/// groups' intervals of `length` lie end to end on `0..Σ length` (= `extra × step`); a group gets one more
/// seat for each of the points `u, u + step, u + 2·step …` that falls in its interval, which, as no length
/// exceeds `step`, is at most one, with probability exactly `length / step`. The seat goes to the group's
/// first stratum (in its order) that has a candidate left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apportionment {
    /// The spacing of the points.
    pub step: u64,
    /// The groups, in order.
    pub groups: Vec<ShareGroup>,
}

/// A group of strata (a level) sharing the seats left by the fixed quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareGroup {
    /// Name (the level).
    pub name: String,
    /// Its interval's length: its chance of one more seat is `length / step`.
    pub length: u64,
    /// Its strata (indices into the pool's strata), in the order they take a seat.
    pub strata: Vec<usize>,
}

impl Apportionment {
    /// Seats shared in all.
    pub fn extra(&self) -> usize {
        if self.step == 0 {
            return 0;
        }
        usize::try_from(self.total() / self.step).unwrap_or(usize::MAX)
    }

    /// The lengths added up (saturating: a record from outside may state any length).
    fn total(&self) -> u64 {
        self.groups.iter().fold(0u64, |t, g| t.saturating_add(g.length))
    }

    /// Whether it is well formed against its strata: a positive step, every length at most the step, the
    /// lengths adding up to a whole number of steps, every index a stratum, no stratum in two groups.
    pub fn check(&self, strata: &[Stratum]) -> Result<(), LotteryError> {
        let total = self.total();
        let mut seen = std::collections::BTreeSet::new();
        let bad = self.step == 0
            || total == u64::MAX
            || !total.is_multiple_of(self.step)
            || self.groups.iter().any(|g| g.length > self.step)
            || self.groups.iter().flat_map(|g| &g.strata).any(|&i| i >= strata.len() || !seen.insert(i));
        if bad { Err(LotteryError::BadShares) } else { Ok(()) }
    }

    /// The quotas once the point `u` (in `0..step`) is drawn: each stratum's fixed quota plus the seats its
    /// group gets.
    pub fn quotas(&self, strata: &[Stratum], u: u64) -> Vec<usize> {
        let mut q: Vec<usize> = strata.iter().map(|s| s.quota).collect();
        let step = i128::from(self.step.max(1));
        let u = i128::from(u);
        let mut a: i128 = 0;
        for g in &self.groups {
            let b = a + i128::from(g.length);
            // Points k·step + u (k ≥ 0) in [a, b): ⌈(b − u)/step⌉ − ⌈(a − u)/step⌉.
            let ceil = |x: i128| -(-x).div_euclid(step);
            let mut n = (ceil(b - u) - ceil(a - u)).max(0);
            for &i in &g.strata {
                while n > 0 && q[i] < strata[i].candidates.len() {
                    q[i] += 1;
                    n -= 1;
                }
            }
            a = b;
        }
        q
    }
}

/// The canonical text of a pool and its promise (format 2): the strata's lines as [`canonical`], then one
/// `share:` line per group (`share:name:length/step:indices`), the matter (`matter:…`) when stated, then
/// the promise
/// (`promise:committed:<commitment>` or `promise:public:<published_on>:<source>`).
pub fn canonical_v2(pool: &Pool, promise: &SeedPromise) -> String {
    canonical_parts(&pool.strata, pool.shares.as_ref(), pool.matter.as_deref(), promise)
}

fn canonical_parts(
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

/// Parse a 64-hex-digit seed.
pub fn parse_seed(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The seed as 64 hex digits.
pub fn seed_hex(seed: &[u8; 32]) -> String {
    seed.iter().map(|b| format!("{b:02x}")).collect()
}

/// One stratum of a pool: its name, the candidates (in canonical order) and how many to draw from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// How `seats` are split among groups of these sizes before the draw: each group's fixed quota, and the
/// seats left to share by randomised rounding ([`Apportionment`]) as each group's interval `length` and the
/// common `step`.
///
/// - `proportional`: every candidate of every group has the same chance, `seats / Σ sizes`, exactly: a
///   group's expected share `seats·n / N` is its fixed quota `⌊seats·n / N⌋` plus one more seat with
///   probability `(seats·n mod N) / N`. A level of two deputies in a pool of four hundred thus keeps its chance.
/// - equal: every non-empty group the same share, `seats / k`, a group smaller than that taking all of its
///   candidates and the rest shared among the others; what does not divide evenly goes to each of the
///   groups with candidates left with the same chance.
///
/// Never more than a group has; never more seats than candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Fixed quota of each group.
    pub fixed: Vec<usize>,
    /// Each group's interval on the rounding's line (0: no chance of one more seat).
    pub lengths: Vec<u64>,
    /// The spacing of the rounding's points.
    pub step: u64,
}

impl Split {
    /// Seats shared by rounding.
    pub fn extra(&self) -> usize {
        (self.lengths.iter().sum::<u64>() / self.step.max(1)) as usize
    }
}

/// Split `seats` among groups of these sizes (see [`Split`]).
pub fn split(sizes: &[usize], seats: usize, proportional: bool) -> Split {
    let total: usize = sizes.iter().sum();
    let seats = seats.min(total);
    if total == 0 || seats == 0 {
        return Split { fixed: vec![0; sizes.len()], lengths: vec![0; sizes.len()], step: 1 };
    }
    if proportional {
        let n = total as u64;
        let s = seats as u64;
        return Split {
            fixed: sizes.iter().map(|&k| (s * k as u64 / n) as usize).collect(),
            lengths: sizes.iter().map(|&k| s * k as u64 % n).collect(),
            step: n,
        };
    }
    // Equal shares: fill the groups smaller than the share first, then share the rest evenly. The loop is
    // the only path: an empty group is smaller than any share, so the first round takes it out with 0.
    let mut fixed = vec![0usize; sizes.len()];
    let mut open: Vec<usize> = (0..sizes.len()).collect();
    let mut left = seats;
    loop {
        let base = left / open.len().max(1);
        let small: Vec<usize> = open.iter().copied().filter(|&i| sizes[i] <= base).collect();
        if small.is_empty() {
            for &i in &open {
                fixed[i] = base;
            }
            left -= base * open.len();
            break;
        }
        for &i in &small {
            fixed[i] = sizes[i];
            left -= sizes[i];
        }
        open.retain(|i| !small.contains(i));
        if open.is_empty() {
            break;
        }
    }
    // `left` < |open| and every open group has a candidate left: each gets one more with chance left/|open|
    // (none when nothing is left: a length of 0).
    let mut lengths = vec![0u64; sizes.len()];
    for &i in &open {
        lengths[i] = left as u64;
    }
    Split { fixed, lengths, step: (open.len() as u64).max(1) }
}

#[cfg(test)]
mod tests;
