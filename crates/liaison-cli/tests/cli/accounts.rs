//! Issue 12 at the console: the three administrators, business roles approved by the security
//! administrator, no deputy's account behind `--as` (item 6), disabling, refusals that name the field and
//! write nothing, and the role × action table as ARCHITECTURE.md carries it.
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
        .env("USER", "alice")
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = liaison(dir, args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The command is refused (exit 1); what it said on standard error.
fn refused(dir: &Path, args: &[&str]) -> String {
    let o = liaison(dir, args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn issue12_separated_administrators_approval_and_no_deputy_at_the_console() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["init"]);
    ok(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]);
    // Two administrator roles, or one with a business role: refused naming the field, nothing written.
    let users = ok(dir, &["user", "list", "--format", "json"]);
    let e = refused(dir, &["user", "add", "boss", "--name", "全能", "--role", "admin", "--role", "office"]);
    assert!(e.contains("角色") && e.contains("三员分立"), "{e}");
    assert_eq!(ok(dir, &["user", "list", "--format", "json"]), users, "nothing written");
    // A business role waits for the security administrator; until then the account can do nothing.
    ok(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]);
    assert!(refused(dir, &["--as", "office", "coverage"]).contains("无权"));
    assert!(refused(dir, &["user", "approve", "office"]).contains("grant_roles"), "admin does not approve");
    ok(dir, &["--as", "sec", "user", "approve", "office"]);
    ok(dir, &["--as", "office", "coverage"]);
    // The system administrator makes no token for a person, and reads no register.
    assert!(refused(dir, &["token", "create", "--user", "office"]).contains("本人"));
    assert!(refused(dir, &["deputy", "list"]).contains("无权"));
    ok(dir, &["--as", "office", "token", "create", "--label", "终端"]);
    // A deputy's account is never used at the console.
    ok(dir, &["demo", "generate", "--deputies", "1", "--seed", "2", "--out", "reg.csv"]);
    ok(dir, &["--as", "office", "deputy", "import", "reg.csv"]);
    let id = ok(dir, &["--as", "office", "deputy", "list", "--format", "id"]);
    ok(dir, &["user", "add", "dep1", "--name", "代表", "--role", "deputy", "--deputy", id.trim()]);
    ok(dir, &["--as", "sec", "user", "approve", "dep1"]);
    let e = refused(dir, &["--as", "dep1", "suggestion", "list"]);
    assert!(e.contains("--as") && e.contains("代表本人"), "{e}");
    let e =
        refused(dir, &["user", "add", "dep2", "--name", "代表", "--role", "deputy", "--deputy", id.trim()]);
    assert!(e.contains("dep1"), "one deputy, one account: {e}");
    assert!(ok(dir, &["user", "activation", "dep1"]).trim().starts_with("act_"));
    // Disabled: the account stops at once; the security administrator unlocks it.
    ok(dir, &["user", "disable", "office", "--reason", "调岗"]);
    assert!(refused(dir, &["--as", "office", "coverage"]).contains("已停用"));
    ok(dir, &["--as", "sec", "user", "enable", "office"]);
    ok(dir, &["--as", "office", "coverage"]);
    // Records name the console and its operating-system user.
    let history = ok(dir, &["--as", "office", "--format", "json", "deputy", "history", id.trim()]);
    assert!(history.contains("console:alice"), "{history}");
}

#[test]
fn issue12_architecture_md_carries_the_table_the_code_enforces() {
    let tmp = tempfile::tempdir().unwrap();
    let table = ok(tmp.path(), &["roles", "--markdown"]);
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../ARCHITECTURE.md")).unwrap();
    assert!(
        doc.contains(&format!("<!-- access-matrix -->\n{table}<!-- /access-matrix -->")),
        "ARCHITECTURE.md's role table is not current: paste `liaison roles --markdown` between its markers"
    );
    assert!(ok(tmp.path(), &["roles"]).contains("安全管理员"));
}

/// Run with `input` on standard input.
fn with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_LANG")
        .env_remove("LIAISON_NOW")
        .env("USER", "alice")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn issue16_set_password_reads_standard_input_and_only_the_security_administrator_runs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["init"]);
    ok(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]);
    ok(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]);
    ok(dir, &["--as", "sec", "user", "approve", "office"]);
    // The policy's refusal names the field and the reason; nothing is set.
    let o = with_stdin(dir, &["--as", "sec", "user", "set-password", "office"], "woaini1314\n");
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("密码") && e.contains("常见"), "{e}");
    // Not the system administrator's.
    let o = with_stdin(dir, &["user", "set-password", "office"], "秋天的检察院联络站2026\n");
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let o = with_stdin(
        dir,
        &["--as", "sec", "user", "set-password", "office", "--reason", "首次登录"],
        "秋天的检察院联络站2026\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Nothing enrolled, nothing locked yet: both say so.
    assert!(refused(dir, &["--as", "sec", "user", "reset-mfa", "office"]).contains("尚未绑定"));
    assert!(refused(dir, &["--as", "sec", "user", "unlock", "office"]).contains("未被锁定"));
    assert_eq!(ok(dir, &["--as", "sec", "user", "locked", "--format", "json"]).trim(), "[]");
    // The record names the security administrator at the console; never the password.
    let trail = ok(dir, &["--as", "sec", "--format", "json", "user", "list"]);
    assert!(!trail.contains("秋天"), "{trail}");
}
