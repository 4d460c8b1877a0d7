//! The `Deputy` aggregate: its state, commands, events, rules (`decide`) and state changes (`apply`).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::draft::{DeputyDraft, DeputyPatch};
use super::duplicate::DuplicateReason;
use super::values::*;
use crate::ids::{DepartmentId, DeputyId, OfficerId};
use crate::{FieldError, Localized};

/// How to reach a deputy (联系方式). Every value is personal data: encrypted at rest, masked in lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCard {
    /// 手机.
    pub mobile: Option<MobileNumber>,
    /// 固定电话.
    pub landline: Option<Landline>,
    /// 通讯地址.
    pub address: Option<Address>,
    /// 电子邮箱.
    pub email: Option<Email>,
}

/// Where a deputy is in the register's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeputyStatus {
    /// Elected and registered; the term has not begun (已登记).
    Registered,
    /// Serving (在任).
    InOffice,
    /// The term ended normally (任期届满).
    TermEnded,
    /// Left office before the end of the term (资格终止).
    Removed,
}

impl DeputyStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::InOffice => "in_office",
            Self::TermEnded => "term_ended",
            Self::Removed => "removed",
        }
    }
    /// Parse a stored code.
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Registered, Self::InOffice, Self::TermEnded, Self::Removed].into_iter().find(|x| x.code() == s)
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Registered => "已登记",
            Self::InOffice => "在任",
            Self::TermEnded => "任期届满",
            Self::Removed => "已终止",
        }
    }
    /// Still on the active register (registered or in office).
    pub fn is_current(self) -> bool {
        matches!(self, Self::Registered | Self::InOffice)
    }
}

/// Why a deputy left office before the end of the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// 辞职.
    Resigned,
    /// 被罢免.
    Recalled,
    /// 去世.
    Deceased,
    /// 调离或迁出本行政区域.
    Transferred,
    /// 代表资格终止 (other grounds under the Law on Deputies).
    QualificationTerminated,
    /// Registered by mistake (登记错误).
    RegisteredInError,
}

impl RemovalReason {
    /// Parse a code or Chinese word.
    pub fn parse(s: &str) -> Result<Self, crate::ValueError> {
        Ok(match s.trim() {
            "resigned" | "辞职" => Self::Resigned,
            "recalled" | "罢免" | "被罢免" => Self::Recalled,
            "deceased" | "去世" | "死亡" => Self::Deceased,
            "transferred" | "调离" | "迁出" => Self::Transferred,
            "qualification_terminated" | "资格终止" => Self::QualificationTerminated,
            "registered_in_error" | "登记错误" => Self::RegisteredInError,
            "" => return Err(crate::ValueError::Required),
            _ => {
                return Err(crate::ValueError::OneOf(
                    "resigned/recalled/deceased/transferred/qualification_terminated/registered_in_error",
                ));
            }
        })
    }
}

/// Who answers for a deputy (对应联络, C2). The leadership member comes through the deputy's region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsibility {
    /// The responsible liaison officer (联络员).
    pub officer: Option<OfficerId>,
    /// The department paired with this deputy (对口部门), when paired individually.
    pub department: Option<DepartmentId>,
}

/// A deputy on the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deputy {
    /// Id.
    pub id: DeputyId,
    /// The aggregate's version: 1 after registration, +1 for each event.
    pub version: u64,
    /// The registered data.
    pub data: DeputyDraft,
    /// Lifecycle status.
    pub status: DeputyStatus,
    /// When the term ended or the deputy left office.
    pub ended_on: Option<NaiveDate>,
    /// Why the deputy left office early.
    pub removal: Option<RemovalReason>,
    /// Responsible officer and department.
    pub responsibility: Responsibility,
}

/// What may be asked of a deputy's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeputyCommand {
    /// Change registered data.
    Update(Box<DeputyPatch>),
    /// The term begins.
    TakeOffice {
        /// First day in office.
        date: NaiveDate,
    },
    /// The term ends normally.
    EndTerm {
        /// Last day.
        date: NaiveDate,
    },
    /// The deputy leaves office early.
    Remove {
        /// Last day.
        date: NaiveDate,
        /// Why.
        reason: RemovalReason,
    },
    /// Set or clear the responsible officer.
    AssignOfficer(Option<OfficerId>),
    /// Set or clear the individually paired department.
    AssignDepartment(Option<DepartmentId>),
}

/// What happened to a deputy's record. Stored in the event log and the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeputyEvent {
    /// Put on the register.
    Registered {
        /// The data.
        draft: Box<DeputyDraft>,
        /// The status at registration (in office when the term has begun).
        status: DeputyStatus,
    },
    /// Data changed.
    Updated {
        /// The change.
        patch: Box<DeputyPatch>,
    },
    /// The term began.
    TookOffice {
        /// First day.
        date: NaiveDate,
    },
    /// The term ended.
    TermEnded {
        /// Last day.
        date: NaiveDate,
    },
    /// Left office early.
    Removed {
        /// Last day.
        date: NaiveDate,
        /// Why.
        reason: RemovalReason,
    },
    /// Responsible officer set or cleared.
    OfficerAssigned {
        /// The officer, or none.
        officer: Option<OfficerId>,
    },
    /// Individually paired department set or cleared.
    DepartmentAssigned {
        /// The department, or none.
        department: Option<DepartmentId>,
    },
}

impl DeputyEvent {
    /// The stable name of the event, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Registered { .. } => "deputy.registered",
            Self::Updated { .. } => "deputy.updated",
            Self::TookOffice { .. } => "deputy.took_office",
            Self::TermEnded { .. } => "deputy.term_ended",
            Self::Removed { .. } => "deputy.removed",
            Self::OfficerAssigned { .. } => "deputy.officer_assigned",
            Self::DepartmentAssigned { .. } => "deputy.department_assigned",
        }
    }

    /// The event without personal data (ID number and contact values), and the names of the personal
    /// fields it set or changed. The audit chain stores this form; the values live only encrypted.
    pub fn without_personal_data(&self) -> (Self, Vec<&'static str>) {
        let mut e = self.clone();
        let mut touched = Vec::new();
        match &mut e {
            Self::Registered { draft, .. } => {
                let c = std::mem::take(&mut draft.contact);
                for (name, set) in [
                    ("id_number", draft.id_number.take().is_some()),
                    ("mobile", c.mobile.is_some()),
                    ("landline", c.landline.is_some()),
                    ("address", c.address.is_some()),
                    ("email", c.email.is_some()),
                ] {
                    if set {
                        touched.push(name);
                    }
                }
            }
            Self::Updated { patch } => {
                let c = std::mem::take(&mut patch.contact);
                for (name, set) in [
                    ("mobile", c.mobile.is_some()),
                    ("landline", c.landline.is_some()),
                    ("address", c.address.is_some()),
                    ("email", c.email.is_some()),
                ] {
                    if set {
                        touched.push(name);
                    }
                }
            }
            _ => {}
        }
        (e, touched)
    }
}

/// Why a command on a deputy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Some fields are invalid.
    #[error("invalid deputy data: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// The same person is already on the register.
    #[error("already on the register as {existing} ({})", .reason.en())]
    Duplicate {
        /// The record already there.
        existing: DeputyId,
        /// Which rule matched.
        reason: DuplicateReason,
    },
    /// The command does not fit the deputy's status.
    #[error("cannot {command} a deputy whose status is {}", .status.code())]
    IllegalTransition {
        /// Current status.
        status: DeputyStatus,
        /// The command refused.
        command: &'static str,
    },
    /// A date before the term began.
    #[error("{date} is before the term began on {term_start}")]
    BeforeTermStart {
        /// The date given.
        date: NaiveDate,
        /// The term's first day.
        term_start: NaiveDate,
    },
    /// Nothing would change.
    #[error("nothing to change")]
    NothingToChange,
}

impl RegistryError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "deputy.invalid",
            Self::Duplicate { .. } => "deputy.duplicate",
            Self::IllegalTransition { .. } => "deputy.illegal_transition",
            Self::BeforeTermStart { .. } => "deputy.before_term_start",
            Self::NothingToChange => "deputy.nothing_to_change",
        }
    }
}

impl Localized for RegistryError {
    fn zh(&self) -> String {
        match self {
            Self::Invalid(errs) => format!(
                "代表信息有误：{}",
                errs.iter()
                    .map(|e| format!("{}：{}", crate::error::field_zh(&e.field), e.message_zh))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            Self::Duplicate { existing, reason } => {
                format!("该代表已在登记簿中（{}，记录 {existing}）", reason.zh())
            }
            Self::IllegalTransition { status, command } => {
                format!("代表当前状态为“{}”，不能执行“{}”", status.zh(), command_zh(command))
            }
            Self::BeforeTermStart { date, term_start } => format!("日期 {date} 早于任期开始日 {term_start}"),
            Self::NothingToChange => "没有需要修改的内容".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

fn command_zh(c: &str) -> &'static str {
    match c {
        "update" => "修改",
        "take office" => "就任",
        "end the term of" => "结束任期",
        "remove" => "终止代表资格",
        _ => "分配联络责任",
    }
}

impl Deputy {
    /// Decide the registration of a new deputy. Duplicates must have been looked for by the caller (the
    /// store holds the register) and passed as `duplicate`.
    pub fn register(
        draft: DeputyDraft,
        duplicate: Option<(DeputyId, DuplicateReason)>,
        today: NaiveDate,
    ) -> Result<DeputyEvent, RegistryError> {
        if let Some((existing, reason)) = duplicate {
            return Err(RegistryError::Duplicate { existing, reason });
        }
        let ended = draft.term_end.is_some_and(|e| e < today);
        let status = if ended {
            DeputyStatus::TermEnded
        } else if draft.term_start <= today {
            DeputyStatus::InOffice
        } else {
            DeputyStatus::Registered
        };
        Ok(DeputyEvent::Registered { draft: Box::new(draft), status })
    }

    /// Build the aggregate from its `Registered` event; `None` for any other event.
    pub fn from_registered(id: DeputyId, event: &DeputyEvent) -> Option<Self> {
        match event {
            DeputyEvent::Registered { draft, status } => Some(Self {
                id,
                version: 1,
                ended_on: if *status == DeputyStatus::TermEnded { draft.term_end } else { None },
                data: (**draft).clone(),
                status: *status,
                removal: None,
                responsibility: Responsibility::default(),
            }),
            _ => None,
        }
    }

    /// Check a command against the rules; the events it produces, or why it is refused.
    pub fn decide(&self, command: DeputyCommand) -> Result<Vec<DeputyEvent>, RegistryError> {
        use DeputyStatus::*;
        let refuse = |command| Err(RegistryError::IllegalTransition { status: self.status, command });
        match command {
            DeputyCommand::Update(patch) => {
                if !self.status.is_current() {
                    return refuse("update");
                }
                let mut after = self.clone();
                after.apply(&DeputyEvent::Updated { patch: patch.clone() });
                if after.data == self.data {
                    return Err(RegistryError::NothingToChange);
                }
                if let Some(end) = after.data.term_end
                    && end <= after.data.term_start
                {
                    return Err(RegistryError::BeforeTermStart {
                        date: end,
                        term_start: after.data.term_start,
                    });
                }
                Ok(vec![DeputyEvent::Updated { patch }])
            }
            DeputyCommand::TakeOffice { date } => match self.status {
                Registered => {
                    self.not_before_start(date)?;
                    Ok(vec![DeputyEvent::TookOffice { date }])
                }
                _ => refuse("take office"),
            },
            DeputyCommand::EndTerm { date } => match self.status {
                InOffice | Registered => {
                    self.not_before_start(date)?;
                    Ok(vec![DeputyEvent::TermEnded { date }])
                }
                _ => refuse("end the term of"),
            },
            DeputyCommand::Remove { date, reason } => match self.status {
                InOffice | Registered => {
                    self.not_before_start(date)?;
                    Ok(vec![DeputyEvent::Removed { date, reason }])
                }
                _ => refuse("remove"),
            },
            DeputyCommand::AssignOfficer(officer) => {
                if !self.status.is_current() && officer.is_some() {
                    return refuse("assign");
                }
                if self.responsibility.officer == officer {
                    return Err(RegistryError::NothingToChange);
                }
                Ok(vec![DeputyEvent::OfficerAssigned { officer }])
            }
            DeputyCommand::AssignDepartment(department) => {
                if !self.status.is_current() && department.is_some() {
                    return refuse("assign");
                }
                if self.responsibility.department == department {
                    return Err(RegistryError::NothingToChange);
                }
                Ok(vec![DeputyEvent::DepartmentAssigned { department }])
            }
        }
    }

    fn not_before_start(&self, date: NaiveDate) -> Result<(), RegistryError> {
        if date < self.data.term_start {
            Err(RegistryError::BeforeTermStart { date, term_start: self.data.term_start })
        } else {
            Ok(())
        }
    }

    /// Fold an event into the state. Events are facts: `apply` never fails.
    pub fn apply(&mut self, event: &DeputyEvent) {
        self.version += 1;
        match event {
            DeputyEvent::Registered { .. } => {}
            DeputyEvent::Updated { patch } => apply_patch(&mut self.data, patch),
            DeputyEvent::TookOffice { .. } => self.status = DeputyStatus::InOffice,
            DeputyEvent::TermEnded { date } => {
                self.status = DeputyStatus::TermEnded;
                self.ended_on = Some(*date);
            }
            DeputyEvent::Removed { date, reason } => {
                self.status = DeputyStatus::Removed;
                self.ended_on = Some(*date);
                self.removal = Some(*reason);
            }
            DeputyEvent::OfficerAssigned { officer } => self.responsibility.officer = *officer,
            DeputyEvent::DepartmentAssigned { department } => self.responsibility.department = *department,
        }
    }

    /// The special roles.
    pub fn special_roles(&self) -> &BTreeSet<SpecialRole> {
        &self.data.special_roles
    }
}

fn set<T: Clone>(slot: &mut T, new: &Option<T>) {
    if let Some(v) = new {
        *slot = v.clone();
    }
}

fn apply_patch(d: &mut DeputyDraft, p: &DeputyPatch) {
    set(&mut d.name, &p.name);
    set(&mut d.ethnicity, &p.ethnicity);
    set(&mut d.delegation, &p.delegation);
    set(&mut d.region, &p.region);
    set(&mut d.work_unit, &p.work_unit);
    set(&mut d.position, &p.position);
    set(&mut d.contact.mobile, &p.contact.mobile);
    set(&mut d.contact.landline, &p.contact.landline);
    set(&mut d.contact.address, &p.contact.address);
    set(&mut d.contact.email, &p.contact.email);
    set(&mut d.special_roles, &p.special_roles);
    set(&mut d.term_end, &p.term_end);
}
