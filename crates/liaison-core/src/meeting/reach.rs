//! Reach (P3.2, the coverage report's "reached this year"): who was met at a held meeting they attended or
//! visited in a period, by level and region.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Meeting, MeetingStatus, Visit};
use crate::ids::DeputyId;
use crate::organisation::DeputyRef;
use crate::registry::DeputyLevel;

/// Who was reached (met at a held meeting they attended, or visited) in a period, by level and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ReachReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// By level (every level has a row): (level, deputies, reached).
    pub by_level: Vec<(DeputyLevel, u32, u32)>,
    /// By region: (region, deputies, reached).
    pub by_region: Vec<(String, u32, u32)>,
    /// The deputies not reached, in the register's order.
    pub not_reached: Vec<DeputyRef>,
    /// How many were reached.
    pub reached: u32,
}

/// Who was reached in `[from, to]`: attended a held meeting on a day of the period, or was visited on one.
pub fn reached(meetings: &[Meeting], visits: &[Visit], from: NaiveDate, to: NaiveDate) -> BTreeSet<DeputyId> {
    let within = |d: NaiveDate| d >= from && d <= to;
    let mut reached: BTreeSet<DeputyId> = BTreeSet::new();
    for m in meetings.iter().filter(|m| m.status == MeetingStatus::Held && within(m.on)) {
        reached.extend(m.attended.iter().copied());
    }
    for v in visits.iter().filter(|v| within(v.on)) {
        reached.insert(v.deputy.deputy);
    }
    reached
}

/// Every level's deputies and how many of them are in `reached`: (level, deputies, reached), every level a
/// row even when it has no deputy. What the coverage report shows without the list of those not reached.
pub fn reached_by_level<'a>(
    deputies: impl IntoIterator<Item = (&'a DeputyId, DeputyLevel)>,
    reached: &BTreeSet<DeputyId>,
) -> Vec<(DeputyLevel, u32, u32)> {
    let mut by_level: BTreeMap<DeputyLevel, (u32, u32)> =
        DeputyLevel::ALL.iter().map(|l| (*l, (0, 0))).collect();
    for (id, level) in deputies {
        let l = by_level.entry(level).or_default();
        l.0 += 1;
        l.1 += u32::from(reached.contains(id));
    }
    DeputyLevel::ALL.iter().map(|l| (*l, by_level[l].0, by_level[l].1)).collect()
}

/// The reach of meetings and visits over the current deputies in `[from, to]`.
pub fn reach(
    deputies: &[DeputyRef],
    meetings: &[Meeting],
    visits: &[Visit],
    from: NaiveDate,
    to: NaiveDate,
) -> ReachReport {
    let reached = reached(meetings, visits, from, to);
    let mut by_region: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut not_reached = Vec::new();
    for d in deputies {
        let hit = reached.contains(&d.id);
        let r = by_region.entry(d.region.clone()).or_default();
        r.0 += 1;
        if hit {
            r.1 += 1;
        } else {
            not_reached.push(d.clone());
        }
    }
    ReachReport {
        from,
        to,
        by_level: reached_by_level(deputies.iter().map(|d| (&d.id, d.level)), &reached),
        by_region: by_region.into_iter().map(|(k, (a, b))| (k, a, b)).collect(),
        reached: deputies.len() as u32 - not_reached.len() as u32,
        not_reached,
    }
}
