//! Staff login on a real SQLite file with a clock the tests move: the first login with enrolment, the
//! code, lockout at exactly five and its release, replay and recovery codes, session expiry, revocation,
//! re-authentication, and an audit trail that never holds a secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use liaison_core::login::{LoginError, Stage};
use liaison_store::{default_tenant, read};

use crate::login::{Reauth, totp};
use crate::tests::{approved_user, rt, security_admin};
use crate::{App, AppError, Config, Principal};

const PASSWORD: &str = "秋天的检察院联络站2026";

struct World {
    app: App,
    now: Arc<AtomicI64>,
    sec: Principal,
    _dir: tempfile::TempDir,
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(AtomicI64::new(Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap().timestamp()));
        let n = now.clone();
        let app = App::open(&Config::for_db(&dir.path().join("t.db")))
            .unwrap()
            .with_clock(Arc::new(move || Utc.timestamp_opt(n.load(Ordering::SeqCst), 0).unwrap()));
        rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
        let sec = security_admin(&app);
        let w = Self { app, now, sec, _dir: dir };
        w.staff("office", "office");
        w
    }

    fn staff(&self, login: &str, role: &str) -> Principal {
        let new = crate::NewUser {
            login: login.into(),
            display_name: "联络室".into(),
            roles: vec![role.into()],
            ..Default::default()
        };
        let p = approved_user(&self.app, &new);
        rt().block_on(self.app.set_password(&self.sec, login, PASSWORD, None)).unwrap();
        p
    }

    fn at(&self) -> DateTime<Utc> {
        self.app.now()
    }

    fn wait(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    fn password(&self, login: &str, pw: &str) -> Result<crate::login::LoginStarted, AppError> {
        rt().block_on(self.app.login_password(&default_tenant(), login, pw))
    }

    /// A first login through enrolment: the cookie of an active session, the secret, the recovery codes.
    fn enrolled(&self, login: &str) -> (String, Vec<u8>, Vec<String>) {
        let started = self.password(login, PASSWORD).unwrap();
        assert_eq!(started.next, Stage::Enrol);
        let e = rt().block_on(self.app.begin_enrolment(&started.cookie)).unwrap();
        let secret = base32_decode(&e.secret);
        let code = totp::code_at_step(&secret, totp::step_of(self.at().timestamp()));
        let codes = rt().block_on(self.app.confirm_enrolment(&started.cookie, &code)).unwrap();
        (started.cookie, secret, codes.codes)
    }

    /// A later login with a code of the current step.
    fn login(&self, login: &str, secret: &[u8]) -> String {
        let started = self.password(login, PASSWORD).unwrap();
        assert_eq!(started.next, Stage::Code);
        let code = totp::code_at_step(secret, totp::step_of(self.at().timestamp()));
        rt().block_on(self.app.login_code(&started.cookie, &code)).unwrap();
        started.cookie
    }

    fn session(&self, cookie: &str) -> Result<crate::login::StaffSession, AppError> {
        rt().block_on(self.app.session(cookie))
    }

    fn kinds(&self) -> Vec<(String, String)> {
        let recs = read(self.app.store(), |q| {
            q.audit_records(
                &default_tenant(),
                &liaison_store::AuditQuery { limit: 10_000, ..Default::default() },
            )
        })
        .unwrap();
        recs.into_iter().map(|r| (r.kind, r.payload)).collect()
    }
}

fn all_payloads(w: &World) -> String {
    w.kinds().into_iter().map(|(_, p)| p).collect::<Vec<_>>().join("\n")
}

fn base32_decode(s: &str) -> Vec<u8> {
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes() {
        let v = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".iter().position(|&a| a == c).unwrap() as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    out
}

fn login_error(r: Result<impl std::fmt::Debug, AppError>) -> LoginError {
    match r {
        Err(AppError::Login(e)) => e,
        Err(AppError::Invalid(f)) => panic!("invalid: {f:?}"),
        other => panic!("expected a login refusal, got {other:?}"),
    }
}

fn field_code(r: Result<impl std::fmt::Debug, AppError>) -> (String, &'static str) {
    match r {
        Err(AppError::Invalid(f)) => (f[0].field.clone(), f[0].code),
        other => panic!("expected an input refusal, got {other:?}"),
    }
}

#[test]
fn set_password_refuses_each_weak_password_naming_the_field_and_the_reason() {
    let w = World::new();
    for (pw, code) in [
        ("Xk3#pq", "password.too_short"),
        ("office2026!", "password.contains_login"),
        ("woaini1314", "password.common"),
        ("Aa123456789", "password.common"),
    ] {
        let r = rt().block_on(w.app.set_password(&w.sec, "office", pw, None));
        assert_eq!(field_code(r), ("password".to_owned(), code), "{pw}");
    }
    let office = w.app.principal_for_login(&default_tenant(), "office").unwrap();
    let r = rt().block_on(w.app.set_password(&office, "office", PASSWORD, None));
    assert!(matches!(r, Err(AppError::Forbidden { action: "grant_roles" })), "{r:?}");
}

#[test]
fn the_first_login_enrols_a_second_factor_and_only_then_opens_a_session() {
    let w = World::new();
    let started = w.password("office", PASSWORD).unwrap();
    assert_eq!(started.next, Stage::Enrol);
    assert_eq!(
        login_error(w.session(&started.cookie)),
        LoginError::SecondFactorRequired,
        "no MFA, no session"
    );
    let e = rt().block_on(w.app.begin_enrolment(&started.cookie)).unwrap();
    assert!(e.uri.starts_with("otpauth://totp/") && e.uri.contains(&e.secret), "{}", e.uri);
    assert!(e.qr_svg.contains("<svg"));
    let secret = base32_decode(&e.secret);
    assert_eq!(secret.len(), 20);
    let wrong = rt().block_on(w.app.confirm_enrolment(&started.cookie, "000000"));
    assert_eq!(field_code(wrong), ("code".to_owned(), "login.code_wrong"));
    let code = totp::code_at_step(&secret, totp::step_of(w.at().timestamp()));
    let codes = rt().block_on(w.app.confirm_enrolment(&started.cookie, &code)).unwrap().codes;
    assert_eq!(codes.len(), 10);

    let s = w.session(&started.cookie).unwrap();
    let office = w.app.principal_for_login(&default_tenant(), "office").unwrap();
    assert_eq!(s.principal, Principal { via: format!("session:{}", s.id), ..office }, "the API's principal");
    assert_eq!(s.csrf, started.csrf);
    assert_eq!(s.csrf.len(), 64);

    let kinds: Vec<String> = w.kinds().into_iter().map(|(k, _)| k).collect();
    for k in ["auth.password_set", "auth.login_failed", "auth.mfa_enrolled", "auth.session_started"] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }
    // The session's id is named (the cookie is `lss_<id>_<secret>`); the secret never is.
    assert!(all_payloads(&w).contains(&format!("\"session\":\"{}\"", &started.cookie[4..20])));
    // Nothing secret in any record: not the password, the TOTP secret, a code, the cookie or the CSRF token.
    let all = w.kinds().into_iter().map(|(_, p)| p).collect::<Vec<_>>().join("\n");
    for secret in
        [PASSWORD, &e.secret, &started.cookie, &started.cookie[21..], &started.csrf, &codes[0], &code]
    {
        assert!(!all.contains(secret), "{secret} in the trail");
    }
    // The next login asks for the code.
    w.wait(60);
    w.login("office", &secret);
}

#[test]
fn five_failures_in_a_row_lock_the_account_for_fifteen_minutes_then_it_opens_again() {
    let w = World::new();
    let unknown = w.password("nobody", PASSWORD).map(drop).unwrap_err();
    for i in 1..=4 {
        let wrong = w.password("office", "wrong-password-123").map(drop).unwrap_err();
        assert_eq!((wrong.code(), wrong.to_string()), (unknown.code(), unknown.to_string()), "same answer");
        assert!(w.app.locked_accounts(&w.sec).unwrap()[0].locked_until.is_none(), "not yet, after {i}");
    }
    w.password("office", "wrong-password-123").map(drop).unwrap_err();
    let locked = w.app.locked_accounts(&w.sec).unwrap();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].login, "office");
    assert_eq!(locked[0].locked_until, Some(w.at() + chrono::Duration::minutes(15)));
    assert!(w.kinds().iter().any(|(k, _)| k == "auth.locked"));
    // Locked: the right password gets the same answer as a wrong one.
    w.wait(14 * 60 + 59);
    assert_eq!(login_error(w.password("office", PASSWORD)), LoginError::Failed);
    w.wait(1);
    assert_eq!(w.password("office", PASSWORD).unwrap().next, Stage::Enrol);
    assert!(w.app.locked_accounts(&w.sec).unwrap().is_empty(), "the count started again");
}

#[test]
fn the_security_administrator_lifts_a_lock() {
    let w = World::new();
    for _ in 0..5 {
        w.password("office", "wrong-password-123").map(drop).unwrap_err();
    }
    rt().block_on(w.app.unlock(&w.sec, "office", Some("本人电话确认".into()))).unwrap();
    assert!(w.app.locked_accounts(&w.sec).unwrap().is_empty());
    assert!(w.password("office", PASSWORD).is_ok());
    let again = rt().block_on(w.app.unlock(&w.sec, "office", None));
    assert_eq!(login_error(again), LoginError::NotLocked);
}

#[test]
fn wrong_codes_count_towards_the_lock_which_ends_the_waiting_login() {
    let w = World::new();
    let (_, _secret, _) = w.enrolled("office");
    let started = w.password("office", PASSWORD).unwrap();
    w.password("office", "wrong-password-123").map(drop).unwrap_err();
    for _ in 0..4 {
        rt().block_on(w.app.login_code(&started.cookie, "000000")).unwrap_err();
    }
    assert_eq!(login_error(w.session(&started.cookie)), LoginError::SessionInvalid, "the lock ended it");
    assert!(w.app.locked_accounts(&w.sec).unwrap()[0].locked_until.is_some());
}

#[test]
fn a_code_is_good_once_a_replay_of_its_step_is_refused() {
    let w = World::new();
    let (_, secret, _) = w.enrolled("office");
    let code = totp::code_at_step(&secret, totp::step_of(w.at().timestamp()));
    let started = w.password("office", PASSWORD).unwrap();
    let r = rt().block_on(w.app.login_code(&started.cookie, &code));
    assert_eq!(field_code(r), ("code".to_owned(), "login.code_replayed"));
    w.wait(30);
    let next = totp::code_at_step(&secret, totp::step_of(w.at().timestamp()));
    rt().block_on(w.app.login_code(&started.cookie, &next)).unwrap();
    w.session(&started.cookie).unwrap();
}

#[test]
fn a_recovery_code_opens_a_session_once() {
    let w = World::new();
    let (_, _, codes) = w.enrolled("office");
    let started = w.password("office", PASSWORD).unwrap();
    rt().block_on(w.app.login_code(&started.cookie, &codes[3].to_uppercase())).unwrap();
    w.session(&started.cookie).unwrap();
    let again = w.password("office", PASSWORD).unwrap();
    let r = rt().block_on(w.app.login_code(&again.cookie, &codes[3]));
    assert_eq!(field_code(r), ("code".to_owned(), "login.recovery_invalid"));
    rt().block_on(w.app.login_code(&again.cookie, &codes[4])).unwrap();
    let used = w.kinds().into_iter().filter(|(k, _)| k == "auth.recovery_code_used").collect::<Vec<_>>();
    assert_eq!(used.len(), 2);
    assert!(used[1].1.contains("\"remaining\":8"), "{}", used[1].1);
}

#[test]
fn a_session_ends_after_thirty_idle_minutes_and_twelve_hours_in_all() {
    let w = World::new();
    let (cookie, secret, _) = w.enrolled("office");
    w.wait(29 * 60);
    w.session(&cookie).unwrap();
    w.wait(29 * 60);
    w.session(&cookie).unwrap();
    w.wait(30 * 60);
    assert_eq!(login_error(w.session(&cookie)), LoginError::SessionInvalid);
    w.wait(60);
    let ended: Vec<_> = w.kinds().into_iter().filter(|(k, _)| k == "auth.session_ended").collect();
    assert!(ended.iter().any(|(_, p)| p.contains("\"idle\"")), "{ended:?}");

    let cookie = w.login("office", &secret);
    for _ in 0..(12 * 60 / 20 - 1) {
        w.wait(20 * 60);
        w.session(&cookie).unwrap();
    }
    w.wait(20 * 60);
    assert_eq!(login_error(w.session(&cookie)), LoginError::SessionInvalid, "12 hours");
}

#[test]
fn a_new_password_a_second_factor_reset_or_disabling_ends_every_session() {
    let w = World::new();
    let (first, secret, _) = w.enrolled("office");
    w.wait(30);
    let second = w.login("office", &secret);
    let ended = rt().block_on(w.app.set_password(&w.sec, "office", "另一个足够长的密码2026", None)).unwrap();
    assert_eq!(ended, 2);
    for c in [&first, &second] {
        assert_eq!(login_error(w.session(c)), LoginError::SessionInvalid);
    }
    assert_eq!(login_error(w.password("office", PASSWORD)), LoginError::Failed, "the old password is gone");

    rt().block_on(w.app.set_password(&w.sec, "office", PASSWORD, None)).unwrap();
    w.wait(30);
    let third = w.login("office", &secret);
    rt().block_on(w.app.reset_mfa(&w.sec, "office", Some("手机丢失".into()))).unwrap();
    assert_eq!(login_error(w.session(&third)), LoginError::SessionInvalid);
    assert!(
        w.kinds().iter().any(|(k, p)| k == "auth.mfa_reset" && p.contains("\"recovery_codes_cleared\":10"))
    );
    w.wait(30);
    let (fourth, _, _) = w.enrolled("office");

    let admin = w.app.principal_for_login(&default_tenant(), "admin").unwrap();
    let step = crate::AccountStep::Disable;
    rt().block_on(w.app.account_step(&admin, "office", None, step, None)).unwrap();
    assert_eq!(login_error(w.session(&fourth)), LoginError::SessionInvalid);
    assert_eq!(login_error(w.password("office", PASSWORD)), LoginError::Failed);
}

#[test]
fn logout_ends_the_session() {
    let w = World::new();
    let (cookie, _, _) = w.enrolled("office");
    rt().block_on(w.app.logout(&cookie)).unwrap();
    assert_eq!(login_error(w.session(&cookie)), LoginError::SessionInvalid);
    assert!(w.kinds().iter().any(|(k, p)| k == "auth.session_ended" && p.contains("logout")));
}

#[test]
fn a_sensitive_action_asks_for_a_recent_authentication() {
    let w = World::new();
    let (cookie, secret, _) = w.enrolled("office");
    w.app.require_recent_auth(&w.session(&cookie).unwrap()).unwrap();
    w.wait(11 * 60);
    let s = w.session(&cookie).unwrap();
    assert_eq!(login_error(w.app.require_recent_auth(&s)), LoginError::ReauthRequired);
    rt().block_on(w.app.reauthenticate(&cookie, Reauth::Password(PASSWORD))).unwrap();
    w.app.require_recent_auth(&w.session(&cookie).unwrap()).unwrap();
    w.wait(11 * 60);
    let code = totp::code_at_step(&secret, totp::step_of(w.at().timestamp()));
    rt().block_on(w.app.reauthenticate(&cookie, Reauth::Code(&code))).unwrap();
    w.app.require_recent_auth(&w.session(&cookie).unwrap()).unwrap();
}

#[test]
fn deputies_and_integration_accounts_do_not_log_in_with_a_password() {
    let w = World::new();
    let admin = w.app.principal_for_login(&default_tenant(), "admin").unwrap();
    let new = crate::NewUser {
        login: "casesys".into(),
        display_name: "案件系统".into(),
        roles: vec!["office".into()],
        service: true,
        ..Default::default()
    };
    approved_user(&w.app, &new);
    let r = rt().block_on(w.app.set_password(&w.sec, "casesys", PASSWORD, None));
    assert_eq!(login_error(r), LoginError::NotAPerson);
    let _ = admin;
}

/// The security review's finding: a session that waited at enrolment may not replace the authenticator the
/// owner enrolled meanwhile from another session (neither a new secret nor its confirmation).
#[test]
fn a_waiting_session_does_not_enrol_over_an_enrolled_authenticator() {
    let w = World::new();
    let stale = w.password("office", PASSWORD).unwrap();
    assert_eq!(stale.next, Stage::Enrol);
    let intruder = rt().block_on(w.app.begin_enrolment(&stale.cookie)).unwrap();
    let (_, secret, _) = w.enrolled("office");
    assert!(rt().block_on(w.app.begin_enrolment(&stale.cookie)).is_err(), "no new secret");
    let theirs = base32_decode(&intruder.secret);
    let code = totp::code_at_step(&theirs, totp::step_of(w.at().timestamp()));
    assert!(rt().block_on(w.app.confirm_enrolment(&stale.cookie, &code)).is_err(), "no confirmation");
    w.wait(31);
    w.login("office", &secret);
}

/// The security review's finding: four wrong codes, the right password again, four more … lock the account
/// at the fifth wrong code: the password alone never forgives them.
#[test]
fn wrong_codes_around_right_passwords_lock_the_account() {
    let w = World::new();
    let (_, secret, _) = w.enrolled("office");
    let mut refused_at = None;
    for attempt in 0..8 {
        let Ok(started) = w.password("office", PASSWORD) else {
            refused_at = Some(attempt);
            break;
        };
        let _ = rt().block_on(w.app.login_code(&started.cookie, "000000"));
    }
    assert_eq!(refused_at, Some(5), "locked after five wrong codes, whatever came between");
    w.wait(16 * 60);
    w.login("office", &secret);
}
