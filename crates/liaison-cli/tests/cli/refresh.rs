//! `liaison deputy import --refresh` (issue 14 item 5): the congress's list for the new year updates the
//! deputies it names, registers the new ones and lists the absent of the same level and term as possibly
//! departed, by name, level and region; their terms end only with `--end-absent`; a dry run shows all
//! three lists and writes nothing; bad flags are refused in Chinese naming the field, changing nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn liaison(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_LANG")
        .env("LIAISON_NOW", "2026-06-01")
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = liaison(dir, &[&["--as", "office"][..], args].concat());
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    if !args.contains(&"--format") {
        let problems = crate::labels::key_problems(&out, true);
        assert!(problems.is_empty(), "{args:?}: {problems:#?}");
    }
    out
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let o = liaison(dir, &[&["--as", "office"][..], args].concat());
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8(o.stderr).unwrap()
}

/// (name, status) of every deputy, in pinyin order.
fn register(dir: &Path) -> Vec<(String, String)> {
    let list: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--format", "json", "deputy", "list", "--all"])).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_owned(), d["status"].as_str().unwrap().to_owned()))
        .collect()
}

fn has_uuid(s: &str) -> bool {
    s.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .any(|w| w.len() == 36 && w.matches('-').count() == 4)
}

const HEADER: &str = "姓名,性别,出生日期,代表层级,届次,所属区域,任期开始,手机\n";

#[test]
fn issue14_the_yearly_refresh_lists_three_lists_and_ends_terms_only_when_confirmed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for args in [
        &["init"][..],
        &["user", "add", "sec", "--name", "安全管理员", "--role", "security_admin"],
        &["user", "add", "office", "--name", "联络室", "--role", "office"],
        &["--as", "sec", "user", "approve", "office"],
    ] {
        let o = liaison(dir, args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    std::fs::write(
        dir.join("2025.csv"),
        format!(
            "{HEADER}张三,男,1970-01-01,县,18,鼓楼区,2022-01-01,13800000001\n\
             李四,女,1971-02-02,县,18,台江区,2022-01-01,13800000002\n\
             王五,男,1972-03-03,县,18,仓山区,2022-01-01,\n\
             赵六,女,1973-04-04,县,18,晋安区,2022-01-01,\n\
             钱七,男,1974-05-05,市,17,鼓楼区,2022-01-01,\n"
        ),
    )
    .unwrap();
    ok(dir, &["deputy", "import", "2025.csv"]);
    // The next year's list: 张三 as he was, 李四 moved with a new mobile, 孙八 new; 王五 and 赵六 are not on
    // it; 钱七 sits in another congress (city, 17th term), which this list does not cover.
    std::fs::write(
        dir.join("2026.csv"),
        format!(
            "{HEADER}张三,男,1970-01-01,县,18,鼓楼区,2022-01-01,13800000001\n\
             李四,女,1971-02-02,县,18,马尾区,2022-01-01,13900000002\n\
             孙八,男,1975-06-06,县,18,闽侯县,2026-01-01,\n"
        ),
    )
    .unwrap();
    let before = register(dir);
    assert!(before.iter().all(|(_, s)| s == "in_office"), "{before:?}");

    let dry = ok(dir, &["deputy", "import", "2026.csv", "--refresh", "--dry-run"]);
    for expected in [
        "年度名册核对试运行（未写入）：共 3 行，新登记 1 人，更新 1 人，无变化 1 人，可能已离任 2 人。",
        "核对范围：县级人大第18届",
        "更新（1 人）：",
        "新登记（1 人）：",
        "可能已离任（2 人）：",
        "--refresh --end-absent",
    ] {
        assert!(dry.contains(expected), "{expected} missing from:\n{dry}");
    }
    let section = |from: &str, to: &str| {
        let start = dry.find(from).unwrap();
        dry[start..].split(to).next().unwrap().to_owned()
    };
    let updated = section("更新（1 人）", "新登记");
    assert!(
        updated.contains("李四") && updated.contains("马尾区") && updated.contains("所属区域、手机"),
        "{updated}"
    );
    assert!(section("新登记（1 人）", "可能已离任").contains("孙八"), "{dry}");
    let departed = section("可能已离任（2 人）", "试运行未写入");
    assert!(departed.contains("王五") && departed.contains("赵六") && departed.contains("县"), "{departed}");
    assert!(!departed.contains("钱七") && !departed.contains("张三"), "{departed}");
    assert!(!has_uuid(&dry), "people by name, never by id:\n{dry}");
    assert_eq!(register(dir), before, "a dry run writes nothing");

    // Bad input: refused in Chinese, naming the field, nothing changed.
    let err = refused(dir, &["deputy", "import", "2026.csv", "--end-absent"]);
    assert!(err.contains("结束未列入名册的代表的任期：只能在年度名册核对（refresh）时使用"), "{err}");
    let err = refused(
        dir,
        &["deputy", "import", "2026.csv", "--refresh", "--end-absent", "--ended-on", "2026-06-02"],
    );
    assert!(err.contains("任期结束日：日期不合理：不能晚于今天"), "{err}");
    let err =
        refused(dir, &["deputy", "import", "2026.csv", "--refresh", "--end-absent", "--ended-on", "六月"]);
    assert!(err.contains("任期结束日：不是有效日期"), "{err}");
    assert!(!err.contains("ended_on"), "the field by its label: {err}");
    assert_eq!(register(dir), before);

    let done = ok(dir, &["deputy", "import", "2026.csv", "--refresh"]);
    assert!(done.contains("年度名册核对完成") && done.contains("以上可能已离任的代表未作变动"), "{done}");
    assert!(register(dir).iter().filter(|(_, s)| s == "in_office").count() == 6, "listed, not ended");

    let ended =
        ok(dir, &["deputy", "import", "2026.csv", "--refresh", "--end-absent", "--ended-on", "2026-05-31"]);
    assert!(ended.contains("已结束以上 2 人的任期（任期届满，2026-05-31）"), "{ended}");
    let now = register(dir);
    let out: Vec<&str> = now.iter().filter(|(_, s)| s == "term_ended").map(|(n, _)| n.as_str()).collect();
    assert_eq!(out, ["王五", "赵六"]);
    assert!(now.iter().any(|(n, s)| n == "钱七" && s == "in_office"));

    let json: serde_json::Value = serde_json::from_str(&ok(
        dir,
        &["--format", "json", "deputy", "import", "2026.csv", "--refresh", "--dry-run"],
    ))
    .unwrap();
    assert_eq!(json["refresh"]["possibly_departed"].as_array().unwrap().len(), 0, "{json}");
    assert_eq!(json["unchanged"].as_u64(), Some(3));
    let verify = liaison(dir, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
}
