//! The command line, as clap parses it. Raw flags become validated settings where each command runs
//! (`input.rs` for the plain values).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::output::FormatArg;

mod admin;
mod channels;
mod register;
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

pub(crate) use admin::*;
pub(crate) use channels::*;
pub(crate) use register::*;
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
    after_help = "环境变量 (environment):\n  LIAISON_DB, LIAISON_DATABASE_URL, LIAISON_USER, LIAISON_TENANT  同 --db、--database-url、--as、--tenant\n  LIAISON_NOW       以此时刻执行命令（RFC 3339，或日期 YYYY-MM-DD），用于演练与测试；init 也遵从\n                    (run the command as of this moment: rehearsals and tests; init honours it too)\n  LIAISON_CALENDAR  以此 TOML 文件替换内置的节假日安排（格式同 data/cn-holidays.toml）\n                    (replace the built-in holiday schedule with this file)\n  LIAISON_KEY       主密钥（64 位十六进制），不能写在命令行上；或 --key-file 文件、--key-file -（标准输入）\n                    (the master key: never on the command line)\n  LIAISON_ID_NUMBER, LIAISON_MOBILE, LIAISON_LANDLINE, LIAISON_ADDRESS, LIAISON_EMAIL\n                    个人信息写作 --mobile - 等时从这些变量读取（未设置时从标准输入），或 --mobile @文件\n                    (personal fields given as `-` read these, else standard input; or `@FILE`)\n  LIAISON_FULL_VIEWS, LIAISON_FULL_VIEW_WINDOW\n                    每个账户在窗口（分钟，默认 10）内可查看代表完整信息的次数（默认 20），超出即拒绝并向安全管理员告警\n                    (full views per account in the window, in minutes; beyond: refused, and an alert)"
)]
pub(crate) struct Cli {
    /// The SQLite database file (created on `init`).
    #[arg(long, global = true, env = "LIAISON_DB", default_value = "liaison.db")]
    pub(crate) db: PathBuf,
    /// A PostgreSQL database instead of the SQLite file (`postgres://user@host:5432/db`; a primary and its
    /// standbys as `postgres://user@host1:5432,host2:5432/db?target_session_attrs=read-write`, which connects
    /// to whichever accepts writes). A URL with a password only from LIAISON_DATABASE_URL, `@FILE` or `-`
    /// (standard input), never typed here.
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
    /// The procuratorate (tenant) the command acts in, by id (`liaison tenant list`): `--as` names an
    /// account of it. Default: `default`, the one `init` made.
    #[arg(long = "tenant", global = true, env = "LIAISON_TENANT", default_value = "default")]
    pub(crate) acting_tenant: String,
    /// Output format (xlsx and html: `report annual` only).
    #[arg(long, global = true, value_enum, default_value = "table")]
    pub(crate) format: FormatArg,
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
    /// The procuratorates of the deployment in a tree (province → city → county): add, place, list, and
    /// link-deputies (a deputy of two congresses, one record on each register).
    #[command(subcommand)]
    Tenant(TenantCmd),
    /// The roll-up for the level above (报备): the suggestion figures of this procuratorate and of every one
    /// below it, by deputies' level and by procuratorate level (leaders and the liaison office).
    Rollup {
        /// The year (default: this year).
        #[arg(long)]
        year: Option<i32>,
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
    /// 消息 (outgoing messages, issue 17): each message's delivery state, failed ones put back in the queue,
    /// one round of delivery.
    #[command(subcommand)]
    Message(MessageCmd),
    /// Reports (报告): the annual report to the chief procurator and the congress, in every format.
    #[command(subcommand)]
    Report(ReportCmd),
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

/// `liaison message …`.
#[derive(Debug, Subcommand)]
pub(crate) enum MessageCmd {
    /// 列出消息的发送状态（不含正文）：待发送、已发出、已送达、发送失败（附原因）。
    /// List the messages' delivery states, newest first, never their text (the office, or the system
    /// administrator).
    List {
        /// 只列发送失败的 (only the failed ones).
        #[arg(long)]
        failed: bool,
        /// 只列此状态的 (only in this state): queued, sent, delivered, failed.
        #[arg(long, conflicts_with = "failed")]
        state: Option<String>,
        /// 只列此事项的，写作 类型:编号 (only those of this item, `KIND:ID`): `suggestion:2026-0001` or
        /// `suggestion:<id>`.
        #[arg(long, value_name = "KIND:ID")]
        item: Option<String>,
        /// 最多列出条数 (at most this many; default 100).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// 重新发送一条发送失败的消息：重新排队，尝试次数清零；须写明原因，记入审计链。
    /// Put a failed message back in the queue (attempts from zero); the reason is audited with who and when.
    Retry {
        /// 消息 id (the message's id, from `message list`).
        id: String,
        /// 原因 (why; required).
        #[arg(long)]
        reason: String,
    },
    /// 立即发送一轮到期的消息（服务运行时由其后台任务发送）。
    /// Deliver the due messages once now (the service's worker does this while it runs).
    Deliver {
        /// 每条消息最多尝试次数，之后标记为发送失败 (attempts before a message is marked failed).
        #[arg(long, env = "LIAISON_MESSAGE_ATTEMPTS", default_value_t = 6)]
        attempts: u32,
    },
    /// 查看或设置联系偏好：短信、电子邮件或仅站内消息，退订非法定消息；账户的电子邮箱（加密保存）。
    /// Show or set how messages reach a person: the preference, opt-out of non-statutory messages, an
    /// account's e-mail address (sealed).
    Contact {
        /// user:登录名 或 deputy:代表 id (`user:LOGIN` or `deputy:ID`).
        subject: String,
        /// auto（有手机号发短信，否则电子邮件）、sms、email、inbox（仅站内消息）.
        #[arg(long)]
        prefer: Option<String>,
        /// 退订提醒等非法定消息（答复照常发送） (opt out of non-statutory messages: true/false).
        #[arg(long)]
        opt_out: Option<bool>,
        /// 账户的电子邮箱；空字符串删除 (an account's e-mail address; empty removes it).
        #[arg(long)]
        email: Option<String>,
    },
}

/// `liaison report …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ReportCmd {
    /// 年度报告：建议办理（按级别、部门、承办人、逐月，A–D 类，满意率与办成率）、建议和审议意见办理情况表、
    /// 联系代表、活动与公平性、案件评议、视察评议与整改、表彰、重大事项通报、经费执行、审计链头。
    /// The annual report: suggestions by level, department, handler and month; the table of every
    /// suggestion and deliberation opinion; reach; activities and fairness; reviews; inspections and
    /// rectification; commendations; notices; budget execution; the audit chain's head. `--format table`
    /// prints the ten summary numbers; json, csv (a zip of tables), xlsx (with charts) and html (printable,
    /// A4) write the whole report to `--out` (or standard output).
    #[command(
        after_help = "例 (examples):\n  liaison report annual --year 2026 --format xlsx --out 2026年度报告.xlsx\n  liaison report annual --from 2026-01-01 --to 2026-06-30 --level 县 --format html --out 上半年.html"
    )]
    Annual(AnnualArgs),
    /// 承办部门办理考评：按期答复率、首轮和最终满意率、重新办理、整改措施完成率和按权重计算的综合得分。
    /// The department scorecard: on-time rate, first-round and final satisfaction, re-handling, measures
    /// completed and the weighted score (out of 100); `--set criterion=weight` changes the weights
    /// (on_time, first_round, final, not_rehandled, measures; 0–100; audited).
    #[command(
        after_help = "例 (examples):\n  liaison report scorecard --year 2026\n  liaison report scorecard --set on_time=40 --set measures=20"
    )]
    Scorecard(ScorecardArgs),
}

/// The scorecard's period, or new weights.
#[derive(Debug, clap::Args)]
pub(crate) struct ScorecardArgs {
    /// 年份 (the year; default this year).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub(crate) year: Option<i32>,
    /// 起始日期 (first day, YYYY-MM-DD).
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// 截止日期 (last day).
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// 设定权重 (set a weight: criterion=0..100; repeat).
    #[arg(long, value_name = "CRITERION=WEIGHT")]
    pub(crate) set: Vec<String>,
}

/// The period and scope of the annual report.
#[derive(Debug, clap::Args)]
pub(crate) struct AnnualArgs {
    /// 年份 (the year; default this year).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub(crate) year: Option<i32>,
    /// 起始日期 (first day, YYYY-MM-DD).
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// 截止日期 (last day).
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// 只统计此承办部门 (one lead department, name or id).
    #[arg(long, conflicts_with_all = ["region", "level"])]
    pub(crate) department: Option<String>,
    /// 只统计此区域的代表 (one region).
    #[arg(long, conflicts_with = "level")]
    pub(crate) region: Option<String>,
    /// 只统计此级别的代表 (one level: 全国/省/市/县/乡).
    #[arg(long)]
    pub(crate) level: Option<String>,
    /// 写入此文件 (write to this file; default standard output).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}
