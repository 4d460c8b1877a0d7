//! The shapes that cross the wire: one definition each, used by the HTTP API (and its OpenAPI document)
//! and by the CLI's `--format json`. Personal data appears masked in `DeputyView` and in full only in
//! `DeputyFullView`, which only roles allowed to see it receive, and each time it is audited.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_core::organisation::Organisation;
use liaison_core::registry::Deputy;
use liaison_store::MaskedPersonal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Contact data as shown (masked or full, depending on the view).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    /// 手机.
    pub mobile: Option<String>,
    /// 固定电话.
    pub landline: Option<String>,
    /// 通讯地址.
    pub address: Option<String>,
    /// 电子邮箱.
    pub email: Option<String>,
    /// 身份证号.
    pub id_number: Option<String>,
}

impl From<MaskedPersonal> for ContactView {
    fn from(m: MaskedPersonal) -> Self {
        Self {
            mobile: m.mobile,
            landline: m.landline,
            address: m.address,
            email: m.email,
            id_number: m.id_number,
        }
    }
}

/// A deputy on the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeputyView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Version (the `ETag`).
    pub version: u64,
    /// 姓名.
    pub name: String,
    /// 性别 (`male`/`female`).
    pub gender: String,
    /// 民族.
    pub ethnicity: Option<String>,
    /// 代表层级: `national`, `provincial`, `city`, `county`, `township`.
    pub level: String,
    /// The level in Chinese.
    pub level_zh: String,
    /// 届次.
    pub term: u16,
    /// 代表团/选区.
    pub delegation: Option<String>,
    /// 所属区域.
    pub region: String,
    /// 工作单位.
    pub work_unit: Option<String>,
    /// 职务.
    pub position: Option<String>,
    /// 特殊身份 (codes).
    pub special_roles: Vec<String>,
    /// Status: `registered`, `in_office`, `term_ended`, `removed`.
    pub status: String,
    /// 任期开始.
    pub term_start: NaiveDate,
    /// 任期结束 (expected).
    pub term_end: Option<NaiveDate>,
    /// Left office on.
    pub ended_on: Option<NaiveDate>,
    /// Responsible officer.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub officer: Option<uuid::Uuid>,
    /// Individually paired department.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department: Option<uuid::Uuid>,
    /// Contact data, masked (`138****0000`).
    pub contact: ContactView,
    /// The other procuratorates' registers the same person is on (a deputy of two congresses, issue 20):
    /// the other congress's level and procuratorate's name only. Shown by one deputy's read, not by lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_registers: Vec<crate::deputy_links::OtherRegisterView>,
}

impl DeputyView {
    /// The view of a deputy with its personal data masked.
    pub fn new(d: &Deputy, masked: MaskedPersonal) -> Self {
        Self {
            id: d.id.0,
            version: d.version,
            name: d.data.name.to_string(),
            gender: d.data.gender.code().into(),
            ethnicity: d.data.ethnicity.as_ref().map(ToString::to_string),
            level: d.data.level.code().into(),
            level_zh: d.data.level.zh().into(),
            term: d.data.term.get(),
            delegation: d.data.delegation.as_ref().map(ToString::to_string),
            region: d.data.region.to_string(),
            work_unit: d.data.work_unit.as_ref().map(ToString::to_string),
            position: d.data.position.as_ref().map(ToString::to_string),
            special_roles: d.data.special_roles.iter().map(|r| r.code().to_owned()).collect(),
            status: d.status.code().into(),
            term_start: d.data.term_start,
            term_end: d.data.term_end,
            ended_on: d.ended_on,
            officer: d.responsibility.officer.map(|o| o.0),
            department: d.responsibility.department.map(|o| o.0),
            contact: masked.into(),
            other_registers: Vec::new(),
        }
    }

    /// The masked view of a full deputy.
    pub fn masked(d: &Deputy) -> Self {
        Self::new(d, MaskedPersonal::of(d.data.id_number.as_ref(), &d.data.contact))
    }
}

/// A deputy with personal data in full (only for roles allowed to see it; each view is audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeputyFullView {
    /// The record.
    #[serde(flatten)]
    pub deputy: DeputyView,
    /// 出生日期.
    pub birth_date: Option<NaiveDate>,
}

impl DeputyFullView {
    /// The full view.
    pub fn new(d: &Deputy) -> Self {
        let c = &d.data.contact;
        let full = ContactView {
            mobile: c.mobile.as_ref().map(ToString::to_string),
            landline: c.landline.as_ref().map(ToString::to_string),
            address: c.address.as_ref().map(ToString::to_string),
            email: c.email.as_ref().map(ToString::to_string),
            id_number: d.data.id_number.as_ref().map(ToString::to_string),
        };
        let mut deputy = DeputyView::masked(d);
        deputy.contact = full;
        Self { deputy, birth_date: d.data.birth_date }
    }
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Login.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// `person`, or `service` for an integration system.
    pub kind: String,
    /// Roles in effect.
    pub roles: Vec<String>,
    /// Roles waiting for the security administrator's approval, if any.
    pub pending_roles: Option<Vec<String>>,
    /// False once disabled.
    pub active: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// The deputy a `deputy` account belongs to.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub deputy: Option<uuid::Uuid>,
    /// The department a `department` account works in.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department: Option<uuid::Uuid>,
    /// What an officer's account reaches (issue 12, item 7): the liaison officer it is and regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantView>,
    /// The grant waiting for approval with the pending roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_grant: Option<GrantView>,
    /// Changes applied.
    pub version: u64,
}

/// What an officer's account reaches: the deputies assigned to its liaison officer, and every deputy of
/// its regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GrantView {
    /// The organisation's liaison officer this account is.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub officer: Option<uuid::Uuid>,
    /// Regions granted.
    pub regions: Vec<String>,
}

impl GrantView {
    /// The view of a grant; none when nothing is granted.
    pub fn of(g: &liaison_core::scope::Grant) -> Option<Self> {
        (!g.is_empty())
            .then(|| Self { officer: g.officer.map(|o| o.0), regions: g.regions.iter().cloned().collect() })
    }
}

/// An API token's record (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    /// Token id.
    pub id: String,
    /// Owner.
    #[schema(value_type = String, format = Uuid)]
    pub user: uuid::Uuid,
    /// Label.
    pub label: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last used (to the hour).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The organisation: regions with their leaders, leaders, departments, officers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OrganisationView {
    /// Version (the `ETag`).
    pub version: u64,
    /// Regions and the leader who answers for each.
    pub regions: Vec<RegionView>,
    /// Leadership members.
    pub leaders: Vec<PersonView>,
    /// Departments.
    pub departments: Vec<DepartmentView>,
    /// Liaison officers.
    pub officers: Vec<OfficerView>,
}

/// A region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegionView {
    /// Name.
    pub name: String,
    /// Leader id.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub leader: Option<uuid::Uuid>,
    /// Leader name.
    pub leader_name: Option<String>,
}

/// A leadership member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Title.
    pub title: Option<String>,
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Paired delegations.
    pub delegations: Vec<String>,
    /// Regions served.
    pub regions: Vec<String>,
}

/// A liaison officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OfficerView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Department.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department: Option<uuid::Uuid>,
    /// Regions covered.
    pub regions: Vec<String>,
    /// Active.
    pub active: bool,
}

impl From<&Organisation> for OrganisationView {
    fn from(o: &Organisation) -> Self {
        Self {
            version: o.version,
            regions: o
                .regions
                .iter()
                .map(|(r, l)| RegionView {
                    name: r.to_string(),
                    leader: l.map(|l| l.0),
                    leader_name: l.and_then(|l| o.leaders.get(&l)).map(|l| l.name.to_string()),
                })
                .collect(),
            leaders: o
                .leaders
                .values()
                .map(|l| PersonView {
                    id: l.id.0,
                    name: l.name.to_string(),
                    title: l.title.as_ref().map(ToString::to_string),
                })
                .collect(),
            departments: o
                .departments
                .values()
                .map(|d| DepartmentView {
                    id: d.id.0,
                    name: d.name.to_string(),
                    delegations: d.delegations.iter().map(ToString::to_string).collect(),
                    regions: d.regions.iter().map(ToString::to_string).collect(),
                })
                .collect(),
            officers: o
                .officers
                .values()
                .map(|x| OfficerView {
                    id: x.id.0,
                    name: x.name.to_string(),
                    department: x.department.map(|d| d.0),
                    regions: x.regions.iter().map(ToString::to_string).collect(),
                    active: x.active,
                })
                .collect(),
        }
    }
}

/// One deputy's coverage gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GapView {
    /// Deputy id.
    #[schema(value_type = String, format = Uuid)]
    pub deputy: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Level code.
    pub level: String,
    /// Region.
    pub region: String,
    /// Gap codes (`no_officer`, `no_leader`, `no_department`, `unknown_region`, `officer_inactive`).
    pub gaps: Vec<String>,
    /// The gaps in Chinese.
    pub gaps_zh: Vec<String>,
}

/// Coverage of one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LevelCoverageView {
    /// Level code.
    pub level: String,
    /// Level in Chinese.
    pub level_zh: String,
    /// Current deputies.
    pub deputies: u64,
    /// Fully covered.
    pub covered: u64,
}

/// The coverage report (C2; P1.1 by level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CoverageView {
    /// Current deputies.
    pub deputies: u64,
    /// Fully covered.
    pub covered: u64,
    /// By level, from national to township (P1.1: equal treatment as figures).
    pub by_level: Vec<LevelCoverageView>,
    /// Deputies per active officer (officer name → count).
    pub officer_loads: BTreeMap<String, u64>,
    /// The largest officer load.
    pub max_load: u64,
    /// The smallest officer load.
    pub min_load: u64,
    /// Every deputy with a gap.
    pub gaps: Vec<GapView>,
    /// This year so far (China time): deputies met at a meeting or visited, by level (R3, P1.1).
    #[serde(default)]
    pub reached_this_year: Vec<LevelCoverageView>,
    /// This year so far: deputies who took part in an activity at least once, by level (C4, P1.1).
    #[serde(default)]
    pub participation_this_year: Vec<LevelCoverageView>,
    /// The spread of participations per deputy this year (Gini, per mille; 0 = everyone equally often).
    #[serde(default)]
    pub participation_gini_permille: u32,
}

/// The result of an automatic assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AutoAssignView {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Officers assigned.
    pub officers_assigned: u64,
    /// Of them, to an officer outside the deputy's region (no officer covers it).
    pub officers_outside_region: u64,
    /// Departments assigned.
    pub departments_assigned: u64,
    /// Deputies still without an officer (no active officer exists).
    pub without_officer: u64,
    /// Deputies still without a department (no department exists).
    pub without_department: u64,
    /// Active officers.
    pub officers: u64,
    /// The largest load after assignment.
    pub max_load: u64,
    /// The smallest load after assignment.
    pub min_load: u64,
}

/// An audit record as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    /// Sequence in the tenant's chain.
    pub seq: u64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// Through which credential (`token:<id>`, `console:<os user>` …), for records that name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// What (`deputy.registered` …).
    pub kind: String,
    /// Why.
    pub reason: Option<String>,
    /// The event without personal data.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// The deputy the event concerns, as shown (name, level, region), when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concerns: Option<String>,
    /// The procuratorate whose record it is, when not this one: a transferred item's history before the
    /// transfer (转办), recorded where it was first received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procuratorate: Option<String>,
}
