//! Notices, plans and meetings (R2, R3) end to end.

use serde_json::json;

use super::{World, has_uuid};

/// R2 end to end: a notice drafted with the CLI, approved by a leader, sent over the API to the county
/// deputies only; a deputy acknowledges over the API and responds with the CLI, which files a suggestion.
#[test]
fn a_major_matter_notice_is_approved_sent_acknowledged_and_answered_with_a_suggestion() {
    let w = World::new().with_leader();
    let people = w.deputies_signed_in(&[("王芳", "县"), ("李强", "县"), ("赵敏", "市")]);
    let id = w.json(&[
        "--as",
        "office",
        "notice",
        "draft",
        "--title",
        "关于开展公益诉讼专项活动的通报",
        "--content",
        "二季度开展。",
        "--scope",
        "level",
        "--value",
        "县",
        "--channel",
        "书面",
        "--format",
        "json",
    ])["notice"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let o = w.run(&["--as", "office", "notice", "approve", &id]);
    assert_eq!(o.status.code(), Some(1), "the office does not approve");
    w.ok(&["--as", "leader", "notice", "approve", &id]);
    let (status, v) = w.post(&format!("/api/v1/notices/{id}/send"), &w.office, Some(2), json!({}));
    assert_eq!((status, v["recipients"].as_u64()), (200, Some(2)), "{v}");
    let (status, mine) = w.get("/api/v1/notices", &people[2].token);
    assert_eq!(
        (status, mine.as_array().map(Vec::len)),
        (200, Some(0)),
        "the city deputy was not in the audience"
    );
    let (status, v) =
        w.post(&format!("/api/v1/notices/{id}/acknowledge"), &people[0].token, Some(3), json!({}));
    assert_eq!(status, 200, "{v}");
    let respond = json!({"text": "建议扩大到乡镇", "open_suggestion": true});
    let (status, v) = w.post(&format!("/api/v1/notices/{id}/respond"), &people[1].token, Some(4), respond);
    assert_eq!(status, 200, "{v}");
    // The recipients by name, level and region; no keys, no ids (issue 11, item 18).
    let shown = w.ok(&["--as", "office", "notice", "show", &id]);
    assert!(shown.contains("王芳") && shown.contains("李强") && shown.contains("县"), "{shown}");
    assert!(!shown.contains("notice.recipients") && !has_uuid(&shown), "{shown}");
    let list = w.json(&["--as", "office", "suggestion", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    w.verify_state();
}

/// R3 end to end: a year's plan set and adopted with the CLI; a meeting planned and held over the API
/// with an opinion that becomes a suggestion; a visit recorded with the CLI; the plan's progress, the
/// deputies not reached by level, and the calendar as an .ics file.
#[test]
fn a_plan_meetings_and_visits_show_progress_reach_and_a_calendar() {
    let w = World::new().with_leader();
    let ids = w.deputies(&[("王芳", "全国"), ("李强", "县"), ("赵敏", "乡")]);
    w.ok(&[
        "--as",
        "office",
        "plan",
        "set",
        "--period",
        "2026",
        "--meetings",
        "1",
        "--reached",
        "60",
        "--notices",
        "1",
    ]);
    w.ok(&["--as", "leader", "plan", "adopt", "2026"]);
    let (status, m) = w.post(
        "/api/v1/meetings",
        &w.office,
        None,
        json!({"title": "代表座谈会", "on": "2026-03-05",
        "place": "本院会议室", "agenda": ["work_report:通报工作", "petitions:信访办理"], "invite": [ids[0], ids[1]]}),
    );
    assert_eq!(status, 201, "{m}");
    let mid = m["id"].as_str().unwrap().to_owned();
    let (status, b) = w.post(
        &format!("/api/v1/meetings/{mid}/hold"),
        &w.office,
        Some(1),
        json!({"attended": [ids[0]], "minutes": "纪要"}),
    );
    assert_eq!(status, 200, "{b}");
    let (status, b) = w.post(
        &format!("/api/v1/meetings/{mid}/opinion"),
        &w.office,
        Some(2),
        json!({"deputy": ids[0], "text": "加强涉农检察", "to": "suggestion"}),
    );
    assert_eq!(
        (status, b["opinions"][0]["became"].as_str().map(|x| x.starts_with("suggestion:"))),
        (200, Some(true)),
        "{b}"
    );
    let o = w.run(&[
        "--as",
        "office",
        "visit",
        "--deputy",
        &ids[1],
        "--on",
        "2099-01-01",
        "--place",
        "家中",
        "--staff",
        "林晓",
        "--notes",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(1), "a visit in the future is refused");
    w.ok(&[
        "--as",
        "office",
        "visit",
        "--deputy",
        &ids[1],
        "--on",
        "2026-04-01",
        "--place",
        "工作单位",
        "--staff",
        "林晓",
        "--notes",
        "了解履职情况",
    ]);
    let plan = w.json(&["--as", "office", "plan", "show", "2026", "--format", "json"]);
    let progress = plan["progress"].as_array().unwrap();
    assert_eq!(
        (progress[0]["achieved"].as_u64(), progress[0]["met"].as_bool()),
        (Some(1), Some(true)),
        "{plan}"
    );
    assert_eq!((progress[1]["achieved"].as_u64(), progress[1]["met"].as_bool()), (Some(66), Some(true)));
    let (status, r) = w.get("/api/v1/reach?from=2026-01-01&to=2026-12-31", &w.office);
    assert_eq!(
        (status, r["reached"].as_u64(), r["not_reached"][0]["id"].as_str()),
        (200, Some(2), Some(ids[2].as_str())),
        "{r}"
    );
    w.ok(&[
        "--as",
        "office",
        "calendar",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--ics",
        "liaison.ics",
    ]);
    let ics = std::fs::read_to_string(w.dir().join("liaison.ics")).unwrap();
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("代表座谈会") && ics.contains("20260401"), "{ics}");
}
