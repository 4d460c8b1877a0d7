//! The department scorecard (办理考评, issue 18 item 6): how well each handling department did over a
//! period, as rates of its own figures, weighed by the deployment's weights into one score.
//!
//! The rule: each criterion is a rate in per mille (rounded as every rate shown is, `ratio::permille`);
//! a criterion with nothing to measure (no answer, no rating, no measure) is left out of both the
//! weighted sum and the sum of the weights, so a department is neither rewarded nor punished for what it
//! was not given; with no criterion left (or every weight zero) there is no score — never a division by
//! zero.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ratio::permille;

/// What a department is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// First answers given by their deadline, of those answered (按期答复率).
    OnTime,
    /// First rounds the deputies rated satisfied, of those rated (首轮满意率).
    FirstRound,
    /// Items whose last rated round was satisfied, of those rated (最终满意率).
    Final,
    /// Answered items not sent back for re-handling, of those answered (未重新办理).
    NotRehandled,
    /// Improvement measures completed, of those opened (整改措施完成率).
    Measures,
}

impl Criterion {
    /// Every criterion, in the order shown.
    pub const ALL: [Criterion; 5] = [
        Criterion::OnTime,
        Criterion::FirstRound,
        Criterion::Final,
        Criterion::NotRehandled,
        Criterion::Measures,
    ];

    /// The stored and typed code.
    pub fn code(self) -> &'static str {
        match self {
            Criterion::OnTime => "on_time",
            Criterion::FirstRound => "first_round",
            Criterion::Final => "final",
            Criterion::NotRehandled => "not_rehandled",
            Criterion::Measures => "measures",
        }
    }

    /// The criterion of a code.
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    /// Its name in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Criterion::OnTime => "按期答复率",
            Criterion::FirstRound => "首轮满意率",
            Criterion::Final => "最终满意率",
            Criterion::NotRehandled => "未重新办理率",
            Criterion::Measures => "整改措施完成率",
        }
    }
}

/// The deployment's weights (0–100 each); the score divides by the weights in play, so they need not sum
/// to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ScoreWeights(pub BTreeMap<Criterion, u32>);

impl Default for ScoreWeights {
    fn default() -> Self {
        Self(
            [
                (Criterion::OnTime, 30),
                (Criterion::FirstRound, 20),
                (Criterion::Final, 30),
                (Criterion::NotRehandled, 10),
                (Criterion::Measures, 10),
            ]
            .into(),
        )
    }
}

/// A department's counts over the period: each criterion's numerator and denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Tally {
    /// Items with a first answer.
    pub answered: u32,
    /// … answered by their deadline.
    pub answered_on_time: u32,
    /// First rounds decided by ratings.
    pub first_round_rated: u32,
    /// … satisfied.
    pub first_round_satisfied: u32,
    /// Items whose last decided round was rated.
    pub final_rated: u32,
    /// … satisfied.
    pub final_satisfied: u32,
    /// Items handled again after dissatisfaction.
    pub rehandled: u32,
    /// Improvement measures opened in the period.
    pub measures: u32,
    /// … completed (done or reported back).
    pub measures_done: u32,
}

impl Tally {
    /// A criterion's numerator and denominator.
    pub fn fraction(&self, c: Criterion) -> (u32, u32) {
        match c {
            Criterion::OnTime => (self.answered_on_time, self.answered),
            Criterion::FirstRound => (self.first_round_satisfied, self.first_round_rated),
            Criterion::Final => (self.final_satisfied, self.final_rated),
            Criterion::NotRehandled => (self.answered.saturating_sub(self.rehandled), self.answered),
            Criterion::Measures => (self.measures_done, self.measures),
        }
    }

    /// A criterion's rate in per mille; `None` when there is nothing to measure.
    pub fn rate(&self, c: Criterion) -> Option<u32> {
        let (n, d) = self.fraction(c);
        permille(n.into(), d.into())
    }
}

/// The weighted score in per mille (1000 = every measured criterion perfect): the mean of the measured
/// criteria's rates weighed by their weights, rounded half up; `None` when no weighed criterion has
/// anything to measure.
pub fn score(t: &Tally, w: &ScoreWeights) -> Option<u32> {
    let (mut sum, mut weights) = (0u64, 0u64);
    for c in Criterion::ALL {
        let weight = u64::from(w.0.get(&c).copied().unwrap_or(0));
        if let (Some(rate), true) = (t.rate(c), weight > 0) {
            sum += weight * u64::from(rate);
            weights += weight;
        }
    }
    let mean = sum.checked_add(weights / 2)?.checked_div(weights)?;
    u32::try_from(mean).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally() -> Tally {
        Tally {
            answered: 10,
            answered_on_time: 9,
            first_round_rated: 8,
            first_round_satisfied: 6,
            final_rated: 8,
            final_satisfied: 8,
            rehandled: 2,
            measures: 4,
            measures_done: 1,
        }
    }

    #[test]
    fn each_criterion_is_its_own_rate() {
        let t = tally();
        let rates: Vec<_> = Criterion::ALL.iter().map(|c| t.rate(*c)).collect();
        assert_eq!(rates, [Some(900), Some(750), Some(1000), Some(800), Some(250)]);
    }

    #[test]
    fn the_score_is_the_weighted_mean_of_the_rates() {
        // (30·900 + 20·750 + 30·1000 + 10·800 + 10·250) / 100 = 825
        assert_eq!(score(&tally(), &ScoreWeights::default()), Some(825));
        let only_on_time = ScoreWeights([(Criterion::OnTime, 7)].into());
        assert_eq!(score(&tally(), &only_on_time), Some(900));
        let mut w = ScoreWeights::default();
        w.0.insert(Criterion::Measures, 100);
        // (27000 + 15000 + 30000 + 8000 + 25000) / 190 = 552.6 → 553
        assert_eq!(score(&tally(), &w), Some(553));
    }

    #[test]
    fn zero_items_give_no_score_and_no_division_by_zero() {
        let empty = Tally::default();
        assert!(Criterion::ALL.iter().all(|c| empty.rate(*c).is_none()));
        assert_eq!(score(&empty, &ScoreWeights::default()), None);
        assert_eq!(score(&tally(), &ScoreWeights(BTreeMap::new())), None, "every weight zero");
    }

    #[test]
    fn a_criterion_with_nothing_to_measure_is_left_out_of_the_weights() {
        // Answered on time, never rated, no measures: the score is the on-time and re-handling rates only.
        let t = Tally { answered: 4, answered_on_time: 2, ..Tally::default() };
        // (30·500 + 10·1000) / 40 = 625
        assert_eq!(score(&t, &ScoreWeights::default()), Some(625));
        // More re-handled than answered (a re-handled item answered in an earlier period) stays at zero.
        let t = Tally { answered: 1, answered_on_time: 1, rehandled: 3, ..Tally::default() };
        assert_eq!(t.rate(Criterion::NotRehandled), Some(0));
    }

    #[test]
    fn codes_round_trip() {
        for c in Criterion::ALL {
            assert_eq!(Criterion::from_code(c.code()), Some(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.code()));
        }
        assert_eq!(Criterion::from_code("speed"), None);
    }
}
