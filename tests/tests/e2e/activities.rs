//! Activities and their draws (C4) end to end.

use super::*;

/// C4 end to end: an activity planned with the CLI, its pool committed and drawn over the API, the draw
/// verified by `liaison lottery verify`, attendance recorded, and the fairness figures by level.
#[test]
fn an_activity_draws_verifiably_and_shows_fairness_by_level() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    for (i, level) in ["县", "县", "乡", "乡", "市", "市"].into_iter().enumerate() {
        let body = serde_json::json!({"name": format!("代表{}", ["甲", "乙", "丙", "丁", "戊", "己"][i]), "gender": "女", "level": level,
            "term": "16", "region": "鼓楼区", "mobile": format!("1300000000{i}"), "term_start": "2023-01-01"});
        assert_eq!(post(&s.1, "/api/v1/deputies", &office, None, body).0, 201);
    }
    let out = ok(&l(&[
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
    ]));
    let id = serde_json::from_str::<Value>(&out).unwrap()["activity"]["id"].as_str().unwrap().to_owned();
    let (status, prepared) = post(
        &s.1,
        &format!("/api/v1/activities/{id}/prepare"),
        &office,
        Some(1),
        serde_json::json!({"secret_seed_reason": "演示"}),
    );
    assert_eq!(status, 200, "{prepared}");
    let seed = prepared["seed"].as_str().unwrap().to_owned();
    let (status, drawn) = post(
        &s.1,
        &format!("/api/v1/activities/{id}/draw"),
        &office,
        Some(2),
        serde_json::json!({"seed": seed}),
    );
    assert_eq!(status, 200, "{drawn}");
    assert_eq!(drawn["activity"]["participants"].as_array().unwrap().len(), 3);
    assert!(ok(&l(&["--as", "office", "lottery", "verify", &id])).contains("与记录一致"));
    let first = drawn["activity"]["participants"][0].as_str().unwrap().to_owned();
    ok(&l(&["--as", "office", "activity", "hold", &id, "--attended", &first]));
    let f: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "fairness",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    ])))
    .unwrap();
    let drawn_per_level: Vec<u64> =
        f["by_level"].as_array().unwrap().iter().map(|x| x["drawn"].as_u64().unwrap()).collect();
    assert_eq!(drawn_per_level, vec![0, 0, 1, 1, 1], "equal quotas: one per level with deputies: {f}");
    // Participation is attendance: one of the three drawn attended (issue 11, item 3).
    assert_eq!((f["participations"].as_u64(), f["seats_drawn"].as_u64()), (Some(1), Some(3)), "{f}");

    // A draw seeded by a public value named in advance: prepared over the API, drawn with the CLI once the
    // value is published (the CLI run as of that day), verified by anyone from the record.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() + chrono::Duration::days(1);
    let out = ok(&l(&[
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
    ]));
    let id2 = serde_json::from_str::<Value>(&out).unwrap()["activity"]["id"].as_str().unwrap().to_owned();
    let (status, prepared) = post(
        &s.1,
        &format!("/api/v1/activities/{id2}/prepare"),
        &office,
        Some(1),
        serde_json::json!({"public_source": "中国福利彩票双色球开奖号码", "published_on": tomorrow.to_string()}),
    );
    assert_eq!((status, prepared["seed"].is_null()), (200, true), "{prepared}");
    let early = l(&["--as", "office", "activity", "draw", &id2, "--public-value", "03 08 15 21 27 33 + 09"]);
    assert_eq!(early.status.code(), Some(1), "not before the value is published");
    let out = Command::new(bin("liaison"))
        .current_dir(dir)
        .env("LIAISON_NOW", tomorrow.to_string())
        .args(["--as", "office", "activity", "draw", &id2, "--public-value", "03 08 15 21 27 33 + 09"])
        .output()
        .unwrap();
    ok(&out);
    let v: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "lottery", "verify", &id2, "--format", "json"])))
            .unwrap();
    assert_eq!((v["ok"].as_bool(), v["seed_source"].as_str()), (Some(true), Some("public")), "{v}");

    // A third party with the published record alone (no database, no account) verifies it; an edited
    // record does not verify.
    let (status, record) = get(&s.1, &format!("/api/v1/activities/{id2}"), &office);
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
