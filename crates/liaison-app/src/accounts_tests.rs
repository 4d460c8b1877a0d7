//! Issue 15: an account's steps and the token policy name the version the caller read; a stale one is
//! refused (`AppError::Stale`, HTTP 412) and changes nothing, the right one changes the record once.

use crate::tests::{fixture, rt, security_admin};
use crate::*;

/// The audit chain's length: a refused change appends nothing.
fn records(app: &App) -> u64 {
    app.verify_audit().unwrap().records
}

fn stale(r: Result<impl std::fmt::Debug, AppError>, actual: u64) {
    match r {
        Err(AppError::Stale { actual: a, .. }) => assert_eq!(a, actual),
        other => panic!("expected Stale at version {actual}, got {other:?}"),
    }
}

#[test]
fn issue_15_every_account_step_refuses_a_stale_version_and_changes_nothing() {
    let f = fixture();
    let sec = security_admin(&f.app);
    let new = NewUser {
        login: "wang".into(),
        display_name: "王五".into(),
        roles: vec!["office".into()],
        ..Default::default()
    };
    let mut seen = rt().block_on(f.app.add_user(&f.admin, &new)).unwrap();
    let steps = [(AccountStep::Approve, &sec), (AccountStep::Disable, &f.admin), (AccountStep::Enable, &sec)];
    for (step, by) in steps {
        let (before, n) = (f.app.user(&sec, "wang").unwrap(), records(&f.app));
        assert_eq!(before, seen, "the single read gives the list's view, version included");
        let old = Some(seen.version + 1);
        stale(rt().block_on(f.app.account_step(by, "wang", old, step, None)), seen.version);
        assert_eq!((f.app.user(&sec, "wang").unwrap(), records(&f.app)), (before, n), "{step:?}: unchanged");
        let after = rt().block_on(f.app.account_step(by, "wang", Some(seen.version), step, None)).unwrap();
        assert_eq!(after.version, seen.version + 1, "{step:?}");
        seen = after;
    }
    // Roles asked for, then rejected: each names the version it read.
    let change = RoleChange { roles: vec!["officer".into()], ..Default::default() };
    let before = f.app.user(&sec, "wang").unwrap();
    stale(
        rt().block_on(f.app.request_roles(&f.admin, "wang", Some(seen.version - 1), &change)),
        seen.version,
    );
    assert_eq!(f.app.user(&sec, "wang").unwrap(), before);
    let asked = rt().block_on(f.app.request_roles(&f.admin, "wang", Some(seen.version), &change)).unwrap();
    assert_eq!(
        (asked.version, asked.pending_roles.as_deref()),
        (seen.version + 1, Some(&["officer".to_owned()][..]))
    );
    stale(
        rt().block_on(f.app.account_step(&sec, "wang", Some(seen.version), AccountStep::Reject, None)),
        asked.version,
    );
    assert_eq!(f.app.user(&sec, "wang").unwrap(), asked, "still waiting");
    let rejected = rt()
        .block_on(f.app.account_step(&sec, "wang", Some(asked.version), AccountStep::Reject, None))
        .unwrap();
    assert_eq!((rejected.version, rejected.pending_roles), (asked.version + 1, None));
    // A stale version is refused before the rules are asked: a step the rules would refuse is still 412.
    stale(
        rt().block_on(f.app.account_step(&sec, "wang", Some(0), AccountStep::Approve, None)),
        rejected.version,
    );
    assert!(f.app.verify_audit().unwrap().ok());
}

#[test]
fn issue_15_the_token_policy_refuses_a_stale_version_and_changes_nothing() {
    let f = fixture();
    let sec = security_admin(&f.app);
    let (defaults, v0) = f.app.token_policy(&sec).unwrap();
    assert_eq!(v0, 0, "the defaults are version 0");
    let n = records(&f.app);
    stale(rt().block_on(f.app.set_token_policy(&sec, Some(1), 30, 7, None)), 0);
    assert_eq!((f.app.token_policy(&sec).unwrap(), records(&f.app)), ((defaults, 0), n));
    let (_, v1) = rt().block_on(f.app.set_token_policy(&sec, Some(0), 30, 7, None)).unwrap();
    assert_eq!(v1, 1);
    stale(rt().block_on(f.app.set_token_policy(&sec, Some(0), 60, 7, None)), 1);
    let (p, v) = f.app.token_policy(&sec).unwrap();
    assert_eq!((p.lifetime_days, p.idle_days, v), (30, 7, 1), "unchanged");
    let (p, v2) = rt().block_on(f.app.set_token_policy(&sec, Some(1), 60, 7, None)).unwrap();
    assert_eq!((p.lifetime_days, v2), (60, 2));
}
