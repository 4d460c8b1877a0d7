//! `liaison`: the operations command line. It parses arguments, calls the use-case façade and renders the
//! result; it holds no rules and speaks no SQL.

mod accounts;
mod args;
mod audit;
mod channels;
mod draw;
mod input;
mod messages;
mod output;
mod register;
mod report;
mod rules;
mod secrets;
mod setup;
mod suggestion;
mod tenants;

use std::process::ExitCode;

use anyhow::Context;
use liaison_app::import::{Encoding, ImportReport};
use liaison_app::{App, AppError, Principal};
use liaison_core::Localized;

use args::*;
use audit::{chain_break, print_state, state_result};
use draw::print_verification;
use input::year_range;
use output::Format;
use setup::{calendar_in_force, config, open, principal, runtime, with_environment};

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
    let fmt = cli.format.output().unwrap_or(Format::Table);
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

fn run(cli: Cli) -> anyhow::Result<()> {
    let fmt = match (cli.format.output(), &cli.command) {
        (Some(f), _) => f,
        // The report takes every format; `table` prints its summary.
        (None, Command::Report(_)) => Format::Table,
        (None, _) => <Cli as clap::CommandFactory>::command()
            .error(
                clap::error::ErrorKind::InvalidValue,
                "--format xlsx 和 html 只用于 report annual (only for `report annual`)",
            )
            .exit(),
    };
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
            // Terms that run at least to the day (LIAISON_NOW's, in a rehearsal).
            let today = match std::env::var("LIAISON_NOW") {
                Ok(now) => liaison_core::meta::china_date(setup::now_from(&now)?),
                Err(_) => liaison_core::meta::china_date(chrono::Utc::now()),
            };
            let rows = liaison_app::demo::generate_on(*deputies, *seed, today);
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
            audit::console(&open(&cli)?, cmd, fmt, &cli.acting_tenant)
        }
        Command::Tenant(cmd) => tenants::console(&open(&cli)?, cmd, fmt),
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

fn dispatch(
    cli: &Cli,
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
) -> anyhow::Result<()> {
    match &cli.command {
        Command::Deputy(cmd) => register::deputy(app, p, rt, fmt, cmd),
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
        Command::Report(ReportCmd::Annual(a)) => report::annual(app, p, cli.format, &cli.lang, a),
        Command::Report(ReportCmd::Scorecard(a)) => report::scorecard(app, p, rt, fmt, a),
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
        Command::Org(cmd) => register::org(app, p, rt, fmt, cmd),
        Command::Assign(a) => register::assign(app, p, rt, fmt, a),
        Command::Coverage => output::coverage(fmt, &app.coverage(p)?),
        Command::User(cmd) => accounts::user(app, p, rt, fmt, cmd),
        Command::Token(cmd) => accounts::token(app, p, rt, fmt, cmd),
        Command::Audit(cmd) => audit::trail(app, p, rt, fmt, cmd),
        Command::Message(cmd) => messages::run(app, p, rt, fmt, cmd),
        Command::Rollup { year } => tenants::rollup(app, p, fmt, *year),
        Command::Init { .. }
        | Command::Tenant(_)
        | Command::Roles { .. }
        | Command::Demo(_)
        | Command::Db(_)
        | Command::Completions { .. }
        | Command::Deadline(DeadlineCmd::Explain { .. })
        | Command::Man { .. } => Ok(()),
    }
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
