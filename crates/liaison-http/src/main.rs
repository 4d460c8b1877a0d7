//! `liaison-http`: serves the API on the embedded SQLite store. On first start it creates the database,
//! the key file (mode 0600) and the first administrator, whose token it prints once and writes to
//! `liaison-admin.token` (mode 0600) beside the database.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use liaison_app::{App, Config, KeySource};
use liaison_http::{AppState, Limits};

/// liaison-http — 人大代表联络工作平台的 HTTP 服务 (the HTTP service of the deputy-liaison platform).
///
/// The first start creates the database, its key file and the system administrator `admin`, whose token it
/// writes to `liaison-admin.token` (0600). The security and audit administrators are added next (`liaison
/// user add sec --role security_admin`, `liaison user add audit --role auditor`); every business role waits
/// for the security administrator's approval. Every start also brings accounts from before the separation
/// of the administrators up to it (README "Security").
#[derive(Debug, Parser)]
#[command(name = "liaison-http", version = liaison_http::VERSION, after_help = liaison_http::outbound::help())]
struct Args {
    /// The SQLite database file (created and migrated on first start).
    #[arg(long, env = "LIAISON_DB", default_value = "liaison.db")]
    db: PathBuf,
    /// A PostgreSQL database instead of the SQLite file (`postgres://user@host:5432/db`); several servers
    /// may share one. A primary and its standbys: `postgres://user@host1:5432,host2:5432/db?
    /// target_session_attrs=read-write` — the server connects to whichever accepts writes, and after a
    /// failover finds the promoted one by itself. A URL with a password only from LIAISON_DATABASE_URL,
    /// `@FILE` or `-` (standard input), never typed here.
    #[arg(long, env = "LIAISON_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// A PostgreSQL standby for the reads where a moment's staleness is harmless: the annual report, the
    /// scorecard, the coverage report and the public figures (never a command, never a login). While it
    /// cannot be reached those reads go to the primary. Only with --database-url. A URL with a password
    /// only from LIAISON_READ_REPLICA_URL, `@FILE` or `-` (standard input, the line after --database-url's
    /// when both are `-`).
    #[arg(long, env = "LIAISON_READ_REPLICA_URL", hide_env_values = true, requires = "database_url")]
    read_replica_url: Option<String>,
    /// The master key file (default: `liaison.key` beside the database; created with mode 0600); `-` reads
    /// the key from standard input.
    #[arg(long, env = "LIAISON_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// The master key as 64 hex digits, from the LIAISON_KEY environment variable only: typed on the
    /// command line (visible in `ps`) it is refused.
    #[arg(long, env = "LIAISON_KEY", hide_env_values = true, hide = true)]
    key: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "LIAISON_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The procuratorate's name (used on first start).
    #[arg(long, env = "LIAISON_NAME", default_value = "人民检察院")]
    name: String,
    /// Largest import upload, in MiB.
    #[arg(long, default_value_t = 64)]
    max_upload_mib: usize,
    /// Largest JSON request body, in KiB.
    #[arg(long, default_value_t = 1024)]
    max_body_kib: usize,
    /// A holiday schedule (TOML, the format of `data/cn-holidays.toml`) to use instead of the built-in one,
    /// e.g. with a newly published year added.
    #[arg(long, env = "LIAISON_CALENDAR")]
    calendar: Option<std::path::PathBuf>,
    /// Below this much free space (MiB) on the database's disk, `/readyz` says not ready (SQLite), before
    /// writes start failing with 507 "disk full"; 0 turns the check off.
    #[arg(long, env = "LIAISON_MIN_FREE_MIB", default_value_t = 256)]
    min_free_mib: u64,
    /// For a rehearsal: run as of this moment (RFC 3339, or a date, taken at 09:00 China time), the clock
    /// advancing from there — the first start (the administrator, the audit chain's first records)
    /// included, as `liaison init` does. Nothing can be backdated: the store refuses a change dated
    /// before the last recorded one.
    #[arg(long, env = "LIAISON_NOW")]
    now: Option<String>,
    /// Seconds between the delivery worker's rounds when the message queue is empty (issue 17); 0 runs no
    /// worker in this server (another server delivers).
    #[arg(long, env = "LIAISON_MESSAGE_INTERVAL", default_value_t = 5)]
    message_interval: u64,
    /// Attempts at delivering a message before it is marked failed (the waits between them double from 30
    /// seconds, at most an hour).
    #[arg(long, env = "LIAISON_MESSAGE_ATTEMPTS", default_value_t = 6)]
    message_attempts: u32,
    /// Seconds to wait after a message's first failed attempt (doubling after each, at most an hour).
    #[arg(long, env = "LIAISON_MESSAGE_BACKOFF", default_value_t = 30)]
    message_backoff: u32,
    #[command(flatten)]
    server: liaison_http::options::ServerArgs,
}

fn write_token_file(path: &std::path::Path, token: &str) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    writeln!(f, "{token}")
}

/// The store's configuration, refusing secrets typed on the command line (issue 12: visible in `ps` and
/// the shell's history): the key from LIAISON_KEY or a key file (`-`: standard input), a URL with a
/// password from LIAISON_DATABASE_URL, `@FILE` or `-`.
fn store_config(args: &Args, m: &clap::ArgMatches) -> Result<Config, String> {
    use liaison_app::secrets;
    let typed = |id: &str| m.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    let line = |what: &str, from: Option<&str>| -> Result<String, String> {
        let text = match from {
            Some(path) => {
                std::fs::read_to_string(path).map_err(|e| format!("无法读取{what}文件 {path}：{e}"))?
            }
            None => {
                let mut l = String::new();
                std::io::stdin().read_line(&mut l).map_err(|e| format!("无法从标准输入读取{what}：{e}"))?;
                l
            }
        };
        Ok(text.lines().next().unwrap_or_default().trim().to_owned())
    };
    if typed("key") {
        return Err(secrets::key_on_command_line());
    }
    let url = match args.database_url.as_deref() {
        Some("-") => Some(line("数据库地址", None)?),
        Some(f) if f.starts_with('@') => Some(line("数据库地址", Some(&f[1..]))?),
        Some(u) if typed("database_url") && secrets::url_has_password(u) => {
            return Err(secrets::password_on_command_line("--database-url"));
        }
        other => other.map(str::to_owned),
    };
    let mut config = match &url {
        Some(url) => Config::for_url(url),
        None => Config::for_db(&args.db),
    };
    config.read_replica_url = match args.read_replica_url.as_deref() {
        Some("-") => Some(line("只读副本地址", None)?),
        Some(f) if f.starts_with('@') => Some(line("只读副本地址", Some(&f[1..]))?),
        Some(u) if typed("read_replica_url") && secrets::url_has_password(u) => {
            return Err(secrets::password_in_flag("--read-replica-url", "LIAISON_READ_REPLICA_URL"));
        }
        other => other.map(str::to_owned),
    };
    if let Some(k) = &args.key {
        config.key = KeySource::Hex(k.clone());
    } else if let Some(f) = &args.key_file {
        config.key = if f.as_os_str() == "-" {
            KeySource::Hex(line("主密钥", None)?)
        } else {
            KeySource::File(f.clone())
        };
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Colours only on a terminal; `LIAISON_LOG_FORMAT=json` gives one JSON object per line for log collectors.
    let filter =
        || tracing_subscriber::EnvFilter::try_from_env("LIAISON_LOG").unwrap_or_else(|_| "info".into());
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    if std::env::var("LIAISON_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        tracing_subscriber::fmt().json().with_env_filter(filter()).init();
    } else {
        tracing_subscriber::fmt().with_ansi(terminal).with_env_filter(filter()).init();
    }
    let matches = <Args as clap::CommandFactory>::command().get_matches();
    let args = match <Args as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    let mut config = match store_config(&args, &matches) {
        Ok(c) => c,
        Err(refusal) => {
            eprintln!("{refusal}");
            std::process::exit(1);
        }
    };
    config.sqlite.min_free_mib = args.min_free_mib;
    let mut app = match App::open(&config) {
        Ok(app) => app,
        Err(e) => {
            // What the operator must fix, in both languages, with no backtrace (issue 12: a key file with the
            // wrong mode showed "系统内部错误" and a backtrace instead of the store's chmod advice).
            eprintln!("无法打开数据库：{}", liaison_core::Localized::zh(&e));
            eprintln!("cannot open the database: {}", liaison_core::Localized::en(&e));
            if e.kind() == liaison_app::ErrorKind::Internal {
                eprintln!("  ({e})");
            }
            std::process::exit(1);
        }
    };
    app = app.with_bulk_view_limit(args.server.bulk_view_limit()?);
    let settings = liaison_app::MessageSettings::from_vars(liaison_http::outbound::env)
        .map_err(|e| anyhow::anyhow!("{}", liaison_core::Localized::en(&e)))?;
    app = app.with_message_settings(settings);
    app = app.with_retry_policy(liaison_core::message::RetryPolicy {
        max_attempts: args.message_attempts.max(1),
        base: chrono::Duration::seconds(i64::from(args.message_backoff.max(1))),
        ..liaison_core::message::RetryPolicy::default()
    });
    if let Some(path) = &args.calendar {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let cal = liaison_app::calendar::from_toml(&text)
            .map_err(|e| anyhow::anyhow!("{}", liaison_core::Localized::zh(&e)))?;
        tracing::info!(years = ?cal.years().map(|(y, _)| *y).collect::<Vec<_>>(), "holiday schedule loaded");
        app = app.with_calendar(cal);
    }
    if let Some(now) = &args.now {
        let at = liaison_app::rehearsal_moment(now)
            .with_context(|| format!("LIAISON_NOW is neither a time (RFC 3339) nor a date: {now}"))?;
        let started = std::time::Instant::now();
        app = app.with_clock(std::sync::Arc::new(move || {
            at + chrono::TimeDelta::from_std(started.elapsed()).unwrap_or_default()
        }));
        tracing::warn!(%at, "rehearsal clock (LIAISON_NOW): running as of this moment");
    }
    if let Some(b) = app.bootstrap(&args.name).await? {
        let path = args.db.with_file_name("liaison-admin.token");
        write_token_file(&path, &b.admin_token.token)?;
        eprintln!(
            "首次启动：已创建系统管理员 admin。令牌已写入 {}（仅本人可读），也只在此显示一次；\
             再以 liaison user add 添加安全管理员（security_admin）和审计管理员（auditor）：",
            path.display()
        );
        eprintln!(
            "first start: system administrator `admin` created; token written to {} and shown once; add the \
             security and audit administrators with `liaison user add`:",
            path.display()
        );
        eprintln!("{}", b.admin_token.token);
    }
    let limits = Limits { json_body: args.max_body_kib << 10, upload: args.max_upload_mib << 20 };
    args.server.check_listen(args.listen)?;
    let tls = args.server.tls().context("cannot use the TLS certificate and key")?;
    let router = liaison_http::app_with(AppState::new(app.clone()), limits, args.server.edge()?);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    if let Some(addr) = args.server.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} for metrics"))?;
        println!("metrics on http://{}/metrics", metrics.local_addr()?);
        let opts = args.server.serve_options();
        tokio::spawn(liaison_http::server::serve(
            metrics,
            liaison_http::metrics_router(),
            opts,
            None,
            std::future::pending(),
        ));
    }
    #[cfg(unix)]
    if let Some(tls) = tls.clone() {
        // SIGHUP: read the certificate and key again (renewed files need no restart).
        let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
        tokio::spawn(async move {
            while hup.recv().await.is_some() {
                match tls.reload() {
                    Ok(()) => tracing::info!("TLS certificate and key reloaded"),
                    Err(e) => tracing::error!(error = %e, "TLS reload failed; the certificate in use stays"),
                }
            }
        });
    }
    if args.message_interval > 0 {
        let channels = liaison_http::outbound::channels(&app, &liaison_http::outbound::env)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        liaison_http::worker::spawn(
            app.clone(),
            channels,
            std::time::Duration::from_secs(args.message_interval),
        );
    }
    // Replication lag in /metrics (PostgreSQL; the task ends at once on SQLite).
    liaison_http::replication::spawn(app.clone(), liaison_http::replication::INTERVAL);
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(addr = %listener.local_addr()?, store = %app.store().describe(), scheme, "liaison-http listening");
    println!("listening on {scheme}://{}", listener.local_addr()?);
    let shutdown = async {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                s.recv().await;
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
        tracing::info!("shutting down");
    };
    liaison_http::server::serve(listener, router, args.server.serve_options(), tls, shutdown).await?;
    Ok(())
}
