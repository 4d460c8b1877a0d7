//! The shared world of the scenarios: a fresh folder and database with the office user approved and its
//! token, the server when asked, and the people a scenario names in a line — a leader, a department with
//! its handler, deputies with or without their own accounts. A new scenario starts with
//! `let w = World::new();` (SQLite, served) and adds only what it is about.

use std::cell::Cell;
use std::path::Path;
use std::process::{Command, Output};

use liaison_store::testing::TestDatabase;
use serde_json::{Value, json};

use super::{Server, approve, bin, get, key_file, liaison, ok, post, serve, serve_with};

/// One scenario's installation. Dropping it stops the server, drops the PostgreSQL database and removes
/// the folder, in that order.
pub(crate) struct World {
    server: Option<Server>,
    _database: Option<TestDatabase>,
    tmp: tempfile::TempDir,
    /// What points the CLI and the server at the database: empty on SQLite (`liaison.db` in the folder,
    /// the default), `--database-url … --key-file …` on PostgreSQL.
    backend: Vec<String>,
    /// The office user's token (login `office`, role office, approved by `sec`).
    pub(crate) office: String,
    /// What `liaison init` printed; empty when the server's first start set the folder up.
    pub(crate) init: String,
    deputies: Cell<u32>,
}

/// A deputy of the register, with the token of their own account when they have one.
pub(crate) struct Deputy {
    pub(crate) id: String,
    pub(crate) token: String,
}

impl World {
    /// SQLite, served: the server's first start creates the database, the key and the administrator's token
    /// file; then the office user.
    pub(crate) fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let server = serve(tmp.path());
        Self::with_office(tmp, Vec::new(), Some(server), None, String::new())
    }

    /// SQLite, not served: `liaison init`, then the office user. [`World::start`] serves it later.
    pub(crate) fn offline() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let init = ok(&liaison(tmp.path(), &["init"]));
        Self::with_office(tmp, Vec::new(), None, None, init)
    }

    /// A throw-away PostgreSQL database (`None` when there is no server and none is required), a key file,
    /// `liaison init`, then the office user; not served.
    pub(crate) fn on_postgres(purpose: &str) -> Option<Self> {
        let db = TestDatabase::create(purpose).unwrap()?;
        let tmp = tempfile::tempdir().unwrap();
        let key = key_file(tmp.path(), &"7f".repeat(32));
        let backend = vec!["--database-url".to_owned(), db.url.clone(), "--key-file".to_owned(), key];
        let init = ok(&liaison(tmp.path(), &[&strs(&backend)[..], &["init"]].concat()));
        Some(Self::with_office(tmp, backend, None, Some(db), init))
    }

    fn with_office(
        tmp: tempfile::TempDir,
        backend: Vec<String>,
        server: Option<Server>,
        database: Option<TestDatabase>,
        init: String,
    ) -> Self {
        let mut w = Self {
            server,
            _database: database,
            tmp,
            backend,
            office: String::new(),
            init,
            deputies: Cell::new(0),
        };
        w.user("office", "联络室", "office", &[]);
        w.office = w.token("office");
        w
    }

    /// With the leader `leader` (检察长), approved; `w.token("leader")` when the scenario needs its token.
    pub(crate) fn with_leader(self) -> Self {
        self.user("leader", "检察长", "leader", &[]);
        self
    }

    /// With a department of the organisation and its handler `login`, approved.
    pub(crate) fn with_department(self, department: &str, login: &str) -> Self {
        self.ok(&["--as", "office", "org", "add-department", department]);
        let name = format!("{department}承办人");
        self.user(login, &name, "department", &["--department", department]);
        self
    }

    /// The folder the binaries run in.
    pub(crate) fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The arguments that point a binary at this world's database.
    pub(crate) fn backend(&self) -> Vec<&str> {
        strs(&self.backend)
    }

    /// Serve the world (in its folder, on its database).
    pub(crate) fn start(&mut self) {
        self.server = Some(self.serve_in(self.dir()));
    }

    /// Serve the world with more arguments of `liaison-http` (`--insecure-cookies` for a browser on plain
    /// HTTP).
    pub(crate) fn start_with(&mut self, args: &[&str]) {
        assert!(self.backend.is_empty(), "start_with serves SQLite worlds");
        self.server = Some(serve_with(self.dir(), &[&["--db", "liaison.db"][..], args].concat()));
    }

    /// Serve the world, on either backend, with more arguments of `liaison-http` (`--rate-per-address 0` …).
    pub(crate) fn start_with_args(&mut self, args: &[&str]) {
        let db: Vec<&str> = if self.backend.is_empty() { vec!["--db", "liaison.db"] } else { self.backend() };
        self.server = Some(serve_with(self.dir(), &[&db[..], args].concat()));
    }

    /// Serve the world with environment variables of `liaison-http` (`LIAISON_NOW`, the SMTP server …).
    pub(crate) fn start_with_env(&mut self, env: &[(&str, &str)]) {
        assert!(self.backend.is_empty(), "start_with_env serves SQLite worlds");
        self.server = Some(super::serve_with_env(self.dir(), &["--db", "liaison.db"], env));
    }

    /// Serve the world with more arguments of `liaison-http` and environment variables.
    pub(crate) fn start_with_args_env(&mut self, args: &[&str], env: &[(&str, &str)]) {
        self.start_with_env_args(env, args);
    }

    /// [`start_with_env`](World::start_with_env) with more arguments (`--insecure-cookies` for a browser).
    pub(crate) fn start_with_env_args(&mut self, env: &[(&str, &str)], args: &[&str]) {
        assert!(self.backend.is_empty(), "start_with_env_args serves SQLite worlds");
        self.server =
            Some(super::serve_with_env(self.dir(), &[&["--db", "liaison.db"][..], args].concat(), env));
    }

    /// Stop the server.
    pub(crate) fn stop(&mut self) {
        self.server = None;
    }

    /// Another server on this world's database, run in `dir`.
    pub(crate) fn serve_in(&self, dir: &Path) -> Server {
        if self.backend.is_empty() {
            serve_with(dir, &["--db", "liaison.db"])
        } else {
            serve_with(dir, &self.backend())
        }
    }

    /// The served world's base URL.
    pub(crate) fn base(&self) -> &str {
        &self.server.as_ref().expect("the world is not served: World::new() or start()").1
    }

    /// The CLI, on this world's database.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        liaison(self.dir(), &[&self.backend()[..], args].concat())
    }

    /// The CLI with environment variables (`LIAISON_NOW`, …).
    pub(crate) fn run_with_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        Command::new(bin("liaison"))
            .current_dir(self.dir())
            .env_remove("LIAISON_USER")
            .env_remove("LIAISON_DB")
            .envs(env.iter().copied())
            .args(&self.backend)
            .args(args)
            .output()
            .unwrap()
    }

    /// The CLI, which must succeed: its standard output.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        ok(&self.run(args))
    }

    /// The CLI, which must succeed, printing JSON (`--format json` is the caller's).
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    pub(crate) fn get(&self, path: &str, token: &str) -> (u16, Value) {
        get(self.base(), path, token)
    }

    pub(crate) fn post(&self, path: &str, token: &str, if_match: Option<u64>, body: Value) -> (u16, Value) {
        post(self.base(), path, token, if_match, body)
    }

    /// A record's version as the office reads it: `pointer` into the body of `path`.
    pub(crate) fn version(&self, path: &str, pointer: &str) -> u64 {
        let (status, body) = self.get(path, &self.office);
        assert_eq!(status, 200, "{body}");
        body.pointer(pointer).and_then(Value::as_u64).unwrap_or_else(|| panic!("no {pointer} in {body}"))
    }

    /// A person's account with one role (`more`: `--department …`, `--deputy …`), approved by the
    /// security administrator `sec` (created on first use).
    pub(crate) fn user(&self, login: &str, name: &str, role: &str, more: &[&str]) {
        self.ok(&[&["user", "add", login, "--name", name, "--role", role][..], more].concat());
        approve(&|a: &[&str]| self.run(a), login);
    }

    /// A token of the user's own (`token create --label e2e`).
    pub(crate) fn token(&self, login: &str) -> String {
        self.ok(&["--as", login, "token", "create", "--label", "e2e"]).trim().to_owned()
    }

    /// A deputy registered over the API by the office: female, term 16, 鼓楼区, from 2023, a mobile of
    /// their own. Its id.
    pub(crate) fn deputy(&self, name: &str, level: &str) -> String {
        self.deputy_with(name, level, json!({}))
    }

    /// A deputy as [`World::deputy`], with `extra` fields added or replaced (`special_roles`, `gender`, …).
    pub(crate) fn deputy_with(&self, name: &str, level: &str, extra: Value) -> String {
        let n = self.deputies.get();
        self.deputies.set(n + 1);
        let mut body = json!({"name": name, "gender": "女", "level": level, "term": "16", "region": "鼓楼区",
            "mobile": format!("139{n:08}"), "term_start": "2023-01-01"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        self.add_deputy(body)
    }

    /// Deputies as [`World::deputy`], by name and level. Their ids, in order.
    pub(crate) fn deputies(&self, people: &[(&str, &str)]) -> Vec<String> {
        people.iter().map(|(name, level)| self.deputy(name, level)).collect()
    }

    /// A deputy registered over the API by the office, the body as given. Its id.
    pub(crate) fn add_deputy(&self, body: Value) -> String {
        let (status, d) = self.post("/api/v1/deputies", &self.office, None, body);
        assert_eq!(status, 201, "{d}");
        d["id"].as_str().unwrap().to_owned()
    }

    /// Deputies with accounts of their own, logins `dep0`, `dep1` … in order, each token redeemed from an
    /// activation code (a deputy never acts at the console).
    pub(crate) fn deputies_signed_in(&self, people: &[(&str, &str)]) -> Vec<Deputy> {
        people
            .iter()
            .enumerate()
            .map(|(i, (name, level))| {
                let id = self.deputy(name, level);
                let login = format!("dep{i}");
                self.user(&login, name, "deputy", &["--deputy", &id]);
                Deputy { id, token: self.activated(&login) }
            })
            .collect()
    }

    /// A person's own token: the system administrator issues an activation code, the person redeems it over
    /// the API (issue 12: no administrator makes a person's token).
    pub(crate) fn activated(&self, login: &str) -> String {
        let code = self.ok(&["user", "activation", login]).trim().to_owned();
        let (status, t) = self.post("/api/v1/activate", "", None, json!({"code": code, "label": "e2e"}));
        assert_eq!(status, 201, "{t}");
        t["token"].as_str().unwrap().to_owned()
    }

    /// `liaison audit verify --state`: the chain intact and the stored state the events' replay.
    pub(crate) fn verify_state(&self) {
        let v = self.ok(&["audit", "verify", "--state"]);
        assert!(v.contains("审计链完整") && v.contains("存储状态与事件重放一致"), "{v}");
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
