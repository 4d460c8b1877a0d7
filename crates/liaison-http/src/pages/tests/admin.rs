//! Administration: the separated administrators' account page and the auditor's trail.

use super::*;

fn count_users(w: &W) -> usize {
    w.app.users(&w.sec).unwrap().len()
}

/// The system administrator opens an account (a reason required, field errors kept in the form); the
/// security administrator approves its roles after proving a factor again, sees a lock and lifts it; the
/// system administrator cannot approve; names everywhere, never ids.
#[test]
fn the_separated_administrators_open_approve_and_unlock_accounts() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (admin, _, _) = w.first_login_as("admin").await;
        let p = w.get("/admin", &[&admin]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        strict_page(&p);
        assert!(
            p.body.contains("联络室王芳") && p.body.contains("李明") && p.body.contains("第一检察部"),
            "{}",
            p.body
        );
        assert!(!p.body.contains("登录：已设密码"), "the sign-in state is the security administrator's");
        assert!(!has_uuid(&p.body), "{}", p.body);
        let csrf = p.field("csrf");

        let before = count_users(&w);
        let fields = [
            ("csrf", csrf.as_str()),
            ("login", "dept2"),
            ("name", "赵强"),
            ("role", "department"),
            ("department", "第一检察部"),
        ];
        let no_reason = w.post("/admin/users", &[&admin], &fields).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            no_reason.body.contains("请填写开设账号的事由") && no_reason.body.contains("value=\"赵强\""),
            "{}",
            no_reason.body
        );
        let bad = [
            ("csrf", csrf.as_str()),
            ("login", "Bad Login"),
            ("name", "赵强"),
            ("role", "department"),
            ("department", "第一检察部"),
            ("reason", "新进人员"),
        ];
        let bad = w.post("/admin/users", &[&admin], &bad).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("role=\"alert\""), "{}", bad.body);
        assert_eq!(count_users(&w), before, "nothing opened on bad input");
        let mut ok = fields.to_vec();
        ok.push(("reason", "新进人员"));
        let added = w.post("/admin/users", &[&admin], &ok).await;
        assert_eq!(
            (added.status, added.location()),
            (StatusCode::SEE_OTHER, "/admin?done=added"),
            "{}",
            added.body
        );
        let p = w.get("/admin?done=added", &[&admin]).await;
        assert!(
            p.body.contains("账号已开设")
                && p.body.contains("赵强")
                && p.body.contains("待批准的角色：内设部门"),
            "{}",
            p.body
        );

        // The system administrator cannot approve.
        let version = w.app.user(&w.sec, "dept2").unwrap().version.to_string();
        let step = |step: &'static str, csrf: String, version: String| {
            vec![
                ("csrf".to_owned(), csrf),
                ("step".to_owned(), step.to_owned()),
                ("reason".to_owned(), "核实无误".to_owned()),
                ("version".to_owned(), version),
            ]
        };
        let as_pairs =
            |v: &Vec<(String, String)>| v.iter().map(|(a, b)| (a.clone(), b.clone())).collect::<Vec<_>>();
        let post = |cookie: String, fields: Vec<(String, String)>| {
            let w = &w;
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                w.post("/admin/users/dept2", &[&cookie], &f).await
            }
        };
        let refused = post(admin.clone(), as_pairs(&step("approve", csrf.clone(), version.clone()))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("您的角色不能进行此操作"), "{}", refused.body);
        assert!(w.app.user(&w.sec, "dept2").unwrap().pending_roles.is_some());

        // The security administrator, eleven minutes after signing in, is sent to prove a factor first.
        let (sec, secret, _) = w.first_login_as("sec").await;
        w.wait(11 * 60);
        // An administrator has no work list: `/` leads to the administration, and the menu holds only it.
        assert_eq!(w.get("/", &[&sec]).await.location(), "/admin");
        let p = w.get("/admin", &[&sec]).await;
        assert!(p.body.contains("登录：已设密码，已绑定验证器"), "{}", p.body);
        assert!(!p.body.contains(">我的待办<") && !p.body.contains(">代表名册<"), "{}", p.body);
        let sec_csrf = p.field("csrf");
        let no_why =
            post(sec.clone(), vec![("csrf".into(), sec_csrf.clone()), ("step".into(), "approve".into())])
                .await;
        assert!(no_why.body.contains("请填写对账号“dept2”操作的事由"), "{}", no_why.body);
        let first = post(sec.clone(), as_pairs(&step("approve", sec_csrf.clone(), version.clone()))).await;
        assert_eq!(
            (first.status, first.location()),
            (StatusCode::SEE_OTHER, "/reauth?next=%2Fadmin"),
            "{}",
            first.body
        );
        assert!(w.app.user(&w.sec, "dept2").unwrap().pending_roles.is_some(), "nothing approved yet");
        let code = w.code_now(&secret);
        let back =
            w.post("/reauth", &[&sec], &[("csrf", &sec_csrf), ("next", "/admin"), ("code", &code)]).await;
        assert_eq!(back.location(), "/admin");
        let approved = post(sec.clone(), as_pairs(&step("approve", sec_csrf.clone(), version.clone()))).await;
        assert_eq!(
            (approved.status, approved.location()),
            (StatusCode::SEE_OTHER, "/admin?done=approve"),
            "{}",
            approved.body
        );
        let u = w.app.user(&w.sec, "dept2").unwrap();
        assert_eq!((u.roles.clone(), u.pending_roles.clone()), (vec!["department".to_owned()], None));
        // The same version again: someone changed it since — the refusal, nothing applied twice.
        let stale = post(sec.clone(), as_pairs(&step("disable", sec_csrf.clone(), version))).await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
        assert!(w.app.user(&w.sec, "dept2").unwrap().active);

        // Five wrong passwords lock dept1's sign-in; the page shows it and the security administrator lifts it.
        w.app.set_password(&w.sec, "dept1", PASSWORD, None).await.unwrap();
        for _ in 0..5 {
            let _ = w.app.login_password(&liaison_app::default_tenant(), "dept1", "完全不对的密码1234").await;
        }
        let p = w.get("/admin", &[&sec]).await;
        assert!(p.body.contains("已锁定至"), "{}", p.body);
        let v = w.app.user(&w.sec, "dept1").unwrap().version.to_string();
        let unlocked = w
            .post(
                "/admin/users/dept1",
                &[&sec],
                &[("csrf", &sec_csrf), ("step", "unlock"), ("reason", "本人来电核实"), ("version", &v)],
            )
            .await;
        assert_eq!(unlocked.location(), "/admin?done=unlock", "{}", unlocked.body);
        assert!(
            w.app
                .locked_accounts(&w.sec)
                .unwrap()
                .iter()
                .all(|l| l.login != "dept1" || l.locked_until.is_none())
        );
        let p = w.get("/admin?done=unlock", &[&sec]).await;
        assert!(p.body.contains("登录锁定已解除") && !p.body.contains("已锁定至"), "{}", p.body);

        // A post from another site is refused.
        let cross = w
            .send(
                "POST",
                "/admin/users/dept1",
                &[&sec],
                Some(form(&[("csrf", &sec_csrf), ("step", "disable"), ("reason", "x")])),
                &[("sec-fetch-site", "cross-site")],
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        assert!(w.app.user(&w.sec, "dept1").unwrap().active);
    });
}

/// The auditor reads the trail (filtered, the reason shown, CSV with its BOM) and no accounts page; an
/// officer reads neither.
#[test]
fn the_auditor_reads_the_trail_and_nothing_else() {
    let w = W::new(Edge::default());
    user(&w.app, "audit1", "审计员赵", "auditor", None);
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let denied = w.get("/admin/audit", &[&office]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert!(
            denied.body.contains("审计日志只对审计管理员开放")
                && !denied.body.contains("<ol class=\"audit\">\n<li"),
            "{}",
            denied.body
        );

        let (aud, _, _) = w.first_login_as("audit1").await;
        // The accounts are not the auditor's: the administration opens on the trail.
        let users = w.get("/admin", &[&aud]).await;
        assert_eq!((users.status, users.location()), (StatusCode::SEE_OTHER, "/admin/audit"));
        assert!(
            w.app
                .roster(&w.app.principal_for_login(&liaison_app::default_tenant(), "audit1").unwrap())
                .is_err()
        );
        let all = w.get("/admin/audit", &[&aud]).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        strict_page(&all);
        assert!(all.body.contains("suggestion.filed") || all.body.contains("suggestion."), "{}", all.body);
        let auth = w.get("/admin/audit?kind=auth.&actor=&from=&to=", &[&aud]).await;
        assert!(auth.body.contains("auth.") && !auth.body.contains(">suggestion."), "{}", auth.body);
        assert!(auth.body.contains("联络室王芳"), "the actor by name: {}", auth.body);
        let bad = w.get("/admin/audit?from=2026-13-40", &[&aud]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let csv = w.get("/admin/audit.csv?kind=auth.", &[&aud]).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM");
        assert_eq!(csv.headers[header::CACHE_CONTROL], "no-store");
        assert!(csv.body.lines().skip(1).all(|l| l.contains("auth.")), "{}", csv.body);
        let exported = w.get("/admin/audit?kind=audit.exported", &[&aud]).await;
        assert!(
            exported.body.contains("audit.exported") && exported.body.contains("审计员赵"),
            "{}",
            exported.body
        );
        let office_csv = w.get("/admin/audit.csv", &[&office]).await;
        assert_ne!(office_csv.status, StatusCode::OK);
    });
}

/// The system administrator opens an integration system's account, issues it a token shown once (it works
/// against the API), and revokes it with a reason after proving a factor again; the revoked token is
/// refused at once; the security administrator has no tokens page.
#[test]
fn the_system_administrator_issues_a_token_shown_once_and_revokes_it() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (admin, secret, _) = w.first_login_as("admin").await;
        let p = w.get("/admin", &[&admin]).await;
        assert!(p.body.contains("href=\"/admin/tokens\""), "the tab: {}", p.body);
        let csrf = p.field("csrf");
        let open = [
            ("csrf", csrf.as_str()),
            ("login", "casesys"),
            ("name", "案件管理系统"),
            ("role", "officer"),
            ("department", ""),
            ("service", "on"),
            ("reason", "接入案件管理系统的代表身份核查"),
        ];
        let added = w.post("/admin/users", &[&admin], &open).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let t = liaison_app::default_tenant();
        let casesys = w.app.principal_for_login(&t, "casesys").unwrap();
        assert!(w.app.users(&w.sec).unwrap().iter().any(|u| u.login == "casesys" && u.kind == "service"));

        let page = w.get("/admin/tokens", &[&admin]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        assert!(
            page.body.contains("案件管理系统（casesys）")
                && page.body.contains("系统管理员（admin）</th><td>首个管理员令牌"),
            "{}",
            page.body
        );
        let admin_p = w.app.principal_for_login(&t, "admin").unwrap();
        let tokens = |w: &W| w.app.tokens(&admin_p).unwrap();
        for (label, days, said) in [("", "", "用途"), ("身份核查", "abc", "有效天数")] {
            let bad = w
                .post(
                    "/admin/tokens",
                    &[&admin],
                    &[("csrf", &csrf), ("login", "casesys"), ("label", label), ("days", days)],
                )
                .await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
            assert!(bad.text_of("error-message").contains(said), "{said}: {}", bad.body);
        }
        assert_eq!(tokens(&w).len(), 1, "nothing issued on bad input");

        let made = w
            .post(
                "/admin/tokens",
                &[&admin],
                &[("csrf", &csrf), ("login", "casesys"), ("label", "身份核查"), ("days", "30")],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        strict_page(&made);
        let secret_token = made.field_by_id("token-secret");
        assert_eq!(w.app.authenticate(&secret_token).unwrap().user, casesys.user, "the token works");
        let again = w.get("/admin/tokens", &[&admin]).await;
        assert!(!again.body.contains(&secret_token), "shown once");
        assert!(
            visible(&again.body).contains("身份核查") && !has_uuid(&visible(&again.body)),
            "{}",
            again.body
        );

        let mine = |w: &W| tokens(w).into_iter().find(|t| t.label == "身份核查").unwrap();
        let id = mine(&w).id;
        let no_reason = w
            .post(&format!("/admin/tokens/{id}/revoke"), &[&admin], &[("csrf", &csrf), ("reason", " ")])
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
        assert!(mine(&w).revoked_at.is_none());
        w.wait(11 * 60);
        let admin = {
            // The session idles out after 30 minutes; 11 are fine, but the re-authentication is older than 10.
            let r = w
                .post(
                    &format!("/admin/tokens/{id}/revoke"),
                    &[&admin],
                    &[("csrf", &csrf), ("reason", "系统下线")],
                )
                .await;
            assert_eq!(
                (r.status, r.location()),
                (StatusCode::SEE_OTHER, "/reauth?next=%2Fadmin%2Ftokens"),
                "{}",
                r.body
            );
            let form = w.get("/reauth?next=%2Fadmin%2Ftokens", &[&admin]).await;
            let ok = w
                .post(
                    "/reauth",
                    &[&admin],
                    &[
                        ("csrf", &form.field("csrf")),
                        ("next", "/admin/tokens"),
                        ("code", &w.code_now(&secret)),
                    ],
                )
                .await;
            assert_eq!(ok.location(), "/admin/tokens", "{}", ok.body);
            admin
        };
        assert!(mine(&w).revoked_at.is_none(), "nothing revoked before the proof");
        let r = w
            .post(
                &format!("/admin/tokens/{id}/revoke"),
                &[&admin],
                &[("csrf", &csrf), ("reason", "系统下线")],
            )
            .await;
        assert_eq!(r.location(), "/admin/tokens?done=revoked", "{}", r.body);
        assert!(mine(&w).revoked_at.is_some());
        assert!(w.app.authenticate(&secret_token).is_err(), "refused at once");

        let sec = w.first_login_as("sec").await.0;
        assert_eq!(w.get("/admin/tokens", &[&sec]).await.status, StatusCode::FORBIDDEN);
    });
}

/// The audit administrator verifies the chain and signs a checkpoint from the audit page: the page names the
/// records verified and the head, the checkpoint verifies against the chain, the issue is itself recorded;
/// another role is refused.
#[test]
fn the_auditor_verifies_the_chain_and_signs_a_checkpoint() {
    let w = W::new(Edge::default());
    user(&w.app, "auditor", "审计管理员", "auditor", None);
    rt().block_on(async {
        let ac = w.first_login_as("auditor").await.0;
        // The audit administrator's home and administration are the trail.
        assert_eq!(w.get("/", &[&ac]).await.location(), "/admin/audit");
        assert_eq!(w.get("/admin", &[&ac]).await.location(), "/admin/audit");
        let page = w.get("/admin/audit", &[&ac]).await;
        assert!(!page.body.contains(">账号与角色</a>"), "no accounts tab: {}", page.body);
        assert!(page.body.contains("id=\"checkpoint-form\""), "{}", page.body);
        let csrf = page.field("csrf");
        let done = w.post("/admin/audit/checkpoint", &[&ac], &[("csrf", &csrf)]).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        strict_page(&done);
        assert!(done.text_of("verified").contains("审计链完整"), "{}", done.body);
        let text = done.body[done.body.find("id=\"checkpoint\"").unwrap()..].to_owned();
        let json = &text[text.find('>').unwrap() + 1..text.find("</textarea>").unwrap()];
        let json = json.replace("&quot;", "\"").replace("&#34;", "\"");
        let c: liaison_store::audit::Checkpoint =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(done.text_of("head"), c.head);
        let checked = w.app.verify_checkpoint(&c).unwrap();
        assert!(checked.problems.is_empty() && checked.chain.ok(), "{:?}", checked.problems);
        let t = liaison_app::default_tenant();
        let auditor = w.app.principal_for_login(&t, "auditor").unwrap();
        let issued = w
            .app
            .audit_records(
                &auditor,
                &liaison_app::trail::AuditFilter {
                    kind: Some("audit.checkpoint_issued".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(issued.items.len(), 1);

        let oc = w.first_login().await.0;
        let csrf = w.get("/", &[&oc]).await.field("csrf");
        let no = w.post("/admin/audit/checkpoint", &[&oc], &[("csrf", &csrf)]).await;
        assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
    });
}
