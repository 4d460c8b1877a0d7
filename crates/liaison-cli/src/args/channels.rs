//! The channels and guarantees (C1, C3, C4, G1–G3): rights, activities, budget, appointments, supervisors, hotline, cards, services, solicitations.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub(crate) struct RightsArgs {
    /// A deputy's id on the register.
    #[arg(long, conflicts_with = "id_number")]
    pub(crate) deputy: Option<String>,
    /// A resident ID number: `-` (the LIAISON_ID_NUMBER environment variable, else a line of standard
    /// input) or `@FILE`; typed here (visible in `ps` and the shell history) it is refused.
    #[arg(long)]
    pub(crate) id_number: Option<String>,
    /// The person's name, to confirm the match.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Why (the case reference): recorded in the audit chain.
    #[arg(long = "why", required = true)]
    pub(crate) why: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ActivityCmd {
    /// Plan an activity.
    Plan {
        /// open_day / hearing / trial_observation / inspection / forum / research (or the Chinese).
        #[arg(long)]
        kind: String,
        /// Title.
        #[arg(long)]
        title: String,
        /// Day.
        #[arg(long)]
        on: String,
        /// Place.
        #[arg(long)]
        place: String,
        /// Seats for deputies.
        #[arg(long)]
        seats: u32,
        /// Only this level (repeat; default all).
        #[arg(long = "level")]
        levels: Vec<String>,
        /// lottery (proportional quotas by level), lottery-equal, or rotation.
        #[arg(long, default_value = "lottery")]
        selection: String,
    },
    /// List activities.
    List,
    /// Show one.
    Show {
        /// Id.
        id: String,
    },
    /// Fix the pool and name the public value, published after today, that will make the seed
    /// (`--public-source`, `--published-on`: the default); or, with `--secret-seed-reason`, commit to a fresh
    /// secret seed (printed once), the reason recorded and published with the draw.
    Prepare {
        /// Id.
        id: String,
        #[command(flatten)]
        public: PublicSeed,
    },
    /// Reveal the seed (or give the public value as published) and choose.
    Draw {
        /// Id.
        id: String,
        #[command(flatten)]
        revealed: Revealed,
    },
    /// It was held: who attended.
    Hold {
        /// Id.
        id: String,
        /// A deputy who attended (repeat).
        #[arg(long = "attended")]
        attended: Vec<String>,
    },
    /// A participant's feedback.
    Feedback {
        /// Id.
        id: String,
        /// Deputy.
        #[arg(long)]
        deputy: String,
        /// Text.
        #[arg(long)]
        text: String,
    },
    /// Record a participant's answer given by telephone or in person: `confirm`, or `decline` with
    /// `--reason`, until the day before the activity; `--note` says how it was given (kept in the audit).
    Answer {
        /// Id.
        id: String,
        /// The participant (deputy id).
        #[arg(long)]
        deputy: String,
        /// confirm or decline (确认参加 / 不能参加).
        #[arg(long)]
        answer: String,
        /// Why not (required to decline).
        #[arg(long, default_value = "")]
        reason: String,
        /// How the deputy gave the answer (e.g. 11月28日电话告知).
        #[arg(long)]
        note: String,
    },
    /// Cancel it.
    Cancel {
        /// Id.
        id: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// A leader approves planning it again after an earlier activity of the same kind and day was
    /// cancelled with its draw committed (no draw before).
    ApproveReplan {
        /// Id.
        id: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct BudgetArgs {
    /// The year.
    pub(crate) year: i32,
    #[command(subcommand)]
    pub(crate) cmd: Option<BudgetCmd>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum BudgetCmd {
    /// Set a line's planned amount, in yuan (before adoption).
    Line {
        /// 会议/走访/活动/资料订阅/表彰/服务保障/其他 (or meetings, visits …).
        #[arg(long)]
        category: String,
        /// Amount in yuan.
        #[arg(long)]
        amount: String,
    },
    /// A leader adopts the budget.
    Adopt,
    /// An expense against a line.
    Spend {
        /// Category.
        #[arg(long)]
        category: String,
        /// Amount in yuan.
        #[arg(long)]
        amount: String,
        /// What for.
        #[arg(long)]
        purpose: String,
        /// The voucher's reference.
        #[arg(long)]
        reference: String,
        /// Day (default today).
        #[arg(long)]
        on: Option<String>,
    },
    /// Reverse expense N entered in error: a new entry with its reason (the expense is never edited).
    Reverse {
        /// The expense's number.
        n: u32,
        /// Why.
        #[arg(long = "why")]
        why: String,
        /// Day (default today).
        #[arg(long)]
        on: Option<String>,
    },
    /// Request a supplementary appropriation.
    Request {
        /// Category.
        #[arg(long)]
        category: String,
        /// Amount in yuan.
        #[arg(long)]
        amount: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// A leader approves request N.
    Approve {
        /// Request number.
        n: u32,
    },
    /// A leader rejects request N.
    Reject {
        /// Request number.
        n: u32,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AppointmentCmd {
    /// Record a deputy's request (or, with `--channel initiative`, the official's own).
    Request {
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// The official asked for: a leader (id, name, or title and name) or a liaison officer (id or name).
        #[arg(long)]
        official: String,
        /// hotline / card / in_person / online / initiative.
        #[arg(long)]
        channel: String,
        /// The topic.
        #[arg(long)]
        topic: String,
    },
    /// List appointments (of one official).
    List {
        /// The official.
        #[arg(long)]
        official: Option<String>,
    },
    /// Acknowledge a request.
    Ack {
        /// Id.
        id: String,
    },
    /// Set the time and place (refused if it clashes with the official's other appointments).
    Schedule {
        /// Id.
        id: String,
        /// Start, `YYYY-MM-DD HH:MM`.
        #[arg(long)]
        from: String,
        /// End.
        #[arg(long)]
        to: String,
        /// Place.
        #[arg(long)]
        place: String,
        /// Why, when the meeting is set after its meet-by day (required then).
        #[arg(long = "late-reason")]
        late_reason: Option<String>,
    },
    /// It was held: what was said and promised.
    Hold {
        /// Id.
        id: String,
        /// The record.
        #[arg(long)]
        record: String,
    },
    /// Decline, with the reason and the alternative offered.
    Decline {
        /// Id.
        id: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
        /// The alternative.
        #[arg(long)]
        alternative: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SupervisorCmd {
    /// Appoint a deputy (refused with the reason when ineligible).
    Appoint {
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// peoples_supervisor / law_enforcement / conduct (人民监督员/执法监督员/检风检纪监督员).
        #[arg(long)]
        kind: String,
        /// First day of the term.
        #[arg(long)]
        from: String,
        /// Last day of the term.
        #[arg(long)]
        to: String,
    },
    /// End an appointment early.
    End {
        /// The appointment's id.
        id: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// List appointments.
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum HotlineCmd {
    /// Log a call (`--route suggestion` with `--deputy` files it as a suggestion).
    Log {
        /// The deputy, when the caller is on the register.
        #[arg(long)]
        deputy: Option<String>,
        /// The caller's name as given.
        #[arg(long)]
        caller: String,
        /// The topic.
        #[arg(long)]
        topic: String,
        /// suggestion / appointment / service / petition / other.
        #[arg(long)]
        route: String,
    },
    /// The log.
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CardCmd {
    /// Issue a card (refused while the deputy holds an active one: revoke it first).
    Issue {
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// The officer printed on it: an active officer of the organisation (name or id).
        #[arg(long)]
        officer: String,
        /// The telephone printed on it: a mobile number or a landline (0591-12345678).
        #[arg(long)]
        telephone: String,
    },
    /// Revoke a card.
    Revoke {
        /// Its number.
        number: String,
        /// Why.
        #[arg(long = "why")]
        why: String,
    },
    /// Cards issued.
    List,
    /// Write a card as a printable page.
    Print {
        /// Its number.
        number: String,
        /// The HTML file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ServiceCmd {
    /// Open a service (a visit is done when recorded).
    Open {
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// home_visit / work_visit / practical_help / difficulty / subscription.
        #[arg(long)]
        kind: String,
        /// Details.
        #[arg(long)]
        description: String,
    },
    /// A problem or support resolved, with the result.
    Resolve {
        /// Id.
        id: String,
        /// The result.
        #[arg(long)]
        result: String,
    },
    /// A delivery of a subscription.
    Deliver {
        /// Id.
        id: String,
        /// The item delivered.
        #[arg(long)]
        item: String,
    },
    /// Services (`--open` for the open ones).
    List {
        /// Only open ones.
        #[arg(long)]
        open: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SolicitCmd {
    /// Send a solicitation.
    Send {
        /// Title.
        #[arg(long)]
        title: String,
        /// What is asked.
        #[arg(long)]
        content: String,
        /// At a forum (default: by letter).
        #[arg(long)]
        forum: bool,
        /// all / level / region / delegation / chosen.
        #[arg(long)]
        scope: String,
        /// Values of the scope (repeat).
        #[arg(long = "value")]
        values: Vec<String>,
        /// For `chosen`: a deputy (repeat).
        #[arg(long = "deputy")]
        deputies: Vec<String>,
    },
    /// A recipient's response (`--as-suggestion` files it).
    Respond {
        /// Id.
        id: String,
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// The response.
        #[arg(long)]
        text: String,
        /// File it as a suggestion.
        #[arg(long)]
        as_suggestion: bool,
    },
    /// Solicitations.
    List,
}

/// The seed of a draw from a public value instead of a secret one.
#[derive(Debug, Args)]
pub(crate) struct PublicSeed {
    /// Instead of a secret seed: the public value that will make the seed, named now (e.g.
    /// 中国福利彩票双色球第2026138期开奖号码); it must be published after today.
    #[arg(long, requires = "published_on")]
    pub(crate) public_source: Option<String>,
    /// The day that value is published (YYYY-MM-DD, after today).
    #[arg(long, requires = "public_source")]
    pub(crate) published_on: Option<String>,
    /// Only instead of a public value: why a secret seed (recorded and published with the draw; with a
    /// secret seed the office knows the result before the draw, so the public value is the default).
    #[arg(long, conflicts_with = "public_source")]
    pub(crate) secret_seed_reason: Option<String>,
}

/// What is revealed at the draw: the seed printed by `prepare`, or the public value named there.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct Revealed {
    /// The seed printed by `prepare`.
    #[arg(long)]
    pub(crate) seed: Option<String>,
    /// The public value named at `prepare`, as published (e.g. "03 08 15 21 27 33 + 09").
    #[arg(long)]
    pub(crate) public_value: Option<String>,
}
