//! 约见热线 on the pages: a hotline call filed as a suggestion at once and another routed to an appointment,
//! the appointment recorded from the call's link, acknowledged, scheduled (a clash refused with its
//! reason), held with its record; bad input refused with the field named and nothing written; cards
//! issued, printed and revoked; services and solicitations; the roles.

use liaison_app::OrgInput;
use liaison_core::appointment::AppointmentStatus;

use super::*;

impl W {
    /// The chief procurator 张明 and the liaison officer 陈静 in the organisation; 林小红 (township,
    /// 鼓楼区) and 郑国强 (county, 台江区) on the register.
    fn channels_setup(&mut self) -> [String; 2] {
        let (app, office) = (&self.app, &self.office);
        for input in [
            OrgInput::AddLeader { name: "张明".into(), title: Some("检察长".into()) },
            OrgInput::AddOfficer { name: "陈静".into(), department: None, regions: vec![] },
        ] {
            rt().block_on(app.change_organisation(office, input, None, None)).unwrap();
        }
        let add = |i| rt().block_on(app.register_deputy(office, i, None, None)).unwrap().id.to_string();
        let ids = [
            add(input("林小红", "乡", "鼓楼区", "13800001111")),
            add(input("郑国强", "县", "台江区", "13800002222")),
        ];
        self.ids.extend(ids.iter().cloned());
        ids
    }
}

/// May: a township deputy asks, through the hotline, to meet the chief procurator; acknowledged, met.
#[test]
fn a_hotline_call_becomes_an_appointment_acknowledged_scheduled_and_held() {
    let mut w = W::new(Edge::default());
    w.channels_setup();
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let home = w.get("/", &[&office]).await;
        assert!(home.body.contains("<a href=\"/appointments\">约见热线</a>"), "{}", home.body);
        let hot = w.get("/hotline", &[&office]).await;
        assert_eq!(hot.status, StatusCode::OK, "{}", hot.body);
        strict_page(&hot);
        let csrf = hot.field("csrf");

        // A call filed as a suggestion at once.
        let filed = w
            .post(
                "/hotline",
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("q", "林小红"),
                    ("topic", "建议在乡镇设立检察联络站，方便群众反映问题。"),
                    ("route", "suggestion"),
                ],
            )
            .await;
        assert_eq!((filed.status, filed.location()), (StatusCode::SEE_OTHER, "/hotline"), "{}", filed.body);
        let calls = w.app.calls(&w.office).unwrap();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].caller.as_str(), "林小红", "the deputy is the caller");
        assert!(calls[0].reference.as_deref().unwrap().starts_with("suggestion:"));
        let log = w.get("/hotline", &[&office]).await;
        assert!(
            log.body.contains("<a href=\"/suggestions/2026-0002\">已登记为建议 2026-0002</a>")
                && log.body.contains("林小红（乡级代表）"),
            "{}",
            log.body
        );
        let sug = w.app.suggestion(&w.office, "2026-0002").unwrap().suggestion;
        assert_eq!(sug.proposers[0].name.as_str(), "林小红");

        // Bad input: no topic, an unknown name; nothing written.
        let bad = w
            .post(
                "/hotline",
                &[&office],
                &[("csrf", &csrf), ("q", "林小白"), ("topic", "x"), ("route", "other")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("代表：名册上没有"), "{}", bad.body);
        let bad =
            w.post("/hotline", &[&office], &[("csrf", &csrf), ("q", "林小红"), ("route", "other")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("来电内容："), "{}", bad.body);
        assert!(bad.body.contains("value=\"林小红\""), "the form keeps what was typed");
        assert_eq!(w.app.calls(&w.office).unwrap().len(), 1, "nothing written");

        // A call asking to meet the chief procurator: the log links to the appointment form, filled.
        let asked = w
            .post(
                "/hotline",
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("q", "林小红"),
                    ("topic", "当面反映辖区企业的诉求"),
                    ("route", "appointment"),
                ],
            )
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        let log = w.get("/hotline", &[&office]).await;
        let at = log.body.find("据此登记约见请求").unwrap();
        let href = &log.body[log.body[..at].rfind("href=\"").unwrap() + 6..at - 2];
        let href = href.replace("&#38;", "&");
        assert!(
            !href.contains("%E6%9E%97") && !href.contains("林小红") && href.contains("call="),
            "by the call's id: {href}"
        );
        let form = w.get(href.split('#').next().unwrap(), &[&office]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(
            form.body.contains("value=\"林小红\"")
                && form.body.contains(">当面反映辖区企业的诉求</textarea>"),
            "{}",
            form.body
        );
        strict_page(&form);
        let chief = w
            .app
            .organisation(&w.office)
            .unwrap()
            .leaders
            .into_iter()
            .find(|l| l.name == "张明")
            .unwrap()
            .id
            .to_string();
        assert!(form.body.contains(&format!("<option value=\"{chief}\">检察长张明（院领导）</option>")));

        // Bad input: no official; nothing written.
        let mut req = vec![
            ("csrf", csrf.as_str()),
            ("q", "林小红"),
            ("official", ""),
            ("channel", "hotline"),
            ("topic", "当面反映辖区企业的诉求"),
        ];
        let bad = w.post("/appointments", &[&office], &req).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").contains("接待领导"), "{}", bad.body);
        assert!(w.app.appointments(&w.office, None).unwrap().is_empty(), "nothing written");

        req[2] = ("official", &chief);
        let made = w.post("/appointments", &[&office], &req).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let id = at.trim_start_matches("/appointments/").to_owned();
        let page = w.get(&at, &[&office]).await;
        strict_page(&page);
        assert!(
            page.body.contains("林小红（乡级代表） 约见 检察长张明")
                && page.body.contains("2026年3月10日")
                && page.body.contains("2026年3月20日")
                && page.body.contains("<span class=\"light amber\">临期</span>答复期限 2026年3月10日"),
            "{}",
            page.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));
        // 我的待办 links to it.
        let home = w.get("/?kind=appointment", &[&office]).await;
        assert!(home.body.contains(&format!("<a class=\"title\" href=\"{at}\">")), "{}", home.body);

        // Acknowledged the next step.
        let v = page.field("version");
        let ack =
            w.post(&at, &[&office], &[("csrf", &csrf), ("action", "acknowledge"), ("version", &v)]).await;
        assert_eq!((ack.status, ack.location()), (StatusCode::SEE_OTHER, at.as_str()), "{}", ack.body);
        let a = w
            .app
            .appointments(&w.office, None)
            .unwrap()
            .into_iter()
            .find(|a| a.id.to_string() == id)
            .unwrap();
        assert_eq!(a.status, AppointmentStatus::Acknowledged);
        // A stale page is refused.
        let stale =
            w.post(&at, &[&office], &[("csrf", &csrf), ("action", "acknowledge"), ("version", &v)]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert!(stale.text_of("error-message").contains("刚被其他人修改过"), "{}", stale.body);

        // Another deputy's appointment with the chief at 9:30 today.
        let other = w
            .app
            .request_appointment(
                &w.office,
                &liaison_app::AppointmentInput {
                    deputy: w.ids[w.ids.len() - 1].clone(),
                    official: "检察长张明".into(),
                    channel: "initiative".into(),
                    topic: "走访座谈".into(),
                },
            )
            .await
            .unwrap();
        let sched = |from: &str| liaison_app::AppointmentAction::Schedule {
            from: from.into(),
            to: "2026-03-06 10:30".into(),
            place: "检察长办公室".into(),
            late_reason: None,
        };
        w.app
            .appointment_action(&w.office, &other.id.to_string(), None, sched("2026-03-06 09:30"))
            .await
            .unwrap();

        // Scheduled: a clash refused with its reason, nothing written; then at 9:10.
        let page = w.get(&at, &[&office]).await;
        let v = page.field("version");
        let mut plan = vec![
            ("csrf", csrf.as_str()),
            ("action", "schedule"),
            ("version", v.as_str()),
            ("from", "2026-03-06T10:00"),
            ("to", "2026-03-06T11:00"),
            ("place", "本院接待室"),
        ];
        let clash = w.post(&at, &[&office], &plan).await;
        assert_eq!(clash.status, StatusCode::CONFLICT, "{}", clash.body);
        assert!(clash.text_of("error-message").contains("已有约见安排"), "{}", clash.body);
        assert!(clash.body.contains("value=\"2026-03-06T10:00\""), "the form keeps what was typed");
        let bad = w.post(&at, &[&office], &[&plan[..5], &[("place", "")]].concat()).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("地点："), "{}", bad.body);
        plan[3] = ("from", "2026-03-06T09:10");
        plan[4] = ("to", "2026-03-06T09:30");
        let set = w.post(&at, &[&office], &plan).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.text_of("scheduled").starts_with("2026年3月6日 09:10—09:30 · 本院接待室"),
            "{}",
            page.body
        );

        // Held, with its record.
        w.wait(15 * 60);
        let v = page.field("version");
        let record = "检察长听取了林小红代表的意见，承诺一周内书面答复。";
        let held = w
            .post(
                &at,
                &[&office],
                &[("csrf", &csrf), ("action", "hold"), ("version", &v), ("record", record)],
            )
            .await;
        assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
        let a = w
            .app
            .appointments(&w.office, None)
            .unwrap()
            .into_iter()
            .find(|a| a.id.to_string() == id)
            .unwrap();
        assert_eq!(
            (a.status, a.record.as_ref().map(|r| r.as_str())),
            (AppointmentStatus::Held, Some(record))
        );
        let page = w.get(&at, &[&office]).await;
        assert!(page.text_of("record") == record && page.body.contains("已约见"), "{}", page.body);
        let list = w.get("/appointments", &[&office]).await;
        strict_page(&list);
        assert!(list.body.contains("待办 1 项") && list.body.contains("郑国强"), "{}", list.body);
        assert!(!has_uuid(&visible(&list.body)), "{}", visible(&list.body));
    });
}

/// A department reads the appointments but may not record one; an auditor may not open them.
#[test]
fn the_channels_refuse_roles_without_the_permission() {
    let mut w = W::new(Edge::default());
    w.channels_setup();
    user(&w.app, "aud1", "审计员赵", "auditor", None);
    let w = &w;
    rt().block_on(async {
        let (dept, _, _) = w.first_login_as("dept1").await;
        let list = w.get("/appointments", &[&dept]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(!list.body.contains("登记约见请求"), "no form for a department");
        let csrf = list.field("csrf");
        let no = w
            .post(
                "/appointments",
                &[&dept],
                &[
                    ("csrf", &csrf),
                    ("q", "林小红"),
                    ("official", "张明"),
                    ("channel", "card"),
                    ("topic", "约见"),
                ],
            )
            .await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
        assert!(no.text_of("error-message").contains("您的角色不能进行此操作"), "{}", no.body);
        assert!(w.app.appointments(&w.office, None).unwrap().is_empty());
        let (aud, _, _) = w.first_login_as("aud1").await;
        for path in ["/appointments", "/hotline", "/cards", "/services"] {
            let p = w.get(path, &[&aud]).await;
            assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}: {}", p.body);
            strict_page(&p);
        }
        let home = w.get("/", &[&aud]).await;
        assert!(!home.body.contains("约见热线"), "not in the auditor's menu");
    });
}

/// Cards: issued to a deputy picked by name, printable, a second one refused while the first is active,
/// revoked with its reason; a bad telephone refused naming the field.
#[test]
fn a_card_is_issued_printed_and_revoked() {
    let mut w = W::new(Edge::default());
    w.channels_setup();
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let page = w.get("/cards", &[&office]).await;
        strict_page(&page);
        let csrf = page.field("csrf");
        let officer = w.app.organisation(&w.office).unwrap().officers[0].id.to_string();
        let issue = |tel: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("q", "郑国强".into()),
                ("officer", officer.clone()),
                ("telephone", tel.into()),
            ]
        };
        let office = &office;
        let post = |f: Vec<(&'static str, String)>| async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            w.post("/cards", &[office], &f).await
        };
        let bad = post(issue("12345")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").contains("联系电话"), "{}", bad.body);
        assert!(w.app.cards(&w.office).unwrap().is_empty(), "nothing written");
        let ok = post(issue("0591-87654321")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let again = post(issue("0591-87654321")).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.text_of("error-message").contains("已持有有效联络卡 LK-2026-0001"), "{}", again.body);
        let page = w.get("/cards", &[office]).await;
        assert!(page.body.contains("LK-2026-0001 · 郑国强（县级代表）") && page.body.contains("联络员 陈静"));
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));
        let print = w.get("/cards/LK-2026-0001/print", &[office]).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(print.body.contains("人大代表联络卡") && print.body.contains("0591-87654321"));
        assert_eq!(print.headers[header::CACHE_CONTROL], "no-store");
        let v = page.field("version");
        let no_reason =
            w.post("/cards/LK-2026-0001/revoke", &[office], &[("csrf", &csrf), ("version", &v)]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
        assert!(no_reason.text_of("error-message").contains("理由"), "{}", no_reason.body);
        let revoked = w
            .post(
                "/cards/LK-2026-0001/revoke",
                &[office],
                &[("csrf", &csrf), ("version", &v), ("reason", "代表换届离任")],
            )
            .await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
        let card = w.app.cards(&w.office).unwrap().remove(0);
        assert_eq!(card.revoked.map(|r| r.1.to_string()), Some("代表换届离任".into()));
        assert!(w.get("/cards", &[office]).await.body.contains("注销：代表换届离任"));
    });
}

/// Services: opened, resolved; a solicitation sent to chosen deputies, a response filed as a suggestion.
#[test]
fn services_and_solicitations_run_through_the_page() {
    let mut w = W::new(Edge::default());
    w.channels_setup();
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let page = w.get("/services", &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        let csrf = page.field("csrf");
        let bad = w
            .post(
                "/services",
                &[&office],
                &[("csrf", &csrf), ("q", "林小红"), ("kind", "飞行"), ("description", "x")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("服务类型："), "{}", bad.body);
        assert!(w.app.services(&w.office, false).unwrap().is_empty());
        let open = [
            ("csrf", csrf.as_str()),
            ("q", "林小红"),
            ("kind", "practical_help"),
            ("description", "协调解决企业用工纠纷"),
        ];
        assert_eq!(w.post("/services", &[&office], &open).await.status, StatusCode::SEE_OTHER);
        let page = w.get("/services", &[&office]).await;
        let id = w.app.services(&w.office, false).unwrap()[0].id.to_string();
        let v = page.field("version");
        let done = w
            .post(
                &format!("/services/{id}"),
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("version", &v),
                    ("action", "resolve"),
                    ("text", "已协调劳动监察部门处理"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert!(w.app.services(&w.office, false).unwrap()[0].resolved.is_some());

        let send = [
            ("csrf", csrf.as_str()),
            ("title", "征求对检察工作报告的意见"),
            ("content", "请对本院年度工作报告提出意见建议。"),
            ("by_forum", "no"),
            ("scope", "chosen"),
            ("names", "林小红、郑国强"),
        ];
        assert_eq!(w.post("/solicitations", &[&office], &send).await.status, StatusCode::SEE_OTHER);
        let sol = w.app.solicitations(&w.office).unwrap().remove(0);
        assert_eq!(sol.recipients.len(), 2);
        let page = w.get("/services", &[&office]).await;
        assert!(page.body.contains("征求 2 位代表"), "{}", page.body);
        let at = format!("/solicitations/{}", sol.id);
        let v = sol.version.to_string();
        let answer = [
            ("csrf", csrf.as_str()),
            ("version", v.as_str()),
            ("q", "郑国强"),
            ("text", "建议加强公益诉讼宣传。"),
            ("as_suggestion", "yes"),
        ];
        let r = w.post(&at, &[&office], &answer).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let sol = w.app.solicitations(&w.office).unwrap().remove(0);
        assert!(sol.responses[0].2.as_deref().unwrap().starts_with("suggestion:"));
        let page = w.get("/services", &[&office]).await;
        assert!(page.body.contains("郑国强（县，台江区）：建议加强公益诉讼宣传。"), "{}", page.body);
        assert!(page.body.contains("已登记为建议"));
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));
    });
}
