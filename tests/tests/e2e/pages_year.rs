//! "A year in a liaison office" (MISSION.md) run from the staff pages alone, in headless Chromium (issue 16's
//! Done-when). The administrators' set-up is the README's (the CLI opens the accounts and sets their first
//! passwords); everything the office, the departments and the leaders do through the year is done in the
//! browser, month by month, on a server whose clock is the month's (`LIAISON_NOW`, restarted each month on
//! the same database, so the deadlines, feedback windows and the year's figures are real ones). The months'
//! steps are in `pages_year_months.rs`; this file holds the rehearsal clock, the logins and the test.

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::{DateTime, Utc};
use liaison_app::login::totp;
use serde_json::{Value, json};

use super::browser::Browser;
use super::pages::{NEW_PASSWORD, PASSWORD, enrol_at, sound};
use super::pages_year_months as months;
use super::{Server, bin, ok, serve_with_env};

/// Desktop and phone sizes.
pub(super) const DESK: (u32, u32) = (1366, 768);
pub(super) const PHONE: (u32, u32) = (390, 844);

/// The procuratorate's year: its folder and database, the server of the current month, and the clock.
pub(super) struct Year {
    tmp: tempfile::TempDir,
    server: Option<Server>,
    /// The month's moment the server was started at, and when (the server's clock runs on from it).
    moment: DateTime<Utc>,
    started: Instant,
    /// Each account's authenticator secret, once enrolled.
    secrets: HashMap<String, Vec<u8>>,
    /// Each account's last time step used for a code (a step is good once).
    steps: HashMap<String, u64>,
    /// Who is signed in in the browser.
    signed_in: Option<String>,
}

impl Year {
    /// A new procuratorate as of `day` (`liaison init`).
    fn new(day: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let moment = liaison_app::rehearsal_moment(day).unwrap();
        let y = Year {
            tmp,
            server: None,
            moment,
            started: Instant::now(),
            secrets: HashMap::new(),
            steps: HashMap::new(),
            signed_in: None,
        };
        y.cli(&["init", "--name", "福州市人民检察院"]);
        y
    }

    /// The server's clock now (the month's moment and the time since the server started).
    pub(super) fn now(&self) -> DateTime<Utc> {
        self.moment + chrono::TimeDelta::from_std(self.started.elapsed()).unwrap_or_default()
    }

    /// The CLI as of the clock's now (only while no server runs: the store refuses a moment earlier than
    /// its last change).
    pub(super) fn cli(&self, args: &[&str]) -> String {
        assert!(self.server.is_none(), "the CLI writes only between months");
        self.read(args)
    }

    /// The CLI for a command that only reads (allowed while the month is served), as of the clock's now.
    fn read(&self, args: &[&str]) -> String {
        let now = self.now().to_rfc3339();
        ok(&Command::new(bin("liaison"))
            .current_dir(self.tmp.path())
            .env_remove("LIAISON_USER")
            .env_remove("LIAISON_DB")
            .env("LIAISON_NOW", &now)
            .args(args)
            .output()
            .unwrap())
    }

    /// The register's current deputies as the office reads them (the test's own knowledge of who is there,
    /// not an action of the year).
    pub(super) fn deputies(&self) -> Vec<Value> {
        let v: Value = serde_json::from_str(
            &self.read(&["--as", "office", "deputy", "list", "--all", "--format", "json"]),
        )
        .unwrap();
        v.as_array().cloned().or_else(|| v["items"].as_array().cloned()).unwrap_or_default()
    }

    /// The security administrator sets `login`'s first password (read from standard input).
    fn set_password(&self, login: &str) {
        let mut c = Command::new(bin("liaison"))
            .current_dir(self.tmp.path())
            .env_remove("LIAISON_USER")
            .env_remove("LIAISON_DB")
            .env("LIAISON_NOW", self.now().to_rfc3339())
            .args(["--as", "sec", "user", "set-password", login, "--reason", "首次登录"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "set-password {login}: {}", String::from_utf8_lossy(&o.stderr));
    }

    /// A person's account with one role, approved by the security administrator, its first password set.
    fn account(&self, login: &str, name: &str, role: &str, more: &[&str]) {
        self.cli(
            &[&["user", "add", login, "--name", name, "--role", role, "--reason", "年初开设"][..], more]
                .concat(),
        );
        self.cli(&["--as", "sec", "user", "approve", login]);
        self.set_password(login);
    }

    /// Serve the year as of `day` (the month's first working moment), on the same database.
    pub(super) fn month(&mut self, b: &Browser, day: &str) {
        self.server = None;
        self.signed_in = None;
        let moment = liaison_app::rehearsal_moment(day).unwrap();
        assert!(moment >= self.now(), "the year runs forward: {day}");
        self.moment = moment;
        self.started = Instant::now();
        let now = moment.to_rfc3339();
        self.server = Some(serve_with_env(
            self.tmp.path(),
            &["--db", "liaison.db", "--insecure-cookies"],
            &[("LIAISON_NOW", now.as_str())],
        ));
        // Every month begins signed out (the last month's sessions have long lapsed).
        b.open(&format!("{}/login", self.base()));
    }

    /// The served month's base URL.
    pub(super) fn base(&self) -> String {
        self.server.as_ref().expect("a month is served").1.clone()
    }

    /// A code of `login`'s authenticator now, never a step used before (waits for the next one).
    fn code(&mut self, login: &str) -> String {
        let secret = self.secrets[login].clone();
        loop {
            let step = totp::step_of(self.now().timestamp());
            if self.steps.get(login).is_none_or(|s| *s < step) {
                self.steps.insert(login.to_owned(), step);
                return totp::code_at_step(&secret, step);
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }

    /// Sign `login` in (the first time: the authenticator's enrolment and the forced password change), on
    /// the work list at desktop size; whoever was signed in is signed out first.
    pub(super) fn sign_in(&mut self, b: &Browser, login: &str) {
        if self.signed_in.as_deref() == Some(login) {
            return;
        }
        if self.signed_in.is_some() {
            b.click("header form button[type=submit]");
            assert_eq!(b.wait_for_heading("登录"), "登录");
        }
        let base = self.base();
        if !self.secrets.contains_key(login) {
            let (moment, started) = (self.moment, self.started);
            let now = move || {
                (moment + chrono::TimeDelta::from_std(started.elapsed()).unwrap_or_default()).timestamp()
            };
            let (_, _, secret) = enrol_at(b, &base, login, DESK, &now);
            self.steps.insert(login.to_owned(), totp::step_of(now()));
            self.secrets.insert(login.to_owned(), secret);
        } else {
            b.resize(DESK.0, DESK.1);
            b.open(&format!("{base}/login"));
            assert_eq!(b.wait_for_heading("登录"), "登录");
            b.type_into("#login", login);
            b.type_into("#password", NEW_PASSWORD);
            b.click("form[action='/login'] button[type=submit]");
            assert_eq!(b.wait_for_heading("输入验证码"), "输入验证码");
            let code = self.code(login);
            b.type_into("#code", &code);
            b.click("form[action='/login/code'] button[type=submit]");
            let home = if login.starts_with("audit") { "审计日志" } else { "我的待办" };
            assert_eq!(b.wait_for_heading(home), home, "{login}");
        }
        self.signed_in = Some(login.to_owned());
    }

    /// Prove a factor again (a sensitive action sent the browser to `/reauth`), then back.
    pub(super) fn reauth(&mut self, b: &Browser) {
        let who = self.signed_in.clone().expect("signed in");
        assert_eq!(b.wait_for_heading("再次验证身份"), "再次验证身份");
        let code = self.code(&who);
        b.type_into("#code", &code);
        b.click("form[action='/reauth'] button[type=submit]");
    }
}

/// After a click on a sensitive action: prove a factor again when the server asks; `done` is a script
/// expression true once the action's page is there instead.
pub(super) fn maybe_reauth(y: &mut Year, b: &Browser, done: &str) {
    let js = format!(
        "const h = document.querySelector('h1'); return (!!h && h.textContent.includes('再次验证身份')) || ({done});"
    );
    assert!(b.wait_until(&js), "neither the re-authentication nor {done}");
    if b.script("return document.querySelector('h1').textContent")
        .as_str()
        .is_some_and(|h| h.contains("再次验证身份"))
    {
        y.reauth(b);
    }
}

/// Click a form's submit button and wait until the browser is on the next page (the form's answer, or the
/// page it redirects to), not the one it left.
pub(super) fn post_and_wait(b: &Browser, button: &str) {
    b.script("window.__left = true; return true;");
    b.click(button);
    assert!(
        b.wait_until("return window.__left === undefined && document.readyState === 'complete'"),
        "no new page after {button}"
    );
}

/// Open a page of the month's server and wait for its heading.
pub(super) fn open(y: &Year, b: &Browser, path: &str, heading: &str) -> String {
    b.open(&format!("{}{path}", y.base()));
    let h = b.wait_for_heading(heading);
    assert!(h.contains(heading), "{path}: {h} (wanted {heading}): {}", b.text("main"));
    sound(b, path, DESK.0);
    h
}

/// Choose the option whose text contains `text` in the select `css` (as a person reading the names would).
pub(super) fn choose_text(b: &Browser, css: &str, text: &str) {
    let js = format!(
        "const s = document.querySelector({css:?}); const o = [...s.options].find(o => o.text.includes({text:?})); \
         if (!o) return null; s.value = o.value; s.dispatchEvent(new Event('change', {{bubbles: true}})); return o.text;"
    );
    let v = b.script(&js);
    assert!(v.as_str().is_some_and(|t| t.contains(text)), "{css}: no option {text}");
}

/// Set a field's value by script (a date input, a multiple select's options).
pub(super) fn set_value(b: &Browser, css: &str, value: &str) {
    let js = format!("const e = document.querySelector({css:?}); e.value = {value:?}; return e.value;");
    assert_eq!(b.script(&js), json!(value), "{css}");
}

/// The year, month by month, from the pages.
#[test]
fn a_year_in_a_liaison_office_from_the_pages_alone() {
    let Some(b) = Browser::phone() else { return };
    // The administrators' set-up (README, "first administrator"): the accounts, as of the first working day.
    let mut y = Year::new("2026-01-05T09:00:00+08:00");
    y.cli(&[
        "user",
        "add",
        "sec",
        "--name",
        "安全管理员",
        "--role",
        "security_admin",
        "--reason",
        "三员分立",
    ]);
    y.cli(&["user", "add", "auditor", "--name", "审计管理员", "--role", "auditor", "--reason", "三员分立"]);
    y.set_password("sec");
    y.set_password("auditor");
    y.account("office", "联络室王芳", "office", &[]);
    y.cli(&["--as", "office", "org", "add-department", "第一检察部"]);
    y.cli(&["--as", "office", "org", "add-department", "第八检察部"]);
    y.account("chief", "李华", "leader", &[]);
    y.account("deputychief", "周明", "leader", &[]);
    y.account("dept1", "陈刚", "department", &["--department", "第一检察部"]);
    y.account("dept8", "林静", "department", &["--department", "第八检察部"]);
    // The congress's spreadsheet of the register (GBK, Chinese headers), as the office receives it.
    y.cli(&[
        "demo",
        "generate",
        "--deputies",
        "120",
        "--seed",
        "2026",
        "--encoding",
        "gbk",
        "--out",
        "人大代表名册.csv",
    ]);
    let sheet = y.tmp.path().join("人大代表名册.csv").to_string_lossy().into_owned();

    let people = months::january(&mut y, &b, &sheet);
    let all = y.deputies();
    let filed = months::march(&mut y, &b, &people);
    months::april_to_june(&mut y, &b, &filed);
    months::may(&mut y, &b, &people);
    super::pages_year_more::july(&mut y, &b, &all);
    let inspection = months::september(&mut y, &b, &filed, &people);
    months::november(&mut y, &b, &people, &inspection);
    months::december(&mut y, &b);
}
