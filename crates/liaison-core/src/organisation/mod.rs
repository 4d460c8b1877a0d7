//! Corresponding liaison (对应联络, C2): regions and the leadership members who answer for them (包片),
//! departments and the delegations they are paired with (对口), liaison officers; the coverage rule and
//! the automatic assignment that fills its gaps.
//!
//! The organisation of one procuratorate is small (dozens of entries) and its invariants span entries (a
//! region has one leader, a delegation one department), so it is one aggregate per tenant.

mod aggregate;
mod assign;
mod coverage;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use assign::{AutoAssignment, LoadSummary, plan_auto_assignment};
pub use coverage::{CoverageReport, DeputyGaps, DeputyRef, Gap, LevelCoverage, coverage};

use crate::Localized;
use crate::ids::{DepartmentId, LeaderId, OfficerId};
use crate::registry::{PersonName, ShortText};

/// A leadership member (院领导/班子成员) and the regions they answer for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leader {
    /// Id.
    pub id: LeaderId,
    /// Name.
    pub name: PersonName,
    /// Title (检察长, 副检察长 …).
    pub title: Option<ShortText>,
}

/// An internal department (内设部门).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Id.
    pub id: DepartmentId,
    /// Name.
    pub name: ShortText,
    /// Delegations or constituencies paired with it (对口联络).
    pub delegations: BTreeSet<ShortText>,
    /// Regions it serves, used by the automatic assignment.
    pub regions: BTreeSet<ShortText>,
}

/// A liaison officer (联络员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    /// Id.
    pub id: OfficerId,
    /// Name.
    pub name: PersonName,
    /// The officer's department, if any.
    pub department: Option<DepartmentId>,
    /// Regions the officer covers; the automatic assignment keeps deputies within them.
    pub regions: BTreeSet<ShortText>,
    /// False once the officer no longer does liaison work.
    pub active: bool,
}

/// The liaison organisation of one procuratorate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Version: +1 per event.
    pub version: u64,
    /// Regions of the jurisdiction, with the leader who answers for each (包片).
    pub regions: BTreeMap<ShortText, Option<LeaderId>>,
    /// Leadership members.
    pub leaders: BTreeMap<LeaderId, Leader>,
    /// Departments.
    pub departments: BTreeMap<DepartmentId, Department>,
    /// Liaison officers.
    pub officers: BTreeMap<OfficerId, Officer>,
}

/// A change to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrgCommand {
    /// Add a region.
    AddRegion {
        /// Name.
        name: ShortText,
    },
    /// Add a leadership member.
    AddLeader {
        /// New id.
        id: LeaderId,
        /// Name.
        name: PersonName,
        /// Title.
        title: Option<ShortText>,
    },
    /// Make a leader answer for a region, or clear it.
    SetRegionLeader {
        /// Region.
        region: ShortText,
        /// Leader, or none.
        leader: Option<LeaderId>,
    },
    /// Add a department.
    AddDepartment {
        /// New id.
        id: DepartmentId,
        /// Name.
        name: ShortText,
    },
    /// Pair a department with a delegation (对口).
    PairDelegation {
        /// Department.
        department: DepartmentId,
        /// Delegation or constituency.
        delegation: ShortText,
    },
    /// Let a department serve a region in automatic assignment.
    AddDepartmentRegion {
        /// Department.
        department: DepartmentId,
        /// Region.
        region: ShortText,
    },
    /// Add a liaison officer.
    AddOfficer {
        /// New id.
        id: OfficerId,
        /// Name.
        name: PersonName,
        /// Department.
        department: Option<DepartmentId>,
        /// Regions covered.
        regions: BTreeSet<ShortText>,
    },
    /// An officer stops liaison work; their deputies show as gaps until reassigned.
    DeactivateOfficer {
        /// Officer.
        officer: OfficerId,
    },
}

/// What happened to the organisation: the command, accepted. (Each command is its own fact here.)
pub type OrgEvent = OrgCommand;

impl OrgCommand {
    /// The stable event name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::AddRegion { .. } => "org.region_added",
            Self::AddLeader { .. } => "org.leader_added",
            Self::SetRegionLeader { .. } => "org.region_leader_set",
            Self::AddDepartment { .. } => "org.department_added",
            Self::PairDelegation { .. } => "org.delegation_paired",
            Self::AddDepartmentRegion { .. } => "org.department_region_added",
            Self::AddOfficer { .. } => "org.officer_added",
            Self::DeactivateOfficer { .. } => "org.officer_deactivated",
        }
    }
}

/// Why an organisation command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// The name is already used.
    #[error("{what} named {name} already exists")]
    NameTaken {
        /// Kind of entry.
        what: &'static str,
        /// Name.
        name: String,
    },
    /// No such entry.
    #[error("no {what} {id}")]
    Unknown {
        /// Kind of entry.
        what: &'static str,
        /// Its id or name.
        id: String,
    },
    /// The delegation is already paired with another department.
    #[error("delegation {delegation} is already paired with another department")]
    DelegationTaken {
        /// Delegation.
        delegation: String,
    },
    /// The officer is no longer active.
    #[error("officer {0} is not active")]
    OfficerInactive(OfficerId),
    /// Nothing would change.
    #[error("nothing to change")]
    NothingToChange,
}

impl OrgError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NameTaken { .. } => "org.name_taken",
            Self::Unknown { .. } => "org.unknown",
            Self::DelegationTaken { .. } => "org.delegation_taken",
            Self::OfficerInactive(_) => "org.officer_inactive",
            Self::NothingToChange => "org.nothing_to_change",
        }
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "region" => "区域",
        "leader" => "院领导",
        "department" => "部门",
        "officer" => "联络员",
        _ => "对象",
    }
}

impl Localized for OrgError {
    fn zh(&self) -> String {
        match self {
            Self::NameTaken { what, name } => format!("已存在名为“{name}”的{}", what_zh(what)),
            Self::Unknown { what, id } => format!("找不到{}：{id}", what_zh(what)),
            Self::DelegationTaken { delegation } => format!("代表团“{delegation}”已与其他部门对口"),
            Self::OfficerInactive(id) => format!("联络员 {id} 已停止联络工作"),
            Self::NothingToChange => "没有需要修改的内容".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl Organisation {
    /// The leader who answers for a region, if any.
    pub fn leader_of(&self, region: &str) -> Option<&Leader> {
        self.regions
            .iter()
            .find(|(r, _)| r.as_str() == region)
            .and_then(|(_, l)| l.as_ref())
            .and_then(|l| self.leaders.get(l))
    }

    /// The department paired with a delegation, if any.
    pub(crate) fn department_of_delegation(&self, delegation: &str) -> Option<&Department> {
        self.departments.values().find(|d| d.delegations.iter().any(|x| x.as_str() == delegation))
    }

    fn unknown(what: &'static str, id: impl ToString) -> OrgError {
        OrgError::Unknown { what, id: id.to_string() }
    }

    fn department(&self, id: DepartmentId) -> Result<&Department, OrgError> {
        self.departments.get(&id).ok_or_else(|| Self::unknown("department", id))
    }

    fn region_known(&self, r: &ShortText) -> Result<(), OrgError> {
        if self.regions.contains_key(r) { Ok(()) } else { Err(Self::unknown("region", r)) }
    }

    /// Check a command; the events it produces or why it is refused.
    pub fn decide(&self, cmd: OrgCommand) -> Result<Vec<OrgEvent>, OrgError> {
        match &cmd {
            OrgCommand::AddRegion { name } => {
                if self.regions.contains_key(name) {
                    return Err(OrgError::NameTaken { what: "region", name: name.to_string() });
                }
            }
            OrgCommand::AddLeader { id, name, .. } => {
                if self.leaders.contains_key(id) || self.leaders.values().any(|l| &l.name == name) {
                    return Err(OrgError::NameTaken { what: "leader", name: name.to_string() });
                }
            }
            OrgCommand::SetRegionLeader { region, leader } => {
                let current = self.regions.get(region).ok_or_else(|| Self::unknown("region", region))?;
                if let Some(l) = leader
                    && !self.leaders.contains_key(l)
                {
                    return Err(Self::unknown("leader", l));
                }
                if current == leader {
                    return Err(OrgError::NothingToChange);
                }
            }
            OrgCommand::AddDepartment { id, name } => {
                if self.departments.contains_key(id) || self.departments.values().any(|d| &d.name == name) {
                    return Err(OrgError::NameTaken { what: "department", name: name.to_string() });
                }
            }
            OrgCommand::PairDelegation { department, delegation } => {
                let d = self.department(*department)?;
                if d.delegations.contains(delegation) {
                    return Err(OrgError::NothingToChange);
                }
                if self.department_of_delegation(delegation.as_str()).is_some() {
                    return Err(OrgError::DelegationTaken { delegation: delegation.to_string() });
                }
            }
            OrgCommand::AddDepartmentRegion { department, region } => {
                self.region_known(region)?;
                if self.department(*department)?.regions.contains(region) {
                    return Err(OrgError::NothingToChange);
                }
            }
            OrgCommand::AddOfficer { id, name, department, regions } => {
                if self.officers.contains_key(id) || self.officers.values().any(|o| &o.name == name) {
                    return Err(OrgError::NameTaken { what: "officer", name: name.to_string() });
                }
                if let Some(d) = department {
                    self.department(*d)?;
                }
                regions.iter().try_for_each(|r| self.region_known(r))?;
            }
            OrgCommand::DeactivateOfficer { officer } => {
                let o = self.officers.get(officer).ok_or_else(|| Self::unknown("officer", officer))?;
                if !o.active {
                    return Err(OrgError::OfficerInactive(*officer));
                }
            }
        }
        Ok(vec![cmd])
    }

    /// Fold an event into the state.
    pub fn apply(&mut self, e: &OrgEvent) {
        self.version += 1;
        match e.clone() {
            OrgCommand::AddRegion { name } => {
                self.regions.insert(name, None);
            }
            OrgCommand::AddLeader { id, name, title } => {
                self.leaders.insert(id, Leader { id, name, title });
            }
            OrgCommand::SetRegionLeader { region, leader } => {
                self.regions.insert(region, leader);
            }
            OrgCommand::AddDepartment { id, name } => {
                self.departments.insert(
                    id,
                    Department { id, name, delegations: BTreeSet::new(), regions: BTreeSet::new() },
                );
            }
            OrgCommand::PairDelegation { department, delegation } => {
                if let Some(d) = self.departments.get_mut(&department) {
                    d.delegations.insert(delegation);
                }
            }
            OrgCommand::AddDepartmentRegion { department, region } => {
                if let Some(d) = self.departments.get_mut(&department) {
                    d.regions.insert(region);
                }
            }
            OrgCommand::AddOfficer { id, name, department, regions } => {
                self.officers.insert(id, Officer { id, name, department, regions, active: true });
            }
            OrgCommand::DeactivateOfficer { officer } => {
                if let Some(o) = self.officers.get_mut(&officer) {
                    o.active = false;
                }
            }
        }
    }
}
