//! Participation by level and its spread (P1.1: equal chances as figures): attendance per level, seats
//! drawn and cancelled draws apart, and the Gini coefficient of attendances.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::DeputyId;
use crate::registry::DeputyLevel;

/// One level's participation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct LevelFairness {
    /// The level.
    pub level: DeputyLevel,
    /// Deputies of the level in office.
    pub deputies: u32,
    /// Of them, drawn (or chosen by rotation) at least once.
    pub drawn: u32,
    /// Of them, attended at least once: this is participation.
    pub attended: u32,
    /// `attended / deputies`, per mille to the nearest.
    pub permille: u32,
}

/// Participation by level and its spread (P1.1: equal chances as figures). Participation is attendance:
/// a seat drawn and not attended is reported apart, and so are the draws cancelled after their pool was
/// fixed (the classic way to re-run a lottery until it pleases must show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Fairness {
    /// Every level, in order (a level with no deputy still has its row).
    pub by_level: Vec<LevelFairness>,
    /// The Gini coefficient of attendances per deputy, per mille (0: everyone equally often).
    pub gini_permille: u32,
    /// Attendances in all (participations).
    pub participations: u32,
    /// Seats drawn in all (attended or not).
    pub seats_drawn: u32,
    /// Draws cancelled after the pool and the seed's promise were fixed (set by the caller).
    pub cancelled_draws: u32,
}

/// Fairness over the current deputies, from how often each was drawn and how often each attended.
pub fn fairness(
    deputies: &[(DeputyId, DeputyLevel)],
    drawn: &BTreeMap<DeputyId, u32>,
    attended: &BTreeMap<DeputyId, u32>,
) -> Fairness {
    let mut by: BTreeMap<DeputyLevel, (u32, u32, u32)> =
        DeputyLevel::ALL.iter().map(|l| (*l, (0, 0, 0))).collect();
    let mut xs: Vec<u64> = Vec::with_capacity(deputies.len());
    let mut seats_drawn = 0u32;
    for (d, l) in deputies {
        let n = attended.get(d).copied().unwrap_or(0);
        let k = drawn.get(d).copied().unwrap_or(0);
        seats_drawn += k;
        let e = by.entry(*l).or_default();
        e.0 += 1;
        if k > 0 {
            e.1 += 1;
        }
        if n > 0 {
            e.2 += 1;
        }
        xs.push(u64::from(n));
    }
    xs.sort_unstable();
    let total: u64 = xs.iter().sum();
    let n = xs.len() as u64;
    // Gini = Σ (2i − n − 1) x_i / (n Σ x), i from 1, x sorted ascending.
    let gini_permille = if total == 0 || n == 0 {
        0
    } else {
        let s: i128 =
            xs.iter().enumerate().map(|(i, x)| (2 * (i as i128 + 1) - n as i128 - 1) * i128::from(*x)).sum();
        let d = i128::from(n) * i128::from(total);
        ((s * 1000 + d / 2) / d) as u32
    };
    Fairness {
        by_level: DeputyLevel::ALL
            .iter()
            .map(|l| {
                let (deputies, drawn, attended) = by[l];
                LevelFairness {
                    level: *l,
                    deputies,
                    drawn,
                    attended,
                    permille: crate::ratio::permille(attended.into(), deputies.into()).unwrap_or(0),
                }
            })
            .collect(),
        gini_permille,
        participations: total as u32,
        seats_drawn,
        cancelled_draws: 0,
    }
}
