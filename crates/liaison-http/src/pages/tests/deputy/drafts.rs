//! "提出建议" in-process: the lead drafts and invites a co-signer found by name, bad input named and kept,
//! the co-signer logs in and confirms the edition shown, a stale form refused in Chinese, the lead submits
//! and the suggestion is on both deputies' lists; a third deputy gets 404, CSRF and a staff cookie refused.

use super::*;

const LI: &str = "13800138002";
const ZHAO: &str = "13800138003";

/// A deputy's account for the deputy named `name`.
pub(super) fn account(w: &W, login: &str, name: &str) {
    let app = &w.app;
    let all = app.deputies(&w.office, &Default::default(), None, 1000).unwrap();
    let id = all.items.iter().find(|d| d.name == name).unwrap().id.to_string();
    let admin = app.principal_for_login(&liaison_app::default_tenant(), "admin").unwrap();
    let new = NewUser {
        login: login.into(),
        display_name: name.into(),
        roles: vec!["deputy".into()],
        deputy: Some(id),
        ..Default::default()
    };
    rt().block_on(app.add_user(&admin, &new)).unwrap();
    rt().block_on(app.account_step(&w.sec, login, None, liaison_app::AccountStep::Approve, None)).unwrap();
}

impl Portal {
    /// The login steps for another deputy's mobile: the deputy's cookie.
    pub(super) async fn login_as(&self, mobile: &str) -> String {
        let w = &self.w;
        let form = w.get("/deputy/login", &[]).await;
        let lc = format!(
            "__Host-liaison_login={}",
            cookie_value(&form.set_cookie("__Host-liaison_login").unwrap())
        );
        let token = form.field("csrf");
        let sent = w.post("/deputy/login", &[&lc], &[("csrf", &token), ("mobile", mobile)]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let code = self.code_to(mobile).await;
        let p = w
            .post("/deputy/login/code", &[&lc], &[("csrf", &token), ("mobile", mobile), ("code", &code)])
            .await;
        assert_eq!(p.location(), "/deputy", "{}", p.body);
        format!("__Host-liaison_deputy={}", cookie_value(&p.set_cookie("__Host-liaison_deputy").unwrap()))
    }
}

const TITLE: &str = "关于加强校园周边安全治理的建议";

#[test]
fn a_lead_drafts_invites_a_co_signer_who_confirms_and_the_lead_files_it() {
    let t = Portal::new();
    let w = &t.w;
    rt().block_on(w.app.register_deputy(&w.office, input("赵强", "县", "鼓楼区", ZHAO), None, None)).unwrap();
    account(w, "lina", "李娜");
    account(w, "zhaoqiang", "赵强");
    rt().block_on(async {
        let lead = t.login().await;
        let list = w.get("/deputy/drafts", &[&lead]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("aria-current=\"page\">提出建议"), "{}", list.body);
        assert!(list.body.contains("还没有您领衔起草的建议"));

        // Co-signers found by name: shown by name, level and region, never by id; herself not offered.
        let form = w.get("/deputy/drafts/new?q=李", &[&lead]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("李娜（县，鼓楼区）"), "{}", form.body);
        assert!(!has_uuid(&visible(&form.body)), "no ids shown");
        let none = w.get("/deputy/drafts/new?q=王", &[&lead]).await;
        assert!(none.body.contains("id=\"no-candidates\""), "her own name finds nobody else: {}", none.body);
        let staff_search = w.app.draft_candidates(&w.office, "李", &[]).unwrap_err();
        assert_eq!(staff_search.kind(), liaison_app::ErrorKind::Forbidden, "a deputy's search only");
        let csrf = form.field("csrf");
        let li = form.body.split("name=\"co_signers\" value=\"").nth(1).unwrap().split('"').next().unwrap();
        let li = li.to_owned();

        // A search posted keeps what was typed and the choice.
        let kept = w
            .post(
                "/deputy/drafts/new",
                &[&lead],
                &[
                    ("csrf", &csrf),
                    ("title", TITLE),
                    ("content", "校园周边"),
                    ("co_signers", &li),
                    ("q", "zh"),
                    ("step", "search"),
                ],
            )
            .await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
        assert!(
            kept.body.contains(&format!("value=\"{TITLE}\"")) && kept.body.contains("赵强（县，鼓楼区）")
        );
        assert!(kept.body.contains(&format!("value=\"{li}\" checked>李娜")), "{}", kept.body);

        // Bad input: named, kept, nothing opened; a forged form refused.
        let content = "建议在学校周边增设交通安全设施。";
        let bad = w
            .post(
                "/deputy/drafts/new",
                &[&lead],
                &[("csrf", &csrf), ("title", " "), ("content", content), ("co_signers", &li)],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("id=\"error-message\"") && bad.body.contains("标题"), "{}", bad.body);
        assert!(bad.body.contains(content) && bad.body.contains(&format!("value=\"{li}\" checked")));
        let forged = w
            .post(
                "/deputy/drafts/new",
                &[&lead],
                &[("csrf", "forged"), ("title", TITLE), ("content", content)],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let wang = w.app.principal_for_login(&liaison_app::default_tenant(), "wangfang").unwrap();
        assert!(w.app.drafts(&wang).unwrap().is_empty(), "nothing opened");

        let made = w
            .post(
                "/deputy/drafts/new",
                &[&lead],
                &[("csrf", &csrf), ("title", TITLE), ("content", content), ("co_signers", &li)],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let path = made.location().trim_end_matches("?done=open").to_owned();
        assert!(path.starts_with("/deputy/drafts/") && made.location().ends_with("?done=open"), "{path}");
        let page = w.get(&path, &[&lead]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("李娜（县）") && page.body.contains("待确认"), "{}", page.body);
        assert!(page.body.contains("id=\"submit\"") && page.body.contains("leave_unanswered"));
        assert!(!has_uuid(&visible(&page.body)), "no ids shown");

        // The co-signer: invited, confirms the edition shown; a stale form is refused in Chinese.
        let b = t.login_as(LI).await;
        let blist = w.get("/deputy/drafts", &[&b]).await;
        assert!(blist.body.contains(TITLE) && blist.body.contains("王芳（县）领衔"), "{}", blist.body);
        let bpage = w.get(&path, &[&b]).await;
        assert!(
            bpage.body.contains("id=\"confirm\"") && !bpage.body.contains("id=\"submit\""),
            "{}",
            bpage.body
        );
        let bcsrf = bpage.field("csrf");
        let version = bpage.field("version");
        let forged = w
            .post(
                &path,
                &[&b],
                &[("csrf", "x"), ("version", &version), ("action", "confirm"), ("edition", "1")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let stale = w
            .post(
                &path,
                &[&b],
                &[("csrf", &bcsrf), ("version", "999"), ("action", "confirm"), ("edition", "1")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
        assert!(stale.body.contains("已被他人更新"), "{}", stale.body);
        let ok = w
            .post(
                &path,
                &[&b],
                &[("csrf", &bcsrf), ("version", &version), ("action", "confirm"), ("edition", "1")],
            )
            .await;
        assert_eq!(ok.location(), format!("{path}?done=confirm"), "{}", ok.body);
        let after = w.get(ok.location(), &[&b]).await;
        assert!(
            after.body.contains("您已确认联名第 1 稿") && after.body.contains("id=\"done\""),
            "{}",
            after.body
        );
        // She cannot submit: the lead's action is refused on the page.
        let v = after.field("version");
        let not_hers = w.post(&path, &[&b], &[("csrf", &bcsrf), ("version", &v), ("action", "submit")]).await;
        assert!(not_hers.status.is_client_error(), "{}", not_hers.body);

        // A third deputy: not found; a staff cookie: back to the portal's login.
        let c = t.login_as(ZHAO).await;
        assert_eq!(w.get(&path, &[&c]).await.status, StatusCode::NOT_FOUND);
        let ccsrf = w.get("/deputy/drafts", &[&c]).await.field("csrf");
        let r = w.post(&path, &[&c], &[("csrf", &ccsrf), ("version", &v), ("action", "decline")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let (staff, _, _) = w.first_login().await;
        let staff_value = staff.split_once('=').unwrap().1.to_owned();
        let as_deputy = format!("__Host-liaison_deputy={staff_value}");
        assert_eq!(w.get(&path, &[&as_deputy]).await.location(), "/deputy/login");
        assert_eq!(w.get("/deputy/drafts", &[&staff]).await.location(), "/deputy/login");

        // The lead submits: the filed suggestion's page linked, on both deputies' lists.
        let lpage = w.get(&path, &[&lead]).await;
        let v = lpage.field("version");
        let sent = w.post(&path, &[&lead], &[("csrf", &csrf), ("version", &v), ("action", "submit")]).await;
        assert_eq!(sent.location(), format!("{path}?done=submit"), "{}", sent.body);
        let filed = w.get(&path, &[&lead]).await;
        assert!(
            filed.body.contains("id=\"filed\"") && filed.body.contains("href=\"/deputy/suggestions/"),
            "{}",
            filed.body
        );
        assert!(!filed.body.contains("id=\"submit\""));
        for who in [&lead, &b] {
            let home = w.get("/deputy", &[who]).await;
            assert!(home.body.contains(TITLE), "{}", home.body);
        }
        let zhao_home = w.get("/deputy", &[&c]).await;
        assert!(!zhao_home.body.contains(TITLE));
        // Submitting again: refused in Chinese on the page (the form's version is stale now).
        let again = w.post(&path, &[&lead], &[("csrf", &csrf), ("version", &v), ("action", "submit")]).await;
        assert!(
            again.status.is_client_error() && again.body.contains("id=\"error-message\""),
            "{}",
            again.body
        );
    });
}

#[test]
fn the_lead_edits_with_bad_input_kept_and_withdraws() {
    let t = Portal::new();
    let w = &t.w;
    account(w, "lina", "李娜");
    rt().block_on(async {
        let lead = t.login().await;
        let csrf = w.get("/deputy/drafts/new", &[&lead]).await.field("csrf");
        let made = w
            .post("/deputy/drafts/new", &[&lead], &[("csrf", &csrf), ("title", TITLE), ("content", "内容一")])
            .await;
        let path = made.location().trim_end_matches("?done=open").to_owned();
        // The lead invites 李娜 from the draft's page, found by name; inviting her twice is refused.
        let found = w.get(&format!("{path}?q=李"), &[&lead]).await;
        assert!(
            found.body.contains("id=\"invite\"") && found.body.contains("李娜（县，鼓楼区）"),
            "{}",
            found.body
        );
        assert!(!has_uuid(&visible(&found.body)), "no ids shown");
        let li = found.body.split("name=\"co_signers\" value=\"").nth(1).unwrap().split('"').next().unwrap();
        let v = found.field("version");
        let invite =
            [("csrf", csrf.as_str()), ("version", v.as_str()), ("action", "invite"), ("co_signers", li)];
        let ok = w.post(&path, &[&lead], &invite).await;
        assert_eq!(ok.location(), format!("{path}?done=invite"), "{}", ok.body);
        let p = w.get(ok.location(), &[&lead]).await;
        assert!(p.body.contains("邀请已发出") && p.body.contains("李娜（县）"), "{}", p.body);
        let v = p.field("version");
        let twice =
            [("csrf", csrf.as_str()), ("version", v.as_str()), ("action", "invite"), ("co_signers", li)];
        let twice = w.post(&path, &[&lead], &twice).await;
        assert!(
            twice.status.is_client_error() && twice.body.contains("id=\"error-message\""),
            "{}",
            twice.body
        );

        // She reads edition 1; the lead edits; her confirmation of edition 1 is refused on the page.
        let b = t.login_as(LI).await;
        let bcsrf = w.get(&path, &[&b]).await.field("csrf");
        let v = w.get(&path, &[&lead]).await.field("version");
        let bad = w
            .post(
                &path,
                &[&lead],
                &[("csrf", &csrf), ("version", &v), ("action", "edit"), ("title", ""), ("content", "内容二")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("标题") && bad.body.contains("内容二"), "{}", bad.body);
        let no_version = w.post(&path, &[&lead], &[("csrf", &csrf), ("action", "withdraw")]).await;
        assert_eq!(no_version.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok = w
            .post(
                &path,
                &[&lead],
                &[
                    ("csrf", &csrf),
                    ("version", &v),
                    ("action", "edit"),
                    ("title", TITLE),
                    ("content", "内容二"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let p = w.get(&path, &[&lead]).await;
        assert!(p.body.contains("第 2 稿") && p.body.contains("内容二"), "{}", p.body);
        let v = p.field("version");
        let old =
            [("csrf", bcsrf.as_str()), ("version", v.as_str()), ("action", "confirm"), ("edition", "1")];
        let old = w.post(&path, &[&b], &old).await;
        assert!(old.status.is_client_error() && old.body.contains("id=\"error-message\""), "{}", old.body);
        let lina = w.app.principal_for_login(&liaison_app::default_tenant(), "lina").unwrap();
        assert_eq!(
            w.app.draft(&lina, path.rsplit('/').next().unwrap()).unwrap().co_signers[0].answer,
            "pending"
        );
        let gone = w
            .post(
                &path,
                &[&lead],
                &[("csrf", &csrf), ("version", &v), ("action", "withdraw"), ("reason", "另行提出")],
            )
            .await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
        let p = w.get(&path, &[&lead]).await;
        assert!(
            p.body.contains("已撤回") && p.body.contains("另行提出") && !p.body.contains("id=\"edit\""),
            "{}",
            p.body
        );
    });
}
