//! Given a number's code login, when a request or a check at a moment, then these events or this error.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn min(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap() + Duration::minutes(n)
}

fn deputy() -> DeputyId {
    DeputyId(uuid::Uuid::from_u128(7))
}

fn when(s: &mut CodeLogin, cmd: CodeCommand, at: DateTime<Utc>) -> Result<Vec<CodeEvent>, CodeError> {
    let p = CodePolicy::default();
    let events = s.decide(&cmd, at, &p)?;
    for e in &events {
        s.apply(e, &p);
    }
    Ok(events)
}

fn request(hash: &str, who: Option<DeputyId>) -> CodeCommand {
    CodeCommand::Request { code_hash: hash.into(), deputy: who }
}

fn verify(hash: &str) -> CodeCommand {
    CodeCommand::Verify { code_hash: hash.into() }
}

#[test]
fn the_right_code_in_time_verifies_once() {
    let mut s = CodeLogin::default();
    when(&mut s, request("h1", Some(deputy())), min(0)).unwrap();
    assert_eq!(when(&mut s, verify("h1"), min(4)).unwrap(), vec![CodeEvent::Verified { deputy: deputy() }]);
    assert_eq!(when(&mut s, verify("h1"), min(4)).unwrap_err(), CodeError::NoCode, "used once");
}

#[test]
fn a_late_code_is_wrong_and_a_new_request_replaces_the_old_code() {
    let mut s = CodeLogin::default();
    when(&mut s, request("h1", Some(deputy())), min(0)).unwrap();
    assert_eq!(when(&mut s, verify("h1"), min(6)).unwrap(), vec![CodeEvent::Wrong { count: 1 }]);
    when(&mut s, request("h2", Some(deputy())), min(6)).unwrap();
    assert_eq!(when(&mut s, verify("h1"), min(7)).unwrap(), vec![CodeEvent::Wrong { count: 2 }]);
    assert!(matches!(when(&mut s, verify("h2"), min(7)).unwrap()[0], CodeEvent::Verified { .. }));
    assert_eq!(s.wrong, 0);
}

#[test]
fn three_codes_per_fifteen_minutes() {
    let mut s = CodeLogin::default();
    for m in [0, 1, 2] {
        when(&mut s, request("h", Some(deputy())), min(m)).unwrap();
    }
    let before = s.clone();
    assert_eq!(
        when(&mut s, request("h", Some(deputy())), min(10)).unwrap_err(),
        CodeError::TooManyRequests { retry_at: min(15) }
    );
    assert_eq!(s, before, "nothing changed");
    when(&mut s, request("h", Some(deputy())), min(15)).unwrap();
    assert_eq!(s.sent.len(), 3, "the sends outside the window are dropped");
}

#[test]
fn five_wrong_codes_lock_the_number_for_fifteen_minutes() {
    let mut s = CodeLogin::default();
    when(&mut s, request("right", Some(deputy())), min(0)).unwrap();
    for n in 1..5 {
        assert_eq!(when(&mut s, verify("x"), min(1)).unwrap(), vec![CodeEvent::Wrong { count: n }]);
    }
    let e = when(&mut s, verify("x"), min(1)).unwrap();
    assert_eq!(e, vec![CodeEvent::Wrong { count: 5 }, CodeEvent::Locked { until: min(16) }]);
    assert_eq!(when(&mut s, verify("right"), min(2)).unwrap_err(), CodeError::Locked { until: min(16) });
    assert_eq!(when(&mut s, request("h", Some(deputy())), min(2)).unwrap_err().code(), "deputy_login.locked");
    // After the lock: the dropped code no longer works; a new one does.
    assert_eq!(when(&mut s, verify("right"), min(16)).unwrap_err(), CodeError::NoCode);
    when(&mut s, request("h3", Some(deputy())), min(16)).unwrap();
    assert!(matches!(when(&mut s, verify("h3"), min(17)).unwrap()[0], CodeEvent::Verified { .. }));
}

/// No account enumeration: a number not on the register is limited and answered the same, and no code
/// ever opens it.
#[test]
fn an_unknown_number_is_treated_alike_and_never_verifies() {
    let mut s = CodeLogin::default();
    let e = when(&mut s, request("h", None), min(0)).unwrap();
    assert!(matches!(&e[0], CodeEvent::Issued { challenge, .. } if challenge.deputy.is_none()));
    assert_eq!(when(&mut s, verify("h"), min(1)).unwrap(), vec![CodeEvent::Wrong { count: 1 }]);
    for m in [1, 2] {
        when(&mut s, request("h", None), min(m)).unwrap();
    }
    assert_eq!(when(&mut s, request("h", None), min(3)).unwrap_err().field(), "mobile");
}

#[test]
fn events_carry_no_code_and_errors_speak_both_languages() {
    let e = CodeError::Locked { until: min(0) };
    assert_eq!(e.zh(), "验证码错误次数过多，请于 09:00 后再试");
    assert!(e.en().starts_with("code:"));
    let json = serde_json::to_string(&CodeEvent::Wrong { count: 1 }).unwrap();
    assert_eq!(json, r#"{"type":"wrong","count":1}"#);
}
