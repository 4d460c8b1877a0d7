//! A deputy of two congresses (issue 20, part 2): the same ID number on two registers of one tree is
//! linked when a deputy is registered or imported, shown on each side as the other congress's level and the
//! other procuratorate's name only, audited in both chains; the same level, another tree and a second link
//! into one register are not linked; the console's sweep links what was there before.

use std::sync::Arc;

use chrono::TimeZone;
use liaison_core::ids::TenantId;
use liaison_core::registry::DeputyInput;

use crate::tests::rt;
use crate::views::DeputyView;
use crate::*;

fn app(dir: &tempfile::TempDir) -> App {
    App::open(&Config::for_db(&dir.path().join("t.db")))
        .unwrap()
        .with_clock(Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()))
}

fn id(s: &str) -> TenantId {
    TenantId::parse(s).unwrap()
}

fn add(app: &App, t: &str, name: &str, level: &str, parent: Option<&str>) {
    let input = NewTenant {
        id: Some(t.into()),
        name: name.into(),
        level: level.into(),
        parent: parent.map(str::to_owned),
    };
    rt().block_on(app.add_tenant(input, Some("ops"))).unwrap();
}

/// The liaison office of `t` (its security administrator made first when it has none).
fn office(app: &App, t: &str) -> Principal {
    let t = id(t);
    let admin = app.principal_for_login(&t, "admin").unwrap();
    if app.principal_for_login(&t, "sec").is_err() {
        let sec = NewUser {
            login: "sec".into(),
            display_name: "安全管理员".into(),
            roles: vec!["security_admin".into()],
            ..Default::default()
        };
        rt().block_on(app.add_user(&admin, &sec)).unwrap();
    }
    let new = NewUser {
        login: "office".into(),
        display_name: "联络室".into(),
        roles: vec!["office".into()],
        ..Default::default()
    };
    if rt().block_on(app.add_user(&admin, &new)).unwrap().pending_roles.is_some() {
        let sec = app.principal_for_login(&t, "sec").unwrap();
        rt().block_on(app.account_step(&sec, "office", None, AccountStep::Approve, None)).unwrap();
    }
    app.principal_for_login(&t, "office").unwrap()
}

/// A valid resident ID number: area 330106, born 1970-01-01, sequence `n` (odd: male).
fn id_number(n: u32) -> String {
    let body = format!("33010619700101{:03}", n % 1000);
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(W).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn deputy(name: &str, level: &str, id_no: &str, mobile: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: "男".into(),
        level: level.into(),
        term: "16".into(),
        region: "西湖区".into(),
        term_start: "2022-01-01".into(),
        id_number: id_no.into(),
        mobile: mobile.into(),
        ..DeputyInput::default()
    }
}

fn register(app: &App, p: &Principal, d: DeputyInput) -> DeputyView {
    rt().block_on(app.register_deputy(p, d, None, None)).unwrap()
}

fn linked_records(app: &App, t: &str) -> Vec<liaison_store::AuditRecord> {
    app.read(|q| q.audit_records(&id(t), &liaison_store::AuditQuery { limit: 1000, ..Default::default() }))
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == "deputy.linked")
        .collect()
}

/// 浙江省 (zj) → 杭州市 (the default tenant, placed as the city) → 西湖区 (xh); 江苏省 (js) apart.
fn province(app: &App) -> (Principal, Principal, Principal) {
    rt().block_on(app.bootstrap("杭州市人民检察院")).unwrap().unwrap();
    add(app, "zj", "浙江省人民检察院", "province", None);
    rt().block_on(app.place_tenant("default", "city", Some("zj"), None)).unwrap();
    add(app, "xh", "西湖区人民检察院", "county", Some("default"));
    add(app, "js", "江苏省人民检察院", "province", None);
    (office(app, "default"), office(app, "xh"), office(app, "js"))
}

#[test]
fn a_county_deputy_who_is_also_a_city_deputy_is_linked_and_each_side_shows_only_the_other_congress() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    let (city, county, other_province) = province(&app);
    let same = id_number(11);
    let in_county = register(&app, &county, deputy("林建国", "县", &same, "13900000011"));
    assert!(in_county.other_registers.is_empty(), "nobody else yet");
    // Another province's register with the same number: another tree, not linked.
    let js = register(&app, &other_province, deputy("林建国", "省", &same, "13900000012"));
    let in_city = register(&app, &city, deputy("林建国", "市", &same, "13900000013"));

    let city_view = app.deputy(&city, liaison_core::ids::DeputyId(in_city.id)).unwrap();
    let texts: Vec<&str> = city_view.other_registers.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts, vec!["同时是西湖区人大代表（西湖区人民检察院名册）"]);
    let county_view = app.deputy(&county, liaison_core::ids::DeputyId(in_county.id)).unwrap();
    let o = &county_view.other_registers;
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(
        (o[0].level.as_str(), o[0].level_zh.as_str(), o[0].procuratorate.as_str(), o[0].text.as_str()),
        ("city", "市", "杭州市人民检察院", "同时是杭州市人大代表（杭州市人民检察院名册）")
    );
    assert!(
        app.deputy(&other_province, liaison_core::ids::DeputyId(js.id)).unwrap().other_registers.is_empty(),
        "another tree"
    );

    // Nothing else of the other record crosses: the link's four fields, no id, number or phone of it.
    let json = serde_json::to_value(&county_view).unwrap();
    let keys: Vec<&str> =
        json["other_registers"][0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["level", "level_zh", "procuratorate", "text"]);
    let text = json.to_string();
    // (Its own masked ID number ends as the other's does: it is the same person's own number.)
    for leak in [in_city.id.to_string(), "13900000013".into(), "0013".into(), same.clone()] {
        assert!(!text.contains(&leak), "{leak} in {text}");
    }
    // Lists do not carry it (one deputy's read does).
    let list = app.deputies(&county, &Default::default(), None, 10).unwrap();
    assert!(list.items.iter().all(|d| d.other_registers.is_empty()));

    // Audited in both chains: the registration's own actor in the city's, the system in the county's;
    // neither names the other record.
    let city_rec = linked_records(&app, "default");
    let county_rec = linked_records(&app, "xh");
    assert_eq!((city_rec.len(), county_rec.len()), (1, 1));
    assert_eq!(city_rec[0].actor_id, city.user.to_string());
    assert_eq!(city_rec[0].aggregate_id, in_city.id.to_string());
    assert_eq!(county_rec[0].actor_via.as_deref(), Some("deputy.link:default"));
    assert_eq!(county_rec[0].aggregate_id, in_county.id.to_string());
    let payload: serde_json::Value = serde_json::from_str(&county_rec[0].payload).unwrap();
    assert_eq!(
        (payload["other_procuratorate"].as_str(), payload["other_level"].as_str(), payload["level"].as_str()),
        (Some("default"), Some("city"), Some("county"))
    );
    assert!(!county_rec[0].payload.contains(&in_city.id.to_string()), "{}", county_rec[0].payload);
    assert!(app.verify_audit().unwrap().ok());
    let state = app.verify_state().unwrap();
    assert!(state.ok(), "a link is no event of the deputy's own: {state:?}");
    assert!(linked_records(&app, "js").is_empty());

    // The sweep finds nothing new to link.
    let sweep = rt().block_on(app.link_registers(None, Some("ops"))).unwrap();
    assert_eq!((sweep.procuratorates, sweep.linked), (4, 0));
}

#[test]
fn the_same_level_and_a_second_record_in_one_register_are_not_linked() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    let (city, county, _) = province(&app);
    // The same level on two registers: not a deputy of two congresses.
    let n = id_number(21);
    let a = register(&app, &county, deputy("周敏", "县", &n, "13900000021"));
    let b = register(&app, &city, deputy("周敏", "县", &n, "13900000022"));
    assert!(app.deputy(&county, liaison_core::ids::DeputyId(a.id)).unwrap().other_registers.is_empty());
    assert!(app.deputy(&city, liaison_core::ids::DeputyId(b.id)).unwrap().other_registers.is_empty());
    // One record per register: a second record of the city's for the county's linked one is not linked.
    let m = id_number(31);
    let c = register(&app, &county, deputy("吴强", "县", &m, "13900000031"));
    register(&app, &city, deputy("吴强", "市", &m, "13900000032"));
    let second = register(&app, &city, deputy("吴强", "省", &m, "13900000033"));
    assert_eq!(app.deputy(&county, liaison_core::ids::DeputyId(c.id)).unwrap().other_registers.len(), 1);
    assert!(app.deputy(&city, liaison_core::ids::DeputyId(second.id)).unwrap().other_registers.is_empty());
    assert_eq!(linked_records(&app, "xh").len(), 1);
    // Without an ID number nothing is compared.
    let none = register(&app, &city, deputy("郑华", "市", "", "13900000041"));
    register(&app, &county, deputy("郑华", "县", "", "13900000042"));
    assert!(app.deputy(&city, liaison_core::ids::DeputyId(none.id)).unwrap().other_registers.is_empty());
}

#[test]
fn an_import_links_and_the_sweep_links_what_was_there_before_the_tree_joined() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    rt().block_on(app.bootstrap("西湖区人民检察院")).unwrap().unwrap();
    add(&app, "zj", "浙江省人民检察院", "province", None);
    let county = office(&app, "default");
    let province = office(&app, "zj");
    let n = id_number(51);
    // Before the default tenant is placed it is a tree of its own: not linked.
    let d = register(&app, &county, deputy("冯丽", "县", &n, "13900000051"));
    register(&app, &province, deputy("冯丽", "省", &n, "13900000052"));
    assert!(app.deputy(&county, liaison_core::ids::DeputyId(d.id)).unwrap().other_registers.is_empty());
    add(&app, "hz", "杭州市人民检察院", "city", Some("zj"));
    rt().block_on(app.place_tenant("default", "county", Some("hz"), None)).unwrap();
    // An unknown procuratorate is refused by name; the sweep of one register links it.
    let e = rt().block_on(app.link_registers(Some("nowhere"), None)).unwrap_err();
    assert_eq!(e.code(), "tenant.unknown");
    let sweep = rt().block_on(app.link_registers(Some("default"), Some("ops"))).unwrap();
    assert_eq!((sweep.procuratorates, sweep.linked), (1, 1));
    let texts: Vec<String> = app
        .deputy(&county, liaison_core::ids::DeputyId(d.id))
        .unwrap()
        .other_registers
        .into_iter()
        .map(|o| o.text)
        .collect();
    assert_eq!(texts, vec!["同时是浙江省人大代表（浙江省人民检察院名册）".to_owned()]);
    let rec = linked_records(&app, "default");
    assert_eq!(rec[0].actor_via.as_deref(), Some("console:ops"));
    assert_eq!(linked_records(&app, "zj")[0].actor_via.as_deref(), Some("deputy.link:default"));

    // An import of the city's register links its rows with the county's and the province's.
    let hz = office(&app, "hz");
    let csv =
        format!("姓名,性别,代表层级,届次,所属区域,任期开始,身份证号\n冯丽,男,市,16,上城区,2022-01-01,{n}\n");
    let report = rt().block_on(app.import_deputies(&hz, csv.as_bytes(), &Default::default(), None)).unwrap();
    assert_eq!((report.imported, report.linked), (1, 2), "{report:?}");
    let again = rt().block_on(app.link_registers(None, None)).unwrap();
    assert_eq!(again.linked, 0, "nothing new");
    assert_eq!(app.deputy(&county, liaison_core::ids::DeputyId(d.id)).unwrap().other_registers.len(), 2);
    assert!(app.verify_audit().unwrap().ok());
    let state = app.verify_state().unwrap();
    assert!(state.ok(), "a link is no event of the deputy's own: {state:?}");
}
