//! National scale: the lottery over 2.8 million deputies, a year's figures over a million suggestions, and
//! the server's start-up, memory and search over both (DESIGN.md's targets).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use liaison_app::Principal;
use liaison_app::import::ImportOptions;

use crate::{Backend, Cast, Site, cast, csv, drive, site};

/// Real suggestions in every state the year's figures distinguish, made through the workflow: open, answered
/// (A, B, C), rated 满意 / 基本满意 / 不满意 by three deputies of three levels, closed.
pub(crate) async fn templates(s: &Site, cast: &Cast) -> anyhow::Result<usize> {
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
                    line: liaison_app::report::ReportLine::json(sg).ok(),
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

/// The search load of `national`.
pub(crate) struct SearchLoad {
    pub(crate) seconds: u64,
    pub(crate) connections: usize,
    /// Open-loop arrival rates, after the closed loops.
    pub(crate) rates: Vec<f64>,
    /// Server on CPU 0, load generator on CPU 1.
    pub(crate) pin: bool,
}

pub(crate) async fn national(
    deputies: u64,
    suggestions: usize,
    load: SearchLoad,
    keep: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let server_bin = std::env::current_exe()?.with_file_name("liaison-http");
    anyhow::ensure!(server_bin.exists(), "build the server first: cargo build --release -p liaison-http");
    let (dir, token, _temp) = match keep.clone().filter(|k| k.join("bench.db").exists()) {
        Some(kept) => {
            eprintln!("  reusing the database kept in {}", kept.display());
            let token = std::fs::read_to_string(kept.join("token"))?.trim().to_owned();
            (kept, token, None)
        }
        None => build_national(deputies, suggestions, keep).await?,
    };
    let db = dir.join("bench.db");
    let size = std::fs::metadata(&db)?.len() as f64 / (1u64 << 30) as f64;

    // Start the real server on that database, as an operator would, and time it to its first answer.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let started = Instant::now();
    let mut server =
        std::process::Command::new(if load.pin { "taskset".as_ref() } else { server_bin.as_os_str() });
    if load.pin {
        // The server on CPU 0; this process (every thread of it) on CPU 1.
        server.args(["-c", "0"]).arg(&server_bin);
        let me = std::process::id().to_string();
        let pinned = std::process::Command::new("taskset").args(["-a", "-p", "-c", "1", &me]).output()?;
        anyhow::ensure!(pinned.status.success(), "taskset: {}", String::from_utf8_lossy(&pinned.stderr));
    }
    let mut child = server
        .args(["--db", &db.to_string_lossy(), "--key-file", &dir.join("bench.key").to_string_lossy()])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        // The server's own request limits (50 a second per address by default) would answer most of the
        // load with 429: the search is measured, not the limiter.
        .args(["--rate-per-address", "0", "--rate-per-account", "0"])
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
            // `/readyz` answers JSON: `{"ready":true,"integrity":"ok",…}` once the check is done.
            Some((true, body)) if integrity_ok(&body) => break started.elapsed(),
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
    let make: crate::MakeRequest = Arc::new(move |i| {
        let q: String = prefixes[(i as usize) % prefixes.len()]
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        Request::get(format!("/api/v1/deputies?search={q}&limit=20"))
            .header("authorization", &auth)
            .body(Full::new(Bytes::new()))
            .unwrap_or_default()
    });
    let mut runs = Vec::new();
    // One person typing, a busy office, and `connections` at once (the p99 there is mostly queueing for
    // the two cores the load generator shares).
    let (connections, dur) = (load.connections, Duration::from_secs(load.seconds));
    let mut levels = vec![1, 8, connections];
    levels.dedup();
    for n in levels {
        let stats = drive(addr, n, dur, make.clone()).await?;
        runs.push((format!("search by prefix, 20 a page, {n} connection(s)"), stats));
    }
    // Then requests arriving at fixed rates over the same `connections` (open loop).
    for &rate in &load.rates {
        let stats = crate::open_loop::drive_at_rate(addr, connections, rate, dur, make.clone()).await?;
        runs.push((format!("… arriving at {rate:.0}/s over {connections} connections"), stats));
    }
    let rss_loaded = rss_mib(child.id()).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    for (name, stats) in &runs {
        anyhow::ensure!(stats.errors == 0, "{name}: {} of {} requests failed", stats.errors, stats.requests);
    }
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
    if load.pin {
        println!("  the server pinned to CPU 0, this load generator to CPU 1");
    }
    for (name, stats) in &runs {
        println!("  {}", stats.line(name));
    }
    println!("  (search p99 target < 5 ms)");
    Ok(())
}

/// Whether a `/readyz` body says the integrity check is done and found nothing.
fn integrity_ok(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| v["integrity"] == "ok")
}

/// Build the national database in a temporary directory (kept in `keep` for the next run when given):
/// its directory, the office's token, and the temporary directory to hold while it is used.
async fn build_national(
    deputies: u64,
    suggestions: usize,
    keep: Option<std::path::PathBuf>,
) -> anyhow::Result<(std::path::PathBuf, String, Option<tempfile::TempDir>)> {
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
    let Some(keep) = keep else { return Ok((dir.path().to_owned(), token, Some(dir))) };
    std::fs::create_dir_all(&keep)?;
    for name in ["bench.db", "bench.db-wal", "bench.key"] {
        if !dir.path().join(name).exists() {
            continue;
        }
        std::fs::rename(dir.path().join(name), keep.join(name))
            .or_else(|_| std::fs::copy(dir.path().join(name), keep.join(name)).map(|_| ()))?;
    }
    std::fs::write(keep.join("token"), &token)?;
    Ok((keep, token, None))
}

pub(crate) async fn figures(n: usize, rounds: usize) -> anyhow::Result<()> {
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
    annual_report(&s, this_year, n, rounds)
}

/// The annual report over the same year (issue 18, item 8: under 5 s): the model, then each rendering.
fn annual_report(s: &Site, year: i32, n: usize, rounds: usize) -> anyhow::Result<()> {
    use liaison_app::report::render::{Format, render};
    use liaison_app::report::{Lang, ReportRequest};
    let req = ReportRequest { year: Some(year), ..ReportRequest::default() };
    // Where the model's time goes: the lines read from the store, then decoded.
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let t = s.office.tenant.clone();
    // Read alone (each line handed over and dropped), then read and decoded.
    let (t0, c0) = (Instant::now(), cpu());
    let (mut count, mut bytes) = (0usize, 0usize);
    liaison_store::read(s.app.store(), |r| {
        r.record_lines(&t, "suggestion", &from, &to, &mut |l| {
            if let liaison_store::Line::Line(json) = l {
                (count, bytes) = (count + 1, bytes + json.len());
            }
        })
    })?;
    let (read_time, read_cpu) = (t0.elapsed(), cpu() - c0);
    let (t0, c0) = (Instant::now(), cpu());
    let mut failed = None;
    liaison_store::read(s.app.store(), |r| {
        r.record_lines(&t, "suggestion", &from, &to, &mut |l| {
            if let liaison_store::Line::Line(json) = l
                && let Err(e) = serde_json::from_str::<liaison_app::report::ReportLine>(json)
            {
                failed = Some(e);
            }
        })
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    println!(
        "  read {count} report lines {read_time:.3?} (CPU {read_cpu:.3?}), read and decoded {:.3?} (CPU {:.3?}; {} bytes each on average)",
        t0.elapsed(),
        cpu() - c0,
        bytes / count.max(1)
    );
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..rounds {
        let (t0, c0) = (Instant::now(), cpu());
        let r = s.app.annual_report(&s.office, &req)?;
        times.push((t0.elapsed(), cpu() - c0));
        report = Some(r);
    }
    let r = report.context("no round ran")?;
    anyhow::ensure!(r.annex.len() >= n, "{} annex rows for {n} suggestions", r.annex.len());
    times.sort_unstable();
    let (model, model_cpu) = times[times.len() / 2];
    println!(
        "  annual report  {model:>10.3?}   (the model, median of {rounds}; CPU {model_cpu:.3?}; {} annex rows)",
        r.annex.len()
    );
    for (name, format) in
        [("JSON", Format::Json), ("CSV zip", Format::Csv), ("XLSX", Format::Xlsx), ("HTML", Format::Html)]
    {
        // The median of the rounds (the workbook, seconds each, once).
        let mut times = Vec::new();
        let mut bytes = Vec::new();
        for _ in 0..if format == Format::Xlsx { 1 } else { rounds } {
            drop(std::mem::take(&mut bytes));
            let (t0, c0) = (Instant::now(), cpu());
            bytes = render(&r, format, Lang::Zh)?;
            times.push((t0.elapsed(), cpu() - c0));
        }
        times.sort_unstable();
        let (took, took_cpu) = times[times.len() / 2];
        let total = model + took;
        let verdict = if total < Duration::from_secs(5) { "" } else { "   OVER TARGET" };
        println!(
            "    + {name:<8} {took:>10.3?}   = {total:.3?} in all (CPU {took_cpu:.3?}, {:.3?} in all), {:.1} MiB   (target < 5 s){verdict}",
            model_cpu + took_cpu,
            bytes.len() as f64 / 1_048_576.0
        );
    }
    Ok(())
}

/// The CPU time this process has used (user and system, all threads), from `/proc/self/stat`: on a machine
/// shared with other work, the wall time of a single-threaded step overstates it, its CPU time does not.
fn cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    // Linux reports them in USER_HZ, 100 a second.
    Duration::from_millis(ticks * 10)
}

pub(crate) fn lottery(n: usize, seats: usize, rounds: usize) -> anyhow::Result<()> {
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
        let promise = lottery::SeedPromise::Committed { commitment: "bench".into(), reason: None };
        let fp = liaison_store::crypto::sm3_hex(lottery::canonical_v2(&st, &promise).as_bytes());
        t_fp.push(t.elapsed());
        let mut seed = [0u8; 32];
        seed[0] = r as u8;
        let t = Instant::now();
        let drawn = lottery::draw_pool(&st, &seed)?;
        t_draw.push(t.elapsed());
        anyhow::ensure!(drawn.len() == seats, "drew {} of {seats}", drawn.len());
        let t = Instant::now();
        let again = lottery::draw_pool(&st, &seed)?;
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
