//! Improvement measures (整改/改进措施, P1.3): a deputy's reasonable opinion becomes a concrete measure with
//! an owner department and a deadline, tracked to done, and the result is reported back to the deputies.
//!
//! open → (progress notes) → done (with its result) → reported back (to every deputy concerned).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Dated, DepartmentRef, Signer, SuggestionNumber};
use crate::Localized;
use crate::dates::{ImplausibleDate, plausible};
use crate::ids::{DeputyId, MeasureId, SuggestionId};
use crate::registry::{LongText, ShortText};

/// Where a measure came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum MeasureOrigin {
    /// A suggestion.
    Suggestion {
        /// The suggestion.
        id: SuggestionId,
        /// Its number.
        number: Option<SuggestionNumber>,
    },
    /// An opinion a deputy voiced (at a meeting, a visit, a deliberation …).
    Opinion {
        /// What was said, and where.
        text: LongText,
    },
}

/// Where a measure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// Being carried out (整改中).
    Open,
    /// Done, result recorded (已完成).
    Done,
    /// The result reported back to the deputies (已反馈).
    ReportedBack,
}

impl MeasureStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::ReportedBack => "reported_back",
        }
    }
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Open, Self::Done, Self::ReportedBack].into_iter().find(|x| x.code() == s.trim())
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Open => "整改中",
            Self::Done => "已完成",
            Self::ReportedBack => "已反馈代表",
        }
    }
}

/// An improvement measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// Id.
    pub id: MeasureId,
    /// Version.
    pub version: u64,
    /// What will be done.
    pub title: ShortText,
    /// Details.
    pub description: LongText,
    /// Where it came from.
    pub origin: MeasureOrigin,
    /// The owner department.
    pub owner: DepartmentRef,
    /// Due by.
    pub deadline: NaiveDate,
    /// The deputies to report back to.
    pub deputies: Vec<Signer>,
    /// Status.
    pub status: MeasureStatus,
    /// Progress notes.
    pub progress: Vec<Dated<LongText>>,
    /// The result.
    pub result: Option<Dated<LongText>>,
    /// The report back, and who received it.
    pub report: Option<(Dated<LongText>, Vec<DeputyId>)>,
    /// Opened on.
    pub opened_on: NaiveDate,
}

/// What may be asked of a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureCommand {
    /// Record progress.
    Progress {
        /// The note.
        text: LongText,
    },
    /// Record the result: done.
    Complete {
        /// The result.
        result: LongText,
    },
    /// Report the result back to the deputies.
    ReportBack {
        /// The report.
        text: LongText,
    },
}

/// What happened to a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MeasureEvent {
    /// Opened.
    Opened {
        /// Title.
        title: ShortText,
        /// Description.
        description: LongText,
        /// Origin.
        origin: MeasureOrigin,
        /// Owner.
        owner: DepartmentRef,
        /// Deadline.
        deadline: NaiveDate,
        /// Deputies to report back to.
        deputies: Vec<Signer>,
        /// On.
        on: NaiveDate,
    },
    /// Progress noted.
    ProgressNoted {
        /// The note.
        note: Dated<LongText>,
    },
    /// Done.
    Completed {
        /// The result.
        result: Dated<LongText>,
    },
    /// Reported back.
    ReportedBack {
        /// The report.
        report: Dated<LongText>,
        /// To.
        recipients: Vec<DeputyId>,
    },
}

impl MeasureEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Opened { .. } => "measure.opened",
            Self::ProgressNoted { .. } => "measure.progress_noted",
            Self::Completed { .. } => "measure.completed",
            Self::ReportedBack { .. } => "measure.reported_back",
        }
    }
}

/// Why a command on a measure was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeasureError {
    /// The command does not fit the status.
    #[error("cannot {command} a measure whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: MeasureStatus,
        /// Command.
        command: &'static str,
    },
    /// The deadline is before the day it is opened.
    #[error("the deadline {0} is before today")]
    DeadlineInPast(NaiveDate),
    /// No deputy to report back to.
    #[error("a measure needs at least one deputy to report back to")]
    NoDeputies,
    /// A deadline outside the plausible range (issue 12: 2099 was accepted).
    #[error(transparent)]
    Date(#[from] ImplausibleDate),
}

impl MeasureError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "measure.illegal_transition",
            Self::DeadlineInPast(_) => "measure.deadline_in_past",
            Self::NoDeputies => "measure.no_deputies",
            Self::Date(_) => "measure.implausible_date",
        }
    }
}

impl Localized for MeasureError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, command } => {
                let c = match *command {
                    "progress" => "记录进展",
                    "complete" => "完成",
                    _ => "反馈代表",
                };
                format!("整改措施当前状态为“{}”，不能“{c}”", status.zh())
            }
            Self::DeadlineInPast(d) => format!("完成期限 {d} 早于今天"),
            Self::NoDeputies => "整改措施至少要有一名需反馈的代表".into(),
            Self::Date(e) => e.zh(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl Measure {
    /// Decide the opening of a measure.
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        title: ShortText,
        description: LongText,
        origin: MeasureOrigin,
        owner: DepartmentRef,
        deadline: NaiveDate,
        deputies: Vec<Signer>,
        today: NaiveDate,
    ) -> Result<MeasureEvent, MeasureError> {
        plausible("deadline", deadline, today)?;
        if deadline < today {
            return Err(MeasureError::DeadlineInPast(deadline));
        }
        if deputies.is_empty() {
            return Err(MeasureError::NoDeputies);
        }
        Ok(MeasureEvent::Opened { title, description, origin, owner, deadline, deputies, on: today })
    }

    /// Build from the `Opened` event.
    pub fn from_opened(id: MeasureId, e: &MeasureEvent) -> Option<Self> {
        match e {
            MeasureEvent::Opened { title, description, origin, owner, deadline, deputies, on } => {
                Some(Self {
                    id,
                    version: 1,
                    title: title.clone(),
                    description: description.clone(),
                    origin: origin.clone(),
                    owner: owner.clone(),
                    deadline: *deadline,
                    deputies: deputies.clone(),
                    status: MeasureStatus::Open,
                    progress: Vec::new(),
                    result: None,
                    report: None,
                    opened_on: *on,
                })
            }
            _ => None,
        }
    }

    /// Check a command.
    pub fn decide(
        &self,
        command: MeasureCommand,
        today: NaiveDate,
    ) -> Result<Vec<MeasureEvent>, MeasureError> {
        let refuse = |command| Err(MeasureError::IllegalTransition { status: self.status, command });
        match command {
            MeasureCommand::Progress { text } => match self.status {
                MeasureStatus::Open => {
                    Ok(vec![MeasureEvent::ProgressNoted { note: Dated { on: today, value: text } }])
                }
                _ => refuse("progress"),
            },
            MeasureCommand::Complete { result } => match self.status {
                MeasureStatus::Open => {
                    Ok(vec![MeasureEvent::Completed { result: Dated { on: today, value: result } }])
                }
                _ => refuse("complete"),
            },
            MeasureCommand::ReportBack { text } => match self.status {
                MeasureStatus::Done => Ok(vec![MeasureEvent::ReportedBack {
                    report: Dated { on: today, value: text },
                    recipients: self.deputies.iter().map(|d| d.deputy).collect(),
                }]),
                _ => refuse("report back"),
            },
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &MeasureEvent) {
        self.version += 1;
        match e {
            MeasureEvent::Opened { .. } => {}
            MeasureEvent::ProgressNoted { note } => self.progress.push(note.clone()),
            MeasureEvent::Completed { result } => {
                self.result = Some(result.clone());
                self.status = MeasureStatus::Done;
            }
            MeasureEvent::ReportedBack { report, recipients } => {
                self.report = Some((report.clone(), recipients.clone()));
                self.status = MeasureStatus::ReportedBack;
            }
        }
    }

    /// Past its deadline and not done.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == MeasureStatus::Open && today > self.deadline
    }
}
