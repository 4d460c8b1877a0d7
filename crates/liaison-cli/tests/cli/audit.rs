//! The audit trail at the console (issue 12, item 9): a signed checkpoint of the chain's head shows a
//! later truncation of the newest records, which the chain alone cannot; the audit administrator lists
//! and exports the records with filters, as CSV for people.
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

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn refused(o: Output) -> String {
    assert_eq!(o.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&o.stdout));
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn a_checkpoint_names_the_truncation_the_chain_alone_cannot_see() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(liaison(dir, &["init"]));
    ok(liaison(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]));
    ok(liaison(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]));
    ok(liaison(dir, &["--as", "sec", "user", "approve", "office"]));
    ok(liaison(dir, &["demo", "generate", "--deputies", "4", "--seed", "3", "--out", "reg.csv"]));
    ok(liaison(dir, &["--as", "office", "deputy", "import", "reg.csv"]));

    ok(liaison(dir, &["audit", "checkpoint", "--out", "cp.json"]));
    let cp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cp.json")).unwrap()).unwrap();
    assert_eq!(cp["tenant"], "default");
    let seq = cp["seq"].as_u64().unwrap();
    assert!(seq >= 5, "{cp}");
    assert_eq!(cp["head"].as_str().unwrap().len(), 64, "{cp}");
    assert!(cp["signature"].as_str().is_some_and(|s| s.len() == 64), "{cp}");
    // Written once: an existing file is not overwritten.
    refused(liaison(dir, &["audit", "checkpoint", "--out", "cp.json"]));
    ok(liaison(dir, &["audit", "verify", "--checkpoint", "cp.json"]));

    // More work after the checkpoint is fine: the chain grew.
    ok(liaison(dir, &["user", "add", "auditor", "--name", "审计管理员", "--role", "auditor"]));
    ok(liaison(dir, &["audit", "verify", "--checkpoint", "cp.json"]));

    // Someone with the file (not the key) drops the trigger and deletes the newest records: the chain that
    // is left still verifies, the checkpoint names the cut.
    let db = rusqlite::Connection::open(dir.join("liaison.db")).unwrap();
    db.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > {};",
        seq - 2
    ))
    .unwrap();
    drop(db);
    ok(liaison(dir, &["audit", "verify"]));
    let out = refused(liaison(dir, &["audit", "verify", "--checkpoint", "cp.json"]));
    assert!(out.contains("截短") && out.contains(&seq.to_string()), "{out}");

    // A checkpoint edited to match the shorter chain no longer matches its signature.
    let mut forged = cp.clone();
    forged["seq"] = serde_json::json!(seq - 2);
    std::fs::write(dir.join("forged.json"), forged.to_string()).unwrap();
    let out = refused(liaison(dir, &["audit", "verify", "--checkpoint", "forged.json"]));
    assert!(out.contains("签名不符"), "{out}");
}

#[test]
fn the_audit_administrator_lists_and_exports_the_trail_with_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(liaison(dir, &["init"]));
    ok(liaison(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]));
    ok(liaison(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]));
    ok(liaison(dir, &["--as", "sec", "user", "approve", "office"]));
    ok(liaison(dir, &["user", "add", "auditor", "--name", "审计管理员", "--role", "auditor"]));
    ok(liaison(dir, &["demo", "generate", "--deputies", "3", "--seed", "3", "--out", "reg.csv"]));
    ok(liaison(dir, &["--as", "office", "deputy", "import", "reg.csv"]));
    let list = ok(liaison(dir, &["--as", "office", "deputy", "list", "--format", "json"]));
    let id = serde_json::from_str::<serde_json::Value>(&list).unwrap()[0]["id"].as_str().unwrap().to_owned();
    ok(liaison(dir, &["--as", "office", "deputy", "show", &id, "--full", "--reason", "=1+2 核对"]));

    // Not for the office.
    refused(liaison(dir, &["--as", "office", "audit", "list"]));

    let all: serde_json::Value =
        serde_json::from_str(&ok(liaison(dir, &["--as", "auditor", "audit", "list", "--format", "json"])))
            .unwrap();
    let items = all["items"].as_array().unwrap();
    assert!(items.len() >= 6, "{all}");
    let by_office: serde_json::Value = serde_json::from_str(&ok(liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--actor", "office", "--kind", "deputy.", "--format", "json"],
    )))
    .unwrap();
    let rows = by_office["items"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "three deputies registered by the office: {by_office}");
    assert!(
        rows.iter()
            .all(|r| r["kind"] == "deputy.registered" && r["actor"].as_str().unwrap().contains("office"))
    );
    let one: serde_json::Value = serde_json::from_str(&ok(liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--aggregate", &id, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(one["items"].as_array().unwrap().len(), 2, "registered, then viewed in full: {one}");
    let none: serde_json::Value = serde_json::from_str(&ok(liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--to", "2000-01-01", "--format", "json"],
    )))
    .unwrap();
    assert!(none["items"].as_array().unwrap().is_empty(), "{none}");
    // A page at a time.
    let page: serde_json::Value = serde_json::from_str(&ok(liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--limit", "2", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next: serde_json::Value = serde_json::from_str(&ok(liaison(
        dir,
        &["--as", "auditor", "audit", "list", "--limit", "2", "--cursor", &cursor, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(next["items"][0]["seq"].as_u64().unwrap(), page["items"][1]["seq"].as_u64().unwrap() + 1);

    // The table is for people.
    let table = ok(liaison(dir, &["--as", "auditor", "audit", "list", "--kind", "access."]));
    assert!(table.contains("审计管理员") || table.contains("联络室"), "{table}");

    // The export: every matching record, UTF-8 with its mark, the formula neutralised.
    ok(liaison(dir, &["--as", "auditor", "audit", "export", "--out", "trail.csv"]));
    let csv = std::fs::read_to_string(dir.join("trail.csv")).unwrap();
    let body = csv.strip_prefix('\u{feff}').expect("CSV for people starts with the byte-order mark");
    assert!(body.starts_with("序号,时间,操作账号"), "{body}");
    assert_eq!(body.lines().count(), items.len() + 1, "{body}");
    assert!(body.contains(",'=1+2 核对,"), "the reason is neutralised: {body}");
    assert!(!body.contains(",=1+2"), "{body}");
}

/// Issue 12, item 17: `liaison --version` names the commit it was built from and when.
#[test]
fn the_version_names_the_commit_and_the_build_time() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(liaison(tmp.path(), &["--version"]));
    let line = out.trim();
    assert!(line.starts_with(&format!("liaison {}", env!("CARGO_PKG_VERSION"))), "{line}");
    let head = Command::new("git")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match head {
        Some(commit) => assert!(line.contains(&format!("commit {commit}")), "{line} (HEAD is {commit})"),
        None => assert!(line.contains("commit unknown"), "{line}"),
    }
    let built = line.split("built ").nth(1).unwrap().trim_end_matches(')');
    assert!(chrono::DateTime::parse_from_rfc3339(built).is_ok(), "{built}");
}
