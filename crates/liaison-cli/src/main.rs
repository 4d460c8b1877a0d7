//! `liaison`: the operations command line. It parses arguments, calls the use-case façade and renders the
//! result; it holds no rules and speaks no SQL.

mod accounts;
mod args;
mod audit;
mod channels;
mod output;
mod rules;
mod secrets;
mod suggestion;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use liaison_app::import::{Encoding, FileFormat, ImportOptions, ImportReport, OnDuplicate};
use liaison_app::refresh::RefreshOptions;
use liaison_app::registry_input::DeputyPatchInput;
use liaison_app::{App, AppError, Config, DeputyFilter, OrgInput, Principal};
use liaison_core::Localized;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{DeputyInput, RemovalReason, parse_date};

use args::*;
use output::Format;

/// The exit status when the reader of our output went away (`liaison deputy list | head`), as for other
/// Unix tools stopped by SIGPIPE (128 + 13).
const BROKEN_PIPE: u8 = 141;

/// A reader that stops early closes the pipe and `println!` panics: stop quietly with [`BROKEN_PIPE`]
/// instead of printing a panic report. Output is printed only after a command has finished its work, so
/// nothing is left half-done.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(i32::from(BROKEN_PIPE));
        }
        default(info);
    }));
}

/// Whether a failure is only the reader of our output having gone away: a write to standard output that
/// did not go through `println!` (CSV, files streamed to stdout) returns the broken pipe as an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let io =
            cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<csv::Error>() {
                Some(c) => match c.kind() {
                    csv::ErrorKind::Io(io) => Some(io),
                    _ => None,
                },
                None => None,
            });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    cli.typed = secrets::Typed::of(&matches);
    let lang = cli.lang.clone();
    let fmt = cli.format;
    output::set_language(&lang);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::from(BROKEN_PIPE),
        Err(e) => {
            match e.downcast_ref::<AppError>() {
                // A script asking for JSON gets the refused report on standard output, as it gets an
                // accepted one (the exit code says which).
                Some(AppError::ImportRefused(r)) if fmt == Format::Json => {
                    if let Err(e) = output::object(fmt, r) {
                        eprintln!("{e:#}");
                    }
                    import_errors(&lang, r);
                }
                Some(AppError::ImportRefused(r)) => import_errors(&lang, r),
                Some(app) => {
                    eprintln!(
                        "{}：{}",
                        if lang.starts_with("en") { "error" } else { "错误" },
                        app.message(&lang)
                    );
                    use liaison_app::ErrorKind as K;
                    if matches!(app.kind(), K::Internal | K::Unavailable | K::StorageFull) {
                        // The operator at the console may see what failed (the HTTP API never says).
                        eprintln!("  ({app})");
                    }
                    for f in app.field_errors() {
                        // The field by its label, as the message above names it, never by its key.
                        if lang.starts_with("en") {
                            eprintln!("  - {}: {}", f.field.replace('_', " "), f.message_en);
                        } else {
                            let label = match liaison_core::error::field_zh(&f.field) {
                                "字段" => f.field.as_str(),
                                zh => zh,
                            };
                            eprintln!("  - {label}：{}", f.message_zh);
                        }
                    }
                }
                None => eprintln!("{}: {e:#}", if lang.starts_with("en") { "error" } else { "错误" }),
            }
            ExitCode::from(1)
        }
    }
}

fn import_errors(lang: &str, r: &ImportReport) {
    let en = lang.starts_with("en");
    let (problems, bad, rows) = (r.errors.len(), r.rows_with_errors(), r.rows);
    if en {
        eprintln!("import refused: {problems} problem(s) in {bad} of {rows} row(s); nothing was written");
    } else {
        eprintln!("导入被拒绝：共 {rows} 行，其中 {bad} 行有 {problems} 处问题，未写入任何数据");
    }
    if !r.ignored_columns.is_empty() {
        if en {
            eprintln!("  unused columns: {}", r.ignored_columns.join(", "));
        } else {
            eprintln!("  未使用的列：{}", r.ignored_columns.join("、"));
        }
    }
    for e in &r.errors {
        let col = e.column.as_deref().map(|c| format!("「{c}」")).unwrap_or_default();
        let msg = if en { &e.message_en } else { &e.message_zh };
        if en {
            eprintln!("  row {} {col}: {msg}", e.row);
        } else {
            eprintln!("  第 {} 行{col}：{msg}", e.row);
        }
    }
}

/// A file that cannot be read, said in Chinese with the English after it (never the OS's English alone
/// inside a Chinese sentence).
fn read_error(file: &std::path::Path, e: &std::io::Error) -> anyhow::Error {
    let (zh, en) = match e.kind() {
        std::io::ErrorKind::NotFound => ("文件不存在", "no such file"),
        std::io::ErrorKind::PermissionDenied => ("没有读取该文件的权限", "permission denied"),
        std::io::ErrorKind::IsADirectory => ("这是一个目录，不是文件", "it is a directory"),
        _ => ("无法读取该文件", "cannot read it"),
    };
    anyhow::anyhow!("无法读取文件 {}：{zh}（{en}）", file.display())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().build()?)
}

fn config(cli: &Cli) -> anyhow::Result<Config> {
    secrets::config(cli)
}

fn open(cli: &Cli) -> anyhow::Result<App> {
    let config = config(cli)?;
    if config.database_url.is_none() && !cli.db.exists() {
        anyhow::bail!(
            "找不到数据库 {}：请先运行 `liaison init`（no database at {}: run `liaison init` first）",
            cli.db.display(),
            cli.db.display()
        );
    }
    with_environment(App::open(&config)?)
}

/// Write the page of `cmd` (named `name`, e.g. `liaison-deputy-import`) and of each of its subcommands into
/// `dir`; the number of pages written.
fn man_pages(cmd: &clap::Command, name: &str, dir: &std::path::Path) -> anyhow::Result<usize> {
    let page = cmd.clone().name(name.to_owned());
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    std::fs::write(dir.join(format!("{name}.1")), out)?;
    let mut n = 1;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        n += man_pages(sub, &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(n)
}

/// One break of the audit chain, for a person: tenant, sequence, kind, record and what is wrong.
/// The state check's findings, one line per difference.
fn print_state(s: &liaison_app::StateReport) {
    if s.ok() {
        println!(
            "状态核对：{} 个聚合、{} 个事件，存储状态与事件重放一致（用时 {:.1} 秒）。",
            s.aggregates,
            s.events,
            s.millis as f64 / 1000.0
        );
        return;
    }
    for d in &s.differences {
        let who = d.number.as_ref().map_or_else(|| d.id.clone(), |n| format!("{n}（{}）", d.id));
        println!(
            "状态不一致：租户 {} {} {}：{} 存储为「{}」，按事件应为「{}」",
            d.tenant, d.kind, who, d.field, d.stored, d.replayed
        );
    }
}

fn state_result(s: &liaison_app::StateReport) -> anyhow::Result<()> {
    if s.ok() {
        Ok(())
    } else {
        anyhow::bail!(
            "状态核对失败：{n} 处与事件不一致（stored state differs from its events at {n} place(s)）",
            n = s.differences.len()
        )
    }
}

pub(crate) fn chain_break(b: &liaison_app::audit::Break) -> String {
    format!("审计链断裂：租户 {} 第 {} 条（{}，{}）：{}", b.tenant, b.seq, b.kind, b.id, b.problem.describe())
}

/// The working-day calendar in force: the built-in schedule, or `LIAISON_CALENDAR`.
fn calendar_in_force() -> anyhow::Result<liaison_core::calendar::WorkCalendar> {
    match std::env::var("LIAISON_CALENDAR") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).with_context(|| format!("读取节假日安排 {path}"))?;
            Ok(liaison_app::calendar::from_toml(&text)?)
        }
        Err(_) => Ok(liaison_app::calendar::official()?),
    }
}

/// The environment's settings every command honours, `init` included: `LIAISON_CALENDAR` (a newer holiday
/// schedule) and `LIAISON_NOW` (a rehearsal year).
fn with_environment(mut app: App) -> anyhow::Result<App> {
    if let Ok(path) = std::env::var("LIAISON_CALENDAR") {
        let text = std::fs::read_to_string(&path).with_context(|| format!("读取节假日安排 {path}"))?;
        app = app.with_calendar(liaison_app::calendar::from_toml(&text)?);
    }
    if let Ok(now) = std::env::var("LIAISON_NOW") {
        let at = now_from(&now)?;
        app = app.with_clock(Arc::new(move || at));
    }
    // The limit of full views per account (issue 12 item 7), as the server takes it.
    let number = |name: &str, default: u32| -> anyhow::Result<u32> {
        match std::env::var(name) {
            Ok(v) => v.trim().parse().with_context(|| format!("{name} 须为正整数 (a whole number): {v}")),
            Err(_) => Ok(default),
        }
    };
    let d = liaison_core::scope::BulkViewLimit::default();
    let limit = liaison_core::scope::BulkViewLimit::new(
        number("LIAISON_FULL_VIEWS", d.max_views)?,
        number("LIAISON_FULL_VIEW_WINDOW", d.window_minutes)?,
    )
    .map_err(|(field, e)| {
        let name = if field == "max_views" { "LIAISON_FULL_VIEWS" } else { "LIAISON_FULL_VIEW_WINDOW" };
        anyhow::anyhow!("{name}：{}（{e}）", liaison_core::Localized::zh(&e))
    })?;
    Ok(app.with_bulk_view_limit(limit))
}

/// `LIAISON_NOW`: run the command as of this moment (RFC 3339, or a date taken at 09:00 China time), for
/// rehearsals and tests. The audit records carry that moment; the store refuses one earlier than the last
/// recorded change, so nothing can be backdated this way.
fn now_from(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    liaison_app::rehearsal_moment(s)
        .ok_or_else(|| anyhow::anyhow!("LIAISON_NOW 不是时间（RFC 3339）或日期：{s}"))
}

/// `--from`/`--to`, defaulting to the current year (China time).
fn year_range(
    app: &App,
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    let today = liaison_core::meta::china_date(app.now());
    let from = match from {
        Some(f) => date("from", f)?,
        None => chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).context("from")?,
    };
    let to = match to {
        Some(t) => date("to", t)?,
        None => chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&from), 12, 31).context("to")?,
    };
    Ok((from, to))
}

/// A text argument, or the contents of a file when it starts with `@`.
fn text_arg(s: &str) -> anyhow::Result<String> {
    match s.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("读取文件 {path}")),
        None => Ok(s.to_owned()),
    }
}

/// The account the command acts as (`--as`), never a deputy's; its records name the console and the
/// operating-system user running it.
fn principal(app: &App, cli: &Cli) -> anyhow::Result<Principal> {
    let os_user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).ok();
    Ok(app.console_principal(&liaison_store_tenant(), &cli.acting, os_user.as_deref())?)
}

fn liaison_store_tenant() -> liaison_core::ids::TenantId {
    liaison_app::default_tenant()
}

fn deputy_id(s: &str) -> anyhow::Result<DeputyId> {
    DeputyId::parse(s).with_context(|| format!("不是有效的代表 id：{s}"))
}

fn date(field: &str, s: &str) -> anyhow::Result<chrono::NaiveDate> {
    parse_date(s).map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new(field, &e)]).into())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let fmt = cli.format;
    match &cli.command {
        Command::Init { name } => {
            let app = with_environment(App::open(&config(&cli)?)?)?;
            let rt = runtime()?;
            let created = rt.block_on(app.bootstrap(name))?;
            match created {
                Some(b) => {
                    println!("已初始化数据库 {}，系统管理员 admin。", app.store().describe());
                    println!("系统管理员令牌（只显示这一次，请妥善保存）：");
                    println!("{}", b.admin_token.token);
                    eprintln!(
                        "下一步（三员分立）：liaison user add sec --name 安全管理员 --role security_admin；\
                         liaison user add audit --name 审计管理员 --role auditor；业务账户的角色由安全管理员批准。"
                    );
                }
                None => println!(
                    "数据库 {} 已初始化；令牌不会再次显示，如需新令牌请运行 `liaison token create`。",
                    app.store().describe()
                ),
            }
            Ok(())
        }
        Command::Demo(DemoCmd::Generate { deputies, seed, out, encoding }) => {
            let enc = match encoding {
                EncodingArg::Utf8 => Encoding::Utf8,
                EncodingArg::Gbk => Encoding::Gbk,
            };
            let rows = liaison_app::demo::generate(*deputies, *seed);
            let n = match out {
                Some(p) => {
                    let mut f = std::io::BufWriter::new(std::fs::File::create(p)?);
                    liaison_app::demo::write_csv(rows, &mut f, enc)?
                }
                None => liaison_app::demo::write_csv(rows, &mut std::io::stdout().lock(), enc)?,
            };
            if out.is_some() {
                eprintln!("已生成 {n} 位虚构代表。");
            }
            Ok(())
        }
        Command::Deadline(DeadlineCmd::Explain { from, period }) => {
            let x = liaison_app::explain_deadline(&calendar_in_force()?, from, period)?;
            if fmt == Format::Table {
                println!("{}", if output::english() { &x.note_en } else { &x.note_zh });
                return Ok(());
            }
            output::object(fmt, &x)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "liaison", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script)?;
            Ok(())
        }
        Command::Lottery(LotteryCmd::Verify { file: Some(file), .. }) => {
            let text = std::fs::read_to_string(file).with_context(|| format!("读取 {}", file.display()))?;
            let v = liaison_app::verify_published(&text).with_context(|| format!("{}", file.display()))?;
            print_verification(fmt, &v)
        }
        Command::Man { dir: None } => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Man { dir: Some(dir) } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            cmd.build();
            std::fs::create_dir_all(dir).with_context(|| format!("创建 {}", dir.display()))?;
            let n = man_pages(&cmd, "liaison", dir)?;
            println!("已写入 {n} 页手册到 {}。", dir.display());
            Ok(())
        }
        Command::Db(DbCmd::Migrate) => {
            let app = with_environment(App::open(&config(&cli)?)?)?;
            let up = runtime()?.block_on(app.upgrade_accounts())?;
            println!("数据库 {} 已是最新结构（版本 {}）。", app.store().describe(), app.schema_version()?);
            print_upgrade(&up);
            Ok(())
        }
        Command::Roles { markdown } => accounts::roles(fmt, *markdown),
        Command::Db(DbCmd::Backup { dest }) => {
            let app = open(&cli)?;
            let checked = app.backup(dest)?;
            match &checked {
                Some(r) if !r.ok() => {
                    for b in &r.breaks {
                        eprintln!("{}", chain_break(b));
                    }
                    anyhow::bail!(
                        "已备份到 {d}（完整副本，权限 0600），但其审计链有 {n} 处断裂，与数据库相同；请运行 `liaison audit verify`（backup written to {d}, but its audit chain has {n} break(s), as the database has）",
                        d = dest.display(),
                        n = r.breaks.len()
                    );
                }
                Some(r) => println!(
                    "已备份到 {}（一致快照，权限 0600；完整性检查通过，审计链完整，{} 条记录）。",
                    dest.display(),
                    r.records
                ),
                None => println!("已备份到 {}（pg_dump 自定义格式，权限 0600）。", dest.display()),
            }
            println!("密钥不在备份中：请另行妥善保管密钥文件。");
            Ok(())
        }
        Command::Db(DbCmd::Restore { src }) => {
            let (app, report) = App::restore(&config(&cli)?, src)?;
            if !report.ok() {
                for b in &report.breaks {
                    eprintln!("{}", chain_break(b));
                }
                anyhow::bail!(
                    "已恢复到 {}，但审计链校验失败：{} 处断裂",
                    app.store().describe(),
                    report.breaks.len()
                );
            }
            println!("已恢复到 {}，审计链完整（{} 条记录）。", app.store().describe(), report.records);
            // The drill's second half: what was restored is what its events say.
            let state = app.verify_state()?;
            print_state(&state);
            state_result(&state)
        }
        Command::Audit(AuditCmd::Verify { state, checkpoint: None }) => {
            let app = open(&cli)?;
            let r = app.verify_audit()?;
            let state = state.then(|| app.verify_state()).transpose()?;
            if fmt == Format::Json {
                #[derive(serde::Serialize)]
                struct Both<'a> {
                    #[serde(flatten)]
                    chain: &'a liaison_app::audit::VerifyReport,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    state: Option<&'a liaison_app::StateReport>,
                }
                output::object(fmt, &Both { chain: &r, state: state.as_ref() })?;
            } else if r.ok() {
                println!("审计链完整：共 {} 条记录。", r.records);
                for (t, seq, head) in &r.heads {
                    println!("  租户 {t}：最后序号 {seq}，链头 {head}");
                }
            } else {
                for b in &r.breaks {
                    println!("{}", chain_break(b));
                }
            }
            if let Some(s) = &state
                && fmt != Format::Json
            {
                print_state(s);
            }
            if !r.ok() {
                anyhow::bail!(
                    "审计链校验失败：{} 处断裂（audit chain broken at {} record(s)）",
                    r.breaks.len(),
                    r.breaks.len()
                )
            }
            state.as_ref().map_or(Ok(()), state_result)
        }
        Command::Audit(cmd @ (AuditCmd::Verify { .. } | AuditCmd::Checkpoint { .. })) => {
            audit::console(&open(&cli)?, cmd, fmt)
        }
        _ => {
            let app = open(&cli)?;
            let p = principal(&app, &cli)?;
            let rt = runtime()?;
            dispatch(&cli, &app, &p, &rt, fmt)
        }
    }
}

/// What the upgrade of accounts from before the separation changed, if anything.
fn print_upgrade(up: &liaison_app::AccountUpgrade) {
    if !up.roles_cut.is_empty() {
        println!(
            "三员分立：账户 {} 只保留其管理员角色（业务角色已移除，另建业务账户）。",
            up.roles_cut.join("、")
        );
    }
    if !up.disabled.is_empty() {
        println!("一名代表一个账户：已停用重复的代表账户 {}。", up.disabled.join("、"));
    }
    if up.tokens_dated > 0 {
        println!("{} 个旧令牌已按令牌策略设定有效期。", up.tokens_dated);
    }
}

fn dispatch(
    cli: &Cli,
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
) -> anyhow::Result<()> {
    match &cli.command {
        Command::Deputy(cmd) => deputy(app, p, rt, fmt, cmd),
        Command::Suggestion(cmd) => suggestion::suggestion(app, p, rt, fmt, cmd),
        Command::Measure(cmd) => suggestion::measure(app, p, rt, fmt, cmd),
        Command::Deliberation(cmd) => suggestion::deliberation(app, p, rt, fmt, cmd),
        Command::Notice(cmd) => rules::notice(app, p, rt, fmt, cmd),
        Command::Plan(cmd) => rules::plan(app, p, rt, fmt, cmd),
        Command::Meeting(cmd) => rules::meeting(app, p, rt, fmt, cmd),
        Command::Inspection(cmd) => rules::inspection(app, p, rt, fmt, cmd),
        Command::Rights(a) => channels::rights(app, p, rt, fmt, a),
        Command::Lottery(LotteryCmd::Verify { id, .. }) => {
            let id = id.as_deref().unwrap_or_default();
            let v = match app.verify_draw(p, id) {
                Err(AppError::NotFound { .. }) => app.verify_activity_draw(p, id)?,
                other => other?,
            };
            print_verification(fmt, &v)
        }
        Command::Hotline(cmd) => channels::hotline(app, p, rt, fmt, cmd),
        Command::Card(cmd) => channels::card(app, p, rt, fmt, cmd),
        Command::Service(cmd) => channels::service(app, p, rt, fmt, cmd),
        Command::Solicit(cmd) => channels::solicit(app, p, rt, fmt, cmd),
        Command::Supervisor(cmd) => channels::supervisor(app, p, rt, fmt, cmd),
        Command::Appointment(cmd) => channels::appointment(app, p, rt, fmt, cmd),
        Command::Budget(b) => channels::budget(app, p, rt, fmt, b),
        Command::Deadline(DeadlineCmd::Recompute { dry_run }) => {
            let changes = rt.block_on(app.recompute_deadlines(p, *dry_run))?;
            if fmt == Format::Table {
                if changes.is_empty() {
                    println!("没有需要重新计算的答复期限。");
                }
                for c in &changes {
                    println!(
                        "{} {}：{} → {}{}",
                        c.number.as_deref().unwrap_or(""),
                        c.title,
                        c.from,
                        c.to,
                        if *dry_run { "（预演，未写入）" } else { "" }
                    );
                }
                return Ok(());
            }
            output::list(fmt, &changes)
        }
        Command::Due { department, handler, kind, overdue, within } => {
            let f = liaison_app::DueFilter {
                department: department.clone(),
                handler: handler.clone(),
                kind: kind.clone(),
                overdue_only: *overdue,
                within_days: *within,
            };
            output::list(fmt, &app.due(p, &f)?)
        }
        Command::Fairness { from, to } => {
            let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
            let f = app.fairness(p, from, to)?;
            if fmt != Format::Table {
                return output::object(fmt, &f);
            }
            println!(
                "{from} 至 {to}：抽中 {} 人次，实际参加 {} 人次；参加次数基尼系数 {}.{:03}",
                f.seats_drawn,
                f.participations,
                f.gini_permille / 1000,
                f.gini_permille % 1000
            );
            if f.cancelled_draws > 0 {
                println!("已确定抽签池后取消的活动：{} 次", f.cancelled_draws);
            }
            for l in &f.by_level {
                println!(
                    "  {}：在任 {} 人，抽中过 {} 人，参加过 {} 人（{}.{}%）",
                    l.level.zh(),
                    l.deputies,
                    l.drawn,
                    l.attended,
                    l.permille / 10,
                    l.permille % 10
                );
            }
            Ok(())
        }
        Command::Activity(cmd) => channels::activity(app, p, rt, fmt, cmd),
        Command::Review(cmd) => rules::review(app, p, rt, fmt, cmd),
        Command::Commendation(cmd) => rules::commendation(app, p, rt, fmt, cmd),
        Command::Visit(v) => rules::visit(app, p, rt, fmt, v),
        Command::Reach { from, to } => {
            let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
            output::reach(fmt, &app.reach_report(p, from, to)?)
        }
        Command::Calendar { from, to, ics } => {
            let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
            if let Some(path) = ics {
                std::fs::write(path, app.liaison_ics(p, from, to)?)?;
                println!("已写入 {}。", path.display());
                return Ok(());
            }
            output::list(fmt, &app.liaison_calendar(p, from, to)?)
        }
        Command::Org(cmd) => {
            let input = match cmd {
                OrgCmd::Show => return output::object(fmt, &app.organisation(p)?),
                OrgCmd::AddRegion { name } => OrgInput::AddRegion { name: name.clone() },
                OrgCmd::AddLeader { name, title } => {
                    OrgInput::AddLeader { name: name.clone(), title: title.clone() }
                }
                OrgCmd::SetRegionLeader { region, leader } => {
                    OrgInput::SetRegionLeader { region: region.clone(), leader: leader.clone() }
                }
                OrgCmd::AddDepartment { name } => OrgInput::AddDepartment { name: name.clone() },
                OrgCmd::Pair { department, delegation } => OrgInput::PairDelegation {
                    department: department.clone(),
                    delegation: delegation.clone(),
                },
                OrgCmd::AddDepartmentRegion { department, region } => {
                    OrgInput::AddDepartmentRegion { department: department.clone(), region: region.clone() }
                }
                OrgCmd::AddOfficer { name, department, regions } => OrgInput::AddOfficer {
                    name: name.clone(),
                    department: department.clone(),
                    regions: regions.clone(),
                },
                OrgCmd::DeactivateOfficer { officer } => {
                    OrgInput::DeactivateOfficer { officer: officer.clone() }
                }
            };
            let org = rt.block_on(app.change_organisation(p, input, None, None))?;
            if fmt == Format::Table {
                println!(
                    "已更新（版本 {}）：{} 个区域，{} 名院领导，{} 个部门，{} 名联络员。",
                    org.version,
                    org.regions.len(),
                    org.leaders.len(),
                    org.departments.len(),
                    org.officers.len()
                );
                Ok(())
            } else {
                output::object(fmt, &org)
            }
        }
        Command::Assign(a) => {
            if a.auto {
                let r = rt.block_on(app.auto_assign(p, a.dry_run, a.reason.clone()))?;
                if fmt == Format::Table {
                    println!(
                        "{}分配联络员 {} 人（其中 {} 人所在区域无联络员，已分配给其他区域），对口部门 {} 人；仍无联络员 {} 人，仍无部门 {} 人。",
                        if r.dry_run { "试运行，未写入：将" } else { "已" },
                        r.officers_assigned,
                        r.officers_outside_region,
                        r.departments_assigned,
                        r.without_officer,
                        r.without_department
                    );
                    println!(
                        "联络员负担：{} 名联络员，最多 {} 人，最少 {} 人。",
                        r.officers, r.max_load, r.min_load
                    );
                    return Ok(());
                }
                return output::object(fmt, &r);
            }
            let id = deputy_id(a.deputy.as_deref().unwrap_or_default())?;
            let d = rt.block_on(app.assign(
                p,
                id,
                a.officer.clone(),
                a.department.clone(),
                a.expect_version,
                a.reason.clone(),
            ))?;
            output::object_named(fmt, &d, &org_names(app, p))
        }
        Command::Coverage => output::coverage(fmt, &app.coverage(p)?),
        Command::User(cmd) => accounts::user(app, p, rt, fmt, cmd),
        Command::Token(cmd) => accounts::token(app, p, rt, fmt, cmd),
        Command::Audit(cmd) => audit::trail(app, p, fmt, cmd),
        Command::Init { .. }
        | Command::Roles { .. }
        | Command::Demo(_)
        | Command::Db(_)
        | Command::Completions { .. }
        | Command::Deadline(DeadlineCmd::Explain { .. })
        | Command::Man { .. } => Ok(()),
    }
}

fn deputy(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &DeputyCmd,
) -> anyhow::Result<()> {
    match cmd {
        DeputyCmd::Import {
            file,
            encoding,
            file_format,
            dry_run,
            on_duplicate,
            refresh,
            end_absent,
            ended_on,
        } => {
            let refresh = RefreshOptions::from_flags(*refresh, *end_absent, ended_on.as_deref())?;
            let bytes = std::fs::read(file).map_err(|e| read_error(file, &e))?;
            let opts = ImportOptions {
                format: file_format.map(|f| match f {
                    FileFormatArg::Csv => FileFormat::Csv,
                    FileFormatArg::Xlsx => FileFormat::Xlsx,
                }),
                encoding: encoding.map(|e| match e {
                    EncodingArg::Utf8 => Encoding::Utf8,
                    EncodingArg::Gbk => Encoding::Gbk,
                }),
                dry_run: *dry_run,
                on_duplicate: match on_duplicate {
                    OnDuplicateArg::Refuse => OnDuplicate::Refuse,
                    OnDuplicateArg::Update => OnDuplicate::Update,
                },
                refresh,
            };
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} 导入 {bar:40} {percent}%（核对，再分批写入；剩余 {eta}）",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let b2 = bar.clone();
            let progress: liaison_app::import::Progress = Arc::new(move |done, total| {
                b2.set_length(total);
                b2.set_position(done);
            });
            let r = rt.block_on(app.import_deputies(p, &bytes, &opts, Some(progress)));
            bar.finish_and_clear();
            output::import_report(fmt, &r?, file)
        }
        DeputyCmd::List { level, status, region, search, limit, cursor, all } => {
            let filter = DeputyFilter {
                level: level.clone(),
                status: status.clone(),
                region: region.clone(),
                officer: None,
                q: search.clone(),
            };
            let mut page = app.deputies(p, &filter, cursor.as_deref(), *limit)?;
            let mut items = std::mem::take(&mut page.items);
            while *all && let Some(c) = page.next_cursor.take() {
                page = app.deputies(p, &filter, Some(&c), *limit)?;
                items.append(&mut page.items);
            }
            output::list(fmt, &items)?;
            if let Some(c) = page.next_cursor
                && fmt == Format::Table
            {
                eprintln!("下一页：--cursor {c}");
            }
            Ok(())
        }
        DeputyCmd::Show { id, full, reason } => {
            let id = deputy_id(id)?;
            if *full {
                output::object_named(
                    fmt,
                    &rt.block_on(app.deputy_full(p, id, reason.clone()))?,
                    &org_names(app, p),
                )
            } else {
                output::object_named(fmt, &app.deputy(p, id)?, &org_names(app, p))
            }
        }
        DeputyCmd::Add(f) => {
            // Personal values from the environment, a file or standard input, in `secrets::FIELDS` order.
            let [id_number, mobile, landline, address, email] = &secrets::FIELDS;
            let personal =
                |(flag, zh, env): &(&str, &str, &str), v: &str| secrets::personal(flag, zh, env, v);
            let id_number = personal(id_number, &f.id_number)?;
            let mobile = personal(mobile, &f.mobile)?;
            let landline = personal(landline, &f.landline)?;
            let address = personal(address, &f.address)?;
            let email = personal(email, &f.email)?;
            let input = DeputyInput {
                name: f.name.clone(),
                gender: f.gender.clone(),
                ethnicity: f.ethnicity.clone(),
                birth_date: f.birth_date.clone(),
                id_number,
                level: f.level.clone(),
                term: f.term.clone(),
                delegation: f.delegation.clone(),
                region: f.region.clone(),
                work_unit: f.work_unit.clone(),
                position: f.position.clone(),
                mobile,
                landline,
                address,
                email,
                special_roles: f.special_roles.clone(),
                term_start: f.term_start.clone(),
                term_end: f.term_end.clone(),
            };
            output::object_named(
                fmt,
                &rt.block_on(app.register_deputy(p, input, None, None))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::Update { id, patch, expect_version, reason } => {
            let personal = |(flag, zh, env): &(&str, &str, &str), v: Option<&String>| {
                secrets::personal_opt(flag, zh, env, v)
            };
            let input = DeputyPatchInput {
                name: patch.name.clone(),
                ethnicity: patch.ethnicity.clone(),
                delegation: patch.delegation.clone(),
                region: patch.region.clone(),
                work_unit: patch.work_unit.clone(),
                position: patch.position.clone(),
                mobile: personal(&secrets::FIELDS[1], patch.mobile.as_ref())?,
                landline: personal(&secrets::FIELDS[2], patch.landline.as_ref())?,
                address: personal(&secrets::FIELDS[3], patch.address.as_ref())?,
                email: personal(&secrets::FIELDS[4], patch.email.as_ref())?,
                special_roles: patch.special_roles.clone(),
                term_end: patch.term_end.clone(),
            };
            output::object_named(
                fmt,
                &rt.block_on(app.update_deputy(p, deputy_id(id)?, *expect_version, &input, reason.clone()))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::EndTerm { id, date: d, expect_version, reason } => {
            let d = date("date", d)?;
            output::object_named(
                fmt,
                &rt.block_on(app.end_term(p, deputy_id(id)?, *expect_version, d, reason.clone()))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::Remove { id, date: d, why, reason, expect_version } => {
            let d = date("date", d)?;
            let why = RemovalReason::parse(why)
                .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new("why", &e)]))?;
            output::object_named(
                fmt,
                &rt.block_on(app.remove_deputy(
                    p,
                    deputy_id(id)?,
                    *expect_version,
                    d,
                    why,
                    Some(reason.clone()),
                ))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::History { id } => {
            let h = app.deputy_history(p, deputy_id(id)?)?;
            if fmt == Format::Json { output::object(fmt, &h) } else { output::list(fmt, &h) }
        }
    }
}

/// The names of the organisation's officers, leaders and departments by id, so that a deputy's officer and
/// department are shown by name (nothing when the organisation cannot be read).
fn org_names(app: &App, p: &Principal) -> Vec<(String, String)> {
    let Ok(o) = app.organisation(p) else { return Vec::new() };
    let officers = o.officers.iter().map(|x| (x.id.to_string(), x.name.clone()));
    let leaders = o.leaders.iter().map(|x| (x.id.to_string(), x.name.clone()));
    let departments = o.departments.iter().map(|x| (x.id.to_string(), x.name.clone()));
    officers.chain(leaders).chain(departments).collect()
}

/// What `prepare` fixed: the pool's size and fingerprint, and the seed's commitment (the seed itself once,
/// on standard output) or the public value that will make it.
fn print_prepared(d: Option<&liaison_core::lottery::DrawRecord>, seed: Option<&str>) {
    let Some(d) = d else { return };
    let pool: usize = d.strata.iter().map(|s| s.candidates.len()).sum();
    println!("抽签池 {pool} 人，名额 {}，指纹 {}", d.seats(), d.fingerprint);
    for i in d.inclusion() {
        let pct = liaison_core::ratio::permille(i.numerator, i.denominator).unwrap_or(0);
        println!(
            "  {}：{} 人，每人入选概率 {}/{}（{}.{}%）",
            output::stratum_zh(&i.stratum),
            i.candidates,
            i.numerator,
            i.denominator,
            pct / 10,
            pct % 10
        );
    }
    match &d.promise {
        liaison_core::lottery::SeedPromise::Committed { commitment, reason } => {
            println!("随机种子承诺（已记录）：{commitment}");
            if let Some(r) = reason {
                println!("使用保密种子的理由（已记录，随抽签结果公布）：{r}");
            }
            if let Some(seed) = seed {
                eprintln!("随机种子（只显示这一次，抽签时公布）：");
                println!("{seed}");
            }
        }
        liaison_core::lottery::SeedPromise::Public { source, published_on } => {
            println!(
                "随机种子来源（已记录）：{source}，{published_on} 公布；届时以 --public-value 给出公布的数值抽签"
            );
        }
    }
}

/// Print a verification; refused (exit 1) unless it holds.
fn print_verification(fmt: Format, v: &liaison_app::DrawVerification) -> anyhow::Result<()> {
    if fmt == Format::Table {
        println!("抽签池指纹：{}", if v.fingerprint_matches { "一致" } else { "不一致" });
        let promise = if v.seed_source == "public" {
            "随机种子与指定公开数据"
        } else {
            "随机种子承诺"
        };
        println!("{promise}：{}", if v.commitment_matches { "一致" } else { "不一致" });
        println!(
            "重算结果：{}（{}）",
            v.recomputed.join("、"),
            if v.draw_matches { "与记录一致" } else { "与记录不一致" }
        );
        if !v.fingerprint.is_empty() {
            println!("记录的抽签池指纹：{}（请与抽签前公布的指纹核对）", v.fingerprint);
        }
        for p in &v.problems {
            println!("不符：{}：{}", p.field, p.reason);
        }
    } else {
        output::object(fmt, v)?;
    }
    if v.ok { Ok(()) } else { anyhow::bail!("抽签验证未通过（the draw does not verify）") }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::args::{Cli, Command, SuggestionCmd};

    /// clap's own consistency checks over the whole command tree.
    #[test]
    fn the_command_line_definition_is_consistent() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }

    /// A suggestion's number lands in its own argument, never in a global option (a positional once
    /// shared its id with `--key`, the master key, and was taken for it).
    #[test]
    fn a_subcommands_own_option_never_sets_a_global_one() {
        // `token create --user office` once set the acting user to `office` (both options had the id
        // `user`), so the administrator made the token as the office (issue 12, item 1).
        let cli = Cli::try_parse_from(["liaison", "token", "create", "--user", "office"]).unwrap();
        assert_eq!(cli.acting, "admin");
        assert!(
            matches!(cli.command, Command::Token(crate::args::TokenCmd::Create { user: Some(ref u), .. }) if u == "office")
        );
        let root = <Cli as clap::CommandFactory>::command();
        let globals: Vec<String> =
            root.get_arguments().filter(|a| a.is_global_set()).map(|a| a.get_id().to_string()).collect();
        fn walk(c: &clap::Command, globals: &[String], path: &str, bad: &mut Vec<String>) {
            for sub in c.get_subcommands() {
                let here = format!("{path} {}", sub.get_name());
                for a in sub.get_arguments().filter(|a| !a.is_global_set()) {
                    if globals.contains(&a.get_id().to_string()) {
                        bad.push(format!("{here}: {}", a.get_id()));
                    }
                }
                walk(sub, globals, &here, bad);
            }
        }
        let mut bad = Vec::new();
        walk(&root, &globals, "liaison", &mut bad);
        assert!(bad.is_empty(), "options sharing a global option's id: {bad:?}");
    }

    #[test]
    fn positionals_do_not_collide_with_global_options() {
        let cli = Cli::try_parse_from(["liaison", "suggestion", "start", "2026-0001"]).unwrap();
        assert_eq!(cli.key, None);
        match cli.command {
            Command::Suggestion(SuggestionCmd::Start { t }) => assert_eq!(t.suggestion, "2026-0001"),
            c => panic!("parsed as {c:?}"),
        }
        let cli = Cli::try_parse_from(["liaison", "suggestion", "show", "2026-0002"]).unwrap();
        assert_eq!(cli.key, None);
    }
}
