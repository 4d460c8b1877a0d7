//! The channels and guarantees end to end: the rights check (G1), budgets (G2), appointments (C3), the
//! hotline, cards, services, solicitations and supervisors (C1, G3, C4).

use serde_json::json;

use super::{World, approve, china_today, chrono_year, ok};

/// G1 end to end: the case system asks over the API whether a person is a deputy (by ID number), the
/// office asks with the CLI (the number from the environment); both are answered with the requirement and
/// both checks are on the audit record.
#[test]
fn the_rights_check_answers_the_case_system_and_is_audited() {
    let w = World::new();
    let o = w.run(&["user", "add", "cases", "--name", "案件管理部门", "--role", "department"]);
    assert_eq!(o.status.code(), Some(1), "a department account needs its department");
    w.ok(&["--as", "office", "org", "add-department", "案件管理部"]);
    w.ok(&[
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
    ]);
    approve(&|a: &[&str]| w.run(a), "cases");
    // The case system is an integration account: the system administrator issues its token.
    let cases = w.ok(&["token", "create", "--user", "cases", "--label", "案件系统"]).trim().to_owned();
    let body = json!({"name": "郑伟", "level": "县", "term": "16", "region": "鼓楼区", "id_number": "11010519491231002X",
        "mobile": "13100000001", "term_start": "2023-01-01"});
    w.add_deputy(body);
    let (status, a) = w.post(
        "/api/v1/rights/check",
        &cases,
        None,
        json!({"id_number": "11010519491231002X", "name": "郑伟", "reason": "榕检刑捕〔2026〕7号"}),
    );
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["is_deputy"].as_bool(), a["deputyships"][0]["permission_required"].as_bool()),
        (Some(true), Some(true)),
        "{a}"
    );
    let (status, b) = w.post(
        "/api/v1/rights/check",
        &cases,
        None,
        json!({"id_number": "11010519491231002X", "reason": ""}),
    );
    assert_eq!((status, b["errors"][0]["field"].as_str()), (422, Some("reason")));
    let args = ["--as", "office", "rights", "--id-number", "-", "--why", "核查"];
    let out = w.run_with_env(&[("LIAISON_ID_NUMBER", "11010519491231002X")], &args);
    let text = ok(&out);
    assert!(text.contains("第16届县人大代表") && text.contains("许可"), "{text}");
    let db = rusqlite::Connection::open(w.dir().join("liaison.db")).unwrap();
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
    let w = World::new().with_leader();
    let year = chrono_year().to_string();
    w.ok(&["--as", "office", "budget", &year, "line", "--category", "会议", "--amount", "10,000"]);
    let o = w.run(&["--as", "office", "budget", &year, "line", "--category", "会议", "--amount", "12.345"]);
    assert_eq!(o.status.code(), Some(1), "bad amounts are refused");
    w.ok(&["--as", "leader", "budget", &year, "adopt"]);
    let (status, b) = w.post(
        &format!("/api/v1/budgets/{year}/spend"),
        &w.office,
        Some(w.version(&format!("/api/v1/budgets/{year}"), "/budget/version")),
        json!({"category": "会议", "amount": "8000", "purpose": "代表座谈会", "reference": "凭证001"}),
    );
    assert_eq!(status, 200, "{b}");
    let (status, b) = w.post(
        &format!("/api/v1/budgets/{year}/spend"),
        &w.office,
        Some(w.version(&format!("/api/v1/budgets/{year}"), "/budget/version")),
        json!({"category": "会议", "amount": "3000", "purpose": "代表座谈会", "reference": "凭证002"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.over_budget")), "{b}");
    let (status, b) = w.post(
        &format!("/api/v1/budgets/{year}/spend"),
        &w.office,
        Some(w.version(&format!("/api/v1/budgets/{year}"), "/budget/version")),
        json!({"category": "走访", "amount": "1", "purpose": "x", "reference": "x"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.no_line")), "no spending outside the budget");
    w.ok(&[
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
    ]);
    w.ok(&["--as", "leader", "budget", &year, "approve", "1"]);
    let (status, _) = w.post(
        &format!("/api/v1/budgets/{year}/spend"),
        &w.office,
        Some(w.version(&format!("/api/v1/budgets/{year}"), "/budget/version")),
        json!({"category": "会议", "amount": "3000", "purpose": "代表座谈会", "reference": "凭证002"}),
    );
    assert_eq!(status, 200);
    let report = w.ok(&["--as", "office", "budget", &year]);
    assert!(
        report.contains("10000.00")
            && report.contains("5000.00")
            && report.contains("11000.00")
            && report.contains("4000.00"),
        "{report}"
    );
    // The same voucher twice is refused; an expense is reversed once, by a new entry (issue 11 item 10).
    let (status, b) = w.post(
        &format!("/api/v1/budgets/{year}/spend"),
        &w.office,
        Some(w.version(&format!("/api/v1/budgets/{year}"), "/budget/version")),
        json!({"category": "会议", "amount": "100", "purpose": "代表座谈会", "reference": "凭证001"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.duplicate_reference")), "{b}");
    w.ok(&["--as", "office", "budget", &year, "reverse", "1", "--why", "重复报销"]);
    let o = w.run(&["--as", "office", "budget", &year, "reverse", "1", "--why", "再次冲销"]);
    assert_eq!(o.status.code(), Some(1), "an expense is reversed once");
    let (status, b) = w.post(
        &format!("/api/v1/budgets/{year}/reverse"),
        &w.office,
        Some(w.version(&format!("/api/v1/budgets/{year}"), "/budget/version")),
        json!({"n": 3, "reason": "冲销冲销记录"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("budget.reversal_of_reversal")), "{b}");
    let report = w.ok(&["--as", "office", "budget", &year]);
    assert!(
        report.contains("3000.00") && report.contains("8000.00") && report.contains("12000.00"),
        "{report}"
    );
}

/// C3 end to end: a deputy's request to meet the chief procurator, acknowledged with the CLI, scheduled
/// over the API (a clash with another appointment refused), held with its record, on the .ics calendar.
#[test]
fn an_appointment_is_acknowledged_scheduled_without_clash_held_and_on_the_calendar() {
    let w = World::new();
    let ids = w.deputies(&[("王芳", "市"), ("李强", "市")]);
    // The official is a person of the organisation, however the name is written (issue 11 item 13).
    w.ok(&["--as", "office", "org", "add-leader", "张明", "--title", "检察长"]);
    let mut appts = Vec::new();
    for (id, official) in ids.iter().zip(["检察长张明", "张明"]) {
        let (status, a) = w.post(
            "/api/v1/appointments",
            &w.office,
            None,
            json!({"deputy": id, "official": official, "channel": "联络卡", "topic": "反映企业合规问题"}),
        );
        assert_eq!(status, 201, "{a}");
        appts.push(a["id"].as_str().unwrap().to_owned());
    }
    let (status, b) = w.post(
        "/api/v1/appointments",
        &w.office,
        None,
        json!({"deputy": ids[0], "official": "副检察长王五", "channel": "联络卡", "topic": "x"}),
    );
    assert_eq!((status, b["code"].as_str()), (422, Some("appointment.unknown_official")), "{b}");
    for a in &appts {
        w.ok(&["--as", "office", "appointment", "ack", a]);
    }
    // A week from today: in the future, within the meet-by window (10 working days).
    let day = china_today() + chrono::Duration::days(7);
    let (status, b) = w.post(
        &format!("/api/v1/appointments/{}/schedule", appts[0]),
        &w.office,
        Some(2),
        json!({"from": format!("{day} 10:00"), "to": format!("{day} 11:00"), "place": "接待室"}),
    );
    assert_eq!((status, b["late"].as_bool()), (200, Some(false)), "{b}");
    let (status, b) = w.post(
        &format!("/api/v1/appointments/{}/schedule", appts[1]),
        &w.office,
        Some(2),
        json!({"from": format!("{day} 10:30"), "to": format!("{day} 11:30"), "place": "接待室"}),
    );
    assert_eq!((status, b["code"].as_str()), (409, Some("appointment.clash")), "{b}");
    let o = w.run(&["--as", "office", "appointment", "hold", &appts[0], "--record", "承诺两周内书面答复"]);
    assert_eq!(o.status.code(), Some(1), "not before its time");
    w.ok(&[
        "--as",
        "office",
        "appointment",
        "decline",
        &appts[1],
        "--why",
        "检察长出差",
        "--alternative",
        "由副检察长接待",
    ]);
    let (from, to) = (day.to_string(), (day + chrono::Duration::days(1)).to_string());
    w.ok(&["--as", "office", "calendar", "--from", &from, "--to", &to, "--ics", "a.ics"]);
    let ics = std::fs::read_to_string(w.dir().join("a.ics")).unwrap();
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
    let w = World::new();
    let id =
        w.deputy_with("王芳", "县", json!({"birth_date": "1975-02-01", "special_roles": "常委会组成人员"}));
    let (status, call) = w.post(
        "/api/v1/calls",
        &w.office,
        None,
        json!({"deputy": id, "caller": "王芳", "topic": "反映社区矫正问题", "route": "suggestion"}),
    );
    assert_eq!(
        (status, call["reference"].as_str().map(|r| r.starts_with("suggestion:"))),
        (201, Some(true)),
        "{call}"
    );
    // A card names an officer of the organisation (issue 11 item 12).
    w.ok(&["--as", "office", "org", "add-officer", "林晓"]);
    let out = w.ok(&[
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
    ]);
    let number = out
        .split_whitespace()
        .find(|w| w.contains("LK-"))
        .unwrap()
        .trim_start_matches("已发放联络卡")
        .split('（')
        .next()
        .unwrap()
        .to_owned();
    w.ok(&["--as", "office", "card", "print", &number, "--out", "card.html"]);
    // Records are never backdated: a command run as of an earlier day than the last change is refused.
    let back = w.run_with_env(
        &[("LIAISON_NOW", "2020-01-01")],
        &["--as", "office", "card", "revoke", &number, "--why", "补录"],
    );
    assert_eq!(back.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&back.stderr).contains("倒填"),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert!(std::fs::read_to_string(w.dir().join("card.html")).unwrap().contains("人大代表联络卡"));
    let (status, svc) = w.post(
        "/api/v1/services",
        &w.office,
        None,
        json!({"deputy": id, "kind": "解决实际困难", "description": "子女入学"}),
    );
    assert_eq!(status, 201, "{svc}");
    let sid = svc["id"].as_str().unwrap().to_owned();
    let seen = svc["version"].as_u64();
    let (status, done) =
        w.post(&format!("/api/v1/services/{sid}/resolve"), &w.office, seen, json!({"text": "已协调解决"}));
    assert_eq!((status, done["resolved"].is_array()), (200, true), "{done}");
    let so = w.json(&[
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
    ]);
    let so_id = so["id"].as_str().unwrap().to_owned();
    let (status, r) = w.post(
        &format!("/api/v1/solicitations/{so_id}/respond"),
        &w.office,
        so["version"].as_u64(),
        json!({"deputy": id, "text": "加强检察公开", "as_suggestion": true}),
    );
    assert_eq!(status, 200, "{r}");
    let list = w.json(&["--as", "office", "suggestion", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let o = w.run(&[
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
    let other = w.deputy_with("陈刚", "市", json!({"gender": "男", "birth_date": "1980-06-01"}));
    let (status, a) = w.post(
        "/api/v1/supervisors",
        &w.office,
        None,
        json!({"deputy": other, "kind": "人民监督员", "from": "2026-01-01", "to": "2030-12-31"}),
    );
    assert_eq!(status, 201, "{a}");
    let listed = w.json(&["--as", "office", "supervisor", "list", "--format", "json"]);
    let deputies: Vec<&str> =
        listed.as_array().unwrap().iter().filter_map(|x| x["deputy"].as_str()).collect();
    assert_eq!(deputies, [other.as_str()]);
}
