//! Issue 12, item 7: officers reach only their deputies and granted regions, every full view states a
//! reason, and bulk viewing is refused and raises one alert per window for the security administrator.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::TimeZone;
use liaison_core::Localized;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{DeputyInput, RemovalReason};
use liaison_core::scope::BulkViewLimit;

use crate::registry::DeputyPatchInput;
use crate::tests::{Fixture, approved_user, fixture, rt, security_admin};
use crate::trail::AuditFilter;
use crate::*;

fn input(name: &str, region: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: "女".into(),
        level: "县".into(),
        term: "18".into(),
        region: region.into(),
        term_start: "2022-01-10".into(),
        mobile: "13800138000".into(),
        ..DeputyInput::default()
    }
}

fn officer_account(f: &Fixture, login: &str, officer: Option<&str>, regions: &[&str]) -> Principal {
    approved_user(
        &f.app,
        &NewUser {
            login: login.into(),
            display_name: format!("联络员{login}"),
            roles: vec!["officer".into()],
            officer: officer.map(str::to_owned),
            regions: regions.iter().map(|r| (*r).to_owned()).collect(),
            ..Default::default()
        },
    )
}

/// The register of the tests: 王芳 (鼓楼区, 林晓's), 李娜 (台江区, 陈明's), 张伟 (马尾区, nobody's).
fn world(f: &Fixture) -> [DeputyId; 3] {
    let org = |i: OrgInput| rt().block_on(f.app.change_organisation(&f.office, i, None, None)).unwrap();
    for r in ["鼓楼区", "台江区", "马尾区"] {
        org(OrgInput::AddRegion { name: r.into() });
    }
    for (n, r) in [("林晓", "鼓楼区"), ("陈明", "台江区")] {
        org(OrgInput::AddOfficer { name: n.into(), department: None, regions: vec![r.into()] });
    }
    let add = |name: &str, region: &str| {
        DeputyId(rt().block_on(f.app.register_deputy(&f.office, input(name, region), None, None)).unwrap().id)
    };
    let ids = [add("王芳", "鼓楼区"), add("李娜", "台江区"), add("张伟", "马尾区")];
    for (d, o) in [(ids[0], "林晓"), (ids[1], "陈明")] {
        rt().block_on(f.app.assign(&f.office, d, Some(o.into()), None, None, None)).unwrap();
    }
    ids
}

fn viewed(f: &Fixture, id: DeputyId) -> Vec<crate::views::HistoryEntry> {
    let h = f.app.deputy_history(&f.office, id).unwrap();
    h.into_iter().filter(|e| e.kind == "access.personal_data_viewed").collect()
}

const WHY: &str = "走访前核对地址";

#[test]
fn an_officer_sees_and_changes_only_the_deputies_assigned_to_it_and_its_regions() {
    let f = fixture();
    let [wang, li, zhang] = world(&f);
    let lin = officer_account(&f, "lin", Some("林晓"), &["马尾区"]);
    let full = |p: &Principal, d| rt().block_on(f.app.deputy_full(p, d, Some(WHY.into())));
    // Its own deputy and a deputy of its region, each view on the record with its basis.
    assert_eq!(full(&lin, wang).unwrap().deputy.contact.mobile.as_deref(), Some("13800138000"));
    assert!(full(&lin, zhang).is_ok());
    assert_eq!(viewed(&f, wang)[0].payload["basis"], "assigned");
    assert_eq!(viewed(&f, zhang)[0].payload["basis"], "region");
    // Another officer's deputy: refused, naming the deputy and why, in Chinese and English; not recorded
    // as a view.
    let e = full(&lin, li).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Forbidden, "scope.not_assigned"));
    assert!(e.zh().contains("代表李娜不在您的联络范围内") && e.zh().contains("台江区"), "{}", e.zh());
    assert!(e.en().contains("李娜 is outside your scope"), "{}", e.en());
    assert!(viewed(&f, li).is_empty());
    // Nor can it change that deputy's record: update, take office, end the term, remove.
    let v = f.app.deputy(&f.office, li).unwrap().version;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let patch = DeputyPatchInput { work_unit: Some("某单位".into()), ..Default::default() };
    let refused = [
        rt().block_on(f.app.update_deputy(&lin, li, None, &patch, None)).unwrap_err(),
        rt().block_on(f.app.take_office(&lin, li, None, day)).unwrap_err(),
        rt().block_on(f.app.end_term(&lin, li, None, day, Some("届满".into()))).unwrap_err(),
        rt().block_on(f.app.remove_deputy(&lin, li, None, day, RemovalReason::Resigned, Some("辞职".into())))
            .unwrap_err(),
    ];
    assert!(refused.iter().all(|e| e.code() == "scope.not_assigned"), "{refused:?}");
    assert_eq!(f.app.deputy(&f.office, li).unwrap().version, v, "nothing changed");
    // Its own deputy's record it changes.
    rt().block_on(f.app.update_deputy(&lin, wang, None, &patch, None)).unwrap();
    // An officer's account linked to no officer and granted no region reaches nobody.
    let bare = officer_account(&f, "bare", None, &[]);
    assert_eq!(full(&bare, wang).unwrap_err().code(), "scope.no_grant");
    let e = rt().block_on(f.app.end_term(&bare, wang, None, day, None)).unwrap_err();
    assert_eq!(e.code(), "scope.no_grant");
    // An unknown deputy is still "not found" (the register, masked, is the officer's to read anyway).
    assert_eq!(full(&lin, DeputyId(uuid::Uuid::nil())).unwrap_err().kind(), ErrorKind::NotFound);
    // The office and leadership reach every deputy.
    let leader = approved_user(
        &f.app,
        &NewUser {
            login: "leader".into(),
            display_name: "院领导".into(),
            roles: vec!["leader".into()],
            ..Default::default()
        },
    );
    assert!(full(&f.office, li).is_ok() && full(&leader, li).is_ok());
    assert_eq!(viewed(&f, li)[0].payload["basis"], "tenant");
}

#[test]
fn an_officers_grant_is_asked_for_and_approved_with_its_roles() {
    let f = fixture();
    let [wang, li, _] = world(&f);
    let admin = &f.admin;
    let new = |login: &str, roles: &[&str], officer: Option<&str>, regions: &[&str]| NewUser {
        login: login.into(),
        display_name: "某人".into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        officer: officer.map(str::to_owned),
        regions: regions.iter().map(|r| (*r).to_owned()).collect(),
        ..Default::default()
    };
    // Only an officer's account is granted; the officer must exist; a region must be a clean label.
    let e = rt().block_on(f.app.add_user(admin, &new("lixin", &["leader"], Some("林晓"), &[]))).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "officer");
    let e = rt().block_on(f.app.add_user(admin, &new("lixin", &["leader"], None, &["鼓楼区"]))).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "officer");
    let e =
        rt().block_on(f.app.add_user(admin, &new("lixin", &["officer"], Some("无此人"), &[]))).unwrap_err();
    assert!(e.zh().contains("无此人"), "{}", e.zh());
    let e = rt()
        .block_on(f.app.add_user(admin, &new("lixin", &["officer"], None, &["鼓\u{202E}楼区"])))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "regions");
    // The grant waits with the roles; the security administrator sees it before approving.
    let view = rt().block_on(f.app.add_user(admin, &new("chen", &["officer"], Some("陈明"), &[]))).unwrap();
    assert!(view.grant.is_none());
    assert_eq!(view.pending_grant.as_ref().map(|g| g.regions.len()), Some(0));
    let sec = security_admin(&f.app);
    let view = rt().block_on(f.app.account_step(&sec, "chen", None, AccountStep::Approve, None)).unwrap();
    assert!(view.grant.as_ref().is_some_and(|g| g.officer.is_some()));
    let chen = f.app.principal_for_login(&f.office.tenant, "chen").unwrap();
    assert!(rt().block_on(f.app.deputy_full(&chen, li, Some(WHY.into()))).is_ok());
    assert!(rt().block_on(f.app.deputy_full(&chen, wang, Some(WHY.into()))).is_err());
    // Regions added by a role change take effect only once approved; the officer is kept.
    let change = RoleChange {
        roles: vec!["officer".into()],
        regions: Some(vec!["鼓楼区".into()]),
        ..Default::default()
    };
    rt().block_on(f.app.request_roles(admin, "chen", None, &change)).unwrap();
    let chen = f.app.principal_for_login(&f.office.tenant, "chen").unwrap();
    assert!(rt().block_on(f.app.deputy_full(&chen, wang, Some(WHY.into()))).is_err(), "not yet approved");
    rt().block_on(f.app.account_step(&sec, "chen", None, AccountStep::Approve, None)).unwrap();
    let chen = f.app.principal_for_login(&f.office.tenant, "chen").unwrap();
    assert!(rt().block_on(f.app.deputy_full(&chen, wang, Some(WHY.into()))).is_ok());
    assert!(rt().block_on(f.app.deputy_full(&chen, li, Some(WHY.into()))).is_ok(), "the officer is kept");
    // The trail names the grant asked for and approved.
    let page = f
        .app
        .audit_records(
            &approved_user(
                &f.app,
                &NewUser {
                    login: "auditor".into(),
                    display_name: "审计管理员".into(),
                    roles: vec!["auditor".into()],
                    ..Default::default()
                },
            ),
            &AuditFilter { kind: Some("user.roles_granted".into()), ..Default::default() },
        )
        .unwrap();
    let last = &page.items.last().unwrap().payload["event"];
    assert_eq!(last["grant"]["regions"][0], "鼓楼区", "{last}");
}

#[test]
fn every_full_view_states_a_reason() {
    let f = fixture();
    let [wang, ..] = world(&f);
    for (reason, code) in [
        (None, "required"),
        (Some(""), "required"),
        (Some("   "), "required"),
        (Some("核对"), "too_short"),
        (Some("...."), "too_short"),
        (Some("核对\n地址"), "bad_characters"),
    ] {
        let e = rt().block_on(f.app.deputy_full(&f.office, wang, reason.map(str::to_owned))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{reason:?}");
        let fe = &e.field_errors()[0];
        assert_eq!((fe.field.as_str(), fe.code), ("reason", code), "{reason:?}");
        assert!(e.zh().starts_with("输入有误：原因："), "{}", e.zh());
    }
    let long = "查".repeat(201);
    let e = rt().block_on(f.app.deputy_full(&f.office, wang, Some(long))).unwrap_err();
    assert_eq!(e.field_errors()[0].code, "too_long");
    assert!(viewed(&f, wang).is_empty(), "a refused view is no view");
    rt().block_on(f.app.deputy_full(&f.office, wang, Some(format!("  {WHY} ")))).unwrap();
    assert_eq!(viewed(&f, wang)[0].reason.as_deref(), Some(WHY), "stored trimmed");
}

#[test]
fn bulk_viewing_is_refused_and_raises_one_alert_per_window() {
    let f = fixture();
    let [wang, li, zhang] = world(&f);
    let seconds = Arc::new(AtomicI64::new(0));
    let clock = {
        let m = seconds.clone();
        Arc::new(move || {
            chrono::Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()
                + chrono::Duration::seconds(m.load(Ordering::SeqCst))
        })
    };
    let app = f.app.clone().with_clock(clock).with_bulk_view_limit(BulkViewLimit::new(3, 10).unwrap());
    let view = |d| rt().block_on(app.deputy_full(&f.office, d, Some(WHY.into())));
    for (i, d) in [wang, li, zhang].into_iter().enumerate() {
        seconds.store(60 * i as i64, Ordering::SeqCst);
        view(d).unwrap();
    }
    // The fourth within ten minutes is refused until the first leaves the window (at 10:00).
    seconds.store(5 * 60, Ordering::SeqCst);
    let e = view(wang).unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.retry_after()),
        (ErrorKind::TooMany, "personal_data.bulk_viewing", Some(300))
    );
    assert!(e.zh().contains("10 分钟内已查看 3 次") && e.zh().contains("安全管理员"), "{}", e.zh());
    seconds.store(6 * 60, Ordering::SeqCst);
    assert_eq!(view(li).unwrap_err().retry_after(), Some(240));
    // One alert for the window, which the security and the audit administrator list; nobody else.
    let sec = security_admin(&f.app);
    let auditor = approved_user(
        &f.app,
        &NewUser {
            login: "auditor".into(),
            display_name: "审计管理员".into(),
            roles: vec!["auditor".into()],
            ..Default::default()
        },
    );
    let alerts = |p: &Principal| app.audit_alerts(p, &AuditFilter::default()).map(|p| p.items);
    let a = alerts(&sec).unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].kind, "alert.bulk_personal_data");
    assert_eq!(a[0].actor_id, f.office.user.to_string());
    assert_eq!((a[0].payload["login"].as_str(), a[0].payload["count"].as_u64()), (Some("office"), Some(3)));
    assert_eq!(a[0].payload["window_minutes"], 10);
    assert_eq!(alerts(&auditor).unwrap(), a);
    let only_alerts = AuditFilter { kind: Some("alert.".into()), ..Default::default() };
    assert_eq!(app.audit_records(&auditor, &only_alerts).unwrap().items, a);
    assert_eq!(alerts(&f.office).unwrap_err().kind(), ErrorKind::Forbidden);
    let wrong = AuditFilter { kind: Some("deputy.".into()), ..Default::default() };
    assert_eq!(app.audit_alerts(&sec, &wrong).unwrap_err().field_errors()[0].field, "kind");
    // The count is the trail's: another server (or a restart) on the same database refuses as well.
    let other = App::open(&Config::for_db(&f.dir.path().join("t.db")))
        .unwrap()
        .with_clock(Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 3, 10, 2, 7, 0).unwrap()))
        .with_bulk_view_limit(BulkViewLimit::new(3, 10).unwrap());
    let e = rt().block_on(other.deputy_full(&f.office, wang, Some(WHY.into()))).unwrap_err();
    assert_eq!(e.code(), "personal_data.bulk_viewing");
    drop(other);
    // Once the first view leaves the window (ten minutes after it), one more is allowed; a new run over
    // the limit in a later window raises a new alert.
    seconds.store(10 * 60, Ordering::SeqCst);
    assert_eq!(view(wang).unwrap_err().retry_after(), Some(1));
    seconds.store(10 * 60 + 1, Ordering::SeqCst);
    view(wang).unwrap();
    seconds.store(30 * 60, Ordering::SeqCst);
    for d in [wang, li, zhang] {
        view(d).unwrap();
    }
    assert!(view(wang).is_err());
    assert_eq!(alerts(&sec).unwrap().len(), 2);
    // Refused views are not views.
    assert_eq!(viewed(&f, wang).len(), 3);
}

/// A signed paper rating form is transcribed by an officer only for the deputies within its reach (a
/// rating counts towards a department's assessment): another officer's deputy is refused by the scope
/// before anything is read of the suggestion's state; its own deputy gets as far as the suggestion's rules.
#[test]
fn an_officer_transcribes_paper_ratings_only_within_its_reach() {
    let f = fixture();
    let [wang, li, _] = world(&f);
    let lin = officer_account(&f, "lin", Some("林晓"), &[]);
    let file = |d: DeputyId| {
        let input = SuggestionInput {
            title: "关于设立未成年人保护联络点的建议".into(),
            content: "建议在各乡镇设立联络点。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![d.to_string()],
        };
        rt().block_on(f.app.file_suggestion(&f.office, &input, None))
            .unwrap()
            .suggestion
            .number
            .unwrap()
            .to_string()
    };
    let rate = |key: &str, d: DeputyId| {
        let a = SuggestionAction::Rate {
            rating: "satisfied".into(),
            comment: None,
            deputy: Some(d.to_string()),
            form_ref: Some("ZX-001".into()),
        };
        rt().block_on(f.app.suggestion_action(&lin, key, None, a, None))
    };
    let others = file(li);
    let e = rate(&others, li).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Forbidden, "scope.not_assigned"), "{}", e.zh());
    let own = file(wang);
    let e = rate(&own, wang).unwrap_err();
    assert_ne!(e.kind(), ErrorKind::Forbidden, "its own deputy passes the scope: {}", e.zh());
}
