//! A deputy's login by SMS code on a real SQLite file with a clock the tests move: the code caught from
//! a stand-in SMS gateway; right, wrong, expired, locked; an unknown number, a deputy without an account,
//! a staff account's number, the send limit; and no code anywhere staff can read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use liaison_core::message::{MessageChannel, Outcome};
use liaison_store::default_tenant;

use crate::delivery::{Channels, Sending};
use crate::senders::{Sms, SmsChannel, SmsGateway};
use crate::tests::{approved_user, rt};
use liaison_core::registry::DeputyInput;

use crate::{App, AppError, Config, Principal};

const WANG: &str = "13800138001";
const LI: &str = "13800138002";
const NOBODY: &str = "13900000000";

#[derive(Default)]
struct Caught(Mutex<Vec<Sms>>);

impl SmsGateway for Caught {
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a> {
        self.0.lock().unwrap().push(sms.clone());
        Box::pin(async { Outcome::Sent })
    }
}

struct World {
    app: App,
    now: Arc<AtomicI64>,
    office: Principal,
    caught: Arc<Caught>,
    channels: Channels,
    _dir: tempfile::TempDir,
}

fn deputy(name: &str, mobile: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: "女".into(),
        level: "县".into(),
        term: "18".into(),
        region: "鼓楼区".into(),
        term_start: "2022-01-10".into(),
        mobile: mobile.into(),
        ..DeputyInput::default()
    }
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(AtomicI64::new(Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap().timestamp()));
        let n = now.clone();
        let settings = crate::outgoing::MessageSettings::from_vars(|k| match k {
            "LIAISON_SMS_PROVIDER" => Some("test".into()),
            // Quiet hours now (23:00 China time): a login code does not wait for them.
            "LIAISON_QUIET_HOURS" => Some("22:00-07:00".into()),
            "LIAISON_MESSAGE_DISABLE" => Some("auth.login_code".into()),
            _ => None,
        })
        .unwrap();
        let app = App::open(&Config::for_db(&dir.path().join("t.db")))
            .unwrap()
            .with_clock(Arc::new(move || Utc.timestamp_opt(n.load(Ordering::SeqCst), 0).unwrap()))
            .with_message_settings(settings);
        rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
        let office = approved_user(
            &app,
            &crate::NewUser {
                login: "office".into(),
                display_name: "联络室".into(),
                roles: vec!["office".into()],
                ..Default::default()
            },
        );
        let caught = Arc::new(Caught::default());
        let channels = Channels::standard(&app).with(
            MessageChannel::Sms,
            Arc::new(SmsChannel::new(&app, caught.clone() as Arc<dyn SmsGateway>)),
        );
        let w = Self { app, now, office, caught, channels, _dir: dir };
        let wang = w.register("王芳", WANG);
        w.register("李娜", LI);
        approved_user(
            &w.app,
            &crate::NewUser {
                login: "wangfang".into(),
                display_name: "王芳".into(),
                roles: vec!["deputy".into()],
                deputy: Some(wang),
                ..Default::default()
            },
        );
        w
    }

    fn register(&self, name: &str, mobile: &str) -> String {
        rt().block_on(self.app.register_deputy(&self.office, deputy(name, mobile), None, None))
            .unwrap()
            .id
            .to_string()
    }

    fn wait(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    fn request(&self, mobile: &str) -> Result<(), AppError> {
        rt().block_on(self.app.request_login_code(&default_tenant(), mobile))
    }

    fn verify(&self, mobile: &str, code: &str) -> Result<crate::login::DeputyLogin, AppError> {
        rt().block_on(self.app.verify_login_code(&default_tenant(), mobile, code))
    }

    /// Deliver what is due; the codes the gateway was given, oldest first.
    fn codes(&self) -> Vec<(String, String)> {
        rt().block_on(self.app.deliver_due(&self.channels, 100)).unwrap();
        self.caught
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|s| (s.to.clone(), s.params["code"].as_str().unwrap_or_default().to_owned()))
            .collect()
    }

    fn last_code(&self) -> String {
        let codes = self.codes();
        let (to, code) = codes.last().cloned().expect("an SMS was sent");
        assert_eq!(to, WANG, "only to the registered mobile");
        code
    }

    fn audit_text(&self) -> String {
        let recs = liaison_store::read(self.app.store(), |q| {
            q.audit_records(
                &default_tenant(),
                &liaison_store::AuditQuery { limit: 10_000, ..Default::default() },
            )
        })
        .unwrap();
        serde_json::to_string(&recs.iter().map(|r| (&r.kind, &r.payload)).collect::<Vec<_>>()).unwrap()
    }
}

fn wrong_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[test]
fn the_right_code_in_time_opens_a_deputy_session_and_no_code_is_kept_or_shown() {
    let w = World::new();
    w.request(WANG).unwrap();
    let code = w.last_code();
    assert_eq!(code.len(), 6);
    let sms = w.caught.0.lock().unwrap().last().cloned().unwrap();
    assert!(sms.text.contains(&code) && sms.params.get("sealed_code").is_none(), "{sms:?}");
    let login = w.verify(&format!("+86 {WANG}"), &code).unwrap();
    assert_eq!(login.name, "王芳");
    let s = rt().block_on(w.app.deputy_session(&login.cookie)).unwrap();
    assert!(s.principal.deputy.is_some());
    // Used once.
    let e = w.verify(WANG, &code).unwrap_err();
    assert_eq!(e.code(), "deputy_login.no_code");
    // Staff read the message without its code; the trail has neither the code nor its hash.
    let stored =
        liaison_store::read(w.app.store(), |q| q.messages(&default_tenant(), &Default::default())).unwrap();
    let m = stored.iter().find(|m| m.message.kind == "auth.login_code").expect("queued");
    let (body, params) = (&m.message.body, m.message.params.clone().unwrap_or_default());
    assert!(!body.contains(&code) && body.contains("不显示") && !params.contains(&code), "{body} {params}");
    let trail = w.audit_text();
    assert!(!trail.contains(&code), "no code in the audit trail");
    assert!(trail.contains("auth.login_code_issued") && trail.contains("sms_code"), "{trail}");
    let stored = liaison_store::read(w.app.store(), |q| {
        q.records(&default_tenant(), crate::login::CODE_LOGIN, &Default::default())
    })
    .unwrap();
    assert!(stored.iter().all(|r| !r.data.contains(&code) && !r.id.contains(WANG)));
    let report = w.app.verify_state().unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
}

#[test]
fn a_login_code_goes_at_once_in_quiet_hours_even_when_switched_off() {
    let w = World::new();
    w.request(WANG).unwrap();
    assert_eq!(w.codes().len(), 1, "sent now, 23:00 China time, with the kind in LIAISON_MESSAGE_DISABLE");
}

#[test]
fn a_wrong_code_counts_and_the_fifth_locks_for_fifteen_minutes() {
    let w = World::new();
    w.request(WANG).unwrap();
    let code = w.last_code();
    for i in 1..5 {
        let e = w.verify(WANG, &wrong_code(&code)).unwrap_err();
        assert_eq!(e.code(), "input.invalid", "wrong {i}: {}", e);
        assert_eq!(e.field_errors()[0].field, "code");
    }
    let e = w.verify(WANG, &wrong_code(&code)).unwrap_err();
    assert_eq!(e.code(), "deputy_login.locked");
    // The right code no longer works, nor may a new one be asked for, until the lock ends.
    assert_eq!(w.verify(WANG, &code).unwrap_err().code(), "deputy_login.locked");
    assert_eq!(w.request(WANG).unwrap_err().code(), "deputy_login.locked");
    w.wait(15 * 60);
    w.request(WANG).unwrap();
    let code = w.last_code();
    w.verify(WANG, &code).unwrap();
    assert!(w.audit_text().contains("auth.login_code_locked"));
}

#[test]
fn an_expired_code_is_wrong() {
    let w = World::new();
    w.request(WANG).unwrap();
    let code = w.last_code();
    w.wait(5 * 60 + 1);
    assert_eq!(w.verify(WANG, &code).unwrap_err().code(), "input.invalid");
}

#[test]
fn bad_input_names_its_field_and_changes_nothing() {
    let w = World::new();
    let before = w.audit_text();
    let e = w.request("12345").unwrap_err();
    assert_eq!(e.field_errors()[0].field, "mobile");
    w.request(WANG).unwrap();
    let mid = w.audit_text();
    for bad in ["12345", "abcdef", "1234567", ""] {
        let e = w.verify(WANG, bad).unwrap_err();
        assert_eq!((e.code(), e.field_errors()[0].field.as_str()), ("input.invalid", "code"), "{bad}");
    }
    assert_eq!(w.verify("1", "123456").unwrap_err().field_errors()[0].field, "mobile");
    assert_eq!(mid, w.audit_text(), "malformed input records nothing");
    assert_ne!(before, mid);
}

#[test]
fn numbers_without_a_deputy_account_get_the_same_answer_and_nothing_is_sent() {
    let w = World::new();
    // Unknown, a deputy without an account, and the number of a staff account's owner who is no deputy.
    for n in [NOBODY, LI] {
        w.request(n).unwrap();
        let e = w.verify(n, "000000").unwrap_err();
        assert_eq!(e.code(), "input.invalid", "the same wrong code as a deputy's");
    }
    assert!(w.codes().is_empty(), "nothing sent");
    // A disabled deputy account gets nothing either.
    let sec = crate::tests::security_admin(&w.app);
    rt().block_on(w.app.account_step(
        &sec,
        "wangfang",
        None,
        crate::AccountStep::Disable,
        Some("离任".into()),
    ))
    .unwrap();
    w.request(WANG).unwrap();
    assert!(w.codes().is_empty());
}

#[test]
fn a_number_may_ask_three_times_in_fifteen_minutes_known_or_not() {
    let w = World::new();
    for n in [WANG, NOBODY] {
        for _ in 0..3 {
            w.request(n).unwrap();
            w.wait(60);
        }
        assert_eq!(w.request(n).unwrap_err().code(), "deputy_login.too_many_requests");
    }
    assert_eq!(w.codes().len(), 3);
    w.wait(15 * 60);
    w.request(WANG).unwrap();
}

#[test]
fn a_staff_session_is_no_deputy_session() {
    let w = World::new();
    w.request(WANG).unwrap();
    let code = w.last_code();
    let login = w.verify(WANG, &code).unwrap();
    // A deputy's session is a session; its principal is the deputy's alone.
    let s = rt().block_on(w.app.session(&login.cookie)).unwrap();
    assert_eq!(s.principal.roles, [liaison_core::access::Role::Deputy]);
    assert!(rt().block_on(w.app.deputy_session("lss_nope_nope")).is_err());
}
