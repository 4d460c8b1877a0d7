//! The scope rule, the reason and the bulk-view limit (issue 12, item 7).

use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::access::Role::{Leader, Office, Officer};
use crate::ids::DeputyId;
use crate::registry::{DeputyCommand, DeputyInput};

fn officer(n: u128) -> OfficerId {
    OfficerId(Uuid::from_u128(n))
}

/// A deputy of `region`, assigned to `assigned`.
fn deputy(region: &str, assigned: Option<OfficerId>) -> Deputy {
    let input = DeputyInput {
        name: "王芳".into(),
        gender: "女".into(),
        level: "县".into(),
        term: "18".into(),
        region: region.into(),
        term_start: "2022-01-10".into(),
        ..DeputyInput::default()
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let e = Deputy::register(input.parse().unwrap(), None, day).unwrap();
    let mut d = Deputy::from_registered(DeputyId(Uuid::from_u128(7)), &e).unwrap();
    if assigned.is_some() {
        for e in d.decide(DeputyCommand::AssignOfficer(assigned)).unwrap() {
            d.apply(&e);
        }
    }
    d
}

fn grant(officer_: Option<OfficerId>, regions: &[&str]) -> Grant {
    Grant { officer: officer_, regions: regions.iter().map(|r| (*r).to_owned()).collect() }
}

#[test]
fn the_office_and_leadership_reach_every_deputy() {
    let d = deputy("鼓楼区", Some(officer(1)));
    for roles in [&[Office][..], &[Leader], &[Officer, Office], &[Officer, Leader]] {
        assert_eq!(decide(roles, &Grant::default(), &d), Ok(Basis::Tenant), "{roles:?}");
    }
    assert_eq!(reach(&[Officer]), Reach::Granted);
}

#[test]
fn an_officer_reaches_the_deputies_assigned_to_them_and_the_regions_granted() {
    let d = deputy("鼓楼区", Some(officer(1)));
    assert_eq!(decide(&[Officer], &grant(Some(officer(1)), &[]), &d), Ok(Basis::Assigned));
    assert_eq!(decide(&[Officer], &grant(None, &["鼓楼区"]), &d), Ok(Basis::Region));
    assert_eq!(decide(&[Officer], &grant(Some(officer(2)), &["台江区", "鼓楼区"]), &d), Ok(Basis::Region));
}

#[test]
fn an_officer_is_refused_another_officers_deputy_naming_the_deputy_and_why() {
    let d = deputy("鼓楼区", Some(officer(1)));
    let e = decide(&[Officer], &grant(Some(officer(2)), &["台江区"]), &d).unwrap_err();
    assert_eq!(e.code(), "scope.not_assigned");
    assert!(e.zh().contains("代表王芳不在您的联络范围内") && e.zh().contains("鼓楼区"), "{}", e.zh());
    assert!(e.en().contains("王芳 is outside your scope"), "{}", e.en());
    // A deputy without an officer is nobody's by assignment.
    let e = decide(&[Officer], &grant(Some(officer(2)), &[]), &deputy("鼓楼区", None)).unwrap_err();
    assert_eq!(e.code(), "scope.not_assigned");
    // An account linked to no officer and granted no region reaches nobody: fail closed.
    let e = decide(&[Officer], &Grant::default(), &d).unwrap_err();
    assert_eq!(e.code(), "scope.no_grant");
    assert!(e.zh().contains("未关联联络员"), "{}", e.zh());
}

#[test]
fn a_reason_is_trimmed_and_says_something() {
    assert_eq!(ViewReason::parse("  走访前核对地址 ").unwrap().as_str(), "走访前核对地址");
    assert_eq!(ViewReason::parse("办前沟通").unwrap().as_str(), "办前沟通");
    assert_eq!(ViewReason::parse("call re 2026-0012").unwrap().as_str(), "call re 2026-0012");
    for (bad, code) in [
        ("", "required"),
        ("   ", "required"),
        ("核对", "too_short"),
        ("....!!!!", "too_short"),
        ("a b c", "too_short"),
        ("核对\n地址", "bad_characters"),
        ("核对\u{202E}地址", "invisible_characters"),
    ] {
        assert_eq!(ViewReason::parse(bad).unwrap_err().code(), code, "{bad:?}");
    }
    assert_eq!(ViewReason::parse(&"查".repeat(REASON_MAX)).map(|r| r.0.chars().count()), Ok(REASON_MAX));
    assert_eq!(ViewReason::parse(&"查".repeat(REASON_MAX + 1)).unwrap_err().code(), "too_long");
}

#[test]
fn the_bulk_view_limit_refuses_the_view_over_the_limit_until_the_oldest_leaves_the_window() {
    let at = |m: i64, s: i64| {
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap() + Duration::minutes(m) + Duration::seconds(s)
    };
    let limit = BulkViewLimit::new(3, 10).unwrap();
    assert_eq!(limit, BulkViewLimit { max_views: 3, window_minutes: 10 });
    assert_eq!(BulkViewLimit::default(), BulkViewLimit { max_views: 20, window_minutes: 10 });
    assert_eq!(limit.check(&[], at(0, 0)), Ok(()));
    assert_eq!(limit.check(&[at(0, 0), at(1, 0)], at(2, 0)), Ok(()));
    let e = limit.check(&[at(0, 0), at(1, 0), at(2, 0)], at(3, 0)).unwrap_err();
    assert_eq!((e.count, e.since, e.retry_after), (3, at(-7, 0), 7 * 60));
    // Never "retry in 0 seconds".
    let e =
        limit.check(&[at(0, 0), at(1, 0), at(2, 0)], at(9, 59) + Duration::milliseconds(999)).unwrap_err();
    assert_eq!(e.retry_after, 1);
    for (max, window, field) in [
        (0, 10, "max_views"),
        (10_001, 10, "max_views"),
        (5, 0, "window_minutes"),
        (5, 1441, "window_minutes"),
    ] {
        assert_eq!(BulkViewLimit::new(max, window).unwrap_err().0, field);
    }
}
