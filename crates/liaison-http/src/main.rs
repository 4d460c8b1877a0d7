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
#[derive(Debug, Parser)]
#[command(name = "liaison-http", version = liaison_http::VERSION)]
struct Args {
    /// The SQLite database file (created and migrated on first start).
    #[arg(long, env = "LIAISON_DB", default_value = "liaison.db")]
    db: PathBuf,
    /// A PostgreSQL database instead of the SQLite file (`postgres://user@host:5432/db`); several servers
    /// may share one.
    #[arg(long, env = "LIAISON_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// The master key file (default: `liaison.key` beside the database; created with mode 0600).
    #[arg(long, env = "LIAISON_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// The master key as 64 hex digits, instead of a key file.
    #[arg(long, env = "LIAISON_KEY", hide_env_values = true)]
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
    let args = Args::parse();
    let mut config = match &args.database_url {
        Some(url) => Config::for_url(url),
        None => Config::for_db(&args.db),
    };
    config.sqlite.min_free_mib = args.min_free_mib;
    if let Some(k) = &args.key {
        config.key = KeySource::Hex(k.clone());
    } else if let Some(f) = &args.key_file {
        config.key = KeySource::File(f.clone());
    }
    let mut app = App::open(&config)
        .map_err(|e| anyhow::anyhow!("{}", liaison_core::Localized::zh(&e)))
        .context("cannot open the database")?;
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
            "首次启动：已创建管理员 admin。令牌已写入 {}（仅本人可读），也只在此显示一次：",
            path.display()
        );
        eprintln!(
            "first start: administrator `admin` created; token written to {} and shown once:",
            path.display()
        );
        eprintln!("{}", b.admin_token.token);
    }
    let limits = Limits { json_body: args.max_body_kib << 10, upload: args.max_upload_mib << 20 };
    args.server.check_listen(args.listen)?;
    let tls = args.server.tls().context("cannot use the TLS certificate and key")?;
    let router = liaison_http::app_with(AppState { app: app.clone() }, limits, args.server.edge()?);
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
