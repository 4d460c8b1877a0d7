//! The suggestion use cases' wire shapes: inputs as text (validated by the use cases) and the views they
//! answer with, shared by the HTTP API and `--format json`.

use super::*;

// ---------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------

/// A new suggestion, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionInput {
    /// 标题 (1–100 characters).
    pub title: String,
    /// 内容 (1–5000 characters).
    pub content: String,
    /// 来源: congress_session, between_sessions, hotline, letter, visit, appointment, forum (or the Chinese).
    pub source: String,
    /// 收到日期 (YYYY-MM-DD); today when absent.
    #[serde(default)]
    pub received_on: Option<String>,
    /// The co-signing deputies' ids (领衔 first).
    pub deputies: Vec<String>,
}

/// A command on a suggestion, as text. The `action` names it; the other fields are its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum SuggestionAction {
    /// 交办: lead department, co-handlers, handler (a login).
    Assign {
        /// Lead department (name or id).
        lead: String,
        /// Co-handlers (names or ids).
        #[serde(default)]
        co_handlers: Vec<String>,
        /// The handler's login.
        handler: String,
    },
    /// 退办 by the lead department, with the reason.
    Return {
        /// Why it is misassigned.
        reason: String,
    },
    /// Start handling.
    Start {},
    /// Log a contact with the deputies.
    Contact {
        /// before / during / after (办前/办中/办后).
        phase: String,
        /// phone / visit / meeting / letter / message / online.
        means: String,
        /// Deputies contacted (ids); all co-signers when empty.
        #[serde(default)]
        deputies: Vec<String>,
        /// What was said.
        summary: String,
    },
    /// Send the deputies a progress notice.
    Notify {
        /// The notice.
        text: String,
    },
    /// A co-handler's written opinion.
    CoOpinion {
        /// The co-handler (name or id); the caller's own department when absent.
        #[serde(default)]
        department: Option<String>,
        /// The opinion.
        text: String,
    },
    /// Record a co-handler's opinion as overdue.
    CoOverdue {
        /// The co-handler (name or id).
        department: String,
    },
    /// Re-assign before the answer (the office), with a reason; the deadlines stay.
    Reassign {
        /// Lead department (name or id).
        lead: String,
        /// Co-handlers (names or ids).
        #[serde(default)]
        co_handlers: Vec<String>,
        /// The handler's login (an account of the lead department).
        handler: String,
        /// Why.
        reason: String,
    },
    /// The lead department asks a leader for an extension.
    RequestExtension {
        /// The deadline asked for (YYYY-MM-DD).
        until: String,
        /// Why.
        reason: String,
    },
    /// A leader declines the requested extension.
    DeclineExtension {
        /// Why.
        reason: String,
    },
    /// The outcome of a rerouted item in the letters and petitions flow (the office).
    RerouteOutcome {
        /// The outcome.
        outcome: String,
    },
    /// The deputies told the outcome of a rerouted item (the office).
    RerouteTold {
        /// What they were told.
        notice: String,
    },
    /// Extend the deadline (a leader approves), with the reason explained to the deputies.
    Extend {
        /// New deadline (YYYY-MM-DD).
        until: String,
        /// Why.
        reason: String,
    },
    /// Answer (答复).
    Answer {
        /// A / B / C / D.
        class: String,
        /// The answer.
        text: String,
        /// For B and C: promised solution date (YYYY-MM-DD).
        #[serde(default)]
        promised_on: Option<String>,
    },
    /// Rate the answer: a deputy account rates as itself; an officer transcribes a signed paper form,
    /// naming the deputy and citing the form's reference.
    Rate {
        /// 满意 / 基本满意 / 不满意 (satisfied / basically_satisfied / dissatisfied).
        rating: String,
        /// The deputy's comment (required with 不满意).
        #[serde(default)]
        comment: Option<String>,
        /// For a transcription: the deputy's id.
        #[serde(default)]
        deputy: Option<String>,
        /// For a transcription: the signed form's reference.
        #[serde(default)]
        form_ref: Option<String>,
    },
    /// Record that the feedback window passed.
    Lapse {},
    /// Record leadership's meeting or explanation after a second dissatisfaction.
    Escalation {
        /// face_to_face / special_explanation.
        means: String,
        /// What was said.
        note: String,
    },
    /// The B/C matter is solved: the second answer.
    Solved {
        /// The second answer.
        text: String,
    },
    /// Merge this duplicate into another suggestion (number or id).
    Merge {
        /// The surviving suggestion.
        into: String,
    },
    /// A co-signer withdraws (a deputy account withdraws itself).
    Withdraw {
        /// The deputy (ids); the caller's own deputy for a deputy account.
        #[serde(default)]
        deputy: Option<String>,
        /// Why.
        reason: String,
    },
    /// Not a suggestion: to letters and petitions, with what the deputies are told.
    Reroute {
        /// pending_case / personal_matter.
        ground: String,
        /// What the deputies are told.
        notice: String,
    },
    /// Addressed to the wrong level: transfer to the competent procuratorate of the same province (转办),
    /// with its history; the deputies are told (the office, before an answer).
    Transfer {
        /// The procuratorate (its id or its name, as `liaison tenant list` shows them).
        to: String,
        /// Why that procuratorate is the competent one.
        reason: String,
        /// What the deputies are told.
        notice: String,
    },
    /// Set the panel of further evaluators.
    Panel {
        /// Deputies (ids).
        deputies: Vec<String>,
    },
    /// Publish the latest answer to the deputies as a body (confidential parts withheld).
    Publish {
        /// `all`, `level`, `region` or `delegation`.
        scope: String,
        /// The levels, regions or delegations (for every scope but `all`).
        #[serde(default)]
        values: Vec<String>,
    },
    /// A co-signer asks to be named, or not, when the answer is published (a deputy account for itself).
    Anonymity {
        /// The co-signer (default: the acting deputy account).
        #[serde(default)]
        deputy: Option<String>,
        /// True: not named.
        anonymous: bool,
    },
}

impl SuggestionAction {
    /// The action's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Assign { .. } => "assign",
            Self::Return { .. } => "return",
            Self::Start {} => "start",
            Self::Contact { .. } => "contact",
            Self::Notify { .. } => "notify",
            Self::CoOpinion { .. } => "co_opinion",
            Self::CoOverdue { .. } => "co_overdue",
            Self::Extend { .. } => "extend",
            Self::Reassign { .. } => "reassign",
            Self::RequestExtension { .. } => "request_extension",
            Self::DeclineExtension { .. } => "decline_extension",
            Self::RerouteOutcome { .. } => "reroute_outcome",
            Self::RerouteTold { .. } => "reroute_told",
            Self::Answer { .. } => "answer",
            Self::Rate { .. } => "rate",
            Self::Lapse {} => "lapse",
            Self::Escalation { .. } => "escalation",
            Self::Solved { .. } => "solved",
            Self::Merge { .. } => "merge",
            Self::Withdraw { .. } => "withdraw",
            Self::Reroute { .. } => "reroute",
            Self::Transfer { .. } => "transfer",
            Self::Panel { .. } => "panel",
            Self::Publish { .. } => "publish",
            Self::Anonymity { .. } => "anonymity",
        }
    }
}

/// A new improvement measure, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureInput {
    /// What will be done.
    pub title: String,
    /// Details.
    pub description: String,
    /// Owner department (name or id).
    pub owner: String,
    /// Deadline (YYYY-MM-DD).
    pub deadline: String,
    /// The suggestion it comes from (number or id); or give `opinion` and `deputies`.
    #[serde(default)]
    pub suggestion: Option<String>,
    /// The deputy's opinion it comes from, when not a suggestion.
    #[serde(default)]
    pub opinion: Option<String>,
    /// Deputies to report back to (ids); the suggestion's co-signers when absent.
    #[serde(default)]
    pub deputies: Vec<String>,
}

/// A command on an improvement measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum MeasureAction {
    /// Record progress.
    Progress {
        /// The note.
        text: String,
    },
    /// Done, with the result.
    Complete {
        /// The result.
        text: String,
    },
    /// Report the result back to the deputies.
    ReportBack {
        /// The report.
        text: String,
    },
}

/// Filters for a list of suggestions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SuggestionFilter {
    /// Status codes, comma-separated.
    pub status: Option<String>,
    /// Department (name or id): lead or co-handler.
    pub department: Option<String>,
    /// Handler login.
    pub handler: Option<String>,
    /// Deputy id.
    pub deputy: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Received on or before.
    pub to: Option<String>,
    /// Only those whose next deadline has passed.
    #[serde(default)]
    pub overdue: Option<bool>,
}

/// The deployment's suggestion policy, as text: absent fields keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// Answer deadline: `3m` (months) or `60d` (working days).
    pub answer: Option<String>,
    /// Longest an extension may reach, from assignment.
    pub extension_max: Option<String>,
    /// Re-handling deadline.
    pub rehandling: Option<String>,
    /// Feedback window.
    pub feedback: Option<String>,
    /// Return window.
    pub return_window: Option<String>,
    /// Co-handler opinion window.
    pub co_handler: Option<String>,
    /// Progress notice interval.
    pub progress_interval: Option<String>,
    /// Days ahead that count as "due soon".
    pub due_soon_days: Option<u32>,
    /// The office's window to assign a registered or returned item.
    pub assign_within: Option<String>,
    /// Whether the body's verdict on a published answer counts toward closure.
    pub body_counts: Option<bool>,
    /// An appointment request is acknowledged within (C3): `2d`.
    #[serde(default)]
    pub appointment_acknowledge: Option<String>,
    /// … and the meeting held within, from the request: `10d`.
    #[serde(default)]
    pub appointment_meet: Option<String>,
    /// The leadership's escalation is recorded within, after a second 不满意: `10d`.
    #[serde(default)]
    pub escalation: Option<String>,
    /// `all`, `majority` or `threshold:N`.
    pub satisfaction: Option<String>,
}

// ---------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------

/// A suggestion as shown: its whole state, its status in Chinese, and its pending deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SuggestionView {
    /// The state (see the core's `Suggestion`).
    #[schema(value_type = Object)]
    pub suggestion: Suggestion,
    /// The status in Chinese.
    pub status_zh: String,
    /// Pending obligations, earliest first.
    pub obligations: Vec<ObligationView>,
    /// How the answer deadline was computed (start, rule, days skipped, assumed years), or the approved
    /// extension that set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_basis: Option<String>,
    /// A transfer (转办) it was part of, seen from here: where it went and how it stands there, or where it
    /// came from. Read from the other procuratorate by the link the transfer left, nothing else of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferState>,
}

/// The other side of a transfer (转办), as this procuratorate sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransferState {
    /// `out`: this item went to `procuratorate`; `in`: it came from `procuratorate`.
    pub direction: String,
    /// The other procuratorate's name.
    pub procuratorate: String,
    /// Its id.
    pub procuratorate_id: String,
    /// The item there.
    #[schema(value_type = String, format = Uuid)]
    pub suggestion: uuid::Uuid,
    /// Its number there.
    pub number: Option<String>,
    /// Its status there (for `out`: how the competent procuratorate is handling it).
    pub status: Option<String>,
    /// In Chinese.
    pub status_zh: Option<String>,
    /// The first answer's class there, once answered.
    pub answer_class: Option<String>,
    /// Why it was transferred.
    pub reason: String,
    /// When.
    pub on: NaiveDate,
}

/// A pending obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ObligationView {
    /// What is owed (`answer`, `co_opinion`, `progress_notice`, `feedback`, `follow_up`, `escalation`,
    /// `assignment`, `measure`).
    pub kind: String,
    /// In Chinese.
    pub kind_zh: String,
    /// Due by.
    pub due: NaiveDate,
    /// Past due.
    pub overdue: bool,
    /// The department that owes it.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department: Option<uuid::Uuid>,
    /// When the due day falls in a year whose holiday schedule is not published yet: the note that it is
    /// provisional (statutory holidays only, no make-up days); it may move when the schedule is loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional: Option<String>,
}

/// A line of a suggestion list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SuggestionSummary {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Version (the `ETag`).
    pub version: u64,
    /// Number.
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// Status code.
    pub status: String,
    /// Status in Chinese.
    pub status_zh: String,
    /// Received on.
    pub received_on: NaiveDate,
    /// Co-signers' names.
    pub deputies: Vec<String>,
    /// Lead department.
    pub lead: Option<String>,
    /// Handler.
    pub handler: Option<String>,
    /// The next deadline.
    pub next_due: Option<NaiveDate>,
}

/// An item on a due list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DueItem {
    /// `suggestion` or `measure`.
    pub kind: String,
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Number (suggestions).
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// What is owed.
    pub owed: String,
    /// In Chinese.
    pub owed_zh: String,
    /// Due by.
    pub due: NaiveDate,
    /// Days left (negative: overdue by).
    pub days_left: i64,
    /// The due day is provisional (its year's holiday schedule is not published yet): the note says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional: Option<String>,
    /// The department that owes it.
    pub department: Option<String>,
    /// The handler.
    pub handler: Option<String>,
}

/// A one-use feedback link, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FeedbackLink {
    /// The deputy it is for.
    #[schema(value_type = String, format = Uuid)]
    pub deputy: uuid::Uuid,
    /// The deputy's name.
    pub name: String,
    /// The path of the rating page (`/feedback/<token>`): send it to this deputy only.
    pub path: String,
    /// The last day it works.
    pub expires_on: NaiveDate,
}

/// A deputy whose rating link was queued to be sent again (never the link itself: the worker issues it
/// as it sends, into the deputy's own message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FeedbackResend {
    /// The deputy.
    #[schema(value_type = String, format = Uuid)]
    pub deputy: uuid::Uuid,
    /// The deputy's name.
    pub name: String,
    /// Whether a message was queued (false: the answer message is switched off in this deployment).
    pub queued: bool,
}

/// What a feedback page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FeedbackForm {
    /// Number.
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// The deputy's name.
    pub deputy: String,
    /// Answer class.
    pub class: String,
    /// The answer.
    pub answer: String,
    /// Answered on.
    pub answered_on: NaiveDate,
    /// Promised solution date (B/C).
    pub promised_on: Option<NaiveDate>,
    /// The co-handlers' opinions attached.
    pub co_opinions: Vec<String>,
    /// The last day to rate.
    pub expires_on: NaiveDate,
    /// A published answer rated by a deputy of the body (not a co-signer's own evaluation).
    #[serde(default)]
    pub body: bool,
}

/// A measure as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeasureView {
    /// The state.
    #[schema(value_type = Object)]
    pub measure: Measure,
    /// Status in Chinese.
    pub status_zh: String,
    /// Past its deadline and not done.
    pub overdue: bool,
}

/// Figures as shown: the core's rows plus rates in per cent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FiguresView {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Rows (level, department or handler).
    pub rows: Vec<FigureRowView>,
    /// All together.
    pub total: FigureRowView,
}

/// One row of figures with its rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FigureRowView {
    /// Counts.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub counts: FigureRow,
    /// On-time rate (‰).
    pub on_time_permille: Option<u32>,
    /// First-round satisfaction (‰, lapses excluded).
    pub first_round_satisfaction_permille: Option<u32>,
    /// Final satisfaction (‰, lapses excluded).
    pub final_satisfaction_permille: Option<u32>,
    /// Resolution rate 办成率 (‰ of answered).
    pub resolution_permille: Option<u32>,
    /// The body's satisfaction with published answers (‰ of the body's ratings), apart from the proposers'.
    pub body_satisfaction_permille: Option<u32>,
}

impl From<FigureRow> for FigureRowView {
    fn from(r: FigureRow) -> Self {
        Self {
            on_time_permille: r.on_time_permille(),
            first_round_satisfaction_permille: r.first_round_permille(),
            final_satisfaction_permille: r.final_permille(),
            resolution_permille: r.resolution_permille(),
            body_satisfaction_permille: r.body_permille(),
            counts: r,
        }
    }
}
