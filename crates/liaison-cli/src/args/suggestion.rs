//! The suggestion workflow (R1): suggestions, the policy, improvement measures, deliberations.

use clap::{Args, Subcommand};

/// Which suggestion, and the version seen.
#[derive(Debug, Args)]
pub(crate) struct Target {
    /// The suggestion: its number (2026-0001) or id.
    pub(crate) suggestion: String,
    /// Refuse if the suggestion is no longer at this version (as HTTP `If-Match`).
    #[arg(long)]
    pub(crate) expect_version: Option<u64>,
    /// Why (recorded in the audit chain).
    #[arg(long)]
    pub(crate) reason: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SuggestionCmd {
    /// File a suggestion: received and registered with the next number of its year.
    File {
        /// 标题.
        #[arg(long)]
        title: String,
        /// 内容 (or `@file.txt` to read it from a file).
        #[arg(long)]
        content: String,
        /// 来源: congress_session, between_sessions, hotline, letter, visit, appointment, forum (or 大会期间 …).
        #[arg(long)]
        source: String,
        /// 收到日期 (default today).
        #[arg(long)]
        received_on: Option<String>,
        /// A co-signing deputy's id (repeat; the leading deputy first).
        #[arg(long = "deputy", required = true)]
        deputies: Vec<String>,
    },
    /// List suggestions, oldest first.
    List {
        /// Status codes, comma-separated (assigned,in_handling …).
        #[arg(long)]
        status: Option<String>,
        /// Department (lead or co-handler).
        #[arg(long)]
        department: Option<String>,
        /// Handler login.
        #[arg(long)]
        handler: Option<String>,
        /// Deputy id.
        #[arg(long)]
        deputy: Option<String>,
        /// Received on or after.
        #[arg(long)]
        from: Option<String>,
        /// Received on or before.
        #[arg(long)]
        to: Option<String>,
        /// Page size.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Continue after this cursor.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Show one suggestion with its pending deadlines.
    Show {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
    },
    /// Its audit history.
    History {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
    },
    /// Assign (交办) to a lead department, co-handlers and a handler.
    Assign {
        #[command(flatten)]
        t: Target,
        /// Lead department (name or id).
        #[arg(long)]
        lead: String,
        /// Co-handler (repeat).
        #[arg(long = "co-handler")]
        co_handlers: Vec<String>,
        /// The handler's login.
        #[arg(long)]
        handler: String,
    },
    /// Re-assign before the answer (the office), with a reason; the deadlines stay (only an approved
    /// extension moves them).
    Reassign {
        #[command(flatten)]
        t: Target,
        /// Lead department (name or id).
        #[arg(long)]
        lead: String,
        /// Co-handler (repeat; those not named are no longer co-handlers).
        #[arg(long = "co-handler")]
        co_handlers: Vec<String>,
        /// The handler's login (an account of the lead department).
        #[arg(long)]
        handler: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// The lead department asks a leader for an extension (granted with `extend`, or declined).
    RequestExtension {
        #[command(flatten)]
        t: Target,
        /// The deadline asked for.
        #[arg(long)]
        until: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// A leader declines the requested extension.
    DeclineExtension {
        #[command(flatten)]
        t: Target,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// Record the outcome of a rerouted item in the letters and petitions flow.
    RerouteOutcome {
        #[command(flatten)]
        t: Target,
        /// The outcome (or `@file.txt`).
        #[arg(long)]
        outcome: String,
    },
    /// Record that the deputies were told the outcome of a rerouted item.
    RerouteTold {
        #[command(flatten)]
        t: Target,
        /// What they were told (or `@file.txt`).
        #[arg(long)]
        notice: String,
    },
    /// Return a misassigned item to the office (退办), within the return window.
    Return {
        #[command(flatten)]
        t: Target,
        /// Why it is misassigned.
        #[arg(long = "why")]
        why: String,
    },
    /// Start handling.
    Start {
        #[command(flatten)]
        t: Target,
    },
    /// Log a contact with the deputies (办前/办中/办后).
    Contact {
        #[command(flatten)]
        t: Target,
        /// before / during / after (办前/办中/办后).
        #[arg(long)]
        phase: String,
        /// phone / visit / meeting / letter / message / online.
        #[arg(long)]
        means: String,
        /// What was said.
        #[arg(long)]
        summary: String,
        /// A deputy contacted (repeat; default: all co-signers).
        #[arg(long = "deputy")]
        deputies: Vec<String>,
    },
    /// Send the deputies a progress notice.
    Notify {
        #[command(flatten)]
        t: Target,
        /// The notice.
        #[arg(long)]
        text: String,
    },
    /// A co-handler's written opinion.
    CoOpinion {
        #[command(flatten)]
        t: Target,
        /// The co-handler (default: the acting user's department).
        #[arg(long)]
        department: Option<String>,
        /// The opinion.
        #[arg(long)]
        text: String,
    },
    /// Record a co-handler's opinion as overdue.
    CoOverdue {
        #[command(flatten)]
        t: Target,
        /// The co-handler.
        #[arg(long)]
        department: String,
    },
    /// Extend the deadline (a leader), with the reason explained to the deputies.
    Extend {
        #[command(flatten)]
        t: Target,
        /// New deadline.
        #[arg(long)]
        until: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// Answer (答复), class A/B/C/D; B and C need --promised-on.
    Answer {
        #[command(flatten)]
        t: Target,
        /// A / B / C / D.
        #[arg(long)]
        class: String,
        /// The answer (or `@file.txt`).
        #[arg(long)]
        text: String,
        /// For B and C: promised solution date.
        #[arg(long)]
        promised_on: Option<String>,
    },
    /// Rate the answer: as a deputy account, or transcribing a signed form (--deputy and --form-ref).
    Rate {
        #[command(flatten)]
        t: Target,
        /// 满意 / 基本满意 / 不满意.
        #[arg(long)]
        rating: String,
        /// The deputy's comment (required with 不满意).
        #[arg(long)]
        comment: Option<String>,
        /// For a transcription: the deputy's id.
        #[arg(long)]
        deputy: Option<String>,
        /// For a transcription: the signed form's reference.
        #[arg(long)]
        form_ref: Option<String>,
    },
    /// Record that the feedback window passed.
    Lapse {
        #[command(flatten)]
        t: Target,
    },
    /// Record leadership's face-to-face meeting or special explanation after a second dissatisfaction.
    Escalation {
        #[command(flatten)]
        t: Target,
        /// face_to_face / special_explanation (当面沟通/专题说明).
        #[arg(long)]
        means: String,
        /// What was said.
        #[arg(long)]
        note: String,
    },
    /// The B/C matter is solved: record the second answer.
    Solved {
        #[command(flatten)]
        t: Target,
        /// The second answer.
        #[arg(long)]
        text: String,
    },
    /// Merge this duplicate into another suggestion (并案); every deputy is still answered.
    Merge {
        #[command(flatten)]
        t: Target,
        /// The surviving suggestion.
        #[arg(long)]
        into: String,
    },
    /// A co-signer withdraws (撤回).
    Withdraw {
        #[command(flatten)]
        t: Target,
        /// The deputy (default: the acting deputy account).
        #[arg(long)]
        deputy: Option<String>,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// Not a suggestion: hand it to letters and petitions (转信访) and tell the deputies.
    Reroute {
        #[command(flatten)]
        t: Target,
        /// pending_case / personal_matter (具体案件/个人事项).
        #[arg(long)]
        ground: String,
        /// What the deputies are told.
        #[arg(long)]
        notice: String,
    },
    /// Addressed to the wrong level: transfer it to the competent procuratorate of the same province (转办)
    /// with its history; its co-signers are found on (or added to) that register and told. Final here.
    Transfer {
        #[command(flatten)]
        t: Target,
        /// The procuratorate: its id or name (`liaison tenant list`).
        #[arg(long)]
        to: String,
        /// Why that procuratorate is the competent one.
        #[arg(long = "why")]
        why: String,
        /// What the deputies are told (`@FILE` reads a file).
        #[arg(long)]
        notice: String,
    },
    /// Set a panel of further evaluators.
    Panel {
        #[command(flatten)]
        t: Target,
        /// A deputy (repeat).
        #[arg(long = "deputy")]
        deputies: Vec<String>,
    },
    /// Publish the latest answer to the deputies as a body (confidential parts withheld).
    Publish {
        #[command(flatten)]
        t: Target,
        /// all / level / region / delegation.
        #[arg(long)]
        scope: String,
        /// A level, region or delegation (repeat).
        #[arg(long = "value")]
        values: Vec<String>,
    },
    /// A co-signer asks to be named, or not, when the answer is published.
    Anonymity {
        #[command(flatten)]
        t: Target,
        /// The co-signer (default: the acting deputy account).
        #[arg(long)]
        deputy: Option<String>,
        /// true: not named; false: named.
        #[arg(long, action = clap::ArgAction::Set)]
        anonymous: bool,
    },
    /// A published answer: its public text, and for staff its figures (reach, views, ratings, verdicts).
    Publication {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
    },
    /// Published answers (a deputy account: those published to it).
    Publications,
    /// Invite each deputy of a publication's audience who has not rated it to judge it, through the outbox
    /// (SMS or e-mail to the deputy with the deputy's own one-use link; the link is never shown here).
    BodyLinks {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
        /// Why (for the audit trail).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Send each deputy who has not rated the current answer their own rating link again, through the
    /// outbox (SMS or e-mail to the deputy; the link is never shown here).
    Links {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
        /// Why (for the audit trail).
        #[arg(long)]
        reason: Option<String>,
    },
    /// What is due soon or overdue, per department and handler.
    Due {
        /// Department.
        #[arg(long)]
        department: Option<String>,
        /// Handler login.
        #[arg(long)]
        handler: Option<String>,
        /// Only what is late.
        #[arg(long)]
        overdue: bool,
    },
    /// Figures for a period, by level, department or handler.
    Figures {
        /// First day (default 1 January this year).
        #[arg(long)]
        from: Option<String>,
        /// Last day (default 31 December of that year).
        #[arg(long)]
        to: Option<String>,
        /// all / level / department / handler.
        #[arg(long = "by", default_value = "level")]
        by: String,
    },
    /// The deployment's deadlines and satisfaction rule.
    #[command(subcommand)]
    Policy(PolicyCmd),
}

// Parsed once per run: the size of a variant does not matter here.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCmd {
    /// Show the policy in force.
    Show,
    /// Change it: periods as `3m` (months) or `20d` (working days).
    Set {
        /// Answer deadline.
        #[arg(long)]
        answer: Option<String>,
        /// Longest an extension may reach.
        #[arg(long)]
        extension_max: Option<String>,
        /// Re-handling deadline.
        #[arg(long)]
        rehandling: Option<String>,
        /// Feedback window.
        #[arg(long)]
        feedback: Option<String>,
        /// Return window.
        #[arg(long)]
        return_window: Option<String>,
        /// Co-handler opinion window.
        #[arg(long)]
        co_handler: Option<String>,
        /// Progress notice interval.
        #[arg(long)]
        progress_interval: Option<String>,
        /// Days ahead that count as due soon.
        #[arg(long)]
        due_soon_days: Option<u32>,
        /// The office's window to assign a registered or returned item.
        #[arg(long)]
        assign_within: Option<String>,
        /// An appointment request is acknowledged within (C3), e.g. 2d.
        #[arg(long)]
        appointment_acknowledge: Option<String>,
        /// … and the meeting held within, from the request, e.g. 10d.
        #[arg(long)]
        appointment_meet: Option<String>,
        /// After a second 不满意, the leadership's escalation is recorded within, e.g. 10d.
        #[arg(long)]
        escalation: Option<String>,
        /// all / majority / threshold:N.
        #[arg(long)]
        satisfaction: Option<String>,
        /// Whether the body's verdict on a published answer counts toward closure (true/false).
        #[arg(long, action = clap::ArgAction::Set)]
        body_counts: Option<bool>,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MeasureCmd {
    /// Open a measure from a suggestion (--suggestion) or a deputy's opinion (--opinion with --deputy).
    Open {
        /// What will be done.
        #[arg(long)]
        title: String,
        /// Details.
        #[arg(long)]
        description: String,
        /// Owner department (a department account: its own only).
        #[arg(long)]
        owner: String,
        /// Deadline.
        #[arg(long)]
        deadline: String,
        /// The suggestion (number or id).
        #[arg(long)]
        suggestion: Option<String>,
        /// The opinion, when not a suggestion.
        #[arg(long)]
        opinion: Option<String>,
        /// A deputy to report back to (repeat).
        #[arg(long = "deputy")]
        deputies: Vec<String>,
    },
    /// List measures.
    List {
        /// Owner department.
        #[arg(long)]
        department: Option<String>,
        /// open / done / reported_back.
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one.
    Show {
        /// Id.
        id: String,
    },
    /// Record progress.
    Progress {
        /// Id.
        id: String,
        /// The note.
        #[arg(long)]
        text: String,
    },
    /// Done, with the result.
    Complete {
        /// Id.
        id: String,
        /// The result.
        #[arg(long)]
        text: String,
    },
    /// Report the result back to the deputies.
    Report {
        /// Id.
        id: String,
        /// The report.
        #[arg(long)]
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DeliberationCmd {
    /// Open the record of a congress session.
    Open {
        /// The session (市第十六届人民代表大会第五次会议).
        #[arg(long)]
        session: String,
        /// Its first day.
        #[arg(long)]
        opens_on: String,
    },
    /// Every session's record.
    List,
    /// One record with its summary (every opinion and its outcome).
    Show {
        /// The record's id.
        id: String,
    },
    /// Staff attended a group's deliberation.
    Attend {
        /// The record's id.
        id: String,
        /// The group.
        #[arg(long)]
        group: String,
        /// The day.
        #[arg(long)]
        on: String,
        /// Who attended (repeat).
        #[arg(long = "staff", required = true)]
        staff: Vec<String>,
    },
    /// An opinion voiced in an attended group.
    Opinion {
        /// The record's id.
        id: String,
        /// The group.
        #[arg(long)]
        group: String,
        /// The deputy's id.
        #[arg(long)]
        deputy: String,
        /// What was said.
        #[arg(long)]
        text: String,
    },
    /// Route an opinion to a suggestion (filed now) or an improvement measure (opened now).
    Route {
        /// The record's id.
        id: String,
        /// The opinion's number.
        n: u32,
        /// suggestion / measure.
        #[arg(long)]
        to: String,
        /// For a measure: the owner department.
        #[arg(long)]
        owner: Option<String>,
        /// For a measure: the deadline.
        #[arg(long)]
        deadline: Option<String>,
        /// A short title.
        #[arg(long)]
        title: Option<String>,
    },
    /// Tell the deputy what came of an opinion (once its item has an outcome).
    Tell {
        /// The record's id.
        id: String,
        /// The opinion's number.
        n: u32,
        /// What the deputy is told.
        #[arg(long)]
        text: String,
    },
    /// Close the record (every opinion told).
    Close {
        /// The record's id.
        id: String,
    },
}
