//! The `liaison` binary's output for people (issue 11 item 19): CSV that Excel and WPS open as UTF-8,
//! the deputies not reached listed by name, English headers with `--lang en`, and a quiet exit 141 when
//! the reader of the output has gone away.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BOM: &str = "\u{feff}";

fn liaison(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_liaison"));
    c.current_dir(dir)
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_LANG")
        .env_remove("LIAISON_NOW");
    c
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

/// Run a command; what it prints as a table is checked for keys (issue 14 item 12).
fn run(dir: &Path, args: &[&str]) -> String {
    let out = ok(liaison(dir).args(args).output().unwrap());
    if !args.contains(&"--format") {
        let problems = crate::labels::key_problems(&out, !args.contains(&"en"));
        assert!(problems.is_empty(), "{args:?}: {problems:#?}");
    }
    out
}

/// A register of six fictitious deputies and an office account.
fn world() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run(dir, &["init"]);
    run(dir, &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"]);
    run(dir, &["user", "add", "office", "--name", "联络室", "--role", "office"]);
    run(dir, &["--as", "sec", "user", "approve", "office"]);
    run(dir, &["demo", "generate", "--deputies", "6", "--seed", "5", "--out", "reg.csv"]);
    run(dir, &["--as", "office", "deputy", "import", "reg.csv"]);
    tmp
}

#[test]
fn reach_lists_who_was_not_reached_by_name_in_the_table_and_the_csv() {
    let tmp = world();
    let dir = tmp.path();
    let names: Vec<String> = run(dir, &["--as", "office", "deputy", "list", "--format", "json"])
        .parse::<serde_json::Value>()
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 6);

    let csv = run(dir, &["--as", "office", "reach", "--format", "csv"]);
    let body = csv.strip_prefix(BOM).expect("CSV for people starts with the UTF-8 byte-order mark");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "姓名,层级,区域");
    assert_eq!(lines.len(), 7, "{body}");
    for n in &names {
        assert!(lines.iter().any(|l| l.starts_with(&format!("{n},"))), "{n} missing from {body}");
    }
    assert!(!body.contains('-'), "no ids (UUIDs) in a list for people: {body}");

    let table = run(dir, &["--as", "office", "reach"]);
    assert!(table.contains("未联系的代表（6 人）"), "{table}");
    assert!(names.iter().all(|n| table.contains(n.as_str())), "{table}");

    let en = run(dir, &["--as", "office", "--lang", "en", "reach"]);
    assert!(en.contains("not reached") && en.contains("Not reached (6)"), "{en}");
    assert!(!en.contains("未联系"), "{en}");
}

#[test]
fn every_csv_has_the_mark_and_english_headers_follow_lang() {
    let tmp = world();
    let dir = tmp.path();
    for args in [
        &["deputy", "list"][..],
        &["coverage"],
        &["suggestion", "figures"],
        &["calendar"],
        &["activity", "list"],
    ] {
        let out = run(dir, &[&["--as", "office", "--format", "csv"][..], args].concat());
        assert!(out.starts_with(BOM), "{args:?}: {out}");
    }
    let zh = run(dir, &["--as", "office", "--format", "csv", "deputy", "list"]);
    assert!(zh.starts_with(&format!("{BOM}id,姓名,层级")), "{zh}");
    let en = run(dir, &["--as", "office", "--format", "csv", "--lang", "en", "deputy", "list"]);
    assert!(en.starts_with(&format!("{BOM}id,name,level")), "{en}");
    let table = run(dir, &["--as", "office", "--lang", "en", "suggestion", "figures"]);
    assert!(table.contains("answered on time") && !table.contains("按期答复率"), "{table}");
    let table = run(dir, &["--as", "office", "--lang", "en", "coverage"]);
    assert!(table.contains("deputies in office") && table.contains("Total"), "{table}");
}

/// `liaison … --format csv | head -1`: the reader goes away; every command stops quietly with 141.
#[test]
fn a_closed_pipe_ends_every_command_quietly_with_141() {
    let tmp = world();
    let dir = tmp.path();
    run(dir, &["--as", "office", "budget", "2026", "line", "--category", "会议", "--amount", "300"]);
    for args in [
        &["reach"][..],
        &["deputy", "list"],
        &["coverage"],
        &["suggestion", "figures"],
        &["calendar"],
        &["notice", "list"],
        &["budget", "2026"],
    ] {
        for format in ["csv", "table", "json"] {
            // A pipe whose reading end is already closed: the first write fails with EPIPE.
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            let out = liaison(dir)
                .args(["--as", "office", "--format", format])
                .args(args)
                .stdout(Stdio::from(writer))
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(141), "{args:?} {format}: {err}");
            assert!(err.is_empty(), "{args:?} {format}: {err}");
        }
    }
}

/// Issue 14, item 9: `--format id` prints only the identifiers, for the shell to keep (the README's tour
/// does `D1=$(liaison deputy list --search 曹娟燕 --format id)`): a list's ids one a line, a new record's
/// number when it has one (a suggestion's) or else its id, and a report without records is refused.
#[test]
fn format_id_prints_only_the_identifiers() {
    let tmp = world();
    let dir = tmp.path();
    let ids = run(dir, &["--as", "office", "deputy", "list", "--format", "id"]);
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 6);
    assert!(ids.iter().all(|i| i.len() == 36 && i.matches('-').count() == 4), "{ids:?}");
    let user = run(dir, &["user", "add", "dept1", "--name", "张承办", "--role", "office", "--format", "id"]);
    assert_eq!(user.trim().len(), 36, "{user}");
    let number = run(
        dir,
        &[
            "--as",
            "office",
            "suggestion",
            "file",
            "--title",
            "关于加强未成年人检察工作的建议",
            "--content",
            "建议设立联络点。",
            "--source",
            "闭会期间",
            "--deputy",
            ids[0],
            "--format",
            "id",
        ],
    );
    assert!(number.trim().len() == 9 && number.trim().ends_with("-0001"), "the number, not the id: {number}");
    let o = liaison(dir).args(["--as", "office", "coverage", "--format", "id"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format id"));
    assert!(o.stdout.is_empty());
}

/// `liaison report scorecard`: every department a row by name, its weights changed with `--set` (and the
/// change refused out of range), the JSON the API's shape, the table in English with `--lang en`.
#[test]
fn the_scorecard_names_each_department_and_follows_its_weights() {
    let tmp = world();
    let dir = tmp.path();
    run(dir, &["--as", "office", "org", "add-department", "第二检察部"]);
    let table = run(dir, &["--as", "office", "report", "scorecard", "--year", "2026"]);
    assert!(table.contains("第二检察部") && table.contains("综合得分"), "{table}");
    let w = run(dir, &["--as", "office", "--format", "json", "report", "scorecard", "--set", "on_time=45"]);
    assert!(w.contains("\"on_time\": 45") || w.contains("\"on_time\":45"), "{w}");
    let card = run(dir, &["--as", "office", "--format", "json", "report", "scorecard", "--year", "2026"]);
    let v: serde_json::Value = card.parse().unwrap();
    assert_eq!(v["weights"]["on_time"], 45, "{card}");
    assert_eq!(v["rows"][0]["department"], "第二检察部", "{card}");
    assert!(v["rows"][0]["score_permille"].is_null(), "nothing to measure, no score: {card}");
    let bad = liaison(dir)
        .args(["--as", "office", "report", "scorecard", "--set", "on_time=101"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let en = run(dir, &["--as", "office", "--lang", "en", "report", "scorecard"]);
    assert!(en.contains("score") && !en.contains("综合得分"), "{en}");
}
