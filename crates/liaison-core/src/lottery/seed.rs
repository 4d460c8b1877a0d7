//! The seed of a draw: what is promised about it before the draw (a commitment, or a public value named
//! in advance), what is revealed at the draw and how the two are checked, and the seed's text form.

use super::*;

/// What is fixed about the seed before the draw, beside the pool's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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
