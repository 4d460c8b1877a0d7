//! Secrets and personal data never on the command line (issue 12 item 10): a command line is visible to
//! every user in `ps` and stays in the shell's history. The master key comes from `LIAISON_KEY`, a key file
//! or standard input; a database URL with a password from `LIAISON_DATABASE_URL`, a file or standard
//! input; the personal fields (`--id-number`, `--mobile`, `--landline`, `--address`, `--email`) are given
//! as `-` (their environment variable, else a line of standard input) or `@FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_LANG")
        .env_remove("LIAISON_NOW")
        .env_remove("LIAISON_KEY")
        .env_remove("LIAISON_DATABASE_URL")
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn refused(o: &Output, mentions: &[&str]) -> String {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for m in mentions {
        assert!(err.contains(m), "{m} missing from: {err}");
    }
    err
}

#[test]
fn the_master_key_and_a_database_password_never_come_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let key = "3c".repeat(32);
    let o = run(dir, &["--key", &key, "init"], &[], "");
    let err = refused(&o, &["LIAISON_KEY", "--key-file"]);
    assert!(!err.contains(&key), "the refusal does not repeat the secret: {err}");
    assert!(!dir.join("liaison.db").exists(), "nothing created");
    // From the environment, or from standard input with `--key-file -`.
    assert!(run(dir, &["init"], &[("LIAISON_KEY", &key)], "").status.success());
    let o = run(dir, &["--key-file", "-", "user", "list"], &[], &format!("{key}\n"));
    assert!(o.status.success(), "{}", text(&o.stderr));
    // A database URL with a password: refused before any connection, the password never repeated.
    let o =
        run(dir, &["--database-url", "postgres://liaison:s3cret-pw@127.0.0.1:1/x", "user", "list"], &[], "");
    let err = refused(&o, &["LIAISON_DATABASE_URL"]);
    assert!(!err.contains("s3cret-pw"), "{err}");
}

#[test]
fn personal_data_comes_from_the_environment_a_file_or_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(run(dir, &["init"], &[], "").status.success());
    for args in [
        &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"][..],
        &["user", "add", "office", "--name", "联络室", "--role", "office"],
        &["--as", "sec", "user", "approve", "office"],
    ] {
        assert!(run(dir, args, &[], "").status.success(), "{args:?}");
    }
    fn add<'a>(more: &[&'a str]) -> Vec<&'a str> {
        let base = [
            "--as", "office", "deputy", "add", "--name", "王新", "--gender", "女", "--level", "县", "--term",
            "18",
        ];
        [&base[..], &["--region", "鼓楼区", "--term-start", "2022-01-01"], more].concat()
    }
    for (flag, value) in
        [("--mobile", "13800000009"), ("--id-number", "11010519491231002X"), ("--address", "鼓楼区五四路1号")]
    {
        let o = run(dir, &add(&[flag, value]), &[], "");
        let err = refused(&o, &[flag, "@"]);
        assert!(!err.contains(value), "{err}");
    }
    let list = |dir: &Path| {
        text(&run(dir, &["--as", "office", "deputy", "list", "--format", "json"], &[], "").stdout)
    };
    assert_eq!(list(dir).trim(), "[]", "nothing written");
    // `-` takes the environment variable, else a line of standard input (in the order of the fields);
    // `@FILE` a file's first line.
    std::fs::write(dir.join("id.txt"), "11010519491231002X\n").unwrap();
    let o = run(
        dir,
        &add(&["--id-number", "@id.txt", "--mobile", "-", "--address", "-"]),
        &[("LIAISON_MOBILE", "13800000009")],
        "鼓楼区五四路1号\n",
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let listed = list(dir);
    assert!(
        listed.contains("138****0009") && listed.contains("002X") && listed.contains("鼓楼区五四"),
        "{listed}"
    );
    // The rights check likewise.
    let o = run(
        dir,
        &["--as", "office", "rights", "--id-number", "11010519491231002X", "--why", "核查"],
        &[],
        "",
    );
    refused(&o, &["--id-number", "LIAISON_ID_NUMBER"]);
    let o = run(
        dir,
        &["--as", "office", "rights", "--id-number", "-", "--why", "核查"],
        &[],
        "11010519491231002X\n",
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
}
