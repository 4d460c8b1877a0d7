//! The suggestion pages in-process (issue 16, item 3): intake of a joint suggestion through the form, with
//! its field errors and the similar earlier ones; assignment, one and twenty at a time; the answer locked
//! until a contact is logged; an extension and a leader's approval behind re-authentication; CSRF and
//! permission refusals. Every page names people, never ids.

use super::*;

/// The visible text of a page: its tags (and their attributes) left out.
fn visible(body: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Log `login` in through the pages (the security administrator sets its password first; its first login
/// enrols an authenticator and changes the password): the session cookie.
async fn login_as(w: &W, login: &str) -> String {
    w.first_login_as(login).await.0
}

/// A page's CSRF token (every signed-in page carries the session's in its logout form).
async fn csrf(w: &W, sc: &str) -> String {
    w.get("/", &[sc]).await.field("csrf")
}

/// Six more deputies on the register: (id, name) of each, names unique among them.
pub(super) async fn deputies(w: &W) -> Vec<(String, String)> {
    for input in liaison_app::demo::generate(6, 99) {
        w.app.register_deputy(&w.office, input, None, None).await.unwrap();
    }
    let all = w.app.deputies(&w.office, &liaison_app::DeputyFilter::default(), None, 100).unwrap().items;
    let unique: Vec<(String, String)> = all
        .iter()
        .filter(|d| all.iter().filter(|x| x.name == d.name).count() == 1)
        .map(|d| (d.id.to_string(), d.name.clone()))
        .collect();
    assert!(unique.len() >= 3, "{unique:?}");
    unique
}

/// File a registered suggestion through the app (the fixtures of the other tests).
async fn filed(w: &W, title: &str, deputy: &str) -> String {
    let input = SuggestionInput {
        title: title.into(),
        content: format!("{title}的具体内容。"),
        source: "闭会期间".into(),
        received_on: None,
        deputies: vec![deputy.into()],
    };
    let v = w.app.file_suggestion(&w.office, &input, None).await.unwrap();
    v.suggestion.number.unwrap().to_string()
}

fn no_ids(w: &W, p: &Page) {
    let text = visible(&p.body);
    assert!(!has_uuid(&text), "an id shown: {text}");
    for id in &w.ids {
        assert!(!text.contains(id.as_str()), "{id} shown");
    }
}

/// The office files a joint suggestion (the proposer typed by name, two co-signers ticked in the search):
/// the similar earlier one is listed at intake, and the new one's page names the three with level and
/// region.
#[test]
fn the_office_files_a_joint_suggestion_and_sees_the_similar_earlier_one() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let ds = deputies(&w).await;
        let (sc, _, _) = w.first_login().await;
        let form = w.get("/suggestions/new", &[&sc]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        strict_page(&form);
        for id in ["title", "content", "source", "received_on", "dq", "signers"] {
            assert!(form.body.contains(&format!("<label for=\"{id}\">")), "label for {id}");
        }
        let token = form.field("csrf");
        let title = "关于加强未成年人检察保护工作的建议";
        let content = "建议在乡镇设立未成年人保护联络点，加强未成年人检察工作。";

        // The similar earlier suggestion: on the preview step, and in the htmx fragment.
        let preview = w
            .post(
                "/suggestions/new",
                &[&sc],
                &[("csrf", &token), ("title", title), ("content", content), ("step", "preview")],
            )
            .await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.body.contains("href=\"/suggestions/2026-0001\""), "{}", preview.body);
        assert!(preview.body.contains("关于加强未成年人检察工作的建议"), "{}", preview.body);
        let q: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("title", title)
            .append_pair("content", content)
            .finish();
        let frag = w.get(&format!("/suggestions/similar?{q}"), &[&sc]).await;
        assert!(frag.body.contains("2026-0001") && frag.body.contains("相似度"), "{}", frag.body);
        let other = w.get("/suggestions/similar?title=%E5%85%AC%E7%9B%8A%E8%AF%89%E8%AE%BC", &[&sc]).await;
        assert!(!other.body.contains("2026-0001"), "{}", other.body);

        // The register's search, by the first character of a name.
        let first: String = ds[1].1.chars().take(1).collect();
        let found = w
            .get(
                &format!(
                    "/suggestions/deputies?q={}",
                    form_urlencoded::byte_serialize(first.as_bytes()).collect::<String>()
                ),
                &[&sc],
            )
            .await;
        assert!(found.body.contains(&ds[1].1) && found.body.contains("name=\"picked\""), "{}", found.body);

        let filed = w
            .post(
                "/suggestions/new",
                &[&sc],
                &[
                    ("csrf", &token),
                    ("title", title),
                    ("content", content),
                    ("source", "congress_session"),
                    ("received_on", "2026-03-05"),
                    ("signers", &ds[0].1),
                    ("picked", &ds[1].0),
                    ("picked", &ds[2].0),
                    ("step", "file"),
                ],
            )
            .await;
        assert_eq!(
            (filed.status, filed.location()),
            (StatusCode::SEE_OTHER, "/suggestions/2026-0002?done=filed"),
            "{}",
            filed.body
        );
        let v = w.app.suggestion(&w.office, "2026-0002").unwrap();
        let names: Vec<&str> = v.suggestion.proposers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, [ds[0].1.as_str(), ds[1].1.as_str(), ds[2].1.as_str()]);
        let page = w.get("/suggestions/2026-0002?done=filed", &[&sc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        assert!(page.body.contains("建议已登记") && page.body.contains("已登记"), "{}", page.body);
        for (_, name) in &ds[..3] {
            assert!(page.body.contains(&format!("{name}（")), "{name}: {}", page.body);
        }
        assert_eq!(page.body.matches("尚未答复").count(), 3, "each co-signer's rating status");
        no_ids(&w, &page);
        // The list shows it with its proposers by name.
        let list = w.get("/suggestions", &[&sc]).await;
        strict_page(&list);
        assert!(list.body.contains("2026-0002") && list.body.contains(&ds[2].1), "{}", list.body);
        no_ids(&w, &list);
    });
}

/// Bad input: the form comes back (422) with each field's error and what was typed; nothing is filed.
#[test]
fn bad_intake_comes_back_with_each_fields_error_and_files_nothing() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        let token = csrf(&w, &sc).await;
        let p = w
            .post(
                "/suggestions/new",
                &[&sc],
                &[
                    ("csrf", &token),
                    ("title", ""),
                    ("content", "建议内容保留"),
                    ("source", "congress_session"),
                    ("received_on", "2026-12-01"),
                    ("signers", "查无此人"),
                    ("step", "file"),
                ],
            )
            .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
        strict_page(&p);
        for field in ["title", "received_on", "deputies"] {
            assert!(p.body.contains(&format!("id=\"{field}-error\"")), "{field}: {}", p.body);
        }
        assert!(p.body.contains("查无此人") && p.body.contains("建议内容保留"), "typed text kept");
        assert!(p.body.contains("role=\"alert\""), "{}", p.body);
        assert!(p.body.contains("aria-invalid=\"true\" aria-describedby=\"title-error\""), "{}", p.body);
        assert!(w.app.suggestion(&w.office, "2026-0002").is_err(), "nothing filed");
    });
}

/// The office assigns through the page; the department's answer form is locked (and a posted answer
/// refused) until a contact is logged, then the answer goes through; a stale version is refused.
#[test]
fn the_answer_is_locked_until_a_contact_is_logged() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let ds = deputies(&w).await;
        let number = filed(&w, "关于优化检察开放日安排的建议", &ds[0].0).await;
        let (sc, _, _) = w.first_login().await;
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        assert!(
            page.body.contains("id=\"assign-form\"") && page.body.contains("李明（第一检察部）"),
            "{}",
            page.body
        );
        let (token, version) = (page.field("csrf"), page.field("version"));
        let a = w
            .post(
                &format!("/suggestions/{number}/assign"),
                &[&sc],
                &[("csrf", &token), ("version", &version), ("lead", "第一检察部"), ("handler", "dept1")],
            )
            .await;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, format!("/suggestions/{number}?done=assign").as_str()),
            "{}",
            a.body
        );
        // The old version again: someone changed it.
        let stale = w
            .post(
                &format!("/suggestions/{number}/assign"),
                &[&sc],
                &[("csrf", &token), ("version", &version), ("lead", "第一检察部"), ("handler", "dept1")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert!(stale.text_of("error-message").contains("已被他人修改"), "{}", stale.body);
        // Issue 17: the office sees the messages the assignment queued, with their delivery state.
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        let sent =
            page.body.split("id=\"deliveries\"").nth(1).and_then(|s| s.split("</ol>").next()).unwrap_or("");
        assert!(sent.contains("建议交办") && sent.contains("站内消息") && sent.contains("待发送"), "{sent}");

        let dc = login_as(&w, "dept1").await;
        let page = w.get(&format!("/suggestions/{number}"), &[&dc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        assert!(
            page.body.contains("<fieldset id=\"answer-fields\" disabled aria-describedby=\"answer-locked\">"),
            "{}",
            page.body
        );
        assert!(page.text_of("answer-locked").contains("还没有记录与代表的沟通"), "{}", page.body);
        assert!(
            page.body.contains("主办部门</dt><dd>第一检察部") && page.body.contains("李明"),
            "{}",
            page.body
        );
        let (token, version) = (page.field("csrf"), page.field("version"));
        let answer = [
            ("csrf", token.as_str()),
            ("version", version.as_str()),
            ("class", "A"),
            ("text", "已在各乡镇设立联络点。"),
        ];
        let refused = w.post(&format!("/suggestions/{number}/answer"), &[&dc], &answer).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.text_of("error-message").contains("尚未记录与代表的沟通"), "{}", refused.body);
        assert!(refused.body.contains("已在各乡镇设立联络点。"), "the typed answer is kept");
        assert!(
            w.app
                .suggestion(&w.office, &number)
                .unwrap()
                .suggestion
                .rounds
                .iter()
                .all(|r| r.answer.is_none()),
            "nothing answered"
        );

        let c = w
            .post(
                &format!("/suggestions/{number}/contact"),
                &[&dc],
                &[
                    ("csrf", &token),
                    ("version", &version),
                    ("phase", "before"),
                    ("means", "phone"),
                    ("summary", "电话征求代表对办理的意见"),
                ],
            )
            .await;
        assert_eq!(c.location(), format!("/suggestions/{number}?done=contact"), "{}", c.body);
        let page = w.get(&format!("/suggestions/{number}"), &[&dc]).await;
        assert!(
            !page.body.contains("answer-locked") && page.body.contains("电话征求代表对办理的意见"),
            "{}",
            page.body
        );
        let version = page.field("version");
        let answer = [
            ("csrf", token.as_str()),
            ("version", version.as_str()),
            ("class", "A"),
            ("text", "已在各乡镇设立联络点。"),
        ];
        let ok = w.post(&format!("/suggestions/{number}/answer"), &[&dc], &answer).await;
        assert_eq!(ok.location(), format!("/suggestions/{number}?done=answer"), "{}", ok.body);
        let page = w.get(&format!("/suggestions/{number}?done=answer"), &[&dc]).await;
        assert!(page.body.contains("待评价") && page.body.contains("尚未评价（反馈期至"), "{}", page.body);
        assert!(
            page.body.contains("沟通记录") && page.body.contains("答复</strong>"),
            "the history: {}",
            page.body
        );
        assert!(
            page.body.contains("李明") && !page.body.contains("(dept1)"),
            "people by name: {}",
            page.body
        );
        no_ids(&w, &page);
    });
}

/// The department asks for an extension; the leader's approval first goes to `/reauth` and back, then
/// the deadline moves.
#[test]
fn a_leaders_approval_of_an_extension_asks_for_a_recent_authentication() {
    let w = W::new(Edge::default());
    user(&w.app, "leader1", "院领导张华", "leader", None);
    rt().block_on(async {
        let dc = login_as(&w, "dept1").await;
        let page = w.get("/suggestions/2026-0001", &[&dc]).await;
        assert!(page.body.contains("id=\"extension-form\""), "{}", page.body);
        let r = w
            .post(
                "/suggestions/2026-0001/request_extension",
                &[&dc],
                &[
                    ("csrf", &page.field("csrf")),
                    ("version", &page.field("version")),
                    ("until", "2026-07-15"),
                    ("reason", "需要协调多个部门"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/suggestions/2026-0001?done=request_extension", "{}", r.body);

        let lc = login_as(&w, "leader1").await;
        w.wait(11 * 60);
        let page = w.get("/suggestions/2026-0001", &[&lc]).await;
        assert!(
            page.body.contains("申请延期至2026年7月15日") && page.body.contains("id=\"approve-form\""),
            "{}",
            page.body
        );
        let fields = [
            ("csrf", page.field("csrf")),
            ("version", page.field("version")),
            ("until", "2026-07-15".into()),
            ("reason", "需要协调多个部门".into()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let first = w.post("/suggestions/2026-0001/extend", &[&lc], &fields).await;
        assert_eq!(
            (first.status, first.location()),
            (StatusCode::SEE_OTHER, "/reauth?next=%2Fsuggestions%2F2026-0001"),
            "{}",
            first.body
        );
        assert!(w.app.suggestion(&w.office, "2026-0001").unwrap().suggestion.extensions.is_empty());
        let back = w
            .post(
                "/reauth",
                &[&lc],
                &[("csrf", fields[0].1), ("next", "/suggestions/2026-0001"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(back.location(), "/suggestions/2026-0001", "{}", back.body);
        let ok = w.post("/suggestions/2026-0001/extend", &[&lc], &fields).await;
        assert_eq!(ok.location(), "/suggestions/2026-0001?done=extend", "{}", ok.body);
        let page = w.get("/suggestions/2026-0001?done=extend", &[&lc]).await;
        assert!(
            page.body.contains("院领导张华批准延期至2026年7月15日") && page.body.contains("已批准延期"),
            "{}",
            page.body
        );
        no_ids(&w, &page);
    });
}

/// Twenty registered suggestions and one already assigned, selected together: the twenty are assigned,
/// each through its own action, and the one is reported by number with the reason.
#[test]
fn bulk_assignment_assigns_twenty_and_reports_the_one_refused() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let ds = deputies(&w).await;
        let seeded = w.app.suggestion(&w.office, "2026-0001").unwrap().suggestion.version;
        let mut picks = vec![format!("2026-0001@{seeded}")];
        for i in 0..20 {
            let n = filed(&w, &format!("第{i}件关于检务公开的建议"), &ds[i % 3].0).await;
            let v = w.app.suggestion(&w.office, &n).unwrap().suggestion.version;
            picks.push(format!("{n}@{v}"));
        }
        let (sc, _, _) = w.first_login().await;
        let list = w.get("/suggestions?status=registered", &[&sc]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(list.body.matches("name=\"pick\"").count(), 20, "{}", list.body);
        assert!(list.body.contains("id=\"bulk\"") && list.body.contains("李明（第一检察部）"));
        let token = list.field("csrf");
        let mut fields = vec![("csrf", token.as_str()), ("lead", "第一检察部"), ("handler", "dept1")];
        fields.extend(picks.iter().map(|p| ("pick", p.as_str())));
        let r = w.post("/suggestions/assign", &[&sc], &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        strict_page(&r);
        assert!(r.text_of("assigned-count").starts_with("已交办 20 件"), "{}", r.body);
        let refusals = &r.body[r.body.find("id=\"refusals\"").unwrap()..];
        assert_eq!(refusals.matches("<li>").count(), 1, "{refusals}");
        assert!(refusals.contains("2026-0001") && refusals.contains("已交办"), "{refusals}");
        for p in &picks[1..] {
            let n = p.split('@').next().unwrap();
            let v = w.app.suggestion(&w.office, n).unwrap();
            assert_eq!(v.suggestion.status.code(), "assigned", "{n}");
        }
        let none = w.get("/suggestions?status=registered", &[&sc]).await;
        assert!(none.body.contains("没有符合条件的建议"), "{}", none.body);
        // Paging: 21 suggestions, 20 a page.
        let all = w.get("/suggestions", &[&sc]).await;
        assert!(all.body.contains(">下一页</a>"), "{}", all.body);
        no_ids(&w, &all);
    });
}

/// A form without the session's token, or from another site, is refused (403); a role without the
/// permission is refused with the reason, and nothing changes.
#[test]
fn posts_need_the_token_and_the_permission() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        let page = w.get("/suggestions/2026-0001", &[&sc]).await;
        let version = page.field("version");
        let no_token = w
            .post(
                "/suggestions/2026-0001/reassign",
                &[&sc],
                &[("version", &version), ("lead", "第一检察部"), ("handler", "dept1"), ("reason", "x")],
            )
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        assert!(no_token.body.contains("请求被拒绝"));
        let body = form(&[
            ("csrf", &page.field("csrf")),
            ("pick", "2026-0001@2"),
            ("lead", "第一检察部"),
            ("handler", "dept1"),
        ]);
        let cross = w
            .send("POST", "/suggestions/assign", &[&sc], Some(body), &[("sec-fetch-site", "cross-site")])
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        assert_eq!(w.post("/suggestions/new", &[&sc], &[("title", "x")]).await.status, StatusCode::FORBIDDEN);

        // The department may not assign, nor file.
        let dc = login_as(&w, "dept1").await;
        let token = csrf(&w, &dc).await;
        let r = w
            .post(
                "/suggestions/assign",
                &[&dc],
                &[("csrf", &token), ("pick", "2026-0001@2"), ("lead", "第一检察部"), ("handler", "dept1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.text_of("error-message").contains("无权"), "{}", r.body);
        let list = w.get("/suggestions", &[&dc]).await;
        assert!(!list.body.contains("id=\"bulk\"") && !list.body.contains("登记新建议"), "{}", list.body);
        let new = w.get("/suggestions/new", &[&dc]).await;
        assert_eq!(new.status, StatusCode::FORBIDDEN);
        assert!(
            new.text_of("error-message").contains("无权")
                && !new.body.contains("action=\"/suggestions/new\"")
        );
        let page = w.get("/suggestions/2026-0001", &[&dc]).await;
        let r = w
            .post(
                "/suggestions/2026-0001/reassign",
                &[&dc],
                &[
                    ("csrf", &token),
                    ("version", &page.field("version")),
                    ("lead", "第一检察部"),
                    ("handler", "dept1"),
                    ("reason", "改派"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.body.contains("role=\"alert\""), "{}", r.body);
        assert!(w.app.suggestion(&w.office, "2026-0001").unwrap().suggestion.reassignments.is_empty());
    });
}

/// My work links a suggestion to its page.
#[test]
fn my_work_links_a_suggestion_to_its_page() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        let home = w.get("/?kind=suggestion", &[&sc]).await;
        assert!(
            home.body.contains("<a class=\"title\" href=\"/suggestions/2026-0001\">2026-0001 "),
            "{}",
            home.body
        );
    });
}

/// A co-handler's account sees its opinion form (and no answer form); its opinion goes on the record.
#[test]
fn a_co_handler_gives_its_opinion_on_the_page() {
    let w = W::new(Edge::default());
    rt().block_on(w.app.change_organisation(
        &w.office,
        OrgInput::AddDepartment { name: "第二检察部".into() },
        None,
        None,
    ))
    .unwrap();
    user(&w.app, "dept2", "周敏", "department", Some("第二检察部"));
    rt().block_on(async {
        let ds = deputies(&w).await;
        let number = filed(&w, "关于规范涉企案件办理的建议", &ds[0].0).await;
        let (sc, _, _) = w.first_login().await;
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        let a = w
            .post(
                &format!("/suggestions/{number}/assign"),
                &[&sc],
                &[
                    ("csrf", &page.field("csrf")),
                    ("version", &page.field("version")),
                    ("lead", "第一检察部"),
                    ("co", "第二检察部"),
                    ("handler", "dept1"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let cc = login_as(&w, "dept2").await;
        let page = w.get(&format!("/suggestions/{number}"), &[&cc]).await;
        assert!(
            page.body.contains("协办意见（第二检察部）") && !page.body.contains("id=\"answer-form\""),
            "{}",
            page.body
        );
        let r = w
            .post(
                &format!("/suggestions/{number}/co_opinion"),
                &[&cc],
                &[
                    ("csrf", &page.field("csrf")),
                    ("version", &page.field("version")),
                    ("text", "同意主办部门意见"),
                ],
            )
            .await;
        assert_eq!(r.location(), format!("/suggestions/{number}?done=co_opinion"), "{}", r.body);
        let page = w.get(&format!("/suggestions/{number}"), &[&cc]).await;
        assert!(page.body.contains("已提交意见") && page.body.contains("同意主办部门意见"), "{}", page.body);
        assert!(!page.body.contains("id=\"co-form\""), "given once");
    });
}

/// The list's filters: overdue (the next deadline passed), year, state; a year that is not one is refused
/// on the page.
#[test]
fn the_list_filters_by_overdue_year_and_state() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, secret, _) = w.first_login().await;
        let none = w.get("/suggestions?overdue=1", &[&sc]).await;
        assert!(none.body.contains("没有符合条件的建议"), "{}", none.body);
        let this_year = w.get("/suggestions?year=2026&status=assigned", &[&sc]).await;
        assert!(this_year.body.contains("2026-0001"), "{}", this_year.body);
        // The next due day with its light and the days left, as on My work.
        assert!(this_year.body.contains("<li class=\"green\">"), "{}", this_year.body);
        assert!(
            this_year.body.contains("<span class=\"light green\">正常</span>还有 "),
            "{}",
            this_year.body
        );
        let last_year = w.get("/suggestions?year=2025", &[&sc]).await;
        assert!(!last_year.body.contains("2026-0001"), "{}", last_year.body);
        let bad = w.get("/suggestions?year=abc", &[&sc]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("role=\"alert\""), "{}", bad.body);

        // Four months on, the answer is overdue (a new login: the old session has lapsed).
        w.wait(120 * 86_400);
        let (lc, token) = w.login_form().await;
        let p =
            w.post("/login", &[&lc], &[("csrf", &token), ("login", "office"), ("password", PASSWORD)]).await;
        let sc = format!(
            "__Host-liaison_session={}",
            cookie_value(&p.set_cookie("__Host-liaison_session").unwrap())
        );
        let ok =
            w.post("/login/code", &[&lc, &sc], &[("csrf", &token), ("code", &w.code_now(&secret))]).await;
        assert_eq!(ok.location(), "/", "{}", ok.body);
        let overdue = w.get("/suggestions?overdue=1", &[&sc]).await;
        assert!(overdue.body.contains("2026-0001") && overdue.body.contains("已逾期"), "{}", overdue.body);
        assert!(overdue.body.contains("<span class=\"light red\">逾期</span>已逾期 "), "{}", overdue.body);
    });
}

mod more;
