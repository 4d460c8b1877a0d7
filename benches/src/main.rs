//! `liaison-bench`: the benchmarks of DESIGN.md's performance targets, each comparison run side by side in
//! one process so the ratio holds on a noisy machine. Build with `--release`.
//!
//! - `import`: deputies from a generated CSV, with validation, duplicate checks, encryption and audit.
//! - `read`: `GET /api/v1/deputies/{id}` (authenticated, masked) against a bare axum JSON route.
//! - `write`: `POST /api/v1/deputies` (durable, `synchronous=FULL`) with group commit against one
//!   transaction per request.
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
        /// Register sizes.
        #[arg(long, value_delimiter = ',', default_value = "100000")]
        deputies: Vec<u64>,
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
    },
    /// A year's statistics over many suggestions (DESIGN.md: 1 million in under 2 s).
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
            let stream = tokio::net::TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
            tokio::spawn(conn);
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
    let seconds = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Stats { requests: all.len() as u64, errors, seconds, p50: pct(0.50), p99: pct(0.99) })
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
    app.add_user(
        &admin,
        &liaison_app::NewUser {
            login: "office".into(),
            display_name: "联络室".into(),
            roles: vec!["office".into()],
            ..Default::default()
        },
    )
    .await?;
    let token = app.create_token(&admin, "office", "bench").await?.token;
    let office = app.authenticate(&token)?;
    Ok(Site { app, office, token, _dir: dir, _pg: pg })
}

fn csv(n: u64, seed: u64) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(n as usize * 260);
    liaison_app::demo::write_csv(liaison_app::demo::generate(n, seed), &mut out, Encoding::Utf8)?;
    Ok(out)
}

async fn import(sizes: &[u64]) -> anyhow::Result<()> {
    println!(
        "import: generated register (CSV, UTF-8), validation + duplicate checks + SM4-GCM + audit chain, one transaction"
    );
    for &n in sizes {
        let bytes = csv(n, 1)?;
        let s = site(Backend::Sqlite { max_batch: 512 }).await?;
        let t = Instant::now();
        let (drafts, _) = liaison_app::import::read_file(&bytes, &ImportOptions::default())?;
        let parse = t.elapsed();
        drop(drafts);
        let t = Instant::now();
        let r = s.app.import_deputies(&s.office, &bytes, &ImportOptions::default(), None).await?;
        let all = t.elapsed();
        println!(
            "  {n:>9} deputies: {:>8.2} s  {:>9.0} rows/s   (decode+validate alone {:.2} s, {:.0} rows/s; imported {})",
            all.as_secs_f64(),
            n as f64 / all.as_secs_f64(),
            parse.as_secs_f64(),
            n as f64 / parse.as_secs_f64(),
            r.imported
        );
    }
    Ok(())
}

async fn read_site(s: &Site, deputies: u64, connections: usize, dur: Duration) -> anyhow::Result<Stats> {
    s.app.import_deputies(&s.office, &csv(deputies, 2)?, &ImportOptions::default(), None).await?;
    let filter = liaison_app::DeputyFilter::default();
    let ids: Arc<Vec<String>> = Arc::new(
        s.app.deputies(&s.office, &filter, None, 1000)?.items.iter().map(|d| d.id.to_string()).collect(),
    );
    let addr = serve(liaison_http::app(
        liaison_http::AppState { app: s.app.clone() },
        liaison_http::Limits::default(),
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
        backends.push(("PostgreSQL, one transaction per request", Backend::Postgres(url)));
    }
    for (name, backend) in backends {
        let s = site(backend).await?;
        let addr = serve(liaison_http::app(
            liaison_http::AppState { app: s.app.clone() },
            liaison_http::Limits::default(),
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
        };
    s.app.add_user(&admin, &user("dept1", "department", None, Some("第一检察部".into()))).await?;
    let dept = s.app.create_token(&admin, "dept1", "bench").await?.token;
    let mut deputies = Vec::new();
    for (i, (mut d, level)) in liaison_app::demo::generate(3, 11).zip(["全国", "县", "乡"]).enumerate() {
        d.level = level.into();
        let v = s.app.register_deputy(&s.office, d, None, None).await?;
        let login = format!("dep{i}");
        s.app.add_user(&admin, &user(&login, "deputy", Some(v.id.to_string()), None)).await?;
        deputies.push((v.id.to_string(), s.app.create_token(&admin, &login, "bench").await?.token));
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
            let stream = tokio::net::TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let (mut tx, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
            tokio::spawn(conn);
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
        backends.push(("PostgreSQL, one transaction per request", Backend::Postgres(url)));
    }
    let mut results = Vec::new();
    for (name, backend) in backends {
        let s = site(backend).await?;
        let cast = Arc::new(cast(&s).await?);
        let addr = serve(liaison_http::app(
            liaison_http::AppState { app: s.app.clone() },
            liaison_http::Limits::default(),
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

/// Real suggestions in every state the year's figures distinguish, made through the workflow: open, answered
/// (A, B, C), rated 满意 / 基本满意 / 不满意 by three deputies of three levels, closed.
async fn templates(s: &Site, cast: &Cast) -> anyhow::Result<usize> {
    let dept = s.app.authenticate(&cast.dept)?;
    let deputies: Vec<Principal> =
        cast.deputies.iter().map(|(_, t)| s.app.authenticate(t)).collect::<Result<_, _>>()?;
    let ids: Vec<String> = cast.deputies.iter().map(|(id, _)| id.clone()).collect();
    let act = |v: serde_json::Value| -> anyhow::Result<liaison_app::SuggestionAction> {
        Ok(serde_json::from_value(v)?)
    };
    let mut n = 0;
    for i in 0..48usize {
        let input = liaison_app::SuggestionInput {
            title: format!("关于加强未成年人检察工作的建议（{i}）"),
            content: "建议在各乡镇设立未成年人保护联络点，定期开展法治宣传，加强与学校、社区的协作。".into(),
            source: ["闭会期间", "大会期间", "联络热线"][i % 3].into(),
            received_on: None,
            deputies: ids[..1 + i % 3].to_vec(),
        };
        let v = s.app.file_suggestion(&s.office, &input, None).await?;
        n += 1;
        let key = v.suggestion.id.to_string();
        let mut steps = vec![(
            &s.office,
            act(serde_json::json!({"action": "assign", "lead": "第一检察部", "handler": "dept1"}))?,
        )];
        if i % 4 != 0 {
            steps.push((&dept, act(serde_json::json!({"action": "contact", "phase": "before", "means": "phone", "summary": "征求意见"}))?));
            let class = ["A", "B", "C"][i % 3];
            let mut answer = serde_json::json!({"action": "answer", "class": class, "text": "已设立联络点，并将定期通报进展。"});
            if class != "A" {
                answer["promised_on"] = serde_json::json!("2026-12-31");
            }
            steps.push((&dept, act(answer)?));
            if i % 8 != 1 {
                let rating = ["满意", "基本满意", "不满意"][i % 3 / 2 + i % 2];
                for p in deputies.iter().take(1 + i % 3) {
                    steps.push((
                        p,
                        act(serde_json::json!({"action": "rate", "rating": rating, "comment": "办理认真"}))?,
                    ));
                }
            }
        }
        for (p, a) in steps {
            s.app.suggestion_action(p, &key, None, a, None).await?;
        }
    }
    Ok(n)
}

/// Copy the suggestions made through the workflow under new ids and numbers until there are `n`.
async fn copy_suggestions(s: &Site, made: usize, n: usize) -> anyhow::Result<()> {
    use liaison_store::{RecordQuery, WriteTx};
    let t = s.office.tenant.clone();
    let rows = liaison_store::read(s.app.store(), |q| q.records(&t, "suggestion", &RecordQuery::default()))?;
    anyhow::ensure!(rows.len() == made, "{} records for {made} suggestions", rows.len());
    let templates: Vec<(liaison_store::StoredRecord, liaison_core::suggestion::Suggestion)> = rows
        .into_iter()
        .map(|r| Ok((serde_json::from_str(&r.data)?, r)))
        .map(|x: anyhow::Result<_>| x.map(|(sg, r)| (r, sg)))
        .collect::<anyhow::Result<_>>()?;
    let mut copied = made;
    while copied < n {
        let chunk: Vec<liaison_store::RecordRow> = (copied..n.min(copied + 20_000))
            .map(|i| {
                let (r, sg) = &templates[i % templates.len()];
                let a = sg.assignment.as_ref();
                liaison_store::RecordRow {
                    kind: "suggestion",
                    id: uuid::Uuid::now_v7().to_string(),
                    version: r.version,
                    number: Some(format!("{}-{i:07}", chrono::Datelike::year(&sg.received_on))),
                    status: r.status.clone(),
                    department: a.map(|a| a.lead.id.to_string()),
                    handler: a.map(|a| a.handler.user.to_string()),
                    due_on: r.due_on.clone(),
                    opened_on: sg.received_on.to_string(),
                    data: r.data.clone(),
                    deputies: sg.proposers.iter().map(|p| p.deputy.to_string()).collect(),
                    departments: a.map(|a| vec![a.lead.id.to_string()]).unwrap_or_default(),
                    tags: vec![],
                    summary: serde_json::to_string(&liaison_core::suggestion::SuggestionFacts::of(sg)).ok(),
                    updated_at: s.app.now(),
                }
            })
            .collect();
        copied += chunk.len();
        let t = t.clone();
        liaison_store::write_async(s.app.store(), move |tx: &mut dyn WriteTx| {
            for r in &chunk {
                tx.insert_record(&t, r)?;
            }
            Ok::<_, liaison_store::StoreError>(())
        })
        .await?;
        eprint!("\r  {copied} suggestions stored");
    }
    eprintln!();
    Ok(())
}

/// The resident memory of a process, from `/proc` (Linux), in MiB.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 =
        status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

async fn national(deputies: u64, suggestions: usize, seconds: u64, connections: usize) -> anyhow::Result<()> {
    let server_bin = std::env::current_exe()?.with_file_name("liaison-http");
    anyhow::ensure!(server_bin.exists(), "build the server first: cargo build --release -p liaison-http");
    let s = site(Backend::Sqlite { max_batch: 512 }).await?;
    let cast = cast(&s).await?;
    let made = templates(&s, &cast).await?;
    let t0 = Instant::now();
    let r = s.app.import_deputies(&s.office, &csv(deputies, 1)?, &ImportOptions::default(), None).await?;
    eprintln!("  {} deputies imported in {:.1?}", r.imported, t0.elapsed());
    let t0 = Instant::now();
    copy_suggestions(&s, made, suggestions).await?;
    eprintln!();
    eprintln!("  {suggestions} suggestions stored in {:.1?}", t0.elapsed());
    let Site { app, token, _dir: dir, .. } = s;
    drop(app);
    let db = dir.path().join("bench.db");
    let size = std::fs::metadata(&db)?.len() as f64 / (1u64 << 30) as f64;

    // Start the real server on that database, as an operator would, and time it to its first answer.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let started = Instant::now();
    let mut child = std::process::Command::new(&server_bin)
        .args(["--db", &db.to_string_lossy(), "--key-file", &dir.path().join("bench.key").to_string_lossy()])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env("LIAISON_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let probe = |path: &'static str| async move {
        let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let (mut tx, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.ok()?;
        tokio::spawn(conn);
        let resp = tx.send_request(Request::get(path).body(Full::new(Bytes::new())).ok()?).await.ok()?;
        let ok = resp.status().is_success();
        let body = resp.into_body().collect().await.ok()?.to_bytes();
        Some((ok, String::from_utf8_lossy(&body).into_owned()))
    };
    let live = loop {
        if probe("/livez").await.is_some_and(|(ok, _)| ok) {
            break started.elapsed();
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "the server did not start");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let t0 = Instant::now();
    let ready = probe("/readyz").await.is_some_and(|(ok, _)| ok);
    let readyz = t0.elapsed();
    let rss_started = rss_mib(child.id()).unwrap_or_default();
    // The integrity check reads the whole file beside the service: wait for it before the search load, so
    // that the figure is the search's own.
    let checked = loop {
        match probe("/readyz").await {
            Some((true, body)) if body.contains("integrity: ok") => break started.elapsed(),
            Some((false, body)) => anyhow::bail!("not ready: {body}"),
            _ => {}
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(3600), "the integrity check did not end");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    // Search by name, pinyin or initials prefix, as people type it.
    let prefixes =
        ["wang", "li", "zhang", "liu", "chen", "yang", "zh", "wl", "zw", "h", "x", "王", "李", "张伟"];
    let auth = format!("Bearer {token}");
    let mut runs = Vec::new();
    // One person typing, a busy office, and `connections` at once (the p99 there is mostly queueing for
    // the two cores the load generator shares).
    let mut levels = vec![1, 8, connections];
    levels.dedup();
    for n in levels {
        let auth = auth.clone();
        let stats = drive(
            addr,
            n,
            Duration::from_secs(seconds),
            Arc::new(move |i| {
                let q: String = prefixes[(i as usize) % prefixes.len()]
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }
                    })
                    .collect();
                Request::get(format!("/api/v1/deputies?search={q}&limit=20"))
                    .header("authorization", &auth)
                    .body(Full::new(Bytes::new()))
                    .unwrap_or_default()
            }),
        )
        .await?;
        runs.push((n, stats));
    }
    let rss_loaded = rss_mib(child.id()).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "national: {deputies} deputies and {suggestions} suggestions ({size:.1} GiB database), the liaison-http binary"
    );
    println!(
        "  start-up to the first answer (/livez) {live:.3?} (target < 1 s); /readyz {} in {readyz:.3?}",
        if ready { "ready" } else { "NOT ready" }
    );
    println!(
        "  the integrity check beside the service (quick_check of the whole file) done after {checked:.1?}"
    );
    println!(
        "  memory: {rss_started:.0} MiB after start-up, {rss_loaded:.0} MiB after the search load (target < 200 MB)"
    );
    for (n, stats) in &runs {
        println!("  {}", stats.line(&format!("search by prefix, 20 a page, {n} connection(s)")));
    }
    println!("  (search p99 target < 5 ms)");
    Ok(())
}

async fn figures(n: usize, rounds: usize) -> anyhow::Result<()> {
    use liaison_core::suggestion::GroupBy;
    use liaison_store::RecordQuery;
    let s = site(Backend::Sqlite { max_batch: 512 }).await?;
    let cast = cast(&s).await?;
    let made = templates(&s, &cast).await?;
    let start = Instant::now();
    copy_suggestions(&s, made, n).await?;
    let t = s.office.tenant.clone();
    let load = start.elapsed();
    let this_year = chrono::Datelike::year(&liaison_core::meta::china_date(s.app.now()));
    let year = |m, d| chrono::NaiveDate::from_ymd_opt(this_year, m, d).context("date");
    let (from, to) = (year(1, 1)?, year(12, 31)?);
    println!(
        "figures: a year's statistics over {n} suggestions ({made} made through the workflow, copied; stored in {load:.1?})"
    );
    // Where the time goes: reading the summaries, then decoding them.
    let q = RecordQuery {
        opened_from: Some(from.to_string()),
        opened_to: Some(to.to_string()),
        ..RecordQuery::default()
    };
    let t0 = Instant::now();
    let summaries = liaison_store::read(s.app.store(), |r| r.record_summaries(&t, "suggestion", &q))?;
    let read_time = t0.elapsed();
    let t0 = Instant::now();
    let mut bytes = 0;
    for x in &summaries {
        if let liaison_store::Summary::Summary(json) = x {
            bytes += json.len();
            let _: liaison_core::suggestion::SuggestionFacts = serde_json::from_str(json)?;
        }
    }
    println!(
        "  read {} summaries {read_time:.3?}, decode {:.3?} ({} bytes each on average)",
        summaries.len(),
        t0.elapsed(),
        bytes / summaries.len().max(1)
    );
    drop(summaries);
    for (name, g) in
        [("by level", GroupBy::Level), ("by department", GroupBy::Department), ("in all", GroupBy::All)]
    {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..rounds {
            let t0 = Instant::now();
            let f = s.app.suggestion_figures(&s.office, from, to, g)?;
            times.push(t0.elapsed());
            total = f.total.counts.received;
        }
        anyhow::ensure!(total as usize == n, "{total} counted for {n}");
        times.sort_unstable();
        println!("  {name:<14} {:>10.3?}   (median of {rounds}; target < 2 s)", times[times.len() / 2]);
    }
    Ok(())
}

fn lottery(n: usize, seats: usize, rounds: usize) -> anyhow::Result<()> {
    use liaison_core::activity::{Candidate, Selection, strata};
    use liaison_core::ids::DeputyId;
    use liaison_core::lottery;
    use liaison_core::registry::DeputyLevel;
    // The national shape: about 3k national, 20k provincial, 120k city, 600k county, the rest township.
    let shares = [
        (DeputyLevel::National, 1u64),
        (DeputyLevel::Provincial, 7),
        (DeputyLevel::City, 43),
        (DeputyLevel::County, 214),
        (DeputyLevel::Township, 735),
    ];
    let t = Instant::now();
    let mut candidates = Vec::with_capacity(n);
    let mut id = 0u128;
    for (level, per_mille) in shares {
        let count = n as u64 * per_mille / 1000;
        for i in 0..count {
            id += 1;
            candidates.push(Candidate {
                deputy: DeputyId(uuid::Uuid::from_u128(id << 64 | u128::from(i))),
                level,
                times_chosen: (i % 3) as u32,
                last_chosen: None,
            });
        }
    }
    let generated = t.elapsed();
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (mut t_strata, mut t_fp, mut t_draw, mut t_verify) = (vec![], vec![], vec![], vec![]);
    for r in 0..rounds.max(1) {
        let t = Instant::now();
        let st = strata(&candidates, seats, Selection::Lottery { proportional: true });
        t_strata.push(t.elapsed());
        let t = Instant::now();
        let fp = liaison_store::crypto::sm3_hex(lottery::canonical(&st).as_bytes());
        t_fp.push(t.elapsed());
        let mut seed = [0u8; 32];
        seed[0] = r as u8;
        let t = Instant::now();
        let drawn = lottery::draw(&st, &seed)?;
        t_draw.push(t.elapsed());
        anyhow::ensure!(drawn.len() == seats, "drew {} of {seats}", drawn.len());
        let t = Instant::now();
        let again = lottery::draw(&st, &seed)?;
        anyhow::ensure!(again == drawn && !fp.is_empty(), "the draw does not reproduce");
        t_verify.push(t.elapsed());
    }
    println!(
        "lottery: {seats} of {} deputies, stratified by level (proportional, least chosen first), median of {rounds}",
        candidates.len()
    );
    println!("  generate the pool        {:>9.1} ms (once)", generated.as_secs_f64() * 1e3);
    println!("  strata (levels × tiers)  {:>9.1} ms", median(t_strata).as_secs_f64() * 1e3);
    println!("  fingerprint (SM3)        {:>9.1} ms", median(t_fp).as_secs_f64() * 1e3);
    println!("  draw                     {:>9.3} ms   (target < 100 ms)", median(t_draw).as_secs_f64() * 1e3);
    println!("  verify (draw again)      {:>9.3} ms", median(t_verify).as_secs_f64() * 1e3);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async {
        match args.cmd {
            Cmd::Import { deputies } => import(&deputies).await,
            Cmd::Read { postgres, seconds, connections, deputies } => {
                read(seconds, connections, deputies, postgres).await
            }
            Cmd::Write { postgres, seconds, connections } => write(seconds, connections, postgres).await,
            Cmd::Lottery { deputies, seats, rounds } => lottery(deputies, seats, rounds),
            Cmd::Figures { suggestions, rounds } => figures(suggestions, rounds).await,
            Cmd::National { deputies, suggestions, seconds, connections } => {
                national(deputies, suggestions, seconds, connections).await
            }
            Cmd::Suggestions { postgres, seconds, connections } => {
                suggestions(seconds, connections, postgres).await
            }
        }
    })
}
