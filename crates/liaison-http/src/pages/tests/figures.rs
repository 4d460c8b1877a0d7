//! The dashboard and the re-authentication page.

use super::*;

/// Every level a row even at zero, the seeded joint suggestion under the levels of its co-signers and
/// once in the total, the charts' text alternative, the month table; a bad year or grouping is a 422 that
/// names it; an account without the permission sees why, not the figures.
#[test]
fn the_dashboard_draws_each_level_and_month_with_its_numbers_beside() {
    let w = W::new(Edge::default());
    user(&w.app, "audit1", "审计员赵", "auditor", None);
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        let p = w.get("/figures", &[&sc]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        strict_page(&p);
        let b = &p.body;
        let levels = &b[b.find("<tbody>").unwrap()..b.find("</tbody>").unwrap()];
        assert_eq!(levels.matches("<tr>").count(), 5, "every level a row: {levels}");
        assert!(levels.find(">全国<").unwrap() < levels.find(">乡<").unwrap(), "{levels}");
        assert!(b.contains("<tfoot><tr><th scope=\"row\">合计</th><td>1</td><td>0</td>"), "{b}");
        assert!(b.contains("<span class=\"n\">1</span>收到建议（件）"), "{b}");
        assert!(
            b.contains("aria-labelledby=\"by-group-t by-group-d\"")
                && b.contains("<desc id=\"by-group-d\">收到：")
        );
        assert!(b.contains("<th scope=\"row\">2026-03</th><td>1</td>"), "received in March: {b}");
        assert!(b.contains("<th scope=\"row\">2026-12</th><td>0</td>"), "every month of the year: {b}");
        assert!(b.contains("aria-current=\"page\">统计</a>"), "the menu marks the page");
        assert!(!b.contains(">系统管理<"), "the office's menu has no administration");
        assert!(!has_uuid(b));

        let by_dept = w.get("/figures?by=department&year=2026", &[&sc]).await;
        assert!(by_dept.body.contains("<th scope=\"row\">第一检察部</th><td>1</td>"), "{}", by_dept.body);
        let last_year = w.get("/figures?year=2025", &[&sc]).await;
        assert!(last_year.body.contains("<span class=\"n\">0</span>收到建议（件）"), "{}", last_year.body);

        for (q, says) in
            [("year=20x6", "年份“20x6”无效"), ("year=1999", "年份“1999”无效"), ("by=all", "分组方式无效")]
        {
            let bad = w.get(&format!("/figures?{q}"), &[&sc]).await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
            assert!(
                bad.body.contains(says) && !bad.body.contains("<svg class=\"chart\""),
                "{q}: {}",
                bad.body
            );
        }

        // The auditor has no suggestion figures to read.
        let (sec_cookie, _, _) = w.first_login_as("audit1").await;
        let p = w.get("/figures", &[&sec_cookie]).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{}", p.body);
        assert!(p.body.contains("不能查看建议办理统计") && !p.body.contains("收到建议（件）"), "{}", p.body);
    });
}

/// Re-authentication: the form returns only to a path of this site; a wrong password is refused with the
/// form again; the right code refreshes the session's authentication and goes back.
#[test]
fn reauthentication_proves_a_factor_again_and_returns_only_to_this_site() {
    let w = W::new(Edge::default());
    let aud = user(&w.app, "aud", "审计员", "auditor", None);
    rt().block_on(async {
        let (sc, secret, _) = w.first_login().await;
        w.wait(11 * 60);
        let session_cookie = cookie_value(&sc);
        let s = w.app.session(&session_cookie).await.unwrap();
        assert!(w.app.require_recent_auth(&s).is_err(), "eleven minutes later the session must prove again");

        for (next, kept) in
            [("/register/x?a=1", "/register/x?a=1"), ("//evil.example/", "/"), ("https://evil.example/", "/")]
        {
            let q: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
            let p = w.get(&format!("/reauth?next={q}"), &[&sc]).await;
            assert_eq!(p.status, StatusCode::OK, "{}", p.body);
            assert_eq!(p.field("next"), kept.replace('&', "&amp;"), "{next}");
        }
        let p = w.get("/reauth?next=/figures", &[&sc]).await;
        let csrf = p.field("csrf");
        let no_token = w.post("/reauth", &[&sc], &[("next", "/figures"), ("password", PASSWORD)]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let wrong = w
            .post(
                "/reauth",
                &[&sc],
                &[("csrf", &csrf), ("next", "/figures"), ("password", "不对的密码123456")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
        assert!(wrong.body.contains("role=\"alert\""), "{}", wrong.body);
        let s = w.app.session(&session_cookie).await.unwrap();
        assert!(w.app.require_recent_auth(&s).is_err(), "a wrong password proves nothing");

        let code = w.code_now(&secret);
        let ok = w.post("/reauth", &[&sc], &[("csrf", &csrf), ("next", "/figures"), ("code", &code)]).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/figures"), "{}", ok.body);
        let s = w.app.session(&session_cookie).await.unwrap();
        assert!(w.app.require_recent_auth(&s).is_ok());
        let f = liaison_app::trail::AuditFilter {
            kind: Some("auth.reauthenticated".into()),
            ..Default::default()
        };
        let proofs = w.app.audit_records(&aud, &f).unwrap().items;
        assert_eq!(proofs.len(), 1, "one proof recorded, the wrong password none");
        assert_eq!(proofs[0].payload["factor"], "totp");
    });
}
