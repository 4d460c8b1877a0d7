//! The coverage rule (C2, "no deputy is left without a responsible person"): every current deputy has an
//! active responsible officer, a leadership member through the region, and a department (paired
//! individually or through the delegation). The report lists every gap and the figures by level (P1.1).
//!
//! ```
//! use std::collections::BTreeSet;
//!
//! use liaison_core::ids::{DepartmentId, DeputyId, LeaderId, OfficerId};
//! use liaison_core::organisation::{DeputyRef, Gap, OrgCommand, Organisation, coverage};
//! use liaison_core::registry::{DeputyLevel, PersonName, ShortText};
//! use uuid::Uuid;
//!
//! let id = Uuid::from_u128;
//! let region = ShortText::parse("东城区")?;
//! let mut org = Organisation::default();
//! for command in [
//!     OrgCommand::AddRegion { name: region.clone() },
//!     OrgCommand::AddLeader { id: LeaderId(id(1)), name: PersonName::parse("王检察长")?, title: None },
//!     OrgCommand::SetRegionLeader { region: region.clone(), leader: Some(LeaderId(id(1))) },
//!     OrgCommand::AddDepartment { id: DepartmentId(id(2)), name: ShortText::parse("第一检察部")? },
//!     OrgCommand::PairDelegation { department: DepartmentId(id(2)), delegation: ShortText::parse("东城代表团")? },
//!     OrgCommand::AddOfficer {
//!         id: OfficerId(id(3)),
//!         name: PersonName::parse("李联络")?,
//!         department: None,
//!         regions: BTreeSet::from([region.clone()]),
//!     },
//! ] {
//!     for event in org.decide(command)? {
//!         org.apply(&event);
//!     }
//! }
//!
//! let deputy = |n: u128, officer: Option<OfficerId>| DeputyRef {
//!     id: DeputyId(id(n)),
//!     name: format!("代表{n}"),
//!     level: DeputyLevel::Township,
//!     region: "东城区".into(),
//!     delegation: Some("东城代表团".into()),
//!     officer,
//!     department: None,
//! };
//! // One deputy with an officer, one without: the rule finds the gap, the figures count it by level.
//! let report = coverage(&org, [deputy(10, Some(OfficerId(id(3)))), deputy(11, None)]);
//! assert_eq!((report.deputies, report.covered), (2, 1));
//! assert_eq!(report.gaps[0].deputy.id, DeputyId(id(11)));
//! assert_eq!(report.gaps[0].gaps, vec![Gap::NoOfficer]);
//! assert_eq!(report.by_level[&DeputyLevel::Township].covered, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Organisation;
use crate::ids::{DepartmentId, DeputyId, OfficerId};
use crate::registry::DeputyLevel;

/// What coverage needs to know of a deputy (a projection the store can stream for millions of rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct DeputyRef {
    /// Id.
    pub id: DeputyId,
    /// Name.
    pub name: String,
    /// Level.
    pub level: DeputyLevel,
    /// Region.
    pub region: String,
    /// Delegation, if any.
    pub delegation: Option<String>,
    /// Responsible officer, if any.
    pub officer: Option<OfficerId>,
    /// Individually paired department, if any.
    pub department: Option<DepartmentId>,
}

/// One missing link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "gap", rename_all = "snake_case")]
pub enum Gap {
    /// No responsible officer.
    NoOfficer,
    /// The responsible officer no longer does liaison work.
    OfficerInactive {
        /// Officer.
        officer: OfficerId,
    },
    /// The deputy's region is not one of the organisation's regions.
    UnknownRegion {
        /// Region.
        region: String,
    },
    /// The region has no leadership member (包片领导).
    NoLeader {
        /// Region.
        region: String,
    },
    /// No department, individually or through the delegation.
    NoDepartment,
}

impl Gap {
    /// In Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::NoOfficer => "未落实联络员".into(),
            Self::OfficerInactive { .. } => "联络员已停止联络工作".into(),
            Self::UnknownRegion { region } => format!("所属区域“{region}”未登记"),
            Self::NoLeader { region } => format!("区域“{region}”无包片院领导"),
            Self::NoDepartment => "未落实对口部门".into(),
        }
    }
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoOfficer => "no_officer",
            Self::OfficerInactive { .. } => "officer_inactive",
            Self::UnknownRegion { .. } => "unknown_region",
            Self::NoLeader { .. } => "no_leader",
            Self::NoDepartment => "no_department",
        }
    }
}

/// A deputy with gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyGaps {
    /// The deputy.
    pub deputy: DeputyRef,
    /// What is missing.
    pub gaps: Vec<Gap>,
}

/// Figures for one level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCoverage {
    /// Current deputies of this level.
    pub deputies: u64,
    /// Of them, fully covered.
    pub covered: u64,
}

/// The coverage report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// Current deputies considered.
    pub deputies: u64,
    /// Fully covered.
    pub covered: u64,
    /// Per level (P1.1: equal treatment as figures).
    pub by_level: BTreeMap<DeputyLevel, LevelCoverage>,
    /// Deputies per active officer.
    pub officer_loads: BTreeMap<OfficerId, u64>,
    /// Every deputy with a gap.
    pub gaps: Vec<DeputyGaps>,
}

impl CoverageReport {
    /// The gaps of one deputy under the organisation.
    pub fn gaps_of(org: &Organisation, d: &DeputyRef) -> Vec<Gap> {
        let mut gaps = Vec::new();
        match d.officer.and_then(|o| org.officers.get(&o)) {
            None => gaps.push(Gap::NoOfficer),
            Some(o) if !o.active => gaps.push(Gap::OfficerInactive { officer: o.id }),
            Some(_) => {}
        }
        match org.regions.iter().find(|(r, _)| r.as_str() == d.region) {
            None => gaps.push(Gap::UnknownRegion { region: d.region.clone() }),
            Some((_, None)) => gaps.push(Gap::NoLeader { region: d.region.clone() }),
            Some((_, Some(_))) => {}
        }
        let direct = d.department.is_some_and(|x| org.departments.contains_key(&x));
        let via_delegation =
            d.delegation.as_deref().is_some_and(|x| org.department_of_delegation(x).is_some());
        if !direct && !via_delegation {
            gaps.push(Gap::NoDepartment);
        }
        gaps
    }
}

/// Build the coverage report over the current deputies.
pub fn coverage(org: &Organisation, deputies: impl IntoIterator<Item = DeputyRef>) -> CoverageReport {
    let mut r = CoverageReport {
        officer_loads: org.officers.values().filter(|o| o.active).map(|o| (o.id, 0)).collect(),
        ..CoverageReport::default()
    };
    for level in crate::registry::DeputyLevel::ALL {
        r.by_level.insert(*level, LevelCoverage::default());
    }
    for d in deputies {
        let gaps = CoverageReport::gaps_of(org, &d);
        r.deputies += 1;
        let lvl = r.by_level.entry(d.level).or_default();
        lvl.deputies += 1;
        if let Some(load) = d.officer.and_then(|o| r.officer_loads.get_mut(&o)) {
            *load += 1;
        }
        if gaps.is_empty() {
            r.covered += 1;
            lvl.covered += 1;
        } else {
            r.gaps.push(DeputyGaps { deputy: d, gaps });
        }
    }
    r
}
