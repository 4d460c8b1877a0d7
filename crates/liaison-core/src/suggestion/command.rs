//! What may be asked of a suggestion (commands) and what happened to it (events).

use super::*;

/// What may be asked of a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum SuggestionCommand {
    /// Give it its number (登记).
    Register {
        /// The next number of the year.
        number: SuggestionNumber,
    },
    /// Set a panel of further evaluators (before any answer).
    SetPanel {
        /// The panel (not co-signers).
        panel: Vec<Signer>,
    },
    /// Assign it (交办).
    Assign {
        /// Lead department.
        lead: DepartmentRef,
        /// Co-handlers.
        co_handlers: Vec<DepartmentRef>,
        /// Handler.
        handler: StaffRef,
    },
    /// The lead department returns it as misassigned, to the office only (退办).
    Return {
        /// The returning department (must be the lead).
        department: DepartmentId,
        /// Why.
        reason: LongText,
    },
    /// The handler starts work.
    StartHandling,
    /// Log a contact with the deputies.
    LogContact {
        /// When in the handling.
        phase: ContactPhase,
        /// How.
        means: ContactMeans,
        /// Which deputies (empty: every co-signer).
        deputies: Vec<DeputyId>,
        /// What was said.
        summary: LongText,
    },
    /// Send the deputies a progress notice (R1c).
    NotifyProgress {
        /// The notice.
        text: LongText,
    },
    /// A co-handler gives its written opinion.
    GiveCoOpinion {
        /// The co-handler.
        department: DepartmentId,
        /// The opinion.
        text: LongText,
    },
    /// Record that a co-handler's opinion is overdue, so the lead may answer without it.
    RecordCoHandlerOverdue {
        /// The co-handler.
        department: DepartmentId,
    },
    /// The office re-assigns it before the answer (lead, co-handlers, handler), with a reason; the deadlines
    /// stay (only an approved extension moves them).
    Reassign {
        /// Lead department.
        lead: DepartmentRef,
        /// Co-handlers.
        co_handlers: Vec<DepartmentRef>,
        /// Handler.
        handler: StaffRef,
        /// Why.
        reason: LongText,
    },
    /// Recompute the answer deadline on the calendar as it now stands (a newer holiday schedule loaded for a
    /// year the deadline had to assume); refused when nothing changes or an extension governs it.
    RecomputeDeadline,
    /// The lead department asks for an extension; a leader grants it (`Extend`) or declines it.
    RequestExtension {
        /// The deadline asked for.
        until: NaiveDate,
        /// Why.
        reason: LongText,
    },
    /// A leader declines the requested extension.
    DeclineExtension {
        /// Why.
        reason: LongText,
    },
    /// The outcome of a rerouted item in the letters and petitions flow.
    RecordRerouteOutcome {
        /// The outcome.
        outcome: LongText,
    },
    /// The deputies told the outcome of a rerouted item.
    TellRerouteOutcome {
        /// What they are told.
        notice: LongText,
    },
    /// Extend the first answer's deadline (approved by a leader, with a reason).
    Extend {
        /// The new deadline.
        until: NaiveDate,
        /// The reason (explained to the deputies).
        reason: LongText,
        /// The approving leader.
        approved_by: StaffRef,
    },
    /// Record the answer (答复).
    Answer {
        /// Outcome class.
        class: AnswerClass,
        /// Text.
        text: LongText,
        /// For B/C: promised solution date.
        promised_on: Option<NaiveDate>,
    },
    /// An evaluator rates the answer.
    Rate {
        /// The evaluator.
        deputy: DeputyId,
        /// The rating.
        rating: Satisfaction,
        /// Comment (required with 不满意).
        comment: Option<LongText>,
        /// How it was given.
        channel: RatingChannel,
    },
    /// Record that the feedback window passed: the round is decided on the ratings given, or lapses.
    RecordLapse,
    /// Leadership met the deputies or explained after a second dissatisfaction.
    RecordEscalation {
        /// How.
        means: EscalationMeans,
        /// The leader.
        leader: StaffRef,
        /// What was said.
        note: LongText,
    },
    /// A B/C answer's matter is solved: the second answer (sent to every co-signer).
    RecordSolved {
        /// The second answer.
        text: LongText,
    },
    /// This item duplicates another: it is merged into it (并案).
    MergeInto {
        /// The surviving item.
        target: SuggestionId,
    },
    /// Take in the co-signers of an item merged into this one.
    Absorb {
        /// The merged item.
        from: SuggestionId,
        /// Its co-signers.
        signers: Vec<Signer>,
    },
    /// A co-signer withdraws; the item is withdrawn when the last one does.
    Withdraw {
        /// The deputy.
        deputy: DeputyId,
        /// Why.
        reason: LongText,
    },
    /// Not a suggestion: hand it to letters and petitions and tell the deputies.
    Reroute {
        /// Why.
        ground: RerouteGround,
        /// The petition record's reference.
        petition_ref: ShortText,
        /// What the deputies are told.
        notice: LongText,
    },
    /// Addressed to the wrong level: hand it to the competent procuratorate (转办), tell the deputies. The
    /// item there (`received_as`) is made in the same transaction; this one is final here (已转办).
    Transfer {
        /// The competent procuratorate.
        to: TenantId,
        /// Its name.
        to_name: ShortText,
        /// Why it is the competent one.
        reason: LongText,
        /// What the deputies are told.
        notice: LongText,
        /// The item it becomes there.
        received_as: SuggestionId,
    },
    /// Record, on the item a transfer made, where it came from (before it is assigned here).
    ReceiveTransfer {
        /// The origin.
        origin: TransferOrigin,
    },
    /// Link an improvement measure that came from it.
    LinkMeasure {
        /// The measure.
        measure: crate::ids::MeasureId,
    },
    /// A co-signer asks to be named, or not, when the answer is published.
    SetAnonymity {
        /// The co-signer.
        deputy: DeputyId,
        /// True: not named.
        anonymous: bool,
    },
    /// Publish the latest answer to the deputies as a body (confidential parts withheld).
    Publish {
        /// Who it is for.
        audience: Audience,
    },
    /// A deputy of the audience opened the published answer.
    View {
        /// The reader.
        reader: Reader,
    },
    /// A deputy of the audience (not a co-signer or panel member) rates the published answer.
    RateAsBody {
        /// The reader.
        reader: Reader,
        /// The rating.
        rating: Satisfaction,
        /// Comment (required with 不满意).
        comment: Option<LongText>,
        /// How it was given: the deputy's own account or a one-use link only.
        channel: RatingChannel,
    },
}

impl SuggestionCommand {
    /// The command's name (for messages).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Register { .. } => "register",
            Self::SetPanel { .. } => "set_panel",
            Self::Assign { .. } => "assign",
            Self::Return { .. } => "return",
            Self::StartHandling => "start",
            Self::LogContact { .. } => "contact",
            Self::NotifyProgress { .. } => "notify",
            Self::GiveCoOpinion { .. } => "co_opinion",
            Self::RecordCoHandlerOverdue { .. } => "co_overdue",
            Self::Extend { .. } => "extend",
            Self::Reassign { .. } => "reassign",
            Self::RecomputeDeadline => "recompute_deadline",
            Self::RequestExtension { .. } => "request_extension",
            Self::DeclineExtension { .. } => "decline_extension",
            Self::RecordRerouteOutcome { .. } => "reroute_outcome",
            Self::TellRerouteOutcome { .. } => "reroute_told",
            Self::Answer { .. } => "answer",
            Self::Rate { .. } => "rate",
            Self::RecordLapse => "lapse",
            Self::RecordEscalation { .. } => "escalation",
            Self::RecordSolved { .. } => "solved",
            Self::MergeInto { .. } => "merge",
            Self::Absorb { .. } => "absorb",
            Self::Withdraw { .. } => "withdraw",
            Self::Reroute { .. } => "reroute",
            Self::Transfer { .. } => "transfer",
            Self::ReceiveTransfer { .. } => "receive_transfer",
            Self::LinkMeasure { .. } => "link_measure",
            Self::SetAnonymity { .. } => "anonymity",
            Self::Publish { .. } => "publish",
            Self::View { .. } => "view",
            Self::RateAsBody { .. } => "rate_as_body",
        }
    }
}

/// What happened to a suggestion. Stored in the event log; replaying them rebuilds the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SuggestionEvent {
    /// Received.
    Received {
        /// Title.
        title: ShortText,
        /// Content.
        content: LongText,
        /// Source.
        source: Source,
        /// On.
        on: NaiveDate,
        /// Co-signers.
        proposers: Vec<Signer>,
    },
    /// Numbered.
    Registered {
        /// Number.
        number: SuggestionNumber,
    },
    /// Panel set.
    PanelSet {
        /// Panel.
        panel: Vec<Signer>,
    },
    /// Assigned.
    Assigned {
        /// The assignment, deadlines computed.
        assignment: Assignment,
    },
    /// Returned to the office.
    Returned {
        /// The record.
        record: ReturnRecord,
    },
    /// Handling began.
    HandlingStarted {
        /// On.
        on: NaiveDate,
    },
    /// Contact logged.
    ContactLogged {
        /// The contact.
        contact: Contact,
    },
    /// Progress notice sent to every co-signer.
    ProgressNotified {
        /// The notice.
        notice: Dated<LongText>,
        /// Sent to.
        recipients: Vec<DeputyId>,
    },
    /// A co-handler's opinion.
    CoOpinionGiven {
        /// The co-handler.
        department: DepartmentId,
        /// The opinion.
        opinion: Dated<LongText>,
    },
    /// A co-handler's lateness recorded.
    CoHandlerOverdueRecorded {
        /// The co-handler.
        department: DepartmentId,
        /// On.
        on: NaiveDate,
    },
    /// Re-assigned before the answer.
    Reassigned {
        /// The new assignment (deadlines as before).
        assignment: Assignment,
        /// Why.
        reason: LongText,
        /// On.
        on: NaiveDate,
    },
    /// The answer deadline recomputed on a newer calendar.
    DeadlineRecomputed {
        /// The deadline before.
        from: NaiveDate,
        /// The deadline now.
        to: NaiveDate,
    },
    /// The lead department asked for an extension.
    ExtensionRequested {
        /// The request.
        request: ExtensionRequest,
    },
    /// A leader declined the extension request.
    ExtensionDeclined {
        /// Why.
        reason: LongText,
        /// On.
        on: NaiveDate,
    },
    /// A rerouted item's outcome recorded.
    RerouteOutcomeRecorded {
        /// The outcome.
        outcome: LongText,
        /// On.
        on: NaiveDate,
    },
    /// The deputies told a rerouted item's outcome.
    RerouteOutcomeTold {
        /// What they were told.
        notice: LongText,
        /// The deputies told.
        told: Vec<DeputyId>,
        /// On.
        on: NaiveDate,
    },
    /// Deadline extended.
    Extended {
        /// The extension.
        extension: Extension,
    },
    /// Answered (to every co-signer).
    Answered {
        /// Round.
        round: u8,
        /// The answer.
        answer: Answer,
    },
    /// An evaluator rated.
    Rated {
        /// Round.
        round: u8,
        /// The evaluator.
        deputy: DeputyId,
        /// The rating.
        rating: Rating,
    },
    /// A round was decided.
    RoundDecided {
        /// Round.
        round: u8,
        /// The outcome.
        outcome: RoundOutcome,
    },
    /// Re-handling began after dissatisfaction.
    RehandlingBegan {
        /// On.
        on: NaiveDate,
        /// Answer due.
        due: NaiveDate,
    },
    /// A second dissatisfaction: escalated to leadership.
    Escalated {
        /// On.
        on: NaiveDate,
    },
    /// Leadership's action recorded.
    EscalationRecorded {
        /// The record.
        record: EscalationRecord,
    },
    /// The B/C matter was solved; second answer sent.
    Solved {
        /// The second answer.
        answer: Dated<LongText>,
        /// Sent to.
        recipients: Vec<DeputyId>,
    },
    /// Merged into another item.
    MergedInto {
        /// The surviving item.
        target: SuggestionId,
        /// On.
        on: NaiveDate,
    },
    /// Took in a merged item's co-signers.
    Absorbed {
        /// The merged item.
        from: SuggestionId,
        /// New co-signers.
        signers: Vec<Signer>,
    },
    /// A co-signer withdrew.
    SignatureWithdrawn {
        /// The deputy.
        deputy: DeputyId,
        /// Why.
        reason: LongText,
        /// On.
        on: NaiveDate,
    },
    /// The last co-signer withdrew.
    Withdrawn {
        /// On.
        on: NaiveDate,
    },
    /// Handed to letters and petitions.
    Rerouted {
        /// The record.
        reroute: Reroute,
    },
    /// Handed to the competent procuratorate (转办).
    Transferred {
        /// The record.
        transfer: Transfer,
    },
    /// Came from another procuratorate by transfer.
    TransferReceived {
        /// Where from.
        origin: TransferOrigin,
    },
    /// Improvement measure linked.
    MeasureLinked {
        /// The measure.
        measure: crate::ids::MeasureId,
    },
    /// Closed.
    Closed {
        /// The closure.
        closure: Closure,
    },
    /// A co-signer's wish to be named or not.
    AnonymitySet {
        /// The co-signer.
        deputy: DeputyId,
        /// True: not named.
        anonymous: bool,
    },
    /// An answer round published.
    Published {
        /// The publication (the public text only).
        publication: Publication,
    },
    /// A deputy opened the publication.
    Viewed {
        /// Round.
        round: u8,
        /// The deputy.
        deputy: DeputyId,
    },
    /// A deputy of the body rated the publication.
    BodyRated {
        /// Round.
        round: u8,
        /// The deputy.
        deputy: DeputyId,
        /// The rating.
        rating: Rating,
    },
}

impl SuggestionEvent {
    /// The stable name of the event, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Received { .. } => "suggestion.received",
            Self::Registered { .. } => "suggestion.registered",
            Self::PanelSet { .. } => "suggestion.panel_set",
            Self::Assigned { .. } => "suggestion.assigned",
            Self::Returned { .. } => "suggestion.returned",
            Self::HandlingStarted { .. } => "suggestion.handling_started",
            Self::ContactLogged { .. } => "suggestion.contact_logged",
            Self::ProgressNotified { .. } => "suggestion.progress_notified",
            Self::CoOpinionGiven { .. } => "suggestion.co_opinion_given",
            Self::CoHandlerOverdueRecorded { .. } => "suggestion.co_handler_overdue",
            Self::Extended { .. } => "suggestion.extended",
            Self::Reassigned { .. } => "suggestion.reassigned",
            Self::DeadlineRecomputed { .. } => "suggestion.deadline_recomputed",
            Self::ExtensionRequested { .. } => "suggestion.extension_requested",
            Self::ExtensionDeclined { .. } => "suggestion.extension_declined",
            Self::RerouteOutcomeRecorded { .. } => "suggestion.reroute_outcome_recorded",
            Self::RerouteOutcomeTold { .. } => "suggestion.reroute_outcome_told",
            Self::Answered { .. } => "suggestion.answered",
            Self::Rated { .. } => "suggestion.rated",
            Self::RoundDecided { .. } => "suggestion.round_decided",
            Self::RehandlingBegan { .. } => "suggestion.rehandling_began",
            Self::Escalated { .. } => "suggestion.escalated",
            Self::EscalationRecorded { .. } => "suggestion.escalation_recorded",
            Self::Solved { .. } => "suggestion.solved",
            Self::MergedInto { .. } => "suggestion.merged",
            Self::Absorbed { .. } => "suggestion.absorbed",
            Self::SignatureWithdrawn { .. } => "suggestion.signature_withdrawn",
            Self::Withdrawn { .. } => "suggestion.withdrawn",
            Self::Rerouted { .. } => "suggestion.rerouted",
            Self::Transferred { .. } => "suggestion.transferred",
            Self::TransferReceived { .. } => "suggestion.transfer_received",
            Self::MeasureLinked { .. } => "suggestion.measure_linked",
            Self::Closed { .. } => "suggestion.closed",
            Self::AnonymitySet { .. } => "suggestion.anonymity_set",
            Self::Published { .. } => "suggestion.published",
            Self::Viewed { .. } => "suggestion.viewed",
            Self::BodyRated { .. } => "suggestion.body_rated",
        }
    }
}
