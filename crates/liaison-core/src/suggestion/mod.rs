//! Deputies' suggestions, criticisms and opinions (代表建议、批评和意见, R1) and the improvement measures they
//! give rise to (P1.3).
//!
//! The workflow: received → registered (numbered `2026-0001` per tenant and year) → assigned (a lead
//! department 主办, co-handlers 协办, a handler, the deadline) → in handling → answered (class A–D) →
//! feedback → closed; with the branches returned (退办), rerouted to letters and petitions (转信访), merged
//! (并案), withdrawn (撤回), extension (延期), re-handling (再次办理) and escalation after a second
//! dissatisfaction, and follow-up (跟踪办理) of B/C answers.
//!
//! The three transformations (三个转变) are rules of [`Suggestion::decide`], not reports:
//! - R1a: nothing closes because an answer was sent; a round is decided by the evaluators' ratings or by
//!   the recorded lapse of the feedback window, and only then may the item close.
//! - R1b: every co-signer (and a panel, when set) evaluates; a [`SatisfactionPolicy`] decides; a rating
//!   records how it was given (the deputy's own account, a one-use link, or a transcribed paper form).
//! - R1c: no answer before a contact with the deputies (办前沟通) is logged in that round; progress notices
//!   fall due at an interval.
//!
//! A suggestion's life, from receipt to the deputies' verdict: each command is checked by `decide`, which
//! returns events or a typed refusal and changes nothing; `apply` folds each event into the state; the
//! event log alone rebuilds it ([`Suggestion::replay`]).
//!
//! ```
//! use chrono::NaiveDate;
//! use liaison_core::calendar::WorkCalendar;
//! use liaison_core::ids::{DepartmentId, DeputyId, SuggestionId, UserId};
//! use liaison_core::registry::{DeputyLevel, LongText, PersonName, ShortText};
//! use liaison_core::suggestion::*;
//! use uuid::Uuid;
//!
//! let day = |s: &str| s.parse::<NaiveDate>();
//! let signer = |n: u128, name: &str, level| -> Result<Signer, liaison_core::ValueError> {
//!     Ok(Signer { deputy: DeputyId(Uuid::from_u128(n)), name: PersonName::parse(name)?, level })
//! };
//! // Filed: a joint suggestion of a county and a township deputy.
//! let received = Suggestion::receive(
//!     ShortText::parse("关于加强未成年人检察工作的建议")?,
//!     LongText::parse("建议在各乡镇设立未成年人保护联络点。")?,
//!     Source::BetweenSessions,
//!     day("2026-03-02")?,
//!     vec![signer(1, "张代表", DeputyLevel::County)?, signer(2, "李代表", DeputyLevel::Township)?],
//! )?;
//! let id = SuggestionId(Uuid::from_u128(100));
//! let mut s = Suggestion::from_received(id, &received).ok_or("not a receipt")?;
//! let mut log = vec![received];
//!
//! let (policy, calendar) = (SuggestionPolicy::default(), WorkCalendar::new());
//! let mut run = |s: &mut Suggestion, on: &str, command| -> Result<(), Box<dyn std::error::Error>> {
//!     let ctx = Ctx { today: day(on)?, policy: &policy, calendar: &calendar };
//!     for event in s.decide(command, ctx)? {
//!         s.apply(&event);
//!         log.push(event);
//!     }
//!     Ok(())
//! };
//! let department = DepartmentRef { id: DepartmentId(Uuid::from_u128(7)), name: ShortText::parse("第九检察部")? };
//! let handler = StaffRef { user: UserId(Uuid::from_u128(8)), name: "王承办".into() };
//!
//! run(&mut s, "2026-03-02", SuggestionCommand::Register { number: SuggestionNumber::parse("2026-0001")? })?;
//! run(&mut s, "2026-03-03", SuggestionCommand::Assign { lead: department, co_handlers: vec![], handler })?;
//! // Three months to answer, on the working-day calendar.
//! assert_eq!(s.answer_due(), Some(day("2026-06-03")?));
//!
//! // R1c: no answer before the deputies were consulted (办前沟通) — refused, and nothing changed.
//! let answer = SuggestionCommand::Answer {
//!     class: AnswerClass::A,
//!     text: LongText::parse("已在各乡镇设立联络点。")?,
//!     promised_on: None,
//! };
//! let ctx = Ctx { today: day("2026-04-10")?, policy: &policy, calendar: &calendar };
//! assert_eq!(s.decide(answer.clone(), ctx), Err(SuggestionError::NoPriorContact));
//!
//! run(&mut s, "2026-03-10", SuggestionCommand::LogContact {
//!     phase: ContactPhase::Before,
//!     means: ContactMeans::Phone,
//!     deputies: vec![],
//!     summary: LongText::parse("电话征求两位代表对办理的意见")?,
//! })?;
//! run(&mut s, "2026-04-10", answer)?;
//! // R1a: an answer sent does not close it; every co-signer receives it and rates it.
//! assert_eq!(s.status, SuggestionStatus::Answered);
//! for (n, rating) in [(1, Satisfaction::Satisfied), (2, Satisfaction::BasicallySatisfied)] {
//!     run(&mut s, "2026-04-20", SuggestionCommand::Rate {
//!         deputy: DeputyId(Uuid::from_u128(n)),
//!         rating,
//!         comment: None,
//!         channel: RatingChannel::OwnAccount,
//!     })?;
//! }
//! // R1b: the deputies' verdict decides the round, and only then does it close.
//! assert_eq!(s.round().and_then(|r| r.outcome.as_ref()).map(|o| o.verdict), Some(Verdict::Satisfied));
//! assert_eq!(s.status, SuggestionStatus::Closed);
//! assert_eq!(s.closure.as_ref().map(|c| c.basis), Some(ClosureBasis::Satisfied));
//! // The event log alone rebuilds the state.
//! assert_eq!(Suggestion::replay(id, &log), Some(s));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod adjust;
mod aggregate;
mod apply;
mod branches;
mod command;
pub mod draft;
mod error;
mod evaluation;
mod figures;
mod handling;
mod measure;
mod obligation;
mod policy;
mod publication;
mod record;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use adjust::{ExtensionRequest, Reassignment};
pub use aggregate::{OpenMeasure, Receive};
pub use command::{SuggestionCommand, SuggestionEvent};
pub use error::SuggestionError;
pub use figures::{
    FigureRow, FigureSums, Figures, GroupBy, Resolution, SuggestionFacts, figures, figures_of_facts,
};
pub use measure::{Measure, MeasureCommand, MeasureError, MeasureEvent, MeasureOrigin, MeasureStatus};
pub use obligation::{Obligation, ObligationKind};
pub use policy::{PolicyError, SatisfactionPolicy, SuggestionPolicy};
use publication::markers_balanced;
pub use publication::{Audience, BodyVerdict, Publication, WITHHELD, full_text, public_text};
pub use record::{
    Answer, Assignment, Closure, ClosureBasis, CoHandler, CoOpinionAttached, Contact, Dated,
    EscalationRecord, Extension, FollowUp, Rating, RatingChannel, Reader, Reroute, ReturnRecord, Round,
    RoundOutcome, Suggestion, Transfer, TransferOrigin, Verdict,
};

use crate::calendar::WorkCalendar;
use crate::ids::{DepartmentId, DeputyId, SuggestionId, TenantId, UserId};
use crate::registry::values::{clean, word_enum};
use crate::registry::{DeputyLevel, LongText, PersonName, ShortText};
use crate::{Localized, ValueError};

word_enum!(
    /// Where a suggestion came from (来源).
    Source, "congress_session/between_sessions/hotline/letter/visit/appointment/forum/notice", {
    /// Raised during a congress session (大会期间).
    CongressSession => "congress_session", "大会期间", ["会议期间", "session"];
    /// Raised between sessions (闭会期间).
    BetweenSessions => "between_sessions", "闭会期间", ["闭会"];
    /// The liaison hotline (联络热线).
    Hotline => "hotline", "联络热线", ["热线", "电话"];
    /// A letter (来信).
    Letter => "letter", "来信", ["信件"];
    /// A visit to the deputy (走访).
    Visit => "visit", "走访", [];
    /// An appointment (约见).
    Appointment => "appointment", "约见", [];
    /// A forum or meeting (座谈会).
    Forum => "forum", "座谈会", ["座谈", "会议"];
    /// A response to a major-matter notice (重大事项通报反馈).
    Notice => "notice", "通报反馈", ["重大事项通报"];
    /// Filed by the deputy online, from a draft the co-signers confirmed (代表网上提交).
    Online => "online", "代表网上提交", ["网上提交"];
});

word_enum!(
    /// The outcome class marked on an answer (办理结果分类).
    AnswerClass, "A/B/C/D", {
    /// Solved or basically solved (已解决或基本解决).
    A => "a", "A", ["已解决", "基本解决", "已解决或基本解决"];
    /// Being solved or in the plan (正在解决或列入计划解决).
    B => "b", "B", ["正在解决", "列入计划"];
    /// Needs later solution, conditions not yet met (条件限制，待以后解决).
    C => "c", "C", ["待以后解决", "条件限制"];
    /// Kept for reference, with an explanation (留作参考).
    D => "d", "D", ["留作参考", "参考"];
});

word_enum!(
    /// A deputy's rating of an answer (征询意见表).
    Satisfaction, "满意/基本满意/不满意 (satisfied/basically_satisfied/dissatisfied)", {
    /// 满意.
    Satisfied => "satisfied", "满意", [];
    /// 基本满意.
    BasicallySatisfied => "basically_satisfied", "基本满意", ["basic"];
    /// 不满意.
    Dissatisfied => "dissatisfied", "不满意", [];
});

word_enum!(
    /// When a contact with the deputies took place (办前、办中、办后).
    ContactPhase, "before/during/after (办前/办中/办后)", {
    /// Before handling: asking how the deputies want it handled (办前沟通).
    Before => "before", "办前", ["办前沟通"];
    /// During handling (办中).
    During => "during", "办中", [];
    /// After answering (办后).
    After => "after", "办后", ["办后回访"];
});

word_enum!(
    /// How a contact was made.
    ContactMeans, "phone/visit/meeting/letter/message/online", {
    /// 电话.
    Phone => "phone", "电话", [];
    /// 走访.
    Visit => "visit", "走访", ["上门"];
    /// 座谈或面谈.
    Meeting => "meeting", "面谈", ["座谈", "当面"];
    /// 书面.
    Letter => "letter", "书面", ["信函"];
    /// 短信或即时消息.
    Message => "message", "短信", ["消息", "微信"];
    /// 网上.
    Online => "online", "网上", ["视频"];
});

word_enum!(
    /// Why an item is not a suggestion and goes to letters and petitions (转信访).
    RerouteGround, "pending_case/personal_matter (具体案件/个人事项)", {
    /// About a specific pending case (具体案件).
    PendingCase => "pending_case", "具体案件", ["案件"];
    /// A deputy's personal matter (个人事项).
    PersonalMatter => "personal_matter", "个人事项", ["个人"];
});

word_enum!(
    /// What leadership did after a second dissatisfaction.
    EscalationMeans, "face_to_face/special_explanation (当面沟通/专题说明)", {
    /// A face-to-face consultation (当面沟通).
    FaceToFace => "face_to_face", "当面沟通", ["面对面", "当面"];
    /// A special explanation (专题说明).
    SpecialExplanation => "special_explanation", "专题说明", ["专门说明"];
});

/// A suggestion's number (编号): the year and a sequence per tenant and year, written `2026-0001`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SuggestionNumber {
    /// Year.
    pub year: i32,
    /// Sequence in the year, from 1.
    pub seq: u32,
}

impl SuggestionNumber {
    /// Parse `2026-0001`.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let bad = ValueError::OneOf("YYYY-NNNN (2026-0001)");
        let (y, n) = clean(s).split_once('-').ok_or(bad.clone())?;
        let year = y.parse::<i32>().map_err(|_| bad.clone())?;
        let seq = n.parse::<u32>().map_err(|_| bad.clone())?;
        if !(2000..=2999).contains(&year) || seq == 0 || n.len() < 4 {
            return Err(bad);
        }
        Ok(Self { year, seq })
    }
}

impl std::fmt::Display for SuggestionNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:04}", self.year, self.seq)
    }
}

impl TryFrom<String> for SuggestionNumber {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::parse(&s)
    }
}

impl From<SuggestionNumber> for String {
    fn from(n: SuggestionNumber) -> String {
        n.to_string()
    }
}

/// A deputy taking part (a co-signer or a panel member), with the name and level at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Signer {
    /// The deputy.
    pub deputy: DeputyId,
    /// Name.
    pub name: PersonName,
    /// Level.
    pub level: DeputyLevel,
}

/// A department as named at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRef {
    /// Id.
    pub id: DepartmentId,
    /// Name.
    pub name: ShortText,
}

/// A member of staff as named at the time (a handler, an approving leader).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct StaffRef {
    /// The user.
    pub user: UserId,
    /// Name.
    pub name: String,
}

/// Where an item is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionStatus {
    /// Received, not yet registered (已接收).
    Received,
    /// Registered with a number, waiting for assignment (已登记).
    Registered,
    /// Assigned to a lead department (已交办).
    Assigned,
    /// Being handled (办理中).
    InHandling,
    /// Returned to the office as misassigned (已退办).
    Returned,
    /// Answered; waiting for the evaluators (待评价).
    Answered,
    /// Being handled again after dissatisfaction (再次办理).
    Rehandling,
    /// Dissatisfied twice: leadership must meet the deputies or explain (待领导督办).
    Escalated,
    /// Closed (办结).
    Closed,
    /// Not a suggestion: sent to letters and petitions (已转信访).
    Rerouted,
    /// Merged into another item (已并案).
    Merged,
    /// Withdrawn by its deputies (已撤回).
    Withdrawn,
    /// Transferred to the competent procuratorate (已转办): handled there, final here.
    Transferred,
}

impl SuggestionStatus {
    /// Every status.
    pub const ALL: [Self; 13] = [
        Self::Received,
        Self::Registered,
        Self::Assigned,
        Self::InHandling,
        Self::Returned,
        Self::Answered,
        Self::Rehandling,
        Self::Escalated,
        Self::Closed,
        Self::Rerouted,
        Self::Merged,
        Self::Withdrawn,
        Self::Transferred,
    ];
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Registered => "registered",
            Self::Assigned => "assigned",
            Self::InHandling => "in_handling",
            Self::Returned => "returned",
            Self::Answered => "answered",
            Self::Rehandling => "rehandling",
            Self::Escalated => "escalated",
            Self::Closed => "closed",
            Self::Rerouted => "rerouted",
            Self::Merged => "merged",
            Self::Withdrawn => "withdrawn",
            Self::Transferred => "transferred",
        }
    }
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s.trim())
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Received => "已接收",
            Self::Registered => "已登记",
            Self::Assigned => "已交办",
            Self::InHandling => "办理中",
            Self::Returned => "已退办",
            Self::Answered => "待评价",
            Self::Rehandling => "再次办理",
            Self::Escalated => "待领导督办",
            Self::Closed => "已办结",
            Self::Rerouted => "已转信访",
            Self::Merged => "已并案",
            Self::Withdrawn => "已撤回",
            Self::Transferred => "已转办",
        }
    }
    /// No further handling (closed, rerouted, merged, withdrawn, transferred).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Rerouted | Self::Merged | Self::Withdrawn | Self::Transferred)
    }
    /// Left the handling here without being handled: sent to letters and petitions, merged, withdrawn or
    /// transferred to another procuratorate.
    pub fn left_unhandled(self) -> bool {
        matches!(self, Self::Rerouted | Self::Merged | Self::Withdrawn | Self::Transferred)
    }
    /// Before any answer: the statuses in which the item may still be merged, rerouted or given a panel.
    pub fn before_answer(self) -> bool {
        matches!(self, Self::Received | Self::Registered | Self::Assigned | Self::InHandling | Self::Returned)
    }
}

/// What `decide` needs besides the state: the day (China time), the deployment's policy, the calendar.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Today.
    pub today: NaiveDate,
    /// The policy.
    pub policy: &'a SuggestionPolicy,
    /// The working-day calendar.
    pub calendar: &'a WorkCalendar,
}

impl Ctx<'_> {
    fn due(&self, from: NaiveDate, p: crate::calendar::Period) -> NaiveDate {
        self.calendar.deadline(from, p).due
    }
}

fn distinct_signers(s: &[Signer]) -> bool {
    let mut ids: Vec<_> = s.iter().map(|x| x.deputy).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len() == s.len()
}

impl Suggestion {
    /// Decide the receipt of a new item.
    pub fn receive(
        title: ShortText,
        content: LongText,
        source: Source,
        on: NaiveDate,
        proposers: Vec<Signer>,
    ) -> Result<SuggestionEvent, SuggestionError> {
        if proposers.is_empty() || !distinct_signers(&proposers) {
            return Err(SuggestionError::BadSigners);
        }
        Ok(SuggestionEvent::Received { title, content, source, on, proposers })
    }

    /// Build the aggregate from its `Received` event; `None` for any other event.
    pub fn from_received(id: SuggestionId, e: &SuggestionEvent) -> Option<Self> {
        match e {
            SuggestionEvent::Received { title, content, source, on, proposers } => Some(Self {
                id,
                version: 1,
                number: None,
                title: title.clone(),
                content: content.clone(),
                source: *source,
                received_on: *on,
                proposers: proposers.clone(),
                withdrawn: Vec::new(),
                panel: Vec::new(),
                status: SuggestionStatus::Received,
                assignment: None,
                returns: Vec::new(),
                extensions: Vec::new(),
                contacts: Vec::new(),
                notices: Vec::new(),
                rounds: Vec::new(),
                follow_up: None,
                escalation: None,
                merged_into: None,
                absorbed: Vec::new(),
                reroute: None,
                withdrawal_reason: None,
                measures: Vec::new(),
                closure: None,
                anonymous: BTreeSet::new(),
                publications: Vec::new(),
                reassignments: Vec::new(),
                extension_request: None,
                extensions_declined: Vec::new(),
                transfer: None,
                transferred_from: None,
            }),
            _ => None,
        }
    }

    /// Replay a whole event log (the first event must be `Received`).
    pub fn replay(id: SuggestionId, events: &[SuggestionEvent]) -> Option<Self> {
        let (first, rest) = events.split_first()?;
        let mut s = Self::from_received(id, first)?;
        for e in rest {
            s.apply(e);
        }
        Some(s)
    }

    /// Everyone who evaluates an answer: the co-signers and the panel.
    pub fn evaluators(&self) -> Vec<DeputyId> {
        self.proposers.iter().chain(&self.panel).map(|s| s.deputy).collect()
    }

    /// The co-signers' ids.
    pub fn proposer_ids(&self) -> Vec<DeputyId> {
        self.proposers.iter().map(|s| s.deputy).collect()
    }

    /// The current round, if any.
    pub fn round(&self) -> Option<&Round> {
        self.rounds.last()
    }

    /// R1c: whether a contact with the deputies of the current round is logged — what an answer needs
    /// (the first round: a contact before handling, since the round began; a re-handling: any of its own).
    pub fn contacted_this_round(&self, today: NaiveDate) -> bool {
        let round = self.current_round_n();
        let began = self.rounds.last().map_or(today, |r| r.began_on);
        self.contacts
            .iter()
            .any(|c| c.round == round && c.on >= began && (round > 1 || c.phase == ContactPhase::Before))
    }

    fn current_round_n(&self) -> u8 {
        match self.status {
            SuggestionStatus::Rehandling => 2,
            _ => self.rounds.last().map_or(1, |r| r.n),
        }
    }

    /// The first answer, if given.
    pub fn first_answer(&self) -> Option<&Answer> {
        self.rounds.first().and_then(|r| r.answer.as_ref())
    }

    /// The answer deadline now in force (round 1: the assignment's; round 2: its own).
    pub fn answer_due(&self) -> Option<NaiveDate> {
        match self.status {
            SuggestionStatus::Rehandling => self.rounds.last().map(|r| r.due),
            SuggestionStatus::Assigned | SuggestionStatus::InHandling => {
                self.assignment.as_ref().map(|a| a.deadline)
            }
            _ => None,
        }
    }

    /// Check a command against the rules: the events it produces, or why it is refused. Nothing in `self`
    /// changes; the caller applies the events.
    ///
    /// Each family of commands is decided in its own module: `handling` (registration to the answer's
    /// preparation), `evaluation` (the answer, ratings, rounds), `branches` (merge, withdrawal, reroute,
    /// anonymity, measures), `publication` (publishing, views, the body's ratings) and `adjust`
    /// (corrections and follow-through).
    pub fn decide(
        &self,
        command: SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        let name = command.name();
        let refuse = || Err(SuggestionError::IllegalTransition { status: self.status, command: name });
        match command {
            c @ (SuggestionCommand::Reassign { .. }
            | SuggestionCommand::RecomputeDeadline
            | SuggestionCommand::RequestExtension { .. }
            | SuggestionCommand::DeclineExtension { .. }
            | SuggestionCommand::RecordRerouteOutcome { .. }
            | SuggestionCommand::TellRerouteOutcome { .. }) => {
                self.decide_adjustment(&c, ctx).unwrap_or_else(refuse)
            }
            c @ (SuggestionCommand::Register { .. }
            | SuggestionCommand::SetPanel { .. }
            | SuggestionCommand::Assign { .. }
            | SuggestionCommand::Return { .. }
            | SuggestionCommand::StartHandling
            | SuggestionCommand::LogContact { .. }
            | SuggestionCommand::NotifyProgress { .. }
            | SuggestionCommand::GiveCoOpinion { .. }
            | SuggestionCommand::RecordCoHandlerOverdue { .. }
            | SuggestionCommand::Extend { .. }) => self.decide_handling(c, ctx),
            c @ (SuggestionCommand::Answer { .. }
            | SuggestionCommand::Rate { .. }
            | SuggestionCommand::RecordLapse
            | SuggestionCommand::RecordEscalation { .. }
            | SuggestionCommand::RecordSolved { .. }) => self.decide_evaluation(c, ctx),
            c @ (SuggestionCommand::MergeInto { .. }
            | SuggestionCommand::Absorb { .. }
            | SuggestionCommand::Withdraw { .. }
            | SuggestionCommand::Reroute { .. }
            | SuggestionCommand::Transfer { .. }
            | SuggestionCommand::ReceiveTransfer { .. }
            | SuggestionCommand::SetAnonymity { .. }
            | SuggestionCommand::LinkMeasure { .. }) => self.decide_branch(c, ctx),
            c @ (SuggestionCommand::Publish { .. }
            | SuggestionCommand::View { .. }
            | SuggestionCommand::RateAsBody { .. }) => self.decide_publication(c, ctx),
        }
    }

    /// The year it counts in (the year received).
    pub fn year(&self) -> i32 {
        self.received_on.year()
    }
}
