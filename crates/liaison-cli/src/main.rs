//! `liaison`: the operations command line. It parses arguments, calls the use-case façade and renders the
//! result; it holds no rules and speaks no SQL.

mod args;
mod channels;
mod output;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use liaison_app::import::{Encoding, FileFormat, ImportOptions, ImportReport, OnDuplicate};
use liaison_app::registry_input::DeputyPatchInput;
use liaison_app::{App, AppError, Config, DeputyFilter, KeySource, OrgInput, Principal};
use liaison_core::Localized;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{DeputyInput, RemovalReason, parse_date};

use args::*;
use output::Format;

/// The exit status when the reader of our output went away (`liaison deputy list | head`), as for other
/// Unix tools stopped by SIGPIPE (128 + 13).
const BROKEN_PIPE: i32 = 141;

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
            std::process::exit(BROKEN_PIPE);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let lang = cli.lang.clone();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<AppError>() {
                Some(AppError::ImportRefused(r)) => import_errors(&lang, r),
                Some(app) => {
                    eprintln!(
                        "{}：{}",
                        if lang.starts_with("en") { "error" } else { "错误" },
                        app.message(&lang)
                    );
                    if app.kind() == liaison_app::ErrorKind::Internal {
                        // The operator at the console may see what failed (the HTTP API never says).
                        eprintln!("  ({app})");
                    }
                    for f in app.field_errors() {
                        let msg = if lang.starts_with("en") { &f.message_en } else { &f.message_zh };
                        eprintln!("  - {}: {msg}", f.field);
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
    if en {
        eprintln!("import refused: {} problem(s) in {} row(s); nothing was written", r.errors.len(), r.rows);
    } else {
        eprintln!("导入被拒绝：{} 行中发现 {} 处问题，未写入任何数据", r.rows, r.errors.len());
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

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().build()?)
}

fn config(cli: &Cli) -> Config {
    let mut c = match &cli.database_url {
        Some(url) => Config::for_url(url),
        None => Config::for_db(&cli.db),
    };
    if let Some(k) = &cli.key {
        c.key = KeySource::Hex(k.clone());
    } else if let Some(f) = &cli.key_file {
        c.key = KeySource::File(f.clone());
    }
    c
}

fn open(cli: &Cli) -> anyhow::Result<App> {
    if cli.database_url.is_none() && !cli.db.exists() {
        anyhow::bail!(
            "找不到数据库 {}：请先运行 `liaison init`（no database at {}: run `liaison init` first）",
            cli.db.display(),
            cli.db.display()
        );
    }
    let mut app = App::open(&config(cli))?;
    if let Ok(path) = std::env::var("LIAISON_CALENDAR") {
        let text = std::fs::read_to_string(&path).with_context(|| format!("读取节假日安排 {path}"))?;
        app = app.with_calendar(liaison_app::calendar::from_toml(&text)?);
    }
    if let Ok(now) = std::env::var("LIAISON_NOW") {
        let at = now_from(&now)?;
        app = app.with_clock(Arc::new(move || at));
    }
    Ok(app)
}

/// `LIAISON_NOW`: run the command as of this moment (RFC 3339, or a date taken at 09:00 China time), for
/// rehearsals and tests. The audit records carry that moment; the store refuses one earlier than the last
/// recorded change, so nothing can be backdated this way.
fn now_from(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    let d = parse_date(s).map_err(|_| anyhow::anyhow!("LIAISON_NOW 不是时间（RFC 3339）或日期：{s}"))?;
    let t = d.and_hms_opt(1, 0, 0).context("LIAISON_NOW")?;
    Ok(chrono::DateTime::from_naive_utc_and_offset(t, chrono::Utc))
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

fn suggestion(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &SuggestionCmd,
) -> anyhow::Result<()> {
    use liaison_app::SuggestionAction as A;
    let (t, action) = match cmd {
        SuggestionCmd::File { title, content, source, received_on, deputies } => {
            let input = liaison_app::SuggestionInput {
                title: title.clone(),
                content: text_arg(content)?,
                source: source.clone(),
                received_on: received_on.clone(),
                deputies: deputies.clone(),
            };
            let v = rt.block_on(app.file_suggestion(p, &input, None))?;
            if fmt == Format::Table {
                println!(
                    "已登记建议 {}（id {}，版本 {}）。",
                    v.suggestion.number.map(|n| n.to_string()).unwrap_or_default(),
                    v.suggestion.id,
                    v.suggestion.version
                );
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        SuggestionCmd::List { status, department, handler, deputy, from, to, limit, cursor } => {
            let f = liaison_app::SuggestionFilter {
                status: status.clone(),
                department: department.clone(),
                handler: handler.clone(),
                deputy: deputy.clone(),
                from: from.clone(),
                to: to.clone(),
            };
            let page = app.suggestions(p, &f, cursor.as_deref(), *limit)?;
            output::list(fmt, &page.items)?;
            if let Some(c) = page.next_cursor
                && fmt == Format::Table
            {
                eprintln!("下一页：--cursor {c}");
            }
            return Ok(());
        }
        SuggestionCmd::Show { suggestion } => {
            return output::suggestion(fmt, &app.suggestion(p, suggestion)?);
        }
        SuggestionCmd::History { suggestion } => {
            return output::list(fmt, &app.suggestion_history(p, suggestion)?);
        }
        SuggestionCmd::Links { suggestion, base_url } => {
            let links = rt.block_on(app.issue_feedback_links(p, suggestion))?;
            if fmt == Format::Table {
                eprintln!("反馈链接（只显示这一次，请分别发送给各位代表本人）：");
                for l in &links {
                    println!("{}\t{}{}\t至 {}", l.name, base_url.trim_end_matches('/'), l.path, l.expires_on);
                }
                return Ok(());
            }
            return output::object(fmt, &links);
        }
        SuggestionCmd::Publication { suggestion } => {
            return output::object(fmt, &rt.block_on(app.publication(p, suggestion))?);
        }
        SuggestionCmd::Publications => return output::list(fmt, &app.publications(p)?),
        SuggestionCmd::BodyLinks { suggestion, base_url } => {
            let links = rt.block_on(app.issue_body_links(p, suggestion))?;
            if fmt == Format::Table {
                eprintln!("评议链接 {} 个（只显示这一次，请分别发送给各位代表本人）：", links.len());
                for l in &links {
                    println!("{}\t{}{}\t至 {}", l.name, base_url.trim_end_matches('/'), l.path, l.expires_on);
                }
                return Ok(());
            }
            return output::object(fmt, &links);
        }
        SuggestionCmd::Publish { t, scope, values } => {
            let a = A::Publish { scope: scope.clone(), values: values.clone() };
            let v =
                rt.block_on(app.suggestion_action(p, &t.suggestion, t.expect_version, a, t.reason.clone()))?;
            return output::suggestion(fmt, &v);
        }
        SuggestionCmd::Anonymity { t, deputy, anonymous } => {
            let a = A::Anonymity { deputy: deputy.clone(), anonymous: *anonymous };
            let v =
                rt.block_on(app.suggestion_action(p, &t.suggestion, t.expect_version, a, t.reason.clone()))?;
            return output::suggestion(fmt, &v);
        }
        SuggestionCmd::Due { department, handler, overdue } => {
            return output::list(fmt, &app.due_list(p, department.as_deref(), handler.as_deref(), *overdue)?);
        }
        SuggestionCmd::Figures { from, to, by } => {
            let today = liaison_core::meta::china_date(app.now());
            let from = match from {
                Some(f) => date("from", f)?,
                None => {
                    chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).context("from")?
                }
            };
            let to = match to {
                Some(t) => date("to", t)?,
                None => {
                    chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&from), 12, 31).context("to")?
                }
            };
            let by = liaison_core::suggestion::GroupBy::parse(by)
                .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new("by", &e)]))?;
            return output::figures(fmt, &app.suggestion_figures(p, from, to, by)?);
        }
        SuggestionCmd::Policy(PolicyCmd::Show) => {
            return output::object(fmt, &app.suggestion_policy(p)?);
        }
        SuggestionCmd::Policy(PolicyCmd::Set {
            answer,
            extension_max,
            rehandling,
            feedback,
            return_window,
            co_handler,
            progress_interval,
            due_soon_days,
            assign_within,
            appointment_acknowledge,
            appointment_meet,
            satisfaction,
            body_counts,
            reason,
        }) => {
            let input = liaison_app::PolicyInput {
                answer: answer.clone(),
                extension_max: extension_max.clone(),
                rehandling: rehandling.clone(),
                feedback: feedback.clone(),
                return_window: return_window.clone(),
                co_handler: co_handler.clone(),
                progress_interval: progress_interval.clone(),
                due_soon_days: *due_soon_days,
                assign_within: assign_within.clone(),
                appointment_acknowledge: appointment_acknowledge.clone(),
                appointment_meet: appointment_meet.clone(),
                body_counts: *body_counts,
                satisfaction: satisfaction.clone(),
            };
            let (policy, _) = rt.block_on(app.set_suggestion_policy(p, &input, None, reason.clone()))?;
            return output::object(fmt, &policy);
        }
        SuggestionCmd::Assign { t, lead, co_handlers, handler } => {
            (t, A::Assign { lead: lead.clone(), co_handlers: co_handlers.clone(), handler: handler.clone() })
        }
        SuggestionCmd::Return { t, why } => (t, A::Return { reason: why.clone() }),
        SuggestionCmd::Start { t } => (t, A::Start {}),
        SuggestionCmd::Contact { t, phase, means, summary, deputies } => (
            t,
            A::Contact {
                phase: phase.clone(),
                means: means.clone(),
                deputies: deputies.clone(),
                summary: text_arg(summary)?,
            },
        ),
        SuggestionCmd::Notify { t, text } => (t, A::Notify { text: text_arg(text)? }),
        SuggestionCmd::CoOpinion { t, department, text } => {
            (t, A::CoOpinion { department: department.clone(), text: text_arg(text)? })
        }
        SuggestionCmd::CoOverdue { t, department } => (t, A::CoOverdue { department: department.clone() }),
        SuggestionCmd::Extend { t, until, why } => {
            (t, A::Extend { until: until.clone(), reason: why.clone() })
        }
        SuggestionCmd::Answer { t, class, text, promised_on } => {
            (t, A::Answer { class: class.clone(), text: text_arg(text)?, promised_on: promised_on.clone() })
        }
        SuggestionCmd::Rate { t, rating, comment, deputy, form_ref } => (
            t,
            A::Rate {
                rating: rating.clone(),
                comment: comment.clone(),
                deputy: deputy.clone(),
                form_ref: form_ref.clone(),
            },
        ),
        SuggestionCmd::Lapse { t } => (t, A::Lapse {}),
        SuggestionCmd::Escalation { t, means, note } => {
            (t, A::Escalation { means: means.clone(), note: text_arg(note)? })
        }
        SuggestionCmd::Solved { t, text } => (t, A::Solved { text: text_arg(text)? }),
        SuggestionCmd::Merge { t, into } => (t, A::Merge { into: into.clone() }),
        SuggestionCmd::Withdraw { t, deputy, why } => {
            (t, A::Withdraw { deputy: deputy.clone(), reason: why.clone() })
        }
        SuggestionCmd::Reroute { t, ground, notice } => {
            (t, A::Reroute { ground: ground.clone(), notice: text_arg(notice)? })
        }
        SuggestionCmd::Panel { t, deputies } => (t, A::Panel { deputies: deputies.clone() }),
    };
    let v =
        rt.block_on(app.suggestion_action(p, &t.suggestion, t.expect_version, action, t.reason.clone()))?;
    output::suggestion(fmt, &v)
}

fn notice(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &NoticeCmd,
) -> anyhow::Result<()> {
    use liaison_app::NoticeAction as N;
    let (id, action) = match cmd {
        NoticeCmd::Draft { title, content, scope, values, deputies, channel } => {
            let input = liaison_app::NoticeInput {
                title: title.clone(),
                content: text_arg(content)?,
                scope: scope.clone(),
                values: values.clone(),
                deputies: deputies.clone(),
                channel: channel.clone(),
            };
            let v = rt.block_on(app.draft_notice(p, &input))?;
            if fmt == Format::Table {
                println!("已草拟通报 {}（{}）。", v.notice.id, v.notice.title);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        NoticeCmd::List { year } => return output::list(fmt, &app.notices(p, *year)?),
        NoticeCmd::Show { id } => return output::object(fmt, &app.notice(p, id)?),
        NoticeCmd::Approve { id } => (id, N::Approve {}),
        NoticeCmd::Send { id } => (id, N::Send {}),
        NoticeCmd::Delivery { id, deputy, delivered, note } => {
            (id, N::Delivery { deputy: deputy.clone(), delivered: *delivered, note: note.clone() })
        }
        NoticeCmd::Ack { id, deputy } => (id, N::Acknowledge { deputy: deputy.clone() }),
        NoticeCmd::Respond { id, deputy, text, open_suggestion } => (
            id,
            N::Respond { deputy: deputy.clone(), text: text_arg(text)?, open_suggestion: *open_suggestion },
        ),
    };
    let v = rt.block_on(app.notice_action(p, id, None, action))?;
    if fmt == Format::Table {
        println!(
            "通报 {}（{}）：对象 {} 人，送达 {}，未送达 {}，已确认 {}，已反馈 {}。",
            v.notice.title, v.status_zh, v.recipients, v.delivered, v.failed, v.acknowledged, v.responded
        );
        return Ok(());
    }
    output::object(fmt, &v)
}

fn deliberation(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &DeliberationCmd,
) -> anyhow::Result<()> {
    use liaison_app::DeliberationAction as D;
    let (id, action) = match cmd {
        DeliberationCmd::Open { session, opens_on } => {
            let input =
                liaison_app::DeliberationInput { session: session.clone(), opens_on: opens_on.clone() };
            let v = rt.block_on(app.open_deliberation(p, &input))?;
            if fmt == Format::Table {
                println!("已建立列席审议记录 {}（{}）。", v.deliberation.id, v.deliberation.session);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        DeliberationCmd::List => {
            let all = app.deliberations(p)?;
            return output::object(fmt, &all);
        }
        DeliberationCmd::Show { id } => return output::deliberation(fmt, &app.deliberation(p, id)?),
        DeliberationCmd::Attend { id, group, on, staff } => {
            (id, D::Attend { group: group.clone(), on: on.clone(), staff: staff.clone() })
        }
        DeliberationCmd::Opinion { id, group, deputy, text } => {
            (id, D::Opinion { group: group.clone(), deputy: deputy.clone(), text: text_arg(text)? })
        }
        DeliberationCmd::Route { id, n, to, owner, deadline, title } => (
            id,
            D::Route {
                n: *n,
                to: to.clone(),
                owner: owner.clone(),
                deadline: deadline.clone(),
                title: title.clone(),
            },
        ),
        DeliberationCmd::Tell { id, n, text } => (id, D::Tell { n: *n, text: text_arg(text)? }),
        DeliberationCmd::Close { id } => (id, D::Close {}),
    };
    output::deliberation(fmt, &rt.block_on(app.deliberation_action(p, id, None, action))?)
}

fn measure(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &MeasureCmd,
) -> anyhow::Result<()> {
    use liaison_app::MeasureAction as M;
    let (id, action) = match cmd {
        MeasureCmd::Open { title, description, owner, deadline, suggestion, opinion, deputies } => {
            let input = liaison_app::MeasureInput {
                title: title.clone(),
                description: text_arg(description)?,
                owner: owner.clone(),
                deadline: deadline.clone(),
                suggestion: suggestion.clone(),
                opinion: opinion.clone(),
                deputies: deputies.clone(),
            };
            return output::object(fmt, &rt.block_on(app.open_measure(p, &input))?);
        }
        MeasureCmd::List { department, status } => {
            return output::list(fmt, &app.measures(p, department.as_deref(), status.as_deref())?);
        }
        MeasureCmd::Show { id } => return output::object(fmt, &app.measure(p, id)?),
        MeasureCmd::Progress { id, text } => (id, M::Progress { text: text_arg(text)? }),
        MeasureCmd::Complete { id, text } => (id, M::Complete { text: text_arg(text)? }),
        MeasureCmd::Report { id, text } => (id, M::ReportBack { text: text_arg(text)? }),
    };
    output::object(fmt, &rt.block_on(app.measure_action(p, id, None, action))?)
}

fn principal(app: &App, cli: &Cli) -> anyhow::Result<Principal> {
    Ok(app.principal_for_login(&liaison_store_tenant(), &cli.user)?)
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
            let app = App::open(&config(&cli))?;
            match runtime()?.block_on(app.bootstrap(name))? {
                Some(b) => {
                    println!("已初始化数据库 {}，首位管理员 admin。", app.store().describe());
                    println!("管理员令牌（只显示这一次，请妥善保存）：");
                    println!("{}", b.admin_token.token);
                }
                None => println!(
                    "数据库 {} 已初始化；令牌不会再次显示，如需新令牌请运行 `liaison token create`。",
                    cli.db.display()
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
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "liaison", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script)?;
            Ok(())
        }
        Command::Lottery(LotteryCmd::Verify { file: Some(file), .. }) => {
            let text = std::fs::read_to_string(file).with_context(|| format!("读取 {}", file.display()))?;
            let v = draw_record(&text).with_context(|| format!("{} 不是抽签记录（JSON）", file.display()))?;
            print_verification(fmt, &liaison_app::verify_record(&v))
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Db(DbCmd::Migrate) => {
            let app = App::open(&config(&cli))?;
            println!("数据库 {} 已是最新结构（版本 {}）。", app.store().describe(), app.schema_version()?);
            Ok(())
        }
        Command::Db(DbCmd::Backup { dest }) => {
            let app = open(&cli)?;
            app.backup(dest)?;
            println!("已备份到 {}。密钥不在备份中：请另行妥善保管密钥文件。", dest.display());
            Ok(())
        }
        Command::Db(DbCmd::Restore { src }) => {
            let (app, report) = App::restore(&config(&cli), src)?;
            if !report.ok() {
                anyhow::bail!(
                    "已恢复到 {}，但审计链校验失败：{} 处断裂",
                    app.store().describe(),
                    report.breaks.len()
                );
            }
            println!("已恢复到 {}，审计链完整（{} 条记录）。", app.store().describe(), report.records);
            Ok(())
        }
        Command::Audit(AuditCmd::Verify) => {
            let app = open(&cli)?;
            let r = app.verify_audit()?;
            if fmt == Format::Json {
                output::object(fmt, &r)?;
            } else if r.ok() {
                println!("审计链完整：共 {} 条记录。", r.records);
                for (t, seq, head) in &r.heads {
                    println!("  租户 {t}：最后序号 {seq}，链头 {head}");
                }
            } else {
                for b in &r.breaks {
                    println!("审计链断裂：租户 {} 第 {} 条（{}）：{:?}", b.tenant, b.seq, b.id, b.problem);
                }
            }
            if r.ok() {
                Ok(())
            } else {
                anyhow::bail!(
                    "审计链校验失败：{} 处断裂（audit chain broken at {} record(s)）",
                    r.breaks.len(),
                    r.breaks.len()
                )
            }
        }
        _ => {
            let app = open(&cli)?;
            let p = principal(&app, &cli)?;
            let rt = runtime()?;
            dispatch(&cli, &app, &p, &rt, fmt)
        }
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
        Command::Suggestion(cmd) => suggestion(app, p, rt, fmt, cmd),
        Command::Measure(cmd) => measure(app, p, rt, fmt, cmd),
        Command::Deliberation(cmd) => deliberation(app, p, rt, fmt, cmd),
        Command::Notice(cmd) => notice(app, p, rt, fmt, cmd),
        Command::Plan(cmd) => {
            let v = match cmd {
                PlanCmd::Set { period, meetings, reached_percent, notices, activities, notes } => {
                    let input = liaison_app::PlanInput {
                        period: period.clone(),
                        meetings: *meetings,
                        reached_percent: *reached_percent,
                        notices: *notices,
                        activities: *activities,
                        notes: notes.clone(),
                    };
                    rt.block_on(app.set_plan(p, &input, None))?
                }
                PlanCmd::Adopt { period } => rt.block_on(app.adopt_plan(p, period))?,
                PlanCmd::Show { period } => app.plan(p, period)?,
            };
            output::plan(fmt, &v)
        }
        Command::Meeting(cmd) => {
            use liaison_app::MeetingAction as M;
            let (id, action) = match cmd {
                MeetingCmd::Plan { title, on, place, agenda, invite } => {
                    let input = liaison_app::MeetingInput {
                        title: title.clone(),
                        on: on.clone(),
                        place: place.clone(),
                        agenda: agenda.clone(),
                        invite: invite.clone(),
                    };
                    let m = rt.block_on(app.plan_meeting(p, &input))?;
                    if fmt == Format::Table {
                        println!("已计划座谈会 {}（{}，{}）。", m.id, m.title, m.on);
                        return Ok(());
                    }
                    return output::object(fmt, &m);
                }
                MeetingCmd::Show { id } => return output::object(fmt, &app.meeting(p, id)?),
                MeetingCmd::Invite { id, deputies } => (id, M::Invite { deputies: deputies.clone() }),
                MeetingCmd::Hold { id, attended, minutes } => {
                    (id, M::Hold { attended: attended.clone(), minutes: text_arg(minutes)? })
                }
                MeetingCmd::Cancel { id, why } => (id, M::Cancel { reason: why.clone() }),
                MeetingCmd::Opinion { id, deputy, text, to, owner, deadline } => (
                    id,
                    M::Opinion {
                        opinion: liaison_app::OpinionInput {
                            deputy: deputy.clone(),
                            text: text_arg(text)?,
                            to: to.clone(),
                            owner: owner.clone(),
                            deadline: deadline.clone(),
                        },
                    },
                ),
            };
            output::object(fmt, &rt.block_on(app.meeting_action(p, id, None, action))?)
        }
        Command::Inspection(cmd) => {
            use liaison_app::InspectionAction as I;
            let (id, action) = match cmd {
                InspectionCmd::Plan {
                    kind,
                    title,
                    organiser_ref,
                    from,
                    to,
                    participants,
                    materials,
                    items,
                } => {
                    let input = liaison_app::InspectionInput {
                        kind: kind.clone(),
                        title: title.clone(),
                        organiser_ref: organiser_ref.clone(),
                        from: from.clone(),
                        to: to.clone(),
                        participants: participants.clone(),
                        materials: materials.clone(),
                        items: items.clone(),
                    };
                    let v = rt.block_on(app.plan_inspection(p, &input))?;
                    if fmt == Format::Table {
                        println!(
                            "已计划{} {}（{}）。",
                            v.inspection.kind.zh(),
                            v.inspection.id,
                            v.inspection.title
                        );
                        return Ok(());
                    }
                    return output::object(fmt, &v);
                }
                InspectionCmd::List => return output::list(fmt, &app.inspections(p)?),
                InspectionCmd::Show { id } => return output::object(fmt, &app.inspection(p, id)?),
                InspectionCmd::Hold { id } => (id, I::Hold {}),
                InspectionCmd::Score { id, deputy, item, score } => {
                    (id, I::Score { deputy: deputy.clone(), item: *item, score: *score })
                }
                InspectionCmd::Opinion { id, deputy, text } => {
                    (id, I::Opinion { deputy: deputy.clone(), text: text_arg(text)? })
                }
                InspectionCmd::Rectify { id, title, owner, deadline } => (
                    id,
                    I::Rectify { title: title.clone(), owner: owner.clone(), deadline: deadline.clone() },
                ),
                InspectionCmd::Done { id, n, result } => (id, I::Done { n: *n, result: text_arg(result)? }),
                InspectionCmd::Report { id, text } => (id, I::Report { text: text_arg(text)? }),
            };
            let v = rt.block_on(app.inspection_action(p, id, None, action))?;
            if fmt == Format::Table {
                let open = v.inspection.rectifications.iter().filter(|r| r.done.is_none()).count();
                println!(
                    "{}（{}）：评分 {} 项，意见 {} 条，整改 {} 项（未完成 {}）。",
                    v.inspection.title,
                    v.inspection.status.zh(),
                    v.inspection.scores.len(),
                    v.inspection.opinions.len(),
                    v.inspection.rectifications.len(),
                    open
                );
                return Ok(());
            }
            output::object(fmt, &v)
        }
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
        Command::Fairness { from, to } => {
            let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
            let f = app.fairness(p, from, to)?;
            if fmt != Format::Table {
                return output::object(fmt, &f);
            }
            println!(
                "{from} 至 {to}：参加活动 {} 人次；参加次数基尼系数 {}.{:03}",
                f.participations,
                f.gini_permille / 1000,
                f.gini_permille % 1000
            );
            for (l, n, k, pm) in &f.by_level {
                println!("  {}：在任 {n} 人，参加过 {k} 人（{}.{}%）", l.zh(), pm / 10, pm % 10);
            }
            Ok(())
        }
        Command::Activity(cmd) => channels::activity(app, p, rt, fmt, cmd),
        Command::Review(cmd) => {
            use liaison_app::ReviewAction as R;
            let (id, action) = match cmd {
                ReviewCmd::Register { case_ref, kind, summary } => {
                    let input = liaison_app::ReviewInput {
                        case_ref: case_ref.clone(),
                        kind: kind.clone(),
                        summary: text_arg(summary)?,
                    };
                    let v = rt.block_on(app.register_review(p, &input))?;
                    if fmt == Format::Table {
                        println!("已登记案件评议 {}（{}）。", v.review.id, v.review.case_ref);
                        return Ok(());
                    }
                    return output::object(fmt, &v);
                }
                ReviewCmd::List => return output::list(fmt, &app.reviews(p)?),
                ReviewCmd::Show { id } => return output::object(fmt, &app.review(p, id)?),
                ReviewCmd::Recuse { id, deputy, why } => {
                    (id, R::Recuse { deputy: deputy.clone(), reason: why.clone() })
                }
                ReviewCmd::Prepare { id, count, public } => (
                    id,
                    R::Prepare {
                        count: *count,
                        public_source: public.public_source.clone(),
                        published_on: public.published_on.clone(),
                    },
                ),
                ReviewCmd::Draw { id, revealed } => {
                    (id, R::Draw { seed: revealed.seed.clone(), public_value: revealed.public_value.clone() })
                }
                ReviewCmd::Vote { id, deputy, agree, opinion } => {
                    (id, R::Vote { deputy: deputy.clone(), agree: *agree, opinion: opinion.clone() })
                }
                ReviewCmd::Chief { id, agree, text } => (id, R::Chief { agree: *agree, text: text.clone() }),
                ReviewCmd::Committee { id, agree, text, explanation } => {
                    (id, R::Committee { agree: *agree, text: text.clone(), explanation: explanation.clone() })
                }
                ReviewCmd::Escalate { id, reference } => (id, R::Escalate { reference: reference.clone() }),
                ReviewCmd::Notify { id, text } => (id, R::Notify { text: text_arg(text)? }),
            };
            let prepared = matches!(action, R::Prepare { .. });
            let v = rt.block_on(app.review_action(p, id, None, action))?;
            if fmt == Format::Table {
                if prepared {
                    print_prepared(v.review.draw.as_ref(), v.seed.as_deref());
                    return Ok(());
                }
                let names: Vec<String> = v.review.participants.iter().map(ToString::to_string).collect();
                println!(
                    "案件评议 {}：{}；参加人员 {}",
                    v.review.case_ref,
                    v.review.status.zh(),
                    names.join("、")
                );
                return Ok(());
            }
            output::object(fmt, &v)
        }
        Command::Commendation(cmd) => {
            use liaison_app::NominationAction as N;
            let (id, action) = match cmd {
                CommendationCmd::Weights { set } => {
                    let w = if set.is_empty() {
                        app.commendation_weights(p)?
                    } else {
                        rt.block_on(app.set_commendation_weights(p, set))?
                    };
                    return output::object(fmt, &w);
                }
                CommendationCmd::Contributions { from, to, top } => {
                    let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
                    let mut list = app.contributions(p, from, to)?;
                    list.truncate(*top);
                    return output::contributions(fmt, &list);
                }
                CommendationCmd::Nominate { deputy, reasons, from, to } => {
                    let input = liaison_app::NominationInput {
                        deputy: deputy.clone(),
                        reasons: text_arg(reasons)?,
                        from: from.clone(),
                        to: to.clone(),
                    };
                    return output::nominations(fmt, &[rt.block_on(app.nominate(p, &input))?]);
                }
                CommendationCmd::List => return output::nominations(fmt, &app.nominations(p)?),
                CommendationCmd::Approve { id } => (id, N::Approve {}),
                CommendationCmd::Submit { id, reference } => (id, N::Submit { reference: reference.clone() }),
                CommendationCmd::Accept { id } => (id, N::Accept {}),
                CommendationCmd::Decline { id, note } => (id, N::Decline { note: note.clone() }),
            };
            output::nominations(fmt, &[rt.block_on(app.nomination_action(p, id, None, action))?])
        }
        Command::Visit(v) => {
            let to = v.issues_as_suggestions.then(|| "suggestion".to_owned());
            let input = liaison_app::VisitInput {
                deputy: v.deputy.clone(),
                on: v.on.clone(),
                place: v.place.clone(),
                staff: v.staff.clone(),
                notes: text_arg(&v.notes)?,
                issues: v
                    .issues
                    .iter()
                    .map(|t| liaison_app::OpinionInput {
                        deputy: v.deputy.clone(),
                        text: t.clone(),
                        to: to.clone(),
                        ..Default::default()
                    })
                    .collect(),
            };
            output::object(fmt, &rt.block_on(app.record_visit(p, &input))?)
        }
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
            output::object(fmt, &d)
        }
        Command::Coverage => output::coverage(fmt, &app.coverage(p)?),
        Command::User(UserCmd::Add { login, name, roles, deputy, department }) => {
            let new = liaison_app::NewUser {
                login: login.clone(),
                display_name: name.clone(),
                roles: roles.clone(),
                deputy: deputy.clone(),
                department: department.clone(),
            };
            output::object(fmt, &rt.block_on(app.add_user(p, &new))?)
        }
        Command::User(UserCmd::List) => output::list(fmt, &app.users(p)?),
        Command::Token(TokenCmd::Create { user, label }) => {
            let t = rt.block_on(app.create_token(p, user.as_deref().unwrap_or(&p.login), label))?;
            if fmt == Format::Table {
                eprintln!("用户 {} 的新令牌（id {}，只显示这一次）：", t.login, t.id);
                println!("{}", t.token);
                Ok(())
            } else {
                output::object(fmt, &t)
            }
        }
        Command::Token(TokenCmd::Revoke { id, reason }) => {
            rt.block_on(app.revoke_token(p, id, reason.clone()))?;
            println!("令牌 {id} 已撤销。");
            Ok(())
        }
        Command::Token(TokenCmd::List) => output::list(fmt, &app.tokens(p)?),
        Command::Init { .. }
        | Command::Demo(_)
        | Command::Audit(_)
        | Command::Db(_)
        | Command::Completions { .. }
        | Command::Man => Ok(()),
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
        DeputyCmd::Import { file, encoding, file_format, dry_run, on_duplicate } => {
            let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
            let opts = ImportOptions {
                format: file_format.map(|f| match f {
                    FileFormatArg::Csv => FileFormat::Csv,
                    FileFormatArg::Xlsx => FileFormat::Xlsx,
                }),
                encoding: match encoding {
                    EncodingArg::Utf8 => Encoding::Utf8,
                    EncodingArg::Gbk => Encoding::Gbk,
                },
                dry_run: *dry_run,
                on_duplicate: match on_duplicate {
                    OnDuplicateArg::Refuse => OnDuplicate::Refuse,
                    OnDuplicateArg::Update => OnDuplicate::Update,
                },
            };
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} 导入 {bar:40} {pos}/{len} 行 ({per_sec}, 剩余 {eta})",
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
            let r = r?;
            if fmt == Format::Table {
                println!(
                    "{}：共 {} 行，新登记 {} 人，更新 {} 人，无变化 {} 人。",
                    if r.dry_run { "试运行通过（未写入）" } else { "导入完成" },
                    r.rows,
                    r.imported,
                    r.updated,
                    r.unchanged
                );
                if !r.ignored_columns.is_empty() {
                    println!("未使用的列：{}", r.ignored_columns.join("、"));
                }
                Ok(())
            } else {
                output::object(fmt, &r)
            }
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
                output::object(fmt, &rt.block_on(app.deputy_full(p, id, reason.clone()))?)
            } else {
                output::object(fmt, &app.deputy(p, id)?)
            }
        }
        DeputyCmd::Add(f) => {
            let input = DeputyInput {
                name: f.name.clone(),
                gender: f.gender.clone(),
                ethnicity: f.ethnicity.clone(),
                birth_date: f.birth_date.clone(),
                id_number: f.id_number.clone(),
                level: f.level.clone(),
                term: f.term.clone(),
                delegation: f.delegation.clone(),
                region: f.region.clone(),
                work_unit: f.work_unit.clone(),
                position: f.position.clone(),
                mobile: f.mobile.clone(),
                landline: f.landline.clone(),
                address: f.address.clone(),
                email: f.email.clone(),
                special_roles: f.special_roles.clone(),
                term_start: f.term_start.clone(),
                term_end: f.term_end.clone(),
            };
            output::object(fmt, &rt.block_on(app.register_deputy(p, input, None, None))?)
        }
        DeputyCmd::Update { id, patch, expect_version, reason } => {
            let input = DeputyPatchInput {
                name: patch.name.clone(),
                ethnicity: patch.ethnicity.clone(),
                delegation: patch.delegation.clone(),
                region: patch.region.clone(),
                work_unit: patch.work_unit.clone(),
                position: patch.position.clone(),
                mobile: patch.mobile.clone(),
                landline: patch.landline.clone(),
                address: patch.address.clone(),
                email: patch.email.clone(),
                special_roles: patch.special_roles.clone(),
                term_end: patch.term_end.clone(),
            };
            output::object(
                fmt,
                &rt.block_on(app.update_deputy(p, deputy_id(id)?, *expect_version, &input, reason.clone()))?,
            )
        }
        DeputyCmd::EndTerm { id, date: d, expect_version, reason } => {
            let d = date("date", d)?;
            output::object(
                fmt,
                &rt.block_on(app.end_term(p, deputy_id(id)?, *expect_version, d, reason.clone()))?,
            )
        }
        DeputyCmd::Remove { id, date: d, why, reason, expect_version } => {
            let d = date("date", d)?;
            let why = RemovalReason::parse(why)
                .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new("why", &e)]))?;
            output::object(
                fmt,
                &rt.block_on(app.remove_deputy(
                    p,
                    deputy_id(id)?,
                    *expect_version,
                    d,
                    why,
                    Some(reason.clone()),
                ))?,
            )
        }
        DeputyCmd::History { id } => {
            let h = app.deputy_history(p, deputy_id(id)?)?;
            if fmt == Format::Table {
                for e in h {
                    println!(
                        "#{} {} {} {}{}",
                        e.seq,
                        e.at,
                        e.actor,
                        e.kind,
                        e.reason.map(|r| format!("（{r}）")).unwrap_or_default()
                    );
                }
                Ok(())
            } else {
                output::object(fmt, &h)
            }
        }
    }
}

/// What `prepare` fixed: the pool's size and fingerprint, and the seed's commitment (the seed itself once,
/// on standard output) or the public value that will make it.
fn print_prepared(d: Option<&liaison_core::lottery::DrawRecord>, seed: Option<&str>) {
    let Some(d) = d else { return };
    let pool: usize = d.strata.iter().map(|s| s.candidates.len()).sum();
    println!("抽签池 {pool} 人，指纹 {}", d.fingerprint);
    match &d.promise {
        liaison_core::lottery::SeedPromise::Committed { commitment } => {
            println!("随机种子承诺（已记录）：{commitment}");
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

/// A draw record from JSON: a review or activity as the API returns it (possibly wrapped as
/// `{"activity": …}` or `{"review": …}`), or its `draw` record alone.
fn draw_record(text: &str) -> anyhow::Result<liaison_core::lottery::DrawRecord> {
    let mut v: serde_json::Value = serde_json::from_str(text)?;
    for key in ["activity", "review"] {
        if let Some(inner) = v.get(key).filter(|x| x.is_object()) {
            v = inner.clone();
        }
    }
    if let Some(d) = v.get("draw") {
        v = d.clone();
    }
    anyhow::ensure!(!v.is_null(), "nothing has been drawn in this record yet");
    Ok(serde_json::from_value(v)?)
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
