//! 修改密码: the change forced after a password the security administrator set, and a change at will.

use super::*;

fn kinds(w: &W, aud: &Principal) -> Vec<String> {
    let f = liaison_app::trail::AuditFilter {
        kind: Some("auth.".into()),
        limit: Some(1000),
        ..Default::default()
    };
    w.app
        .audit_records(aud, &f)
        .unwrap()
        .items
        .into_iter()
        .map(|e| format!("{} {}", e.kind, e.payload))
        .collect()
}

#[test]
fn a_password_set_by_the_administrator_is_changed_before_anything_else() {
    let w = W::new(Edge::default());
    let aud = user(&w.app, "aud", "审计员", "auditor", None);
    rt().block_on(async {
        let (sc, _, _) = w.enrol_as("office").await;
        // Every page leads to the change first.
        for page in ["/", "/figures", "/notices", "/register"] {
            let p = w.get(page, &[&sc]).await;
            assert_eq!((p.status, p.location()), (StatusCode::SEE_OTHER, "/account/password"), "{page}");
        }
        let form = w.get("/account/password", &[&sc]).await;
        assert_eq!(form.status, StatusCode::OK);
        strict_page(&form);
        assert!(form.body.contains("您的密码是由安全管理员设置的"), "{}", form.body);
        let csrf = form.field("csrf");
        let change = |current: &'static str, new: &'static str, repeat: &'static str| {
            let (w, sc, csrf) = (&w, sc.clone(), csrf.clone());
            async move {
                w.post(
                    "/account/password",
                    &[&sc],
                    &[("csrf", &csrf), ("current", current), ("new", new), ("repeat", repeat)],
                )
                .await
            }
        };
        for (current, new, repeat, says) in [
            (PASSWORD, NEW_PASSWORD, "不一样的口令2027年", "两次输入的新密码不一致"),
            (PASSWORD, "短口令", "短口令", "密码至少 10 个字符"),
            (PASSWORD, "office的新口令2027", "office的新口令2027", "密码不能包含登录名"),
            (PASSWORD, PASSWORD, PASSWORD, "新密码不能与当前密码相同"),
            ("不是当前的口令2026", NEW_PASSWORD, NEW_PASSWORD, "登录名或密码错误"),
        ] {
            let p = change(current, new, repeat).await;
            assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}: {}", p.body);
            assert!(p.body.contains(says) && p.body.contains("role=\"alert\""), "{says}: {}", p.body);
            assert!(w.get("/", &[&sc]).await.location() == "/account/password", "{says}: nothing changed");
        }
        let no_token = w
            .post(
                "/account/password",
                &[&sc],
                &[("current", PASSWORD), ("new", NEW_PASSWORD), ("repeat", NEW_PASSWORD)],
            )
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);

        // A second browser of the same account, to see it end.
        let done = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains("密码已修改"));
        let renewed = format!(
            "__Host-liaison_session={}",
            cookie_value(&done.set_cookie("__Host-liaison_session").unwrap())
        );
        assert_ne!(renewed, sc, "a new session id and cookie");
        assert_eq!(w.get("/", &[&sc]).await.location(), "/login", "the old session ended");
        let home = w.get("/", &[&renewed]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert_ne!(home.field("csrf"), csrf, "a new CSRF token");
        // The old password no longer logs in; the new one does.
        assert!(w.app.login_password(&liaison_app::default_tenant(), "office", PASSWORD).await.is_err());
        assert!(w.app.login_password(&liaison_app::default_tenant(), "office", NEW_PASSWORD).await.is_ok());
        let trail = kinds(&w, &aud);
        assert!(
            trail.iter().any(|k| k.starts_with("auth.password_changed") && k.contains("\"forced\":true")),
            "{trail:?}"
        );
        assert!(
            trail.iter().any(|k| k.starts_with("auth.password_set") && k.contains("\"must_change\":true")),
            "{trail:?}"
        );
        for k in &trail {
            assert!(!k.contains(PASSWORD) && !k.contains(NEW_PASSWORD), "no password in the trail: {k}");
        }

        // Later, at will, from the header's link: not forced.
        let p = w.get("/account/password", &[&renewed]).await;
        assert!(
            !p.body.contains("您的密码是由安全管理员设置的")
                && home.body.contains("href=\"/account/password\"")
        );
    });
}

/// The security administrator resets the authenticator: its owner enrols again and then changes the
/// password (the administrator who reset it could know it).
#[test]
fn after_a_reset_of_the_authenticator_the_password_is_changed_too() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        assert_eq!(w.get("/", &[&sc]).await.status, StatusCode::OK);
        w.app.reset_mfa(&w.sec, "office", Some("手机丢失".into())).await.unwrap();
        // The new phone's first code, in a later time step than the last code used.
        w.wait(31);
        let (sc, _, _) = w.enrol_as("office").await;
        assert_eq!(w.get("/", &[&sc]).await.location(), "/account/password");
    });
}
