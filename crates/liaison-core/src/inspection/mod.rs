//! Inspections and evaluations organised with the congress (视察/评议, R5): planned (the congress's
//! reference, participants, schedule, materials) → held → opinions and scores per item and per deputy →
//! rectification items (owner department, deadline), each tracked to a recorded result → the report back
//! to the congress, once every rectification item is done.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::dates::{ImplausibleDate, plausible};
use crate::ids::DeputyId;
use crate::ids::InspectionId;
use crate::registry::values::{clean, word_enum};
use crate::registry::{LongText, ShortText};
use crate::suggestion::{DepartmentRef, Signer};

word_enum!(
    /// Inspection or evaluation.
    InspectionKind, "inspection/evaluation (视察/评议)", {
    /// 视察.
    Inspection => "inspection", "视察", [];
    /// 评议 (work evaluation).
    Evaluation => "evaluation", "评议", ["工作评议"];
});

/// Where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    /// Planned.
    Planned,
    /// Held; opinions, scores and rectification under way.
    Held,
    /// Reported back to the congress.
    Reported,
}

impl InspectionStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
            Self::Reported => "reported",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Planned => "计划",
            Self::Held => "已进行",
            Self::Reported => "已向人大报告",
        }
    }
}

/// A rectification item (整改事项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    /// Number, from 1.
    pub n: u32,
    /// What is to be rectified.
    pub title: ShortText,
    /// The owner department.
    pub owner: DepartmentRef,
    /// Due by.
    pub deadline: NaiveDate,
    /// The recorded result and the day it was done.
    pub done: Option<(NaiveDate, LongText)>,
}

/// One deputy's score for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreEntry {
    /// The deputy.
    pub deputy: DeputyId,
    /// The item's index.
    pub item: u32,
    /// 0–100.
    pub score: u8,
}

/// An inspection or evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// Id.
    pub id: InspectionId,
    /// Version.
    pub version: u64,
    /// Inspection or evaluation.
    pub kind: InspectionKind,
    /// Title.
    pub title: ShortText,
    /// The congress's reference for it (its organiser).
    pub organiser_ref: ShortText,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Deputies taking part.
    pub participants: Vec<Signer>,
    /// Materials provided.
    pub materials: Vec<ShortText>,
    /// Items scored (评议项目).
    pub items: Vec<ShortText>,
    /// Status.
    pub status: InspectionStatus,
    /// Scores, one per deputy and item (a new score replaces the deputy's earlier one for that item).
    pub scores: Vec<ScoreEntry>,
    /// Opinions: (deputy, text).
    pub opinions: Vec<(DeputyId, LongText)>,
    /// Rectification items.
    pub rectifications: Vec<Rectification>,
    /// The report back to the congress.
    pub report: Option<(NaiveDate, LongText)>,
}

/// What may be asked of an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectionCommand {
    /// It took place.
    Hold,
    /// A participant's score for an item.
    Score {
        /// The deputy.
        deputy: DeputyId,
        /// Item index.
        item: u32,
        /// 0–100.
        score: u8,
    },
    /// A participant's opinion.
    Opinion {
        /// The deputy.
        deputy: DeputyId,
        /// What was said.
        text: LongText,
    },
    /// A rectification item.
    AddRectification {
        /// What.
        title: ShortText,
        /// Owner.
        owner: DepartmentRef,
        /// Due by.
        deadline: NaiveDate,
    },
    /// A rectification item is done, with its result.
    CompleteRectification {
        /// Number.
        n: u32,
        /// The result.
        result: LongText,
    },
    /// Report back to the congress (every rectification item done).
    Report {
        /// The report.
        text: LongText,
    },
}

/// What happened to an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InspectionEvent {
    /// Planned.
    Planned {
        /// The plan (everything but the id and version).
        plan: Box<Inspection>,
    },
    /// Held.
    Held {
        /// On.
        on: NaiveDate,
    },
    /// Scored.
    Scored {
        /// Deputy.
        deputy: DeputyId,
        /// Item.
        item: u32,
        /// Score.
        score: u8,
    },
    /// Opinion.
    OpinionGiven {
        /// Deputy.
        deputy: DeputyId,
        /// Text.
        text: LongText,
    },
    /// Rectification added.
    RectificationAdded {
        /// The item.
        item: Rectification,
    },
    /// Rectification done.
    RectificationDone {
        /// Number.
        n: u32,
        /// On.
        on: NaiveDate,
        /// Result.
        result: LongText,
    },
    /// Reported back.
    Reported {
        /// On.
        on: NaiveDate,
        /// Text.
        text: LongText,
    },
}

impl InspectionEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Planned { .. } => "inspection.planned",
            Self::Held { .. } => "inspection.held",
            Self::Scored { .. } => "inspection.scored",
            Self::OpinionGiven { .. } => "inspection.opinion_given",
            Self::RectificationAdded { .. } => "inspection.rectification_added",
            Self::RectificationDone { .. } => "inspection.rectification_done",
            Self::Reported { .. } => "inspection.reported",
        }
    }
}

/// Why a command on an inspection was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InspectionError {
    /// Not in the right status.
    #[error("cannot {command} an inspection whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: InspectionStatus,
        /// Command.
        command: &'static str,
    },
    /// The schedule ends before it begins.
    #[error("the schedule ends before it begins")]
    Schedule,
    /// No participant.
    #[error("an inspection needs at least one participating deputy")]
    NoParticipants,
    /// Held before its first day.
    #[error("it cannot be recorded as held before {0}")]
    NotYet(NaiveDate),
    /// The deputy does not take part.
    #[error("deputy {0} does not take part")]
    NotAParticipant(DeputyId),
    /// No such item.
    #[error("no item {0}")]
    NoItem(u32),
    /// A score outside 0–100.
    #[error("a score is from 0 to 100")]
    ScoreRange,
    /// No such rectification item, or already done.
    #[error("rectification item {0} does not exist or is already done")]
    NoOpenRectification(u32),
    /// Rectification items still open.
    #[error("{0} rectification item(s) are not done: the report waits for them")]
    RectificationOpen(usize),
    /// A rectification deadline before today.
    #[error("deadline: {deadline} is before today ({today}): a rectification deadline cannot be in the past")]
    DeadlineInPast {
        /// The deadline given.
        deadline: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A date outside the plausible range.
    #[error(transparent)]
    Date(#[from] ImplausibleDate),
}

impl InspectionError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "inspection.illegal_transition",
            Self::Schedule => "inspection.schedule",
            Self::NoParticipants => "inspection.no_participants",
            Self::NotYet(_) => "inspection.not_yet",
            Self::NotAParticipant(_) => "inspection.not_a_participant",
            Self::NoItem(_) => "inspection.no_item",
            Self::ScoreRange => "inspection.score_range",
            Self::NoOpenRectification(_) => "inspection.no_open_rectification",
            Self::RectificationOpen(_) => "inspection.rectification_open",
            Self::DeadlineInPast { .. } => "inspection.deadline_in_past",
            Self::Date(_) => "inspection.implausible_date",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Self::Schedule
                | Self::NoParticipants
                | Self::ScoreRange
                | Self::DeadlineInPast { .. }
                | Self::Date(_)
        )
    }
}

impl Localized for InspectionError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("视察/评议当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::Schedule => "结束日期早于开始日期".into(),
            Self::NoParticipants => "至少要有一名参加的代表".into(),
            Self::NotYet(d) => format!("{d} 之前不能记录为已进行"),
            Self::NotAParticipant(d) => format!("代表 {d} 未参加"),
            Self::NoItem(n) => format!("没有第 {n} 个评议项目"),
            Self::ScoreRange => "评分须在 0 到 100 之间".into(),
            Self::NoOpenRectification(n) => format!("第 {n} 项整改不存在或已完成"),
            Self::RectificationOpen(k) => format!("还有 {k} 项整改未完成，暂不能向人大报告"),
            Self::DeadlineInPast { deadline, today } => {
                format!("整改期限（deadline）{deadline} 早于今天（{today}），整改期限不能是过去的日期")
            }
            Self::Date(e) => e.zh(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// Scores gathered: per item (average), per deputy (average).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// (item, average, how many scored).
    pub by_item: Vec<(String, f64, u32)>,
    /// (deputy, average, how many items).
    pub by_deputy: Vec<(DeputyId, f64, u32)>,
    /// Average of every score.
    pub overall: Option<f64>,
}

impl Inspection {
    /// Decide a plan; `today` bounds the schedule's plausible dates.
    #[allow(clippy::too_many_arguments)]
    pub fn plan(
        id: InspectionId,
        kind: InspectionKind,
        title: ShortText,
        organiser_ref: ShortText,
        (from, to): (NaiveDate, NaiveDate),
        participants: Vec<Signer>,
        materials: Vec<ShortText>,
        items: Vec<ShortText>,
        today: NaiveDate,
    ) -> Result<(Self, InspectionEvent), InspectionError> {
        plausible("from", from, today)?;
        plausible("to", to, today)?;
        if to < from {
            return Err(InspectionError::Schedule);
        }
        if participants.is_empty() {
            return Err(InspectionError::NoParticipants);
        }
        let i = Self {
            id,
            version: 1,
            kind,
            title,
            organiser_ref,
            from,
            to,
            participants,
            materials,
            items,
            status: InspectionStatus::Planned,
            scores: Vec::new(),
            opinions: Vec::new(),
            rectifications: Vec::new(),
            report: None,
        };
        Ok((i.clone(), InspectionEvent::Planned { plan: Box::new(i) }))
    }

    fn participant(&self, d: DeputyId) -> Result<(), InspectionError> {
        if self.participants.iter().any(|p| p.deputy == d) {
            Ok(())
        } else {
            Err(InspectionError::NotAParticipant(d))
        }
    }

    /// Check a command.
    pub fn decide(
        &self,
        c: InspectionCommand,
        today: NaiveDate,
    ) -> Result<Vec<InspectionEvent>, InspectionError> {
        use InspectionStatus as S;
        let refuse = |command| Err(InspectionError::IllegalTransition { status: self.status, command });
        match c {
            InspectionCommand::Hold => {
                if self.status != S::Planned {
                    return refuse("hold");
                }
                if today < self.from {
                    return Err(InspectionError::NotYet(self.from));
                }
                Ok(vec![InspectionEvent::Held { on: today }])
            }
            InspectionCommand::Score { deputy, item, score } => {
                if self.status != S::Held {
                    return refuse("score");
                }
                self.participant(deputy)?;
                if item as usize >= self.items.len() {
                    return Err(InspectionError::NoItem(item));
                }
                if score > 100 {
                    return Err(InspectionError::ScoreRange);
                }
                Ok(vec![InspectionEvent::Scored { deputy, item, score }])
            }
            InspectionCommand::Opinion { deputy, text } => {
                if self.status != S::Held {
                    return refuse("record an opinion of");
                }
                self.participant(deputy)?;
                Ok(vec![InspectionEvent::OpinionGiven { deputy, text }])
            }
            InspectionCommand::AddRectification { title, owner, deadline } => {
                if self.status != S::Held {
                    return refuse("add rectification to");
                }
                if deadline < today {
                    return Err(InspectionError::DeadlineInPast { deadline, today });
                }
                plausible("deadline", deadline, today)?;
                let n = self.rectifications.len() as u32 + 1;
                Ok(vec![InspectionEvent::RectificationAdded {
                    item: Rectification { n, title, owner, deadline, done: None },
                }])
            }
            InspectionCommand::CompleteRectification { n, result } => {
                if self.status != S::Held {
                    return refuse("complete rectification of");
                }
                if !self.rectifications.iter().any(|r| r.n == n && r.done.is_none()) {
                    return Err(InspectionError::NoOpenRectification(n));
                }
                Ok(vec![InspectionEvent::RectificationDone { n, on: today, result }])
            }
            InspectionCommand::Report { text } => {
                if self.status != S::Held {
                    return refuse("report");
                }
                let open = self.rectifications.iter().filter(|r| r.done.is_none()).count();
                if open > 0 {
                    return Err(InspectionError::RectificationOpen(open));
                }
                Ok(vec![InspectionEvent::Reported { on: today, text }])
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &InspectionEvent) {
        self.version += 1;
        match e {
            InspectionEvent::Planned { .. } => {}
            InspectionEvent::Held { .. } => self.status = InspectionStatus::Held,
            InspectionEvent::Scored { deputy, item, score } => {
                self.scores.retain(|s| !(s.deputy == *deputy && s.item == *item));
                self.scores.push(ScoreEntry { deputy: *deputy, item: *item, score: *score });
            }
            InspectionEvent::OpinionGiven { deputy, text } => self.opinions.push((*deputy, text.clone())),
            InspectionEvent::RectificationAdded { item } => self.rectifications.push(item.clone()),
            InspectionEvent::RectificationDone { n, on, result } => {
                if let Some(r) = self.rectifications.iter_mut().find(|r| r.n == *n) {
                    r.done = Some((*on, result.clone()));
                }
            }
            InspectionEvent::Reported { on, text } => {
                self.report = Some((*on, text.clone()));
                self.status = InspectionStatus::Reported;
            }
        }
    }

    /// The scores, aggregated per item and per deputy.
    pub fn aggregate(&self) -> Scores {
        let avg = |v: &[u8]| {
            if v.is_empty() { 0.0 } else { v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64 }
        };
        let by_item = self
            .items
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v: Vec<u8> =
                    self.scores.iter().filter(|s| s.item as usize == i).map(|s| s.score).collect();
                (name.to_string(), avg(&v), v.len() as u32)
            })
            .collect();
        let mut per: BTreeMap<DeputyId, Vec<u8>> = BTreeMap::new();
        for s in &self.scores {
            per.entry(s.deputy).or_default().push(s.score);
        }
        let all: Vec<u8> = self.scores.iter().map(|s| s.score).collect();
        Scores {
            by_item,
            by_deputy: per.into_iter().map(|(d, v)| (d, avg(&v), v.len() as u32)).collect(),
            overall: (!all.is_empty()).then(|| avg(&all)),
        }
    }
}

mod aggregate;
pub use aggregate::PlanInspection;
#[cfg(test)]
mod tests;
