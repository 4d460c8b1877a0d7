//! 视察整改 on the pages (R5, C4, P1.3): September — the standing committee's inspection planned through
//! the form (bad input refused, nothing written), held, scored, opinions recorded, six rectification items
//! with owners and deadlines (on 我的待办, linked), each done with its result, then the report back; the
//! session's deliberation with one opinion filed as a suggestion and one made a measure, the deputy told
//! once the measure is done, the session not closed while an opinion is outstanding; improvement measures
//! by traffic light, opened from an opinion, followed to the report back, a department within its own; and
//! the refusals (a department, the security administrator).

use liaison_app::OrgInput;
use liaison_core::inspection::InspectionStatus;
use liaison_core::suggestion::MeasureStatus;

use super::*;

impl W {
    /// Two deputies for the inspection and the deliberation, and a second department.
    fn congress(&mut self) -> Vec<String> {
        rt().block_on(self.app.change_organisation(
            &self.office,
            OrgInput::AddDepartment { name: "第二检察部".into() },
            None,
            None,
        ))
        .unwrap();
        let mut ids = Vec::new();
        for (name, mobile) in [("王建国", "13900002001"), ("李秀英", "13900002002")] {
            let d = rt()
                .block_on(self.app.register_deputy(
                    &self.office,
                    super::input(name, "市", "鼓楼区", mobile),
                    None,
                    None,
                ))
                .unwrap();
            ids.push(d.id.to_string());
        }
        self.ids.extend(ids.iter().cloned());
        ids
    }
}

#[test]
fn an_inspection_is_planned_held_scored_and_its_six_rectification_items_done_and_reported() {
    let mut w = W::new(Edge::default());
    let deputies = w.congress();
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let list = w.get("/inspections", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(
            list.body.contains("2026 年还没有视察或评议") && list.body.contains("aria-current=\"page\">视察整改</a>"),
            "{}",
            list.body
        );
        let csrf = list.field("csrf");
        let plan = |to: &'static str, participants: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("kind", "inspection".to_owned()),
                ("title", "市人大常委会视察市检察院公益诉讼工作".to_owned()),
                ("organiser_ref", "榕人常〔2026〕15号".to_owned()),
                ("from", "2026-03-06".to_owned()),
                ("to", to.to_owned()),
                ("participants", participants.to_owned()),
                ("materials", "公益诉讼工作报告\n典型案例汇编".to_owned()),
                ("items", "公益诉讼\n未成年人检察".to_owned()),
            ]
        };
        let post = |fields: Vec<(&'static str, String)>, at: String| {
            let (w, office) = (&w, office.clone());
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.post(&at, &[&office], &f).await
            }
        };

        // Bad input: the form again with the reason, nothing written.
        let backwards = post(plan("2026-03-01", "王建国、李秀英"), "/inspections".into()).await;
        assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", backwards.body);
        assert!(backwards.text_of("error-message").contains("结束日期早于开始日期"), "{}", backwards.body);
        assert!(backwards.body.contains("典型案例汇编</textarea>"), "the form keeps what was typed");
        let unknown = post(plan("2026-03-06", "王建国、不存在"), "/inspections".into()).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(unknown.text_of("error-message").starts_with("参加的代表：名册上没有名叫“不存在”的代表"), "{}", unknown.body);
        strict_page(&unknown);
        assert!(w.app.inspections(&w.office).unwrap().is_empty(), "nothing written");

        let made = post(plan("2026-03-06", "王建国、李秀英"), "/inspections".into()).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let id = at.trim_start_matches("/inspections/").to_owned();
        let step = |action: &'static str, more: Vec<(&'static str, String)>| {
            let (w, at, office, csrf) = (&w, at.clone(), office.clone(), csrf.clone());
            async move {
                let v = w.get(&at, &[&office]).await.field("version");
                let mut f = vec![("csrf", csrf), ("action", action.to_owned()), ("version", v)];
                f.extend(more);
                let g: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.post(&at, &[&office], &g).await
            }
        };
        let page = w.get(&at, &[&office]).await;
        strict_page(&page);
        assert!(
            page.body.contains("参加的代表：王建国（市级）、李秀英（市级）") && page.body.contains("记为已进行"),
            "{}",
            page.body
        );
        assert_eq!(step("hold", vec![]).await.status, StatusCode::SEE_OTHER);

        // Scores and opinions.
        let bad = step("score", vec![("deputy", deputies[0].clone()), ("item", "0".into()), ("score", "优".into())]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.text_of("error-message"), "评分：请填写 0 到 100 之间的整数。");
        for (d, item, score) in [(0, "0", "90"), (0, "1", "80"), (1, "0", "70")] {
            let r = step("score", vec![("deputy", deputies[d].clone()), ("item", item.into()), ("score", score.into())]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let r = step("opinion", vec![("deputy", deputies[1].clone()), ("text", "公益诉讼线索来源单一，建议拓宽。".into())]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains("评分（总平均 80.0 分）")
                && page.body.contains("<th scope=\"row\">公益诉讼</th><td>80.0</td><td>2</td>")
                && page.body.contains("<th scope=\"row\">王建国（市级）</th><td>85.0</td><td>2</td>")
                && page.body.contains("李秀英（市级）<div class=\"text\">公益诉讼线索来源单一，建议拓宽。</div>"),
            "{}",
            page.body
        );

        // Six rectification items with owners and deadlines; a past deadline and a missing owner refused.
        let past = step("rectify", vec![("title", "拓宽线索来源".into()), ("owner", "第一检察部".into()), ("deadline", "2026-01-01".into())]).await;
        assert!(past.status.is_client_error(), "{}", past.body);
        assert!(past.text_of("error-message").contains("整改期限"), "{}", past.body);
        let no_owner = step("rectify", vec![("title", "拓宽线索来源".into()), ("owner", "".into()), ("deadline", "2026-09-30".into())]).await;
        assert!(no_owner.status.is_client_error(), "{}", no_owner.body);
        assert!(no_owner.text_of("error-message").contains("部门"), "{}", no_owner.body);
        assert!(w.app.inspection(&w.office, &id).unwrap().inspection.rectifications.is_empty(), "nothing added");
        let items = [
            ("拓宽公益诉讼线索来源", "第一检察部", "2026-04-30"),
            ("建立行政机关联席会议机制", "第二检察部", "2026-05-31"),
            ("公开典型案例", "第一检察部", "2026-06-30"),
            ("提高诉前检察建议回复率", "第二检察部", "2026-07-31"),
            ("加强未成年人检察社会支持体系", "第一检察部", "2026-08-31"),
            ("完善听证员库", "第二检察部", "2026-09-30"),
        ];
        for (title, owner, deadline) in items {
            let r = step("rectify", vec![("title", title.into()), ("owner", owner.into()), ("deadline", deadline.into())]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("整改事项（6 项，未完成 6 项）"), "{}", page.body);
        assert!(
            page.body.contains("2. 建立行政机关联席会议机制")
                && page.body.contains("责任部门：第二检察部 · 期限：2026年5月31日（还有 86 天）"),
            "{}",
            page.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // On 我的待办, linked to the inspection.
        let home = w.get("/?kind=inspection", &[&office]).await;
        assert!(
            home.body.contains(&format!("<a class=\"title\" href=\"{at}\">市人大常委会视察市检察院公益诉讼工作：拓宽公益诉讼线索来源</a>")),
            "{}",
            home.body
        );

        // The report waits for every item; each is done with its result; then the report back.
        let early = step("report", vec![("text", "整改情况报告".into())]).await;
        assert!(early.status.is_client_error(), "{}", early.body);
        assert!(early.text_of("error-message").contains("还有 6 项整改未完成"), "{}", early.body);
        for n in 1..=6 {
            let r = step("done", vec![("n", n.to_string()), ("result", format!("第 {n} 项已落实。"))]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("2026年3月6日 完成：第 6 项已落实。") && page.body.contains("向人大常委会报告"), "{}", page.body);
        let r = step("report", vec![("text", "六项整改全部完成，书面报告市人大常委会。".into())]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let v = w.app.inspection(&w.office, &id).unwrap().inspection;
        assert_eq!(v.status, InspectionStatus::Reported);
        assert_eq!(v.rectifications.len(), 6);
        assert!(v.rectifications.iter().all(|r| r.done.is_some()));
        assert_eq!(v.report.map(|r| r.1.to_string()), Some("六项整改全部完成，书面报告市人大常委会。".to_owned()));
        let list = w.get("/inspections", &[&office]).await;
        assert!(list.body.contains("整改 6 项，全部完成") && list.body.contains(">已向人大报告</span>"), "{}", list.body);
    });
}

#[test]
fn a_sessions_opinions_become_a_suggestion_and_a_measure_and_the_deputy_is_told() {
    let mut w = W::new(Edge::default());
    w.congress();
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let list = w.get("/deliberations", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        let csrf = list.field("csrf");
        let bad = w.post("/deliberations", &[&office], &[("csrf", &csrf), ("session", ""), ("opens_on", "2026-02-30")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let msg = bad.text_of("error-message");
        assert!(msg.contains("会议：") && msg.contains("开幕日期："), "{msg}");
        assert!(w.app.deliberations(&w.office).unwrap().is_empty(), "nothing written");
        let made = w
            .post("/deliberations", &[&office], &[("csrf", &csrf), ("session", "市第十六届人民代表大会第五次会议"), ("opens_on", "2026-03-05")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let id = at.trim_start_matches("/deliberations/").to_owned();
        let step = |fields: Vec<(&'static str, String)>| {
            let (w, at, office, csrf) = (&w, at.clone(), office.clone(), csrf.clone());
            async move {
                let v = w.get(&at, &[&office]).await.field("version");
                let mut f = vec![("csrf", csrf), ("version", v)];
                f.extend(fields);
                let g: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.post(&at, &[&office], &g).await
            }
        };
        let s = |x: &str| x.to_owned();

        let r = step(vec![("action", s("attend")), ("group", s("鼓楼代表团")), ("on", s("2026-03-06")), ("staff", s("副检察长李明、联络室王芳"))]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let unknown = step(vec![("action", s("opinion")), ("group", s("鼓楼代表团")), ("deputy", s("不存在")), ("text", s("意见"))]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(unknown.text_of("error-message").starts_with("代表："), "{}", unknown.body);
        let elsewhere = step(vec![("action", s("opinion")), ("group", s("台江代表团")), ("deputy", s("王建国")), ("text", s("意见"))]).await;
        assert!(elsewhere.status.is_client_error(), "{}", elsewhere.body);
        assert!(elsewhere.text_of("error-message").contains("尚无列席“台江代表团”审议的记录"), "{}", elsewhere.body);
        for (who, text) in [("王建国", "建议加强对民营企业的平等保护。"), ("李秀英", "检察院门户网站信息更新不及时。")] {
            let r = step(vec![("action", s("opinion")), ("group", s("鼓楼代表团")), ("deputy", s(who)), ("text", s(text))]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }

        // Opinion 1 filed as a suggestion; opinion 2 made a measure (its owner required).
        let r = step(vec![("action", s("route")), ("n", s("1")), ("to", s("suggestion"))]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let no_owner = step(vec![("action", s("route")), ("n", s("2")), ("to", s("measure")), ("deadline", s("2026-06-30"))]).await;
        assert!(no_owner.status.is_client_error(), "{}", no_owner.body);
        assert!(no_owner.text_of("error-message").contains("部门"), "{}", no_owner.body);
        let r = step(vec![
            ("action", s("route")),
            ("n", s("2")),
            ("to", s("measure")),
            ("title", s("门户网站信息及时更新")),
            ("owner", s("第二检察部")),
            ("deadline", s("2026-06-30")),
        ])
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let d = w.app.deliberation(&w.office, &id).unwrap().deliberation;
        let Some(liaison_core::deliberation::Route::Measure { id: mid }) = d.opinions[1].route.clone() else { panic!("{d:?}") };
        let Some(liaison_core::deliberation::Route::Suggestion { number: Some(number), .. }) = d.opinions[0].route.clone() else {
            panic!("{d:?}")
        };
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains(&format!("<a href=\"/suggestions/{number}\">代表建议 {number}（"))
                && page.body.contains(&format!("<a href=\"/measures/{mid}\">整改措施“门户网站信息及时更新”（第二检察部，整改中，期限 2026年6月30日）</a>")),
            "{}",
            page.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // The deputy is told once the measure is done, not before.
        let early = step(vec![("action", s("tell")), ("n", s("2")), ("text", s("已整改"))]).await;
        assert!(early.status.is_client_error(), "{}", early.body);
        assert!(early.text_of("error-message").contains("尚无结果"), "{}", early.body);
        let mat = format!("/measures/{mid}");
        let mv = w.get(&mat, &[&office]).await.field("version");
        let done = w.post(&mat, &[&office], &[("csrf", &csrf), ("action", "complete"), ("version", &mv), ("text", "已建立信息更新责任制。")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let r = step(vec![("action", s("tell")), ("n", s("2")), ("text", s("门户网站已建立信息更新责任制，每周更新。"))]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The session stays open while opinion 1 has not reached its deputy.
        let close = step(vec![("action", s("close"))]).await;
        assert!(close.status.is_client_error(), "{}", close.body);
        assert!(close.text_of("error-message").contains("还有 1 条审议意见未向代表反馈"), "{}", close.body);
        let d = w.app.deliberation(&w.office, &id).unwrap().deliberation;
        assert!(d.closed_on.is_none());
        assert_eq!(d.opinions[1].told.as_ref().map(|t| t.1.to_string()).as_deref(), Some("门户网站已建立信息更新责任制，每周更新。"));
        let page = w.get(&at, &[&office]).await;
        assert_eq!(page.text_of("summary"), "审议意见 2 条：待处理 0 条，办理中 1 条，已反馈代表 1 条");
        let list = w.get("/deliberations", &[&office]).await;
        assert!(list.body.contains("审议意见 2 条，已反馈代表 1 条"), "{}", list.body);
    });
}

#[test]
fn measures_show_their_lights_and_are_opened_followed_and_reported_back() {
    let mut w = W::new(Edge::default());
    w.congress();
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let list = w.get("/measures", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        for (title, light) in
            [("整改甲：逾期的措施", "red"), ("整改乙：临期的措施", "amber"), ("整改丙：从容的措施", "green")]
        {
            let at = list.body.find(title).unwrap_or_else(|| panic!("{title}: {}", list.body));
            let li = &list.body[list.body[..at].rfind("<li class=").unwrap()..at];
            assert!(li.starts_with(&format!("<li class=\"{light}\">")), "{title}: {li}");
        }
        assert!(
            list.body.contains("代表建议 2026-0001")
                && list.body.contains("期限：2026年3月4日（已逾期 2 天）"),
            "{}",
            list.body
        );
        let csrf = list.field("csrf");
        let before = w.app.measures(&w.office, None, None).unwrap().len();

        // Bad input: no source, a past deadline; nothing written.
        let open = |deadline: &'static str, opinion: &'static str| {
            [
                ("csrf", csrf.clone()),
                ("title", "检察开放日常态化".to_owned()),
                ("description", "每季度举办一次检察开放日。".to_owned()),
                ("owner", "第二检察部".to_owned()),
                ("deadline", deadline.to_owned()),
                ("opinion", opinion.to_owned()),
                ("deputies", "王建国、李秀英".to_owned()),
            ]
        };
        let post = |fields: [(&'static str, String); 7]| {
            let (w, office) = (&w, office.clone());
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.post("/measures", &[&office], &f).await
            }
        };
        let none = post(open("2026-06-30", "")).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.body);
        assert!(none.text_of("error-message").starts_with("来源的代表建议编号："), "{}", none.body);
        let past = post(open("2026-01-31", "希望多办开放日。")).await;
        assert!(past.status.is_client_error(), "{}", past.body);
        assert!(past.text_of("error-message").contains("早于今天"), "{}", past.body);
        assert!(past.body.contains(">希望多办开放日。</textarea>"), "the form keeps what was typed");
        assert_eq!(w.app.measures(&w.office, None, None).unwrap().len(), before, "nothing written");

        let made = post(open("2026-06-30", "希望多办开放日。")).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let id = at.trim_start_matches("/measures/").to_owned();
        let page = w.get(&at, &[&office]).await;
        strict_page(&page);
        assert!(
            page.body.contains("需反馈的代表：王建国（市级）、李秀英（市级）")
                && page.body.contains("来源：代表意见：希望多办开放日。")
                && page.body.contains("期限：2026年6月30日（还有 116 天）"),
            "{}",
            page.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));
        let step = |action: &'static str, text: &'static str| {
            let (w, at, office, csrf) = (&w, at.clone(), office.clone(), csrf.clone());
            async move {
                let v = w.get(&at, &[&office]).await.field("version");
                w.post(
                    &at,
                    &[&office],
                    &[("csrf", &csrf), ("action", action), ("version", &v), ("text", text)],
                )
                .await
            }
        };
        let blank = step("progress", " ").await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", blank.body);
        assert!(blank.text_of("error-message").starts_with("进展情况："), "{}", blank.body);
        assert_eq!(step("progress", "已制定开放日工作方案。").await.status, StatusCode::SEE_OTHER);
        assert_eq!(step("complete", "第二季度开放日已举办。").await.status, StatusCode::SEE_OTHER);
        assert_eq!(step("report_back", "已书面告知两位代表。").await.status, StatusCode::SEE_OTHER);
        let m = w.app.measure(&w.office, &id).unwrap().measure;
        assert_eq!((m.status, m.progress.len()), (MeasureStatus::ReportedBack, 1));
        assert_eq!(m.report.map(|(_, to)| to.len()), Some(2));
        let page = w.get(&at, &[&office]).await;
        assert!(page.body.contains("2026年3月6日 向 2 位代表反馈：已书面告知两位代表。"), "{}", page.body);
        let done = w.get("/measures?status=reported_back", &[&office]).await;
        assert!(done.body.contains("检察开放日常态化") && !done.body.contains("整改甲"), "{}", done.body);
        assert_eq!(
            w.get("/measures?status=nonsense", &[&office]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        // A department follows its own measures, and opens none for another department.
        let (dept, _, _) = w.first_login_as("dept1").await;
        let dl = w.get("/measures", &[&dept]).await;
        let dcsrf = dl.field("csrf");
        let own = w.app.measures(&w.office, None, Some("open")).unwrap()[0].measure.clone();
        assert_eq!(own.owner.name.as_str(), "第一检察部");
        let oat = format!("/measures/{}", own.id);
        let r = w
            .post(
                &oat,
                &[&dept],
                &[
                    ("csrf", &dcsrf),
                    ("action", "progress"),
                    ("version", &own.version.to_string()),
                    ("text", "已部署。"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mut other = open("2026-06-30", "希望多办开放日。");
        other[0].1 = dcsrf.clone();
        let f: Vec<(&str, &str)> = other.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = w.post("/measures", &[&dept], &f).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(w.app.measures(&w.office, None, None).unwrap().len(), before + 1, "nothing written");
        // Nor does it plan inspections.
        let r = w
            .post("/inspections", &[&dept], &[("csrf", &dcsrf), ("kind", "inspection"), ("title", "视察")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(w.app.inspections(&w.office).unwrap().is_empty());

        // The security administrator reads none of these.
        let (sec, _, _) = w.first_login_as("sec").await;
        for path in ["/inspections", "/deliberations", "/measures", at.as_str()] {
            assert_eq!(w.get(path, &[&sec]).await.status, StatusCode::FORBIDDEN, "{path}");
        }
    });
}
