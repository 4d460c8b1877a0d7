//! How the seats are apportioned: the fixed quotas of each group, and the seats left over shared by
//! systematic randomised rounding so that every group's expected share is exact.

use super::*;

/// Seats shared among groups of strata by systematic randomised rounding (随机化取整), so that the
/// expected share of every group is exact: the draw's stream first gives `u` uniform in `0..step`; the
/// groups' intervals of `length` lie end to end on `0..Σ length` (= `extra × step`); a group gets one more
/// seat for each of the points `u, u + step, u + 2·step …` that falls in its interval, which, as no length
/// exceeds `step`, is at most one, with probability exactly `length / step`. The seat goes to the group's
/// first stratum (in its order) that has a candidate left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Apportionment {
    /// The spacing of the points.
    pub step: u64,
    /// The groups, in order.
    pub groups: Vec<ShareGroup>,
}

/// A group of strata (a level) sharing the seats left by the fixed quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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
