//! End-to-end scenarios with the real binaries, in one test binary (each file under `tests/` would be a
//! link of its own): `liaison` sets up, `liaison-http` serves, clients call it over HTTP, a browser uses
//! its pages. This root holds the shared helpers; [`World`] (`e2e/world.rs`) is the installation every
//! scenario starts from, and the scenarios live under `e2e/`, one module per family:
//!
//! - `startup`: first start, import and read-back, bad input, backup and restore, tampering, two servers on
//!   one PostgreSQL, a rehearsal year;
//! - `suggestions` (R1, publication, deliberation), `messages` (R1 with real e-mail and SMS), `notices` (R2, R3), `reviews` (R4–R6), `activities`
//!   (C4 draws), `channels` (G1–G3, C1, C3, the hotline, cards, services, solicitations, supervisors);
//! - `input` (hostile files, key files, secrets on the command line), `transport` (TLS, limits, nginx),
//!   `tenants` (a province of three procuratorates: every GET across tenants refused, the roll-up),
//!   `faults` (SIGKILL under load, a full disk, a long import beside the server), `ha` (the failover drill
//!   on a PostgreSQL primary and standby, `ha_pair`), `browser` (a phone-sized
//!   Chromium), `pages` (the staff pages' first login in Chromium, desktop and phone), `openapi` (a generated client), `readme` (the README's commands as written).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

#[path = "e2e/world.rs"]
mod world;
pub(crate) use world::World;

#[path = "e2e/activities.rs"]
mod activities;
#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/channels.rs"]
mod channels;
#[path = "e2e/drafts.rs"]
mod drafts;
#[path = "e2e/faults.rs"]
mod faults;
#[path = "e2e/ha.rs"]
mod ha;
#[path = "e2e/ha_pair.rs"]
mod ha_pair;
#[path = "e2e/input.rs"]
mod input;
#[path = "e2e/messages.rs"]
mod messages;
#[path = "e2e/notices.rs"]
mod notices;
#[path = "e2e/openapi.rs"]
mod openapi;
#[path = "e2e/pages.rs"]
mod pages;
#[path = "e2e/pages_channels.rs"]
mod pages_channels;
#[path = "e2e/pages_english.rs"]
mod pages_english;
#[path = "e2e/pages_flows.rs"]
mod pages_flows;
#[path = "e2e/pages_year.rs"]
mod pages_year;
#[path = "e2e/pages_year_months.rs"]
mod pages_year_months;
#[path = "e2e/pages_year_more.rs"]
mod pages_year_more;
#[path = "e2e/portal.rs"]
mod portal;
#[path = "e2e/readme.rs"]
mod readme;
#[path = "e2e/reports.rs"]
mod reports;
#[path = "e2e/reviews.rs"]
mod reviews;
#[path = "e2e/startup.rs"]
mod startup;
#[path = "e2e/suggestions.rs"]
mod suggestions;
#[path = "e2e/tenants.rs"]
mod tenants;
#[path = "e2e/transport.rs"]
mod transport;

/// The binaries, built once (cargo releases its build lock before it runs tests).
fn bin(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let st = Command::new(cargo)
            .args(["build", "-q", "-p", "liaison-cli", "-p", "liaison-http", "--bins"])
            .status()
            .unwrap();
        assert!(st.success(), "building the binaries failed");
        let exe = std::env::current_exe().unwrap();
        exe.parent().unwrap().parent().unwrap().to_owned()
    });
    dir.join(name)
}

fn liaison(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin("liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .args(args)
        .output()
        .unwrap()
}

/// Whether a text shows a bare id (a UUID: 8-4-4-4-12 hex digits).
fn has_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(36).any(|w| {
        w.iter()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() })
    })
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path) -> Server {
    serve_with(dir, &["--db", "liaison.db"])
}

fn serve_with(dir: &Path, args: &[&str]) -> Server {
    serve_with_env(dir, args, &[])
}

fn serve_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(bin("liaison-http"))
        .current_dir(dir)
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .env("LIAISON_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Log lines (a warning) may come first.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let base = loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "the server stopped before listening: {seen}");
        if let Some(base) = line.trim().strip_prefix("listening on ") {
            break base.to_owned();
        }
        seen.push_str(&line);
    };
    Server(child, base)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get(base: &str, path: &str, token: &str) -> (u16, Value) {
    let mut r = agent()
        .get(&format!("{base}{path}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap_or(Value::Null))
}

/// A key file (mode 0600) holding `hex`, by its absolute path: the key never goes on the command line.
fn key_file(dir: &Path, hex: &str) -> String {
    let path = dir.join("test.key");
    std::fs::write(&path, hex).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.to_string_lossy().into_owned()
}

/// Approve an account's roles as the security administrator `sec`, created by the system administrator
/// first if it is not there yet (issue 12: business roles wait for a second person).
fn approve(run: &dyn Fn(&[&str]) -> Output, login: &str) {
    let users = ok(&run(&["user", "list", "--format", "json"]));
    if !users.contains("\"sec\"") {
        ok(&run(&["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]));
    }
    ok(&run(&["--as", "sec", "user", "approve", login]));
}

fn post(base: &str, path: &str, token: &str, if_match: Option<u64>, body: Value) -> (u16, Value) {
    let mut req = agent().post(&format!("{base}{path}"));
    if !token.is_empty() {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(v) = if_match {
        req = req.header("If-Match", &format!("\"{v}\""));
    }
    let mut r = req.send_json(body).unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap_or(Value::Null))
}

/// Today, as the server and the CLI count days: in China time (UTC+8).
fn china_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

fn chrono_year() -> i32 {
    chrono::Datelike::year(&china_today())
}
