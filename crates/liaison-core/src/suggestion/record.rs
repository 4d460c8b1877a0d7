//! The parts of a suggestion's record: co-handlers, assignment, extensions, contacts, ratings, answers,
//! rounds and their outcomes, follow-up, escalation, returns, rerouting, closure, and the record itself.

use super::*;

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

/// The hand-over to the competent procuratorate (转办): an item addressed to the wrong level goes, with its
/// history, to the procuratorate that must handle it, and is handled there as that procuratorate's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The procuratorate it went to.
    pub to: TenantId,
    /// Its name at the time.
    pub to_name: ShortText,
    /// Why that procuratorate is the competent one.
    pub reason: LongText,
    /// What the deputies were told.
    pub notice: LongText,
    /// The deputies told.
    pub told: Vec<DeputyId>,
    /// On.
    pub on: NaiveDate,
    /// The item it became there.
    pub received_as: SuggestionId,
}

/// Where a transferred item came from (转办来源): the procuratorate that received it first and its item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferOrigin {
    /// The procuratorate that transferred it.
    pub from: TenantId,
    /// Its name at the time.
    pub from_name: ShortText,
    /// Its item (final there, 已转办).
    pub suggestion: SuggestionId,
    /// Its number there.
    pub number: Option<SuggestionNumber>,
    /// Why it was transferred.
    pub reason: LongText,
    /// On.
    pub on: NaiveDate,
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
    /// Its transfer to the competent procuratorate (转办), when transferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    /// Where it came from, when another procuratorate transferred it here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferred_from: Option<TransferOrigin>,
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
