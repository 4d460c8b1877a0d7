//! The scorecard page (办理考评) and the public figures page (市民查询), issue 18 items 6 and 7.

use super::*;

/// Every department a row, by name, with its figures and the weights; a department's own account is
/// refused; the API route answers the same model.
#[test]
fn the_scorecard_shows_each_department_by_name_with_its_rates_and_the_weights() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        let p = w.get("/figures/scorecard?year=2026", &[&sc]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        strict_page(&p);
        let b = &p.body;
        // 第一检察部 leads the one suggestion (unanswered: no rate yet) and owns three open measures.
        assert!(
            b.contains("<th scope=\"row\">第一检察部</th><td>1</td><td>—</td><td>—</td><td>—</td><td>0</td><td>0/3</td><td>0.0</td>"),
            "{b}"
        );
        assert!(b.contains("按期答复率 30；首轮满意率 20；最终满意率 30；未重新办理率 10；整改措施完成率 10"), "{b}");
        assert!(!has_uuid(b));
        let empty = w.get("/figures/scorecard?year=2025", &[&sc]).await;
        assert!(empty.body.contains("<td>0</td><td>—</td><td>—</td><td>—</td><td>0</td><td>0/0</td><td>—</td>"), "{}", empty.body);
        // The dashboard links the scorecard for those who may read it, and only for them.
        assert!(w.get("/figures?year=2026", &[&sc]).await.body.contains("href=\"/figures/scorecard?year=2026\""));
        let dc = w.first_login_as("dept1").await.0;
        let dash = w.get("/figures?year=2026", &[&dc]).await;
        assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
        assert!(!dash.body.contains("/figures/scorecard"), "a department is offered a page it may not open");
        assert_eq!(w.get("/figures/scorecard?year=2026", &[&dc]).await.status, StatusCode::FORBIDDEN);
    });
    let card = w
        .app
        .scorecard(&w.office, &liaison_app::report::ReportRequest { year: Some(2026), ..Default::default() })
        .unwrap();
    assert_eq!(card.rows.len(), 1);
    assert_eq!((card.rows[0].tally.measures, card.rows[0].score_permille), (3, Some(0)));
    let dept = user(&w.app, "dept2", "张三", "department", Some("第一检察部"));
    assert!(w.app.scorecard(&dept, &Default::default()).is_err(), "a department does not read the scorecard");
}

/// The weights are the deployment's: changed by the policy's owner, versioned and audited, and the score
/// follows them.
#[test]
fn scorecard_weights_change_the_score() {
    let w = W::new(Edge::default());
    let set = rt()
        .block_on(w.app.set_scorecard_weights(&w.office, &["measures=0".into(), "on_time=50".into()]))
        .unwrap();
    assert_eq!(set.0.get(&liaison_core::scorecard::Criterion::OnTime), Some(&50));
    let card = w
        .app
        .scorecard(&w.office, &liaison_app::report::ReportRequest { year: Some(2026), ..Default::default() })
        .unwrap();
    assert_eq!(card.rows[0].score_permille, None, "only the measures could be measured, and they weigh 0");
    assert!(rt().block_on(w.app.set_scorecard_weights(&w.office, &["speed=3".into()])).is_err());
    assert!(rt().block_on(w.app.set_scorecard_weights(&w.office, &["on_time=101".into()])).is_err());
}

/// Off by default: the route does not exist. On: no login, the figures, and no name of the register or of
/// an account anywhere on the page; the strict CSP.
#[test]
fn the_public_figures_are_off_by_default_and_name_nobody() {
    let off = W::new(Edge::default());
    let p = rt().block_on(off.get("/public/figures", &[]));
    assert_eq!(p.status, StatusCode::NOT_FOUND);

    let w = W::new(Edge { public_figures: true, ..Edge::default() });
    let p = rt().block_on(w.get("/public/figures?year=2026", &[]));
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    strict_page(&p);
    let b = &p.body;
    assert!(b.contains("<span class=\"n\">1</span>收到建议（件）"), "{b}");
    assert!(b.contains("<th scope=\"row\">第一检察部</th><td>1</td>"), "{b}");
    assert!(b.contains(">全国人大代表<") && b.contains(">乡镇人大代表<"), "every level a row: {b}");
    let names: Vec<String> =
        liaison_store::read(w.app.store(), |q| q.current_deputy_refs(&liaison_app::default_tenant()))
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .chain(["李明".to_owned(), "联络室王芳".to_owned(), "安全管理员".to_owned()])
            .collect();
    assert!(names.len() >= 3);
    let text = visible(b);
    for n in &names {
        assert!(!text.contains(n.as_str()), "{n} named on the public page: {text}");
    }
    assert!(!has_uuid(b));
    let en = rt().block_on(w.get("/public/figures", &["liaison_lang=en"]));
    assert!(en.body.contains("Suggestions received"), "{}", en.body);
}
