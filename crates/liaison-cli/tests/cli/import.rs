//! `liaison deputy import` for a new user (issue 14): the help lists the columns the importer reads, an
//! unknown column is reported as unused, and `--format json` puts the report on standard output, whether
//! the file is accepted or refused.
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

fn office() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["init"][..],
        &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"],
        &["user", "add", "office", "--name", "联络室", "--role", "office"],
        &["--as", "sec", "user", "approve", "office"],
    ] {
        let o = liaison(tmp.path(), args);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    tmp
}

/// Issue 14 item 6: the help is written from the importer's own table of headers and aliases.
#[test]
fn issue14_import_help_lists_every_header_and_its_aliases() {
    let tmp = tempfile::tempdir().unwrap();
    let o = liaison(tmp.path(), &["deputy", "import", "--help"]);
    assert!(o.status.success());
    let help = text(&o.stdout);
    for expected in [
        "姓名 *",
        "代表姓名",
        "身份证号",
        "公民身份号码",
        "手机号码",
        "移动电话",
        "通讯地址",
        "任期开始 *",
        "term_end",
    ] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
    for line in liaison_app::import::columns_help().lines() {
        assert!(help.contains(line), "the importer's own text: {line}");
    }
}

/// Issue 14 item 6: an unknown column is reported as unused; `--format json` gives the report on standard
/// output for an accepted file and for a refused one (exit 1).
#[test]
fn issue14_import_reports_unused_columns_and_json_on_stdout() {
    let tmp = office();
    let dir = tmp.path();
    std::fs::write(
        dir.join("reg.csv"),
        "姓名,性别,代表层级,届次,所属区域,任期开始,备注\n张三,男,县,18,鼓楼区,2022-01-01,老代表\n",
    )
    .unwrap();
    let o = liaison(dir, &["--as", "office", "deputy", "import", "reg.csv", "--dry-run"]);
    assert!(text(&o.stdout).contains("未使用的列：备注"), "{}", text(&o.stdout));
    let o = liaison(dir, &["--as", "office", "--format", "json", "deputy", "import", "reg.csv", "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((r["imported"].as_u64(), r["ignored_columns"][0].as_str()), (Some(1), Some("备注")));

    std::fs::write(
        dir.join("bad.csv"),
        "姓名,性别,代表层级,届次,所属区域,任期开始,备注\n张三,男,县,18,鼓楼区,2022-13-01,老代表\n",
    )
    .unwrap();
    let o = liaison(dir, &["--as", "office", "--format", "json", "deputy", "import", "bad.csv"]);
    assert_eq!(o.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (r["errors"][0]["row"].as_u64(), r["errors"][0]["column"].as_str()),
        (Some(2), Some("任期开始"))
    );
    assert!(text(&o.stderr).contains("未使用的列：备注"), "{}", text(&o.stderr));
}

/// Issue 14 item 7: a file that cannot be read is said in Chinese (with the English), never the OS's
/// English alone inside the Chinese sentence.
#[test]
fn issue14_a_missing_file_is_said_in_chinese() {
    let tmp = office();
    let o = liaison(tmp.path(), &["--as", "office", "deputy", "import", "nowhere.csv"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("无法读取文件 nowhere.csv：文件不存在（no such file）"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}
