//! Issue 17 at the console: an assignment queues the handler's message; a message to an account disabled
//! meanwhile fails (one attempt allowed) and `message list --failed` names the reason; `message retry`
//! needs a reason, re-queues it, and the audit trail records who and why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_liaison"));
    c.current_dir(dir);
    for v in ["LIAISON_USER", "LIAISON_DB", "LIAISON_LANG", "LIAISON_NOW", "LIAISON_MESSAGE_ATTEMPTS"] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied()).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, &[], args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(dir, &a)).unwrap()
}

#[test]
fn issue17_a_failed_message_is_listed_with_its_reason_and_retried_from_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["init"]);
    ok(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]);
    ok(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]);
    ok(dir, &["--as", "sec", "user", "approve", "office"]);
    ok(dir, &["user", "add", "auditor", "--name", "审计管理员", "--role", "auditor"]);
    ok(dir, &["--as", "office", "org", "add-department", "第一检察部"]);
    ok(
        dir,
        &["user", "add", "dept", "--name", "承办人", "--role", "department", "--department", "第一检察部"],
    );
    ok(dir, &["--as", "sec", "user", "approve", "dept"]);
    ok(dir, &["demo", "generate", "--deputies", "2", "--seed", "3", "--out", "reg.csv"]);
    ok(dir, &["--as", "office", "deputy", "import", "reg.csv"]);
    let deputies = json(dir, &["--as", "office", "deputy", "list"]);
    let d0 = deputies[0]["id"].as_str().unwrap().to_owned();
    ok(
        dir,
        &[
            "--as",
            "office",
            "suggestion",
            "file",
            "--title",
            "关于设立联络点的建议",
            "--content",
            "建议设立联络点。",
            "--source",
            "闭会期间",
            "--deputy",
            &d0,
        ],
    );
    ok(
        dir,
        &["--as", "office", "suggestion", "assign", "2026-0001", "--lead", "第一检察部", "--handler", "dept"],
    );

    // Queued with the assignment, listed by its item (the suggestion's number will do).
    let list = json(dir, &["--as", "office", "message", "list", "--item", "suggestion:2026-0001"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(
        (list[0]["state"].as_str(), list[0]["kind"].as_str()),
        (Some("queued"), Some("suggestion.assigned"))
    );
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let table = ok(dir, &["--as", "office", "message", "list"]);
    assert!(table.contains("待发送") && table.contains("建议交办") && table.contains("承办人"), "{table}");

    // The handler's account is disabled before the worker runs: the inbox refuses, and with one attempt
    // allowed the message is failed with the reason.
    ok(dir, &["user", "disable", "dept", "--reason", "调离"]);
    let o = run(dir, &[("LIAISON_MESSAGE_ATTEMPTS", "1")], &["--as", "office", "message", "deliver"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let failed = json(dir, &["--as", "office", "message", "list", "--failed"]);
    assert_eq!(failed.as_array().unwrap().len(), 1, "{failed}");
    assert!(failed[0]["last_error"].as_str().unwrap().contains("已停用"), "{failed}");
    // The system administrator sees the state too; a department's account would not.
    assert_eq!(json(dir, &["message", "list", "--failed"]).as_array().unwrap().len(), 1);

    // A retry needs a reason (usage error without one), re-queues, and is audited.
    let o = run(dir, &[], &["--as", "office", "message", "retry", &id]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let said = ok(dir, &["--as", "office", "message", "retry", &id, "--reason", "账户已恢复"]);
    assert!(said.contains("重新排队"), "{said}");
    let again = json(dir, &["--as", "office", "message", "list", "--item", "suggestion:2026-0001"]);
    assert_eq!((again[0]["state"].as_str(), again[0]["attempts"].as_u64()), (Some("queued"), Some(0)));
    let o = run(dir, &[], &["--as", "office", "message", "retry", &id, "--reason", "再试"]);
    assert_eq!(o.status.code(), Some(1), "only a failed message is retried");
    let trail = json(dir, &["--as", "auditor", "audit", "list", "--kind", "message."]);
    let items = trail["items"].as_array().unwrap();
    let requeued = items.iter().find(|r| r["kind"] == "message.requeued").unwrap();
    assert_eq!(requeued["reason"], "账户已恢复");
    assert!(
        requeued["actor"].as_str().unwrap_or_default().contains("office")
            || requeued.to_string().contains("office"),
        "{requeued}"
    );
    assert!(items.iter().any(|r| r["kind"] == "message.failed"));
}
