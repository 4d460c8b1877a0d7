//! `liaison audit verify --state` and the restore drill (issue 13 item 3): a clean register verifies; a
//! `work_unit` edited in the deputies table — served silently before, while its history said otherwise —
//! is named with both values and exits 1, while the chain itself is intact; a backup of that database
//! restores, and the restore names the same difference and exits 1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn liaison(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_LANG")
        .env_remove("LIAISON_NOW")
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = liaison(dir, args);
    assert!(o.status.success(), "{args:?}: {}{}", text(&o.stdout), text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn issue13_audit_verify_state_names_an_edited_work_unit_and_the_restore_drill_does_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["init"]);
    ok(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]);
    ok(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]);
    ok(dir, &["--as", "sec", "user", "approve", "office"]);
    ok(dir, &["demo", "generate", "--deputies", "40", "--out", "reg.csv"]);
    ok(dir, &["--as", "office", "deputy", "import", "reg.csv"]);

    let out = ok(dir, &["audit", "verify", "--state"]);
    assert!(out.contains("存储状态与事件重放一致") && out.contains("40 个聚合"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--format", "json", "audit", "verify", "--state"])).unwrap();
    assert_eq!(
        (json["state"]["aggregates"].as_u64(), &json["state"]["differences"]),
        (Some(40), &serde_json::json!([]))
    );
    ok(dir, &["db", "backup", "clean.bak"]);
    let out = ok(dir, &["--db", "clean.db", "db", "restore", "clean.bak"]);
    assert!(out.contains("审计链完整") && out.contains("存储状态与事件重放一致"), "{out}");

    // Edit one deputy's work unit behind the service's back, as the fault campaign did.
    let (id, unit): (String, String) = {
        let c = liaison_store::sqlite::SqliteStore::raw_connection(&dir.join("liaison.db")).unwrap();
        let row = c
            .query_row(
                "SELECT id, json_extract(data, '$.data.work_unit') FROM deputies ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .unwrap();
        c.execute(
            "UPDATE deputies SET data = json_set(data, '$.data.work_unit', '某某贸易公司') WHERE id = ?1",
            [&row.0],
        )
        .unwrap();
        row
    };
    ok(dir, &["audit", "verify"]); // the chain is intact: only the state check sees it
    let o = liaison(dir, &["audit", "verify", "--state"]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let line = out.lines().find(|l| l.contains(&id)).unwrap_or_else(|| panic!("{id} not named: {out}"));
    assert!(
        line.contains("deputy")
            && line.contains("state.data.work_unit")
            && line.contains("某某贸易公司")
            && line.contains(&unit),
        "{line}"
    );
    assert!(text(&o.stderr).contains("状态核对失败：1 处"), "{}", text(&o.stderr));
    let o = liaison(dir, &["--format", "json", "audit", "verify", "--state"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &json["state"]["differences"][0];
    assert_eq!(
        (d["kind"].as_str(), d["id"].as_str(), d["field"].as_str()),
        (Some("deputy"), Some(id.as_str()), Some("state.data.work_unit"))
    );
    assert_eq!((d["stored"].as_str(), d["replayed"].as_str()), (Some("某某贸易公司"), Some(unit.as_str())));

    // The restore drill: the backup is taken (its chain is intact) and restores, and the restore names the
    // difference it carries.
    ok(dir, &["db", "backup", "edited.bak"]);
    let o = liaison(dir, &["--db", "restored.db", "db", "restore", "edited.bak"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("审计链完整") && text(&o.stdout).contains("state.data.work_unit"),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stderr).contains("状态核对失败"), "{}", text(&o.stderr));
}
