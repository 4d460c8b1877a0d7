//! Corresponding-liaison use cases (C2): the organisation, manual and automatic assignment, coverage.

use liaison_core::access::Action;
use liaison_core::ids::{DepartmentId, DeputyId, LeaderId, OfficerId};
use liaison_core::organisation::{
    CoverageReport, OrgCommand, OrgError, Organisation, coverage, plan_auto_assignment,
};
use liaison_core::registry::{DeputyCommand, PersonName, ShortText};
use liaison_store::WriteTx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::command_in;
use crate::views::{AutoAssignView, CoverageView, DeputyView, GapView, LevelCoverageView, OrganisationView};
use crate::{App, AppError, Principal};

/// A change to the organisation, as text. People and units are named by name or id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum OrgInput {
    /// Add a region of the jurisdiction.
    AddRegion {
        /// Name.
        name: String,
    },
    /// Add a leadership member.
    AddLeader {
        /// Name.
        name: String,
        /// Title (检察长 …).
        title: Option<String>,
    },
    /// Make a leader answer for a region (包片), or clear it with no leader.
    SetRegionLeader {
        /// Region.
        region: String,
        /// Leader name or id; absent clears.
        leader: Option<String>,
    },
    /// Add a department.
    AddDepartment {
        /// Name.
        name: String,
    },
    /// Pair a department with a delegation (对口).
    PairDelegation {
        /// Department name or id.
        department: String,
        /// Delegation or constituency.
        delegation: String,
    },
    /// Let a department serve a region in automatic assignment.
    AddDepartmentRegion {
        /// Department name or id.
        department: String,
        /// Region.
        region: String,
    },
    /// Add a liaison officer.
    AddOfficer {
        /// Name.
        name: String,
        /// Department name or id.
        department: Option<String>,
        /// Regions covered.
        #[serde(default)]
        regions: Vec<String>,
    },
    /// An officer stops liaison work.
    DeactivateOfficer {
        /// Officer name or id.
        officer: String,
    },
}

fn text(field: &str, s: &str) -> Result<ShortText, AppError> {
    ShortText::parse(s).map_err(|e| AppError::invalid(field, &e))
}

fn person(field: &str, s: &str) -> Result<PersonName, AppError> {
    PersonName::parse(s).map_err(|e| AppError::invalid(field, &e))
}

fn unknown(what: &'static str, id: &str) -> AppError {
    OrgError::Unknown { what, id: id.to_owned() }.into()
}

/// The entry named `s`, by name or by id.
fn find<'a, T: 'a, I: ToString + Copy>(
    what: &'static str,
    entries: impl Iterator<Item = &'a T>,
    s: &str,
    key: impl Fn(&T) -> (&str, I),
) -> Result<I, AppError> {
    let s = s.trim();
    entries
        .map(key)
        .find(|(name, id)| *name == s || id.to_string() == s)
        .map(|(_, id)| id)
        .ok_or_else(|| unknown(what, s))
}

pub(crate) fn find_leader(o: &Organisation, s: &str) -> Result<LeaderId, AppError> {
    find("leader", o.leaders.values(), s, |l| (l.name.as_str(), l.id))
}

pub(crate) fn find_department(o: &Organisation, s: &str) -> Result<DepartmentId, AppError> {
    find("department", o.departments.values(), s, |d| (d.name.as_str(), d.id))
}

pub(crate) fn find_officer(o: &Organisation, s: &str) -> Result<OfficerId, AppError> {
    find("officer", o.officers.values(), s, |x| (x.name.as_str(), x.id))
}

fn command(o: &Organisation, input: OrgInput) -> Result<OrgCommand, AppError> {
    Ok(match input {
        OrgInput::AddRegion { name } => OrgCommand::AddRegion { name: text("name", &name)? },
        OrgInput::AddLeader { name, title } => OrgCommand::AddLeader {
            id: LeaderId(crate::new_id()),
            name: person("name", &name)?,
            title: title.filter(|t| !t.trim().is_empty()).map(|t| text("title", &t)).transpose()?,
        },
        OrgInput::SetRegionLeader { region, leader } => OrgCommand::SetRegionLeader {
            region: text("region", &region)?,
            leader: leader.filter(|l| !l.trim().is_empty()).map(|l| find_leader(o, &l)).transpose()?,
        },
        OrgInput::AddDepartment { name } => {
            OrgCommand::AddDepartment { id: DepartmentId(crate::new_id()), name: text("name", &name)? }
        }
        OrgInput::PairDelegation { department, delegation } => OrgCommand::PairDelegation {
            department: find_department(o, &department)?,
            delegation: text("delegation", &delegation)?,
        },
        OrgInput::AddDepartmentRegion { department, region } => OrgCommand::AddDepartmentRegion {
            department: find_department(o, &department)?,
            region: text("region", &region)?,
        },
        OrgInput::AddOfficer { name, department, regions } => OrgCommand::AddOfficer {
            id: OfficerId(crate::new_id()),
            name: person("name", &name)?,
            department: department
                .filter(|d| !d.trim().is_empty())
                .map(|d| find_department(o, &d))
                .transpose()?,
            regions: regions.iter().map(|r| text("regions", r)).collect::<Result<_, _>>()?,
        },
        OrgInput::DeactivateOfficer { officer } => {
            OrgCommand::DeactivateOfficer { officer: find_officer(o, &officer)? }
        }
    })
}

impl App {
    /// The organisation.
    pub fn organisation(&self, p: &Principal) -> Result<OrganisationView, AppError> {
        p.require(Action::ReadCoverage)?;
        Ok(OrganisationView::from(&self.read(|q| q.organisation(&p.tenant))?))
    }

    /// The regions a leadership member answers for (包片): those whose leader in the organisation bears the
    /// account's display name (the organisation names its leaders as people, the accounts too; a name
    /// shared by two leaders matches neither, so no one is shown another's regions). Empty for an account
    /// that is not a leader.
    pub fn my_regions(&self, p: &Principal) -> Result<Vec<String>, AppError> {
        p.require(Action::ReadCoverage)?;
        if !p.roles.contains(&liaison_core::access::Role::Leader) {
            return Ok(Vec::new());
        }
        let o = self.read(|q| q.organisation(&p.tenant))?;
        let mine: Vec<_> = o.leaders.values().filter(|l| l.name.as_str() == p.name.trim()).collect();
        let [me] = mine.as_slice() else { return Ok(Vec::new()) };
        Ok(o.regions
            .iter()
            .filter(|(_, leader)| **leader == Some(me.id))
            .map(|(region, _)| region.to_string())
            .collect())
    }

    /// Change the organisation (one command), optionally only if it is still at `expected`.
    pub async fn change_organisation(
        &self,
        p: &Principal,
        input: OrgInput,
        expected: Option<u64>,
        reason: Option<String>,
    ) -> Result<OrganisationView, AppError> {
        p.require(Action::ManageOrganisation)?;
        self.change(p, reason, move |run| {
            let org = run.execute_organisation(expected, |org| command(org, input))?;
            Ok(OrganisationView::from(&org))
        })
        .await
    }

    /// Assign (or clear, with an empty string) a deputy's responsible officer and/or department.
    pub async fn assign(
        &self,
        p: &Principal,
        deputy: DeputyId,
        officer: Option<String>,
        department: Option<String>,
        expected: Option<u64>,
        reason: Option<String>,
    ) -> Result<DeputyView, AppError> {
        p.require(Action::Assign)?;
        if officer.is_none() && department.is_none() {
            return Err(AppError::invalid("officer", &liaison_core::ValueError::Required));
        }
        let meta = self.meta(p, reason);
        let (keys, tenant) = (self.store.keys().clone(), p.tenant.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let org = tx.organisation(&tenant)?;
            let mut d = None;
            let mut expected = expected;
            if let Some(o) = officer {
                let id = if o.trim().is_empty() { None } else { Some(find_officer(&org, &o)?) };
                if let Some(id) = id
                    && org.officers.get(&id).is_some_and(|x| !x.active)
                {
                    return Err(OrgError::OfficerInactive(id).into());
                }
                let after = command_in(
                    tx,
                    &keys,
                    &tenant,
                    &meta,
                    deputy,
                    expected,
                    DeputyCommand::AssignOfficer(id),
                )?;
                expected = Some(after.version);
                d = Some(after);
            }
            if let Some(x) = department {
                let id = if x.trim().is_empty() { None } else { Some(find_department(&org, &x)?) };
                d = Some(command_in(
                    tx,
                    &keys,
                    &tenant,
                    &meta,
                    deputy,
                    expected,
                    DeputyCommand::AssignDepartment(id),
                )?);
            }
            d.map(|d| DeputyView::masked(&d))
                .ok_or(AppError::NotFound { what: "deputy", id: deputy.to_string() })
        })
        .await
    }

    /// Fill every officer and department gap automatically (region pairing kept, loads balanced).
    /// With `dry_run`, report what would be done and write nothing.
    pub async fn auto_assign(
        &self,
        p: &Principal,
        dry_run: bool,
        reason: Option<String>,
    ) -> Result<AutoAssignView, AppError> {
        p.require(Action::Assign)?;
        let meta = self.meta(p, reason.or_else(|| Some("automatic assignment".into())));
        let (keys, tenant) = (self.store.keys().clone(), p.tenant.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let org = tx.organisation(&tenant)?;
            let refs = tx.current_deputy_refs(&tenant)?;
            let plan = plan_auto_assignment(&org, &refs);
            let view = AutoAssignView {
                dry_run,
                officers_assigned: plan.officers.len() as u64,
                officers_outside_region: plan.officers.iter().filter(|(_, _, local)| !local).count() as u64,
                departments_assigned: plan.departments.len() as u64,
                without_officer: plan.no_officer_available.len() as u64,
                without_department: plan.no_department_available.len() as u64,
                officers: plan.loads.officers,
                max_load: plan.loads.max,
                min_load: plan.loads.min,
            };
            if dry_run {
                return Ok(view);
            }
            for (d, o, _) in &plan.officers {
                command_in(tx, &keys, &tenant, &meta, *d, None, DeputyCommand::AssignOfficer(Some(*o)))?;
            }
            for (d, x, _) in &plan.departments {
                command_in(tx, &keys, &tenant, &meta, *d, None, DeputyCommand::AssignDepartment(Some(*x)))?;
            }
            Ok(view)
        })
        .await
    }

    /// The coverage report: every current deputy's gaps, figures by level, officers' loads.
    pub fn coverage(&self, p: &Principal) -> Result<CoverageView, AppError> {
        self.coverage_with(p, None)
    }

    /// [`App::coverage`] naming at most `gaps_per_level` deputies with gaps in each level, in pinyin order
    /// (the page lists the first 50; the figures by level still count every gap: `deputies − covered`).
    pub fn coverage_with(
        &self,
        p: &Principal,
        gaps_per_level: Option<usize>,
    ) -> Result<CoverageView, AppError> {
        p.require(Action::ReadCoverage)?;
        // The register is read once: coverage, this year's reach and participation all count over it.
        let (org, refs) =
            self.read(|q| Ok((q.organisation(&p.tenant)?, q.current_deputy_refs(&p.tenant)?)))?;
        let today = liaison_core::dates::china_date(self.now());
        let from = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
        let (meetings, visits) = self.meetings_and_visits(p, from, today)?;
        let reached = liaison_core::meeting::reached(&meetings, &visits, from, today);
        let reached_by_level =
            liaison_core::meeting::reached_by_level(refs.iter().map(|d| (&d.id, d.level)), &reached);
        let levels: Vec<(DeputyId, liaison_core::registry::DeputyLevel)> =
            refs.iter().map(|d| (d.id, d.level)).collect();
        let fair = self.fairness_over(p, &levels, from, today)?;
        let mut view = coverage_view(&org, coverage(&org, refs), gaps_per_level);
        view.reached_this_year = reached_by_level
            .iter()
            .map(|(l, n, k)| LevelCoverageView {
                level: l.code().to_owned(),
                level_zh: l.zh().to_owned(),
                deputies: u64::from(*n),
                covered: u64::from(*k),
            })
            .collect();
        view.participation_this_year = fair
            .by_level
            .iter()
            .map(|l| LevelCoverageView {
                level: l.level.code().to_owned(),
                level_zh: l.level.zh().to_owned(),
                deputies: u64::from(l.deputies),
                covered: u64::from(l.attended),
            })
            .collect();
        view.participation_gini_permille = fair.gini_permille;
        Ok(view)
    }
}

fn coverage_view(org: &Organisation, r: CoverageReport, gaps_per_level: Option<usize>) -> CoverageView {
    let mut named: std::collections::BTreeMap<liaison_core::registry::DeputyLevel, usize> =
        Default::default();
    let name =
        |o: &OfficerId| org.officers.get(o).map(|x| x.name.to_string()).unwrap_or_else(|| o.to_string());
    CoverageView {
        deputies: r.deputies,
        covered: r.covered,
        by_level: r
            .by_level
            .iter()
            .map(|(l, c)| LevelCoverageView {
                level: l.code().to_owned(),
                level_zh: l.zh().to_owned(),
                deputies: c.deputies,
                covered: c.covered,
            })
            .collect(),
        max_load: r.officer_loads.values().copied().max().unwrap_or(0),
        min_load: r.officer_loads.values().copied().min().unwrap_or(0),
        officer_loads: r.officer_loads.iter().map(|(o, n)| (name(o), *n)).collect(),
        reached_this_year: Vec::new(),
        participation_this_year: Vec::new(),
        participation_gini_permille: 0,
        gaps: r
            .gaps
            .into_iter()
            .filter(|g| {
                let n = named.entry(g.deputy.level).or_default();
                *n += 1;
                gaps_per_level.is_none_or(|max| *n <= max)
            })
            .map(|g| GapView {
                deputy: g.deputy.id.0,
                name: g.deputy.name,
                level: g.deputy.level.code().into(),
                region: g.deputy.region,
                gaps: g.gaps.iter().map(|x| x.code().to_owned()).collect(),
                gaps_zh: g.gaps.iter().map(|x| x.zh()).collect(),
            })
            .collect(),
    }
}
