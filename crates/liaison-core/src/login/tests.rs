//! Given an account's guard or a session, when a command at a moment, then these events or this error.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn min(n: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(n)
}

/// A guard given past events.
fn given(events: &[GuardEvent]) -> Guard {
    let mut g = Guard::default();
    for e in events {
        g.apply(e);
    }
    g
}

fn when(g: &mut Guard, cmd: GuardCommand, at: DateTime<Utc>) -> Result<Vec<GuardEvent>, LoginError> {
    let events = g.decide(cmd, &LoginPolicy::default(), at)?;
    for e in &events {
        g.apply(e);
    }
    Ok(events)
}

#[test]
fn each_password_rule_refuses_with_its_reason() {
    let cases = [
        ("short", "Xk3#pq", PasswordError::TooShort { min: 10 }, "password.too_short"),
        ("zhangsan", "zhangsan", PasswordError::TooShort { min: 10 }, "password.too_short"),
        ("zhangsan01", "ZhangSan01", PasswordError::IsLogin, "password.is_login"),
        ("zhangsan", "my-ZHANGSAN-pw", PasswordError::ContainsLogin, "password.contains_login"),
        ("zhangsan", "woaini1314", PasswordError::Common, "password.common"),
        ("zhangsan", "QQ123456789", PasswordError::Common, "password.common"),
        ("zhangsan", "          ", PasswordError::Unprintable, "password.unprintable"),
        ("zhangsan", &"x".repeat(129), PasswordError::TooLong { max: 128 }, "password.too_long"),
    ];
    for (login, pw, want, code) in cases {
        let e = check_password(login, pw).unwrap_err();
        assert_eq!(e, want, "{pw}");
        assert_eq!(e.code(), code);
        assert_eq!(e.field(), "password");
        assert!(e.to_string().starts_with("password: "), "{e}");
        assert!(crate::Localized::zh(&e).contains("密码"), "{}", crate::Localized::zh(&e));
    }
    check_password("zhangsan", "秋天的检察院联络站2026").unwrap();
    check_password("zhangsan", "correct horse battery").unwrap();
}

#[test]
fn the_breached_list_holds_the_chinese_favourites_case_insensitively() {
    for pw in
        ["123456", "woaini1314", "qq123456", "Aa123456", "password1", "AA123456", "Woaini1314", "1qaz2wsx"]
    {
        assert!(is_common(pw), "{pw}");
    }
    assert!(!is_common("秋天的检察院联络站"));
    let n = include_str!("../../data/common-passwords.txt").lines().filter(|l| !l.starts_with('#')).count();
    assert!(n > 2000, "{n}");
}

#[test]
fn the_fifth_failure_in_a_row_locks_for_fifteen_minutes_and_the_lock_then_lapses() {
    let mut g = given(&[]);
    for i in 1..=4 {
        let e = when(&mut g, GuardCommand::Fail(Factor::Password), min(i)).unwrap();
        assert_eq!(e, vec![GuardEvent::Failed { factor: Factor::Password, failures: i as u32 }]);
        assert!(!g.locked(min(i)));
    }
    let e = when(&mut g, GuardCommand::Fail(Factor::Totp), min(5)).unwrap();
    assert_eq!(
        e,
        vec![GuardEvent::Failed { factor: Factor::Totp, failures: 5 }, GuardEvent::Locked { until: min(20) }]
    );
    assert_eq!(e[1].kind(), "auth.locked");
    // Locked: even the right password is refused, and a wrong one does not lengthen the lock.
    let pass = GuardCommand::Pass { factor: Factor::Password, step: None };
    assert_eq!(when(&mut g, pass, min(19)), Err(LoginError::Locked { until: min(20) }));
    assert_eq!(
        when(&mut g, GuardCommand::Fail(Factor::Password), min(19)),
        Err(LoginError::Locked { until: min(20) })
    );
    // Released after the window, with the count started again.
    assert!(!g.locked(min(20)));
    assert_eq!(
        when(&mut g, pass, min(20)).unwrap(),
        vec![GuardEvent::Passed { factor: Factor::Password, step: None }]
    );
    assert_eq!(g.failures, 0);
}

#[test]
fn a_completed_login_starts_the_count_again() {
    let fail = GuardEvent::Failed { factor: Factor::Password, failures: 4 };
    let mut g = given(&[fail]);
    when(&mut g, GuardCommand::Pass { factor: Factor::Password, step: None }, min(1)).unwrap();
    when(&mut g, GuardCommand::Pass { factor: Factor::Totp, step: Some(7) }, min(1)).unwrap();
    let e = when(&mut g, GuardCommand::Fail(Factor::Password), min(2)).unwrap();
    assert_eq!(e, vec![GuardEvent::Failed { factor: Factor::Password, failures: 1 }]);
}

/// The security review's finding: with the password known, wrong codes interleaved with the right password
/// must still lock the account at the fifth failure (the password alone never starts the count again).
#[test]
fn a_right_password_does_not_forgive_wrong_codes() {
    let mut g = given(&[]);
    let policy = LoginPolicy::default();
    let mut locked = false;
    let mut wrong = 0;
    while !locked {
        when(&mut g, GuardCommand::Pass { factor: Factor::Password, step: None }, min(0)).unwrap();
        for _ in 0..2 {
            let e = when(&mut g, GuardCommand::Fail(Factor::Totp), min(0)).unwrap();
            wrong += 1;
            locked = e.iter().any(|e| matches!(e, GuardEvent::Locked { .. }));
            if locked {
                break;
            }
        }
        assert!(wrong <= 5, "never forgiven: the lock comes at the fifth wrong code");
    }
    assert_eq!(wrong, 5, "locked at the fifth wrong code, two per right password");
    assert_eq!(
        when(&mut g, GuardCommand::Pass { factor: Factor::Password, step: None }, min(1)),
        Err(LoginError::Locked { until: min(0) + policy.lockout })
    );
    assert!(g.locked(min(3)));
    assert_eq!(policy.max_failures, 5);
}

#[test]
fn a_time_step_is_good_once() {
    let mut g = given(&[GuardEvent::Passed { factor: Factor::Totp, step: Some(100) }]);
    let replay = GuardCommand::Pass { factor: Factor::Totp, step: Some(100) };
    assert_eq!(when(&mut g, replay, min(0)), Err(LoginError::CodeReplayed));
    let older = GuardCommand::Pass { factor: Factor::Totp, step: Some(99) };
    assert_eq!(when(&mut g, older, min(0)), Err(LoginError::CodeReplayed));
    when(&mut g, GuardCommand::Pass { factor: Factor::Totp, step: Some(101) }, min(0)).unwrap();
    assert_eq!(g.last_step, Some(101));
    // A recovery code (no step) keeps the last step.
    when(&mut g, GuardCommand::Pass { factor: Factor::Recovery, step: None }, min(0)).unwrap();
    assert_eq!(g.last_step, Some(101));
}

#[test]
fn the_security_administrator_lifts_a_lock_and_only_a_lock() {
    let admin = crate::ids::UserId(uuid::Uuid::nil());
    let mut g = given(&[]);
    assert_eq!(when(&mut g, GuardCommand::Unlock { by: admin }, min(0)), Err(LoginError::NotLocked));
    let mut g = given(&[GuardEvent::Locked { until: min(15) }]);
    assert_eq!(
        when(&mut g, GuardCommand::Unlock { by: admin }, min(1)).unwrap(),
        vec![GuardEvent::Unlocked { by: admin }]
    );
    assert!(!g.locked(min(1)));
}

#[test]
fn a_staff_password_leads_to_enrolment_or_the_code_never_straight_to_a_session() {
    use crate::access::Role;
    assert_eq!(after_password(&[Role::Office], true, false), Ok(Stage::Enrol));
    assert_eq!(after_password(&[Role::Officer], true, true), Ok(Stage::Code));
    assert_eq!(after_password(&[Role::Deputy], true, true), Err(LoginError::DeputyLogin));
    assert_eq!(after_password(&[Role::Office], false, true), Err(LoginError::NotAPerson));
    let p = LoginPolicy::default();
    let s = Session::begin(Stage::Code, t0());
    assert_eq!(s.decide(SessionCommand::Touch, &p, min(1)), Err(LoginError::SecondFactorRequired));
    assert_eq!(requires_recent_auth(&s, min(1), Duration::minutes(10)), Err(LoginError::SessionInvalid));
    // The code must come within five minutes of the password.
    assert_eq!(s.decide(SessionCommand::Complete, &p, min(5)), Err(LoginError::SessionInvalid));
    assert_eq!(
        s.decide(SessionCommand::Complete, &p, min(4)).unwrap(),
        vec![SessionEvent::Completed { at: min(4) }]
    );
}

fn active(at: DateTime<Utc>) -> Session {
    let mut s = Session::begin(Stage::Code, at);
    s.apply(&SessionEvent::Completed { at });
    s
}

#[test]
fn a_session_ends_after_thirty_idle_minutes() {
    let p = LoginPolicy::default();
    let mut s = active(t0());
    for m in [10, 39, 68] {
        let e = s.decide(SessionCommand::Touch, &p, min(m)).unwrap();
        s.apply(&e[0]);
    }
    assert_eq!(s.lapse(&p, min(97)), None);
    assert_eq!(s.lapse(&p, min(98)), Some(EndReason::Idle));
    assert_eq!(s.decide(SessionCommand::Touch, &p, min(98)), Err(LoginError::SessionInvalid));
}

#[test]
fn a_session_ends_twelve_hours_after_it_began_however_used() {
    let p = LoginPolicy::default();
    let mut s = active(t0());
    for m in (20..720).step_by(20) {
        let e = s.decide(SessionCommand::Touch, &p, min(m)).unwrap();
        s.apply(&e[0]);
    }
    assert_eq!(s.lapse(&p, min(720)), Some(EndReason::Expired));
    let short = LoginPolicy::new(5, Duration::minutes(15), Duration::minutes(5), Duration::hours(1)).unwrap();
    assert_eq!(active(t0()).lapse(&short, min(5)), Some(EndReason::Idle));
    assert_eq!(
        LoginPolicy::new(5, Duration::minutes(15), Duration::hours(2), Duration::hours(1)),
        Err(LoginError::Policy("idle"))
    );
}

#[test]
fn an_ended_session_stays_ended() {
    let p = LoginPolicy::default();
    let mut s = active(t0());
    let e = s.decide(SessionCommand::End(EndReason::Logout), &p, min(1)).unwrap();
    s.apply(&e[0]);
    assert_eq!(s.lapse(&p, min(1)), Some(EndReason::Logout));
    assert_eq!(s.decide(SessionCommand::End(EndReason::Logout), &p, min(2)), Err(LoginError::SessionInvalid));
    assert_eq!(s.decide(SessionCommand::Reauthenticate, &p, min(2)), Err(LoginError::SessionInvalid));
}

#[test]
fn a_sensitive_action_needs_a_recent_authentication_which_a_factor_refreshes() {
    let p = LoginPolicy::default();
    let mut s = active(t0());
    let window = Duration::minutes(10);
    assert_eq!(requires_recent_auth(&s, min(10), window), Ok(()));
    let e = s.decide(SessionCommand::Touch, &p, min(11)).unwrap();
    s.apply(&e[0]);
    assert_eq!(requires_recent_auth(&s, min(11), window), Err(LoginError::ReauthRequired));
    let e = s.decide(SessionCommand::Reauthenticate, &p, min(12)).unwrap();
    s.apply(&e[0]);
    assert_eq!(requires_recent_auth(&s, min(20), window), Ok(()));
}
