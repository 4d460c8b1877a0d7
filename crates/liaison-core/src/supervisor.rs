//! Deputies appointed as supervisors (C4): people's supervisors (人民监督员), law-enforcement supervisors
//! (执法监督员), conduct-and-discipline supervisors (检风检纪监督员), with terms and eligibility: age 23 or
//! over; not a member of a congress standing committee, a party or government leader, a serving judicial
//! officer, a lawyer or a people's assessor. An ineligible appointment is refused with the reason.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{DeputyId, SupervisorAppointmentId};
use crate::registry::SpecialRole;
use crate::registry::values::{clean, word_enum};
use crate::{Aggregate, DomainEvent, Localized, ValueError};

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

/// A deputy's appointment as a supervisor for a term (监督员任职), until it ends or is ended early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorAppointment {
    /// Id.
    pub id: SupervisorAppointmentId,
    /// The deputy.
    pub deputy: DeputyId,
    /// The deputy's name.
    pub name: String,
    /// Which supervisor.
    pub kind: SupervisorKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Ended early on, and why.
    pub ended: Option<(NaiveDate, String)>,
    /// Version: the number of its events (older records hold none: they were written once, appointed).
    #[serde(default = "first_version")]
    pub version: u64,
}

fn first_version() -> u64 {
    1
}

/// What appoints a deputy: who, which, the term, and what the register says of the deputy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appoint {
    /// The deputy.
    pub deputy: DeputyId,
    /// The deputy's name.
    pub name: String,
    /// Which supervisor.
    pub kind: SupervisorKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The deputy's birth date on the register (or from the ID number).
    pub born: Option<NaiveDate>,
    /// The deputy's special roles on the register.
    pub roles: BTreeSet<SpecialRole>,
}

/// A change to an appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupervisorCommand {
    /// End it early, with why.
    End {
        /// Why (required).
        reason: String,
    },
}

/// What happened to an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SupervisorEvent {
    /// Appointed.
    Appointed {
        /// The appointment.
        appointment: Box<SupervisorAppointment>,
    },
    /// Ended early.
    Ended {
        /// On.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl DomainEvent for SupervisorEvent {
    fn kind(&self) -> &'static str {
        match self {
            Self::Appointed { .. } => "supervisor.appointed",
            Self::Ended { .. } => "supervisor.ended",
        }
    }
}

/// Why an appointment or its end was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SupervisorError {
    /// The deputy may not be appointed.
    #[error(transparent)]
    Ineligible(#[from] Ineligible),
    /// It has ended already.
    #[error("this appointment has ended")]
    Ended,
    /// No reason given for ending it.
    #[error("a reason is required to end an appointment")]
    NoReason,
}

impl Localized for SupervisorError {
    fn zh(&self) -> String {
        match self {
            Self::Ineligible(e) => e.zh(),
            Self::Ended => "该任职已终止".into(),
            Self::NoReason => "终止任职须说明理由".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl crate::DomainError for SupervisorError {
    fn code(&self) -> &'static str {
        match self {
            Self::Ineligible(e) => e.code(),
            Self::Ended => "supervisor.ended",
            Self::NoReason => "supervisor.reason_required",
        }
    }
    /// An ineligible deputy or a missing reason is the caller's input; an ended appointment is its state.
    fn is_input(&self) -> bool {
        !matches!(self, Self::Ended)
    }
}

impl Aggregate for SupervisorAppointment {
    const KIND: &'static str = "supervisor";
    type Id = SupervisorAppointmentId;
    type Create = Appoint;
    type Command = SupervisorCommand;
    type Event = SupervisorEvent;
    type Error = SupervisorError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = ();

    fn create(id: &Self::Id, c: Appoint, (): ()) -> Result<Vec<SupervisorEvent>, SupervisorError> {
        check(c.kind, c.born, &c.roles, c.from, c.to)?;
        let appointment = Self {
            id: *id,
            deputy: c.deputy,
            name: c.name,
            kind: c.kind,
            from: c.from,
            to: c.to,
            ended: None,
            version: 0,
        };
        Ok(vec![SupervisorEvent::Appointed { appointment: Box::new(appointment) }])
    }
    fn created(id: &Self::Id, first: &SupervisorEvent) -> Option<Self> {
        match first {
            SupervisorEvent::Appointed { appointment } if appointment.id == *id => {
                Some(Self { version: 1, ..(**appointment).clone() })
            }
            _ => None,
        }
    }
    fn decide(
        &self,
        c: SupervisorCommand,
        today: NaiveDate,
    ) -> Result<Vec<SupervisorEvent>, SupervisorError> {
        match c {
            SupervisorCommand::End { reason } => {
                if self.ended.is_some() {
                    return Err(SupervisorError::Ended);
                }
                let reason = reason.trim().to_owned();
                if reason.is_empty() {
                    return Err(SupervisorError::NoReason);
                }
                Ok(vec![SupervisorEvent::Ended { on: today, reason }])
            }
        }
    }
    fn apply(&mut self, e: &SupervisorEvent) {
        self.version += 1;
        match e {
            SupervisorEvent::Appointed { .. } => {}
            SupervisorEvent::Ended { on, reason } => self.ended = Some((*on, reason.clone())),
        }
    }
    fn version(&self) -> u64 {
        self.version
    }
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

    #[test]
    fn an_appointment_is_checked_when_made_and_ends_once_with_a_reason() {
        use crate::DomainError;
        let id = SupervisorAppointmentId(uuid::Uuid::from_u128(7));
        let appoint = |born| Appoint {
            deputy: DeputyId(uuid::Uuid::from_u128(1)),
            name: "张三".into(),
            kind: SupervisorKind::Peoples,
            from: d("2026-01-01"),
            to: d("2030-12-31"),
            born,
            roles: BTreeSet::new(),
        };
        let refused = SupervisorAppointment::create(&id, appoint(Some(d("2010-01-01"))), ()).unwrap_err();
        assert_eq!(refused.code(), "supervisor.too_young");
        assert!(refused.is_input());
        let events = SupervisorAppointment::create(&id, appoint(Some(d("1980-01-01"))), ()).unwrap();
        let a = SupervisorAppointment::replay(&id, &events).unwrap();
        assert_eq!((a.version, a.ended.clone()), (1, None));
        let no_reason = a.decide(SupervisorCommand::End { reason: "  ".into() }, d("2027-01-01"));
        assert_eq!(no_reason, Err(SupervisorError::NoReason));
        let (ended, e) = a.handle(SupervisorCommand::End { reason: "调离".into() }, d("2027-01-01")).unwrap();
        assert_eq!(e[0].kind(), "supervisor.ended");
        assert_eq!((ended.version, ended.ended.clone()), (2, Some((d("2027-01-01"), "调离".into()))));
        let again = ended.decide(SupervisorCommand::End { reason: "x".into() }, d("2027-01-02")).unwrap_err();
        assert_eq!((again.code(), again.is_input()), ("supervisor.ended", false));
    }
}
