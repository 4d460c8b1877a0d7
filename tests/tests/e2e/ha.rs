//! The failover drill (issue 20, part 1): PostgreSQL's own streaming replication under the real
//! `liaison-http`.
//!
//! A primary and a hot standby (`ha_pair`, `scripts/pg-ha-pair.sh`); the server is given both in one URL
//! with `target_session_attrs=read-write`. First a server pointed at the standby alone shows that a
//! read-only node refuses a write (503 `store.unavailable`, nothing written) while it serves reads. Then the
//! cost of synchronous replication: the same small load with the standby asynchronous and with
//! `synchronous_commit=remote_apply` (the figures are printed). Then, under that synchronous replication
//! and under load from several clients, each write with its own `Idempotency-Key`, the primary is stopped
//! hard (`pg_ctl stop -m immediate`) and the standby promoted; the server must find the new primary by
//! itself (a broken connection is dropped from the pool, a new one goes to whichever host accepts
//! writes), and the clients retry what was not acknowledged with the same key. At the end every
//! acknowledged write is on the new primary exactly once, the audit chain and the stored state verify, the
//! server is ready and `/metrics` shows the replication as it was and as it is.
//!
//! It starts two PostgreSQL clusters, so it runs only when `LIAISON_TEST_HA` is set (`.ci/run` sets it);
//! otherwise it says SKIPPED.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use liaison_store::testing::say;
use serde_json::{Value, json};

use super::ha_pair::Pair;
use super::{Server, agent, approve, get, key_file, liaison, ok, serve_with_env};

const METRICS_TOKEN: &str = "ha-drill-metrics-token";

/// The drill floods the server on purpose (no request limits), and reads `/metrics` with a token.
const ENV: &[(&str, &str)] = &[
    ("LIAISON_RATE_PER_ADDRESS", "0"),
    ("LIAISON_RATE_PER_ACCOUNT", "0"),
    ("LIAISON_METRICS_TOKEN", METRICS_TOKEN),
];

/// Concurrent clients.
const CLIENTS: usize = 4;

/// A write: its idempotency key and the deputy it registers (names take no digits: Chinese numerals).
fn body(n: usize) -> Value {
    let numerals: String = n
        .to_string()
        .chars()
        .map(|d| "零一二三四五六七八九".chars().nth(d as usize - '0' as usize).unwrap())
        .collect();
    json!({"name": format!("演练代表{numerals}"), "gender": if n.is_multiple_of(2) { "女" } else { "男" },
        "level": "县", "term": "18", "region": "鼓楼区", "mobile": format!("138{n:08}"), "term_start": "2022-01-01"})
}

/// What one attempt gave.
enum Answer {
    /// Acknowledged with this id.
    Acknowledged(String),
    /// No answer (the connection broke or timed out) or 503: not known to be applied; retry with the key.
    Retry(String),
}

fn attempt(base: &str, token: &str, key: &str, body: &Value) -> Answer {
    let r = agent()
        .post(&format!("{base}/api/v1/deputies"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Idempotency-Key", key)
        .config()
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .send_json(body);
    match r {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let b: Value = r.body_mut().read_json().unwrap_or(Value::Null);
            match (status, b["id"].as_str()) {
                (200 | 201, Some(id)) => Answer::Acknowledged(id.to_owned()),
                (503, _) => Answer::Retry(format!("503 {}", b["code"])),
                _ => panic!("{key} was refused: {status} {b}"),
            }
        }
        Err(e) => Answer::Retry(e.to_string()),
    }
}

/// Send until acknowledged, with the same key every time (at most `within`). The id, and how many
/// attempts were not acknowledged.
fn until_acknowledged(base: &str, token: &str, key: &str, body: &Value, within: Duration) -> (String, usize) {
    let deadline = Instant::now() + within;
    let mut retries = 0;
    loop {
        match attempt(base, token, key, body) {
            Answer::Acknowledged(id) => return (id, retries),
            Answer::Retry(why) => {
                assert!(Instant::now() < deadline, "{key} still not acknowledged after {within:?}: {why}");
                retries += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// The writes acknowledged so far: key → id.
type Acknowledged = Arc<Mutex<HashMap<String, String>>>;

/// `per_client` writes from each of the clients, numbered from `first`: the wall time and every write's
/// latency, sorted.
fn fixed_load(
    base: &str,
    token: &str,
    first: usize,
    per_client: usize,
    acked: &Acknowledged,
) -> (Duration, Vec<Duration>) {
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (base, token, acked) = (base.to_owned(), token.to_owned(), acked.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    let n = first + c * per_client + i;
                    let (key, body) = (format!("ha-{n:06}"), body(n));
                    let t = Instant::now();
                    let (id, retries) =
                        until_acknowledged(&base, &token, &key, &body, Duration::from_secs(10));
                    assert_eq!(retries, 0, "{key} needed a retry with both nodes up");
                    latencies.push(t.elapsed());
                    acked.lock().unwrap().insert(key, id);
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    all.sort();
    (started.elapsed(), all)
}

fn figures(label: &str, (wall, lat): &(Duration, Vec<Duration>)) -> String {
    let pct = |p: usize| lat[(lat.len() * p / 100).min(lat.len() - 1)].as_secs_f64() * 1000.0;
    format!(
        "{label}: {} writes by {CLIENTS} clients in {:.2} s = {:.0} writes/s, latency p50 {:.1} ms, p95 {:.1} ms",
        lat.len(),
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64(),
        pct(50),
        pct(95)
    )
}

/// `/metrics` of a server (with the drill's metrics token).
fn metrics(base: &str) -> String {
    let mut r = agent()
        .get(&format!("{base}/metrics"))
        .header("Authorization", &format!("Bearer {METRICS_TOKEN}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.body_mut().read_to_string().unwrap()
}

/// The value of the first metric line starting with `prefix`.
fn metric(text: &str, prefix: &str) -> Option<f64> {
    text.lines().find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

/// Wait (up to 15 s: the sampler runs every 5 s) until `/metrics` shows what `want` accepts.
fn metrics_until(base: &str, what: &str, want: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let m = metrics(base);
        if want(&m) {
            return m;
        }
        assert!(Instant::now() < deadline, "/metrics never showed {what}:\n{m}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Every deputy's id on the register, through the API (all pages).
fn register_ids(base: &str, token: &str) -> Vec<String> {
    let (mut ids, mut cursor) = (Vec::new(), String::new());
    loop {
        let more = if cursor.is_empty() { String::new() } else { format!("&cursor={cursor}") };
        let (s, page) = get(base, &format!("/api/v1/deputies?limit=1000{more}"), token);
        assert_eq!(s, 200, "{page}");
        ids.extend(page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => return ids,
        }
    }
}

/// Whether the drills run (`LIAISON_TEST_HA`); said when they do not.
fn required(which: &str) -> bool {
    if std::env::var("LIAISON_TEST_HA").map_or(true, |v| v.is_empty() || v == "0") {
        say(&format!(
            "SKIPPED {which} (issue 20): set LIAISON_TEST_HA=1 to run it (two PostgreSQL clusters, scripts/pg-ha-pair.sh)"
        ));
        return false;
    }
    true
}

/// The pair, a folder with the key file, `liaison init` through the two-host URL, the office's token and
/// the server on that URL.
struct Installation {
    pair: Pair,
    tmp: tempfile::TempDir,
    key: String,
    token: String,
    server: Server,
}

impl Installation {
    fn new() -> Self {
        Self::serving(false)
    }

    /// As `new`, the server given the standby as its read replica (`--read-replica-url`) when `replica`.
    fn serving(replica: bool) -> Self {
        let pair = Pair::up();
        let tmp = tempfile::tempdir().unwrap();
        let key = key_file(tmp.path(), &"4a".repeat(32));
        let url = pair.url();
        let cli = |more: &[&str]| {
            liaison(tmp.path(), &[&["--database-url", &url, "--key-file", &key][..], more].concat())
        };
        ok(&cli(&["init"]));
        ok(&cli(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
        approve(&cli, "office");
        let token = ok(&cli(&["--as", "office", "token", "create"])).trim().to_owned();
        let standby = pair.url_of(pair.standby);
        let mut args = vec!["--database-url", &url, "--key-file", &key];
        if replica {
            args.extend(["--read-replica-url", &standby]);
        }
        let server = serve_with_env(tmp.path(), &args, ENV);
        Self { pair, tmp, key, token, server }
    }

    fn base(&self) -> String {
        self.server.1.clone()
    }

    fn cli(&self, more: &[&str]) -> String {
        let url = self.pair.url();
        ok(&liaison(
            self.tmp.path(),
            &[&["--database-url", &url, "--key-file", &self.key][..], more].concat(),
        ))
    }

    /// Every acknowledged write on the register exactly once and nothing more, on the node at `port` too
    /// (read there directly); the chain and the stored state verify; the server is ready.
    fn check_after(&self, acked: &HashMap<String, String>, port: u16) {
        let on_register = register_ids(&self.base(), &self.token);
        let mut distinct = on_register.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), on_register.len(), "no deputy listed twice");
        for (key, id) in acked {
            assert!(distinct.binary_search(id).is_ok(), "the acknowledged write {key} ({id}) is lost");
        }
        assert_eq!(
            on_register.len(),
            acked.len(),
            "exactly one deputy per key: a retry applied twice shows as one more"
        );
        let there = self.pair.sql(port, "SELECT count(*) FROM deputies");
        assert_eq!(there, acked.len().to_string(), "the new primary holds them (read there directly)");
        let verified = self.cli(&["audit", "verify", "--state"]);
        assert!(verified.contains("审计链完整") && verified.contains("存储状态与事件重放一致"), "{verified}");
        let mut r = agent().get(&format!("{}/readyz", self.base())).call().unwrap();
        let status = r.status().as_u16();
        assert_eq!(status, 200, "/readyz: {}", r.body_mut().read_to_string().unwrap_or_default());
    }
}

/// Clients writing with keys until stopped, each retrying its write with the same key until acknowledged.
struct Writers {
    stop: Arc<AtomicBool>,
    moved: Arc<AtomicBool>,
    after: Arc<AtomicUsize>,
    threads: Vec<std::thread::JoinHandle<usize>>,
}

impl Writers {
    fn start(base: &str, token: &str, first: usize, acked: &Acknowledged) -> Self {
        let (stop, moved, after) =
            (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)), Arc::default());
        let threads = (0..CLIENTS)
            .map(|c| {
                let (base, token, acked) = (base.to_owned(), token.to_owned(), acked.clone());
                let (stop, moved, after): (_, _, Arc<AtomicUsize>) =
                    (stop.clone(), moved.clone(), Arc::clone(&after));
                std::thread::spawn(move || {
                    let (mut n, mut retried) = (first + c * 100_000, 0);
                    while !stop.load(Ordering::SeqCst) {
                        let (key, body) = (format!("ha-{n:06}"), body(n));
                        let (id, retries) =
                            until_acknowledged(&base, &token, &key, &body, Duration::from_secs(60));
                        retried += retries;
                        acked.lock().unwrap().insert(key, id);
                        if moved.load(Ordering::SeqCst) {
                            after.fetch_add(1, Ordering::SeqCst);
                        }
                        n += 1;
                    }
                    retried
                })
            })
            .collect();
        Self { stop, moved, after, threads }
    }

    /// The new primary is up: wait until each client, on average, has had 10 writes acknowledged since.
    fn until_written_after_move(&self, pair: &Pair) {
        self.moved.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.after.load(Ordering::SeqCst) < 10 * CLIENTS {
            assert!(
                Instant::now() < deadline,
                "the server did not write to the new primary: {}",
                pair.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stop them: how many attempts were not acknowledged and were retried.
    fn stop(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        self.threads.into_iter().map(|t| t.join().unwrap()).sum()
    }
}

#[test]
fn failover_drill_loses_no_acknowledged_write() {
    if !required("the failover drill") {
        return;
    }
    // The binaries are built before the clock starts: the figure printed is the drill's own.
    let _ = (super::bin("liaison"), super::bin("liaison-http"));
    let began = Instant::now();
    let i = Installation::new();
    let (pair, base, token) = (&i.pair, i.base(), i.token.clone());

    // A read-only node refuses a write: a server given the standby alone serves reads, and a write is 503
    // store.unavailable (25006 from PostgreSQL), with nothing written.
    let standby_url = pair.url_of(pair.standby);
    let on_standby =
        serve_with_env(i.tmp.path(), &["--database-url", &standby_url, "--key-file", &i.key], ENV);
    let (s, listed) = get(&on_standby.1, "/api/v1/deputies", &token);
    assert_eq!(s, 200, "a read on the standby: {listed}");
    match attempt(&on_standby.1, &token, "ha-standby", &body(999_999)) {
        Answer::Retry(why) => assert!(why.contains("store.unavailable"), "{why}"),
        Answer::Acknowledged(id) => panic!("a read-only node acknowledged a write: {id}"),
    }
    drop(on_standby);

    // /metrics shows the standby streaming from the primary the server writes to.
    let m = metrics_until(&base, "the standby streaming", |m| {
        metric(m, "liaison_pg_standbys_streaming") == Some(1.0)
    });
    assert_eq!(metric(&m, "liaison_pg_in_recovery"), Some(0.0), "{m}");
    assert!(
        m.contains("liaison_pg_standby_replay_lag_seconds{standby=\"liaison_standby\",sync_state=\"async\"}"),
        "{m}"
    );

    // The cost of synchronous replication: after a warm-up (the pool's connections, the statements), the
    // same load twice each way, alternating, so a drift of the machine's load does not favour one mode.
    let acked: Acknowledged = Arc::default();
    let per_client: usize =
        std::env::var("LIAISON_HA_WRITES").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    let mut next = 0;
    let mut load = |n: usize| {
        let r = fixed_load(&base, &token, next, n, &acked);
        next += CLIENTS * n;
        r
    };
    load(5);
    for round in 1..=2 {
        let asynchronous = load(per_client);
        assert!(pair.run(&["sync", "on"]).contains("sync"));
        let synchronous = load(per_client);
        say(&format!("failover drill, round {round}: {}", figures("asynchronous standby", &asynchronous)));
        say(&format!(
            "failover drill, round {round}: {}",
            figures("synchronous_commit=remote_apply", &synchronous)
        ));
        if round == 1 {
            assert!(pair.run(&["sync", "off"]).contains("async"));
        }
    }
    assert_eq!(pair.sql(pair.primary, "SELECT sync_state FROM pg_stat_replication"), "sync");
    metrics_until(&base, "the standby as sync", |m| {
        m.contains("liaison_pg_standby_replay_lag_seconds{standby=\"liaison_standby\",sync_state=\"sync\"}")
    });

    // Failover under load, with synchronous replication (what makes "nothing acknowledged is lost" hold:
    // with an asynchronous standby the last commits before the crash may not have reached it).
    let writers = Writers::start(&base, &token, next, &acked);
    std::thread::sleep(Duration::from_millis(1500));
    let before_crash = acked.lock().unwrap().len();
    pair.run(&["stop-primary"]);
    let crashed = Instant::now();
    // The writes now fail (503) and are retried; the standby takes over a moment later.
    std::thread::sleep(Duration::from_millis(1000));
    pair.run(&["promote"]);
    assert_eq!(pair.sql(pair.standby, "SELECT pg_is_in_recovery()"), "f", "the standby is the primary now");
    writers.until_written_after_move(pair);
    let recovered = crashed.elapsed();
    let retried = writers.stop();
    let acked = acked.lock().unwrap().clone();
    assert!(retried > 0, "no write met the failover: the drill did not test it");

    // Every acknowledged write is on the new primary, once; nothing else is (the write the standby refused
    // is nowhere); the chain verifies; /metrics says where the server writes now.
    i.check_after(&acked, pair.standby);
    let by_name = pair.sql(pair.standby, "SELECT count(*) FROM deputies WHERE name = '演练代表九九九九九九'");
    assert_eq!(by_name, "0", "the write refused by the standby is nowhere");
    let m = metrics_until(&base, "no standby streaming", |m| {
        metric(m, "liaison_pg_standbys_streaming") == Some(0.0)
    });
    assert_eq!(metric(&m, "liaison_pg_in_recovery"), Some(0.0), "{m}");
    assert_eq!(metric(&m, "liaison_pg_standby_connected{standby=\"liaison_standby\"}"), Some(0.0), "{m}");
    say(&format!(
        "required suite ran: the failover drill (issue 20): {} writes acknowledged ({before_crash} before the \
         crash), {retried} attempts unacknowledged and retried with their keys, {} more acknowledged on the new \
         primary {:.1} s after the crash (promoted after 1 s), none lost or doubled, the chain verifies; {:.0} s in all",
        acked.len(),
        10 * CLIENTS,
        recovered.as_secs_f64(),
        began.elapsed().as_secs_f64()
    ));
}

/// A planned switchover: the primary is fenced (`default_transaction_read_only`, reloaded: its open
/// sessions turn read-only but stay connected, so the pool's own check on reuse keeps them), the standby
/// is promoted once it has replayed everything. The server must drop the connections that now refuse
/// writes and find the new primary; no write is accepted by the fenced node.
#[test]
fn switchover_moves_writes_off_a_fenced_primary() {
    if !required("the switchover drill") {
        return;
    }
    let i = Installation::new();
    let (pair, base, token) = (&i.pair, i.base(), i.token.clone());
    let acked: Acknowledged = Arc::default();
    let writers = Writers::start(&base, &token, 0, &acked);
    std::thread::sleep(Duration::from_millis(1000));
    pair.sql(pair.primary, "ALTER SYSTEM SET default_transaction_read_only = on");
    pair.sql(pair.primary, "SELECT pg_reload_conf()");
    // Each session applies the reload at its next command: a moment later the node is read-only.
    std::thread::sleep(Duration::from_millis(300));
    let count = "SELECT count(*) FROM deputies";
    let fenced = pair.sql(pair.primary, count);
    // Everything the fenced primary wrote is replayed on the standby before it is promoted.
    let deadline = Instant::now() + Duration::from_secs(10);
    let caught_up = "SELECT count(*) FROM pg_stat_replication WHERE replay_lsn = pg_current_wal_lsn()";
    while pair.sql(pair.primary, caught_up) != "1" {
        assert!(Instant::now() < deadline, "the standby did not catch up: {}", pair.logs());
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    pair.run(&["promote"]);
    writers.until_written_after_move(pair);
    let retried = writers.stop();
    let acked = acked.lock().unwrap().clone();
    assert!(retried > 0, "no write met the fence: the drill did not test it");
    i.check_after(&acked, pair.standby);
    // The fenced node accepted no write since it was fenced.
    let on_fenced = pair.sql(pair.primary, count);
    assert_eq!(on_fenced, fenced, "the fenced primary took writes");
    say(&format!(
        "required suite ran: the switchover drill (issue 20): {} writes acknowledged, {on_fenced} on the fenced \
         primary, {retried} attempts retried with their keys, none lost or doubled, the chain verifies",
        acked.len()
    ));
}

/// Reports read from the standby given as `--read-replica-url`: with its replay paused, the coverage report
/// (a report) still counts the deputies it had while the register (not a report) counts the new one; once
/// replay resumes the report catches up; with the standby stopped the report is read from the primary.
#[test]
fn report_reads_go_to_the_standby_and_to_the_primary_without_it() {
    if !required("the read-replica drill") {
        return;
    }
    let i = Installation::serving(true);
    let (pair, base, token) = (&i.pair, i.base(), i.token.clone());
    let register = |n: usize| match attempt(&base, &token, &format!("ha-{n:06}"), &body(n)) {
        Answer::Acknowledged(_) => {}
        Answer::Retry(why) => panic!("a write with both nodes up: {why}"),
    };
    let reported = || {
        let (s, c) = get(&base, "/api/v1/coverage", &token);
        assert_eq!(s, 200, "{c}");
        c["deputies"].as_u64().unwrap()
    };
    let listed = || register_ids(&base, &token).len() as u64;
    let until_reported = |want: u64| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while reported() != want {
            assert!(Instant::now() < deadline, "the report never counted {want}: {}", pair.logs());
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    register(1);
    until_reported(1);
    pair.sql(pair.standby, "SELECT pg_wal_replay_pause()");
    register(2);
    assert_eq!(listed(), 2, "the register reads the primary");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(reported(), 1, "the report reads the standby, whose replay is paused");
    pair.sql(pair.standby, "SELECT pg_wal_replay_resume()");
    until_reported(2);
    pair.run(&["stop-standby"]);
    register(3);
    assert_eq!(reported(), 3, "without the standby the report reads the primary");
    say(
        "required suite ran: the read-replica drill (issue 20): a report read the standby (stale while its replay was paused), and the primary once it was stopped",
    );
}

/// `--read-replica-url` refused with the flag named, changing nothing: typed with a password, without
/// `--database-url` (usage, exit 2), or with a session attribute tokio-postgres does not know. Needs no
/// PostgreSQL: each is refused before any connection.
#[test]
fn a_bad_read_replica_url_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let key = key_file(tmp.path(), &"4a".repeat(32));
    let run = |args: &[&str]| {
        std::process::Command::new(super::bin("liaison-http"))
            .current_dir(tmp.path())
            .env_remove("LIAISON_DATABASE_URL")
            .env_remove("LIAISON_READ_REPLICA_URL")
            .args(["--key-file", &key, "--listen", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap()
    };
    let primary = "postgres://postgres@127.0.0.1:1/liaison";
    let typed =
        run(&["--database-url", primary, "--read-replica-url", "postgres://liaison:secret@db2/liaison"]);
    let err = String::from_utf8_lossy(&typed.stderr);
    assert_eq!(typed.status.code(), Some(1), "{err}");
    assert!(err.contains("--read-replica-url") && err.contains("LIAISON_READ_REPLICA_URL"), "{err}");
    assert!(!err.contains("secret"), "the password is not repeated: {err}");
    let alone = run(&["--read-replica-url", "postgres://postgres@db2/liaison"]);
    let err = String::from_utf8_lossy(&alone.stderr);
    assert_eq!(alone.status.code(), Some(2), "{err}");
    assert!(err.contains("--database-url"), "{err}");
    let unknown = run(&[
        "--database-url",
        primary,
        "--read-replica-url",
        "postgres://postgres@db2/liaison?target_session_attrs=primary",
    ]);
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(1), "{err}");
    assert!(err.contains("read replica") && err.contains("target_session_attrs"), "{err}");
    assert!(!tmp.path().join("liaison.db").exists(), "nothing was created");
}
