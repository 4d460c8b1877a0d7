//! Activities and their draws (C4) end to end.

use serde_json::{Value, json};

use super::{World, china_today, liaison, ok};

/// C4 end to end: an activity planned with the CLI, its pool committed and drawn over the API, the draw
/// verified by `liaison lottery verify`, attendance recorded, and the fairness figures by level.
#[test]
fn an_activity_draws_verifiably_and_shows_fairness_by_level() {
    let w = World::new();
    w.deputies(&[
        ("代表甲", "县"),
        ("代表乙", "县"),
        ("代表丙", "乡"),
        ("代表丁", "乡"),
        ("代表戊", "市"),
        ("代表己", "市"),
    ]);
    let id = w.json(&[
        "--as",
        "office",
        "activity",
        "plan",
        "--kind",
        "检察开放日",
        "--title",
        "检察开放日",
        "--on",
        "2026-05-20",
        "--place",
        "本院",
        "--seats",
        "3",
        "--selection",
        "lottery-equal",
        "--format",
        "json",
    ])["activity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, prepared) = w.post(
        &format!("/api/v1/activities/{id}/prepare"),
        &w.office,
        Some(1),
        json!({"secret_seed_reason": "演示"}),
    );
    assert_eq!(status, 200, "{prepared}");
    let seed = prepared["seed"].as_str().unwrap().to_owned();
    let (status, drawn) =
        w.post(&format!("/api/v1/activities/{id}/draw"), &w.office, Some(2), json!({"seed": seed}));
    assert_eq!(status, 200, "{drawn}");
    assert_eq!(drawn["activity"]["participants"].as_array().unwrap().len(), 3);
    assert!(w.ok(&["--as", "office", "lottery", "verify", &id]).contains("与记录一致"));
    let first = drawn["activity"]["participants"][0].as_str().unwrap().to_owned();
    // Too late to record a participant's answer once the day has passed (issue 17 item 7).
    let second = drawn["activity"]["participants"][1].as_str().unwrap().to_owned();
    let answer = [
        "--as",
        "office",
        "activity",
        "answer",
        &id,
        "--deputy",
        &second,
        "--answer",
        "decline",
        "--reason",
        "外出开会",
        "--note",
        "电话告知",
    ];
    let late = w.run(&answer);
    assert_eq!(late.status.code(), Some(1));
    let said = String::from_utf8_lossy(&late.stderr);
    assert!(said.contains("参加确认截至活动前一日（2026-05-19）"), "{said}");
    w.ok(&["--as", "office", "activity", "hold", &id, "--attended", &first]);
    let f = w.json(&[
        "--as",
        "office",
        "fairness",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    ]);
    let drawn_per_level: Vec<u64> =
        f["by_level"].as_array().unwrap().iter().map(|x| x["drawn"].as_u64().unwrap()).collect();
    assert_eq!(drawn_per_level, vec![0, 0, 1, 1, 1], "equal quotas: one per level with deputies: {f}");
    // Participation is attendance: one of the three drawn attended (issue 11, item 3).
    assert_eq!((f["participations"].as_u64(), f["seats_drawn"].as_u64()), (Some(1), Some(3)), "{f}");

    // A draw seeded by a public value named in advance: prepared over the API, drawn with the CLI once the
    // value is published (the CLI run as of that day), verified by anyone from the record.
    let tomorrow = china_today() + chrono::Duration::days(1);
    let id2 = w.json(&[
        "--as",
        "office",
        "activity",
        "plan",
        "--kind",
        "庭审观摩",
        "--title",
        "庭审观摩",
        "--on",
        "2027-12-20",
        "--place",
        "市中院",
        "--seats",
        "2",
        "--selection",
        "lottery",
        "--format",
        "json",
    ])["activity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, prepared) = w.post(
        &format!("/api/v1/activities/{id2}/prepare"),
        &w.office,
        Some(1),
        json!({"public_source": "中国福利彩票双色球开奖号码", "published_on": tomorrow.to_string()}),
    );
    assert_eq!((status, prepared["seed"].is_null()), (200, true), "{prepared}");
    let early =
        w.run(&["--as", "office", "activity", "draw", &id2, "--public-value", "03 08 15 21 27 33 + 09"]);
    assert_eq!(early.status.code(), Some(1), "not before the value is published");
    let day = tomorrow.to_string();
    let args = ["--as", "office", "activity", "draw", &id2, "--public-value", "03 08 15 21 27 33 + 09"];
    ok(&w.run_with_env(&[("LIAISON_NOW", &day)], &args));
    let v = w.json(&["--as", "office", "lottery", "verify", &id2, "--format", "json"]);
    assert_eq!((v["ok"].as_bool(), v["seed_source"].as_str()), (Some(true), Some("public")), "{v}");

    // A third party with the published record alone (no database, no account) verifies it; an edited
    // record does not verify.
    let (status, record) = w.get(&format!("/api/v1/activities/{id2}"), &w.office);
    assert_eq!(status, 200, "{record}");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("draw.json"), record.to_string()).unwrap();
    let out = liaison(elsewhere.path(), &["lottery", "verify", "--file", "draw.json"]);
    assert!(ok(&out).contains("与记录一致"));
    let mut edited = record.clone();
    let d = edited.pointer_mut("/draw/drawn/0").unwrap();
    *d = Value::String("01a21f8c-0000-7000-8000-000000000000".into());
    std::fs::write(elsewhere.path().join("edited.json"), edited.to_string()).unwrap();
    let out = liaison(elsewhere.path(), &["lottery", "verify", "--file", "edited.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("与记录不一致"));
    assert!(!elsewhere.path().join("liaison.db").exists(), "verifying opens no database");
}

/// Issue 17 item 7: a decline given by telephone, recorded by the office with the CLI before the day; the
/// free seat shown; the one who declined cannot be recorded attending.
#[test]
fn the_office_records_a_decline_given_by_telephone() {
    let w = World::new();
    w.deputies(&[("代表甲", "县"), ("代表乙", "县"), ("代表丙", "乡")]);
    let on = (china_today() + chrono::Duration::days(30)).to_string();
    let plan = json!({"kind": "forum", "title": "座谈会", "on": on, "place": "本院", "seats": 2, "selection": "rotation"});
    let (status, a) = w.post("/api/v1/activities", &w.office, None, plan);
    assert_eq!(status, 201, "{a}");
    let id = a["activity"]["id"].as_str().unwrap().to_owned();
    let at = format!("/api/v1/activities/{id}");
    let (status, p) =
        w.post(&format!("{at}/prepare"), &w.office, Some(1), json!({"secret_seed_reason": "演示"}));
    assert_eq!(status, 200, "{p}");
    let (status, d) = w.post(&format!("{at}/draw"), &w.office, Some(2), json!({"seed": p["seed"]}));
    assert_eq!(status, 200, "{d}");
    let drawn: Vec<String> = d["activity"]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    let out = w.ok(&[
        "--as",
        "office",
        "activity",
        "answer",
        &id,
        "--deputy",
        &drawn[1],
        "--answer",
        "decline",
        "--reason",
        "外出开会",
        "--note",
        "电话告知",
    ]);
    assert!(out.contains("不能参加") && out.contains("空缺席位 1 个"), "{out}");
    let bad = w.run(&[
        "--as", "office", "activity", "answer", &id, "--deputy", &drawn[0], "--answer", "decline", "--note",
        "电话",
    ]);
    assert_eq!(bad.status.code(), Some(1), "a decline needs its reason");
    let (_, a) = w.get(&at, &w.office);
    assert_eq!(a["responses"][&drawn[1]]["answer"], "declined", "{a}");
    assert_eq!(a["responses"][&drawn[1]]["reason"], "外出开会", "{a}");
    assert!(a["responses"].get(&drawn[0]).is_none(), "{a}");
    w.verify_state();
}
