//! Verifying a recorded draw from the record alone, as a third party does with a published record: the
//! pool's fingerprint, the seed against its promise, and the draw recomputed from the pool and the seed.
//!
//! The hash (SM3, lowercase hex) is an argument: the core computes no digest itself, so the caller brings
//! its SM3 (`liaison-store`'s, or the `sm3` crate's as in the example below).

use serde::{Deserialize, Serialize};

use super::{DrawRecord, SeedPromise, parse_seed, public_value_text};

/// A hash function over bytes, returning lowercase hex (SM3 for every record this system makes).
pub type HashHex<'a> = &'a dyn Fn(&[u8]) -> String;

/// The verification of a recorded draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct DrawVerification {
    /// `committed` (a secret seed, its hash recorded first) or `public` (a public value named in advance).
    pub seed_source: String,
    /// The pool's fingerprint recomputed from the recorded pool matches the one recorded.
    pub fingerprint_matches: bool,
    /// The seed keeps its promise: its hash is the recorded commitment, or it is the hash of the public
    /// value recorded at the draw.
    pub commitment_matches: bool,
    /// The draw recomputed from the pool and the seed.
    pub recomputed: Vec<String>,
    /// It matches the recorded result.
    pub draw_matches: bool,
    /// All three hold, and nothing else in the record disagrees with them.
    pub ok: bool,
    /// What does not verify, field by field (empty when `ok`).
    #[serde(default)]
    pub problems: Vec<DrawProblem>,
    /// The pool's fingerprint as recorded: compare it with the one published before the draw.
    #[serde(default)]
    pub fingerprint: String,
}

/// A field of a draw record that does not verify, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct DrawProblem {
    /// The field (`strata`, `seed`, `drawn`, `seats`, `participants` …).
    pub field: String,
    /// Why (zh-CN).
    pub reason: String,
}

impl DrawProblem {
    /// A problem with `field`.
    pub fn new(field: &str, reason: &str) -> Self {
        Self { field: field.to_owned(), reason: reason.to_owned() }
    }
}

/// A secret seed's commitment: the hash of its 64 lowercase hex digits (anyone can recompute it).
pub fn commitment(seed_hex: &str, hash: HashHex<'_>) -> String {
    hash(seed_hex.trim().to_ascii_lowercase().as_bytes())
}

/// The seed derived from a public value: the hash of its text with whitespace runs as one space
/// ([`public_value_text`]).
pub fn public_seed(value: &str, hash: HashHex<'_>) -> String {
    hash(public_value_text(value).as_bytes())
}

impl DrawRecord {
    /// Reproduce the draw from this record alone — the pool, the promise, the seed and the result — with
    /// `hash` the SM3 the fingerprint and the commitment were made with.
    ///
    /// ```
    /// use liaison_core::lottery::{self, DrawRecord, Pool, SeedPromise, Stratum};
    /// use sm3::{Digest, Sm3};
    ///
    /// let sm3 = |b: &[u8]| Sm3::digest(b).iter().map(|x| format!("{x:02x}")).collect::<String>();
    /// // The office fixes the pool and commits to a secret seed before the draw …
    /// let pool = Pool::plain(vec![Stratum {
    ///     name: "all".into(),
    ///     candidates: vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()],
    ///     quota: 2,
    /// }]);
    /// let seed = [7u8; 32];
    /// let promise = SeedPromise::Committed {
    ///     commitment: lottery::commitment(&lottery::seed_hex(&seed), &sm3),
    ///     reason: Some("演示".into()),
    /// };
    /// let fingerprint = sm3(lottery::canonical_v2(&pool, &promise).as_bytes());
    /// let mut record = DrawRecord::committed(pool, fingerprint, promise);
    /// // … then reveals the seed and draws.
    /// record.drawn = record.recompute(&seed)?;
    /// record.seed = Some(lottery::seed_hex(&seed));
    ///
    /// // Anyone holding the published record reproduces it.
    /// let v = record.verify(&sm3);
    /// assert!(v.ok, "{:?}", v.problems);
    /// assert_eq!(v.recomputed, record.drawn);
    ///
    /// // A record edited after the draw does not verify, and says where.
    /// record.drawn.reverse();
    /// let v = record.verify(&sm3);
    /// assert!(!v.ok && !v.draw_matches);
    /// assert_eq!(v.problems[0].field, "drawn");
    /// # Ok::<(), liaison_core::lottery::LotteryError>(())
    /// ```
    pub fn verify(&self, hash: HashHex<'_>) -> DrawVerification {
        let fingerprint_matches = hash(self.canonical().as_bytes()) == self.fingerprint;
        let (source, kept) = match (&self.promise, self.seed.as_deref(), self.public_value.as_deref()) {
            (SeedPromise::Committed { commitment: c, .. }, Some(seed), _) => {
                ("committed", commitment(seed, hash) == *c)
            }
            (SeedPromise::Committed { .. }, None, _) => ("committed", false),
            (SeedPromise::Public { .. }, Some(seed), Some(value)) => {
                ("public", public_seed(value, hash).eq_ignore_ascii_case(seed))
            }
            (SeedPromise::Public { .. }, _, _) => ("public", false),
        };
        let recomputed = self
            .seed
            .as_deref()
            .and_then(parse_seed)
            .map(|bytes| self.recompute(&bytes).unwrap_or_default())
            .unwrap_or_default();
        let draw_matches = !recomputed.is_empty() && recomputed == self.drawn;
        let mut problems = Vec::new();
        if !fingerprint_matches {
            let covers = if self.format >= 2 {
                "抽签池、名额分配或随机种子的约定"
            } else {
                "抽签池或名额"
            };
            problems.push(DrawProblem::new("strata", &format!("{covers}与记录的指纹不符（记录被改动过）")));
        }
        if !kept {
            let field = if source == "public" { "public_value" } else { "seed" };
            problems.push(DrawProblem::new(field, "随机种子与抽签前的约定不符"));
        }
        if !draw_matches {
            problems.push(DrawProblem::new("drawn", "按抽签池和随机种子重算的结果与记录的结果不符"));
        }
        DrawVerification {
            seed_source: source.to_owned(),
            ok: fingerprint_matches && kept && draw_matches,
            fingerprint_matches,
            commitment_matches: kept,
            recomputed,
            draw_matches,
            problems,
            fingerprint: self.fingerprint.clone(),
        }
    }
}
