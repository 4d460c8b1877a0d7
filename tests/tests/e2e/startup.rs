//! Servers, PostgreSQL and start-up: the first start, a register imported and read back, bad input refused,
//! backup and restore, a tampered record named; two servers on one PostgreSQL; the clock of a rehearsal
//! year, from `liaison init` or from the server's first start.

use std::process::Command;

use serde_json::{Value, json};

use super::{World, agent, approve, bin, get, liaison, ok, serve_with_env};

/// The first start through the server writes the key and token files with mode 0600; the CLI imports a
/// generated register, the server serves it back page by page, masked; bad input exits 1 with the row named,
/// usage errors exit 2; backup and restore; a tampered audit record is named by `liaison audit verify`.
#[test]
fn import_serve_read_back_and_refuse_bad_input() {
    // First start through the server: database, key file and the first administrator's token file.
    let mut w = World::new();
    let dir = w.dir().to_owned();
    let (status, _) = w.get("/readyz", "");
    assert_eq!(status, 200);
    let token_file = std::fs::read_to_string(dir.join("liaison-admin.token")).unwrap().trim().to_owned();
    let (status, me) = w.get("/api/v1/me", &token_file);
    assert_eq!((status, me["login"].as_str()), (200, Some("admin")));
    w.stop();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["liaison.key", "liaison-admin.token"] {
            assert_eq!(std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777, 0o600, "{f}");
        }
    }
    assert!(token_file.starts_with("lia_"));
    assert!(w.ok(&["init"]).contains("已初始化"), "init is idempotent and shows no token again");

    // A generated register imported with the CLI, by the world's office user.
    w.ok(&["demo", "generate", "--deputies", "500", "--seed", "3", "--out", "reg.csv"]);
    let out = w.ok(&["--as", "office", "deputy", "import", "reg.csv"]);
    assert!(out.contains("新登记 500 人"), "{out}");

    // A reader that stops early (`liaison deputy list | head`): a quiet stop with 141, never a panic report.
    let mut child = Command::new(bin("liaison"))
        .current_dir(&dir)
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
    w.ok(&["demo", "generate", "--deputies", "3", "--seed", "4", "--encoding", "gbk", "--out", "gbk.csv"]);
    // Issue 14 item 3: an undeclared GBK file is detected and said so; a wrong declaration is refused.
    let out = w.ok(&["--as", "office", "deputy", "import", "gbk.csv", "--dry-run"]);
    assert!(out.contains("按 GBK/GB18030 读取") && out.contains("共 3 行"), "{out}");
    let o = w.run(&["--as", "office", "deputy", "import", "gbk.csv", "--encoding", "utf8"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--encoding gbk"));
    std::fs::write(dir.join("bad.csv"), "姓名,性别,代表层级,届次,所属区域,任期开始,手机\n张三,男,县,18,鼓楼区,2022-01-01,123\n李四,男,县,18,鼓楼区,2022-13-01,13800138000\n").unwrap();
    let o = w.run(&["--as", "office", "deputy", "import", "bad.csv"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("第 2 行「手机」") && err.contains("第 3 行「任期开始」"), "{err}");
    let o = w.run(&["--as", "admin", "deputy", "import", "reg.csv"]);
    assert_eq!(o.status.code(), Some(1), "the administrator may not import");
    assert!(String::from_utf8_lossy(&o.stderr).contains("无权"));
    assert_eq!(w.run(&["deputy", "frobnicate"]).status.code(), Some(2), "usage errors exit 2");
    assert!(w.ok(&["completions", "bash"]).contains("_liaison()"));
    assert!(w.ok(&["man"]).contains(".TH liaison 1"));
    // One page per command and subcommand (issue 14, item 11).
    w.ok(&["man", "--dir", "man"]);
    let import = std::fs::read_to_string(dir.join("man/liaison-deputy-import.1")).unwrap();
    assert!(import.contains(".TH liaison-deputy-import 1") && import.contains("encoding"), "{import}");
    assert!(
        dir.join("man/liaison-suggestion-reassign.1").exists()
            && dir.join("man/liaison-deadline-explain.1").exists()
    );

    // Read it back over HTTP: every deputy, once, masked.
    w.start();
    let mut seen = std::collections::HashSet::new();
    let mut path = "/api/v1/deputies?limit=200".to_owned();
    loop {
        let (status, page) = w.get(&path, &w.office);
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
    let (status, d) = w.get(&format!("/api/v1/deputies/{one}"), &w.office);
    assert_eq!((status, d["id"].as_str()), (200, Some(one.as_str())));
    let (status, _) = w.get("/api/v1/deputies", "lia_wrong");
    assert_eq!(status, 401);
    w.stop();

    // Backup while in use, and restore as a new database: refused over an existing one.
    let backed_up = w.ok(&["db", "backup", "backup.db"]);
    assert!(backed_up.contains("backup.db") && backed_up.contains("审计链完整"), "{backed_up}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("backup.db")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup is private (issue 13 item 1)");
    }
    let o = w.run(&["db", "restore", "backup.db"]);
    assert_eq!(o.status.code(), Some(1), "restoring over the live database is refused");
    assert!(w.ok(&["--db", "restored.db", "db", "restore", "backup.db"]).contains("审计链完整"));
    let restored = ["--db", "restored.db", "--as", "office", "deputy", "list", "--all", "--limit", "1000"];
    let listed = w.json(&[&restored[..], &["--format", "json"]].concat());
    assert_eq!(listed.as_array().unwrap().len(), 500);

    // The audit chain verifies; a tampered record is named.
    assert!(w.ok(&["audit", "verify"]).contains("审计链完整"));
    let db = rusqlite::Connection::open(dir.join("liaison.db")).unwrap();
    assert!(db.execute("UPDATE audit_log SET actor_name = 'x' WHERE seq = 7", []).is_err(), "append-only");
    db.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    db.execute("UPDATE audit_log SET actor_name = '某人' WHERE seq = 7", []).unwrap();
    drop(db);
    let o = w.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("第 7 条"), "{}", String::from_utf8_lossy(&o.stdout));
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
    let Some(w) = World::on_postgres("two servers on one PostgreSQL") else { return };
    // `init` names the PostgreSQL database it initialised, not the SQLite default (issue 13 item 7).
    assert!(w.init.contains("postgres://") && !w.init.contains("liaison.db"), "{}", w.init);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = w.serve_in(dir_a.path());
    let b = w.serve_in(dir_b.path());
    let office = w.office.clone();

    let mut r = agent()
        .post(&format!("{}/api/v1/deputies", a.1))
        .header("Authorization", &format!("Bearer {office}"))
        .send_json(json!({"name": "王芳", "gender": "女", "level": "县", "term": "18", "region": "鼓楼区",
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
                        json!({"position": format!("职务{round}{who}")}),
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
    w.verify_state();

    // pg_dump backup, pg_restore into an empty database, verified under the same key.
    w.ok(&["db", "backup", "pg.dump"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(w.dir().join("pg.dump")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a dump is private (issue 13 item 1)");
    }
    let copy = liaison_store::testing::TestDatabase::create("restore").unwrap().unwrap();
    let key = w.backend()[3]; // --database-url URL --key-file KEY
    let on_copy = |args: &[&str]| {
        liaison(w.dir(), &[&["--database-url", copy.url.as_str(), "--key-file", key][..], args].concat())
    };
    let restored = ok(&on_copy(&["db", "restore", "pg.dump"]));
    assert!(restored.contains("审计链完整") && restored.contains("存储状态与事件重放一致"), "{restored}");
    let o = on_copy(&["--as", "office", "deputy", "list", "--format", "json"]);
    assert_eq!(serde_json::from_str::<Value>(&ok(&o)).unwrap()[0]["version"].as_u64(), Some(9));
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
