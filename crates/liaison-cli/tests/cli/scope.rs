//! Issue 12, item 7 at the console: `deputy show --full` needs `--reason`; an officer reaches only the
//! deputies assigned to it (and its granted regions); bulk viewing is refused past `LIAISON_FULL_VIEWS` and
//! the security administrator lists the alert (`audit alerts`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_liaison"));
    c.current_dir(dir);
    for v in ["LIAISON_USER", "LIAISON_DB", "LIAISON_LANG", "LIAISON_NOW", "LIAISON_FULL_VIEWS"] {
        c.env_remove(v);
    }
    c.env_remove("LIAISON_FULL_VIEW_WINDOW").envs(env.iter().copied()).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, &[], args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Exit `code`; what it said on standard error.
fn fails(o: Output, code: i32) -> String {
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(code), "{err}");
    err
}

const WHY: &str = "走访前核对地址";

#[test]
fn issue12_item7_reasons_scope_and_bulk_viewing_at_the_console() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["init"]);
    ok(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]);
    ok(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]);
    ok(dir, &["--as", "sec", "user", "approve", "office"]);
    ok(dir, &["user", "add", "auditor", "--name", "审计管理员", "--role", "auditor"]);
    ok(dir, &["--as", "office", "org", "add-region", "鼓楼区"]);
    ok(dir, &["--as", "office", "org", "add-officer", "林晓", "--region", "鼓楼区"]);
    ok(dir, &["demo", "generate", "--deputies", "3", "--seed", "3", "--out", "reg.csv"]);
    ok(dir, &["--as", "office", "deputy", "import", "reg.csv"]);
    let list = ok(dir, &["--as", "office", "deputy", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let ids: Vec<String> =
        list.as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
    let other_name = list[1]["name"].as_str().unwrap().to_owned();
    ok(dir, &["--as", "office", "assign", &ids[0], "--officer", "林晓", "--reason", "就近联络"]);
    // An officer's account is linked to its liaison officer when created; the security administrator
    // approves both.
    let added = ok(
        dir,
        &[
            "user",
            "add",
            "lin",
            "--name",
            "林晓",
            "--role",
            "officer",
            "--officer",
            "林晓",
            "--format",
            "json",
        ],
    );
    assert!(added.contains("pending_grant"), "{added}");
    ok(dir, &["--as", "sec", "user", "approve", "lin"]);
    fails(
        run(dir, &[], &["user", "add", "qian", "--name", "钱某", "--role", "leader", "--region", "鼓楼区"]),
        1,
    );

    // --full without --reason is a usage error naming --reason; a reason that says nothing is refused.
    let err = fails(run(dir, &[], &["--as", "office", "deputy", "show", &ids[0], "--full"]), 2);
    assert!(err.contains("--reason"), "{err}");
    for bad in ["", "  ", "核对"] {
        let err = fails(
            run(dir, &[], &["--as", "office", "deputy", "show", &ids[0], "--full", "--reason", bad]),
            1,
        );
        assert!(err.contains("原因"), "{bad:?}: {err}");
    }

    // The officer: its own deputy in full; another's refused, naming the deputy; nor can it end that term.
    let shown =
        ok(dir, &["--as", "lin", "deputy", "show", &ids[0], "--full", "--reason", WHY, "--format", "json"]);
    assert!(!shown.contains("****"), "{shown}");
    let err = fails(run(dir, &[], &["--as", "lin", "deputy", "show", &ids[1], "--full", "--reason", WHY]), 1);
    assert!(err.contains(&format!("代表{other_name}不在您的联络范围内")), "{err}");
    let args = ["--as", "lin", "deputy", "end-term", &ids[1], "--date", "2026-05-01", "--reason", "届满"];
    assert!(fails(run(dir, &[], &args), 1).contains("不在您的联络范围内"));

    // Bulk viewing: two full views per window here; the third is refused, and one alert is raised.
    let two = [("LIAISON_FULL_VIEWS", "2"), ("LIAISON_FULL_VIEW_WINDOW", "10")];
    let show =
        |id: &str| run(dir, &two, &["--as", "office", "deputy", "show", id, "--full", "--reason", WHY]);
    // (The office's refused attempts above were no views.)
    assert!(show(&ids[1]).status.success());
    assert!(show(&ids[2]).status.success());
    let err = fails(show(&ids[0]), 1);
    assert!(err.contains("过于频繁") && err.contains("安全管理员"), "{err}");
    fails(show(&ids[0]), 1);
    for who in ["sec", "auditor"] {
        let alerts = ok(dir, &["--as", who, "audit", "alerts", "--format", "json"]);
        let alerts: serde_json::Value = serde_json::from_str(&alerts).unwrap();
        let items = alerts["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{alerts}");
        assert_eq!(items[0]["kind"], "alert.bulk_personal_data");
        assert_eq!(items[0]["payload"]["login"], "office");
    }
    let listed = ok(dir, &["--as", "auditor", "audit", "list", "--kind", "alert.", "--format", "json"]);
    assert!(listed.contains("alert.bulk_personal_data"), "{listed}");
    fails(run(dir, &[], &["--as", "office", "audit", "alerts"]), 1);
    // A limit out of range is refused, naming the variable.
    let err = fails(run(dir, &[("LIAISON_FULL_VIEWS", "0")], &["--as", "office", "deputy", "list"]), 1);
    assert!(err.contains("LIAISON_FULL_VIEWS"), "{err}");
}
