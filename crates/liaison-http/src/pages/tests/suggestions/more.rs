//! The later steps of a suggestion from its page: a progress notice; paper rating forms transcribed (two
//! dissatisfactions: re-handling, then leadership's record that closes it); the B answer's promise followed
//! to solved; publication; a pending-case item rerouted to letters and petitions with its outcome told; a
//! co-signer's withdrawal; the feedback window's lapse. Each is read back through the app.

use super::*;
use liaison_core::suggestion::SuggestionStatus;

/// A later login of an enrolled account (password, then a code of a step not used before).
async fn sign_in_again(w: &W, login: &str, secret: &[u8]) -> String {
    w.wait(30);
    let (lc, token) = w.login_form().await;
    let p = w.post("/login", &[&lc], &[("csrf", &token), ("login", login), ("password", PASSWORD)]).await;
    assert_eq!(p.location(), "/login/code", "{}", p.body);
    let sc =
        format!("__Host-liaison_session={}", cookie_value(&p.set_cookie("__Host-liaison_session").unwrap()));
    let ok = w.post("/login/code", &[&lc, &sc], &[("csrf", &token), ("code", &w.code_now(secret))]).await;
    assert_eq!(ok.location(), "/", "{}", ok.body);
    sc
}

/// Post the form `action` of the suggestion `number` with the page's token and version.
async fn act(w: &W, sc: &str, number: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let page = w.get(&format!("/suggestions/{number}"), &[sc]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let (token, version) = (page.field("csrf"), page.field("version"));
    let mut all = vec![("csrf", token.as_str()), ("version", version.as_str())];
    all.extend_from_slice(fields);
    w.post(&format!("/suggestions/{number}/{action}"), &[sc], &all).await
}

fn done(p: &Page, number: &str, action: &str) {
    assert_eq!(
        (p.status, p.location()),
        (StatusCode::SEE_OTHER, format!("/suggestions/{number}?done={action}").as_str()),
        "{}",
        p.body
    );
}

/// The handler's round through the app: a contact of this round, then the answer.
async fn answer(w: &W, dept: &Principal, number: &str, class: &str, promised_on: Option<&str>) {
    let contact = SuggestionAction::Contact {
        phase: "before".into(),
        means: "phone".into(),
        deputies: vec![],
        summary: "电话沟通".into(),
    };
    w.app.suggestion_action(dept, number, None, contact, None).await.unwrap();
    let a = SuggestionAction::Answer {
        class: class.into(),
        text: "将于九月开通网上预约服务。".into(),
        promised_on: promised_on.map(Into::into),
    };
    w.app.suggestion_action(dept, number, None, a, None).await.unwrap();
}

/// The visible text of the list `id` of the page.
fn list_text(p: &Page, id: &str) -> String {
    let at = p.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id}: {}", p.body));
    let rest = &p.body[at..];
    visible(&rest[..rest.find("</ul>").unwrap()])
}

fn status(w: &W, number: &str) -> liaison_core::suggestion::Suggestion {
    w.app.suggestion(&w.office, number).unwrap().suggestion
}

#[test]
fn two_dissatisfactions_go_to_rehandling_then_to_the_leaders_record_and_the_promise_is_followed() {
    let w = W::new(Edge::default());
    user(&w.app, "leader1", "院领导张华", "leader", None);
    let dept = w.app.principal_for_login(&liaison_app::default_tenant(), "dept1").unwrap();
    rt().block_on(async {
        let ds = deputies(&w).await;
        let number = filed(&w, "关于开通网上预约服务的建议", &ds[0].0).await;
        let assign = SuggestionAction::Assign {
            lead: "第一检察部".into(),
            co_handlers: vec![],
            handler: "dept1".into(),
        };
        w.app.suggestion_action(&w.office, &number, None, assign, None).await.unwrap();

        // A progress notice from the handler's page.
        let dc = login_as(&w, "dept1").await;
        let refused = act(&w, &dc, &number, "notify", &[("text", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.text_of("error-message").contains("内容"), "{}", refused.body);
        assert!(status(&w, &number).notices.is_empty(), "nothing told");
        done(
            &act(&w, &dc, &number, "notify", &[("text", "已调研三个基层院的做法。")]).await,
            &number,
            "notify",
        );
        assert_eq!(status(&w, &number).notices.len(), 1);

        answer(&w, &dept, &number, "B", Some("2026-09-30")).await;
        let (sc, _, _) = w.first_login().await;
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        strict_page(&page);
        assert!(page.body.contains("id=\"rate-form\"") && page.body.contains(&ds[0].1), "{}", page.body);
        assert!(page.body.contains("id=\"publish-form\""), "{}", page.body);
        assert!(!page.body.contains("id=\"reroute-form\""), "no reroute after an answer");
        no_ids(&w, &page);

        // A dissatisfied paper form without the deputy's comment, or without its reference: refused.
        let bad = act(
            &w,
            &sc,
            &number,
            "rate",
            &[("deputy", &ds[0].0), ("rating", "dissatisfied"), ("form_ref", "ZX-2026-001"), ("text", "")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("ZX-2026-001"), "the form kept");
        let bad = act(
            &w,
            &sc,
            &number,
            "rate",
            &[("deputy", &ds[0].0), ("rating", "satisfied"), ("form_ref", ""), ("text", "")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").contains("征询意见表编号"), "{}", bad.body);
        assert_eq!(status(&w, &number).status, SuggestionStatus::Answered, "nothing rated");

        let first = [
            ("deputy", ds[0].0.as_str()),
            ("rating", "dissatisfied"),
            ("form_ref", "ZX-2026-001"),
            ("text", "进度太慢"),
        ];
        done(&act(&w, &sc, &number, "rate", &first).await, &number, "rate");
        assert_eq!(status(&w, &number).status, SuggestionStatus::Rehandling);

        answer(&w, &dept, &number, "B", Some("2026-09-30")).await;
        let second = [
            ("deputy", ds[0].0.as_str()),
            ("rating", "dissatisfied"),
            ("form_ref", "ZX-2026-002"),
            ("text", "仍不满意"),
        ];
        done(&act(&w, &sc, &number, "rate", &second).await, &number, "rate");
        assert_eq!(status(&w, &number).status, SuggestionStatus::Escalated);
        let office_page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        assert!(!office_page.body.contains("id=\"escalation-form\""), "the office does not record it");

        let lc = login_as(&w, "leader1").await;
        let page = w.get(&format!("/suggestions/{number}"), &[&lc]).await;
        strict_page(&page);
        assert!(page.body.contains("id=\"escalation-form\""), "{}", page.body);
        let r = act(
            &w,
            &lc,
            &number,
            "escalation",
            &[("means", "face_to_face"), ("text", "检察长当面听取代表意见，说明进度安排。")],
        )
        .await;
        done(&r, &number, "escalation");
        let s = status(&w, &number);
        assert_eq!(s.status, SuggestionStatus::Closed);
        assert_eq!(
            s.escalation.as_ref().and_then(|e| e.1.as_ref()).map(|r| r.leader.name.as_str()),
            Some("院领导张华")
        );

        // The B answer's promise, followed to solved by the handler.
        let page = w.get(&format!("/suggestions/{number}"), &[&dc]).await;
        assert!(page.text_of("solved-hint").contains("2026年9月30日"), "{}", page.body);
        done(&act(&w, &dc, &number, "solved", &[("text", "网上预约服务已开通。")]).await, &number, "solved");
        let s = status(&w, &number);
        assert_eq!(
            s.follow_up.and_then(|f| f.solved).map(|x| x.value.to_string()).as_deref(),
            Some("网上预约服务已开通。")
        );

        // Publication to the city deputies.
        let bad = act(&w, &sc, &number, "publish", &[("scope", "level"), ("values", "火星")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").contains("范围取值"), "{}", bad.body);
        done(
            &act(&w, &sc, &number, "publish", &[("scope", "level"), ("values", "市")]).await,
            &number,
            "publish",
        );
        assert_eq!(status(&w, &number).publications.len(), 1);
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        let others = list_text(&page, "others");
        for said in ["进展告知", "领导督办 · 当面沟通 · 院领导张华", "承诺事项已解决", "向代表公开"]
        {
            assert!(others.contains(said), "{said}: {others}");
        }
        no_ids(&w, &page);
    });
}

#[test]
fn a_pending_case_is_rerouted_its_outcome_told_and_a_signature_withdrawn() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let ds = deputies(&w).await;
        let input = SuggestionInput {
            title: "关于某案件办理情况的意见".into(),
            content: "反映一起正在审查起诉的案件。".into(),
            source: "大会期间".into(),
            received_on: None,
            deputies: vec![ds[0].0.clone(), ds[1].0.clone()],
        };
        let number = w
            .app
            .file_suggestion(&w.office, &input, None)
            .await
            .unwrap()
            .suggestion
            .number
            .unwrap()
            .to_string();
        let (sc, _, _) = w.first_login().await;

        // A co-signer withdraws: the other stays.
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        assert!(
            page.body.contains("id=\"withdraw-form\"") && page.body.contains("id=\"reroute-form\""),
            "{}",
            page.body
        );
        let bad = act(&w, &sc, &number, "withdraw", &[("deputy", &ds[1].0), ("reason", "")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").contains("原因"), "{}", bad.body);
        done(
            &act(&w, &sc, &number, "withdraw", &[("deputy", &ds[1].0), ("reason", "代表书面申请撤回联名")])
                .await,
            &number,
            "withdraw",
        );
        let s = status(&w, &number);
        assert_eq!((s.proposers.len(), s.withdrawn.len()), (1, 1));

        // Rerouted to letters and petitions, the deputy told; then the outcome, then telling it.
        let bad = act(&w, &sc, &number, "reroute", &[("ground", "天气"), ("text", "已转信访部门。")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").contains("转办理由"), "{}", bad.body);
        assert_eq!(status(&w, &number).status, SuggestionStatus::Registered);
        let r = act(
            &w,
            &sc,
            &number,
            "reroute",
            &[("ground", "pending_case"), ("text", "所反映的具体案件已转控告申诉检察部门依法办理。")],
        )
        .await;
        done(&r, &number, "reroute");
        let s = status(&w, &number);
        assert_eq!(s.status, SuggestionStatus::Rerouted);
        let told = act(&w, &sc, &number, "reroute_told", &[("text", "x")]).await;
        assert_ne!(told.status, StatusCode::SEE_OTHER, "no outcome to tell yet");
        done(
            &act(&w, &sc, &number, "reroute_outcome", &[("text", "经审查，依法作出不起诉决定。")]).await,
            &number,
            "reroute_outcome",
        );
        done(
            &act(&w, &sc, &number, "reroute_told", &[("text", "已书面告知代表办理结果。")]).await,
            &number,
            "reroute_told",
        );
        let r = status(&w, &number).reroute.unwrap();
        assert!(r.outcome.is_some() && r.outcome_told.is_some());
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        let others = list_text(&page, "others");
        assert!(
            others.contains("转信访（具体案件，信访编号 XF-2026-") && others.contains("结果已告知代表"),
            "{others}"
        );
        assert!(!page.body.contains("id=\"reroute-told-form\""), "{}", page.body);
        no_ids(&w, &page);
    });
}

#[test]
fn the_office_records_the_lapse_of_the_feedback_window_and_a_department_cannot() {
    let w = W::new(Edge::default());
    let dept = w.app.principal_for_login(&liaison_app::default_tenant(), "dept1").unwrap();
    rt().block_on(async {
        answer(&w, &dept, "2026-0001", "A", None).await;
        let (_, secret, _) = w.first_login().await;
        let (_, dsecret, _) = w.first_login_as("dept1").await;
        w.wait(40 * 86_400);
        let sc = sign_in_again(&w, "office", &secret).await;
        let page = w.get("/suggestions/2026-0001", &[&sc]).await;
        assert!(page.body.contains("id=\"lapse-form\""), "{}", page.body);
        let dc = sign_in_again(&w, "dept1", &dsecret).await;
        let page = w.get("/suggestions/2026-0001", &[&dc]).await;
        assert!(!page.body.contains("id=\"lapse-form\""), "{}", page.body);
        let no = act(&w, &dc, "2026-0001", "lapse", &[]).await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
        assert_eq!(status(&w, "2026-0001").status, SuggestionStatus::Answered);
        done(&act(&w, &sc, "2026-0001", "lapse", &[]).await, "2026-0001", "lapse");
        assert_ne!(status(&w, "2026-0001").status, SuggestionStatus::Answered, "the round decided");
    });
}

/// The office transfers an item that belongs to the city (转办) from its page: the form offers the
/// province's other procuratorates by name, a missing reason is refused with the form kept, and once done
/// the page says where it went and how it stands there; the form is gone.
#[test]
fn an_item_is_transferred_to_the_competent_procuratorate_from_its_page() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let ds = deputies(&w).await;
        // No other procuratorate: no form.
        let input = SuggestionInput {
            title: "关于市级检察机关统一部署的建议".into(),
            content: "建议在全市统一开展检察开放日。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![ds[0].0.clone()],
        };
        let filed = w.app.file_suggestion(&w.office, &input, None).await.unwrap();
        let number = filed.suggestion.number.unwrap().to_string();
        let (sc, _, _) = w.first_login().await;
        let page = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        assert!(!page.body.contains("id=\"transfer-form\""), "no procuratorate to transfer to");

        // This procuratorate becomes a county below a city.
        let city = liaison_app::NewTenant {
            id: Some("hz".into()),
            name: "杭州市人民检察院".into(),
            level: "city".into(),
            parent: None,
        };
        w.app.add_tenant(city, None).await.unwrap();
        w.app.place_tenant("default", "county", Some("hz"), None).await.unwrap();
        let form = w.get(&format!("/suggestions/{number}"), &[&sc]).await;
        strict_page(&form);
        assert!(form.body.contains("id=\"transfer-form\""), "{}", form.body);
        assert!(
            form.body.contains("<option value=\"hz\">杭州市人民检察院（市级）</option>"),
            "{}",
            form.body
        );

        let bad =
            act(&w, &sc, &number, "transfer", &[("to", "hz"), ("reason", ""), ("text", "已转市院。")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("已转市院。"), "the form kept");
        assert_eq!(status(&w, &number).status, SuggestionStatus::Registered, "nothing transferred");

        let r = act(
            &w,
            &sc,
            &number,
            "transfer",
            &[
                ("to", "hz"),
                ("reason", "所提事项属市院统一部署"),
                ("text", "您的建议已转杭州市人民检察院办理。"),
            ],
        )
        .await;
        done(&r, &number, "transfer");
        let s = status(&w, &number);
        assert_eq!(s.status, SuggestionStatus::Transferred);
        let page = w.get(&format!("/suggestions/{number}?done=transfer"), &[&sc]).await;
        strict_page(&page);
        assert!(!page.body.contains("id=\"transfer-form\""), "final here");
        let others = list_text(&page, "others");
        assert!(
            others.contains("已转杭州市人民检察院办理，该院编号") && others.contains("已登记"),
            "{others}"
        );
        assert!(page.body.contains("转办其他检察院"), "the step in the history: {}", page.body);
        // `LIAISON_SHOTS=DIR`: the pages and their stylesheet kept there, to be looked at in a browser.
        if let Some(dir) = std::env::var_os("LIAISON_SHOTS") {
            let css = w.get("/static/app.css", &[]).await.body;
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join("app.css"), css).expect("the stylesheet written");
            for (name, body) in [("transfer-form", &form.body), ("transferred", &page.body)] {
                let html = body.replace("/static/app.css", "app.css");
                std::fs::write(dir.join(format!("suggestion-{name}.html")), html).expect("the page written");
            }
        }
    });
}
