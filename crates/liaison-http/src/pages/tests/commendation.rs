//! 表彰 on the pages: the contributions with the evidence behind each number, a nomination with its
//! reasons (bad input and a second one for the period refused, nothing written), approved by a leader after
//! re-authentication, submitted and decided; a department may not nominate.

use liaison_core::commendation::NominationStatus;

use super::*;

#[test]
fn a_deputy_is_nominated_on_the_evidence_approved_submitted_and_commended() {
    let w = W::new(Edge::default());
    rt().block_on(w.app.register_deputy(
        &w.office,
        input("林小红", "乡", "鼓楼区", "13800001111"),
        None,
        None,
    ))
    .unwrap();
    user(&w.app, "leader1", "张院长", "leader", None);
    let w = &w;
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let page = w.get("/commendation", &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        // The two co-signers of 2026-0001, 5 points each, the evidence linked; the third without any.
        assert!(
            page.body.contains("<a href=\"/suggestions/2026-0001\">建议 2026-0001</a> · 5 分")
                && page.body.contains("另有 1 位在任代表")
                && page.body.contains("提出建议每项 5 分"),
            "{}",
            page.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));
        let list = w
            .app
            .contributions(
                &w.office,
                chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
            )
            .unwrap();
        let top = list[0].deputy.clone();
        assert_eq!(list[0].total, 5);
        let csrf = page.field("csrf");
        let deputy = top.deputy.to_string();
        let nominate = |reasons: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("deputy", deputy.clone()),
                ("reasons", reasons.to_owned()),
                ("from", "2026-01-01".to_owned()),
                ("to", "2026-03-06".to_owned()),
            ]
        };
        let o = office.as_str();
        let post = |f: Vec<(&'static str, String)>| async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            w.post("/commendation", &[o], &f).await
        };
        let bad = post(nominate("")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.text_of("error-message").starts_with("推荐理由："), "{}", bad.body);
        assert!(w.app.nominations(&w.office).unwrap().is_empty(), "nothing written");
        let made = post(nominate("积极提出建议，推动未成年人检察工作。")).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert!(
            made.location().starts_with("/commendation?from=2026-01-01&to=2026-03-06"),
            "{}",
            made.location()
        );
        let again = post(nominate("再次推荐")).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.text_of("error-message").contains("同一代表同一期间只能推荐一次"), "{}", again.body);
        assert!(!has_uuid(&visible(&again.body)), "{}", again.body);
        let n = w.app.nominations(&w.office).unwrap().remove(0);
        assert_eq!((n.status, n.contribution.total), (NominationStatus::Nominated, 5));
        let id = n.id.to_string();
        let at = format!("/commendation/{id}");

        // The office cannot approve; the leader does, after proving a factor again.
        let v = n.version.to_string();
        let no = w.post(&at, &[&office], &[("csrf", &csrf), ("action", "approve"), ("version", &v)]).await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
        let (leader, secret, _) = w.first_login_as("leader1").await;
        w.wait(11 * 60);
        let lp = w.get("/commendation?from=2026-01-01&to=2026-03-06", &[&leader]).await;
        assert!(lp.body.contains("审批同意（须再次验证身份）") && lp.body.contains("已推荐"), "{}", lp.body);
        let lcsrf = lp.field("csrf");
        let approve = [("csrf", lcsrf.as_str()), ("action", "approve"), ("version", v.as_str())];
        let first = w.post(&at, &[&leader], &approve).await;
        assert!(
            first.location().starts_with("/reauth?next=%2Fcommendation%3Ffrom%3D"),
            "{}",
            first.location()
        );
        let code = w.code_now(&secret);
        let back = "/commendation?from=2026-01-01&to=2026-03-06";
        w.post("/reauth", &[&leader], &[("csrf", &lcsrf), ("next", back), ("code", &code)]).await;
        let ok = w.post(&at, &[&leader], &approve).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let n = w.app.nominations(&w.office).unwrap().remove(0);
        assert_eq!(n.status, NominationStatus::Approved);

        // Submitted with the letter's reference; commended.
        let v = n.version.to_string();
        let sub = [
            ("csrf", csrf.as_str()),
            ("action", "submit"),
            ("version", &v),
            ("reference", "市检〔2026〕12号"),
        ];
        assert_eq!(w.post(&at, &[&office], &sub).await.status, StatusCode::SEE_OTHER);
        let v = (n.version + 1).to_string();
        let acc = [("csrf", csrf.as_str()), ("action", "accept"), ("version", v.as_str())];
        assert_eq!(w.post(&at, &[&office], &acc).await.status, StatusCode::SEE_OTHER);
        let n = w.app.nominations(&w.office).unwrap().remove(0);
        assert_eq!(n.status, NominationStatus::Accepted);
        let page = w.get(back, &[&office]).await;
        strict_page(&page);
        assert!(
            page.body.contains("已表彰")
                && page.body.contains("张院长 于 2026年3月6日 审批同意")
                && page.body.contains("报送人大常委会（市检〔2026〕12号）"),
            "{}",
            page.body
        );
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // A department reads, but may not nominate.
        let (dept, _, _) = w.first_login_as("dept1").await;
        let dp = w.get("/commendation", &[&dept]).await;
        assert_eq!(dp.status, StatusCode::OK);
        assert!(!dp.body.contains("推荐理由"), "no form for a department");
        let dcsrf = dp.field("csrf");
        let f = [
            ("csrf", dcsrf.as_str()),
            ("deputy", deputy.as_str()),
            ("reasons", "x"),
            ("from", "2026-01-01"),
            ("to", "2026-01-31"),
        ];
        let no = w.post("/commendation", &[&dept], &f).await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
        assert_eq!(w.app.nominations(&w.office).unwrap().len(), 1);
    });
}
