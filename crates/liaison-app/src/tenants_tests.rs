//! Procuratorates in one deployment (issue 20): the tree through the façade, each tenant's own
//! administrator and audit chain, bad input changing nothing, and the roll-up for the level above.

use std::sync::Arc;

use chrono::TimeZone;
use liaison_core::ids::TenantId;

use crate::tests::rt;
use crate::*;

fn app(dir: &tempfile::TempDir) -> App {
    App::open(&Config::for_db(&dir.path().join("t.db")))
        .unwrap()
        .with_clock(Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()))
}

fn add(app: &App, id: &str, name: &str, level: &str, parent: Option<&str>) -> Result<TenantAdded, AppError> {
    let input = NewTenant {
        id: Some(id.into()),
        name: name.into(),
        level: level.into(),
        parent: parent.map(str::to_owned),
    };
    rt().block_on(app.add_tenant(input, Some("ops")))
}

/// An approved account of `tenant` with one role: its administrator opens it, its own security
/// administrator approves it.
fn member(app: &App, tenant: &TenantId, login: &str, role: &str) -> Principal {
    let admin = app.principal_for_login(tenant, "admin").unwrap();
    if app.principal_for_login(tenant, "sec").is_err() {
        let sec = NewUser {
            login: "sec".into(),
            display_name: "安全管理员".into(),
            roles: vec!["security_admin".into()],
            ..Default::default()
        };
        rt().block_on(app.add_user(&admin, &sec)).unwrap();
    }
    let new = NewUser {
        login: login.into(),
        display_name: format!("{login}用户"),
        roles: vec![role.into()],
        ..Default::default()
    };
    let view = rt().block_on(app.add_user(&admin, &new)).unwrap();
    if view.pending_roles.is_some() {
        let sec = app.principal_for_login(tenant, "sec").unwrap();
        rt().block_on(app.account_step(&sec, login, None, AccountStep::Approve, None)).unwrap();
    }
    app.principal_for_login(tenant, login).unwrap()
}

fn id(s: &str) -> TenantId {
    TenantId::parse(s).unwrap()
}

#[test]
fn a_province_is_built_with_an_administrator_each_and_audited_in_both_chains() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    rt().block_on(app.bootstrap("鼓楼区人民检察院")).unwrap().unwrap();
    let zj = add(&app, "zj", "浙江省人民检察院", "province", None).unwrap();
    let hz = add(&app, "hz", "杭州市人民检察院", "city", Some("zj")).unwrap();
    assert_eq!(
        (hz.tenant.level_name.as_str(), hz.tenant.parent_name.as_deref()),
        ("市级", Some("浙江省人民检察院"))
    );
    // Each procuratorate's administrator is its own: the token names the tenant it was made in.
    let hz_admin = app.authenticate(&hz.admin_token.token).unwrap();
    assert_eq!((hz_admin.tenant.as_str(), hz_admin.login.as_str()), ("hz", "admin"));
    assert_eq!(app.authenticate(&zj.admin_token.token).unwrap().tenant.as_str(), "zj");
    // The default tenant is placed below the city, once.
    let placed = rt().block_on(app.place_tenant("default", "county", Some("hz"), None)).unwrap();
    assert_eq!(placed.parent.as_deref(), Some("hz"));
    let again = rt().block_on(app.place_tenant("default", "county", Some("hz"), None)).unwrap_err();
    assert_eq!(again.code(), "tenant.already_placed");

    let tree: Vec<(usize, String)> =
        app.tenant_tree().unwrap().into_iter().map(|t| (t.depth, t.name)).collect();
    assert_eq!(
        tree,
        vec![(0, "浙江省人民检察院".into()), (1, "杭州市人民检察院".into()), (2, "鼓楼区人民检察院".into())]
    );

    // Audited where it happened and where it reaches: the new tenant's chain and its parent's.
    let kinds = |t: &str| -> Vec<String> {
        app.read(|q| {
            q.audit_records(&id(t), &liaison_store::AuditQuery { limit: 1000, ..Default::default() })
        })
        .unwrap()
        .into_iter()
        .map(|r| r.kind)
        .collect()
    };
    assert!(kinds("hz").starts_with(&["tenant.created".to_owned()]), "{:?}", kinds("hz"));
    assert!(kinds("hz").contains(&"tenant.child_added".to_owned()));
    assert!(kinds("zj").contains(&"tenant.child_added".to_owned()));
    assert!(kinds("default").contains(&"tenant.placed".to_owned()));
    let chain = app.verify_audit().unwrap();
    assert!(chain.ok(), "{chain:?}");
}

#[test]
fn bad_tenants_are_refused_naming_the_field_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    add(&app, "zj", "浙江省人民检察院", "province", None).unwrap();
    let before = app.tenant_tree().unwrap();
    let fields = |e: AppError| match e {
        AppError::Invalid(f) => f.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        e => panic!("{e:?}"),
    };
    assert_eq!(
        fields(add(&app, "Bad Id", " ", "township", Some("zj")).unwrap_err()),
        ["id", "name", "level"]
    );
    assert_eq!(
        add(&app, "x", "某县院", "county", Some("zj")).unwrap_err().code(),
        "tenant.wrong_parent_level"
    );
    assert_eq!(add(&app, "y", "某市院", "city", Some("nowhere")).unwrap_err().code(), "tenant.unknown");
    assert_eq!(add(&app, "z", "浙江省人民检察院", "province", None).unwrap_err().code(), "tenant.name_taken");
    assert_eq!(add(&app, "zj", "另一个省院", "province", None).unwrap_err().code(), "tenant.id_taken");
    let e = add(&app, "q", "某省院", "province", Some("zj")).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("tenant.province_has_parent", ErrorKind::Invalid));
    assert_eq!(app.tenant_tree().unwrap(), before);
    assert!(app.principal_for_login(&id("x"), "admin").is_err());
    // Without an id, one is made up.
    let made = add(&app, "", "宁波市人民检察院", "city", Some("zj")).unwrap();
    assert!(made.tenant.id.starts_with("t-"), "{}", made.tenant.id);
}

#[test]
fn the_rollup_shows_the_figures_below_never_beside_or_above() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    add(&app, "zj", "浙江省人民检察院", "province", None).unwrap();
    add(&app, "hz", "杭州市人民检察院", "city", Some("zj")).unwrap();
    add(&app, "nb", "宁波市人民检察院", "city", Some("zj")).unwrap();
    add(&app, "xh", "西湖区人民检察院", "county", Some("hz")).unwrap();
    // Suggestions filed in the county (two, by a county and a township deputy) and in Ningbo (one).
    let file = |t: &str, levels: &[&str]| {
        let office = member(&app, &id(t), "office", "office");
        for (i, level) in levels.iter().enumerate() {
            let mut input = demo::generate(4, 11).nth(i).unwrap();
            input.level = (*level).into();
            let d = rt().block_on(app.register_deputy(&office, input, None, None)).unwrap();
            let s = SuggestionInput {
                title: format!("关于{t}的建议{i}"),
                content: "建议加强联络。".into(),
                source: "闭会期间".into(),
                received_on: None,
                deputies: vec![d.id.to_string()],
            };
            rt().block_on(app.file_suggestion(&office, &s, None)).unwrap();
        }
        office
    };
    let xh_office = file("xh", &["县", "乡"]);
    file("nb", &["市"]);
    let leader = member(&app, &id("zj"), "leader", "leader");
    let r = app.rollup(&leader, 2026).unwrap();
    let names: Vec<(usize, &str, u32)> = r
        .procuratorates
        .iter()
        .map(|e| (e.tenant.depth, e.tenant.name.as_str(), e.figures.total.counts.received))
        .collect();
    assert_eq!(
        names,
        vec![
            (0, "浙江省人民检察院", 0),
            (1, "杭州市人民检察院", 0),
            (2, "西湖区人民检察院", 2),
            (1, "宁波市人民检察院", 1)
        ]
    );
    assert_eq!(r.total.counts.received, 3);
    let by_level: Vec<(&str, usize, u32)> =
        r.by_level.iter().map(|l| (l.level.as_str(), l.procuratorates, l.figures.counts.received)).collect();
    assert_eq!(by_level, vec![("province", 1, 0), ("city", 2, 1), ("county", 1, 2)]);
    // By deputies' level: the county's rows name levels, never a person.
    let county = &r.procuratorates[2].figures;
    let row = |code: &str| county.rows.iter().find(|x| x.counts.key == code).unwrap().counts.received;
    assert_eq!((row("county"), row("township")), (1, 1));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("关于xh"), "no record's title crosses: {json}");

    // The county sees itself only; the city Hangzhou its county, not Ningbo.
    let own = app.rollup(&xh_office, 2026).unwrap();
    assert_eq!(own.procuratorates.len(), 1);
    let hz_leader = member(&app, &id("hz"), "leader", "leader");
    let hz: Vec<String> =
        app.rollup(&hz_leader, 2026).unwrap().procuratorates.into_iter().map(|e| e.tenant.id).collect();
    assert_eq!(hz, ["hz", "xh"]);
    // Leaders and the office only; a bad year names the field.
    let sec = app.principal_for_login(&id("zj"), "sec").unwrap();
    assert_eq!(app.rollup(&sec, 2026).unwrap_err().code(), "auth.forbidden");
    let admin = app.principal_for_login(&id("zj"), "admin").unwrap();
    assert_eq!(app.rollup(&admin, 2026).unwrap_err().code(), "auth.forbidden");
    match app.rollup(&leader, 1900).unwrap_err() {
        AppError::Invalid(f) => assert_eq!(f[0].field, "year"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn the_reminder_sweep_reaches_every_procuratorate_each_in_its_own_chain() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let days = Arc::new(AtomicI64::new(0));
    let clock = days.clone();
    let app = App::open(&Config::for_db(&dir.path().join("t.db"))).unwrap().with_clock(Arc::new(move || {
        chrono::Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()
            + chrono::Duration::days(clock.load(Ordering::SeqCst))
    }));
    rt().block_on(app.bootstrap("鼓楼区人民检察院")).unwrap().unwrap();
    add(&app, "zj", "浙江省人民检察院", "province", None).unwrap();
    // In each procuratorate: a department, its handler, a leader, and a suggestion assigned to it.
    let open_one = |t: &str| {
        let office = member(&app, &id(t), "office", "office");
        rt().block_on(app.change_organisation(
            &office,
            OrgInput::AddDepartment { name: "第一检察部".into() },
            None,
            None,
        ))
        .unwrap();
        let admin = app.principal_for_login(&id(t), "admin").unwrap();
        let handler = NewUser {
            login: "dept1".into(),
            display_name: "承办人".into(),
            roles: vec!["department".into()],
            department: Some("第一检察部".into()),
            ..Default::default()
        };
        rt().block_on(app.add_user(&admin, &handler)).unwrap();
        let sec = app.principal_for_login(&id(t), "sec").unwrap();
        rt().block_on(app.account_step(&sec, "dept1", None, AccountStep::Approve, None)).unwrap();
        let leader = member(&app, &id(t), "leader", "leader");
        let d = rt()
            .block_on(app.register_deputy(&office, demo::generate(1, 5).next().unwrap(), None, None))
            .unwrap();
        let s = SuggestionInput {
            title: format!("关于{t}加强联络的建议"),
            content: "建议加强联络。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![d.id.to_string()],
        };
        let key = rt().block_on(app.file_suggestion(&office, &s, None)).unwrap().suggestion.id.to_string();
        let assign = SuggestionAction::Assign {
            lead: "第一检察部".into(),
            co_handlers: vec![],
            handler: "dept1".into(),
        };
        rt().block_on(app.suggestion_action(&office, &key, None, assign, None)).unwrap();
        (office, leader, key)
    };
    let (default_office, default_leader, default_item) = open_one("default");
    let (zj_office, zj_leader, zj_item) = open_one("zj");
    // A hundred days on, both are overdue: each procuratorate's leadership is told of its own.
    days.store(100, Ordering::SeqCst);
    assert!(rt().block_on(app.sweep_reminders()).unwrap() >= 2);
    let escalated = |office: &Principal, leader: &Principal| -> std::collections::BTreeSet<String> {
        app.messages(office, &MessageFilter::default())
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "duty.escalated" && m.recipient_id == leader.user.to_string())
            .map(|m| m.item)
            .collect()
    };
    let item = |key: &str| std::collections::BTreeSet::from([format!("suggestion:{key}")]);
    assert_eq!(escalated(&default_office, &default_leader), item(&default_item));
    assert_eq!(escalated(&zj_office, &zj_leader), item(&zj_item));
    // Once per stage in every tenant.
    assert_eq!(rt().block_on(app.sweep_reminders()).unwrap(), 0);
}

/// A transfer names its target by id or by name; a name two procuratorates share (a 城区 county below each of
/// two cities) is refused naming the field, and nothing changes; the id then works.
#[test]
fn a_transfer_by_a_shared_name_is_refused_and_by_id_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    add(&app, "zj", "浙江省人民检察院", "province", None).unwrap();
    add(&app, "hz", "杭州市人民检察院", "city", Some("zj")).unwrap();
    add(&app, "nb", "宁波市人民检察院", "city", Some("zj")).unwrap();
    add(&app, "hzcq", "城区人民检察院", "county", Some("hz")).unwrap();
    add(&app, "nbcq", "城区人民检察院", "county", Some("nb")).unwrap();
    let office = member(&app, &id("zj"), "office", "office");
    let d = rt()
        .block_on(app.register_deputy(&office, demo::generate(4, 11).next().unwrap(), None, None))
        .unwrap();
    let s = SuggestionInput {
        title: "关于城区社区矫正的建议".into(),
        content: "建议由区院办理。".into(),
        source: "闭会期间".into(),
        received_on: None,
        deputies: vec![d.id.to_string()],
    };
    let filed = rt().block_on(app.file_suggestion(&office, &s, None)).unwrap();
    let key = filed.suggestion.id.to_string();
    let to = |t: &str| SuggestionAction::Transfer {
        to: t.into(),
        reason: "属区院管辖".into(),
        notice: "已转区院。".into(),
    };
    let e =
        rt().block_on(app.suggestion_action(&office, &key, None, to("城区人民检察院"), None)).unwrap_err();
    assert_eq!(e.code(), "input.invalid", "{e}");
    let f = &e.field_errors()[0];
    assert_eq!(f.field, "to");
    assert!(f.message_en.contains("several have it") && f.message_zh.contains("有多个检察院同名"), "{f:?}");
    assert_eq!(
        app.suggestion(&office, &key).unwrap().suggestion.version,
        filed.suggestion.version,
        "nothing changed"
    );
    let v = rt().block_on(app.suggestion_action(&office, &key, None, to("nbcq"), None)).unwrap();
    let t = v.transfer.expect("the transfer seen from here");
    assert_eq!(
        (t.direction.as_str(), t.procuratorate_id.as_str(), t.status.as_deref()),
        ("out", "nbcq", Some("registered"))
    );
}
