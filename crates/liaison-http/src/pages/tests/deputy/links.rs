//! The one-use login link in-process: the link caught from a notice's e-mail opens a confirmation page
//! (the GET signs no one in), its button signs the deputy in and lands on the notice, CSRF refused, a used
//! link 410 and a forged one 404 with the way to log in by SMS code, in Chinese and in English.

use std::sync::Mutex;

use liaison_app::{Channels, EmailChannel, Mail, Mailer, MessageSettings, NoticeAction, Sending};
use liaison_core::message::{MessageChannel, Outcome};

use super::*;

struct Capture(Mutex<Vec<Mail>>);

impl Mailer for Capture {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            self.0.lock().unwrap().push(mail.clone());
            Outcome::Sent
        })
    }
}

/// 王芳 (an account, e-mail preferred) is sent a notice by e-mail: the notice's id and the link's path.
fn sent() -> (W, String, String) {
    let mut w = W::new(Edge::default());
    let settings = MessageSettings {
        outside: vec![MessageChannel::Email],
        public_url: Some("https://lx.example.cn".into()),
        ..MessageSettings::default()
    };
    let app = w.app.clone().with_message_settings(settings);
    let office = w.office.clone();
    let mut wang = input("王芳", "县", "鼓楼区", "13800138001");
    wang.email = "wang@example.cn".into();
    let wang = rt().block_on(app.register_deputy(&office, wang, None, None)).unwrap().id.to_string();
    let prefer = liaison_app::ContactInput { prefer: Some("email".into()), ..Default::default() };
    rt().block_on(app.set_contact(&office, &format!("deputy:{wang}"), None, &prefer)).unwrap();
    let admin = app.principal_for_login(&liaison_app::default_tenant(), "admin").unwrap();
    let new = NewUser {
        login: "wangfang".into(),
        display_name: "王芳".into(),
        roles: vec!["deputy".into()],
        deputy: Some(wang.clone()),
        ..Default::default()
    };
    rt().block_on(app.add_user(&admin, &new)).unwrap();
    rt().block_on(app.account_step(&w.sec, "wangfang", None, liaison_app::AccountStep::Approve, None))
        .unwrap();
    let leader = user(&app, "leader1", "张院长", "leader", None);
    let n = rt()
        .block_on(app.draft_notice(
            &office,
            &liaison_app::NoticeInput {
                title: "关于办理一起涉企案件的情况通报".into(),
                content: "现将有关情况通报如下。".into(),
                scope: "chosen".into(),
                values: vec![],
                deputies: vec![wang],
                channel: "email".into(),
            },
        ))
        .unwrap();
    let notice = n.notice.id.to_string();
    rt().block_on(app.notice_action(&leader, &notice, None, NoticeAction::Approve {})).unwrap();
    rt().block_on(app.notice_action(&office, &notice, None, NoticeAction::Send {})).unwrap();
    let capture = Arc::new(Capture(Mutex::new(vec![])));
    let channels = Channels::standard(&app)
        .with(MessageChannel::Email, Arc::new(EmailChannel::new(&app, capture.clone())));
    rt().block_on(app.deliver_due(&channels, 100)).unwrap();
    let mails = capture.0.lock().unwrap().clone();
    let mail = mails.iter().find(|m| m.to == "wang@example.cn").expect("the notice's e-mail");
    let at = mail.body.find("https://lx.example.cn/deputy/login/").expect("a login link");
    let link = mail.body[at..].split_whitespace().next().unwrap();
    let path = link.trim_start_matches("https://lx.example.cn").to_owned();
    w.app = app;
    (w, notice, path)
}

#[test]
fn the_link_in_an_email_signs_its_deputy_in_once_after_a_button_and_lands_on_the_notice() {
    let (w, notice, path) = sent();
    rt().block_on(async {
        let page = w.get(&path, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("王芳代表") && page.body.contains("id=\"link-login\""), "{}", page.body);
        assert!(page.set_cookie("__Host-liaison_deputy").is_none(), "the GET signs no one in");
        assert_eq!(page.headers[header::REFERRER_POLICY], "no-referrer");
        let lc = format!(
            "__Host-liaison_login={}",
            cookie_value(&page.set_cookie("__Host-liaison_login").unwrap())
        );
        let csrf = page.field("csrf");
        // A scanner's second GET, and a forged form, change nothing.
        assert_eq!(w.get(&path, &[]).await.status, StatusCode::OK);
        assert_eq!(w.post(&path, &[&lc], &[("csrf", "forged")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.post(&path, &[], &[("csrf", &csrf)]).await.status, StatusCode::FORBIDDEN);

        let done = w.post(&path, &[&lc], &[("csrf", &csrf)]).await;
        assert_eq!(
            (done.status, done.location()),
            (StatusCode::SEE_OTHER, format!("/deputy/notices/{notice}").as_str())
        );
        let set = done.set_cookie("__Host-liaison_deputy").expect("the deputy's cookie");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
        let dc = format!("__Host-liaison_deputy={}", cookie_value(&set));
        let notice_page = w.get(&format!("/deputy/notices/{notice}"), &[&dc]).await;
        assert_eq!(notice_page.status, StatusCode::OK, "{}", notice_page.body);
        assert!(notice_page.body.contains("关于办理一起涉企案件的情况通报"));

        // Used: 410, with the SMS login.
        let again = w.post(&path, &[&lc], &[("csrf", &csrf)]).await;
        assert_eq!(again.status, StatusCode::GONE, "{}", again.body);
        assert!(again.body.contains("该登录链接已使用过") && again.body.contains("href=\"/deputy/login\""));
        assert!(again.set_cookie("__Host-liaison_deputy").is_none());
        let shown = w.get(&path, &[]).await;
        assert_eq!(shown.status, StatusCode::GONE);
        let en = w.get(&path, &["liaison_lang=en"]).await;
        assert!(
            en.body.contains("already used") && en.body.contains("Log in with an SMS code"),
            "{}",
            en.body
        );

        // Forged: 404, with the SMS login.
        let (id, _) = path.trim_start_matches("/deputy/login/").split_once('.').unwrap();
        let forged = w.get(&format!("/deputy/login/{id}.{}", "0".repeat(48)), &[]).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND, "{}", forged.body);
        assert!(forged.body.contains("该登录链接无效") && forged.body.contains("href=\"/deputy/login\""));
        let forged = w.post("/deputy/login/nonsense", &[&lc], &[("csrf", &csrf)]).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn the_portal_has_the_language_switch_and_speaks_english_when_asked() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let zh = w.get("/deputy/login", &[]).await;
        assert!(zh.body.contains("href=\"/lang?to=en&amp;next=/deputy/login\""), "{}", zh.body);
        assert!(zh.body.contains("<h1>代表登录</h1>"));
        let en = w.get("/deputy/login", &["liaison_lang=en"]).await;
        assert_eq!(en.headers[header::CONTENT_LANGUAGE], "en");
        assert!(
            en.body.contains("<h1>Deputy login</h1>") && en.body.contains("no password is needed"),
            "{}",
            en.body
        );
        assert!(en.body.contains("href=\"/lang?to=zh&amp;next=/deputy/login\""), "the way back: {}", en.body);
        let switched = w.get("/lang?to=en&next=/deputy/login", &[]).await;
        assert_eq!(switched.location(), "/deputy/login");
        assert!(switched.set_cookie("liaison_lang").unwrap().contains("liaison_lang=en"));
    });
}
