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

mod adjust;
mod aggregate;
mod command;
mod error;
mod figures;
mod measure;
mod obligation;
mod policy;
mod publication;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use adjust::{ExtensionRequest, Reassignment};
pub use aggregate::{OpenMeasure, Receive};
pub use command::{SuggestionCommand, SuggestionEvent};
pub use error::SuggestionError;
pub use figures::{FigureRow, Figures, GroupBy, Resolution, SuggestionFacts, figures, figures_of_facts};
pub use measure::{Measure, MeasureCommand, MeasureError, MeasureEvent, MeasureOrigin, MeasureStatus};
pub use obligation::{Obligation, ObligationKind};
pub use policy::{PolicyError, SatisfactionPolicy, SuggestionPolicy};
pub use publication::{
    Audience, BodyVerdict, Publication, WITHHELD, confidential_parts, full_text, markers_balanced,
    public_text, withhold,
};

use crate::calendar::WorkCalendar;
use crate::ids::{DepartmentId, DeputyId, SuggestionId, UserId};
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
}

impl SuggestionStatus {
    /// Every status.
    pub const ALL: [Self; 12] = [
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
        }
    }
    /// No further handling (closed, rerouted, merged, withdrawn).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Rerouted | Self::Merged | Self::Withdrawn)
    }
    /// Before any answer: the statuses in which the item may still be merged, rerouted or given a panel.
    pub fn before_answer(self) -> bool {
        matches!(self, Self::Received | Self::Registered | Self::Assigned | Self::InHandling | Self::Returned)
    }
}

/// A co-handler (协办单位) and its written opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoHandler {
    /// The department.
    pub department: DepartmentRef,
    /// Its opinion is due by.
    pub due: NaiveDate,
    /// The written opinion, when given.
    pub opinion: Option<Dated<LongText>>,
    /// The day its lateness was recorded (the lead may then answer without it).
    pub overdue_recorded: Option<NaiveDate>,
}

/// A value with the day it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated<T> {
    /// The day.
    pub on: NaiveDate,
    /// The value.
    pub value: T,
}

/// The current assignment (交办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The lead department (主办).
    pub lead: DepartmentRef,
    /// Co-handlers (协办).
    pub co_handlers: Vec<CoHandler>,
    /// The person handling it (承办人).
    pub handler: StaffRef,
    /// Assigned on.
    pub assigned_on: NaiveDate,
    /// The first answer is due by this day; only an approved extension moves it.
    pub deadline: NaiveDate,
    /// The deadline set at assignment.
    pub original_deadline: NaiveDate,
}

/// An approved extension (延期).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The new deadline.
    pub until: NaiveDate,
    /// The reason, also explained to the deputies in writing.
    pub reason: LongText,
    /// The approving leader.
    pub approved_by: StaffRef,
    /// Approved on.
    pub on: NaiveDate,
}

/// A contact with the deputies (办前、办中、办后沟通).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Which round it belongs to (1 = first handling, 2 = re-handling).
    pub round: u8,
    /// When in the handling.
    pub phase: ContactPhase,
    /// How.
    pub means: ContactMeans,
    /// The deputies contacted.
    pub deputies: Vec<DeputyId>,
    /// What was said.
    pub summary: LongText,
    /// On.
    pub on: NaiveDate,
}

/// How a rating reached the record (R1b: recorded as the deputy gave it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum RatingChannel {
    /// Given by the deputy through the deputy's own account.
    OwnAccount,
    /// Given by the deputy through a one-use feedback link sent to that deputy.
    FeedbackLink {
        /// The link's id (never its secret).
        link: String,
    },
    /// Transcribed by an officer from a signed paper form.
    PaperForm {
        /// The form's reference.
        form_ref: ShortText,
        /// The officer who transcribed it.
        transcribed_by: StaffRef,
    },
}

/// One evaluator's rating in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 满意 / 基本满意 / 不满意.
    pub rating: Satisfaction,
    /// The deputy's comment (required with 不满意).
    pub comment: Option<LongText>,
    /// On.
    pub on: NaiveDate,
    /// How it was given.
    pub channel: RatingChannel,
}

/// An answer (答复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Outcome class.
    pub class: AnswerClass,
    /// The text.
    pub text: LongText,
    /// On.
    pub on: NaiveDate,
    /// For B and C: the date by which it is promised to be solved.
    pub promised_on: Option<NaiveDate>,
    /// The co-handlers' opinions passed on with it (a missing one is named as overdue).
    pub co_opinions: Vec<CoOpinionAttached>,
    /// Every deputy it was sent to: all co-signers at the time.
    pub recipients: Vec<DeputyId>,
    /// The feedback window closes on.
    pub feedback_due: NaiveDate,
}

/// A co-handler's opinion as attached to the lead's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoOpinionAttached {
    /// The co-handler.
    pub department: DepartmentRef,
    /// Its opinion, or none when its lateness was recorded.
    pub opinion: Option<LongText>,
}

/// How a round was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The policy was met.
    Satisfied,
    /// The policy was not met.
    Dissatisfied,
    /// Nobody rated within the feedback window (recorded lapse, counted apart).
    Lapsed,
}

impl Verdict {
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Satisfied => "满意",
            Self::Dissatisfied => "不满意",
            Self::Lapsed => "逾期未反馈",
        }
    }
}

/// A round's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundOutcome {
    /// The verdict.
    pub verdict: Verdict,
    /// On.
    pub on: NaiveDate,
    /// How many evaluators rated.
    pub rated: u32,
    /// How many evaluators there were.
    pub evaluators: u32,
    /// Decided by the lapse of the feedback window (some or all did not rate).
    pub by_lapse: bool,
    /// The body's verdict on the published answer, kept apart (and whether it counted).
    #[serde(default)]
    pub body: Option<BodyVerdict>,
}

/// A handling round: 1 is the first handling, 2 the re-handling after dissatisfaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// 1 or 2.
    pub n: u8,
    /// Began on.
    pub began_on: NaiveDate,
    /// The answer is due by (round 1: the assignment's deadline at the time; round 2: its own).
    pub due: NaiveDate,
    /// The answer.
    pub answer: Option<Answer>,
    /// Ratings by evaluator.
    pub ratings: BTreeMap<DeputyId, Rating>,
    /// The decision.
    pub outcome: Option<RoundOutcome>,
}

/// A B/C answer's follow-up (跟踪办理): a second answer is owed when solved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Promised to be solved by.
    pub promised_on: NaiveDate,
    /// The second answer, once solved.
    pub solved: Option<Dated<LongText>>,
    /// The deputies it was sent to.
    pub recipients: Vec<DeputyId>,
}

/// Leadership's action after a second dissatisfaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRecord {
    /// How.
    pub means: EscalationMeans,
    /// The leader who met the deputies or gave the explanation.
    pub leader: StaffRef,
    /// What was said.
    pub note: LongText,
    /// On.
    pub on: NaiveDate,
}

/// A return to the office (退办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRecord {
    /// The department that returned it.
    pub department: DepartmentRef,
    /// Why.
    pub reason: LongText,
    /// On.
    pub on: NaiveDate,
}

/// The hand-over to letters and petitions (转信访).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reroute {
    /// Why it is not a suggestion.
    pub ground: RerouteGround,
    /// The letters/petitions record's reference.
    pub petition_ref: ShortText,
    /// What the deputies were told.
    pub notice: LongText,
    /// The deputies told.
    pub told: Vec<DeputyId>,
    /// On.
    pub on: NaiveDate,
    /// Its outcome in the letters and petitions flow, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Dated<LongText>>,
    /// What the deputies were told of the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_told: Option<Dated<LongText>>,
}

/// How an item closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureBasis {
    /// The evaluators were satisfied under the policy.
    Satisfied,
    /// The feedback window closed before the ratings given could decide (recorded lapse).
    Lapsed,
    /// After a second dissatisfaction, leadership met the deputies or explained.
    Escalated,
}

impl ClosureBasis {
    /// The Chinese words.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Satisfied => "代表满意（按评价规则）",
            Self::Lapsed => "逾期未反馈（不计为满意）",
            Self::Escalated => "经院领导督办后办结",
        }
    }
}

/// The closure (办结).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// On.
    pub on: NaiveDate,
    /// Why.
    pub basis: ClosureBasis,
}

/// A deputy's suggestion, criticism or opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Id.
    pub id: SuggestionId,
    /// Version: 1 on receipt, +1 per event.
    pub version: u64,
    /// The number, once registered.
    pub number: Option<SuggestionNumber>,
    /// Title.
    pub title: ShortText,
    /// Content.
    pub content: LongText,
    /// Source.
    pub source: Source,
    /// Received on.
    pub received_on: NaiveDate,
    /// The co-signing deputies (联名): every one evaluates and gets every answer.
    pub proposers: Vec<Signer>,
    /// Deputies who withdrew their signature.
    pub withdrawn: Vec<Signer>,
    /// A panel of further evaluators, when set.
    pub panel: Vec<Signer>,
    /// Status.
    pub status: SuggestionStatus,
    /// The current assignment.
    pub assignment: Option<Assignment>,
    /// Returns to the office.
    pub returns: Vec<ReturnRecord>,
    /// Approved extensions.
    pub extensions: Vec<Extension>,
    /// Contacts with the deputies.
    pub contacts: Vec<Contact>,
    /// Progress notices sent to the deputies (R1c).
    pub notices: Vec<Dated<LongText>>,
    /// Handling rounds.
    pub rounds: Vec<Round>,
    /// Follow-up of a B/C answer.
    pub follow_up: Option<FollowUp>,
    /// Set when a second dissatisfaction requires leadership action; the record once taken.
    pub escalation: Option<(NaiveDate, Option<EscalationRecord>)>,
    /// Merged into this item.
    pub merged_into: Option<SuggestionId>,
    /// Items merged into this one.
    pub absorbed: Vec<SuggestionId>,
    /// Sent to letters and petitions.
    pub reroute: Option<Reroute>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<LongText>,
    /// Improvement measures it gave rise to.
    pub measures: Vec<crate::ids::MeasureId>,
    /// The closure.
    pub closure: Option<Closure>,
    /// Co-signers who asked not to be named when the answer is published.
    #[serde(default)]
    pub anonymous: BTreeSet<DeputyId>,
    /// Answer rounds published to the deputies as a body.
    #[serde(default)]
    pub publications: Vec<Publication>,
    /// Re-assignments before the answer, with their reasons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reassignments: Vec<Reassignment>,
    /// The lead department's request for an extension, while a leader has not decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_request: Option<ExtensionRequest>,
    /// Extension requests a leader declined, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions_declined: Vec<Dated<LongText>>,
}

/// A deputy of the register as a reader of a publication: who, and what decides the audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reader {
    /// The deputy.
    pub deputy: DeputyId,
    /// Level.
    pub level: DeputyLevel,
    /// Region.
    pub region: ShortText,
    /// Delegation.
    pub delegation: Option<ShortText>,
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
    pub fn decide(
        &self,
        command: SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        use SuggestionStatus as S;
        let today = ctx.today;
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
            SuggestionCommand::Register { number } => match self.status {
                S::Received => Ok(vec![SuggestionEvent::Registered { number }]),
                _ => refuse(),
            },
            SuggestionCommand::SetPanel { panel } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if !distinct_signers(&panel) {
                    return Err(SuggestionError::BadSigners);
                }
                if let Some(p) = panel.iter().find(|p| self.proposers.iter().any(|s| s.deputy == p.deputy)) {
                    return Err(SuggestionError::PanelOverlap(p.deputy));
                }
                if panel == self.panel {
                    return Err(SuggestionError::NothingToChange);
                }
                Ok(vec![SuggestionEvent::PanelSet { panel }])
            }
            SuggestionCommand::Assign { lead, co_handlers, handler } => {
                if !matches!(self.status, S::Registered | S::Returned) {
                    return refuse();
                }
                let mut ids: Vec<_> = co_handlers.iter().map(|c| c.id).collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.len() != co_handlers.len() || ids.contains(&lead.id) {
                    return Err(SuggestionError::BadCoHandlers);
                }
                let deadline = ctx.due(today, ctx.policy.answer);
                let co_due = ctx.due(today, ctx.policy.co_handler);
                let assignment = Assignment {
                    lead,
                    co_handlers: co_handlers
                        .into_iter()
                        .map(|department| CoHandler {
                            department,
                            due: co_due,
                            opinion: None,
                            overdue_recorded: None,
                        })
                        .collect(),
                    handler,
                    assigned_on: today,
                    deadline,
                    original_deadline: deadline,
                };
                Ok(vec![SuggestionEvent::Assigned { assignment }])
            }
            SuggestionCommand::Return { department, reason } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let Some(a) = &self.assignment else { return refuse() };
                if a.lead.id != department {
                    return Err(SuggestionError::NotTheLead("return"));
                }
                let closes = ctx.due(a.assigned_on, ctx.policy.return_window);
                if today > closes {
                    return Err(SuggestionError::ReturnWindowClosed { closed_on: closes });
                }
                Ok(vec![SuggestionEvent::Returned {
                    record: ReturnRecord { department: a.lead.clone(), reason, on: today },
                }])
            }
            SuggestionCommand::StartHandling => match self.status {
                S::Assigned => Ok(vec![SuggestionEvent::HandlingStarted { on: today }]),
                _ => refuse(),
            },
            SuggestionCommand::LogContact { phase, means, deputies, summary } => {
                let fits = match phase {
                    ContactPhase::Before => {
                        matches!(self.status, S::Assigned | S::InHandling | S::Rehandling)
                    }
                    ContactPhase::During => {
                        matches!(self.status, S::Assigned | S::InHandling | S::Rehandling)
                    }
                    ContactPhase::After => {
                        matches!(self.status, S::Answered | S::Rehandling | S::Escalated | S::Closed)
                    }
                };
                if !fits {
                    return Err(SuggestionError::ContactPhase { phase, status: self.status });
                }
                let deputies = if deputies.is_empty() { self.proposer_ids() } else { deputies };
                let mut seen = deputies.clone();
                seen.sort_unstable();
                seen.dedup();
                if seen.len() != deputies.len() {
                    return Err(SuggestionError::BadSigners);
                }
                if let Some(d) = deputies.iter().find(|d| !self.proposer_ids().contains(d)) {
                    return Err(SuggestionError::NotASigner(*d));
                }
                let contact =
                    Contact { round: self.current_round_n(), phase, means, deputies, summary, on: today };
                let mut out = vec![SuggestionEvent::ContactLogged { contact }];
                if self.status == S::Assigned {
                    out.insert(0, SuggestionEvent::HandlingStarted { on: today });
                }
                Ok(out)
            }
            SuggestionCommand::NotifyProgress { text } => {
                if !matches!(self.status, S::Assigned | S::InHandling | S::Rehandling) {
                    return refuse();
                }
                Ok(vec![SuggestionEvent::ProgressNotified {
                    notice: Dated { on: today, value: text },
                    recipients: self.proposer_ids(),
                }])
            }
            SuggestionCommand::GiveCoOpinion { department, text } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let c = self.co_handler(department)?;
                if c.opinion.is_some() {
                    return Err(SuggestionError::CoOpinionGiven);
                }
                Ok(vec![SuggestionEvent::CoOpinionGiven {
                    department,
                    opinion: Dated { on: today, value: text },
                }])
            }
            SuggestionCommand::RecordCoHandlerOverdue { department } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let c = self.co_handler(department)?;
                if c.opinion.is_some() {
                    return Err(SuggestionError::CoOpinionGiven);
                }
                if c.overdue_recorded.is_some() {
                    return Err(SuggestionError::NothingToChange);
                }
                if today <= c.due {
                    return Err(SuggestionError::CoOpinionNotDue { due: c.due });
                }
                Ok(vec![SuggestionEvent::CoHandlerOverdueRecorded { department, on: today }])
            }
            SuggestionCommand::Extend { until, reason, approved_by } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let Some(a) = &self.assignment else { return refuse() };
                let max = ctx.due(a.assigned_on, ctx.policy.extension_max);
                if until <= a.deadline || until > max {
                    return Err(SuggestionError::ExtensionOutOfRange { current: a.deadline, max });
                }
                Ok(vec![SuggestionEvent::Extended {
                    extension: Extension { until, reason, approved_by, on: today },
                }])
            }
            SuggestionCommand::Answer { class, text, promised_on } => {
                if !matches!(self.status, S::Assigned | S::InHandling | S::Rehandling) {
                    return refuse();
                }
                let round = self.current_round_n();
                let began = self.rounds.last().map_or(today, |r| r.began_on);
                let contacted = self.contacts.iter().any(|c| {
                    c.round == round && c.on >= began && (round > 1 || c.phase == ContactPhase::Before)
                });
                if !contacted {
                    return Err(SuggestionError::NoPriorContact);
                }
                if !markers_balanced(text.as_str()) {
                    return Err(SuggestionError::UnbalancedMarkers);
                }
                match (class, promised_on) {
                    (AnswerClass::B | AnswerClass::C, Some(d)) if d > today => {}
                    (AnswerClass::A | AnswerClass::D, None) => {}
                    _ => return Err(SuggestionError::PromisedDate),
                }
                let mut co_opinions = Vec::new();
                if round == 1
                    && let Some(a) = &self.assignment
                {
                    for c in &a.co_handlers {
                        match (&c.opinion, c.overdue_recorded) {
                            (Some(o), _) => co_opinions.push(CoOpinionAttached {
                                department: c.department.clone(),
                                opinion: Some(o.value.clone()),
                            }),
                            (None, Some(_)) => co_opinions
                                .push(CoOpinionAttached { department: c.department.clone(), opinion: None }),
                            (None, None) => {
                                return Err(SuggestionError::CoOpinionOutstanding(c.department.id));
                            }
                        }
                    }
                }
                let mut out = Vec::new();
                if self.status == S::Assigned {
                    out.push(SuggestionEvent::HandlingStarted { on: today });
                }
                out.push(SuggestionEvent::Answered {
                    round,
                    answer: Answer {
                        class,
                        text,
                        on: today,
                        promised_on,
                        co_opinions,
                        recipients: self.proposer_ids(),
                        feedback_due: ctx.due(today, ctx.policy.feedback),
                    },
                });
                Ok(out)
            }
            SuggestionCommand::Rate { deputy, rating, comment, channel } => {
                if self.status != S::Answered {
                    return refuse();
                }
                if !self.evaluators().contains(&deputy) {
                    return Err(SuggestionError::NotASigner(deputy));
                }
                let Some(r) = self.rounds.last() else { return refuse() };
                if r.ratings.contains_key(&deputy) {
                    return Err(SuggestionError::AlreadyRated(deputy));
                }
                if rating == Satisfaction::Dissatisfied && comment.is_none() {
                    return Err(SuggestionError::CommentRequired);
                }
                let round = r.n;
                let mut out = vec![SuggestionEvent::Rated {
                    round,
                    deputy,
                    rating: Rating { rating, comment, on: today, channel },
                }];
                let mut ratings: Vec<Satisfaction> = r.ratings.values().map(|x| x.rating).collect();
                ratings.push(rating);
                let evaluators = self.evaluators().len();
                // When the body's verdict counts, a published round waits for the end of its window.
                let body_waits = ctx.policy.body_counts && self.publication_of(round).is_some();
                if ratings.len() == evaluators && !body_waits {
                    let body = self.body_ratings(round);
                    out.extend(self.decide_round(&ratings, body.as_deref(), evaluators, false, ctx));
                }
                Ok(out)
            }
            SuggestionCommand::RecordLapse => {
                if self.status != S::Answered {
                    return refuse();
                }
                let Some(r) = self.rounds.last() else { return refuse() };
                let due = r.answer.as_ref().map_or(today, |a| a.feedback_due);
                if today <= due {
                    return Err(SuggestionError::FeedbackWindowOpen { due });
                }
                let ratings: Vec<Satisfaction> = r.ratings.values().map(|x| x.rating).collect();
                let body = self.body_ratings(r.n);
                let all_rated = ratings.len() == self.evaluators().len();
                Ok(self.decide_round(&ratings, body.as_deref(), self.evaluators().len(), !all_rated, ctx))
            }
            SuggestionCommand::RecordEscalation { means, leader, note } => {
                if self.status != S::Escalated {
                    return refuse();
                }
                Ok(vec![
                    SuggestionEvent::EscalationRecorded {
                        record: EscalationRecord { means, leader, note, on: today },
                    },
                    SuggestionEvent::Closed {
                        closure: Closure { on: today, basis: ClosureBasis::Escalated },
                    },
                ])
            }
            SuggestionCommand::RecordSolved { text } => {
                match &self.follow_up {
                    Some(f) if f.solved.is_none() => {}
                    _ => return Err(SuggestionError::NoFollowUp),
                }
                if matches!(self.status, S::Rerouted | S::Merged | S::Withdrawn) {
                    return refuse();
                }
                Ok(vec![SuggestionEvent::Solved {
                    answer: Dated { on: today, value: text },
                    recipients: self.proposer_ids(),
                }])
            }
            SuggestionCommand::MergeInto { target } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if target == self.id {
                    return Err(SuggestionError::SelfMerge);
                }
                Ok(vec![SuggestionEvent::MergedInto { target, on: today }])
            }
            SuggestionCommand::Absorb { from, signers } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if from == self.id {
                    return Err(SuggestionError::SelfMerge);
                }
                let new: Vec<Signer> = signers
                    .into_iter()
                    .filter(|s| !self.proposers.iter().any(|p| p.deputy == s.deputy))
                    .collect();
                if !distinct_signers(&new) {
                    return Err(SuggestionError::BadSigners);
                }
                Ok(vec![SuggestionEvent::Absorbed { from, signers: new }])
            }
            SuggestionCommand::Withdraw { deputy, reason } => {
                if self.status.is_final() {
                    return refuse();
                }
                if !self.proposer_ids().contains(&deputy) {
                    return Err(SuggestionError::NotASigner(deputy));
                }
                let mut out = vec![SuggestionEvent::SignatureWithdrawn { deputy, reason, on: today }];
                if self.proposers.len() == 1 {
                    out.push(SuggestionEvent::Withdrawn { on: today });
                }
                Ok(out)
            }
            SuggestionCommand::Reroute { ground, petition_ref, notice } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                Ok(vec![SuggestionEvent::Rerouted {
                    reroute: Reroute {
                        ground,
                        petition_ref,
                        notice,
                        told: self.proposer_ids(),
                        on: today,
                        outcome: None,
                        outcome_told: None,
                    },
                }])
            }
            SuggestionCommand::SetAnonymity { deputy, anonymous } => {
                if matches!(self.status, S::Rerouted | S::Merged | S::Withdrawn) {
                    return refuse();
                }
                if !self.proposer_ids().contains(&deputy) {
                    return Err(SuggestionError::NotASigner(deputy));
                }
                if self.anonymous.contains(&deputy) == anonymous {
                    return Err(SuggestionError::NothingToChange);
                }
                Ok(vec![SuggestionEvent::AnonymitySet { deputy, anonymous }])
            }
            SuggestionCommand::Publish { audience } => {
                if !matches!(self.status, S::Answered | S::Closed | S::Escalated) {
                    return refuse();
                }
                if audience.is_empty() {
                    return Err(SuggestionError::EmptyAudience);
                }
                let Some((n, a)) = self.rounds.iter().rev().find_map(|r| r.answer.as_ref().map(|a| (r.n, a)))
                else {
                    return refuse();
                };
                if self.publication_of(n).is_some() {
                    return Err(SuggestionError::AlreadyPublished(n));
                }
                let withheld = confidential_parts(a.text.as_str()).len()
                    + a.co_opinions
                        .iter()
                        .filter_map(|c| c.opinion.as_ref())
                        .map(|o| confidential_parts(o.as_str()).len())
                        .sum::<usize>();
                let publication = Publication {
                    round: n,
                    audience,
                    text: public_text(a.text.as_str()),
                    co_opinions: a
                        .co_opinions
                        .iter()
                        .map(|c| match &c.opinion {
                            Some(o) => format!("{}：{}", c.department.name, public_text(o.as_str())),
                            None => format!("{}：（逾期未提交）", c.department.name),
                        })
                        .collect(),
                    proposers_shown: self
                        .proposers
                        .iter()
                        .map(|p| {
                            if self.anonymous.contains(&p.deputy) {
                                "代表（不愿具名）".to_owned()
                            } else {
                                format!("{}（{}）", p.name, p.level.zh())
                            }
                        })
                        .collect(),
                    withheld: withheld as u32,
                    on: today,
                    open_until: ctx.due(today, ctx.policy.feedback),
                    viewed: BTreeSet::new(),
                    ratings: BTreeMap::new(),
                };
                Ok(vec![SuggestionEvent::Published { publication }])
            }
            SuggestionCommand::View { reader } => {
                let p = self.publications.last().ok_or(SuggestionError::NotPublished)?;
                let own = self.evaluators().contains(&reader.deputy);
                if !own && !p.audience.includes(reader.level, &reader.region, reader.delegation.as_ref()) {
                    return Err(SuggestionError::NotInAudience(reader.deputy));
                }
                if p.viewed.contains(&reader.deputy) {
                    return Ok(Vec::new());
                }
                Ok(vec![SuggestionEvent::Viewed { round: p.round, deputy: reader.deputy }])
            }
            SuggestionCommand::RateAsBody { reader, rating, comment, channel } => {
                let p = self.publications.last().ok_or(SuggestionError::NotPublished)?;
                if matches!(channel, RatingChannel::PaperForm { .. }) {
                    return Err(SuggestionError::NotTheDeputysOwn);
                }
                if self.evaluators().contains(&reader.deputy) {
                    return Err(SuggestionError::OwnEvaluation(reader.deputy));
                }
                if !p.audience.includes(reader.level, &reader.region, reader.delegation.as_ref()) {
                    return Err(SuggestionError::NotInAudience(reader.deputy));
                }
                if today > p.open_until {
                    return Err(SuggestionError::PublicationClosed(p.open_until));
                }
                if p.ratings.contains_key(&reader.deputy) {
                    return Err(SuggestionError::AlreadyRated(reader.deputy));
                }
                if rating == Satisfaction::Dissatisfied && comment.is_none() {
                    return Err(SuggestionError::CommentRequired);
                }
                let mut out = Vec::new();
                if !p.viewed.contains(&reader.deputy) {
                    out.push(SuggestionEvent::Viewed { round: p.round, deputy: reader.deputy });
                }
                out.push(SuggestionEvent::BodyRated {
                    round: p.round,
                    deputy: reader.deputy,
                    rating: Rating { rating, comment, on: today, channel },
                });
                Ok(out)
            }
            SuggestionCommand::LinkMeasure { measure } => {
                if matches!(self.status, S::Rerouted | S::Merged | S::Withdrawn) {
                    return refuse();
                }
                if self.measures.contains(&measure) {
                    return Err(SuggestionError::NothingToChange);
                }
                Ok(vec![SuggestionEvent::MeasureLinked { measure }])
            }
        }
    }

    /// The publication of an answer round, if it was published.
    pub fn publication_of(&self, round: u8) -> Option<&Publication> {
        self.publications.iter().find(|p| p.round == round)
    }

    fn body_ratings(&self, round: u8) -> Option<Vec<Satisfaction>> {
        self.publication_of(round).map(|p| p.ratings.values().map(|r| r.rating).collect())
    }

    fn co_handler(&self, department: DepartmentId) -> Result<&CoHandler, SuggestionError> {
        self.assignment
            .as_ref()
            .and_then(|a| a.co_handlers.iter().find(|c| c.department.id == department))
            .ok_or(SuggestionError::NotACoHandler(department))
    }

    /// The events that decide the current round on these ratings.
    fn decide_round(
        &self,
        ratings: &[Satisfaction],
        body: Option<&[Satisfaction]>,
        evaluators: usize,
        by_lapse: bool,
        ctx: Ctx<'_>,
    ) -> Vec<SuggestionEvent> {
        let today = ctx.today;
        let round = self.rounds.last().map_or(1, |r| r.n);
        let policy = ctx.policy.satisfaction;
        // A lapse is never a rating (R1a/R1b): the ratings given decide only when they suffice whatever the
        // silent evaluators would have said — they fail the policy by themselves (不满意), or meet it even with
        // every silent one counted 不满意. Otherwise the round lapsed: nobody is made satisfied (被满意).
        let silent = evaluators.saturating_sub(ratings.len());
        let own = if ratings.is_empty() {
            None
        } else if !policy.satisfied(ratings) {
            Some(false)
        } else if silent == 0 {
            Some(true)
        } else {
            let mut padded = ratings.to_vec();
            padded.extend(std::iter::repeat_n(Satisfaction::Dissatisfied, silent));
            policy.satisfied(&padded).then_some(true)
        };
        let body = body.filter(|b| !b.is_empty()).map(|b| BodyVerdict {
            satisfied: policy.satisfied(b),
            rated: b.len() as u32,
            counted: ctx.policy.body_counts,
        });
        let counted_body = body.as_ref().filter(|b| b.counted).map(|b| b.satisfied);
        let verdict = match (own, counted_body) {
            (None, None) => Verdict::Lapsed,
            (Some(true), None) | (None, Some(true)) | (Some(true), Some(true)) => Verdict::Satisfied,
            _ => Verdict::Dissatisfied,
        };
        let outcome = RoundOutcome {
            verdict,
            on: today,
            rated: ratings.len() as u32,
            evaluators: evaluators as u32,
            by_lapse,
            body,
        };
        let mut out = vec![SuggestionEvent::RoundDecided { round, outcome }];
        match verdict {
            Verdict::Satisfied => out.push(SuggestionEvent::Closed {
                closure: Closure { on: today, basis: ClosureBasis::Satisfied },
            }),
            Verdict::Lapsed => out.push(SuggestionEvent::Closed {
                closure: Closure { on: today, basis: ClosureBasis::Lapsed },
            }),
            Verdict::Dissatisfied if round == 1 => out.push(SuggestionEvent::RehandlingBegan {
                on: today,
                due: ctx.due(today, ctx.policy.rehandling),
            }),
            Verdict::Dissatisfied => out.push(SuggestionEvent::Escalated { on: today }),
        }
        out
    }

    /// Fold an event into the state. Events are facts: `apply` never fails.
    pub fn apply(&mut self, event: &SuggestionEvent) {
        use SuggestionStatus as S;
        self.version += 1;
        match event {
            SuggestionEvent::Reassigned { .. }
            | SuggestionEvent::DeadlineRecomputed { .. }
            | SuggestionEvent::ExtensionRequested { .. }
            | SuggestionEvent::ExtensionDeclined { .. }
            | SuggestionEvent::RerouteOutcomeRecorded { .. }
            | SuggestionEvent::RerouteOutcomeTold { .. } => {
                self.apply_adjustment(event);
            }
            SuggestionEvent::Received { .. } => {}
            SuggestionEvent::Registered { number } => {
                self.number = Some(*number);
                self.status = S::Registered;
            }
            SuggestionEvent::PanelSet { panel } => self.panel = panel.clone(),
            SuggestionEvent::Assigned { assignment } => {
                self.rounds = vec![Round {
                    n: 1,
                    began_on: assignment.assigned_on,
                    due: assignment.deadline,
                    answer: None,
                    ratings: BTreeMap::new(),
                    outcome: None,
                }];
                self.assignment = Some(assignment.clone());
                self.status = S::Assigned;
            }
            SuggestionEvent::Returned { record } => {
                self.returns.push(record.clone());
                self.assignment = None;
                self.rounds.clear();
                self.status = S::Returned;
            }
            SuggestionEvent::HandlingStarted { .. } => self.status = S::InHandling,
            SuggestionEvent::ContactLogged { contact } => self.contacts.push(contact.clone()),
            SuggestionEvent::ProgressNotified { notice, .. } => self.notices.push(notice.clone()),
            SuggestionEvent::CoOpinionGiven { department, opinion } => {
                if let Some(c) = self.co_handler_mut(*department) {
                    c.opinion = Some(opinion.clone());
                }
            }
            SuggestionEvent::CoHandlerOverdueRecorded { department, on } => {
                if let Some(c) = self.co_handler_mut(*department) {
                    c.overdue_recorded = Some(*on);
                }
            }
            SuggestionEvent::Extended { extension } => {
                self.extension_request = None;
                if let Some(a) = &mut self.assignment {
                    a.deadline = extension.until;
                }
                if let Some(r) = self.rounds.first_mut() {
                    r.due = extension.until;
                }
                self.extensions.push(extension.clone());
            }
            SuggestionEvent::Answered { round, answer } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.n == *round) {
                    r.answer = Some(answer.clone());
                }
                if matches!(answer.class, AnswerClass::B | AnswerClass::C)
                    && let Some(p) = answer.promised_on
                {
                    self.follow_up = Some(FollowUp { promised_on: p, solved: None, recipients: Vec::new() });
                }
                self.status = S::Answered;
            }
            SuggestionEvent::Rated { round, deputy, rating } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.n == *round) {
                    r.ratings.insert(*deputy, rating.clone());
                }
            }
            SuggestionEvent::RoundDecided { round, outcome } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.n == *round) {
                    r.outcome = Some(outcome.clone());
                }
            }
            SuggestionEvent::RehandlingBegan { on, due } => {
                let n = self.rounds.last().map_or(1, |r| r.n) + 1;
                self.rounds.push(Round {
                    n,
                    began_on: *on,
                    due: *due,
                    answer: None,
                    ratings: BTreeMap::new(),
                    outcome: None,
                });
                self.status = S::Rehandling;
            }
            SuggestionEvent::Escalated { on } => {
                self.escalation = Some((*on, None));
                self.status = S::Escalated;
            }
            SuggestionEvent::EscalationRecorded { record } => {
                if let Some((_, slot)) = &mut self.escalation {
                    *slot = Some(record.clone());
                }
            }
            SuggestionEvent::Solved { answer, recipients } => {
                if let Some(f) = &mut self.follow_up {
                    f.solved = Some(answer.clone());
                    f.recipients = recipients.clone();
                }
            }
            SuggestionEvent::MergedInto { target, .. } => {
                self.merged_into = Some(*target);
                self.status = S::Merged;
            }
            SuggestionEvent::Absorbed { from, signers } => {
                self.absorbed.push(*from);
                self.proposers.extend(signers.iter().cloned());
            }
            SuggestionEvent::SignatureWithdrawn { deputy, reason, .. } => {
                if let Some(i) = self.proposers.iter().position(|p| p.deputy == *deputy) {
                    let s = self.proposers.remove(i);
                    self.withdrawn.push(s);
                }
                self.withdrawal_reason = Some(reason.clone());
            }
            SuggestionEvent::Withdrawn { .. } => self.status = S::Withdrawn,
            SuggestionEvent::Rerouted { reroute } => {
                self.reroute = Some(reroute.clone());
                self.status = S::Rerouted;
            }
            SuggestionEvent::MeasureLinked { measure } => self.measures.push(*measure),
            SuggestionEvent::Closed { closure } => {
                self.closure = Some(closure.clone());
                self.status = S::Closed;
            }
            SuggestionEvent::AnonymitySet { deputy, anonymous } => {
                if *anonymous {
                    self.anonymous.insert(*deputy);
                } else {
                    self.anonymous.remove(deputy);
                }
            }
            SuggestionEvent::Published { publication } => self.publications.push(publication.clone()),
            SuggestionEvent::Viewed { round, deputy } => {
                if let Some(p) = self.publications.iter_mut().find(|p| p.round == *round) {
                    p.viewed.insert(*deputy);
                }
            }
            SuggestionEvent::BodyRated { round, deputy, rating } => {
                if let Some(p) = self.publications.iter_mut().find(|p| p.round == *round) {
                    p.viewed.insert(*deputy);
                    p.ratings.insert(*deputy, rating.clone());
                }
            }
        }
    }

    fn co_handler_mut(&mut self, department: DepartmentId) -> Option<&mut CoHandler> {
        self.assignment
            .as_mut()
            .and_then(|a| a.co_handlers.iter_mut().find(|c| c.department.id == department))
    }

    /// Every pending obligation with its due day, earliest first ("every open item knows its next
    /// deadline").
    pub fn obligations(&self, policy: &SuggestionPolicy, calendar: &WorkCalendar) -> Vec<Obligation> {
        use SuggestionStatus as S;
        let mut out = self.adjustment_obligations(policy, calendar);
        let lead = self.assignment.as_ref().map(|a| a.lead.id);
        let handler = self.assignment.as_ref().map(|a| a.handler.user);
        let push = |out: &mut Vec<Obligation>, kind, due, department: Option<DepartmentId>| {
            out.push(Obligation { kind, due, department, handler });
        };
        match self.status {
            S::Assigned | S::InHandling | S::Rehandling => {
                if let Some(due) = self.answer_due() {
                    push(&mut out, ObligationKind::Answer, due, lead);
                }
                if let Some(a) = &self.assignment
                    && self.status != S::Rehandling
                {
                    for c in &a.co_handlers {
                        if c.opinion.is_none() && c.overdue_recorded.is_none() {
                            push(&mut out, ObligationKind::CoOpinion, c.due, Some(c.department.id));
                        }
                    }
                }
                let since = self
                    .notices
                    .last()
                    .map(|n| n.on)
                    .into_iter()
                    .chain(self.rounds.last().map(|r| r.began_on))
                    .max();
                if let Some(since) = since {
                    let due = calendar.deadline(since, policy.progress_interval).due;
                    push(&mut out, ObligationKind::ProgressNotice, due, lead);
                }
            }
            S::Answered => {
                if let Some(a) = self.round().and_then(|r| r.answer.as_ref()) {
                    push(&mut out, ObligationKind::Feedback, a.feedback_due, None);
                }
            }
            S::Escalated => {
                if let Some((on, None)) = &self.escalation {
                    push(
                        &mut out,
                        ObligationKind::Escalation,
                        calendar.deadline(*on, policy.escalation).due,
                        None,
                    );
                }
            }
            S::Received | S::Registered | S::Returned => {
                let since = self.returns.last().map_or(self.received_on, |r| r.on);
                push(
                    &mut out,
                    ObligationKind::Assignment,
                    calendar.deadline(since, policy.assign_within).due,
                    None,
                );
            }
            _ => {}
        }
        if let Some(f) = &self.follow_up
            && f.solved.is_none()
            && !matches!(self.status, S::Rerouted | S::Merged | S::Withdrawn)
        {
            push(&mut out, ObligationKind::FollowUp, f.promised_on, lead);
        }
        out.sort_by_key(|o| o.due);
        out
    }

    /// The earliest pending deadline.
    pub fn next_deadline(&self, policy: &SuggestionPolicy, calendar: &WorkCalendar) -> Option<Obligation> {
        self.obligations(policy, calendar).into_iter().next()
    }

    /// The year it counts in (the year received).
    pub fn year(&self) -> i32 {
        self.received_on.year()
    }
}
