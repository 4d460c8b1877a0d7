//! Automatic assignment (自动分配): fill every officer and department gap, keeping deputies with the
//! officers and departments of their own region, and balancing loads (the least-loaded candidate first,
//! ties by id, so the plan is deterministic). A deputy whose region has no officer goes to the least-loaded
//! officer overall and is flagged as outside its region.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CoverageReport, DeputyRef, Gap, Organisation};
use crate::ids::{DepartmentId, DeputyId, OfficerId};

/// The spread of officers' loads after the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadSummary {
    /// Active officers.
    pub officers: u64,
    /// The largest number of deputies one officer answers for.
    pub max: u64,
    /// The smallest.
    pub min: u64,
}

/// A plan of assignments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoAssignment {
    /// Deputy → officer, and whether the officer covers the deputy's region.
    pub officers: Vec<(DeputyId, OfficerId, bool)>,
    /// Deputy → department, and whether the department serves the deputy's region.
    pub departments: Vec<(DeputyId, DepartmentId, bool)>,
    /// Deputies left without an officer because there is no active officer at all.
    pub no_officer_available: Vec<DeputyId>,
    /// Deputies left without a department because there is no department at all.
    pub no_department_available: Vec<DeputyId>,
    /// Officers' loads after the plan.
    pub loads: LoadSummary,
}

struct Balancer<K: Ord + Copy> {
    load: BTreeMap<K, u64>,
    by_region: BTreeMap<String, Vec<K>>,
}

impl<K: Ord + Copy> Balancer<K> {
    /// Pick the least-loaded candidate in the region, else overall; count it.
    fn pick(&mut self, region: &str) -> Option<(K, bool)> {
        let least = |cands: &mut dyn Iterator<Item = K>, load: &BTreeMap<K, u64>| {
            cands.min_by_key(|k| (load.get(k).copied().unwrap_or(0), *k))
        };
        let local = self.by_region.get(region).and_then(|c| least(&mut c.iter().copied(), &self.load));
        let (k, in_region) = match local {
            Some(k) => (k, true),
            None => (least(&mut self.load.keys().copied(), &self.load)?, false),
        };
        *self.load.entry(k).or_default() += 1;
        Some((k, in_region))
    }
}

/// Plan the assignments that fill the officer and department gaps of `deputies` (current deputies).
pub fn plan_auto_assignment(org: &Organisation, deputies: &[DeputyRef]) -> AutoAssignment {
    let mut officers = Balancer { load: BTreeMap::new(), by_region: BTreeMap::new() };
    for o in org.officers.values().filter(|o| o.active) {
        officers.load.insert(o.id, 0);
        for r in &o.regions {
            officers.by_region.entry(r.to_string()).or_default().push(o.id);
        }
    }
    let mut departments = Balancer { load: BTreeMap::new(), by_region: BTreeMap::new() };
    for d in org.departments.values() {
        departments.load.insert(d.id, 0);
        for r in &d.regions {
            departments.by_region.entry(r.to_string()).or_default().push(d.id);
        }
    }
    // Present loads first, so that balancing accounts for what is already assigned.
    for d in deputies {
        if let Some(l) = d.officer.and_then(|o| officers.load.get_mut(&o)) {
            *l += 1;
        }
        if let Some(l) = d.department.and_then(|x| departments.load.get_mut(&x)) {
            *l += 1;
        }
    }
    let mut plan = AutoAssignment::default();
    for d in deputies {
        let gaps = CoverageReport::gaps_of(org, d);
        if gaps.iter().any(|g| matches!(g, Gap::NoOfficer | Gap::OfficerInactive { .. })) {
            match officers.pick(&d.region) {
                Some((o, local)) => plan.officers.push((d.id, o, local)),
                None => plan.no_officer_available.push(d.id),
            }
        }
        if gaps.contains(&Gap::NoDepartment) {
            match departments.pick(&d.region) {
                Some((x, local)) => plan.departments.push((d.id, x, local)),
                None => plan.no_department_available.push(d.id),
            }
        }
    }
    plan.loads = LoadSummary {
        officers: officers.load.len() as u64,
        max: officers.load.values().copied().max().unwrap_or(0),
        min: officers.load.values().copied().min().unwrap_or(0),
    };
    plan
}
