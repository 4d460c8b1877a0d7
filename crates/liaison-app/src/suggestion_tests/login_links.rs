//! Issue 17, item 6: the answer's e-mail to a deputy with an account carries the deputy's own one-use
//! login link, issued by the worker as it sends; the link opens a deputy session once, within its day, and
//! lands on the suggestion's page; a used, expired or forged link changes nothing; staff never see it.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use liaison_core::message::{MessageChannel, Outcome};
use liaison_core::registry::DeputyInput;

use super::World;
use crate::tests::{approved_user, rt};
use crate::*;

struct Capture(Mutex<Vec<Mail>>);

impl Mailer for Capture {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            if let Ok(mut v) = self.0.lock() {
                v.push(mail.clone());
            }
            Outcome::Sent
        })
    }
}

struct Sent {
    w: World,
    /// The suggestion's id.
    key: String,
    /// The deputy with an account, and the mail each got.
    zhao: Principal,
    mails: Vec<Mail>,
}

fn deputy(name: &str, mobile: &str, email: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: "女".into(),
        level: "县".into(),
        term: "18".into(),
        region: "鼓楼区".into(),
        term_start: "2022-01-10".into(),
        mobile: mobile.into(),
        email: email.into(),
        ..DeputyInput::default()
    }
}

/// 赵敏 (with a deputy account) and 钱进 (without one) co-sign; both prefer e-mail; the answer is sent.
fn answered() -> Sent {
    let mut w = World::new();
    let settings = MessageSettings {
        outside: vec![MessageChannel::Email],
        public_url: Some("https://lx.example.cn/".into()),
        ..MessageSettings::default()
    };
    w.app = w.app.clone().with_message_settings(settings);
    let mut ids = vec![];
    for (name, mobile, email) in
        [("赵敏", "13800138011", "zhao@example.cn"), ("钱进", "13800138012", "qian@example.cn")]
    {
        let d =
            rt().block_on(w.app.register_deputy(&w.office, deputy(name, mobile, email), None, None)).unwrap();
        let prefer = ContactInput { prefer: Some("email".into()), ..ContactInput::default() };
        rt().block_on(w.app.set_contact(&w.office, &format!("deputy:{}", d.id), None, &prefer)).unwrap();
        ids.push(d.id.to_string());
    }
    let zhao = approved_user(
        &w.app,
        &NewUser {
            login: "zhaomin".into(),
            display_name: "赵敏".into(),
            roles: vec!["deputy".into()],
            deputy: Some(ids[0].clone()),
            ..Default::default()
        },
    );
    let key = w.file_by(&[&ids[0], &ids[1]]);
    w.assign(&key, &[]);
    w.contact(&key, "办前");
    w.answer(&key, "A").unwrap();
    let capture = Arc::new(Capture(Mutex::new(vec![])));
    let channels = Channels::standard(&w.app)
        .with(MessageChannel::Email, Arc::new(EmailChannel::new(&w.app, capture.clone())));
    rt().block_on(w.app.deliver_due(&channels, 100)).unwrap();
    let mails = capture.0.lock().unwrap().clone();
    Sent { w, key, zhao, mails }
}

/// The login link's token in a mail, if any.
fn token_in(mail: &Mail) -> Option<String> {
    let at = mail.body.find("https://lx.example.cn/deputy/login/")?;
    let link = mail.body[at..].split_whitespace().next()?;
    Some(link.trim_start_matches("https://lx.example.cn/deputy/login/").to_owned())
}

fn trail(w: &World) -> String {
    let recs = liaison_store::read(w.app.store(), |q| {
        q.audit_records(&default_tenant(), &liaison_store::AuditQuery { limit: 10_000, ..Default::default() })
    })
    .unwrap();
    serde_json::to_string(&recs.iter().map(|r| (&r.kind, &r.payload)).collect::<Vec<_>>()).unwrap()
}

#[test]
fn the_answer_mail_signs_its_deputy_in_once_on_the_suggestions_page_and_staff_never_see_the_link() {
    let s = answered();
    let to_zhao: Vec<_> = s.mails.iter().filter(|m| m.to == "zhao@example.cn").collect();
    let to_qian: Vec<_> = s.mails.iter().filter(|m| m.to == "qian@example.cn").collect();
    assert_eq!((to_zhao.len(), to_qian.len()), (1, 1), "{:?}", s.mails);
    assert_eq!(token_in(to_qian[0]), None, "no account, no login link: {}", to_qian[0].body);
    let token = token_in(to_zhao[0]).expect("a login link");
    assert!(to_zhao[0].body.contains("24 小时内有效"), "{}", to_zhao[0].body);

    // Its page names the deputy; the GET changes nothing.
    let form = s.w.app.login_link_form(&token).unwrap();
    assert_eq!(form.deputy, "赵敏");
    let (login, landing) = rt().block_on(s.w.app.login_by_link(&token)).unwrap();
    assert_eq!(landing, format!("/deputy/suggestions/{}", s.key));
    let session = rt().block_on(s.w.app.deputy_session(&login.cookie)).unwrap();
    assert_eq!(session.principal.deputy, s.zhao.deputy, "the link's deputy");

    // Once: a second use is gone, and writes nothing.
    let before = trail(&s.w);
    let again = rt().block_on(s.w.app.login_by_link(&token)).unwrap_err();
    assert_eq!((again.code(), again.kind()), ("login_link.used", ErrorKind::Gone));
    assert_eq!(s.w.app.login_link_form(&token).unwrap_err().code(), "login_link.used");
    assert_eq!(trail(&s.w), before, "nothing written");

    // Recorded without its secret; never in the delivery list.
    assert!(before.contains("auth.login_link_issued") && before.contains("auth.login_link_used"), "{before}");
    assert!(before.contains("login_link") && !before.contains(&token), "no secret in the trail");
    let secret = token.split_once('.').unwrap().1;
    assert!(!before.contains(secret));
    let listed =
        serde_json::to_string(&s.w.app.messages(&s.w.office, &MessageFilter::default()).unwrap()).unwrap();
    assert!(!listed.contains("/deputy/login/"), "no login link in the delivery list");
    let report = s.w.app.verify_state().unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
}

#[test]
fn an_expired_or_forged_link_is_refused_and_changes_nothing() {
    let s = answered();
    let mail = s.mails.iter().find(|m| m.to == "zhao@example.cn").unwrap();
    let token = token_in(mail).unwrap();
    let before = trail(&s.w);
    // Forged: another secret for the same id, garbage, a link of another kind.
    let (id, _) = token.split_once('.').unwrap();
    let feedback =
        mail.body.split("/feedback/").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    for forged in [format!("{id}.{}", "0".repeat(48)), "x".into(), String::new(), "a".repeat(200), feedback] {
        let e = rt().block_on(s.w.app.login_by_link(&forged)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{forged}: {e:?}");
        assert_eq!(s.w.app.login_link_form(&forged).unwrap_err().kind(), ErrorKind::NotFound);
    }
    // A day and a minute later: expired.
    s.w.now.fetch_add(24 * 3600 + 60, Ordering::SeqCst);
    let e = rt().block_on(s.w.app.login_by_link(&token)).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("login_link.expired", ErrorKind::Gone));
    assert_eq!(trail(&s.w), before, "nothing written");
}

#[test]
fn the_links_validity_is_configured_and_checked() {
    let get = |v: &'static str| move |k: &str| (k == "LIAISON_LOGIN_LINK_HOURS").then(|| v.to_owned());
    let s = MessageSettings::from_vars(get("2")).unwrap();
    assert_eq!(s.login_link.valid_for, chrono::Duration::hours(2));
    for bad in ["0", "169", "x"] {
        let e = MessageSettings::from_vars(get(bad)).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "LIAISON_LOGIN_LINK_HOURS", "{bad}");
    }
}
