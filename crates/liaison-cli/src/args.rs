//! The command line, as clap parses it. Raw flags become validated settings in `main.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

/// liaison — 人大代表联络工作平台的运维命令行 (the operations CLI of the deputy-liaison platform).
///
/// Exit codes: 0 done; 1 refused or failed (the reason is printed); 2 usage error; 141 the reader of the
/// output closed the pipe (as for other Unix tools).
#[derive(Debug, Parser)]
#[command(name = "liaison", version, propagate_version = true)]
pub(crate) struct Cli {
    /// The SQLite database file (created on `init`).
    #[arg(long, global = true, env = "LIAISON_DB", default_value = "liaison.db")]
    pub(crate) db: PathBuf,
    /// A PostgreSQL database instead of the SQLite file (`postgres://user@host:5432/db`).
    #[arg(long, global = true, env = "LIAISON_DATABASE_URL", hide_env_values = true)]
    pub(crate) database_url: Option<String>,
    /// The master key file (default: `liaison.key` beside the database; created with mode 0600).
    #[arg(long, global = true, env = "LIAISON_KEY_FILE")]
    pub(crate) key_file: Option<PathBuf>,
    /// The master key as 64 hex digits, instead of a key file.
    #[arg(long, global = true, env = "LIAISON_KEY", hide_env_values = true)]
    pub(crate) key: Option<String>,
    /// The user the command acts as (its roles decide what is allowed).
    #[arg(long = "as", global = true, env = "LIAISON_USER", default_value = "admin")]
    pub(crate) user: String,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value = "table")]
    pub(crate) format: Format,
    /// Language of messages: zh (default) or en.
    #[arg(long, global = true, env = "LIAISON_LANG", default_value = "zh")]
    pub(crate) lang: String,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create the database, the default tenant and the first administrator (prints its token once).
    Init {
        /// The procuratorate's name.
        #[arg(long, default_value = "人民检察院")]
        name: String,
    },
    /// The deputy register (代表登记簿).
    #[command(subcommand)]
    Deputy(DeputyCmd),
    /// Regions, leaders, departments and liaison officers (对应联络).
    #[command(subcommand)]
    Org(OrgCmd),
    /// Assign a deputy's responsible officer and department, or fill every gap with --auto.
    Assign(AssignArgs),
    /// The coverage report: deputies without an officer, a leader or a department.
    Coverage,
    /// User accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Deputies' suggestions, criticisms and opinions (代表建议办理, R1): file, assign, handle, answer, rate,
    /// close; due lists; figures; the policy.
    #[command(subcommand)]
    Suggestion(SuggestionCmd),
    /// Improvement measures (整改措施, P1.3).
    #[command(subcommand)]
    Measure(MeasureCmd),
    /// The deliberation of the work report at a congress session (列席审议): attendances, opinions, outcomes.
    #[command(subcommand)]
    Deliberation(DeliberationCmd),
    /// Major-matter notices to deputies (重大事项通报, R2): draft, approve, send, deliveries, responses.
    #[command(subcommand)]
    Notice(NoticeCmd),
    /// The liaison work plan of a period (联络工作计划, R3) and its progress.
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Meetings with deputies (座谈会, R3): plan, invite, hold, opinions.
    #[command(subcommand)]
    Meeting(MeetingCmd),
    /// Record a visit to a deputy (走访, R3).
    Visit(VisitArgs),
    /// Inspections and evaluations with the congress (视察/评议, R5): scores, rectification, report.
    #[command(subcommand)]
    Inspection(InspectionCmd),
    /// Commendation (奖励, R6): contributions with their evidence, nominations.
    #[command(subcommand)]
    Commendation(CommendationCmd),
    /// Reviews of major cases with deputies (重大案件评议, R4): recusals, the verifiable draw, votes, decisions.
    #[command(subcommand)]
    Review(ReviewCmd),
    /// The verifiable lottery.
    #[command(subcommand)]
    Lottery(LotteryCmd),
    /// The activity platform (活动平台, C4): activities, the draw or rotation, attendance, feedback.
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// The annual liaison budget (经费保障, G2): lines, expenses, supplementary appropriations, execution.
    Budget(BudgetArgs),
    /// Interactive appointments (互动约见, C3): requests to meet an official, scheduling, records.
    #[command(subcommand)]
    Appointment(AppointmentCmd),
    /// Deputies appointed as supervisors (人民监督员, 执法监督员, 检风检纪监督员), with eligibility.
    #[command(subcommand)]
    Supervisor(SupervisorCmd),
    /// The hotline log (联络热线, C1).
    #[command(subcommand)]
    Hotline(HotlineCmd),
    /// Liaison cards (联络卡, C1): issue, revoke, print.
    #[command(subcommand)]
    Card(CardCmd),
    /// Services to deputies (服务保障, G3).
    #[command(subcommand)]
    Service(ServiceCmd),
    /// Solicitations of opinions by letter or forum (征求意见, C4).
    #[command(subcommand)]
    Solicit(SolicitCmd),
    /// Participation in activities by level and its spread (Gini), P1.1.
    Fairness {
        /// First day (default 1 January this year).
        #[arg(long)]
        from: Option<String>,
        /// Last day.
        #[arg(long)]
        to: Option<String>,
    },
    /// The rights check (G1): is this person a deputy in office, and what does the law require before arrest
    /// or trial? Every check is audited.
    Rights(RightsArgs),
    /// Deputies reached (met or visited) in a period, by level and region, and those not reached (P1.1).
    Reach {
        /// First day (default 1 January this year).
        #[arg(long)]
        from: Option<String>,
        /// Last day (default 31 December of that year).
        #[arg(long)]
        to: Option<String>,
    },
    /// Meetings and visits by day (P1.2); `--ics FILE` writes an iCalendar file.
    Calendar {
        /// First day (default 1 January this year).
        #[arg(long)]
        from: Option<String>,
        /// Last day (default 31 December of that year).
        #[arg(long)]
        to: Option<String>,
        /// Write the calendar as iCalendar (.ics) to this file.
        #[arg(long)]
        ics: Option<PathBuf>,
    },
    /// The audit chain.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Synthetic data for demos, tests and benchmarks.
    #[command(subcommand)]
    Demo(DemoCmd),
    /// The database: migrations, backup, restore.
    #[command(subcommand)]
    Db(DbCmd),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `liaison man > /usr/local/share/man/man1/liaison.1`.
    Man,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCmd {
    /// Create the database if needed and apply pending migrations (the service also does this on start).
    Migrate,
    /// Back up the database while it is in use (SQLite: online backup, checked; PostgreSQL: pg_dump custom
    /// format). The master key is not in the backup: keep a copy of it apart.
    Backup {
        /// The backup file to write (must not exist).
        dest: PathBuf,
    },
    /// Restore a backup as the configured database (a new SQLite file, or an empty PostgreSQL database),
    /// then verify its audit chain under the configured key.
    Restore {
        /// The backup file.
        src: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum EncodingArg {
    Utf8,
    Gbk,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FileFormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum OnDuplicateArg {
    /// Report duplicates as errors (nothing is doubled silently).
    Refuse,
    /// Update the existing record with the row's data.
    Update,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DeputyCmd {
    /// Import a register file (CSV or XLSX). All or nothing; every bad row is reported.
    Import {
        /// The file.
        file: PathBuf,
        /// CSV text encoding (Excel on Chinese Windows saves GBK).
        #[arg(long, value_enum, default_value = "utf8")]
        encoding: EncodingArg,
        /// File format (default: from the content).
        #[arg(long = "file-format", value_enum)]
        file_format: Option<FileFormatArg>,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// What to do when a row is a deputy already on the register.
        #[arg(long, value_enum, default_value = "refuse")]
        on_duplicate: OnDuplicateArg,
    },
    /// List deputies in pinyin order (contact data masked).
    List {
        /// Level: national, provincial, city, county, township (or 全国/省/市/县/乡).
        #[arg(long)]
        level: Option<String>,
        /// Status: registered, in_office, term_ended, removed.
        #[arg(long)]
        status: Option<String>,
        /// Region.
        #[arg(long)]
        region: Option<String>,
        /// Name prefix, pinyin prefix or initials (zgf).
        #[arg(long)]
        search: Option<String>,
        /// Page size.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Continue after this cursor (printed at the end of a page).
        #[arg(long)]
        cursor: Option<String>,
        /// All pages.
        #[arg(long, conflicts_with = "cursor")]
        all: bool,
    },
    /// Show one deputy; --full shows personal data (audited, roles office/officer/leader only).
    Show {
        /// Deputy id.
        id: String,
        /// Show personal data in full.
        #[arg(long)]
        full: bool,
        /// Why (recorded in the audit chain).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Register one deputy.
    Add(Box<DeputyFields>),
    /// Change a deputy's data (an empty value clears an optional field).
    Update {
        /// Deputy id.
        id: String,
        #[command(flatten)]
        patch: Box<PatchFields>,
        /// Refuse if the record is no longer at this version.
        #[arg(long)]
        expect_version: Option<u64>,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// End a deputy's term (任期届满).
    EndTerm {
        /// Deputy id.
        id: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// Refuse if the record is no longer at this version.
        #[arg(long)]
        expect_version: Option<u64>,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// A deputy leaves office early (resigned, recalled, deceased, transferred …).
    Remove {
        /// Deputy id.
        id: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// resigned, recalled, deceased, transferred, qualification_terminated, registered_in_error.
        #[arg(long)]
        why: String,
        /// Explanation (required).
        #[arg(long)]
        reason: String,
        /// Refuse if the record is no longer at this version.
        #[arg(long)]
        expect_version: Option<u64>,
    },
    /// The audit history of a deputy.
    History {
        /// Deputy id.
        id: String,
    },
}

/// A deputy's fields as flags.
#[derive(Debug, Args)]
pub(crate) struct DeputyFields {
    /// 姓名.
    #[arg(long)]
    pub(crate) name: String,
    /// 性别 (男/女).
    #[arg(long, default_value = "")]
    pub(crate) gender: String,
    /// 民族.
    #[arg(long, default_value = "")]
    pub(crate) ethnicity: String,
    /// 出生日期.
    #[arg(long, default_value = "")]
    pub(crate) birth_date: String,
    /// 身份证号.
    #[arg(long, default_value = "")]
    pub(crate) id_number: String,
    /// 代表层级.
    #[arg(long)]
    pub(crate) level: String,
    /// 届次.
    #[arg(long)]
    pub(crate) term: String,
    /// 代表团/选区.
    #[arg(long, default_value = "")]
    pub(crate) delegation: String,
    /// 所属区域.
    #[arg(long)]
    pub(crate) region: String,
    /// 工作单位.
    #[arg(long, default_value = "")]
    pub(crate) work_unit: String,
    /// 职务.
    #[arg(long, default_value = "")]
    pub(crate) position: String,
    /// 手机.
    #[arg(long, default_value = "")]
    pub(crate) mobile: String,
    /// 固定电话.
    #[arg(long, default_value = "")]
    pub(crate) landline: String,
    /// 通讯地址.
    #[arg(long, default_value = "")]
    pub(crate) address: String,
    /// 电子邮箱.
    #[arg(long, default_value = "")]
    pub(crate) email: String,
    /// 特殊身份 (、-separated).
    #[arg(long, default_value = "")]
    pub(crate) special_roles: String,
    /// 任期开始.
    #[arg(long)]
    pub(crate) term_start: String,
    /// 任期结束.
    #[arg(long, default_value = "")]
    pub(crate) term_end: String,
}

/// Changes as flags.
#[derive(Debug, Args)]
pub(crate) struct PatchFields {
    #[arg(long)]
    pub(crate) name: Option<String>,
    #[arg(long)]
    pub(crate) ethnicity: Option<String>,
    #[arg(long)]
    pub(crate) delegation: Option<String>,
    #[arg(long)]
    pub(crate) region: Option<String>,
    #[arg(long)]
    pub(crate) work_unit: Option<String>,
    #[arg(long)]
    pub(crate) position: Option<String>,
    #[arg(long)]
    pub(crate) mobile: Option<String>,
    #[arg(long)]
    pub(crate) landline: Option<String>,
    #[arg(long)]
    pub(crate) address: Option<String>,
    #[arg(long)]
    pub(crate) email: Option<String>,
    #[arg(long)]
    pub(crate) special_roles: Option<String>,
    #[arg(long)]
    pub(crate) term_end: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OrgCmd {
    /// Show the organisation.
    Show,
    /// Add a region of the jurisdiction.
    AddRegion { name: String },
    /// Add a leadership member.
    AddLeader {
        name: String,
        #[arg(long)]
        title: Option<String>,
    },
    /// Make a leader answer for a region (包片); without a leader, clear it.
    SetRegionLeader { region: String, leader: Option<String> },
    /// Add a department.
    AddDepartment { name: String },
    /// Pair a department with a delegation (对口).
    Pair { department: String, delegation: String },
    /// Let a department serve a region in automatic assignment.
    AddDepartmentRegion { department: String, region: String },
    /// Add a liaison officer.
    AddOfficer {
        name: String,
        #[arg(long)]
        department: Option<String>,
        /// A region the officer covers (repeat for several).
        #[arg(long = "region")]
        regions: Vec<String>,
    },
    /// An officer stops liaison work.
    DeactivateOfficer { officer: String },
}

#[derive(Debug, Args)]
pub(crate) struct AssignArgs {
    /// Deputy id (not with --auto).
    #[arg(required_unless_present = "auto", conflicts_with = "auto")]
    pub(crate) deputy: Option<String>,
    /// Officer name or id ("" clears).
    #[arg(long)]
    pub(crate) officer: Option<String>,
    /// Department name or id ("" clears).
    #[arg(long)]
    pub(crate) department: Option<String>,
    /// Fill every gap automatically, keeping regions and balancing loads.
    #[arg(long)]
    pub(crate) auto: bool,
    /// With --auto: report only, write nothing.
    #[arg(long, requires = "auto")]
    pub(crate) dry_run: bool,
    /// Refuse if the deputy is no longer at this version.
    #[arg(long)]
    pub(crate) expect_version: Option<u64>,
    /// Why.
    #[arg(long)]
    pub(crate) reason: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCmd {
    /// Add a user.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// admin, office, officer, leader, department, auditor, deputy (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// For a `deputy` account: the deputy's id (the account rates and reads as that deputy only).
        #[arg(long)]
        deputy: Option<String>,
        /// For a `department` account (required, and only for one): its department (name or id); it then
        /// handles only that department's items.
        #[arg(long)]
        department: Option<String>,
    },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCmd {
    /// Create an API token (printed once; only its hash is stored).
    Create {
        /// For this user (default: the acting user).
        #[arg(long)]
        user: Option<String>,
        /// What it is for.
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// Revoke a token by id.
    Revoke {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List tokens (never the tokens themselves).
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCmd {
    /// Verify the audit chain: any edit, deletion, insertion or reordering is named.
    Verify,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DemoCmd {
    /// Write a deterministic synthetic register as CSV (Chinese headers).
    Generate {
        /// How many deputies.
        #[arg(long, default_value_t = 400)]
        deputies: u64,
        /// Seed: the same seed gives the same register.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Text encoding.
        #[arg(long, value_enum, default_value = "utf8")]
        encoding: EncodingArg,
    },
}

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
    /// One-use rating links for the deputies of a publication's audience (printed once).
    BodyLinks {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
        /// The service's address, to print whole links.
        #[arg(long, default_value = "")]
        base_url: String,
    },
    /// Issue one-use feedback links for the current answer (printed once).
    Links {
        /// The suggestion: its number (2026-0001) or id.
        suggestion: String,
        /// The service's address, to print whole links (e.g. https://liaison.example.gov.cn).
        #[arg(long, default_value = "")]
        base_url: String,
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
        /// Owner department.
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
    /// A deputy's declared relation to the parties or the case (before the draw).
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
    /// Fix the pool and commit to a fresh seed (printed once: keep it for the draw), or name a public value
    /// published after today that will make the seed (`--public-source`, `--published-on`).
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
}

#[derive(Debug, Args)]
pub(crate) struct RightsArgs {
    /// A deputy's id on the register.
    #[arg(long, conflicts_with = "id_number")]
    pub(crate) deputy: Option<String>,
    /// A resident ID number (read from the LIAISON_ID_NUMBER environment variable when given as `-`, so it
    /// stays out of the shell history).
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
    /// Fix the pool and commit to a fresh seed (printed once), or name a public value published after
    /// today that will make the seed (`--public-source`, `--published-on`).
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
    /// Cancel it.
    Cancel {
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
        /// The official asked for.
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
    /// Issue a card.
    Issue {
        /// The deputy.
        #[arg(long)]
        deputy: String,
        /// The officer printed on it.
        #[arg(long)]
        officer: String,
        /// The telephone printed on it.
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
