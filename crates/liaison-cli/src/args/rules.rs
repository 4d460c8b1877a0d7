//! The other institutional rules (R2–R6): notices, plans, meetings, visits, inspections, commendation, reviews and the lottery.

use clap::{Args, Subcommand};

use super::{PublicSeed, Revealed};

#[derive(Debug, Subcommand)]
pub(crate) enum NoticeCmd {
    /// Draft a notice.
    Draft {
        /// Title.
        #[arg(long)]
        title: String,
        /// Content (or `@file.txt`).
        #[arg(long)]
        content: String,
        /// all / level / region / delegation / chosen.
        #[arg(long)]
        scope: String,
        /// A level, region or delegation (repeat).
        #[arg(long = "value")]
        values: Vec<String>,
        /// For `chosen`: a deputy's id (repeat).
        #[arg(long = "deputy")]
        deputies: Vec<String>,
        /// letter / sms / meeting / email (书面/短信/会议/电子邮件).
        #[arg(long)]
        channel: String,
    },
    /// List notices (of one year).
    List {
        /// Year.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Show one notice with its deliveries.
    Show {
        /// The notice's id.
        id: String,
    },
    /// A leader approves the draft.
    Approve {
        /// The notice's id.
        id: String,
    },
    /// Send it to every current deputy of its audience.
    Send {
        /// The notice's id.
        id: String,
    },
    /// Record a recipient's delivery.
    Delivery {
        /// The notice's id.
        id: String,
        /// The deputy's id.
        #[arg(long)]
        deputy: String,
        /// true: delivered; false: failed.
        #[arg(long, action = clap::ArgAction::Set)]
        delivered: bool,
        /// How, or why not.
        #[arg(long)]
        note: Option<String>,
    },
    /// A recipient acknowledges it.
    Ack {
        /// The notice's id.
        id: String,
        /// The deputy (default: the acting deputy account).
        #[arg(long)]
        deputy: Option<String>,
    },
    /// A recipient responds (with --open-suggestion the response is filed as a suggestion).
    Respond {
        /// The notice's id.
        id: String,
        /// The deputy (default: the acting deputy account).
        #[arg(long)]
        deputy: Option<String>,
        /// The response.
        #[arg(long)]
        text: String,
        /// File the response as a suggestion.
        #[arg(long)]
        open_suggestion: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PlanCmd {
    /// Set a period's targets (before adoption).
    Set {
        /// 2026, 2026H1 or 2026H2.
        #[arg(long)]
        period: String,
        /// Meetings with deputies.
        #[arg(long, default_value_t = 0)]
        meetings: u32,
        /// Share of the deputies in office to reach, per cent.
        #[arg(long = "reached", default_value_t = 0)]
        reached_percent: u32,
        /// Major-matter notices.
        #[arg(long, default_value_t = 0)]
        notices: u32,
        /// Activities.
        #[arg(long, default_value_t = 0)]
        activities: u32,
        /// What the plan says.
        #[arg(long)]
        notes: Option<String>,
    },
    /// A leader adopts it.
    Adopt {
        /// The period.
        period: String,
    },
    /// The plan and its progress.
    Show {
        /// The period.
        period: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MeetingCmd {
    /// Plan a meeting.
    Plan {
        /// Title.
        #[arg(long)]
        title: String,
        /// Day.
        #[arg(long)]
        on: String,
        /// Place.
        #[arg(long)]
        place: String,
        /// An agenda item `kind:title` (work_report, cases, petitions, other; repeat).
        #[arg(long = "agenda", required = true)]
        agenda: Vec<String>,
        /// A deputy invited (repeat).
        #[arg(long = "invite")]
        invite: Vec<String>,
    },
    /// Invite more deputies.
    Invite {
        /// The meeting's id.
        id: String,
        /// A deputy (repeat).
        #[arg(long = "deputy", required = true)]
        deputies: Vec<String>,
    },
    /// It was held: who attended, the minutes.
    Hold {
        /// The meeting's id.
        id: String,
        /// A deputy who attended (repeat).
        #[arg(long = "attended")]
        attended: Vec<String>,
        /// Minutes (or `@file.txt`).
        #[arg(long)]
        minutes: String,
    },
    /// Cancel it.
    Cancel {
        /// The meeting's id.
        id: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// An opinion raised by an attending deputy (`--to suggestion` files it; `--to measure` opens a measure).
    Opinion {
        /// The meeting's id.
        id: String,
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// What was said.
        #[arg(long)]
        text: String,
        /// suggestion / measure.
        #[arg(long)]
        to: Option<String>,
        /// For a measure: the owner department.
        #[arg(long)]
        owner: Option<String>,
        /// For a measure: the deadline.
        #[arg(long)]
        deadline: Option<String>,
    },
    /// Show one.
    Show {
        /// The meeting's id.
        id: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct VisitArgs {
    /// The deputy visited.
    #[arg(long)]
    pub(crate) deputy: String,
    /// The day.
    #[arg(long)]
    pub(crate) on: String,
    /// home / work_unit / office (家中/工作单位/办公场所).
    #[arg(long)]
    pub(crate) place: String,
    /// Who went (repeat).
    #[arg(long = "staff", required = true)]
    pub(crate) staff: Vec<String>,
    /// Notes.
    #[arg(long)]
    pub(crate) notes: String,
    /// An issue the deputy raised (repeat).
    #[arg(long = "issue")]
    pub(crate) issues: Vec<String>,
    /// File every issue as a suggestion.
    #[arg(long)]
    pub(crate) issues_as_suggestions: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum InspectionCmd {
    /// Plan one.
    Plan {
        /// inspection / evaluation (视察/评议).
        #[arg(long)]
        kind: String,
        /// Title.
        #[arg(long)]
        title: String,
        /// The congress's reference.
        #[arg(long)]
        organiser_ref: String,
        /// First day.
        #[arg(long)]
        from: String,
        /// Last day.
        #[arg(long)]
        to: String,
        /// A participating deputy (repeat).
        #[arg(long = "participant", required = true)]
        participants: Vec<String>,
        /// A material provided (repeat).
        #[arg(long = "material")]
        materials: Vec<String>,
        /// An item scored (repeat).
        #[arg(long = "item")]
        items: Vec<String>,
    },
    /// List them.
    List,
    /// Show one with its scores.
    Show {
        /// Id.
        id: String,
    },
    /// It took place.
    Hold {
        /// Id.
        id: String,
    },
    /// A participant's score for an item (items count from 0).
    Score {
        /// Id.
        id: String,
        /// Deputy.
        #[arg(long)]
        deputy: String,
        /// Item index.
        #[arg(long)]
        item: u32,
        /// 0–100.
        #[arg(long)]
        score: u8,
    },
    /// A participant's opinion.
    Opinion {
        /// Id.
        id: String,
        /// Deputy.
        #[arg(long)]
        deputy: String,
        /// Text.
        #[arg(long)]
        text: String,
    },
    /// Add a rectification item.
    Rectify {
        /// Id.
        id: String,
        /// What.
        #[arg(long)]
        title: String,
        /// Owner department.
        #[arg(long)]
        owner: String,
        /// Due by.
        #[arg(long)]
        deadline: String,
    },
    /// A rectification item is done, with its result.
    Done {
        /// Id.
        id: String,
        /// Item number.
        n: u32,
        /// The result.
        #[arg(long)]
        result: String,
    },
    /// Report back to the congress (every rectification item done).
    Report {
        /// Id.
        id: String,
        /// The report (or `@file.txt`).
        #[arg(long)]
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CommendationCmd {
    /// Show the weights, or change them with `--set kind=points` (suggestion, meeting, visit, inspection,
    /// deliberation, review).
    Weights {
        /// A new weight (repeat).
        #[arg(long = "set")]
        set: Vec<String>,
    },
    /// Every deputy's contribution in a period, highest first.
    Contributions {
        /// First day (default 1 January this year).
        #[arg(long)]
        from: Option<String>,
        /// Last day.
        #[arg(long)]
        to: Option<String>,
        /// Only the first N.
        #[arg(long, default_value_t = 20)]
        top: usize,
    },
    /// Nominate a deputy on their contribution in a period.
    Nominate {
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// Why.
        #[arg(long)]
        reasons: String,
        /// First day.
        #[arg(long)]
        from: String,
        /// Last day.
        #[arg(long)]
        to: String,
    },
    /// A leader approves a nomination.
    Approve {
        /// Id.
        id: String,
    },
    /// Submitted to the standing committee.
    Submit {
        /// Id.
        id: String,
        /// The letter's reference.
        #[arg(long)]
        reference: String,
    },
    /// The deputy was commended.
    Accept {
        /// Id.
        id: String,
    },
    /// The deputy was not commended.
    Decline {
        /// Id.
        id: String,
        /// The standing committee's note.
        #[arg(long)]
        note: String,
    },
    /// The nominations (`--format csv` exports them).
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LotteryCmd {
    /// Reproduce a past draw from its record alone (pool fingerprint, seed commitment, result): a review or
    /// activity in the database, or, with `--file`, a record published as JSON (no database, no account).
    Verify {
        /// The review or activity whose draw to verify.
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        id: Option<String>,
        /// A review or activity as JSON (as the API returns it), or its `draw` record alone.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReviewCmd {
    /// Register a review (only the case's reference, kind and a summary are kept).
    Register {
        /// The case's reference.
        #[arg(long)]
        case_ref: String,
        /// proposed_withdrawal / proposed_non_prosecution / arrest_objection / filing / overdue_detention /
        /// unlawful_seizure / compensation / misconduct / public_hearing / committee_observation.
        #[arg(long)]
        kind: String,
        /// A summary.
        #[arg(long)]
        summary: String,
    },
    /// List reviews.
    List,
    /// Show one.
    Show {
        /// Id.
        id: String,
    },
    /// A deputy's declared relation to the parties or the case: before the draw the deputy is out of the
    /// pool; after it, a participant who has not voted is replaced by the next one the same stream draws.
    Recuse {
        /// Id.
        id: String,
        /// Deputy.
        #[arg(long)]
        deputy: String,
        /// The relation.
        #[arg(long = "why")]
        why: String,
    },
    /// Fix the pool and name the public value, published after today, that will make the seed
    /// (`--public-source`, `--published-on`: the default); or, with `--secret-seed-reason`, commit to a fresh
    /// secret seed (printed once: keep it for the draw), the reason recorded and published with the draw.
    Prepare {
        /// Id.
        id: String,
        /// How many to draw.
        #[arg(long)]
        count: usize,
        #[command(flatten)]
        public: PublicSeed,
    },
    /// Reveal the seed (or give the public value as published) and draw.
    Draw {
        /// Id.
        id: String,
        #[command(flatten)]
        revealed: Revealed,
    },
    /// A participant's vote.
    Vote {
        /// Id.
        id: String,
        /// Deputy.
        #[arg(long)]
        deputy: String,
        /// true: agrees with the proposed handling.
        #[arg(long, action = clap::ArgAction::Set)]
        agree: bool,
        /// The opinion.
        #[arg(long)]
        opinion: String,
    },
    /// The chief procurator's decision (a leader).
    Chief {
        /// Id.
        id: String,
        /// true: agrees with the proposed handling.
        #[arg(long, action = clap::ArgAction::Set)]
        agree: bool,
        /// The decision.
        #[arg(long)]
        text: String,
    },
    /// The procuratorial committee's decision and explanation (a leader).
    Committee {
        /// Id.
        id: String,
        /// true: agrees with the proposed handling.
        #[arg(long, action = clap::ArgAction::Set)]
        agree: bool,
        /// The decision.
        #[arg(long)]
        text: String,
        /// The explanation.
        #[arg(long)]
        explanation: String,
    },
    /// The escalation to the higher procuratorate.
    Escalate {
        /// Id.
        id: String,
        /// Its reference.
        #[arg(long)]
        reference: String,
    },
    /// Tell the participants the final result.
    Notify {
        /// Id.
        id: String,
        /// What they are told.
        #[arg(long)]
        text: String,
    },
    /// A leader approves planning the case's review again after an earlier review's draw was committed
    /// (no draw before).
    ApproveReplan {
        /// Id.
        id: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
}
