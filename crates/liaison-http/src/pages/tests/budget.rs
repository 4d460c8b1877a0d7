//! 经费 on the pages: the year's budget set up in lines (bad amounts refused naming the field, nothing
//! written), adopted by a leader after re-authentication, spent against a line (beyond what it has
//! refused), an expense entered in error reversed, a supplementary appropriation requested and approved,
//! and the execution table's totals.

use liaison_core::budget::Category;

use super::*;

fn version(p: &Page) -> String {
    p.field("version")
}

#[test]
fn a_budget_in_lines_is_adopted_spent_reversed_and_supplemented() {
    let w = W::new(Edge::default());
    user(&w.app, "leader1", "张院长", "leader", None);
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let go = w.get("/budget", &[&office]).await;
        assert_eq!((go.status, go.location()), (StatusCode::SEE_OTHER, "/budget/2026"));
        let page = w.get("/budget/2026", &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        assert!(
            page.body.contains("2026 年还没有编制经费预算")
                && page.body.contains("aria-current=\"page\">经费</a>")
        );
        let csrf = page.field("csrf");
        let line = |v: &str, c: &'static str, a: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("action", "line".into()),
                ("version", v.to_owned()),
                ("category", c.into()),
                ("amount", a.into()),
            ]
        };
        let o = office.as_str();
        let post = |f: Vec<(&'static str, String)>| async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            w.post("/budget/2026", &[o], &f).await
        };

        // Bad amounts: the field named, nothing written.
        for bad in ["12.345", "-5", "十元"] {
            let r = post(line("0", "meetings", bad)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.body);
            assert!(r.text_of("error-message").starts_with("金额："), "{}", r.body);
            assert!(r.body.contains(&format!("value=\"{bad}\"")), "the amount kept: {}", r.body);
        }
        assert!(w.app.budget(&w.office, 2026).unwrap().budget.lines.is_empty(), "nothing written");

        // ¥180,000 in lines.
        let mut v = "0".to_owned();
        for (c, a) in [
            ("meetings", "40000"),
            ("visits", "50,000"),
            ("activities", "60000.00"),
            ("briefings", "10000"),
            ("commendation", "20000"),
        ] {
            let r = post(line(&v, c, a)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{c}: {}", r.body);
            v = version(&w.get("/budget/2026", &[&office]).await);
        }
        let b = w.app.budget(&w.office, 2026).unwrap().budget;
        assert_eq!(b.lines[&Category::Activities].planned, 6_000_000);
        assert_eq!(b.lines.values().map(|l| l.planned).sum::<u64>(), 18_000_000);
        let page = w.get("/budget/2026", &[&office]).await;
        assert_eq!(page.text_of("total-planned"), "180,000.00", "{}", page.body);
        assert!(page.body.contains("<svg class=\"chart\""), "the chart beside the table");

        // The office cannot adopt; the leader adopts after proving a factor again.
        let no = post(vec![("csrf", csrf.clone()), ("action", "adopt".into()), ("version", v.clone())]).await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
        assert!(no.text_of("error-message").contains("院领导批准"), "{}", no.body);
        let (leader, secret, _) = w.first_login_as("leader1").await;
        w.wait(11 * 60);
        let lp = w.get("/budget/2026", &[&leader]).await;
        let lcsrf = lp.field("csrf");
        let adopt = [("csrf", lcsrf.as_str()), ("action", "adopt"), ("version", v.as_str())];
        let first = w.post("/budget/2026", &[&leader], &adopt).await;
        assert_eq!(first.location(), "/reauth?next=%2Fbudget%2F2026", "{}", first.body);
        assert!(w.app.budget(&w.office, 2026).unwrap().budget.adopted.is_none());
        let code = w.code_now(&secret);
        w.post("/reauth", &[&leader], &[("csrf", &lcsrf), ("next", "/budget/2026"), ("code", &code)]).await;
        let ok = w.post("/budget/2026", &[&leader], &adopt).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/budget/2026"), "{}", ok.body);
        assert_eq!(w.app.budget(&w.office, 2026).unwrap().budget.adopted.unwrap().0.name, "张院长");

        // Spending: within the line, then beyond it refused with what is left.
        let spend = |v: &str, c: &'static str, a: &'static str, r: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("action", "spend".into()),
                ("version", v.to_owned()),
                ("category", c.into()),
                ("amount", a.into()),
                ("purpose", "检察开放日".into()),
                ("reference", r.into()),
                ("on", "2026-03-05".into()),
            ]
        };
        let v = version(&w.get("/budget/2026", &[&office]).await);
        assert_eq!(post(spend(&v, "activities", "58000", "PZ-001")).await.status, StatusCode::SEE_OTHER);
        let v = version(&w.get("/budget/2026", &[&office]).await);
        let over = post(spend(&v, "activities", "5000", "PZ-002")).await;
        assert_eq!(over.status, StatusCode::CONFLICT, "{}", over.body);
        assert!(over.text_of("error-message").contains("仅余 2000.00 元，请申请追加拨款"), "{}", over.body);
        assert!(over.body.contains("value=\"PZ-002\""), "the form kept");
        // An expense entered in error, reversed by a new entry.
        assert_eq!(post(spend(&v, "meetings", "1234.56", "PZ-003")).await.status, StatusCode::SEE_OTHER);
        let page = w.get("/budget/2026", &[&office]).await;
        assert!(page.body.contains("<option value=\"2\">第 2 笔"), "{}", page.body);
        let v = version(&page);
        let rev = post(vec![
            ("csrf", csrf.clone()),
            ("action", "reverse".into()),
            ("version", v),
            ("n", "2".into()),
            ("reason", "金额录入错误".into()),
        ])
        .await;
        assert_eq!(rev.status, StatusCode::SEE_OTHER, "{}", rev.body);
        let b = w.app.budget(&w.office, 2026).unwrap().budget;
        assert_eq!((b.lines[&Category::Meetings].spent, b.lines[&Category::Meetings].reversed), (0, 123_456));
        let page = w.get("/budget/2026", &[&office]).await;
        assert!(page.body.contains("已由第 3 笔冲销") && page.body.contains("冲销第 2 笔"), "{}", page.body);

        // November: the activities line runs short; a supplementary appropriation requested, approved.
        let req = post(vec![
            ("csrf", csrf.clone()),
            ("action", "request".into()),
            ("version", version(&page)),
            ("category", "activities".into()),
            ("amount", "30000".into()),
            ("reason", "下半年代表活动增加".into()),
        ])
        .await;
        assert_eq!(req.status, StatusCode::SEE_OTHER, "{}", req.body);
        let lp = w.get("/budget/2026", &[&leader]).await;
        assert!(
            lp.body.contains("第 1 号 · 活动 · 30,000.00 元") && lp.body.contains("待审批"),
            "{}",
            lp.body
        );
        let approve =
            [("csrf", lcsrf.as_str()), ("action", "approve"), ("n", "1"), ("version", &version(&lp))];
        let ok = w.post("/budget/2026", &[&leader], &approve).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let v = w.app.budget(&w.office, 2026).unwrap();
        assert_eq!(v.budget.lines[&Category::Activities].supplemented, 3_000_000);
        assert!(v.budget.appropriations[0].decision.as_ref().unwrap().is_ok());

        // The execution table's totals.
        let page = w.get("/budget/2026", &[&office]).await;
        strict_page(&page);
        assert_eq!(page.text_of("total-planned"), "180,000.00");
        assert_eq!(page.text_of("total-spent"), "58,000.00");
        assert_eq!(page.text_of("total-available"), "152,000.00");
        let activities = v.execution.iter().find(|e| e.category == Category::Activities).unwrap();
        assert!(activities.projected_shortfall > 0);
        assert!(page.body.contains("张院长 于 2026年3月6日 批准"), "{}", page.body);
        assert!(page.body.contains("bud-short"), "the shortfall marked");
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));
    });
}
