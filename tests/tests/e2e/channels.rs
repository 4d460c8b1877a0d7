//! The channels and guarantees end to end: the rights check (G1), budgets (G2), appointments (C3), the
//! hotline, cards, services, solicitations and supervisors (C1, G3, C4).

use super::*;

/// G1 end to end: the case system asks over the API whether a person is a deputy (by ID number), the
/// office asks with the CLI (the number from the environment); both are answered with the requirement and
/// both checks are on the audit record.
#[test]
fn the_rights_check_answers_the_case_system_and_is_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let o = l(&["user", "add", "cases", "--name", "案件管理部门", "--role", "department"]);
    assert_eq!(o.status.code(), Some(1), "a department account needs its department");
    ok(&l(&["--as", "office", "org", "add-department", "案件管理部"]));
    ok(&l(&[
        "user",
        "add",
        "cases",
        "--name",
        "案件管理部门",
        "--role",
        "department",
        "--department",
        "案件管理部",
        "--service",
    ]));
    approve(&l, "cases");
    // The case system is an integration account: the system administrator issues its token.
    let cases = ok(&l(&["token", "create", "--user", "cases", "--label", "案件系统"])).trim().to_owned();
    let body = serde_json::json!({"name": "郑伟", "level": "县", "term": "16", "region": "鼓楼区", "id_number": "11010519491231002X",
        "mobile": "13100000001", "term_start": "2023-01-01"});
    let (status, d) = post(&s.1, "/api/v1/deputies", &office, None, body);
    assert_eq!(status, 201, "{d}");
    let (status, a) = post(
        &s.1,
        "/api/v1/rights/check",
        &cases,
        None,
        serde_json::json!({"id_number": "11010519491231002X", "name": "郑伟", "reason": "榕检刑捕〔2026〕7号"}),
    );
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["is_deputy"].as_bool(), a["deputyships"][0]["permission_required"].as_bool()),
        (Some(true), Some(true)),
        "{a}"
    );
    let (status, b) = post(
        &s.1,
        "/api/v1/rights/check",
        &cases,
        None,
        serde_json::json!({"id_number": "11010519491231002X", "reason": ""}),
    );
    assert_eq!((status, b["errors"][0]["field"].as_str()), (422, Some("reason")));
    let out = Command::new(bin("liaison"))
        .current_dir(dir)
        .env_remove("LIAISON_USER")
        .env("LIAISON_ID_NUMBER", "11010519491231002X")
        .args(["--as", "office", "rights", "--id-number", "-", "--why", "核查"])
        .output()
        .unwrap();
    let text = ok(&out);
    assert!(text.contains("第16届县人大代表") && text.contains("许可"), "{text}");
    let db = rusqlite::Connection::open(dir.join("liaison.db")).unwrap();
    let n: i64 = db
        .query_row("SELECT count(*) FROM audit_log WHERE kind = 'rights.checked'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    let leaked: i64 = db
        .query_row("SELECT count(*) FROM audit_log WHERE payload LIKE '%11010519491231002X%'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(leaked, 0, "the ID number is never in the audit record");
}

/// G2 end to end: a budget set and adopted with the CLI; spending over the API within the line; more than
/// the line refused until a supplementary appropriation is approved; the execution report.
#[test]
fn a_budget_refuses_spending_beyond_its_lines_until_an_appropriation_is_approved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    ok(&l(&["user", "add", "leader", "--name", "检察长", "--role", "leader"]));
    approve(&l, "leader");
    let year = chrono_year().to_string();
    ok(&l(&["--as", "office", "budget", &year, "line", "--category", "会议", "--amount", "10,000"]));
    let o = l(&["--as", "office", "budget", &year, "line", "--category", "会议", "--amount", "12.345"]);
    assert_eq!(o.status.code(), Some(1), "bad amounts are refused");
    ok(&l(&["--as", "leader", "budget", &year, "adopt"]));
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "8000", "purpose": "代表座谈会", "reference": "凭证001"}),
    );
    assert_eq!(status, 200, "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "3000", "purpose": "代表座谈会", "reference": "凭证002"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.over_budget")), "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "走访", "amount": "1", "purpose": "x", "reference": "x"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.no_line")), "no spending outside the budget");
    ok(&l(&[
        "--as",
        "office",
        "budget",
        &year,
        "request",
        "--category",
        "会议",
        "--amount",
        "5000",
        "--why",
        "增加座谈会",
    ]));
    ok(&l(&["--as", "leader", "budget", &year, "approve", "1"]));
    let (status, _) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "3000", "purpose": "代表座谈会", "reference": "凭证002"}),
    );
    assert_eq!(status, 200);
    let report = ok(&l(&["--as", "office", "budget", &year]));
    assert!(
        report.contains("10000.00")
            && report.contains("5000.00")
            && report.contains("11000.00")
            && report.contains("4000.00"),
        "{report}"
    );
    // The same voucher twice is refused; an expense is reversed once, by a new entry (issue 11 item 10).
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/spend"),
        &office,
        None,
        serde_json::json!({"category": "会议", "amount": "100", "purpose": "代表座谈会", "reference": "凭证001"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.duplicate_reference")), "{b}");
    ok(&l(&["--as", "office", "budget", &year, "reverse", "1", "--why", "重复报销"]));
    let o = l(&["--as", "office", "budget", &year, "reverse", "1", "--why", "再次冲销"]);
    assert_eq!(o.status.code(), Some(1), "an expense is reversed once");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/budgets/{year}/reverse"),
        &office,
        None,
        serde_json::json!({"n": 3, "reason": "冲销冲销记录"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.reversal_of_reversal")), "{b}");
    let report = ok(&l(&["--as", "office", "budget", &year]));
    assert!(
        report.contains("3000.00") && report.contains("8000.00") && report.contains("12000.00"),
        "{report}"
    );
}

/// C3 end to end: a deputy's request to meet the chief procurator, acknowledged with the CLI, scheduled
/// over the API (a clash with another appointment refused), held with its record, on the .ics calendar.
#[test]
fn an_appointment_is_acknowledged_scheduled_without_clash_held_and_on_the_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let mut ids = Vec::new();
    for (i, name) in ["王芳", "李强"].into_iter().enumerate() {
        let body = serde_json::json!({"name": name, "gender": "女", "level": "市", "term": "16", "region": "鼓楼区",
            "mobile": format!("1890000000{i}"), "term_start": "2023-01-01"});
        ids.push(post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned());
    }
    // The official is a person of the organisation, however the name is written (issue 11 item 13).
    ok(&l(&["--as", "office", "org", "add-leader", "张明", "--title", "检察长"]));
    let mut appts = Vec::new();
    for (id, official) in ids.iter().zip(["检察长张明", "张明"]) {
        let (status, a) = post(
            &s.1,
            "/api/v1/appointments",
            &office,
            None,
            serde_json::json!({"deputy": id, "official": official, "channel": "联络卡", "topic": "反映企业合规问题"}),
        );
        assert_eq!(status, 201, "{a}");
        appts.push(a["id"].as_str().unwrap().to_owned());
    }
    let (status, b) = post(
        &s.1,
        "/api/v1/appointments",
        &office,
        None,
        serde_json::json!({"deputy": ids[0], "official": "副检察长王五", "channel": "联络卡", "topic": "x"}),
    );
    assert_eq!((status, b["code"].as_str()), (422, Some("appointment.unknown_official")), "{b}");
    for a in &appts {
        ok(&l(&["--as", "office", "appointment", "ack", a]));
    }
    // A week from today: in the future, within the meet-by window (10 working days).
    let day = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() + chrono::Duration::days(7);
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/appointments/{}/schedule", appts[0]),
        &office,
        Some(2),
        serde_json::json!({"from": format!("{day} 10:00"), "to": format!("{day} 11:00"), "place": "接待室"}),
    );
    assert_eq!((status, b["late"].as_bool()), (200, Some(false)), "{b}");
    let (status, b) = post(
        &s.1,
        &format!("/api/v1/appointments/{}/schedule", appts[1]),
        &office,
        Some(2),
        serde_json::json!({"from": format!("{day} 10:30"), "to": format!("{day} 11:30"), "place": "接待室"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("appointment.clash")), "{b}");
    let o = l(&["--as", "office", "appointment", "hold", &appts[0], "--record", "承诺两周内书面答复"]);
    assert_eq!(o.status.code(), Some(1), "not before its time");
    ok(&l(&[
        "--as",
        "office",
        "appointment",
        "decline",
        &appts[1],
        "--why",
        "检察长出差",
        "--alternative",
        "由副检察长接待",
    ]));
    let (from, to) = (day.to_string(), (day + chrono::Duration::days(1)).to_string());
    ok(&l(&["--as", "office", "calendar", "--from", &from, "--to", &to, "--ics", "a.ics"]));
    let ics = std::fs::read_to_string(dir.join("a.ics")).unwrap();
    assert!(
        ics.contains("检察长张明约见王芳代表") && ics.contains(&day.format("%Y%m%d").to_string()),
        "{ics}"
    );
}

/// C1, G3, C4 end to end: a hotline call filed as a suggestion over the API, a liaison card issued and
/// printed with the CLI, a practical problem resolved, a solicitation answered with a suggestion; a
/// supervisor appointment refused for a standing committee member and made for an eligible deputy.
#[test]
fn hotline_cards_services_solicitations_and_supervisors_work_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = serve(dir);
    let l = |args: &[&str]| liaison(dir, args);
    ok(&l(&["user", "add", "office", "--name", "联络室", "--role", "office"]));
    approve(&l, "office");
    let office = ok(&l(&["--as", "office", "token", "create", "--label", "e2e"])).trim().to_owned();
    let body = serde_json::json!({"name": "王芳", "gender": "女", "level": "县", "term": "16", "region": "鼓楼区",
        "mobile": "15800000001", "term_start": "2023-01-01", "birth_date": "1975-02-01", "special_roles": "常委会组成人员"});
    let id = post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned();
    let (status, call) = post(
        &s.1,
        "/api/v1/calls",
        &office,
        None,
        serde_json::json!({"deputy": id, "caller": "王芳", "topic": "反映社区矫正问题", "route": "suggestion"}),
    );
    assert_eq!(
        (status, call["reference"].as_str().map(|r| r.starts_with("suggestion:"))),
        (201, Some(true)),
        "{call}"
    );
    // A card names an officer of the organisation (issue 11 item 12).
    ok(&l(&["--as", "office", "org", "add-officer", "林晓"]));
    let out = ok(&l(&[
        "--as",
        "office",
        "card",
        "issue",
        "--deputy",
        &id,
        "--officer",
        "林晓",
        "--telephone",
        "0591-12345678",
    ]));
    let number = out
        .split_whitespace()
        .find(|w| w.contains("LK-"))
        .unwrap()
        .trim_start_matches("已发放联络卡")
        .split('（')
        .next()
        .unwrap()
        .to_owned();
    ok(&l(&["--as", "office", "card", "print", &number, "--out", "card.html"]));
    // Records are never backdated: a command run as of an earlier day than the last change is refused.
    let back = Command::new(bin("liaison"))
        .current_dir(dir)
        .env("LIAISON_NOW", "2020-01-01")
        .args(["--as", "office", "card", "revoke", &number, "--why", "补录"])
        .output()
        .unwrap();
    assert_eq!(back.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&back.stderr).contains("倒填"),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert!(std::fs::read_to_string(dir.join("card.html")).unwrap().contains("人大代表联络卡"));
    let (status, svc) = post(
        &s.1,
        "/api/v1/services",
        &office,
        None,
        serde_json::json!({"deputy": id, "kind": "解决实际困难", "description": "子女入学"}),
    );
    assert_eq!(status, 201, "{svc}");
    let sid = svc["id"].as_str().unwrap().to_owned();
    let (status, done) = post(
        &s.1,
        &format!("/api/v1/services/{sid}/resolve"),
        &office,
        None,
        serde_json::json!({"text": "已协调解决"}),
    );
    assert_eq!((status, done["resolved"].is_array()), (200, true), "{done}");
    let so: Value = serde_json::from_str(&ok(&l(&[
        "--as",
        "office",
        "solicit",
        "send",
        "--title",
        "征求意见",
        "--content",
        "请提意见",
        "--scope",
        "all",
        "--format",
        "json",
    ])))
    .unwrap();
    let so_id = so["id"].as_str().unwrap().to_owned();
    let (status, r) = post(
        &s.1,
        &format!("/api/v1/solicitations/{so_id}/respond"),
        &office,
        None,
        serde_json::json!({"deputy": id, "text": "加强检察公开", "as_suggestion": true}),
    );
    assert_eq!(status, 200, "{r}");
    let list: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "suggestion", "list", "--format", "json"]))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let o = l(&[
        "--as",
        "office",
        "supervisor",
        "appoint",
        "--deputy",
        &id,
        "--kind",
        "人民监督员",
        "--from",
        "2026-01-01",
        "--to",
        "2030-12-31",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("不宜担任"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // An eligible deputy is appointed over the API and listed by the CLI; the refused one never was.
    let body = serde_json::json!({"name": "陈刚", "gender": "男", "level": "市", "term": "16", "region": "鼓楼区",
        "mobile": "15800000002", "term_start": "2023-01-01", "birth_date": "1980-06-01"});
    let other = post(&s.1, "/api/v1/deputies", &office, None, body).1["id"].as_str().unwrap().to_owned();
    let (status, a) = post(
        &s.1,
        "/api/v1/supervisors",
        &office,
        None,
        serde_json::json!({"deputy": other, "kind": "人民监督员", "from": "2026-01-01", "to": "2030-12-31"}),
    );
    assert_eq!(status, 201, "{a}");
    let listed: Value =
        serde_json::from_str(&ok(&l(&["--as", "office", "supervisor", "list", "--format", "json"]))).unwrap();
    let deputies: Vec<&str> =
        listed.as_array().unwrap().iter().filter_map(|x| x["deputy"].as_str()).collect();
    assert_eq!(deputies, [other.as_str()]);
}
