//! 走访座谈 on the pages (issue 16, item 4): the month calendar with a meeting and a visit on their days,
//! planning a meeting through the form, actions with the meeting's version, visits with the deputy named
//! (no match, several), the year's plan with its progress numbers, CSRF and the roles.

use chrono::NaiveDate;
use liaison_app::{MeetingAction, MeetingInput};
use liaison_core::registry::DeputyInput;

use super::*;

/// The calendar's cell of a day: from its `<li id="d-…">` to the next day's.
fn day<'a>(p: &'a Page, on: &str) -> &'a str {
    let at = p.body.find(&format!("id=\"d-{on}\"")).unwrap_or_else(|| panic!("{on}: {}", p.body));
    let rest = &p.body[at..];
    let end = rest[10..].find("<li id=\"d-").map_or(rest.len(), |e| e + 10);
    &rest[..end]
}

impl W {
    /// 钱晓岚 (county, 鼓楼区) and a namesake of hers (township, 台江区), and 赵大海 (county, 鼓楼区).
    fn deputies(&mut self) -> [String; 3] {
        let add = |i: DeputyInput| {
            rt().block_on(self.app.register_deputy(&self.office, i, None, None)).unwrap().id.to_string()
        };
        let ids = [
            add(input("钱晓岚", "县", "鼓楼区", "13912345678")),
            add(input("钱晓岚", "乡", "台江区", "13700001111")),
            add(input("赵大海", "县", "鼓楼区", "13600002222")),
        ];
        self.ids.extend(ids.iter().cloned());
        ids
    }

    /// A meeting planned by the office for `on`, the deputies invited.
    fn meeting(&self, title: &str, on: &str, invite: &[String]) -> liaison_core::meeting::Meeting {
        let input = MeetingInput {
            title: title.into(),
            on: on.into(),
            place: "本院三楼会议室".into(),
            agenda: vec!["工作报告：通报一季度检察工作".into()],
            invite: invite.to_vec(),
        };
        rt().block_on(self.app.plan_meeting(&self.office, &input)).unwrap()
    }

    fn calendar(&self) -> Vec<liaison_app::CalendarEntry> {
        let (from, to) =
            (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        self.app.liaison_calendar(&self.office, from, to).unwrap()
    }
}

/// A meeting planned through the form shows on its day by title, a visit recorded through the form on its
/// day by the deputy's name; bad input names the field and writes nothing.
#[test]
fn the_calendar_shows_a_meeting_planned_through_the_form_and_a_visit_on_their_days() {
    let mut w = W::new(Edge::default());
    w.deputies();
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let list = w.get("/meetings", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(list.body.contains("aria-current=\"page\">走访座谈</a>"), "{}", list.body);
        let csrf = list.field("csrf");
        let meeting = |title: &'static str, on: &'static str, invite: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("title", title.to_owned()),
                ("on", on.to_owned()),
                ("place", "本院三楼会议室".to_owned()),
                ("agenda", "工作报告：通报一季度检察工作\n信访：信访办理情况".to_owned()),
                ("invite", invite.to_owned()),
            ]
        };
        let post = |fields: Vec<(&'static str, String)>| {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = form(&f);
            let office = office.clone();
            async move { w.send("POST", "/meetings", &[&office], Some(body), &[]).await }
        };

        // Bad input: each field named, nothing written.
        let bad = post(meeting("", "2026-02-30", "赵大海")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        strict_page(&bad);
        assert!(bad.body.contains("会议名称：") && bad.body.contains("日期："), "{}", bad.body);
        assert!(bad.body.contains("role=\"alert\""), "{}", bad.body);
        let unknown = post(meeting("第一季度代表座谈会", "2026-03-20", "赵大海、查无此人")).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(unknown.body.contains("邀请代表：名册上没有名叫“查无此人”的代表"), "{}", unknown.body);
        assert!(w.calendar().is_empty(), "nothing planned");

        let made = post(meeting("第一季度代表座谈会", "2026-03-20", "赵大海、钱晓岚（县，鼓楼区）")).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        assert!(at.starts_with("/meetings/"), "{at}");
        let page = w.get(&at, &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        assert!(
            page.body.contains("赵大海（县，鼓楼区）") && page.body.contains("钱晓岚（县，鼓楼区）"),
            "by name, level and region: {}",
            page.body
        );
        assert!(!page.body.contains("台江区"), "the namesake was not invited");
        let list = w.get("/meetings", &[&office]).await;
        assert!(
            list.body.contains(&format!(
                "<span class=\"tag\">待召开</span><a class=\"title\" href=\"{at}\">第一季度代表座谈会</a>"
            )),
            "{}",
            list.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // A visit through the form.
        let form_page = w.get("/visits/new", &[&office]).await;
        assert_eq!(form_page.status, StatusCode::OK, "{}", form_page.body);
        strict_page(&form_page);
        let visit = [
            ("csrf", csrf.as_str()),
            ("deputy", "赵大海"),
            ("on", "2026-03-05"),
            ("place", "work_unit"),
            ("staff", "联络室王芳、李明"),
            ("notes", "了解代表履职情况，听取对公益诉讼工作的意见。"),
            ("issue", ""),
            ("to", ""),
        ];
        let done = w.post("/visits", &[&office], &visit).await;
        assert_eq!(
            (done.status, done.location()),
            (StatusCode::SEE_OTHER, "/calendar?month=2026-03"),
            "{}",
            done.body
        );

        let cal = w.get("/calendar?month=2026-03", &[&office]).await;
        assert_eq!(cal.status, StatusCode::OK, "{}", cal.body);
        strict_page(&cal);
        let on_20 = day(&cal, "2026-03-20");
        assert!(
            on_20.contains(&format!("<a href=\"{at}\">第一季度代表座谈会</a>")) && on_20.contains("座谈会"),
            "{on_20}"
        );
        let on_5 = day(&cal, "2026-03-05");
        assert!(on_5.contains("走访赵大海代表") && on_5.contains("工作单位"), "{on_5}");
        assert!(!day(&cal, "2026-03-06").contains("走访"), "only on its day");
        assert!(day(&cal, "2026-03-06").contains("今天"), "today marked");
        assert!(day(&cal, "2026-02-23").contains("out"), "the grid starts on the Monday before 1 March");
        assert!(
            cal.body.contains("href=\"/calendar?month=2026-02\"")
                && cal.body.contains("href=\"/calendar?month=2026-04\"")
                && cal.body.contains("href=\"/calendar.ics?month=2026-03\""),
            "{}",
            cal.body
        );
        assert!(!has_uuid(&visible(&cal.body)), "{}", visible(&cal.body));
        let other = w.get("/calendar?month=2026-04", &[&office]).await;
        assert!(!other.body.contains("第一季度代表座谈会"), "{}", other.body);
        let wrong = w.get("/calendar?month=2026-3x", &[&office]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

        let ics = w.get("/calendar.ics?month=2026-03", &[&office]).await;
        assert_eq!(ics.status, StatusCode::OK);
        assert!(ics.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
        assert!(
            ics.body.contains("BEGIN:VCALENDAR") && ics.body.contains("第一季度代表座谈会"),
            "{}",
            ics.body
        );
    });
}

/// A visit names its deputy: an unknown name and a name several deputies share are refused, saying which,
/// and nothing is recorded; the name with its level and region is accepted.
#[test]
fn a_visit_for_an_unknown_or_shared_name_is_refused_clearly() {
    let mut w = W::new(Edge::default());
    w.deputies();
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let page = w.get("/visits/new", &[&office]).await;
        let csrf = page.field("csrf");
        let visit = |name: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("deputy", name.to_owned()),
                ("on", "2026-03-05".to_owned()),
                ("place", "home".to_owned()),
                ("staff", "联络室王芳".to_owned()),
                ("notes", "了解代表的工作和生活情况。".to_owned()),
            ]
        };
        let send = |f: Vec<(&'static str, String)>| {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = form(&f);
            let office = office.clone();
            async move { w.send("POST", "/visits", &[&office], Some(body), &[]).await }
        };
        let unknown = send(visit("孙悟空")).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        strict_page(&unknown);
        assert!(
            unknown.text_of("error-message").contains("名册上没有名叫“孙悟空”的代表"),
            "{}",
            unknown.body
        );
        assert!(unknown.body.contains("value=\"孙悟空\""), "the form keeps what was typed");
        assert!(unknown.body.contains("aria-invalid=\"true\""), "{}", unknown.body);

        let shared = send(visit("钱晓岚")).await;
        assert_eq!(shared.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", shared.body);
        let msg = shared.text_of("error-message");
        assert!(
            msg.contains("名册上有 2 位名叫“钱晓岚”的代表")
                && msg.contains("钱晓岚（县，鼓楼区）")
                && msg.contains("钱晓岚（乡，台江区）"),
            "{msg}"
        );
        assert!(w.calendar().is_empty(), "nothing recorded");

        // A future day is the use case's refusal, named too.
        let mut future = visit("钱晓岚（乡，台江区）");
        future[2].1 = "2026-04-01".into();
        let later = send(future).await;
        assert_eq!(later.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", later.body);
        assert!(later.body.contains("走访须在发生后记录"), "{}", later.body);
        assert!(w.calendar().is_empty(), "nothing recorded");

        let ok = send(visit("钱晓岚（乡，台江区）")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let cal = w.calendar();
        assert_eq!(cal.len(), 1);
        assert_eq!(cal[0].title, "走访钱晓岚代表");
    });
}

/// Holding a meeting from a page drawn before someone else changed it is refused (nothing changes); from
/// the current page the attendance is recorded by name.
#[test]
fn an_action_on_a_meeting_with_a_stale_version_is_refused() {
    let mut w = W::new(Edge::default());
    let [a, namesake, zhao] = w.deputies();
    let m = w.meeting("三月代表座谈会", "2026-03-06", std::slice::from_ref(&a));
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let at = format!("/meetings/{}", m.id);
        let page = w.get(&at, &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("记为已召开") && page.body.contains("取消这次会议"), "{}", page.body);
        let (csrf, v) = (page.field("csrf"), page.field("version"));
        // Someone else invites 赵大海 meanwhile.
        let invite = MeetingAction::Invite { deputies: vec![zhao.clone()] };
        w.app.meeting_action(&w.office, &m.id.to_string(), Some(m.version), invite).await.unwrap();
        let hold = [
            ("csrf", csrf.as_str()),
            ("action", "hold"),
            ("version", v.as_str()),
            ("attended", a.as_str()),
            ("minutes", "通报了一季度检察工作。"),
        ];
        let stale = w.post(&at, &[&office], &hold).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        strict_page(&stale);
        assert!(stale.text_of("error-message").contains("刚被其他人修改过"), "{}", stale.body);
        assert!(stale.body.contains("赵大海（县，鼓楼区）"), "the current page: {}", stale.body);
        assert_eq!(w.app.meeting(&w.office, &m.id.to_string()).unwrap().status.code(), "planned");

        // A deputy who was not invited (a forged form): refused, named without an id.
        let v = stale.field("version");
        let forged = [
            ("csrf", csrf.as_str()),
            ("action", "hold"),
            ("version", v.as_str()),
            ("attended", namesake.as_str()),
            ("minutes", "通报了一季度检察工作。"),
        ];
        let refused = w.post(&at, &[&office], &forged).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        let msg = refused.text_of("error-message");
        assert!(msg.contains("未受邀参加或未出席") && !has_uuid(&msg), "{msg}");

        let hold = [
            ("csrf", csrf.as_str()),
            ("action", "hold"),
            ("version", v.as_str()),
            ("attended", a.as_str()),
            ("minutes", "通报了一季度检察工作。"),
        ];
        let ok = w.post(&at, &[&office], &hold).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, at.as_str()), "{}", ok.body);
        let held = w.get(&at, &[&office]).await;
        assert!(
            held.body.contains("已召开") && held.body.contains("通报了一季度检察工作。"),
            "{}",
            held.body
        );
        let b = &held.body;
        let qian = &b[b.find("钱晓岚（县，鼓楼区）").unwrap()..];
        assert!(qian[..qian.find("</li>").unwrap()].contains("出席"), "{qian}");
        let zhao_li = &b[b.find("赵大海（县，鼓楼区）").unwrap()..];
        assert!(zhao_li[..zhao_li.find("</li>").unwrap()].contains("未出席"), "{zhao_li}");
        assert!(held.body.contains("登记代表意见") && !held.body.contains("取消这次会议"), "{}", held.body);
        // An opinion of an attending deputy, filed as a suggestion.
        let v = held.field("version");
        let opinion = [
            ("csrf", csrf.as_str()),
            ("action", "opinion"),
            ("version", v.as_str()),
            ("deputy", a.as_str()),
            ("text", "建议在乡镇设立检察联络点。"),
            ("to", "suggestion"),
        ];
        let ok = w.post(&at, &[&office], &opinion).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let held = w.get(&at, &[&office]).await;
        let b = &held.body;
        let o = &b[b.find("代表意见").unwrap()..];
        assert!(
            o.contains("钱晓岚（县，鼓楼区）")
                && o.contains("建议在乡镇设立检察联络点。")
                && o.contains("已转为代表建议"),
            "{o}"
        );
        assert!(!has_uuid(&visible(b)), "{}", visible(b));
        // Cancelling a held meeting is the core's refusal, said on the page.
        let v = held.field("version");
        let cancel =
            [("csrf", csrf.as_str()), ("action", "cancel"), ("version", v.as_str()), ("reason", "改期")];
        let refused = w.post(&at, &[&office], &cancel).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.text_of("error-message").contains("不能执行此操作"), "{}", refused.body);
    });
}

/// The plan page: set through the form (bad numbers named), each target's bar with its numbers in text,
/// the progress from what was held, and a leader's adoption.
#[test]
fn the_plan_page_shows_each_target_with_its_progress_numbers() {
    let mut w = W::new(Edge::default());
    let [a, _, _] = w.deputies();
    user(&w.app, "leader1", "张院长", "leader", None);
    let m = w.meeting("三月代表座谈会", "2026-03-06", std::slice::from_ref(&a));
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let empty = w.get("/plan?period=2026", &[&office]).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        strict_page(&empty);
        assert!(empty.body.contains("2026 年还没有制定联络工作计划") && empty.body.contains("制定计划"));
        let csrf = empty.field("csrf");
        let set = |meetings: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("action", "set".into()),
                ("period", "2026".into()),
                ("version", "0".into()),
                ("meetings", meetings.into()),
                ("reached_percent", "50".into()),
                ("notices", "2".into()),
                ("activities", "0".into()),
                ("notes", "每季度召开一次代表座谈会。".into()),
            ]
        };
        let send = |f: Vec<(&'static str, String)>| {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = form(&f);
            let office = office.clone();
            async move { w.send("POST", "/plan", &[&office], Some(body), &[]).await }
        };
        let bad = send(set("两次")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("座谈会次数："), "{}", bad.body);
        assert!(w.app.plan(&w.office, "2026").is_err(), "nothing set");
        let ok = send(set("2")).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/plan?period=2026"), "{}", ok.body);

        // One of the two meetings held, one of the three deputies in office reached.
        let hold = MeetingAction::Hold { attended: vec![a.clone()], minutes: "通报工作。".into() };
        w.app.meeting_action(&w.office, &m.id.to_string(), Some(m.version), hold).await.unwrap();
        let page = w.get("/plan?period=2026", &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        let b = &page.body;
        assert!(b.contains("<progress id=\"bar-meetings\" max=\"2\" value=\"1\">"), "{b}");
        assert!(b.contains("计划 <strong>2</strong> 次 · 已完成 <strong>1</strong> 次 · 完成 50%"), "{b}");
        assert!(
            b.contains(
                "<label for=\"bar-meetings\">召开座谈会</label><span class=\"plan-state\">未完成</span>"
            ),
            "{b}"
        );
        let deputies = w.app.plan(&w.office, "2026").unwrap().achieved.deputies;
        assert!(b.contains(&format!("已走访或会见 1 名，在任代表 {deputies} 名")), "{b}");
        let pct = 100 / deputies;
        assert!(
            b.contains(&format!(
                "目标 <strong>50%</strong> · 现为 <strong>{pct}%</strong> · 还差 {} 个百分点",
                50 - pct
            )),
            "{b}"
        );
        assert!(
            b.contains("<progress id=\"bar-activities\" max=\"1\" value=\"0\">") && b.contains("未设目标"),
            "{b}"
        );
        assert!(b.contains("草案") && b.contains("每季度召开一次代表座谈会。"), "{b}");
        assert!(!b.contains("通过计划"), "the office does not adopt");

        // The leader adopts; the targets can no longer be changed.
        let (leader, _, _) = w.first_login_as("leader1").await;
        let lp = w.get("/plan?period=2026", &[&leader]).await;
        assert!(lp.body.contains("通过计划") && !lp.body.contains("保存计划"), "{}", lp.body);
        let (lcsrf, v) = (lp.field("csrf"), lp.field("version"));
        let adopt =
            [("csrf", lcsrf.as_str()), ("action", "adopt"), ("period", "2026"), ("version", v.as_str())];
        let done = w.post("/plan", &[&leader], &adopt).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = w.get("/plan?period=2026", &[&office]).await;
        assert!(
            page.body.contains("已通过") && page.body.contains("张院长 于 2026年3月6日 通过"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("保存计划"), "{}", page.body);
    });
}

/// Every POST of these pages needs the session's token; a role without the permission is refused and
/// nothing is written; a role that may not read the liaison records does not see the calendar.
#[test]
fn posts_need_the_token_and_roles_without_the_permission_are_refused() {
    let mut w = W::new(Edge::default());
    let [a, _, _] = w.deputies();
    let m = w.meeting("三月代表座谈会", "2026-03-20", std::slice::from_ref(&a));
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let v = m.version.to_string();
        let at = format!("/meetings/{}", m.id);
        for (path, fields) in [
            (
                "/meetings",
                vec![("title", "会"), ("on", "2026-03-20"), ("place", "会议室"), ("agenda", "议程")],
            ),
            (at.as_str(), vec![("action", "cancel"), ("version", v.as_str()), ("reason", "改期")]),
            (
                "/visits",
                vec![
                    ("deputy", "赵大海"),
                    ("on", "2026-03-05"),
                    ("place", "home"),
                    ("staff", "王芳"),
                    ("notes", "走访"),
                ],
            ),
            ("/plan", vec![("action", "set"), ("period", "2026"), ("meetings", "1")]),
        ] {
            let r = w.post(path, &[&office], &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
            assert!(r.body.contains("请求被拒绝"), "{path}");
            let mut with_wrong = fields.clone();
            let wrong = "ab".repeat(32);
            with_wrong.push(("csrf", wrong.as_str()));
            assert_eq!(w.post(path, &[&office], &with_wrong).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(w.calendar().len(), 1, "only the meeting planned before");
        assert_eq!(w.app.meeting(&w.office, &m.id.to_string()).unwrap().status.code(), "planned");

        // A department's handler reads the calendar but plans nothing and records no visit.
        let (dept, _, _) = w.first_login_as("dept1").await;
        let cal = w.get("/calendar?month=2026-03", &[&dept]).await;
        assert_eq!(cal.status, StatusCode::OK, "{}", cal.body);
        assert!(cal.body.contains("三月代表座谈会") && !cal.body.contains("登记走访"), "{}", cal.body);
        let list = w.get("/meetings", &[&dept]).await;
        assert!(!list.body.contains("安排座谈会"), "no form for it");
        let csrf = list.field("csrf");
        let plan = [
            ("csrf", csrf.as_str()),
            ("title", "部门自行安排的座谈会"),
            ("on", "2026-03-25"),
            ("place", "会议室"),
            ("agenda", "案件：通报案件情况"),
        ];
        let refused = w.post("/meetings", &[&dept], &plan).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.text_of("error-message").contains("您的角色不能进行此操作"), "{}", refused.body);
        let page = w.get(&at, &[&dept]).await;
        assert!(page.status == StatusCode::OK && !page.body.contains("取消这次会议"), "{}", page.body);
        let cancel =
            [("csrf", csrf.as_str()), ("action", "cancel"), ("version", v.as_str()), ("reason", "改期")];
        let refused = w.post(&at, &[&dept], &cancel).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let visit = [
            ("csrf", csrf.as_str()),
            ("deputy", "赵大海"),
            ("on", "2026-03-05"),
            ("place", "home"),
            ("staff", "李明"),
            ("notes", "走访"),
        ];
        let refused = w.post("/visits", &[&dept], &visit).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let set = [
            ("csrf", csrf.as_str()),
            ("action", "set"),
            ("period", "2026"),
            ("meetings", "1"),
            ("reached_percent", "1"),
            ("notices", "1"),
            ("activities", "1"),
        ];
        assert_eq!(w.post("/plan", &[&dept], &set).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.get("/visits/new", &[&dept]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.calendar().len(), 1, "nothing written");
        assert!(w.app.plan(&w.office, "2026").is_err());
        assert_eq!(w.app.meeting(&w.office, &m.id.to_string()).unwrap().status.code(), "planned");

        // The security administrator reads no liaison records.
        let (sec, _, _) = w.first_login_as("sec").await;
        let none = w.get("/calendar", &[&sec]).await;
        assert_eq!(none.status, StatusCode::FORBIDDEN, "{}", none.body);
        assert_eq!(w.get("/plan", &[&sec]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.get(&at, &[&sec]).await.status, StatusCode::FORBIDDEN);
    });
}

/// A leader's 我的待办 shows the regions they answer for (包片) with this year's reach: who is not yet
/// visited, by name; a visit moves the deputy to reached. Another leader sees no region that is not theirs.
#[test]
fn a_leader_sees_the_reach_of_their_regions_on_my_work() {
    let w = W::new(Edge::default());
    user(&w.app, "leader1", "院领导张华", "leader", None);
    user(&w.app, "leader2", "院领导刘强", "leader", None);
    rt().block_on(async {
        let all = w.app.deputies(&w.office, &liaison_app::DeputyFilter::default(), None, 100).unwrap().items;
        let region = all[0].region.clone();
        let in_region: Vec<_> = all.iter().filter(|d| d.region == region).collect();
        for input in [
            OrgInput::AddRegion { name: region.clone() },
            OrgInput::AddLeader { name: "院领导张华".into(), title: Some("副检察长".into()) },
            OrgInput::AddLeader { name: "院领导刘强".into(), title: None },
            OrgInput::SetRegionLeader { region: region.clone(), leader: Some("院领导张华".into()) },
        ] {
            w.app.change_organisation(&w.office, input, None, None).await.unwrap();
        }
        let lc = w.first_login_as("leader1").await.0;
        let page = w.get("/", &[&lc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        let table = visible(&page.body[page.body.find("id=\"regions\"").expect("the regions")..]);
        let row = format!("{region}{} 位0 位", in_region.len());
        assert!(table.contains(&row), "{row}: {table}");
        assert!(table.contains(&format!("{}（", all[0].name)), "{table}");

        let visit = liaison_app::VisitInput {
            deputy: all[0].id.to_string(),
            on: "2026-03-05".into(),
            place: "work_unit".into(),
            staff: vec!["联络室王芳".into()],
            notes: "走访".into(),
            issues: vec![],
        };
        w.app.record_visit(&w.office, &visit).await.unwrap();
        let page = w.get("/", &[&lc]).await;
        let table = visible(&page.body[page.body.find("id=\"regions\"").unwrap()..]);
        let row = format!("{region}{} 位1 位", in_region.len());
        assert!(table.contains(&row), "{row}: {table}");
        assert!(!table.contains(&format!("{}（", all[0].name)), "the visited deputy is reached: {table}");
        assert!(!has_uuid(&visible(&page.body)));

        let other = w.first_login_as("leader2").await.0;
        let page = w.get("/", &[&other]).await;
        assert!(!page.body.contains("id=\"regions\""), "not their region: {}", page.body);
    });
}
