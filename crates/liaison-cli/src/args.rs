//! The command line, as clap parses it. Raw flags become validated settings in `main.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

mod channels;
mod rules;
mod suggestion;

/// This build: the package version, the commit and when it was built (`build/version.rs`).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LIAISON_COMMIT"),
    ", built ",
    env!("LIAISON_BUILD_TIME"),
    ")"
);

pub(crate) use channels::*;
pub(crate) use rules::*;
pub(crate) use suggestion::*;
/// liaison — 人大代表联络工作平台的运维命令行 (the operations CLI of the deputy-liaison platform).
///
/// Exit codes: 0 done; 1 refused or failed (the reason is printed); 2 usage error; 141 the reader of the
/// output closed the pipe (as for other Unix tools).
#[derive(Debug, Parser)]
#[command(
    name = "liaison",
    version = VERSION,
    propagate_version = true,
    after_help = "环境变量 (environment):\n  LIAISON_DB, LIAISON_DATABASE_URL, LIAISON_USER  同 --db、--database-url、--as\n  LIAISON_NOW       以此时刻执行命令（RFC 3339，或日期 YYYY-MM-DD），用于演练与测试；init 也遵从\n                    (run the command as of this moment: rehearsals and tests; init honours it too)\n  LIAISON_CALENDAR  以此 TOML 文件替换内置的节假日安排（格式同 data/cn-holidays.toml）\n                    (replace the built-in holiday schedule with this file)\n  LIAISON_KEY       主密钥（64 位十六进制），不能写在命令行上；或 --key-file 文件、--key-file -（标准输入）\n                    (the master key: never on the command line)\n  LIAISON_ID_NUMBER, LIAISON_MOBILE, LIAISON_LANDLINE, LIAISON_ADDRESS, LIAISON_EMAIL\n                    个人信息写作 --mobile - 等时从这些变量读取（未设置时从标准输入），或 --mobile @文件\n                    (personal fields given as `-` read these, else standard input; or `@FILE`)\n  LIAISON_FULL_VIEWS, LIAISON_FULL_VIEW_WINDOW\n                    每个账户在窗口（分钟，默认 10）内可查看代表完整信息的次数（默认 20），超出即拒绝并向安全管理员告警\n                    (full views per account in the window, in minutes; beyond: refused, and an alert)"
)]
pub(crate) struct Cli {
    /// The SQLite database file (created on `init`).
    #[arg(long, global = true, env = "LIAISON_DB", default_value = "liaison.db")]
    pub(crate) db: PathBuf,
    /// A PostgreSQL database instead of the SQLite file (`postgres://user@host:5432/db`). A URL with a
    /// password only from LIAISON_DATABASE_URL, `@FILE` or `-` (standard input), never typed here.
    #[arg(long, global = true, env = "LIAISON_DATABASE_URL", hide_env_values = true)]
    pub(crate) database_url: Option<String>,
    /// The master key file (default: `liaison.key` beside the database; created with mode 0600); `-` reads
    /// the key from standard input.
    #[arg(long, global = true, env = "LIAISON_KEY_FILE")]
    pub(crate) key_file: Option<PathBuf>,
    /// The master key as 64 hex digits, from the LIAISON_KEY environment variable only: typed on the
    /// command line (visible in `ps`) it is refused.
    #[arg(long, global = true, env = "LIAISON_KEY", hide_env_values = true, hide = true)]
    pub(crate) key: Option<String>,
    /// Which of the options above were typed on the command line.
    #[arg(skip)]
    pub(crate) typed: crate::secrets::Typed,
    /// The account the command acts as (its roles decide what is allowed; never a deputy's account).
    /// Records name it and the console's operating-system user.
    /// (Its id is not `user`: a subcommand's own `--user`, such as `token create --user`, must not set it.)
    #[arg(long = "as", global = true, env = "LIAISON_USER", default_value = "admin")]
    pub(crate) acting: String,
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
    /// Accounts: the system administrator adds them and asks for roles, the security administrator
    /// approves business roles and deputy accounts, either disables (every token stops at once).
    #[command(subcommand)]
    User(UserCmd),
    /// The role × action table: who may do what (`--markdown`: as ARCHITECTURE.md carries it).
    Roles {
        /// Print the Markdown table.
        #[arg(long)]
        markdown: bool,
    },
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
    /// Deadlines on the working-day calendar: how one is computed, and recomputing the running answer
    /// deadlines after a newer holiday schedule is loaded (LIAISON_CALENDAR).
    #[command(subcommand)]
    Deadline(DeadlineCmd),
    /// Everything that is due soon or overdue, in every workflow (suggestions, measures, inspections'
    /// rectification items, appointments, notices to acknowledge): owner, due day, days left.
    Due {
        /// Only this department's (name or id).
        #[arg(long)]
        department: Option<String>,
        /// Only this handler's (login).
        #[arg(long)]
        handler: Option<String>,
        /// Only this kind: suggestion, measure, inspection, appointment, notice, or a duty (answer,
        /// rectification, appointment_meet …).
        #[arg(long)]
        kind: Option<String>,
        /// Only what is already late.
        #[arg(long)]
        overdue: bool,
        /// Due within this many days (default: the policy's horizon).
        #[arg(long)]
        within: Option<u32>,
    },
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
    /// Print the manual page (roff), e.g. `liaison man > /usr/local/share/man/man1/liaison.1`; with `--dir`,
    /// write one page per command and subcommand there (`liaison-deputy-import.1` …).
    Man {
        /// Write every command's page into this folder instead.
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCmd {
    /// Create the database if needed and apply pending migrations (the service also does this on start).
    Migrate,
    /// Back up the database while it is in use: one consistent snapshot, written 0600 under a temporary
    /// name and renamed only when complete (SQLite: checked — integrity and audit chain — before the
    /// rename; PostgreSQL: pg_dump custom format). The master key is not in the backup: keep it apart.
    Backup {
        /// The backup file to write (must not exist).
        dest: PathBuf,
    },
    /// Restore a backup as the configured database (a new SQLite file, or an empty PostgreSQL database),
    /// then verify its audit chain under the configured key and check its state against the chain (as
    /// `liaison audit verify --state`); exit 1 when either fails (the restored database stays, for
    /// inspection).
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
    ///
    /// With --refresh, the congress's new list for the year: deputies it names are updated, new ones
    /// registered, and those of the same level and term it leaves out are listed as possibly departed
    /// (their terms end only with --end-absent). Run it with --dry-run first to see all three lists.
    #[command(after_help = liaison_app::import::columns_help())]
    Import {
        /// The file.
        file: PathBuf,
        /// CSV text encoding (default: detected; valid UTF-8 is UTF-8, otherwise GBK/GB18030, which Excel on
        /// Chinese Windows saves).
        #[arg(long, value_enum)]
        encoding: Option<EncodingArg>,
        /// File format (default: from the content).
        #[arg(long = "file-format", value_enum)]
        file_format: Option<FileFormatArg>,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// What to do when a row is a deputy already on the register.
        #[arg(long, value_enum, default_value = "refuse")]
        on_duplicate: OnDuplicateArg,
        /// Yearly refresh (年度名册核对) from the congress's new list: deputies the file names are updated
        /// (whatever --on-duplicate says), new ones registered, and deputies of the same level and term who
        /// are not in the file are listed as possibly departed (可能已离任). Nothing ends without
        /// --end-absent. Try it with --dry-run first: it shows all three lists.
        #[arg(long)]
        refresh: bool,
        /// With --refresh: end the terms of the deputies listed as possibly departed (任期届满, recorded with
        /// who, when and why). Run --refresh --dry-run first to see whom it concerns.
        #[arg(long)]
        end_absent: bool,
        /// With --end-absent: their last day in office, YYYY-MM-DD (default: today; not after today).
        #[arg(long, value_name = "DATE")]
        ended_on: Option<String>,
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
    /// Show one deputy; --full shows personal data (roles office/officer/leader only; an officer only for
    /// the deputies assigned to it and its granted regions), with --reason, recorded in the audit chain.
    /// Each account may make LIAISON_FULL_VIEWS full views (default 20) in LIAISON_FULL_VIEW_WINDOW minutes
    /// (default 10); beyond, refused, and the security administrator alerted.
    Show {
        /// Deputy id.
        id: String,
        /// Show personal data in full (needs --reason).
        #[arg(long, requires = "reason")]
        full: bool,
        /// Why the full card is viewed (required with --full: at least 4 letters or digits, a Chinese
        /// character counting as one; at most 200 characters), recorded in the audit chain.
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
    /// 身份证号: `-` (LIAISON_ID_NUMBER, else standard input) or `@FILE`, never typed here.
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
    /// 手机: `-` (LIAISON_MOBILE, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) mobile: String,
    /// 固定电话: `-` (LIAISON_LANDLINE, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) landline: String,
    /// 通讯地址: `-` (LIAISON_ADDRESS, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) address: String,
    /// 电子邮箱: `-` (LIAISON_EMAIL, else standard input) or `@FILE`, never typed here.
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
    /// 手机: `-` (LIAISON_MOBILE, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) mobile: Option<String>,
    /// 固定电话: `-` (LIAISON_LANDLINE, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) landline: Option<String>,
    /// 通讯地址: `-` (LIAISON_ADDRESS, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// 电子邮箱: `-` (LIAISON_EMAIL, else standard input) or `@FILE`, never typed here.
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
    /// Add an account (the system administrator). An administrator role (admin, security_admin, auditor)
    /// takes effect at once and is held alone; business roles (office, officer, leader, department) and a
    /// deputy's account wait for the security administrator: `liaison --as sec user approve LOGIN`.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// admin, security_admin, auditor (one, alone); or office, officer, leader, department (repeat for
        /// several); or deputy (alone, with --deputy).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// For a `deputy` account: the deputy's id (the account rates and reads as that deputy only; one
        /// account per deputy).
        #[arg(long)]
        deputy: Option<String>,
        /// For a `department` account (required, and only for one): its department (name or id); it then
        /// handles only that department's items.
        #[arg(long)]
        department: Option<String>,
        /// For an `officer` account only: the organisation's liaison officer it is (name or id). It sees in
        /// full and changes only the deputies assigned to that officer and those of its --region grants
        /// (issue 12 item 7); without either, none.
        #[arg(long)]
        officer: Option<String>,
        /// For an `officer` account only: a region whose every deputy it reaches (repeat for several).
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// An integration system's account (the case system, the congress's system), not a person's: the
        /// system administrator issues its tokens (`token create --user LOGIN`).
        #[arg(long)]
        service: bool,
    },
    /// List accounts: kind, roles in effect, roles waiting for approval, active or disabled.
    List,
    /// Approve the roles waiting on these accounts (the security administrator; never one's own request).
    Approve {
        /// Logins.
        #[arg(required = true)]
        logins: Vec<String>,
    },
    /// Reject the roles waiting on an account (the security administrator).
    Reject {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Ask for a new set of roles for an account (the system administrator); it waits for the security
    /// administrator's approval.
    Roles {
        login: String,
        /// Every role the account is to hold (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// For the `department` role: the department (name or id).
        #[arg(long)]
        department: Option<String>,
        /// For the `officer` role: the liaison officer it is (name or id; "" for none; kept when not given).
        #[arg(long)]
        officer: Option<String>,
        /// For the `officer` role: every region granted (repeat; replaces the regions held).
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// For the `officer` role: grant no region any more.
        #[arg(long, conflicts_with = "regions")]
        no_regions: bool,
    },
    /// Disable an account: every token of it stops at once (the system or the security administrator).
    Disable {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Enable a disabled account again (the security administrator); its old tokens stay revoked.
    Enable {
        login: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Issue a one-use activation code (3 days) for a person's account (the system administrator): the
    /// person redeems it for their own token with `POST /api/v1/activate`; a new code replaces the old.
    Activation { login: String },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCmd {
    /// Create an API token (printed once; only its hash is stored): your own, or an integration account's
    /// (the system administrator). A person's token is made only by that person.
    Create {
        /// For this integration account (default: yourself).
        #[arg(long)]
        user: Option<String>,
        /// What it is for.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Days it lives (default and most: the token policy's lifetime, 90 days unless changed).
        #[arg(long)]
        days: Option<u32>,
    },
    /// Revoke a token by id.
    Revoke {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Show or set the token policy (the security administrator): lifetime and idle limit in days.
    Policy {
        /// Days a token lives (1–365; default 90).
        #[arg(long, requires = "idle_days")]
        lifetime_days: Option<u32>,
        /// Days without use after which a token stops working (1 to the lifetime; default 30).
        #[arg(long, requires = "lifetime_days")]
        idle_days: Option<u32>,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCmd {
    /// Verify the audit chain: any edit, deletion, insertion or reordering is named. With `--state`, also
    /// replay every aggregate's events and compare them with the stored state; with `--checkpoint`, also
    /// that the chain still holds what a checkpoint saw (a truncation of the newest records is named).
    /// Exit 1 when anything differs.
    Verify {
        /// Also check the stored state against the chain: replay each deputy's, the organisation's and every
        /// workflow record's events and name each difference (kind, id or number, field, stored value,
        /// replayed value) — columns, sort and search keys, duplicate keys, the masked copy, the sealed
        /// personal data as far as the chain tells (it opens; which fields are set), the records' state and
        /// parties. Personal values are never shown. Reads one consistent snapshot: safe while the service
        /// runs (about 5 s per 100,000 deputies, release build).
        #[arg(long)]
        state: bool,
        /// A checkpoint written earlier by `liaison audit checkpoint`.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Write a signed checkpoint of the chain's head (tenant, last sequence number, head hash, time;
    /// HMAC-SM3 under a key derived from the master key for this use only) to a new file. Keep it apart
    /// from the database: `audit verify --checkpoint FILE` then names any later truncation.
    Checkpoint {
        /// The file to write (refused if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The tenant.
        #[arg(long, default_value = "default")]
        tenant: String,
    },
    /// List audit records, a page at a time (the audit administrator: role auditor).
    List(AuditFilterArgs),
    /// List the security alerts (`alert.*`, e.g. `alert.bulk_personal_data`: an account viewed more full
    /// cards than the limit allows in its window), a page at a time (the security administrator
    /// security_admin, or the audit administrator auditor).
    Alerts(AuditFilterArgs),
    /// Export every matching audit record as CSV for people (UTF-8 with its byte-order mark, formula-like
    /// cells neutralised), to a file or standard output (the audit administrator: role auditor).
    Export {
        #[command(flatten)]
        filter: AuditFilterArgs,
        /// The file to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Which audit records (every filter given must hold).
#[derive(Debug, Args)]
pub(crate) struct AuditFilterArgs {
    /// A kind (deputy.registered), or every kind under a prefix ending in a dot (access.).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// The acting account: login, user id or recorded name.
    #[arg(long)]
    pub(crate) actor: Option<String>,
    /// From this day (YYYY-MM-DD, China time) or moment (RFC 3339).
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// To this day (inclusive) or before this moment.
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// The aggregate: its id, or its type (deputy, suggestion, access …).
    #[arg(long)]
    pub(crate) aggregate: Option<String>,
    /// The cursor a previous page printed (list only).
    #[arg(long)]
    pub(crate) cursor: Option<String>,
    /// Page size, 1–1000 (list only).
    #[arg(long, default_value_t = 100)]
    pub(crate) limit: u32,
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

/// Deadlines on the working-day calendar.
#[derive(Debug, Subcommand)]
pub(crate) enum DeadlineCmd {
    /// How a deadline of a period from a day is computed: due day, days skipped, years assumed.
    Explain {
        /// The day the period runs from (not counted).
        #[arg(long)]
        from: String,
        /// The period: 3m (months) or 20d (working days).
        #[arg(long)]
        period: String,
    },
    /// Recompute the running answer deadlines on the calendar in force (each change recorded on its item).
    Recompute {
        /// List the changes and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}
