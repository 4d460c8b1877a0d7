//! `liaison-bench`: the benchmarks of DESIGN.md's performance targets, each comparison run side by side in
//! one process so the ratio holds on a noisy machine. Build with `--release`.
//!
//! - `import`: deputies from a generated CSV, with validation, duplicate checks, encryption and audit.
//! - `read`: `GET /api/v1/deputies/{id}` (authenticated, masked) against a bare axum JSON route.
//! - `write`: `POST /api/v1/deputies` (durable, `synchronous=FULL`) with group commit against one
//!   transaction per request (and PostgreSQL, group commit, with `--postgres`).
//! - `lottery`: a stratified, verifiable draw of 100 from 2.8 million generated deputies (strata, the
//!   pool's fingerprint, the draw itself, and a verification), each step timed.
//! - `suggestions`: the R1 command mix through HTTP (file, assign, contact, answer, three ratings: every
//!   connection runs whole cycles), durable, group commit against one transaction per request.
//! - `national`: national scale — 2.8 million deputies and a million suggestions: the server's start-up
//!   time and memory, and search by name, pinyin or initials (p99) — run against the real `liaison-http`
//!   binary (build it with `--release` beside this one).
//! - `figures`: a year's statistics over a million suggestions (real records made through the workflow,
//!   copied under new ids and numbers), by level, by department and in all.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::body::Bytes;
use clap::{Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use liaison_app::import::{Encoding, ImportOptions};
use liaison_app::{App, Config, Principal};
use liaison_store::sqlite::SqliteOptions;

mod import;
mod open_loop;
mod pages;
mod scale;

#[derive(Debug, Parser)]
#[command(name = "liaison-bench", about = "Benchmarks for liaison (run with --release)")]
struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Import throughput for generated registers of the given sizes.
    Import {
        /// Register sizes (SQLite).
        #[arg(long, value_delimiter = ',', default_value = "100000")]
        deputies: Vec<u64>,
        /// Also run on PostgreSQL: a server URL (a throw-away database is created there).
        #[arg(long, env = "LIAISON_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Register sizes on PostgreSQL.
        #[arg(long, value_delimiter = ',', default_value = "10000")]
        pg_deputies: Vec<u64>,
        /// Skip the SQLite runs (only PostgreSQL).
        #[arg(long)]
        no_sqlite: bool,
    },
    /// GET one deputy over HTTP against a bare axum JSON route (and on PostgreSQL with --postgres).
    Read {
        /// Also run on PostgreSQL: a server URL (a throw-away database is created there).
        #[arg(long, env = "LIAISON_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Seconds per server.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Deputies on the register.
        #[arg(long, default_value_t = 20000)]
        deputies: u64,
    },
    /// A stratified, verifiable draw from a generated national register.
    Lottery {
        /// Deputies in the pool.
        #[arg(long, default_value_t = 2_800_000)]
        deputies: usize,
        /// Seats.
        #[arg(long, default_value_t = 100)]
        seats: usize,
        /// Rounds (the median is reported).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// The suggestion command mix, durable: group commit against one transaction per request (and PostgreSQL).
    Suggestions {
        /// Also run on PostgreSQL: a server URL (a throw-away database is created there).
        #[arg(long, env = "LIAISON_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Seconds per mode.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent connections (each runs whole cycles).
        #[arg(long, default_value_t = 64)]
        connections: usize,
    },
    /// National scale: start-up and memory of `liaison-http` over 2.8M deputies and 1M suggestions, and
    /// search by name/pinyin prefix (DESIGN.md: start-up < 1 s and < 200 MB; search p99 < 5 ms).
    National {
        /// Deputies on the register.
        #[arg(long, default_value_t = 2_800_000)]
        deputies: u64,
        /// Suggestions.
        #[arg(long, default_value_t = 1_000_000)]
        suggestions: usize,
        /// Seconds of search load.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Open-loop arrival rates (requests a second) to run over the same connections after the closed
        /// loops: requests arrive on schedule whatever the answers do, and each one's latency counts from
        /// its arrival, queueing for a connection included.
        #[arg(long, value_delimiter = ',')]
        rates: Vec<f64>,
        /// Pin the server to CPU 0 and this load generator to CPU 1 (`taskset`), so that the two do not
        /// queue for the same cores.
        #[arg(long)]
        pin: bool,
        /// Keep the built database in this directory and reuse it on the next run (building 2.8M
        /// deputies and 1M suggestions takes minutes).
        #[arg(long)]
        keep: Option<std::path::PathBuf>,
    },
    /// Server-side render time of each staff page at each register size (issue 16: < 50 ms at 400
    /// deputies, < 200 ms at 100k).
    Pages {
        /// Register sizes.
        #[arg(long, value_delimiter = ',', default_values_t = [400u64, 100_000])]
        deputies: Vec<u64>,
        /// Requests per page (median, p95 and worst are reported).
        #[arg(long, default_value_t = 50)]
        rounds: usize,
    },
    /// A year's statistics over many suggestions (DESIGN.md: 1 million in under 2 s), then the annual
    /// report over them, model and each rendering (issue 18: under 5 s).
    Figures {
        /// Suggestions received in the year.
        #[arg(long, default_value_t = 1_000_000)]
        suggestions: usize,
        /// Rounds (the median is reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// One durable write per request: group commit against one transaction per request (and PostgreSQL).
    Write {
        /// Also run on PostgreSQL: a server URL (a throw-away database is created there).
        #[arg(long, env = "LIAISON_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Seconds per mode.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
    },
}

struct Stats {
    requests: u64,
    errors: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
}

impl Stats {
    /// The figures of `all` latencies answered in `seconds`.
    fn from_latencies(mut all: Vec<Duration>, errors: u64, seconds: f64) -> Self {
        all.sort_unstable();
        let pct = |p: f64| {
            all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        Stats { requests: all.len() as u64, errors, seconds, p50: pct(0.50), p99: pct(0.99) }
    }
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<44} {:>10.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   errors {}",
            self.rps(),
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.errors
        )
    }
}

type MakeRequest = Arc<dyn Fn(u64) -> Request<Full<Bytes>> + Send + Sync>;

/// One keep-alive HTTP/1.1 connection to `addr` (no Nagle delay), its driver spawned.
async fn connect(addr: SocketAddr) -> anyhow::Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

/// Drive `connections` keep-alive HTTP/1.1 connections against `addr` for `dur`.
async fn drive(
    addr: SocketAddr,
    connections: usize,
    dur: Duration,
    make: MakeRequest,
) -> anyhow::Result<Stats> {
    let counter = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + dur;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (make, counter) = (make.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(addr).await?;
            let (mut lat, mut errors) = (Vec::with_capacity(1 << 16), 0u64);
            while Instant::now() < deadline {
                let req = make(counter.fetch_add(1, Ordering::Relaxed));
                let t = Instant::now();
                let resp = sender.send_request(req).await?;
                let ok = resp.status().is_success();
                resp.into_body().collect().await?;
                lat.push(t.elapsed());
                errors += u64::from(!ok);
            }
            anyhow::Ok((lat, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await??;
        all.extend(lat);
        errors += e;
    }
    Ok(Stats::from_latencies(all, errors, start.elapsed().as_secs_f64()))
}

async fn serve(router: axum::Router) -> anyhow::Result<SocketAddr> {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = l.local_addr()?;
    tokio::spawn(async move { axum::serve(l, router).await });
    Ok(addr)
}

struct Site {
    app: App,
    office: Principal,
    token: String,
    _dir: tempfile::TempDir,
    _pg: Option<liaison_store::testing::TestDatabase>,
}

/// Where a benchmark site keeps its data.
enum Backend<'a> {
    Sqlite { max_batch: usize },
    Postgres(&'a str),
}

async fn site(backend: Backend<'_>) -> anyhow::Result<Site> {
    let dir = tempfile::tempdir()?;
    let mut pg = None;
    let mut config = match backend {
        Backend::Sqlite { max_batch } => {
            let mut c = Config::for_db(&dir.path().join("bench.db"));
            c.sqlite = SqliteOptions { max_batch, ..SqliteOptions::default() };
            c
        }
        Backend::Postgres(server) => {
            let db = liaison_store::testing::TestDatabase::create_on(server)?;
            let c = Config::for_url(&db.url);
            pg = Some(db);
            c
        }
    };
    config.key = liaison_app::KeySource::File(dir.path().join("bench.key"));
    let app = App::open(&config)?;
    let boot = app.bootstrap("基准测试院").await?.context("fresh database")?;
    let admin = app.authenticate(&boot.admin_token.token)?;
    let office = liaison_app::NewUser {
        login: "office".into(),
        display_name: "联络室".into(),
        roles: vec!["office".into()],
        ..Default::default()
    };
    let token = person_token(&app, &admin, &office).await?;
    let office = app.authenticate(&token)?;
    Ok(Site { app, office, token, _dir: dir, _pg: pg })
}

/// An account added by the system administrator, its roles approved by the security administrator, and
/// its own token from the activation code it redeems.
async fn person_token(app: &App, admin: &Principal, new: &liaison_app::NewUser) -> anyhow::Result<String> {
    let tenant = admin.tenant.clone();
    if app.principal_for_login(&tenant, "sec").is_err() {
        let sec = liaison_app::NewUser {
            login: "sec".into(),
            display_name: "安全管理员".into(),
            roles: vec!["security_admin".into()],
            ..Default::default()
        };
        app.add_user(admin, &sec).await?;
    }
    let sec = app.principal_for_login(&tenant, "sec")?;
    app.add_user(admin, new).await?;
    app.account_step(&sec, &new.login, None, liaison_app::AccountStep::Approve, None).await?;
    let code = app.issue_activation(admin, &new.login).await?.code;
    Ok(app.activate(&tenant, &code, "bench", None).await?.token)
}

fn csv(n: u64, seed: u64) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(n as usize * 260);
    liaison_app::demo::write_csv(liaison_app::demo::generate(n, seed), &mut out, Encoding::Utf8)?;
    Ok(out)
}

async fn read_site(s: &Site, deputies: u64, connections: usize, dur: Duration) -> anyhow::Result<Stats> {
    s.app.import_deputies(&s.office, &csv(deputies, 2)?, &ImportOptions::default(), None).await?;
    let filter = liaison_app::DeputyFilter::default();
    let ids: Arc<Vec<String>> = Arc::new(
        s.app.deputies(&s.office, &filter, None, 1000)?.items.iter().map(|d| d.id.to_string()).collect(),
    );
    let addr = serve(liaison_http::app_with(
        liaison_http::AppState::new(s.app.clone()),
        liaison_http::Limits::default(),
        liaison_http::Edge::unlimited(),
    ))
    .await?;
    let auth = format!("Bearer {}", s.token);
    drive(
        addr,
        connections,
        dur,
        Arc::new(move |i| {
            Request::get(format!("/api/v1/deputies/{}", ids[(i as usize) % ids.len()]))
                .header("authorization", &auth)
                .body(Full::new(Bytes::new()))
                .unwrap_or_default()
        }),
    )
    .await
}

async fn read(
    seconds: u64,
    connections: usize,
    deputies: u64,
    postgres: Option<String>,
) -> anyhow::Result<()> {
    let dur = Duration::from_secs(seconds);
    let bare = axum::Router::new().route(
        "/json",
        axum::routing::get(|| async { axum::Json(serde_json::json!({"message": "Hello, World!"})) }),
    );
    let bare_addr = serve(bare).await?;
    let b = drive(
        bare_addr,
        connections,
        dur,
        Arc::new(|_| Request::get("/json").body(Full::new(Bytes::new())).unwrap_or_default()),
    )
    .await?;
    let a = read_site(&site(Backend::Sqlite { max_batch: 512 }).await?, deputies, connections, dur).await?;
    println!("read: {connections} connections, {seconds} s each, {deputies} deputies on the register");
    println!("  {}", b.line("bare axum JSON route"));
    println!("  {}", a.line("GET /api/v1/deputies/{id} (SQLite)"));
    println!("  ratio: {:.2} × the bare route (target ≥ 0.5; p99 target < 5 ms)", a.rps() / b.rps());
    if let Some(url) = postgres {
        let p = read_site(&site(Backend::Postgres(&url)).await?, deputies, connections, dur).await?;
        println!("  {}", p.line("GET /api/v1/deputies/{id} (PostgreSQL)"));
        println!(
            "  PostgreSQL: {:.2} × the bare route, {:.2} × SQLite",
            p.rps() / b.rps(),
            p.rps() / a.rps()
        );
    }
    Ok(())
}

async fn write(seconds: u64, connections: usize, postgres: Option<String>) -> anyhow::Result<()> {
    let base: Arc<Vec<liaison_core::registry::DeputyInput>> =
        Arc::new(liaison_app::demo::generate(5000, 3).collect());
    let mut results = Vec::new();
    let mut backends = vec![
        ("SQLite, one transaction per request", Backend::Sqlite { max_batch: 1 }),
        ("SQLite, group commit", Backend::Sqlite { max_batch: 512 }),
    ];
    if let Some(url) = postgres.as_deref() {
        backends.push(("PostgreSQL, group commit", Backend::Postgres(url)));
    }
    for (name, backend) in backends {
        let s = site(backend).await?;
        let addr = serve(liaison_http::app_with(
            liaison_http::AppState::new(s.app.clone()),
            liaison_http::Limits::default(),
            liaison_http::Edge::unlimited(),
        ))
        .await?;
        let (auth, base) = (format!("Bearer {}", s.token), base.clone());
        let stats = drive(
            addr,
            connections,
            Duration::from_secs(seconds),
            Arc::new(move |i| {
                let mut d = base[(i as usize) % base.len()].clone();
                d.id_number.clear();
                d.birth_date.clear();
                d.work_unit = format!("基准测试单位{i}");
                let body = serde_json::to_vec(&d).unwrap_or_default();
                Request::post("/api/v1/deputies")
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body)))
                    .unwrap_or_default()
            }),
        )
        .await?;
        let verified = s.app.verify_audit()?;
        anyhow::ensure!(verified.ok(), "audit chain broken after the write benchmark");
        results.push((name, stats, verified.records));
    }
    println!(
        "write: POST /api/v1/deputies, durable (synchronous=FULL), {connections} connections, {seconds} s each"
    );
    for (name, s, records) in &results {
        println!("  {}   (audit records {records}, chain verified)", s.line(name));
    }
    println!(
        "  group commit: {:.2} × one transaction per request (target ≥ 3)",
        results[1].1.rps() / results[0].1.rps()
    );
    if let Some((_, pg, _)) = results.get(2) {
        println!("  PostgreSQL: {:.2} × SQLite with group commit", pg.rps() / results[1].1.rps());
    }
    Ok(())
}

/// The people of a suggestion site: a department with its handler, three deputies of three levels with
/// their own accounts.
struct Cast {
    dept: String,
    deputies: Vec<(String, String)>,
}

async fn cast(s: &Site) -> anyhow::Result<Cast> {
    let admin = s.app.principal_for_login(&s.office.tenant, "admin")?;
    s.app
        .change_organisation(
            &s.office,
            liaison_app::OrgInput::AddDepartment { name: "第一检察部".into() },
            None,
            None,
        )
        .await?;
    let user =
        |login: &str, role: &str, deputy: Option<String>, department: Option<String>| liaison_app::NewUser {
            login: login.into(),
            display_name: login.into(),
            roles: vec![role.into()],
            deputy,
            department,
            ..Default::default()
        };
    let dept =
        person_token(&s.app, &admin, &user("dept1", "department", None, Some("第一检察部".into()))).await?;
    let mut deputies = Vec::new();
    for (i, (mut d, level)) in liaison_app::demo::generate(3, 11).zip(["全国", "县", "乡"]).enumerate() {
        d.level = level.into();
        let v = s.app.register_deputy(&s.office, d, None, None).await?;
        let login = format!("dep{i}");
        let token =
            person_token(&s.app, &admin, &user(&login, "deputy", Some(v.id.to_string()), None)).await?;
        deputies.push((v.id.to_string(), token));
    }
    Ok(Cast { dept, deputies })
}

/// Send one request on a connection; the status, the body as JSON, the latency.
async fn send(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    req: Request<Full<Bytes>>,
) -> anyhow::Result<(bool, serde_json::Value, Duration)> {
    let t = Instant::now();
    let resp = sender.send_request(req).await?;
    let ok = resp.status().is_success();
    let body = resp.into_body().collect().await?.to_bytes();
    Ok((ok, serde_json::from_slice(&body).unwrap_or_default(), t.elapsed()))
}

fn json_request(
    path: &str,
    token: &str,
    version: Option<u64>,
    body: serde_json::Value,
) -> Request<Full<Bytes>> {
    let mut b = Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json");
    if let Some(v) = version {
        b = b.header("if-match", format!("\"{v}\""));
    }
    b.body(Full::new(Bytes::from(body.to_string()))).unwrap_or_default()
}

/// Every connection runs whole suggestion cycles for `dur`: file, assign, contact, answer, three ratings.
async fn drive_cycles(
    addr: SocketAddr,
    connections: usize,
    dur: Duration,
    office: String,
    cast: Arc<Cast>,
) -> anyhow::Result<(Stats, u64)> {
    let start = Instant::now();
    let deadline = start + dur;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (office, cast) = (office.clone(), cast.clone());
        tasks.push(tokio::spawn(async move {
            let mut tx = connect(addr).await?;
            let (mut lat, mut errors, mut cycles) = (Vec::with_capacity(1 << 14), 0u64, 0u64);
            let ids: Vec<&str> = cast.deputies.iter().map(|(id, _)| id.as_str()).collect();
            'cycles: while Instant::now() < deadline {
                let file = serde_json::json!({"title": "关于加强未成年人检察工作的建议", "content": "建议在各乡镇设立未成年人保护联络点。",
                    "source": "闭会期间", "deputies": ids});
                let (ok, v, t) = send(&mut tx, json_request("/api/v1/suggestions", &office, None, file)).await?;
                lat.push(t);
                if !ok { errors += 1; continue; }
                let id = v["suggestion"]["id"].as_str().unwrap_or_default().to_owned();
                let mut version = v["suggestion"]["version"].as_u64().unwrap_or_default();
                let mut steps: Vec<(String, &str, serde_json::Value)> = vec![
                    ("assign".into(), office.as_str(), serde_json::json!({"lead": "第一检察部", "handler": "dept1"})),
                    ("contact".into(), cast.dept.as_str(), serde_json::json!({"phase": "before", "means": "phone", "summary": "征求意见"})),
                    ("answer".into(), cast.dept.as_str(), serde_json::json!({"class": "A", "text": "已设立联络点。"})),
                ];
                for (_, token) in &cast.deputies {
                    steps.push(("rate".into(), token.as_str(), serde_json::json!({"rating": "满意"})));
                }
                for (action, token, body) in steps {
                    let path = format!("/api/v1/suggestions/{id}/{action}");
                    let (ok, v, t) = send(&mut tx, json_request(&path, token, Some(version), body)).await?;
                    lat.push(t);
                    if !ok { errors += 1; continue 'cycles; }
                    version = v["suggestion"]["version"].as_u64().unwrap_or(version + 1);
                }
                cycles += 1;
            }
            anyhow::Ok((lat, errors, cycles))
        }));
    }
    let (mut all, mut errors, mut cycles) = (Vec::new(), 0, 0);
    for t in tasks {
        let (lat, e, c) = t.await??;
        all.extend(lat);
        errors += e;
        cycles += c;
    }
    let seconds = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok((Stats { requests: all.len() as u64, errors, seconds, p50: pct(0.50), p99: pct(0.99) }, cycles))
}

async fn suggestions(seconds: u64, connections: usize, postgres: Option<String>) -> anyhow::Result<()> {
    let mut backends = vec![
        ("SQLite, one transaction per request", Backend::Sqlite { max_batch: 1 }),
        ("SQLite, group commit", Backend::Sqlite { max_batch: 512 }),
    ];
    if let Some(url) = postgres.as_deref() {
        backends.push(("PostgreSQL, group commit", Backend::Postgres(url)));
    }
    let mut results = Vec::new();
    for (name, backend) in backends {
        let s = site(backend).await?;
        let cast = Arc::new(cast(&s).await?);
        let addr = serve(liaison_http::app_with(
            liaison_http::AppState::new(s.app.clone()),
            liaison_http::Limits::default(),
            liaison_http::Edge::unlimited(),
        ))
        .await?;
        let (stats, cycles) =
            drive_cycles(addr, connections, Duration::from_secs(seconds), s.token.clone(), cast).await?;
        let verified = s.app.verify_audit()?;
        anyhow::ensure!(verified.ok(), "audit chain broken after the suggestion benchmark");
        let closed = s.app.suggestions(
            &s.office,
            &liaison_app::SuggestionFilter { status: Some("closed".into()), ..Default::default() },
            None,
            1000,
        )?;
        anyhow::ensure!(cycles == 0 || !closed.items.is_empty(), "no suggestion closed");
        results.push((name, stats, cycles, verified.records));
    }
    println!(
        "suggestions: the R1 mix through HTTP (file, assign, contact, answer, 3 × rate), durable (synchronous=FULL), {connections} connections, {seconds} s each"
    );
    for (name, s, cycles, records) in &results {
        println!("  {}   ({cycles} whole cycles, audit records {records}, chain verified)", s.line(name));
    }
    println!("  group commit: {:.2} × one transaction per request", results[1].1.rps() / results[0].1.rps());
    if let Some((_, pg, _, _)) = results.get(2) {
        println!("  PostgreSQL: {:.2} × SQLite with group commit", pg.rps() / results[1].1.rps());
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // `LIAISON_LOG=info` shows what the service logs (e.g. how long an import held the write lock).
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("LIAISON_LOG") {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async {
        match args.cmd {
            Cmd::Import { deputies, postgres, pg_deputies, no_sqlite } => {
                import::import(if no_sqlite { &[] } else { &deputies }, postgres, &pg_deputies).await
            }
            Cmd::Read { postgres, seconds, connections, deputies } => {
                read(seconds, connections, deputies, postgres).await
            }
            Cmd::Write { postgres, seconds, connections } => write(seconds, connections, postgres).await,
            Cmd::Lottery { deputies, seats, rounds } => scale::lottery(deputies, seats, rounds),
            Cmd::Figures { suggestions, rounds } => scale::figures(suggestions, rounds).await,
            Cmd::Pages { deputies, rounds } => pages::pages(&deputies, rounds).await,
            Cmd::National { deputies, suggestions, seconds, connections, rates, pin, keep } => {
                let load = scale::SearchLoad { seconds, connections, rates, pin };
                scale::national(deputies, suggestions, load, keep).await
            }
            Cmd::Suggestions { postgres, seconds, connections } => {
                suggestions(seconds, connections, postgres).await
            }
        }
    })
}
