//! Deputies appointed as supervisors (C4): people's supervisors (人民监督员), law-enforcement supervisors
//! (执法监督员), conduct-and-discipline supervisors (检风检纪监督员), with terms and eligibility: age 23 or
//! over; not a member of a congress standing committee, a party or government leader, a serving judicial
//! officer, a lawyer or a people's assessor. An ineligible appointment is refused with the reason.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::registry::SpecialRole;
use crate::registry::values::{clean, word_enum};

word_enum!(
    /// Which supervisor.
    SupervisorKind, "peoples_supervisor/law_enforcement/conduct (人民监督员/执法监督员/检风检纪监督员)", {
    /// 人民监督员.
    Peoples => "peoples_supervisor", "人民监督员", ["peoples"];
    /// 执法监督员.
    LawEnforcement => "law_enforcement", "执法监督员", [];
    /// 检风检纪监督员.
    Conduct => "conduct", "检风检纪监督员", [];
});

impl SupervisorKind {
    /// The special role on the register that marks it.
    pub fn role(self) -> SpecialRole {
        match self {
            Self::Peoples => SpecialRole::PeoplesSupervisor,
            Self::LawEnforcement => SpecialRole::LawEnforcementSupervisor,
            Self::Conduct => SpecialRole::ConductSupervisor,
        }
    }
}

/// Why a deputy cannot be appointed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Ineligible {
    /// Under 23 on the first day of the term.
    #[error("under 23 ({0}) on the first day of the term")]
    TooYoung(i32),
    /// No birth date or ID number on the register.
    #[error("the register has no birth date or ID number to check the age")]
    UnknownAge,
    /// A role that excludes it.
    #[error("not eligible: {}", .0.code())]
    Excluded(SpecialRole),
    /// Already holds it.
    #[error("already appointed")]
    AlreadyAppointed,
    /// The term ends before it begins.
    #[error("the term ends before it begins")]
    Term,
}

impl Ineligible {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooYoung(_) => "supervisor.too_young",
            Self::UnknownAge => "supervisor.unknown_age",
            Self::Excluded(_) => "supervisor.excluded_role",
            Self::AlreadyAppointed => "supervisor.already_appointed",
            Self::Term => "supervisor.term",
        }
    }
}

impl Localized for Ineligible {
    fn zh(&self) -> String {
        match self {
            Self::TooYoung(a) => format!("任期开始时未满 23 周岁（{a} 岁）"),
            Self::UnknownAge => "登记簿中没有出生日期或身份证号，无法核实年龄".into(),
            Self::Excluded(r) => format!("{}不宜担任", r.zh()),
            Self::AlreadyAppointed => "已担任该职务".into(),
            Self::Term => "任期结束早于开始".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

const EXCLUDING: [SpecialRole; 5] = [
    SpecialRole::StandingCommitteeMember,
    SpecialRole::PartyGovernmentLeader,
    SpecialRole::JudicialOfficer,
    SpecialRole::Lawyer,
    SpecialRole::PeoplesAssessor,
];

/// Whether a deputy may be appointed for a term starting `from`.
pub fn check(
    kind: SupervisorKind,
    birth_date: Option<NaiveDate>,
    roles: &BTreeSet<SpecialRole>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), Ineligible> {
    if to < from {
        return Err(Ineligible::Term);
    }
    if roles.contains(&kind.role()) {
        return Err(Ineligible::AlreadyAppointed);
    }
    if let Some(r) = EXCLUDING.iter().find(|r| roles.contains(r)) {
        return Err(Ineligible::Excluded(*r));
    }
    let born = birth_date.ok_or(Ineligible::UnknownAge)?;
    let mut age = from.year() - born.year();
    if (from.month(), from.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    if age < 23 {
        return Err(Ineligible::TooYoung(age));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn eligibility_names_the_reason() {
        let none = BTreeSet::new();
        let k = SupervisorKind::Peoples;
        assert_eq!(check(k, Some(d("1980-01-01")), &none, d("2026-01-01"), d("2030-12-31")), Ok(()));
        assert_eq!(
            check(k, Some(d("2003-06-02")), &none, d("2026-06-01"), d("2030-12-31")),
            Err(Ineligible::TooYoung(22))
        );
        assert_eq!(
            check(k, Some(d("2003-06-01")), &none, d("2026-06-01"), d("2030-12-31")),
            Ok(()),
            "23 on the day"
        );
        assert_eq!(check(k, None, &none, d("2026-01-01"), d("2030-12-31")), Err(Ineligible::UnknownAge));
        let sc: BTreeSet<SpecialRole> = [SpecialRole::StandingCommitteeMember].into();
        assert_eq!(
            check(k, Some(d("1980-01-01")), &sc, d("2026-01-01"), d("2030-12-31")),
            Err(Ineligible::Excluded(SpecialRole::StandingCommitteeMember))
        );
        let held: BTreeSet<SpecialRole> = [SpecialRole::PeoplesSupervisor].into();
        assert_eq!(
            check(k, Some(d("1980-01-01")), &held, d("2026-01-01"), d("2030-12-31")),
            Err(Ineligible::AlreadyAppointed)
        );
        assert!(
            check(SupervisorKind::Conduct, Some(d("1980-01-01")), &held, d("2026-01-01"), d("2030-12-31"))
                .is_ok()
        );
        assert!(Ineligible::Excluded(SpecialRole::Lawyer).zh().contains("律师"));
    }
}
