//! End-to-end scenarios with the real binaries: `liaison` sets up and imports, `liaison-http` serves, a
//! client reads the register back over HTTP; bad input is refused with the right exit code and message;
//! a tampered audit record is named by `liaison audit verify`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/faults.rs"]
mod faults;
#[path = "e2e/input.rs"]
mod input;
#[path = "e2e/openapi.rs"]
mod openapi;
#[path = "e2e/readme.rs"]
mod readme;
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

#[test]
fn import_serve_read_back_and_refuse_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // First start through the server: database, key file and the first administrator's token file.
    let token_file = {
        let s = serve(dir);
        let (status, _) = get(&s.1, "/readyz", "");
        assert_eq!(status, 200);
        let t = std::fs::read_to_string(dir.join("liaison-admin.token")).unwrap().trim().to_owned();
        let (status, me) = get(&s.1, "/api/v1/me", &t);
        assert_eq!((status, me["login"].as_str()), (200, Some("admin")));
        t
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["liaison.key", "liaison-admin.token"] {
            assert_eq!(std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777, 0o600, "{f}");
        }
    }
    assert!(token_file.starts_with("lia_"));
    assert!(ok(&liaison(dir, &["init"])).contains("已初始化"), "init is idempotent and shows no token again");

    // Set up with the CLI: an office user and its token, a generated register imported.
    ok(&liaison(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&|a: &[&str]| liaison(dir, a), "office");
    let office =
        ok(&liaison(dir, &["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&liaison(dir, &["demo", "generate", "--deputies", "500", "--seed", "3", "--out", "reg.csv"]));
    let out = ok(&liaison(dir, &["--as", "office", "deputy", "import", "reg.csv"]));
    assert!(out.contains("新登记 500 人"), "{out}");

    // A reader that stops early (`liaison deputy list | head`): a quiet stop with 141, never a panic report.
    let mut child = Command::new(bin("liaison"))
        .current_dir(dir)
        .args(["--as", "office", "deputy", "list", "--limit", "500"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(out.status.code(), Some(0 | 141)), "{:?} {err}", out.status);

    // Bad input, each refused with a clear message, exit 1, and nothing written.
    let gbk = liaison(
        dir,
        &["demo", "generate", "--deputies", "3", "--seed", "4", "--encoding", "gbk", "--out", "gbk.csv"],
    );
    ok(&gbk);
    // Issue 14 item 3: an undeclared GBK file is detected and said so; a wrong declaration is refused.
    let out = ok(&liaison(dir, &["--as", "office", "deputy", "import", "gbk.csv", "--dry-run"]));
    assert!(out.contains("按 GBK/GB18030 读取") && out.contains("共 3 行"), "{out}");
    let o = liaison(dir, &["--as", "office", "deputy", "import", "gbk.csv", "--encoding", "utf8"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--encoding gbk"));
    std::fs::write(dir.join("bad.csv"), "姓名,性别,代表层级,届次,所属区域,任期开始,手机\n张三,男,县,18,鼓楼区,2022-01-01,123\n李四,男,县,18,鼓楼区,2022-13-01,13800138000\n").unwrap();
    let o = liaison(dir, &["--as", "office", "deputy", "import", "bad.csv"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("第 2 行「手机」") && err.contains("第 3 行「任期开始」"), "{err}");
    let o = liaison(dir, &["--as", "admin", "deputy", "import", "reg.csv"]);
    assert_eq!(o.status.code(), Some(1), "the administrator may not import");
    assert!(String::from_utf8_lossy(&o.stderr).contains("无权"));
    assert_eq!(liaison(dir, &["deputy", "frobnicate"]).status.code(), Some(2), "usage errors exit 2");
    assert!(ok(&liaison(dir, &["completions", "bash"])).contains("_liaison()"));
    assert!(ok(&liaison(dir, &["man"])).contains(".TH liaison 1"));
    // One page per command and subcommand (issue 14, item 11).
    ok(&liaison(dir, &["man", "--dir", "man"]));
    let import = std::fs::read_to_string(dir.join("man/liaison-deputy-import.1")).unwrap();
    assert!(import.contains(".TH liaison-deputy-import 1") && import.contains("encoding"), "{import}");
    assert!(
        dir.join("man/liaison-suggestion-reassign.1").exists()
            && dir.join("man/liaison-deadline-explain.1").exists()
    );

    // Read it back over HTTP: every deputy, once, masked.
    let s = serve(dir);
    let mut seen = std::collections::HashSet::new();
    let mut path = "/api/v1/deputies?limit=200".to_owned();
    loop {
        let (status, page) = get(&s.1, &path, &office);
        assert_eq!(status, 200, "{page}");
        for d in page["items"].as_array().unwrap() {
            assert!(d["contact"]["mobile"].as_str().unwrap().contains("****"));
            seen.insert(d["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/deputies?limit=200&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 500);
    let one = seen.iter().next().unwrap();
    let (status, d) = get(&s.1, &format!("/api/v1/deputies/{one}"), &office);
    assert_eq!((status, d["id"].as_str()), (200, Some(one.as_str())));
    let (status, _) = get(&s.1, "/api/v1/deputies", "lia_wrong");
    assert_eq!(status, 401);
    drop(s);

    // Backup while in use, and restore as a new database: refused over an existing one.
    let backed_up = ok(&liaison(dir, &["db", "backup", "backup.db"]));
    assert!(backed_up.contains("backup.db") && backed_up.contains("审计链完整"), "{backed_up}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("backup.db")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup is private (issue 13 item 1)");
    }
    let o = liaison(dir, &["db", "restore", "backup.db"]);
    assert_eq!(o.status.code(), Some(1), "restoring over the live database is refused");
    assert!(ok(&liaison(dir, &["--db", "restored.db", "db", "restore", "backup.db"])).contains("审计链完整"));
    let listed = ok(&liaison(
        dir,
        &[
            "--db",
            "restored.db",
            "--as",
            "office",
            "deputy",
            "list",
            "--all",
            "--limit",
            "1000",
            "--format",
            "json",
        ],
    ));
    assert_eq!(serde_json::from_str::<Value>(&listed).unwrap().as_array().unwrap().len(), 500);

    // The audit chain verifies; a tampered record is named.
    assert!(ok(&liaison(dir, &["audit", "verify"])).contains("审计链完整"));
    let db = rusqlite::Connection::open(dir.join("liaison.db")).unwrap();
    assert!(db.execute("UPDATE audit_log SET actor_name = 'x' WHERE seq = 7", []).is_err(), "append-only");
    db.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    db.execute("UPDATE audit_log SET actor_name = '某人' WHERE seq = 7", []).unwrap();
    drop(db);
    let o = liaison(dir, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("第 7 条"), "{}", String::from_utf8_lossy(&o.stdout));
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

fn patch(base: &str, path: &str, token: &str, version: u64, body: Value) -> u16 {
    let r = agent()
        .patch(&format!("{base}{path}"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("If-Match", &format!("\"{version}\""))
        .send_json(body)
        .unwrap();
    r.status().as_u16()
}

/// Several servers, one database: two `liaison-http` processes on the same PostgreSQL change the same
/// deputy at the same moment; exactly one succeeds, the other gets 412 and writes nothing; the audit chain
/// stays valid.
#[test]
fn two_servers_share_one_postgres() {
    let Some(db) = liaison_store::testing::TestDatabase::create("two servers on one PostgreSQL").unwrap()
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let key = key_file(dir, &"7f".repeat(32));
    let common = ["--database-url", db.url.as_str(), "--key-file", key.as_str()];
    let cli = |args: &[&str]| liaison(dir, &[&common[..], args].concat());
    // `init` names the PostgreSQL database it initialised, not the SQLite default (issue 13 item 7).
    let init = ok(&cli(&["init"]));
    assert!(init.contains("postgres://") && !init.contains("liaison.db"), "{init}");
    ok(&cli(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&cli, "office");
    let office = ok(&cli(&["--as", "office", "token", "create"])).trim().to_owned();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = serve_with(dir_a.path(), &common);
    let b = serve_with(dir_b.path(), &common);

    let mut r = agent()
        .post(&format!("{}/api/v1/deputies", a.1))
        .header("Authorization", &format!("Bearer {office}"))
        .send_json(serde_json::json!({"name": "王芳", "gender": "女", "level": "县", "term": "18", "region": "鼓楼区",
            "mobile": "13800138000", "term_start": "2022-01-01"}))
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let id = r.body_mut().read_json::<Value>().unwrap()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/deputies/{id}");

    for round in 0..8u64 {
        let version = round + 1;
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let racers: Vec<_> = [(a.1.clone(), "甲"), (b.1.clone(), "乙")]
            .into_iter()
            .map(|(base, who)| {
                let (barrier, path, office) = (barrier.clone(), path.clone(), office.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let status = patch(
                        &base,
                        &path,
                        &office,
                        version,
                        serde_json::json!({"position": format!("职务{round}{who}")}),
                    );
                    (status, who)
                })
            })
            .collect();
        let mut results: Vec<(u16, &str)> = racers.into_iter().map(|t| t.join().unwrap()).collect();
        results.sort();
        assert_eq!((results[0].0, results[1].0), (200, 412), "round {round}: exactly one change wins");
        let (status, d) = get(&b.1, &path, &office);
        assert_eq!(status, 200);
        assert_eq!(d["version"].as_u64(), Some(version + 1), "round {round}: one change written, not two");
        assert_eq!(d["position"].as_str().unwrap(), format!("职务{round}{}", results[0].1));
    }
    drop((a, b));
    let verified = ok(&cli(&["audit", "verify", "--state"]));
    assert!(verified.contains("审计链完整") && verified.contains("存储状态与事件重放一致"), "{verified}");

    // pg_dump backup, pg_restore into an empty database, verified under the same key.
    ok(&cli(&["db", "backup", "pg.dump"]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("pg.dump")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a dump is private (issue 13 item 1)");
    }
    let copy = liaison_store::testing::TestDatabase::create("restore").unwrap().unwrap();
    let restored = ok(&liaison(
        dir,
        &["--database-url", copy.url.as_str(), "--key-file", key.as_str(), "db", "restore", "pg.dump"],
    ));
    assert!(restored.contains("审计链完整") && restored.contains("存储状态与事件重放一致"), "{restored}");
    let o = liaison(
        dir,
        &[
            "--database-url",
            copy.url.as_str(),
            "--key-file",
            key.as_str(),
            "--as",
            "office",
            "deputy",
            "list",
            "--format",
            "json",
        ],
    );
    assert_eq!(serde_json::from_str::<Value>(&ok(&o)).unwrap()[0]["version"].as_u64(), Some(9));
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

/// A person's own token: the system administrator issues an activation code, the person redeems it over
/// the API (issue 12: no administrator makes a person's token, and a deputy never acts at the console).
fn activated(run: &dyn Fn(&[&str]) -> Output, base: &str, login: &str) -> String {
    let code = ok(&run(&["user", "activation", login])).trim().to_owned();
    let (status, t) =
        post(base, "/api/v1/activate", "", None, serde_json::json!({"code": code, "label": "e2e"}));
    assert_eq!(status, 201, "{t}");
    t["token"].as_str().unwrap().to_owned()
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

/// R1 end to end: a joint suggestion from three deputies of three levels is filed and assigned with the
/// CLI; the department handles it (an answer before any contact is refused); the deputies rate it through
/// the API with their own accounts, one 不满意; it is handled again; the second round is rated through
/// one-use links on the mobile page and an own account; it closes, and the figures show every level.
#[test]
fn a_joint_suggestion_with_one_dissatisfied_is_rehandled_then_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["--as", "office", "org", "add-department", "第一检察部"]));
    ok(&l(&[
        "user",
        "add",
        "dept1",
        "--name",
        "第一检察部承办人",
        "--role",
        "department",
        "--department",
        "第一检察部",
    ]));
    approve(&l, "dept1");
    let dept = ok(&l(&["--as", "dept1", "token", "create", "--label", "e2e"])).trim().to_owned();

    // Three deputies of three levels, each with their own account.
    let mut deputies = Vec::new();
    for (i, (name, level)) in [("王芳", "全国"), ("李强", "县"), ("张敏", "乡")].into_iter().enumerate()
    {
        let body = serde_json::json!({"name": name, "gender": "女", "level": level, "term": "14", "region": "鼓楼区",
            "mobile": format!("1390000000{i}"), "term_start": "2023-01-01"});
        let (status, d) = post(&s.1, "/api/v1/deputies", &office, None, body);
        assert_eq!(status, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_owned();
        let login = format!("dep{i}");
        ok(&l(&["user", "add", &login, "--name", name, "--role", "deputy", "--deputy", &id]));
        approve(&l, &login);
        let token = activated(&l, &s.1, &login);
        deputies.push((id, token));
    }

    // File and assign with the CLI.
    let mut file = vec![
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于加强未成年人检察工作的建议",
        "--content",
        "建议在各乡镇设立未成年人保护联络点。",
        "--source",
        "闭会期间",
    ];
    for (id, _) in &deputies {
        file.extend(["--deputy", id.as_str()]);
    }
    let out = ok(&l(&file));
    let number = out
        .split_whitespace()
        .find(|w| w.contains('-') && w.len() >= 9)
        .map(|w| w.trim_start_matches("已登记建议").split('（').next().unwrap().to_owned())
        .unwrap();
    assert!(number.ends_with("-0001"), "{out}");
    ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "assign",
        &number,
        "--lead",
        "第一检察部",
        "--handler",
        "dept1",
    ]));

    // R1c: an answer before any contact is refused, exit 1, with the reason; nothing is written.
    let o = l(&["--as", "dept1", "suggestion", "answer", &number, "--class", "A", "--text", "已设立"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("办前沟通"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let version = |s: &Server| {
        get(&s.1, &format!("/api/v1/suggestions/{number}"), &office).1["suggestion"]["version"]
            .as_u64()
            .unwrap()
    };
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/suggestions/{number}/contact"),
        &dept,
        Some(version(&s)),
        serde_json::json!({"phase": "办前", "means": "电话", "summary": "电话征求三位代表对办理的意见"}),
    );
    assert_eq!(status, 200, "{b}");
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "answer",
        &number,
        "--class",
        "A",
        "--text",
        "已在两个乡镇设立联络点。",
    ]));

    // The deputies rate through the API, each as themself: one 不满意.
    for ((_, token), (rating, comment)) in
        deputies.iter().zip([("满意", None), ("基本满意", None), ("不满意", Some("只覆盖了两个乡镇"))])
    {
        let (status, b) = post(
            &s.1,
            &format!("/api/v1/suggestions/{number}/rate"),
            token,
            Some(version(&s)),
            serde_json::json!({"rating": rating, "comment": comment}),
        );
        assert_eq!(status, 200, "{b}");
    }
    let shown = ok(&l(&["--as", "office", "suggestion", "show", &number]));
    assert!(shown.contains("再次办理"), "{shown}");

    // Re-handling: a contact, a second answer, then the second round of ratings.
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "contact",
        &number,
        "--phase",
        "办中",
        "--means",
        "走访",
        "--summary",
        "走访张敏代表，了解其余乡镇情况",
    ]));
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "answer",
        &number,
        "--class",
        "A",
        "--text",
        "已在全部乡镇设立联络点。",
    ]));
    let links = ok(&l(&["--as", "office", "suggestion", "links", &number, "--base-url", &s.1]));
    let urls: Vec<&str> = links.lines().filter_map(|line| line.split('\t').nth(1)).collect();
    assert_eq!(urls.len(), 3, "{links}");
    // The second deputy rates on the page in a real browser the size of a phone (when there is one here).
    let by_http = match browser::Browser::phone() {
        Some(b) => {
            b.open(urls[1]);
            assert_eq!(b.wait_for_heading("征询意见表"), "建议办理结果征询意见表");
            assert_eq!(
                b.script("return document.documentElement.scrollWidth <= window.innerWidth"),
                Value::Bool(true),
                "no sideways scrolling on a phone"
            );
            // Sending without a rating is stopped by the page itself: nothing reaches the server.
            b.click("button[type=submit]");
            assert_eq!(b.script("return document.querySelector('form').checkValidity()"), Value::Bool(false));
            assert_eq!(b.text("h1"), "建议办理结果征询意见表");
            b.click("input[value='基本满意']");
            b.type_into("#comment", "希望扩大到全部乡镇的学校");
            b.click("button[type=submit]");
            assert_eq!(b.wait_for_heading("评价已提交"), "评价已提交");
            assert!(b.text(".card").contains("感谢您的评价"), "{}", b.text(".card"));
            // Back and again: the link was used once.
            b.open(urls[1]);
            assert_eq!(b.wait_for_heading("无法完成"), "无法完成");
            assert!(b.text(".card").contains("已使用过"), "{}", b.text(".card"));
            &urls[..1]
        }
        None => &urls[..2],
    };
    for url in by_http {
        let mut r = agent().get(*url).call().unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let page = r.body_mut().read_to_string().unwrap();
        assert!(page.contains("已在全部乡镇设立联络点。") && page.contains("<form"), "{page}");
        let r = agent().post(*url).send_form([("rating", "满意"), ("comment", "")]).unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let again = agent().post(*url).send_form([("rating", "不满意"), ("comment", "改主意")]).unwrap();
        assert_eq!(again.status().as_u16(), 410, "a link is used once: gone");
    }
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/suggestions/{number}/rate"),
        &deputies[2].1,
        Some(version(&s)),
        serde_json::json!({"rating": "满意"}),
    );
    assert_eq!((status, b["status_zh"].as_str()), (200, Some("已办结")), "{b}");

    // Figures: every level shows the item, re-handled once, finally satisfied; nothing is overdue.
    let f: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "figures",
        "--by",
        "level",
        "--format",
        "json",
    ])))
    .unwrap();
    let rows = f["rows"].as_array().unwrap();
    for key in ["national", "county", "township"] {
        let r = rows.iter().find(|r| r["key"] == key).unwrap();
        assert_eq!(
            (r["received"].as_u64(), r["rehandled"].as_u64(), r["final_satisfaction_permille"].as_u64()),
            (Some(1), Some(1), Some(1000)),
            "{key}: {r}"
        );
        assert_eq!(r["first_round_satisfaction_permille"].as_u64(), Some(0));
    }
    assert_eq!(rows.iter().find(|r| r["key"] == "city").unwrap()["received"].as_u64(), Some(0));
    let due: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "due",
        "--overdue",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(due.as_array().unwrap().len(), 0);
    let history = ok(&l(&["--as", "office", "suggestion", "history", &number]));
    // Events by their labels, never their keys (issue 14 item 12).
    assert!(history.contains("反馈链接") && history.contains("办结"), "{history}");
    assert!(!history.contains("suggestion.closed"), "{history}");
    let v = ok(&l(&["audit", "verify", "--state"]));
    assert!(v.contains("审计链完整") && v.contains("存储状态与事件重放一致"), "{v}");
}

/// Issue 7 end to end: an answer with a confidential part is published to the city-level deputies with
/// the CLI; two deputies who did not sign it rate it (one over the API with their own account, one on the
/// page of a one-use link) without ever seeing the withheld part; the proposers close it; the publication's
/// figures keep both verdicts apart. Then a session's deliberation: an opinion voiced in an attended group
/// becomes a suggestion, is answered, and the deputy is told; the record closes with the outcome listed.
#[test]
fn a_published_answer_is_judged_by_the_body_and_a_deliberation_opinion_reaches_its_deputy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["--as", "office", "org", "add-department", "第一检察部"]));
    ok(&l(&[
        "user",
        "add",
        "dept1",
        "--name",
        "承办人",
        "--role",
        "department",
        "--department",
        "第一检察部",
    ]));
    approve(&l, "dept1");
    let mut people = Vec::new();
    for (i, (name, level)) in
        [("王芳", "全国"), ("李强", "县"), ("赵敏", "市"), ("孙丽", "市")].into_iter().enumerate()
    {
        let body = serde_json::json!({"name": name, "gender": "女", "level": level, "term": "16", "region": "鼓楼区",
            "mobile": format!("1370000000{i}"), "term_start": "2023-01-01"});
        let (status, d) = post(&s.1, "/api/v1/deputies", &office, None, body);
        assert_eq!(status, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_owned();
        let login = format!("dep{i}");
        ok(&l(&["user", "add", &login, "--name", name, "--role", "deputy", "--deputy", &id]));
        approve(&l, &login);
        let token = activated(&l, &s.1, &login);
        people.push((id, token));
    }
    let out = ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于加强公益诉讼的建议",
        "--content",
        "加强生态环境公益诉讼。",
        "--source",
        "来信",
        "--deputy",
        &people[0].0,
        "--deputy",
        &people[1].0,
        "--format",
        "json",
    ]));
    let number =
        serde_json::from_str::<Value>(&out).unwrap()["suggestion"]["number"].as_str().unwrap().to_owned();
    ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "assign",
        &number,
        "--lead",
        "第一检察部",
        "--handler",
        "dept1",
    ]));
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "contact",
        &number,
        "--phase",
        "before",
        "--means",
        "phone",
        "--summary",
        "沟通",
    ]));
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "answer",
        &number,
        "--class",
        "A",
        "--text",
        "已立案办理两件公益诉讼案件。[保密]线索由举报人周某提供[/保密]",
    ]));
    // The proposer asks not to be named, with their own account: a deputy never acts at the console.
    let version = get(&s.1, &format!("/api/v1/suggestions/{number}"), &office).1["suggestion"]["version"]
        .as_u64()
        .unwrap();
    let anonymous = serde_json::json!({"anonymous": true});
    let (status, v) = post(
        &s.1,
        &format!("/api/v1/suggestions/{number}/anonymity"),
        &people[0].1,
        Some(version),
        anonymous,
    );
    assert_eq!(status, 200, "{v}");
    let o = l(&["--as", "dep0", "suggestion", "anonymity", &number, "--anonymous", "false"]);
    assert_eq!(o.status.code(), Some(1), "a deputy's account is not used through --as (issue 12, item 6)");
    ok(&l(&["--as", "office", "suggestion", "publish", &number, "--scope", "level", "--value", "市"]));

    // A city deputy reads it over the API (no withheld part, the unnamed proposer unnamed) and rates it.
    let (status, v) = get(&s.1, &format!("/api/v1/suggestions/{number}/publication"), &people[2].1);
    assert_eq!(status, 200, "{v}");
    assert!(!v.to_string().contains("周某") && !v.to_string().contains("王芳"), "{v}");
    let version = get(&s.1, &format!("/api/v1/suggestions/{number}"), &office).1["suggestion"]["version"]
        .as_u64()
        .unwrap();
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/suggestions/{number}/rate"),
        &people[2].1,
        Some(version),
        serde_json::json!({"rating": "不满意", "comment": "办理数量太少"}),
    );
    assert_eq!(status, 200, "{b}");
    // The other through a one-use link and the page.
    let links = ok(&l(&["--as", "office", "suggestion", "body-links", &number, "--base-url", &s.1]));
    let urls: Vec<&str> = links.lines().filter_map(|line| line.split('\t').nth(1)).collect();
    assert_eq!(urls.len(), 1, "{links}");
    let mut r = agent().get(urls[0]).call().unwrap();
    let page = r.body_mut().read_to_string().unwrap();
    assert!(page.contains("公开答复评议") && !page.contains("周某"), "{page}");
    assert_eq!(
        agent().post(urls[0]).send_form([("rating", "满意"), ("comment", "")]).unwrap().status().as_u16(),
        200
    );
    // The proposers close it with their own verdict.
    for (_, token) in &people[..2] {
        let version = get(&s.1, &format!("/api/v1/suggestions/{number}"), &office).1["suggestion"]["version"]
            .as_u64()
            .unwrap();
        let (status, b) = post(
            &s.1,
            &format!("/api/v1/suggestions/{number}/rate"),
            token,
            Some(version),
            serde_json::json!({"rating": "满意"}),
        );
        assert_eq!(status, 200, "{b}");
    }
    let p: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "publication",
        &number,
        "--format",
        "json",
    ])))
    .unwrap();
    let f = &p["figures"];
    assert_eq!(
        (f["audience"].as_u64(), f["viewed"].as_u64(), f["rated"].as_u64()),
        (Some(2), Some(2), Some(2)),
        "{p}"
    );
    assert_eq!((f["satisfied"].as_u64(), f["dissatisfied"].as_u64()), (Some(1), Some(1)));
    assert_eq!(
        (f["proposers_verdict"].as_str(), f["body_verdict"].as_str()),
        (Some("satisfied"), Some("dissatisfied"))
    );
    assert!(ok(&l(&["--as", "office", "suggestion", "show", &number])).contains("已办结"));

    // The deliberation of the work report.
    let out = ok(&l(&[
        "--as",
        "office",
        "deliberation",
        "open",
        "--session",
        "市第十六届人民代表大会第五次会议",
        "--opens-on",
        "2026-01-10",
        "--format",
        "json",
    ]));
    let id = serde_json::from_str::<Value>(&out).unwrap()["deliberation"]["id"].as_str().unwrap().to_owned();
    let o = l(&[
        "--as",
        "office",
        "deliberation",
        "opinion",
        &id,
        "--group",
        "鼓楼代表团",
        "--deputy",
        &people[3].0,
        "--text",
        "加强检察公开",
    ]);
    assert_eq!(o.status.code(), Some(1), "no opinion from a group nobody attended");
    ok(&l(&[
        "--as",
        "office",
        "deliberation",
        "attend",
        &id,
        "--group",
        "鼓楼代表团",
        "--on",
        "2026-01-11",
        "--staff",
        "副检察长李明",
    ]));
    ok(&l(&[
        "--as",
        "office",
        "deliberation",
        "opinion",
        &id,
        "--group",
        "鼓楼代表团",
        "--deputy",
        &people[3].0,
        "--text",
        "建议加强检察公开，定期通报办案情况",
    ]));
    let routed: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "deliberation",
        "route",
        &id,
        "1",
        "--to",
        "suggestion",
        "--format",
        "json",
    ])))
    .unwrap();
    let opinion_number =
        routed["summary"][0]["handled_as"].as_str().unwrap().trim_start_matches("建议 ").to_owned();
    let o = l(&["--as", "office", "deliberation", "close", &id]);
    assert_eq!(o.status.code(), Some(1), "not closed before the deputy is told");
    ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "assign",
        &opinion_number,
        "--lead",
        "第一检察部",
        "--handler",
        "dept1",
    ]));
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "contact",
        &opinion_number,
        "--phase",
        "before",
        "--means",
        "visit",
        "--summary",
        "走访代表",
    ]));
    ok(&l(&[
        "--as",
        "dept1",
        "suggestion",
        "answer",
        &opinion_number,
        "--class",
        "A",
        "--text",
        "每季度通报办案情况。",
    ]));
    let version = get(&s.1, &format!("/api/v1/deliberations/{id}"), &office).1["deliberation"]["version"]
        .as_u64()
        .unwrap();
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/deliberations/{id}/tell"),
        &office,
        Some(version),
        serde_json::json!({"n": 1, "text": "已答复：每季度向代表通报办案情况"}),
    );
    assert_eq!(status, 200, "{b}");
    let summary = ok(&l(&["--as", "office", "deliberation", "close", &id]));
    assert!(summary.contains("已反馈代表") && summary.contains(&opinion_number), "{summary}");
    let v = ok(&l(&["audit", "verify", "--state"]));
    assert!(v.contains("审计链完整") && v.contains("存储状态与事件重放一致"), "{v}");
}

/// R2 end to end: a notice drafted with the CLI, approved by a leader, sent over the API to the county
/// deputies only; a deputy acknowledges over the API and responds with the CLI, which files a suggestion.
#[test]
fn a_major_matter_notice_is_approved_sent_acknowledged_and_answered_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&l, "leader");
    let mut people = Vec::new();
    for (i, (name, level)) in [("王芳", "县"), ("李强", "县"), ("赵敏", "市")].into_iter().enumerate()
    {
        let body = serde_json::json!({"name": name, "gender": "女", "level": level, "term": "16",
            "region": "鼓楼区", "mobile": format!("1360000000{i}"), "term_start": "2023-01-01"});
        let (status, d) = post(&s.1, "/api/v1/deputies", &office, None, body);
        assert_eq!(status, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_owned();
        ok(&l(&["user", "add", &format!("dep{i}"), "--name", "代表", "--role", "deputy", "--deputy", &id]));
        approve(&l, &format!("dep{i}"));
        let token = activated(&l, &s.1, &format!("dep{i}"));
        people.push((id, token));
    }
    let out = ok(&l(&[
        "--as",
        "office",
        "notice",
        "draft",
        "--title",
        "关于开展公益诉讼专项活动的通报",
        "--content",
        "二季度开展。",
        "--scope",
        "level",
        "--value",
        "县",
        "--channel",
        "书面",
        "--format",
        "json",
    ]));
    let id = serde_json::from_str::<Value>(&out).unwrap()["notice"]["id"].as_str().unwrap().to_owned();
    let o = l(&["--as", "office", "notice", "approve", &id]);
    assert_eq!(o.status.code(), Some(1), "the office does not approve");
    ok(&l(&["--as", "leader", "notice", "approve", &id]));
    let (status, v) =
        post(&s.1, &format!("/api/v1/notices/{id}/send"), &office, Some(2), serde_json::json!({}));
    assert_eq!((status, v["recipients"].as_u64()), (200, Some(2)), "{v}");
    let (status, mine) = get(&s.1, "/api/v1/notices", &people[2].1);
    assert_eq!(
        (status, mine.as_array().map(Vec::len)),
        (200, Some(0)),
        "the city deputy was not in the audience"
    );
    let (status, v) = post(
        &s.1,
        &format!("/api/v1/notices/{id}/acknowledge"),
        &people[0].1,
        Some(3),
        serde_json::json!({}),
    );
    assert_eq!(status, 200, "{v}");
    let respond = serde_json::json!({"text": "建议扩大到乡镇", "open_suggestion": true});
    let (status, v) = post(&s.1, &format!("/api/v1/notices/{id}/respond"), &people[1].1, Some(4), respond);
    assert_eq!(status, 200, "{v}");
    // The recipients by name, level and region; no keys, no ids (issue 11, item 18).
    let shown = ok(&l(&["--as", "office", "notice", "show", &id]));
    assert!(shown.contains("王芳") && shown.contains("李强") && shown.contains("县"), "{shown}");
    assert!(!shown.contains("notice.recipients") && !has_uuid(&shown), "{shown}");
    let list: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "suggestion", "list", "--format", "json"]))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let v = ok(&l(&["audit", "verify", "--state"]));
    assert!(v.contains("审计链完整") && v.contains("存储状态与事件重放一致"), "{v}");
}

/// R3 end to end: a year's plan set and adopted with the CLI; a meeting planned and held over the API
/// with an opinion that becomes a suggestion; a visit recorded with the CLI; the plan's progress, the
/// deputies not reached by level, and the calendar as an .ics file.
#[test]
fn a_plan_meetings_and_visits_show_progress_reach_and_a_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&l, "leader");
    let mut ids = Vec::new();
    for (i, (name, level)) in [("王芳", "全国"), ("李强", "县"), ("赵敏", "乡")].into_iter().enumerate()
    {
        let body = serde_json::json!({"name": name, "gender": "女", "level": level, "term": "16", "region": "鼓楼区",
            "mobile": format!("1350000000{i}"), "term_start": "2023-01-01"});
        let (status, d) = post(&s.1, "/api/v1/deputies", &office, None, body);
        assert_eq!(status, 201, "{d}");
        ids.push(d["id"].as_str().unwrap().to_owned());
    }
    ok(&l(&[
        "--as",
        "office",
        "plan",
        "set",
        "--period",
        "2026",
        "--meetings",
        "1",
        "--reached",
        "60",
        "--notices",
        "1",
    ]));
    ok(&l(&["--as", "leader", "plan", "adopt", "2026"]));
    let (status, m) = post(
        &s.1,
        "/api/v1/meetings",
        &office,
        None,
        serde_json::json!({"title": "代表座谈会", "on": "2026-03-05",
        "place": "本院会议室", "agenda": ["work_report:通报工作", "petitions:信访办理"], "invite": [ids[0], ids[1]]}),
    );
    assert_eq!(status, 201, "{m}");
    let mid = m["id"].as_str().unwrap().to_owned();
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/meetings/{mid}/hold"),
        &office,
        Some(1),
        serde_json::json!({"attended": [ids[0]], "minutes": "纪要"}),
    );
    assert_eq!(status, 200, "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/meetings/{mid}/opinion"),
        &office,
        Some(2),
        serde_json::json!({"deputy": ids[0], "text": "加强涉农检察", "to": "suggestion"}),
    );
    assert_eq!(
        (status, b["opinions"][0]["became"].as_str().map(|x| x.starts_with("suggestion:"))),
        (200, Some(true)),
        "{b}"
    );
    let o = l(&[
        "--as",
        "office",
        "visit",
        "--deputy",
        &ids[1],
        "--on",
        "2099-01-01",
        "--place",
        "家中",
        "--staff",
        "林晓",
        "--notes",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(1), "a visit in the future is refused");
    ok(&l(&[
        "--as",
        "office",
        "visit",
        "--deputy",
        &ids[1],
        "--on",
        "2026-04-01",
        "--place",
        "工作单位",
        "--staff",
        "林晓",
        "--notes",
        "了解履职情况",
    ]));
    let plan: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "plan", "show", "2026", "--format", "json"])))
            .unwrap();
    let progress = plan["progress"].as_array().unwrap();
    assert_eq!(
        (progress[0]["achieved"].as_u64(), progress[0]["met"].as_bool()),
        (Some(1), Some(true)),
        "{plan}"
    );
    assert_eq!((progress[1]["achieved"].as_u64(), progress[1]["met"].as_bool()), (Some(66), Some(true)));
    let (status, r) = get(&s.1, "/api/v1/reach?from=2026-01-01&to=2026-12-31", &office);
    assert_eq!(
        (status, r["reached"].as_u64(), r["not_reached"][0]["id"].as_str()),
        (200, Some(2), Some(ids[2].as_str())),
        "{r}"
    );
    ok(&l(&[
        "--as",
        "office",
        "calendar",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--ics",
        "liaison.ics",
    ]));
    let ics = std::fs::read_to_string(dir.join("liaison.ics")).unwrap();
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("代表座谈会") && ics.contains("20260401"), "{ics}");
}

/// R5 end to end: an evaluation planned with the CLI, held and scored over the API, a rectification item
/// that blocks the report until its result is recorded, then the report to the congress.
#[test]
fn an_evaluation_is_scored_rectified_and_reported_to_the_congress() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["--as", "office", "org", "add-department", "第一检察部"]));
    let mut ids = Vec::new();
    for (i, name) in ["王芳", "李强"].into_iter().enumerate() {
        let body = serde_json::json!({"name": name, "gender": "女", "level": "市", "term": "16", "region": "鼓楼区",
            "mobile": format!("1340000000{i}"), "term_start": "2023-01-01"});
        ids.push(post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned());
    }
    let out = ok(&l(&[
        "--as",
        "office",
        "inspection",
        "plan",
        "--kind",
        "评议",
        "--title",
        "公益诉讼工作评议",
        "--organiser-ref",
        "市人大常委会〔2026〕5号",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-03",
        "--participant",
        &ids[0],
        "--participant",
        &ids[1],
        "--item",
        "办案质效",
        "--item",
        "队伍建设",
        "--format",
        "json",
    ]));
    let id = serde_json::from_str::<Value>(&out).unwrap()["inspection"]["id"].as_str().unwrap().to_owned();
    let (status, _) =
        post(&s.1, &format!("/api/v1/inspections/{id}/hold"), &office, Some(1), serde_json::json!({}));
    assert_eq!(status, 200);
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/inspections/{id}/score"),
        &office,
        Some(2),
        serde_json::json!({"deputy": ids[0], "item": 0, "score": 101}),
    );
    assert_eq!((status, b["code"].as_str()), (422, Some("inspection.score_range")), "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/inspections/{id}/score"),
        &office,
        Some(2),
        serde_json::json!({"deputy": ids[0], "item": 0, "score": 90}),
    );
    assert_eq!(status, 200, "{b}");
    let (_, v) = post(
        &s.1,
        &format!("/api/v1/inspections/{id}/score"),
        &office,
        Some(3),
        serde_json::json!({"deputy": ids[1], "item": 0, "score": 80}),
    );
    assert_eq!(v["scores"]["by_item"][0][1].as_f64(), Some(85.0), "{v}");
    // A rectification deadline is never in the past (issue 11 item 14): three months from today.
    let deadline = ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
        + chrono::Duration::days(90))
    .to_string();
    ok(&l(&[
        "--as",
        "office",
        "inspection",
        "rectify",
        &id,
        "--title",
        "加强释法说理",
        "--owner",
        "第一检察部",
        "--deadline",
        &deadline,
    ]));
    let o = l(&["--as", "office", "inspection", "report", &id, "--text", "整改报告"]);
    assert_eq!(o.status.code(), Some(1), "not before the rectification is done");
    assert!(String::from_utf8_lossy(&o.stderr).contains("整改未完成"));
    ok(&l(&["--as", "office", "inspection", "done", &id, "1", "--result", "制定释法说理指引"]));
    let out = ok(&l(&["--as", "office", "inspection", "report", &id, "--text", "整改报告"]));
    assert!(out.contains("已向人大报告"), "{out}");
}

/// R6 end to end: a deputy's suggestion and meeting attendance make a contribution with evidence; the
/// deputy is nominated with the CLI, approved by a leader over the API, submitted and commended; the
/// nominations export as CSV.
#[test]
fn a_deputy_is_nominated_on_evidence_approved_submitted_and_commended() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&l, "leader");
    let leader = ok(&l(&["--as", "leader", "token", "create", "--label", "e2e"])).trim().to_owned();
    let body = serde_json::json!({"name": "王芳", "gender": "女", "level": "县", "term": "16", "region": "鼓楼区",
        "mobile": "13300000001", "term_start": "2023-01-01"});
    let id = post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned();
    ok(&l(&[
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于加强公益诉讼的建议",
        "--content",
        "加强。",
        "--source",
        "来信",
        "--deputy",
        &id,
    ]));
    let year = chrono_year();
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let c: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "commendation",
        "contributions",
        "--from",
        &from,
        "--to",
        &to,
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(c[0]["total"].as_u64(), Some(5), "{c}");
    let n: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "commendation",
        "nominate",
        "--deputy",
        &id,
        "--reasons",
        "积极建言献策",
        "--from",
        &from,
        "--to",
        &to,
        "--format",
        "json",
    ])))
    .unwrap();
    let nid = n[0]["id"].as_str().unwrap().to_owned();
    let (status, _) =
        post(&s.1, &format!("/api/v1/nominations/{nid}/approve"), &office, Some(1), serde_json::json!({}));
    assert_eq!(status, 403, "the office does not approve");
    let (status, b) =
        post(&s.1, &format!("/api/v1/nominations/{nid}/approve"), &leader, Some(1), serde_json::json!({}));
    assert_eq!(status, 200, "{b}");
    ok(&l(&["--as", "office", "commendation", "submit", &nid, "--reference", "检函〔2026〕1号"]));
    ok(&l(&["--as", "office", "commendation", "accept", &nid]));
    let csv = ok(&l(&["--as", "office", "commendation", "list", "--format", "csv"]));
    assert!(
        csv.starts_with("\u{feff}id,代表")
            && csv.contains("王芳")
            && csv.contains("已表彰")
            && csv.contains("检函〔2026〕1号"),
        "{csv}"
    );
}

fn chrono_year() -> i32 {
    // The server and the CLI count days in China time (UTC+8).
    chrono::Datelike::year(&(chrono::Utc::now() + chrono::Duration::hours(8)))
}

/// R4 end to end: a review registered with the CLI; a supervisor recused; the pool fixed and the seed
/// committed (the seed printed once); the draw over the API; `liaison lottery verify` reproduces it from
/// the record; votes; the chief against the majority, so the committee decides and explains; the
/// participants are told.
#[test]
fn a_case_review_draws_verifiably_and_goes_to_the_committee_when_the_chief_disagrees() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&l, "leader");
    let mut sup = Vec::new();
    for (i, name) in ["王芳", "李强", "赵敏", "孙丽", "周杰"].into_iter().enumerate() {
        let body = serde_json::json!({"name": name, "gender": "女", "level": "县", "term": "16",
            "region": "鼓楼区", "mobile": format!("1320000000{i}"), "term_start": "2023-01-01", "special_roles": "人民监督员"});
        sup.push(post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned());
    }
    let out = ok(&l(&[
        "--as",
        "office",
        "review",
        "register",
        "--case-ref",
        "榕检刑不诉〔2026〕12号",
        "--kind",
        "拟不起诉案件",
        "--summary",
        "拟作相对不起诉",
        "--format",
        "json",
    ]));
    let id = serde_json::from_str::<Value>(&out).unwrap()["review"]["id"].as_str().unwrap().to_owned();
    ok(&l(&["--as", "office", "review", "recuse", &id, "--deputy", &sup[0], "--why", "与被害人系同事"]));
    // Without a public value a secret seed needs its reason (issue 11, item 4): refused, exit 1.
    let refused = l(&["--as", "office", "review", "prepare", &id, "--count", "3"]);
    assert_eq!(refused.status.code(), Some(1), "{}", String::from_utf8_lossy(&refused.stderr));
    let prepared = ok(&l(&[
        "--as",
        "office",
        "review",
        "prepare",
        &id,
        "--count",
        "3",
        "--secret-seed-reason",
        "评议当日即抽选，无可用的公开数据",
    ]));
    let seed = prepared.lines().last().unwrap().trim().to_owned();
    assert_eq!(seed.len(), 64, "{prepared}");
    let version = get(&s.1, &format!("/api/v1/reviews/{id}"), &office).1["version"].as_u64().unwrap();
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/reviews/{id}/draw"),
        &office,
        Some(version),
        serde_json::json!({"seed": "ab".repeat(32)}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("review.seed_mismatch")), "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/reviews/{id}/draw"),
        &office,
        Some(version),
        serde_json::json!({"seed": seed}),
    );
    assert_eq!(status, 200, "{b}");
    let participants: Vec<String> = b["review"]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(participants.len(), 3);
    assert!(!participants.contains(&sup[0]), "the recused supervisor is never drawn");
    assert!(ok(&l(&["--as", "office", "lottery", "verify", &id])).contains("与记录一致"));
    let (_, v) = get(&s.1, &format!("/api/v1/reviews/{id}/verify"), &office);
    assert_eq!(v["ok"].as_bool(), Some(true), "{v}");
    for (i, p) in participants.iter().enumerate() {
        ok(&l(&[
            "--as",
            "office",
            "review",
            "vote",
            &id,
            "--deputy",
            p,
            "--agree",
            if i == 0 { "true" } else { "false" },
            "--opinion",
            "意见",
        ]));
    }
    ok(&l(&["--as", "leader", "review", "chief", &id, "--agree", "true", "--text", "决定不起诉"]));
    let o = l(&["--as", "office", "review", "notify", &id, "--text", "结果"]);
    assert_eq!(o.status.code(), Some(1), "the committee step cannot be skipped");
    ok(&l(&[
        "--as",
        "leader",
        "review",
        "committee",
        &id,
        "--agree",
        "false",
        "--text",
        "提起公诉",
        "--explanation",
        "采纳多数意见",
    ]));
    let out = ok(&l(&["--as", "office", "review", "notify", &id, "--text", "经检委会决定依法提起公诉"]));
    assert!(out.contains("已告知结果"), "{out}");
    // People by name, never by id (issue 11, item 18): the recused supervisor and the participants.
    let shown = ok(&l(&["--as", "office", "review", "show", &id]));
    assert!(shown.contains("回避：王芳（县，鼓楼区），与被害人系同事"), "{shown}");
    assert_eq!(["李强", "赵敏", "孙丽", "周杰"].iter().filter(|n| shown.contains(*n)).count(), 3, "{shown}");
    assert!(!has_uuid(&shown), "no bare ids: {shown}");
}

/// G1 end to end: the case system asks over the API whether a person is a deputy (by ID number), the
/// office asks with the CLI (the number from the environment); both are answered with the requirement and
/// both checks are on the audit record.
#[test]
fn the_rights_check_answers_the_case_system_and_is_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let o = l(&["user", "add", "cases", "--name", "案件管理部门", "--role", "department"]);
    assert_eq!(o.status.code(), Some(1), "a department account needs its department");
    ok(&l(&["--as", "office", "org", "add-department", "案件管理部"]));
    ok(&l(&[
        "user",
        "add",
        "cases",
        "--name",
        "案件管理部门",
        "--role",
        "department",
        "--department",
        "案件管理部",
        "--service",
    ]));
    approve(&l, "cases");
    // The case system is an integration account: the system administrator issues its token.
    let cases = ok(&l(&["token", "create", "--user", "cases", "--label", "案件系统"])).trim().to_owned();
    let body = serde_json::json!({"name": "郑伟", "level": "县", "term": "16", "region": "鼓楼区", "id_number": "11010519491231002X",
        "mobile": "13100000001", "term_start": "2023-01-01"});
    let (status, d) = post(&s.1, "/api/v1/deputies", &office, None, body);
    assert_eq!(status, 201, "{d}");
    let (status, a) = post(
        &s.1,
        "/api/v1/rights/check",
        &cases,
        None,
        serde_json::json!({"id_number": "11010519491231002X", "name": "郑伟", "reason": "榕检刑捕〔2026〕7号"}),
    );
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["is_deputy"].as_bool(), a["deputyships"][0]["permission_required"].as_bool()),
        (Some(true), Some(true)),
        "{a}"
    );
    let (status, b) = post(
        &s.1,
        "/api/v1/rights/check",
        &cases,
        None,
        serde_json::json!({"id_number": "11010519491231002X", "reason": ""}),
    );
    assert_eq!((status, b["errors"][0]["field"].as_str()), (422, Some("reason")));
    let out = Command::new(bin("liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env("LIAISON_ID_NUMBER", "11010519491231002X")
        .args(["--as", "office", "rights", "--id-number", "-", "--why", "核查"])
        .output()
        .unwrap();
    let text = ok(&out);
    assert!(text.contains("第16届县人大代表") && text.contains("许可"), "{text}");
    let db = rusqlite::Connection::open(dir.join("liaison.db")).unwrap();
    let n: i64 = db
        .query_row("SELECT count(*) FROM audit_log WHERE kind = 'rights.checked'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    let leaked: i64 = db
        .query_row("SELECT count(*) FROM audit_log WHERE payload LIKE '%11010519491231002X%'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(leaked, 0, "the ID number is never in the audit record");
}

/// C4 end to end: an activity planned with the CLI, its pool committed and drawn over the API, the draw
/// verified by `liaison lottery verify`, attendance recorded, and the fairness figures by level.
#[test]
fn an_activity_draws_verifiably_and_shows_fairness_by_level() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    for (i, level) in ["县", "县", "乡", "乡", "市", "市"].into_iter().enumerate() {
        let body = serde_json::json!({"name": format!("代表{}", ["甲", "乙", "丙", "丁", "戊", "己"][i]), "gender": "女", "level": level,
            "term": "16", "region": "鼓楼区", "mobile": format!("1300000000{i}"), "term_start": "2023-01-01"});
        assert_eq!(post(&s.1, "/api/v1/deputies", &office, None, body).0, 201);
    }
    let out = ok(&l(&[
        "--as",
        "office",
        "activity",
        "plan",
        "--kind",
        "检察开放日",
        "--title",
        "检察开放日",
        "--on",
        "2026-05-20",
        "--place",
        "本院",
        "--seats",
        "3",
        "--selection",
        "lottery-equal",
        "--format",
        "json",
    ]));
    let id = serde_json::from_str::<Value>(&out).unwrap()["activity"]["id"].as_str().unwrap().to_owned();
    let (status, prepared) = post(
        &s.1,
        &format!("/api/v1/activities/{id}/prepare"),
        &office,
        Some(1),
        serde_json::json!({"secret_seed_reason": "演示"}),
    );
    assert_eq!(status, 200, "{prepared}");
    let seed = prepared["seed"].as_str().unwrap().to_owned();
    let (status, drawn) = post(
        &s.1,
        &format!("/api/v1/activities/{id}/draw"),
        &office,
        Some(2),
        serde_json::json!({"seed": seed}),
    );
    assert_eq!(status, 200, "{drawn}");
    assert_eq!(drawn["activity"]["participants"].as_array().unwrap().len(), 3);
    assert!(ok(&l(&["--as", "office", "lottery", "verify", &id])).contains("与记录一致"));
    let first = drawn["activity"]["participants"][0].as_str().unwrap().to_owned();
    ok(&l(&["--as", "office", "activity", "hold", &id, "--attended", &first]));
    let f: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "fairness",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    ])))
    .unwrap();
    let drawn_per_level: Vec<u64> =
        f["by_level"].as_array().unwrap().iter().map(|x| x["drawn"].as_u64().unwrap()).collect();
    assert_eq!(drawn_per_level, vec![0, 0, 1, 1, 1], "equal quotas: one per level with deputies: {f}");
    // Participation is attendance: one of the three drawn attended (issue 11, item 3).
    assert_eq!((f["participations"].as_u64(), f["seats_drawn"].as_u64()), (Some(1), Some(3)), "{f}");

    // A draw seeded by a public value named in advance: prepared over the API, drawn with the CLI once the
    // value is published (the CLI run as of that day), verified by anyone from the record.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() + chrono::Duration::days(1);
    let out = ok(&l(&[
        "--as",
        "office",
        "activity",
        "plan",
        "--kind",
        "庭审观摩",
        "--title",
        "庭审观摩",
        "--on",
        "2027-12-20",
        "--place",
        "市中院",
        "--seats",
        "2",
        "--selection",
        "lottery",
        "--format",
        "json",
    ]));
    let id2 = serde_json::from_str::<Value>(&out).unwrap()["activity"]["id"].as_str().unwrap().to_owned();
    let (status, prepared) = post(
        &s.1,
        &format!("/api/v1/activities/{id2}/prepare"),
        &office,
        Some(1),
        serde_json::json!({"public_source": "中国福利彩票双色球开奖号码", "published_on": tomorrow.to_string()}),
    );
    assert_eq!((status, prepared["seed"].is_null()), (200, true), "{prepared}");
    let early = l(&["--as", "office", "activity", "draw", &id2, "--public-value", "03 08 15 21 27 33 + 09"]);
    assert_eq!(early.status.code(), Some(1), "not before the value is published");
    let out = Command::new(bin("liaison"))
        .current_dir(dir)
        .env("LIAISON_NOW", tomorrow.to_string())
        .args(["--as", "office", "activity", "draw", &id2, "--public-value", "03 08 15 21 27 33 + 09"])
        .output()
        .unwrap();
    ok(&out);
    let v: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "lottery", "verify", &id2, "--format", "json"])))
            .unwrap();
    assert_eq!((v["ok"].as_bool(), v["seed_source"].as_str()), (Some(true), Some("public")), "{v}");

    // A third party with the published record alone (no database, no account) verifies it; an edited
    // record does not verify.
    let (status, record) = get(&s.1, &format!("/api/v1/activities/{id2}"), &office);
    assert_eq!(status, 200, "{record}");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("draw.json"), record.to_string()).unwrap();
    let out = liaison(elsewhere.path(), &["lottery", "verify", "--file", "draw.json"]);
    assert!(ok(&out).contains("与记录一致"));
    let mut edited = record.clone();
    let d = edited.pointer_mut("/draw/drawn/0").unwrap();
    *d = Value::String("01a21f8c-0000-7000-8000-000000000000".into());
    std::fs::write(elsewhere.path().join("edited.json"), edited.to_string()).unwrap();
    let out = liaison(elsewhere.path(), &["lottery", "verify", "--file", "edited.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("与记录不一致"));
    assert!(!elsewhere.path().join("liaison.db").exists(), "verifying opens no database");
}

/// G2 end to end: a budget set and adopted with the CLI; spending over the API within the line; more than
/// the line refused until a supplementary appropriation is approved; the execution report.
#[test]
fn a_budget_refuses_spending_beyond_its_lines_until_an_appropriation_is_approved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&l, "leader");
    let year = chrono_year().to_string();
    ok(&l(&["--as", "office", "budget", &year, "line", "--category", "会议", "--amount", "10,000"]));
    let o = l(&["--as", "office", "budget", &year, "line", "--category", "会议", "--amount", "12.345"]);
    assert_eq!(o.status.code(), Some(1), "bad amounts are refused");
    ok(&l(&["--as", "leader", "budget", &year, "adopt"]));
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "8000", "purpose": "代表座谈会", "reference": "凭证001"}),
    );
    assert_eq!(status, 200, "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "3000", "purpose": "代表座谈会", "reference": "凭证002"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.over_budget")), "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "走访", "amount": "1", "purpose": "x", "reference": "x"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.no_line")), "no spending outside the budget");
    ok(&l(&[
        "--as",
        "office",
        "budget",
        &year,
        "request",
        "--category",
        "会议",
        "--amount",
        "5000",
        "--why",
        "增加座谈会",
    ]));
    ok(&l(&["--as", "leader", "budget", &year, "approve", "1"]));
    let (status, _) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "3000", "purpose": "代表座谈会", "reference": "凭证002"}),
    );
    assert_eq!(status, 200);
    let report = ok(&l(&["--as", "office", "budget", &year]));
    assert!(
        report.contains("10000.00")
            && report.contains("5000.00")
            && report.contains("11000.00")
            && report.contains("4000.00"),
        "{report}"
    );
    // The same voucher twice is refused; an expense is reversed once, by a new entry (issue 11 item 10).
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "100", "purpose": "代表座谈会", "reference": "凭证001"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.duplicate_reference")), "{b}");
    ok(&l(&["--as", "office", "budget", &year, "reverse", "1", "--why", "重复报销"]));
    let o = l(&["--as", "office", "budget", &year, "reverse", "1", "--why", "再次冲销"]);
    assert_eq!(o.status.code(), Some(1), "an expense is reversed once");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/reverse"),
        &office,
        None,
        serde_json::json!({"n": 3, "reason": "冲销冲销记录"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.reversal_of_reversal")), "{b}");
    let report = ok(&l(&["--as", "office", "budget", &year]));
    assert!(
        report.contains("3000.00") && report.contains("8000.00") && report.contains("12000.00"),
        "{report}"
    );
}

/// C3 end to end: a deputy's request to meet the chief procurator, acknowledged with the CLI, scheduled
/// over the API (a clash with another appointment refused), held with its record, on the .ics calendar.
#[test]
fn an_appointment_is_acknowledged_scheduled_without_clash_held_and_on_the_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let mut ids = Vec::new();
    for (i, name) in ["王芳", "李强"].into_iter().enumerate() {
        let body = serde_json::json!({"name": name, "gender": "女", "level": "市", "term": "16", "region": "鼓楼区",
            "mobile": format!("1890000000{i}"), "term_start": "2023-01-01"});
        ids.push(post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned());
    }
    // The official is a person of the organisation, however the name is written (issue 11 item 13).
    ok(&l(&["--as", "office", "org", "add-leader", "张明", "--title", "检察长"]));
    let mut appts = Vec::new();
    for (id, official) in ids.iter().zip(["检察长张明", "张明"]) {
        let (status, a) = post(
            &s.1,
            "/api/v1/appointments",
            &office,
            None,
            serde_json::json!({"deputy": id, "official": official, "channel": "联络卡", "topic": "反映企业合规问题"}),
        );
        assert_eq!(status, 201, "{a}");
        appts.push(a["id"].as_str().unwrap().to_owned());
    }
    let (status, b) = post(
        &s.1,
        "/api/v1/appointments",
        &office,
        None,
        serde_json::json!({"deputy": ids[0], "official": "副检察长王五", "channel": "联络卡", "topic": "x"}),
    );
    assert_eq!((status, b["code"].as_str()), (422, Some("appointment.unknown_official")), "{b}");
    for a in &appts {
        ok(&l(&["--as", "office", "appointment", "ack", a]));
    }
    // A week from today: in the future, within the meet-by window (10 working days).
    let day = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() + chrono::Duration::days(7);
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/appointments/{}/schedule", appts[0]),
        &office,
        Some(2),
        serde_json::json!({"from": format!("{day} 10:00"), "to": format!("{day} 11:00"), "place": "接待室"}),
    );
    assert_eq!((status, b["late"].as_bool()), (200, Some(false)), "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/appointments/{}/schedule", appts[1]),
        &office,
        Some(2),
        serde_json::json!({"from": format!("{day} 10:30"), "to": format!("{day} 11:30"), "place": "接待室"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("appointment.clash")), "{b}");
    let o = l(&["--as", "office", "appointment", "hold", &appts[0], "--record", "承诺两周内书面答复"]);
    assert_eq!(o.status.code(), Some(1), "not before its time");
    ok(&l(&[
        "--as",
        "office",
        "appointment",
        "decline",
        &appts[1],
        "--why",
        "检察长出差",
        "--alternative",
        "由副检察长接待",
    ]));
    let (from, to) = (day.to_string(), (day + chrono::Duration::days(1)).to_string());
    ok(&l(&["--as", "office", "calendar", "--from", &from, "--to", &to, "--ics", "a.ics"]));
    let ics = std::fs::read_to_string(dir.join("a.ics")).unwrap();
    assert!(
        ics.contains("检察长张明约见王芳代表") && ics.contains(&day.format("%Y%m%d").to_string()),
        "{ics}"
    );
}

/// C1, G3, C4 end to end: a hotline call filed as a suggestion over the API, a liaison card issued and
/// printed with the CLI, a practical problem resolved, a solicitation answered with a suggestion; a
/// supervisor appointment refused for a standing committee member and made for an eligible deputy.
#[test]
fn hotline_cards_services_solicitations_and_supervisors_work_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let body = serde_json::json!({"name": "王芳", "gender": "女", "level": "县", "term": "16", "region": "鼓楼区",
        "mobile": "15800000001", "term_start": "2023-01-01", "birth_date": "1975-02-01", "special_roles": "常委会组成人员"});
    let id = post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned();
    let (status, call) = post(
        &s.1,
        "/api/v1/calls",
        &office,
        None,
        serde_json::json!({"deputy": id, "caller": "王芳", "topic": "反映社区矫正问题", "route": "suggestion"}),
    );
    assert_eq!(
        (status, call["reference"].as_str().map(|r| r.starts_with("suggestion:"))),
        (201, Some(true)),
        "{call}"
    );
    // A card names an officer of the organisation (issue 11 item 12).
    ok(&l(&["--as", "office", "org", "add-officer", "林晓"]));
    let out = ok(&l(&[
        "--as",
        "office",
        "card",
        "issue",
        "--deputy",
        &id,
        "--officer",
        "林晓",
        "--telephone",
        "0591-12345678",
    ]));
    let number = out
        .split_whitespace()
        .find(|w| w.contains("LK-"))
        .unwrap()
        .trim_start_matches("已发放联络卡")
        .split('（')
        .next()
        .unwrap()
        .to_owned();
    ok(&l(&["--as", "office", "card", "print", &number, "--out", "card.html"]));
    // Records are never backdated: a command run as of an earlier day than the last change is refused.
    let back = Command::new(bin("liaison"))
        .current_dir(dir)
        .env("LIAISON_NOW", "2020-01-01")
        .args(["--as", "office", "card", "revoke", &number, "--why", "补录"])
        .output()
        .unwrap();
    assert_eq!(back.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&back.stderr).contains("倒填"),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert!(std::fs::read_to_string(dir.join("card.html")).unwrap().contains("人大代表联络卡"));
    let (status, svc) = post(
        &s.1,
        "/api/v1/services",
        &office,
        None,
        serde_json::json!({"deputy": id, "kind": "解决实际困难", "description": "子女入学"}),
    );
    assert_eq!(status, 201, "{svc}");
    let sid = svc["id"].as_str().unwrap().to_owned();
    let (status, done) = post(
        &s.1,
        &format!("/api/v1/services/{sid}/resolve"),
        &office,
        None,
        serde_json::json!({"text": "已协调解决"}),
    );
    assert_eq!((status, done["resolved"].is_array()), (200, true), "{done}");
    let so: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "solicit",
        "send",
        "--title",
        "征求意见",
        "--content",
        "请提意见",
        "--scope",
        "all",
        "--format",
        "json",
    ])))
    .unwrap();
    let so_id = so["id"].as_str().unwrap().to_owned();
    let (status, r) = post(
        &s.1,
        &format!("/api/v1/solicitations/{so_id}/respond"),
        &office,
        None,
        serde_json::json!({"deputy": id, "text": "加强检察公开", "as_suggestion": true}),
    );
    assert_eq!(status, 200, "{r}");
    let list: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "suggestion", "list", "--format", "json"]))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let o = l(&[
        "--as",
        "office",
        "supervisor",
        "appoint",
        "--deputy",
        &id,
        "--kind",
        "人民监督员",
        "--from",
        "2026-01-01",
        "--to",
        "2030-12-31",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("不宜担任"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // An eligible deputy is appointed over the API and listed by the CLI; the refused one never was.
    let body = serde_json::json!({"name": "陈刚", "gender": "男", "level": "市", "term": "16", "region": "鼓楼区",
        "mobile": "15800000002", "term_start": "2023-01-01", "birth_date": "1980-06-01"});
    let other = post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned();
    let (status, a) = post(
        &s.1,
        "/api/v1/supervisors",
        &office,
        None,
        serde_json::json!({"deputy": other, "kind": "人民监督员", "from": "2026-01-01", "to": "2030-12-31"}),
    );
    assert_eq!(status, 201, "{a}");
    let listed: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "supervisor", "list", "--format", "json"]))).unwrap();
    let deputies: Vec<&str> =
        listed.as_array().unwrap().iter().filter_map(|x| x["deputy"].as_str()).collect();
    assert_eq!(deputies, [other.as_str()]);
}

/// Issue 11, item 17: a rehearsal year can be set up: `liaison init` honours `LIAISON_NOW` (it recorded the
/// real time, so every later command "as of" the rehearsal day was refused as backdated), and the help
/// names the environment variables.
#[test]
fn a_rehearsal_year_starts_with_init_as_of_liaison_now() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let as_of = |args: &[&str]| {
        Command::new(bin("liaison"))
            .current_dir(dir)
            .env_remove("LIAISON_USER")
            .env_remove("LIAISON_DB")
            .env("LIAISON_NOW", "2025-01-06")
            .args(args)
            .output()
            .unwrap()
    };
    ok(&as_of(&["init", "--name", "演练检察院"]));
    ok(&as_of(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&as_of, "office");
    let help = ok(&liaison(dir, &["--help"]));
    assert!(help.contains("LIAISON_NOW") && help.contains("LIAISON_CALENDAR"), "{help}");
}

/// Issue 14, item 9: the server's first start honours `LIAISON_NOW` as `liaison init` does (its clock starts
/// there), so the README's tour, written as of a day, can start from the server: the CLI's commands as of
/// that day are not refused as backdated.
#[test]
fn the_servers_first_start_honours_liaison_now() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve_with_env(dir, &["--db", "liaison.db"], &[("LIAISON_NOW", "2025-01-06")]);
    let token = std::fs::read_to_string(dir.join("liaison-admin.token")).unwrap().trim().to_owned();
    assert_eq!(get(&s.1, "/api/v1/me", &token).0, 200);
    let as_of = |args: &[&str]| {
        Command::new(bin("liaison"))
            .current_dir(dir)
            .env_remove("LIAISON_USER")
            .env_remove("LIAISON_DB")
            .env("LIAISON_NOW", "2025-01-06")
            .args(args)
            .output()
            .unwrap()
    };
    ok(&as_of(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&as_of, "office");
    let users: Value = serde_json::from_str(&ok(&as_of(&["user", "list", "--format", "json"]))).unwrap();
    let admin = users.as_array().unwrap().iter().find(|u| u["login"] == "admin").unwrap();
    assert!(admin["created_at"].as_str().unwrap().starts_with("2025-01-06T01:00:0"), "{admin}");
    let o = Command::new(bin("liaison-http"))
        .current_dir(dir)
        .args(["--listen", "127.0.0.1:0"])
        .env("LIAISON_NOW", "the sixth")
        .output()
        .unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("LIAISON_NOW"));
}
