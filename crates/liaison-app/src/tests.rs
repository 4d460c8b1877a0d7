//! Use-case tests against a real SQLite file: permissions, audit, duplicates, concurrency, import.

use std::sync::Arc;

use chrono::TimeZone;
use liaison_core::ids::DeputyId;
use liaison_core::registry::DeputyInput;

use crate::import::{Encoding, FileFormat, ImportOptions, OnDuplicate};
use crate::registry::DeputyPatchInput;
use crate::*;
use liaison_core::Localized;
use liaison_core::access::Role;

pub(crate) struct Fixture {
    pub(crate) app: App,
    pub(crate) admin: Principal,
    pub(crate) office: Principal,
    /// Set by a test that edits stored state behind the events' back (the closing check is then its own).
    pub(crate) state_edited: std::cell::Cell<bool>,
    pub(crate) dir: tempfile::TempDir,
}

/// Every test on a fixture ends with the state check (issue 13 item 3): the deputies, their keys and the
/// organisation are what their events replay to, however the test registered, imported or changed them.
impl Drop for Fixture {
    fn drop(&mut self) {
        if !std::thread::panicking() && !self.state_edited.get() {
            let r = self.app.verify_state().unwrap();
            assert!(r.ok(), "stored state differs from its events: {:#?}", r.differences);
        }
    }
}

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().build().unwrap()
}

pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(&Config::for_db(&dir.path().join("t.db")))
        .unwrap()
        .with_clock(Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()));
    let boot = rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
    let admin = app.authenticate(&boot.admin_token.token).unwrap();
    let office = approved_user(
        &app,
        &crate::NewUser {
            login: "office".into(),
            display_name: "联络室".into(),
            roles: vec!["office".into()],
            ..Default::default()
        },
    );
    Fixture { app, admin, office, state_edited: Default::default(), dir }
}

/// The security administrator `sec`, created by the system administrator on first use.
pub(crate) fn security_admin(app: &App) -> Principal {
    let t = default_tenant();
    if let Ok(p) = app.principal_for_login(&t, "sec") {
        return p;
    }
    let admin = app.principal_for_login(&t, "admin").unwrap();
    let new = crate::NewUser {
        login: "sec".into(),
        display_name: "安全管理员".into(),
        roles: vec!["security_admin".into()],
        ..Default::default()
    };
    rt().block_on(app.add_user(&admin, &new)).unwrap();
    app.principal_for_login(&t, "sec").unwrap()
}

/// An account as the system administrator opens it and the security administrator approves it.
pub(crate) fn approved_user(app: &App, new: &crate::NewUser) -> Principal {
    let t = default_tenant();
    let admin = app.principal_for_login(&t, "admin").unwrap();
    let view = rt().block_on(app.add_user(&admin, new)).unwrap();
    if view.pending_roles.is_some() {
        let sec = security_admin(app);
        rt().block_on(app.account_step(&sec, &new.login, None, AccountStep::Approve, None)).unwrap();
    }
    app.principal_for_login(&t, &new.login).unwrap()
}

fn csv_of(rows: impl Iterator<Item = DeputyInput>) -> Vec<u8> {
    let mut out = Vec::new();
    demo::write_csv(rows, &mut out, Encoding::Utf8).unwrap();
    out
}

fn total(f: &Fixture) -> u64 {
    f.app.count_deputies(&f.office, &DeputyFilter::default()).unwrap()
}

#[test]
fn bootstrap_runs_once_and_tokens_authenticate_until_revoked() {
    let f = fixture();
    assert!(rt().block_on(f.app.bootstrap("x")).unwrap().is_none());
    let t = rt().block_on(f.app.create_token(&f.office, "office", "联络室终端", None)).unwrap();
    assert_eq!(f.app.authenticate(&t.token).unwrap().login, "office");
    assert!(matches!(f.app.authenticate("lia_nope"), Err(AppError::Unauthenticated)));
    rt().block_on(f.app.revoke_token(&f.admin, &t.id, Some("离职".into()))).unwrap();
    assert!(matches!(f.app.authenticate(&t.token), Err(AppError::Unauthenticated)));
    assert!(f.app.tokens(&f.admin).unwrap().iter().any(|x| x.id == t.id && x.revoked_at.is_some()));
}

#[test]
fn roles_are_enforced_and_full_views_are_audited() {
    let f = fixture();
    let d = rt()
        .block_on(f.app.register_deputy(&f.office, demo::generate(1, 1).next().unwrap(), None, None))
        .unwrap();
    assert!(d.contact.mobile.as_deref().unwrap().contains("****"));
    let id = DeputyId(d.id);
    // The administrator manages accounts but may not see personal data nor edit the register.
    assert!(matches!(rt().block_on(f.app.deputy_full(&f.admin, id, None)), Err(AppError::Forbidden { .. })));
    let input = demo::generate(2, 1).nth(1).unwrap();
    assert!(matches!(
        rt().block_on(f.app.register_deputy(&f.admin, input, None, None)),
        Err(AppError::Forbidden { .. })
    ));
    // A department account needs its department (else it would act for every one), and only it has one.
    let new = |roles: &[&str], department: Option<&str>| crate::NewUser {
        login: "dept".into(),
        display_name: "第一检察部".into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        department: department.map(str::to_owned),
        ..Default::default()
    };
    for (roles, department, field) in
        [(&["department"][..], None, "department"), (&["officer"][..], Some("第一检察部"), "department")]
    {
        let e = rt().block_on(f.app.add_user(&f.admin, &new(roles, department))).unwrap_err();
        assert_eq!(e.field_errors().iter().map(|x| x.field.as_str()).collect::<Vec<_>>(), [field]);
    }
    assert!(f.app.principal_for_login(&f.admin.tenant, "dept").is_err(), "nothing written");
    rt().block_on(f.app.change_organisation(
        &f.office,
        crate::OrgInput::AddDepartment { name: "第一检察部".into() },
        None,
        None,
    ))
    .unwrap();
    let dept = approved_user(&f.app, &new(&["department"], Some("第一检察部")));
    assert!(matches!(
        rt().block_on(f.app.import_deputies(&dept, b"x", &ImportOptions::default(), None)),
        Err(AppError::Forbidden { .. })
    ));
    // The office sees it in full, and the view is on the record first.
    let full = rt().block_on(f.app.deputy_full(&f.office, id, Some("办前沟通".into()))).unwrap();
    assert_eq!(full.deputy.contact.mobile.unwrap().len(), 11);
    let h = f.app.deputy_history(&f.office, id).unwrap();
    assert_eq!(h.last().unwrap().kind, "access.personal_data_viewed");
    assert_eq!(h.last().unwrap().reason.as_deref(), Some("办前沟通"));
    assert!(
        !serde_json::to_string(&h).unwrap().contains(&full.deputy.contact.id_number.unwrap()),
        "no personal data in the log"
    );
    assert!(f.app.verify_audit().unwrap().ok());
}

/// Issue 12 item 2: the masked ID number shows only its last four, and neither a masked view nor the
/// history carries more of the birth date than its year (6+4 digits and the date rebuilt the number).
#[test]
fn masked_views_and_history_never_rebuild_the_id_number() {
    let f = fixture();
    let input = demo::generate(1, 11).next().unwrap();
    let (id_number, birth) = (input.id_number.clone(), input.birth_date.clone());
    assert_eq!((id_number.len(), birth.len()), (18, 10), "the generator gives both");
    let d = rt().block_on(f.app.register_deputy(&f.office, input, None, None)).unwrap();
    let expected = format!("{}{}", "*".repeat(14), &id_number[14..]);
    assert_eq!(d.contact.id_number.as_deref(), Some(expected.as_str()));
    let listed = f.app.deputies(&f.office, &DeputyFilter::default(), None, 10).unwrap();
    assert_eq!(listed.items[0].contact.id_number.as_deref(), Some(expected.as_str()));
    let id = DeputyId(d.id);
    let masked = serde_json::to_string(&f.app.deputy(&f.office, id).unwrap()).unwrap();
    let history = serde_json::to_string(&f.app.deputy_history(&f.office, id).unwrap()).unwrap();
    let compact = birth.replace('-', "");
    for text in [&masked, &history] {
        assert!(!text.contains(&birth) && !text.contains(&compact), "no birth date in {text}");
        assert!(!text.contains(&id_number[6..14]), "no middle digits in {text}");
    }
    assert!(history.contains(&format!("\"birth_year\":{}", &birth[..4])), "the year stays: {history}");
    // The full view, for the roles that need it, still has both.
    let full = rt().block_on(f.app.deputy_full(&f.office, id, Some("核对联系方式".into()))).unwrap();
    assert_eq!(full.deputy.contact.id_number.as_deref(), Some(id_number.as_str()));
    assert_eq!(full.birth_date.map(|b| b.to_string()), Some(birth));
}

#[test]
fn duplicates_are_refused_per_level_and_stale_versions_change_nothing() {
    let f = fixture();
    let mut input = demo::generate(1, 7).next().unwrap();
    input.level = "县".into();
    let first = rt().block_on(f.app.register_deputy(&f.office, input.clone(), None, None)).unwrap();
    let again = rt().block_on(f.app.register_deputy(&f.office, input.clone(), None, None));
    assert!(
        matches!(
            again.as_ref().err().and_then(AppError::rule_as),
            Some(liaison_core::registry::RegistryError::Duplicate { .. })
        ),
        "{again:?}"
    );
    input.level = "市".into();
    input.term = "17".into();
    rt().block_on(f.app.register_deputy(&f.office, input, None, None))
        .expect("the same person may sit at another level");

    let id = DeputyId(first.id);
    let patch = DeputyPatchInput { position: Some("一级调研员".into()), ..Default::default() };
    let v2 = rt().block_on(f.app.update_deputy(&f.office, id, Some(first.version), &patch, None)).unwrap();
    assert_eq!(v2.version, first.version + 1);
    let stale = rt().block_on(f.app.update_deputy(
        &f.office,
        id,
        Some(first.version),
        &DeputyPatchInput { position: Some("二级调研员".into()), ..Default::default() },
        None,
    ));
    assert!(matches!(stale, Err(AppError::Stale { actual: 2, expected: 1, .. })));
    assert_eq!(f.app.deputy(&f.office, id).unwrap().position.as_deref(), Some("一级调研员"));
    let bad = rt().block_on(f.app.update_deputy(
        &f.office,
        id,
        None,
        &DeputyPatchInput { mobile: Some("123".into()), email: Some("x@".into()), ..Default::default() },
        None,
    ));
    assert_eq!(
        bad.unwrap_err().field_errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["mobile", "email"]
    );
}

/// Issue 19: registrations prepared on the request's thread and committed in groups. Many at once on
/// each backend, through four servers on one database: the same person is registered once (the duplicate
/// check is made in the transaction, against what the jobs before it wrote, and on PostgreSQL with the
/// person's keys locked till the transaction ends), different people are all registered, each registration's audit
/// record is in the chain and the chain verifies.
#[test]
fn registrations_at_once_check_duplicates_exactly_and_keep_the_chain() {
    let sqlite = tempfile::tempdir().unwrap();
    let pg = liaison_store::testing::TestDatabase::create("registrations at once").unwrap();
    let mut configs = vec![Config::for_db(&sqlite.path().join("t.db"))];
    if let Some(db) = &pg {
        configs.push(Config { key: KeySource::Hex("ab".repeat(32)), ..Config::for_url(&db.url) });
    }
    for config in configs {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(4).build().unwrap();
        let app = App::open(&config).unwrap();
        rt.block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
        let admin = approved_user(
            &app,
            &crate::NewUser {
                login: "office".into(),
                display_name: "联络室".into(),
                roles: vec!["office".into()],
                ..Default::default()
            },
        );
        // Three more servers on the same database: their writers run beside the first one's.
        let apps = [
            app.clone(),
            App::open(&config).unwrap(),
            App::open(&config).unwrap(),
            App::open(&config).unwrap(),
        ];
        let same = demo::generate(1, 11).next().unwrap();
        let others: Vec<_> = demo::generate(80, 12).collect();
        let (ok, others_ok) = rt.block_on(async {
            let mut tasks = Vec::new();
            for i in 0..80 {
                let (app, admin) = (apps[i % 8 / 2].clone(), admin.clone());
                let input = if i % 2 == 0 { same.clone() } else { others[i].clone() };
                tasks.push(tokio::spawn(async move { app.register_deputy(&admin, input, None, None).await }));
            }
            let (mut ok, mut others_ok) = (0, 0);
            for (i, t) in tasks.into_iter().enumerate() {
                match t.await.unwrap() {
                    Ok(_) if i % 2 == 0 => ok += 1,
                    Ok(_) => others_ok += 1,
                    // Refused as a duplicate; or, on PostgreSQL, met the other registration of the same
                    // person while its own group held locks (503, retried by the client).
                    Err(e)
                        if i % 2 == 0
                            && (matches!(
                                e.rule_as(),
                                Some(liaison_core::registry::RegistryError::Duplicate { .. })
                            ) || e.code() == "store.busy") => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
            (ok, others_ok)
        });
        assert_eq!(
            (ok, others_ok),
            (1, 40),
            "{}: the same person once, the others all",
            app.store().describe()
        );
        let n = app.count_deputies(&admin, &DeputyFilter::default()).unwrap();
        assert_eq!(n, 41);
        let chain = app.verify_audit().unwrap();
        assert!(chain.ok(), "{:?}", chain.breaks);
        let registered = liaison_store::read(app.store(), |q| {
            q.audit_records(
                &default_tenant(),
                &liaison_store::AuditQuery {
                    kind: Some("deputy.registered".into()),
                    limit: 100,
                    ..Default::default()
                },
            )
        })
        .unwrap();
        assert_eq!(registered.len(), 41, "one audit record per registration");
        let state = app.verify_state().unwrap();
        assert!(state.ok(), "{:#?}", state.differences);
    }
}

#[test]
fn idempotent_create_returns_the_first_result() {
    let f = fixture();
    let input = demo::generate(1, 3).next().unwrap();
    let key = Idempotency { key: "k1".into(), request_hash: "h1".into() };
    let a = rt().block_on(f.app.register_deputy(&f.office, input.clone(), Some(key.clone()), None)).unwrap();
    let b = rt().block_on(f.app.register_deputy(&f.office, input.clone(), Some(key), None)).unwrap();
    assert_eq!(a, b);
    assert_eq!(total(&f), 1);
    let other = Idempotency { key: "k1".into(), request_hash: "h2".into() };
    assert!(matches!(
        rt().block_on(f.app.register_deputy(&f.office, input, Some(other), None)),
        Err(AppError::IdempotencyMismatch)
    ));
}

/// Issue 12 item 15: an idempotency key is the caller's own, for one operation: another account replaying
/// it (the officer with the office's key) got the office's response, another operation the first's.
#[test]
fn idempotency_keys_belong_to_an_account_and_an_operation() {
    let f = fixture();
    let officer = approved_user(
        &f.app,
        &crate::NewUser {
            login: "officer".into(),
            display_name: "联络员".into(),
            roles: vec!["officer".into()],
            ..Default::default()
        },
    );
    let mut inputs = demo::generate(2, 5);
    let (first, second) = (inputs.next().unwrap(), inputs.next().unwrap());
    let key = |h: &str| Idempotency { key: "same-key".into(), request_hash: h.into() };
    let a = rt().block_on(f.app.register_deputy(&f.office, first, Some(key("h1")), None)).unwrap();
    let b = rt().block_on(f.app.register_deputy(&officer, second, Some(key("h2")), None)).unwrap();
    assert_ne!(a.id, b.id, "the officer's request is its own");
    assert_eq!(total(&f), 2);
    // The same account's key on another operation is another key.
    let s = rt()
        .block_on(f.app.file_suggestion(
            &f.office,
            &SuggestionInput {
                title: "关于公开听证的建议".into(),
                content: "建议公开听证。".into(),
                source: "闭会期间".into(),
                received_on: None,
                deputies: vec![a.id.to_string()],
            },
            Some(key("h1")),
        ))
        .unwrap();
    assert_eq!(s.suggestion.proposers[0].deputy.0, a.id);
    // And the same account, operation and key still replays the first response.
    let again = rt()
        .block_on(f.app.register_deputy(
            &f.office,
            demo::generate(1, 5).next().unwrap(),
            Some(key("h1")),
            None,
        ))
        .unwrap();
    assert_eq!(again, a);
}

/// Issue 12 item 18: every name and label refuses invisible characters, naming its field; nothing written.
#[test]
fn names_and_labels_refuse_bidi_and_zero_width_characters() {
    let f = fixture();
    let e = rt()
        .block_on(f.app.change_organisation(
            &f.office,
            crate::OrgInput::AddDepartment { name: "第一\u{202E}检察部".into() },
            None,
            None,
        ))
        .unwrap_err();
    assert!(e.field_errors().iter().any(|x| x.field == "name" && x.code == "invisible_characters"), "{e:?}");
    let e = rt()
        .block_on(f.app.add_user(
            &f.admin,
            &crate::NewUser {
                login: "clerk".into(),
                display_name: "书记员\u{200B}".into(),
                roles: vec!["officer".into()],
                ..Default::default()
            },
        ))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "display_name", "{e:?}");
    let e = rt().block_on(f.app.create_token(&f.admin, "admin", "终端\u{2066}甲", None)).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "label", "{e:?}");
    let mut input = demo::generate(1, 9).next().unwrap();
    input.name = "Mаrk".into();
    let e = rt().block_on(f.app.register_deputy(&f.office, input, None, None)).unwrap_err();
    assert_eq!(e.field_errors()[0].code, "mixed_scripts", "{e:?}");
    assert_eq!(total(&f), 0);
    assert!(f.app.principal_for_login(&f.admin.tenant, "clerk").is_err());
}

/// Issue 12 item 20: a key file others may read is the store's own refusal with the `chmod 600` advice,
/// not "系统内部错误"; a malformed key says what is wrong with it.
#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_refused_with_the_advice() {
    use liaison_core::Localized;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = Config::for_db(&dir.path().join("t.db"));
    drop(App::open(&config).unwrap());
    let key = dir.path().join("liaison.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = App::open(&config).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("key.exposed", ErrorKind::Invalid), "{e:?}");
    assert!(
        e.zh().contains("chmod 600") && e.zh().contains("liaison.key") && e.zh().contains("644"),
        "{}",
        e.zh()
    );
    assert!(e.en().contains("chmod 600"), "{}", e.en());
    let e = App::open(&Config { key: KeySource::Hex("12ab".into()), ..config }).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("key.malformed", ErrorKind::Invalid), "{e:?}");
    assert!(e.zh().contains("64"), "{}", e.zh());
}

/// A database URL that is not one is the operator's configuration, said as it is with the option named —
/// not "the database cannot be reached, retry later" (issue 20: multi-host URLs and session attributes).
#[test]
fn a_malformed_database_url_is_refused_as_configuration_naming_the_option() {
    let key = KeySource::Hex("ab".repeat(32));
    let bad = "postgres://postgres@db1,db2/liaison?target_session_attrs=primary";
    let e = App::open(&Config { key: key.clone(), ..Config::for_url(bad) }).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("database_url.invalid", ErrorKind::Invalid), "{e:?}");
    assert!(e.zh().contains("数据库地址有误") && e.zh().contains("target_session_attrs"), "{}", e.zh());
    assert!(e.en().contains("target_session_attrs"), "{}", e.en());
    let replica = Config {
        key,
        read_replica_url: Some("postgres://postgres@db2/liaison?sslmode=nonsense".into()),
        ..Config::for_url("postgres://postgres@127.0.0.1:1/liaison")
    };
    let e = App::open(&replica).unwrap_err();
    assert_eq!(e.code(), "database_url.invalid", "{e:?}");
    assert!(e.en().contains("read replica") && e.en().contains("sslmode"), "{}", e.en());
}

#[test]
fn a_generated_register_imports_whole_and_lists_in_pinyin_order() {
    let f = fixture();
    let bytes = csv_of(demo::generate(300, 42));
    let seen = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let s2 = seen.clone();
    let progress: import::Progress =
        Arc::new(move |done, total| s2.store(done * 10_000 + total, std::sync::atomic::Ordering::Relaxed));
    let r = rt()
        .block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), Some(progress)))
        .unwrap();
    assert_eq!((r.rows, r.imported, r.errors.len()), (300, 300, 0));
    // Preparing is the first half of the way, writing the chunks the second: it ends at 600 of 600.
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 600 * 10_000 + 600);
    assert_eq!(total(&f), 300);
    let page = f.app.deputies(&f.office, &DeputyFilter::default(), None, 50).unwrap();
    let keys: Vec<String> = page.items.iter().map(|d| liaison_core::collation::sort_key(&d.name)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    let mut n = page.items.len();
    let mut cursor = page.next_cursor;
    while let Some(c) = cursor {
        let p = f.app.deputies(&f.office, &DeputyFilter::default(), Some(&c), 50).unwrap();
        n += p.items.len();
        cursor = p.next_cursor;
    }
    assert_eq!(n, 300);
    // The same file again: every row is a duplicate, refused; with `update`, matched on purpose.
    let again = rt().block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), None));
    match again {
        Err(AppError::ImportRefused(r)) => assert_eq!(r.errors.len(), 300),
        other => panic!("{other:?}"),
    }
    let upd = ImportOptions { on_duplicate: OnDuplicate::Update, ..Default::default() };
    let r = rt().block_on(f.app.import_deputies(&f.office, &bytes, &upd, None)).unwrap();
    assert_eq!((r.imported, r.updated, r.unchanged), (0, 0, 300));
    assert_eq!(total(&f), 300);
    assert!(f.app.verify_audit().unwrap().ok());
}

#[test]
fn bad_files_are_refused_whole_with_row_column_and_reason() {
    let f = fixture();
    let mut rows: Vec<DeputyInput> = demo::generate(6, 5).collect();
    rows[1].mobile = "1380013".into();
    rows[2].term_start = "2022-02-30".into();
    rows[4] = rows[3].clone();
    let mut bytes = csv_of(rows.into_iter());
    bytes.extend_from_slice("王五,男,汉族".as_bytes()); // a truncated last line
    let r = match rt().block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), None)) {
        Err(AppError::ImportRefused(r)) => r,
        other => panic!("{other:?}"),
    };
    let found: Vec<(u64, Option<&str>, &str)> =
        r.errors.iter().map(|e| (e.row, e.column.as_deref(), e.code.as_str())).collect();
    assert_eq!(
        found,
        [
            (3, Some("手机"), "invalid_mobile"),
            (4, Some("任期开始"), "invalid_date"),
            (6, Some("身份证号"), "import.duplicate_row"),
            (8, None, "import.bad_row"),
        ]
    );
    assert!(r.errors[2].message_zh.contains("第 5 行"));
    assert_eq!(total(&f), 0, "nothing written");

    // A quote left open swallows the rest of the file into one field: the row is named, nothing written.
    let unclosed = "姓名,性别,代表层级,届次,所属区域,任期开始\n张三,男,县,18,鼓楼区,2022-01-01\n李四,男,县,18,\"鼓楼区,2022-01-01\n王五,男,县,18,鼓楼区,2022-01-01\n";
    let r = match rt().block_on(f.app.import_deputies(
        &f.office,
        unclosed.as_bytes(),
        &ImportOptions::default(),
        None,
    )) {
        Err(AppError::ImportRefused(r)) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!((r.errors.len(), r.errors[0].row, r.errors[0].code.as_str()), (1, 3, "import.bad_row"));
    assert!(r.errors[0].message_zh.contains("引号"));
    assert_eq!(total(&f), 0);
    let empty =
        rt().block_on(f.app.import_deputies(&f.office, b"", &ImportOptions::default(), None)).unwrap_err();
    assert_eq!(empty.code(), "import.empty");

    let no_name = "性别,代表层级,届次,所属区域,任期开始\n男,县,18,鼓楼区,2022-01-01\n";
    let e = rt()
        .block_on(f.app.import_deputies(&f.office, no_name.as_bytes(), &ImportOptions::default(), None))
        .unwrap_err();
    assert_eq!(e.code(), "import.missing_columns");
    assert!(liaison_core::Localized::zh(&e).contains("姓名"));
    assert_eq!(total(&f), 0);
}

/// Issue 14 item 3: Excel on Chinese Windows saves CSV as GBK. An undeclared GBK file is detected, read as
/// GB18030 and said so; it imports exactly as the same register saved as UTF-8 with a byte-order mark.
#[test]
fn issue14_an_undeclared_gbk_file_imports_like_its_utf8_twin() {
    let (gbk_app, utf8_app) = (fixture(), fixture());
    let mut gbk = Vec::new();
    demo::write_csv(demo::generate(20, 9), &mut gbk, Encoding::Gbk).unwrap();
    let utf8 = csv_of(demo::generate(20, 9));
    assert!(utf8.starts_with(b"\xef\xbb\xbf") && !gbk.starts_with(b"\xef\xbb\xbf"));
    assert!(std::str::from_utf8(&gbk).is_err(), "a real GBK file");
    let g = rt()
        .block_on(gbk_app.app.import_deputies(&gbk_app.office, &gbk, &ImportOptions::default(), None))
        .unwrap();
    let u = rt()
        .block_on(utf8_app.app.import_deputies(&utf8_app.office, &utf8, &ImportOptions::default(), None))
        .unwrap();
    assert_eq!(
        (g.imported, g.encoding, u.imported, u.encoding),
        (20, Some(Encoding::Gbk), 20, Some(Encoding::Utf8))
    );
    assert_eq!(g.notes.len(), 1);
    assert_eq!((g.notes[0].row, g.notes[0].code.as_str()), (None, "import.read_as_gbk"));
    assert!(g.notes[0].message_zh.contains("按 GBK/GB18030 读取"));
    assert!(u.notes.is_empty());
    let (gd, _) = import::read_file(&gbk, &ImportOptions::default()).unwrap();
    let (ud, _) = import::read_file(&utf8, &ImportOptions::default()).unwrap();
    assert_eq!(gd, ud, "the same drafts, names and addresses included");
    let strip = |f: &Fixture| -> Vec<String> {
        let page = f.app.deputies(&f.office, &DeputyFilter::default(), None, 50).unwrap();
        page.items.iter().map(|d| format!("{} {} {:?}", d.name, d.region, d.contact)).collect()
    };
    assert_eq!(strip(&gbk_app), strip(&utf8_app));
    // A declared encoding is still obeyed: GBK declared as UTF-8 is refused, and the other way round.
    let as_utf8 = ImportOptions { encoding: Some(Encoding::Utf8), ..Default::default() };
    let e = rt().block_on(utf8_app.app.import_deputies(&utf8_app.office, &gbk, &as_utf8, None)).unwrap_err();
    assert_eq!(e.code(), "import.not_utf8");
    let as_gbk = ImportOptions { encoding: Some(Encoding::Gbk), ..Default::default() };
    let e = rt().block_on(utf8_app.app.import_deputies(&utf8_app.office, &utf8, &as_gbk, None)).unwrap_err();
    assert_eq!(e.code(), "import.not_gbk");
    // Neither UTF-8 nor GB18030 (a lone 0xFF): refused, saying how to save it.
    let e = rt()
        .block_on(utf8_app.app.import_deputies(
            &utf8_app.office,
            b"\xff\xfe,\n",
            &ImportOptions::default(),
            None,
        ))
        .unwrap_err();
    assert_eq!(e.code(), "import.unknown_encoding");
    assert_eq!(total(&utf8_app), 20);
}

#[test]
fn xlsx_imports_and_dry_run_writes_nothing() {
    let f = fixture();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in demo::HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, d) in demo::generate(12, 11).enumerate() {
        for (c, v) in demo::record(&d).iter().enumerate() {
            if c == 11 {
                ws.write_number(r as u32 + 1, c as u16, v.parse::<f64>().unwrap()).unwrap(); // a phone typed as a number
            } else {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(FileFormat::sniff(&bytes), FileFormat::Xlsx);
    let dry = ImportOptions { dry_run: true, ..Default::default() };
    let r = rt().block_on(f.app.import_deputies(&f.office, &bytes, &dry, None)).unwrap();
    assert_eq!((r.imported, r.dry_run), (12, true));
    assert_eq!(total(&f), 0);
    let r = rt().block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), None)).unwrap();
    assert_eq!(r.imported, 12);
    assert_eq!(total(&f), 12);
}

/// A minimal workbook: the parts a reader needs, the first sheet's `sheetData` and its declared dimension
/// as given (cells as inline strings or numbers). Used to build hostile sheets that no writer would make.
pub(crate) fn xlsx_of(dimension: Option<&str>, sheet_data: &str) -> Vec<u8> {
    use std::io::Write;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let dimension = dimension.map(|d| format!(r#"<dimension ref="{d}"/>"#)).unwrap_or_default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// One row of inline-string cells from column A.
fn xlsx_row(r: u32, cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .enumerate()
        .map(|(c, v)| {
            format!(r#"<c r="{}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#, (b'A' + c as u8) as char)
        })
        .collect();
    format!(r#"<row r="{r}">{cells}</row>"#)
}

/// Issue 12 item 3: a 1.6 KB sheet with cells A1 and XFD1048576 asked for a range of 2^34 cells (512 GiB)
/// and took the process down, dry run or not. The declared dimension and every cell reference are checked
/// against the caps before anything is built; refused, nothing written, the message names the cell.
#[test]
fn a_hostile_sheet_is_refused_before_anything_is_allocated() {
    let f = fixture();
    let header = ["姓名", "性别", "代表层级", "届次", "所属区域", "任期开始"];
    let good = xlsx_of(
        Some("A1:F2"),
        &[xlsx_row(1, &header), xlsx_row(2, &["张三", "男", "县", "18", "鼓楼区", "2022-01-01"])].concat(),
    );
    let r = rt().block_on(f.app.import_deputies(&f.office, &good, &ImportOptions::default(), None)).unwrap();
    assert_eq!(r.imported, 1, "the hand-made workbook reads");
    let far = r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    let dry = ImportOptions { dry_run: true, ..Default::default() };
    for (dimension, data, names) in [
        (Some("A1:XFD1048576"), format!("{}{far}", xlsx_row(1, &header)), "A1:XFD1048576"),
        (Some("A1:F2"), format!("{}{far}", xlsx_row(1, &header)), "XFD1048576"),
        (None, format!("{}{far}", xlsx_row(1, &header)), "XFD1048576"),
        (
            None,
            format!("{}<row r=\"2000000\"><c r=\"A2000000\"><v>1</v></c></row>", xlsx_row(1, &header)),
            "A2000000",
        ),
    ] {
        let bomb = xlsx_of(dimension, &data);
        assert!(bomb.len() < 2048, "{} bytes", bomb.len());
        for opts in [&dry, &ImportOptions::default()] {
            let e = rt().block_on(f.app.import_deputies(&f.office, &bomb, opts, None)).unwrap_err();
            assert_eq!(e.code(), "import.xlsx_too_large", "{e:?}");
            let AppError::BadFile { zh, .. } = &e else { unreachable!() };
            assert!(zh.contains(names) && zh.contains("列"), "{zh}");
        }
    }
    // A reference no reader can take (more digits than a row number has) is a bad file, never a crash.
    let odd = xlsx_of(
        None,
        &format!("{}<row r=\"2\"><c r=\"A99999999999\"><v>1</v></c></row>", xlsx_row(1, &header)),
    );
    let e = rt().block_on(f.app.import_deputies(&f.office, &odd, &dry, None)).unwrap_err();
    assert!(matches!(e.code(), "import.bad_xlsx" | "import.xlsx_too_large"), "{e:?}");
    assert_eq!(total(&f), 1, "nothing written");
}

#[test]
fn organisation_assignment_and_coverage() {
    let f = fixture();
    let bytes = csv_of(demo::generate(120, 4));
    rt().block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), None)).unwrap();
    let cov = f.app.coverage(&f.office).unwrap();
    assert_eq!((cov.deputies, cov.covered), (120, 0));
    let org = |i: OrgInput| rt().block_on(f.app.change_organisation(&f.office, i, None, None)).unwrap();
    for r in demo::REGIONS {
        org(OrgInput::AddRegion { name: (*r).into() });
    }
    org(OrgInput::AddLeader { name: "钱检察长".into(), title: Some("检察长".into()) });
    for r in demo::REGIONS {
        org(OrgInput::SetRegionLeader { region: (*r).into(), leader: Some("钱检察长".into()) });
    }
    org(OrgInput::AddDepartment { name: "第一检察部".into() });
    org(OrgInput::PairDelegation {
        department: "第一检察部".into(), delegation: "鼓楼区代表团".into()
    });
    org(OrgInput::AddDepartment { name: "第二检察部".into() });
    for (n, r) in [
        ("联络员甲", &demo::REGIONS[..6]),
        ("联络员乙", &demo::REGIONS[6..]),
        ("联络员丙", &demo::REGIONS[..6]),
    ] {
        org(OrgInput::AddOfficer {
            name: n.into(),
            department: None,
            regions: r.iter().map(|x| (*x).to_string()).collect(),
        });
    }
    let stale = rt().block_on(f.app.change_organisation(
        &f.office,
        OrgInput::AddRegion { name: "新区".into() },
        Some(1),
        None,
    ));
    assert!(matches!(stale, Err(AppError::Stale { .. })));
    let dry = rt().block_on(f.app.auto_assign(&f.office, true, None)).unwrap();
    assert_eq!(dry.officers_assigned, 120);
    assert_eq!(f.app.coverage(&f.office).unwrap().covered, 0, "dry run wrote nothing");
    let done = rt().block_on(f.app.auto_assign(&f.office, false, None)).unwrap();
    assert_eq!((done.officers_assigned, done.without_officer, done.officers_outside_region), (120, 0, 0));
    assert!(done.max_load - done.min_load <= 60, "{done:?}");
    let cov = f.app.coverage(&f.office).unwrap();
    assert_eq!(cov.covered, 120, "{:?}", cov.gaps.first());
    assert_eq!(cov.officer_loads.values().sum::<u64>(), 120);
    // An officer who leaves reopens gaps, listed by deputy.
    org(OrgInput::DeactivateOfficer { officer: "联络员乙".into() });
    let cov = f.app.coverage(&f.office).unwrap();
    assert!(cov.gaps.iter().all(|g| g.gaps == ["officer_inactive"]));
    assert_eq!(cov.covered + cov.gaps.len() as u64, 120);
    // Manual assignment refuses an inactive officer.
    let gap = DeputyId(cov.gaps[0].deputy);
    let e =
        rt().block_on(f.app.assign(&f.office, gap, Some("联络员乙".into()), None, None, None)).unwrap_err();
    assert_eq!(e.code(), "org.officer_inactive");
    rt().block_on(f.app.assign(&f.office, gap, Some("联络员甲".into()), None, None, None)).unwrap();
    assert_eq!(f.app.coverage(&f.office).unwrap().gaps.len(), cov.gaps.len() - 1);
    assert!(f.app.verify_audit().unwrap().ok());
}

/// Issue 13 item 6: an import gives back the log it grew (the WAL is checkpointed and truncated once its
/// transaction ends), so a national import does not leave hundreds of megabytes of `-wal` behind.
#[test]
fn an_import_leaves_no_write_ahead_log_behind() {
    let f = fixture();
    let bytes = csv_of(demo::generate(300, 7));
    let r = rt().block_on(f.app.import_deputies(&f.office, &bytes, &ImportOptions::default(), None)).unwrap();
    assert_eq!(r.imported, 300);
    let wal = std::fs::metadata(f.dir.path().join("t.db-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal, 0, "the WAL was truncated after the import");
    assert_eq!(total(&f), 300, "and the data is in the database");
}

/// Issue 14 item 1: an address exported from Excel keeps its cell's line break inside a quoted field,
/// with commas; the row imports whole, the break becomes a space and the report says so.
#[test]
fn issue14_a_quoted_field_with_line_breaks_imports_on_one_line() {
    let f = fixture();
    let csv = "姓名,性别,代表层级,届次,所属区域,任期开始,通讯地址\r\n\
               张三,男,县,18,鼓楼区,2022-01-01,\"福建省福州市鼓楼区\r\n东街 1 号,3 单元\n501 室\"\r\n\
               李四,女,县,18,鼓楼区,2022-01-01,福建省福州市台江区\r\n";
    let r = rt()
        .block_on(f.app.import_deputies(&f.office, csv.as_bytes(), &ImportOptions::default(), None))
        .unwrap();
    assert_eq!((r.rows, r.imported), (2, 2));
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert_eq!(
        (r.notes[0].row, r.notes[0].column.as_deref(), r.notes[0].code.as_str()),
        (Some(2), Some("通讯地址"), "import.line_break_replaced")
    );
    let page = f
        .app
        .deputies(&f.office, &DeputyFilter { q: Some("张三".into()), ..Default::default() }, None, 5)
        .unwrap();
    let full = rt()
        .block_on(f.app.deputy_full(&f.office, DeputyId(page.items[0].id), Some("核对联系方式".into())))
        .unwrap();
    assert_eq!(full.deputy.contact.address.as_deref(), Some("福建省福州市鼓楼区 东街 1 号,3 单元 501 室"));
}

fn refused(r: Result<import::ImportReport, AppError>) -> Box<import::ImportReport> {
    match r {
        Err(AppError::ImportRefused(r)) => r,
        other => panic!("{other:?}"),
    }
}

/// Issue 14 item 2: rows are numbered as a spreadsheet shows them — the header is row 1, the first record
/// row 2, a record spanning several lines is one row, a blank line is a row — in CRLF and LF files alike.
#[test]
fn issue14_rows_are_numbered_as_the_spreadsheet_shows_them() {
    let f = fixture();
    for eol in ["\r\n", "\n"] {
        let csv = [
            "姓名,性别,代表层级,届次,所属区域,任期开始,通讯地址,手机",
            "张三,男,县,18,鼓楼区,2022-01-01,\"福建省福州市\n鼓楼区\n东街 1 号\",13800138000",
            "李四,女,县,18,鼓楼区,2022-01-01,\"福建省\r\n福州市\",123",
            "",
            "王五,男,县,18,鼓楼区,2022-13-01,福州市,13800138001",
            "赵六,男,县,18,鼓楼区,2022-01-01",
            "",
        ]
        .join(eol);
        let r = refused(rt().block_on(f.app.import_deputies(
            &f.office,
            csv.as_bytes(),
            &ImportOptions::default(),
            None,
        )));
        let found: Vec<(u64, Option<&str>, &str)> =
            r.errors.iter().map(|e| (e.row, e.column.as_deref(), e.code.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, Some("手机"), "invalid_mobile"),
                (5, Some("任期开始"), "invalid_date"),
                (6, None, "import.bad_row")
            ],
            "{eol:?}"
        );
        assert_eq!(r.notes.iter().map(|n| n.row).collect::<Vec<_>>(), [Some(2), Some(3)]);
    }
    assert_eq!(total(&f), 0);
}

/// Issue 14 item 4: a name with a character outside the BMP (𠮷 jí) is found by its initials and sorts by
/// its reading, not after everyone.
#[test]
fn issue14_a_name_outside_the_bmp_is_found_by_initials_and_sorted() {
    let f = fixture();
    let csv = "姓名,性别,代表层级,届次,所属区域,任期开始\n𠮷田,男,县,18,鼓楼区,2022-01-01\n张伟,男,县,18,鼓楼区,2022-01-01\n安然,女,县,18,鼓楼区,2022-01-01\n";
    rt().block_on(f.app.import_deputies(&f.office, csv.as_bytes(), &ImportOptions::default(), None)).unwrap();
    let found = f
        .app
        .deputies(&f.office, &DeputyFilter { q: Some("jt".into()), ..Default::default() }, None, 5)
        .unwrap();
    assert_eq!(found.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["𠮷田"]);
    let all = f.app.deputies(&f.office, &DeputyFilter::default(), None, 5).unwrap();
    assert_eq!(all.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["安然", "𠮷田", "张伟"]);
}

/// Issue 14 item 7: the error texts a new user reads. A duplicate names the column as the file heads it; a
/// term that ends before it starts says so; a mobile typed in full-width digits is the same number (with a
/// note); no Rust names; and the problems are counted in the rows they are in.
#[test]
fn issue14_error_texts_name_columns_rules_and_counts() {
    let f = fixture();
    let wide = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
            .collect()
    };
    let mut rows: Vec<DeputyInput> = demo::generate(4, 7).collect();
    rows[0].mobile = wide("13800138000");
    rows[1].term_start = "2022-01-01".into();
    rows[1].term_end = "2021-12-31".into();
    rows[2] = DeputyInput { name: "另一人".into(), ..rows[0].clone() };
    rows[3].mobile = "123".into();
    rows[3].email = "not-an-email".into();
    let bytes = String::from_utf8(csv_of(rows.into_iter())).unwrap().replacen("身份证号", "公民身份号码", 1);
    let r = refused(rt().block_on(f.app.import_deputies(
        &f.office,
        bytes.as_bytes(),
        &ImportOptions::default(),
        None,
    )));
    let found: Vec<(u64, Option<&str>, &str)> =
        r.errors.iter().map(|e| (e.row, e.column.as_deref(), e.code.as_str())).collect();
    assert_eq!(
        found,
        [
            (3, Some("任期结束"), "not_after"),
            (4, Some("公民身份号码"), "import.duplicate_row"),
            (5, Some("手机"), "invalid_mobile"),
            (5, Some("电子邮箱"), "invalid_email"),
        ]
    );
    assert_eq!(r.errors[0].message_zh, "必须晚于任期开始");
    assert_eq!(r.errors[0].message_en, "must be later than the term start");
    assert_eq!(r.errors[1].message_zh, "与第 2 行是同一人：「公民身份号码」相同");
    assert_eq!(r.errors[1].message_en, "the same person as row 2 (same ID number)");
    assert_eq!(
        r.notes.iter().map(|n| (n.row, n.code.as_str())).collect::<Vec<_>>(),
        [(Some(2), "import.full_width_digits"), (Some(4), "import.full_width_digits")]
    );
    assert_eq!((r.rows, r.rows_with_errors(), r.errors.len()), (4, 3, 4));
    let e = AppError::ImportRefused(r);
    assert_eq!(liaison_core::Localized::zh(&e), "导入被拒绝：3 行有 4 处错误，未写入任何数据");
    assert_eq!(e.to_string(), "import refused: 4 problem(s) in 3 row(s), nothing was written");

    // The full-width number itself imports as the number; a duplicate of the register names its column too.
    let one = csv_of(demo::generate(1, 8).map(|d| DeputyInput { mobile: wide("13900139000"), ..d }));
    let r = rt().block_on(f.app.import_deputies(&f.office, &one, &ImportOptions::default(), None)).unwrap();
    assert_eq!((r.imported, r.notes[0].column.as_deref()), (1, Some("手机")));
    let page = f.app.deputies(&f.office, &DeputyFilter::default(), None, 5).unwrap();
    assert_eq!(page.items[0].contact.mobile.as_deref(), Some("139****9000"));
    let again =
        refused(rt().block_on(f.app.import_deputies(&f.office, &one, &ImportOptions::default(), None)));
    assert_eq!(
        (again.errors[0].column.as_deref(), again.errors[0].code.as_str()),
        (Some("身份证号"), "deputy.duplicate")
    );
    assert!(again.errors[0].message_zh.contains("「身份证号」相同"), "{}", again.errors[0].message_zh);
    assert!(!again.errors[0].message_en.contains("SameIdNumber"));
}

/// Issue 14, item 10: a restore whose key is missing (the key is looked for beside the new database)
/// fails and leaves nothing behind, so the retry with the right key file succeeds.
#[test]
fn a_restore_without_its_key_leaves_nothing_and_the_retry_with_the_key_succeeds() {
    let f = fixture();
    let src = f.dir.path();
    f.app.backup(&src.join("b.db")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let dest = elsewhere.path().join("new.db");
    assert!(
        App::restore(&Config::for_db(&dest), &src.join("b.db")).is_err(),
        "no key beside the new database"
    );
    assert!(!dest.exists(), "nothing left behind");
    let config = Config { key: crate::KeySource::File(src.join("liaison.key")), ..Config::for_db(&dest) };
    let (_, report) = App::restore(&config, &src.join("b.db")).unwrap();
    assert!(report.ok() && report.records > 0);
}

/// A backup or a restore into a folder that does not exist is refused naming the folder (an input error,
/// exit 1 with its message), not reported as an internal failure; nothing is created.
#[test]
fn a_backup_or_restore_into_a_missing_folder_names_the_folder() {
    let f = fixture();
    let src = f.dir.path();
    let missing = src.join("no-such-folder");
    let e = f.app.backup(&missing.join("b.db")).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("file.no_folder", crate::ErrorKind::Invalid));
    let zh = liaison_core::Localized::zh(&e);
    assert!(zh.contains("no-such-folder") && zh.contains("不存在"), "{zh}");
    f.app.backup(&src.join("b.db")).unwrap();
    let config = Config {
        key: crate::KeySource::File(src.join("liaison.key")),
        ..Config::for_db(&missing.join("new.db"))
    };
    let e = App::restore(&config, &src.join("b.db")).err().unwrap();
    assert_eq!(e.code(), "file.no_folder");
    assert!(!missing.exists(), "no folder created");
}

/// An app on a fresh file whose clock the test moves (seconds since the epoch).
fn moving_clock() -> (App, Arc<std::sync::atomic::AtomicI64>, tempfile::TempDir) {
    use std::sync::atomic::{AtomicI64, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let now =
        Arc::new(AtomicI64::new(chrono::Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap().timestamp()));
    let n = now.clone();
    let app = App::open(&Config::for_db(&dir.path().join("t.db")))
        .unwrap()
        .with_clock(Arc::new(move || chrono::Utc.timestamp_opt(n.load(Ordering::SeqCst), 0).unwrap()));
    (app, now, dir)
}

fn days(clock: &std::sync::atomic::AtomicI64, n: i64) {
    clock.fetch_add(n * 86_400, std::sync::atomic::Ordering::SeqCst);
}

fn account(roles: &[&str]) -> NewUser {
    NewUser {
        login: "wang".into(),
        display_name: "王五".into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        ..Default::default()
    }
}

fn last_record(app: &App, id: &str) -> liaison_store::AuditRecord {
    liaison_store::read(app.store(), |q| q.history(&default_tenant(), id)).unwrap().pop().unwrap()
}

fn audit_count(app: &App) -> u64 {
    app.verify_audit().unwrap().records
}

#[test]
fn issue_12_item_1_the_administrator_neither_reaches_personal_data_nor_acts_as_a_person() {
    let f = fixture();
    let sec = security_admin(&f.app);
    rt().block_on(f.app.register_deputy(&f.office, demo::generate(1, 1).next().unwrap(), None, None))
        .unwrap();
    // No token for a person's account: the issue's admin minted one for `office` and read full cards.
    let e = rt().block_on(f.app.create_token(&f.admin, "office", "借用", None)).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Forbidden, "token.persons_token"));
    assert!(e.zh().contains("本人"), "{}", e.zh());
    // The administrator reads no register, masked or not.
    assert!(matches!(
        f.app.deputies(&f.admin, &DeputyFilter::default(), None, 10),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(f.app.coverage(&f.admin), Err(AppError::Forbidden { .. })));
    // No account holds two administrator roles, or one with a business role: refused naming the field,
    // nothing written.
    let before = audit_count(&f.app);
    for roles in
        [&["admin", "office", "auditor", "leader"][..], &["admin", "office"], &["security_admin", "auditor"]]
    {
        let e = rt().block_on(f.app.add_user(&f.admin, &account(roles))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert_eq!(e.field_errors()[0].field, "roles", "{e:?}");
        assert!(e.zh().starts_with("输入有误：角色：") && e.zh().contains("三员分立"), "{}", e.zh());
    }
    let e = rt().block_on(f.app.add_user(&f.admin, &account(&["boss"]))).unwrap_err();
    assert!(e.zh().contains("角色"), "{}", e.zh());
    assert!(f.app.principal_for_login(&f.admin.tenant, "wang").is_err());
    assert_eq!(audit_count(&f.app), before, "nothing written");
    // A business role waits for a second person, the security administrator.
    let v = rt().block_on(f.app.add_user(&f.admin, &account(&["leader"]))).unwrap();
    assert_eq!((v.roles.len(), v.pending_roles.as_deref()), (0, Some(&["leader".to_owned()][..])));
    let wang = f.app.principal_for_login(&f.admin.tenant, "wang").unwrap();
    assert!(matches!(f.app.coverage(&wang), Err(AppError::Forbidden { .. })), "nothing before approval");
    let e =
        rt().block_on(f.app.account_step(&f.admin, "wang", None, AccountStep::Approve, None)).unwrap_err();
    assert!(matches!(e, AppError::Forbidden { action: "grant_roles" }), "{e:?}");
    rt().block_on(f.app.account_step(&sec, "wang", None, AccountStep::Approve, None)).unwrap();
    let wang = f.app.principal_for_login(&f.admin.tenant, "wang").unwrap();
    assert_eq!(wang.roles, [liaison_core::access::Role::Leader]);
    f.app.coverage(&wang).unwrap();
    // One deputy, one account; a deputy's account too waits for approval.
    let d = f.app.deputies(&f.office, &DeputyFilter::default(), None, 10).unwrap().items[0].id.to_string();
    let dep = |login: &str| NewUser {
        login: login.into(),
        display_name: "代表".into(),
        roles: vec!["deputy".into()],
        deputy: Some(d.clone()),
        ..Default::default()
    };
    let v = rt().block_on(f.app.add_user(&f.admin, &dep("dep1"))).unwrap();
    assert!(v.roles.is_empty() && v.pending_roles.is_some());
    let e = rt().block_on(f.app.add_user(&f.admin, &dep("dep2"))).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Conflict, "account.deputy_has_account"));
    assert!(e.zh().contains("dep1"), "{}", e.zh());
    // An integration account gets its token from the system administrator, once its role is approved.
    let cases = NewUser {
        login: "cases".into(),
        display_name: "案件管理系统".into(),
        roles: vec!["leader".into()],
        service: true,
        ..Default::default()
    };
    rt().block_on(f.app.add_user(&f.admin, &cases)).unwrap();
    rt().block_on(f.app.account_step(&sec, "cases", None, AccountStep::Approve, None)).unwrap();
    let t = rt().block_on(f.app.create_token(&f.admin, "cases", "案件系统接口", None)).unwrap();
    assert_eq!(f.app.authenticate(&t.token).unwrap().login, "cases");
    // Every record names the account and the credential: the admin's token here.
    let h = last_record(&f.app, &t.id);
    assert_eq!(h.actor_id, f.admin.user.to_string());
    assert_eq!(h.actor_via.as_deref(), Some(f.admin.via.as_str()));
    assert!(f.admin.via.starts_with("token:"), "{}", f.admin.via);
    let approved = last_record(&f.app, &wang.user.to_string());
    assert_eq!(
        (approved.kind.as_str(), approved.actor_via.as_deref()),
        ("user.roles_granted", Some("console"))
    );
    assert!(f.app.verify_audit().unwrap().ok());
}

#[test]
fn issue_12_item_14_accounts_are_disabled_changed_and_tokens_expire_all_on_the_record() {
    let (app, clock, _dir) = moving_clock();
    let boot = rt().block_on(app.bootstrap("测试院")).unwrap().unwrap();
    let admin = app.authenticate(&boot.admin_token.token).unwrap();
    let sec = security_admin(&app);
    let office = approved_user(&app, &account(&["office"]));
    let t1 = rt().block_on(app.create_token(&office, "wang", "终端一", None)).unwrap();
    let t2 = rt().block_on(app.create_token(&office, "wang", "终端二", Some(7))).unwrap();
    assert_eq!(t2.expires_at - app.now(), chrono::Duration::days(7));
    // Role change: asked by the system administrator, in effect only when the security administrator approves.
    let change = RoleChange { roles: vec!["officer".into()], ..Default::default() };
    let e = rt().block_on(app.request_roles(&sec, "wang", None, &change)).unwrap_err();
    assert!(matches!(e, AppError::Forbidden { .. }), "the approver does not ask");
    let v = rt().block_on(app.request_roles(&admin, "wang", None, &change)).unwrap();
    assert_eq!(
        (v.roles.as_slice(), v.pending_roles.as_deref()),
        (&["office".to_owned()][..], Some(&["officer".to_owned()][..]))
    );
    assert_eq!(app.authenticate(&t1.token).unwrap().roles, [liaison_core::access::Role::Office]);
    rt().block_on(app.account_step(&sec, "wang", None, AccountStep::Approve, Some("岗位调整".into())))
        .unwrap();
    assert_eq!(app.authenticate(&t1.token).unwrap().roles, [liaison_core::access::Role::Officer]);
    // Disable: every token stops at once, and the console refuses the account.
    let before = audit_count(&app);
    let e = rt().block_on(app.account_step(&sec, "sec", None, AccountStep::Disable, None)).unwrap_err();
    assert_eq!(e.code(), "account.own_account");
    // Nobody disables the last system or security administrator: no one could add accounts or approve.
    let e = rt().block_on(app.account_step(&admin, "sec", None, AccountStep::Disable, None)).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("account.last_administrator", ErrorKind::Conflict));
    assert!(e.zh().contains("安全管理员"), "{}", e.zh());
    let e = rt().block_on(app.account_step(&sec, "admin", None, AccountStep::Disable, None)).unwrap_err();
    assert_eq!(e.code(), "account.last_administrator");
    rt().block_on(app.account_step(&admin, "wang", None, AccountStep::Disable, Some("离职".into()))).unwrap();
    for t in [&t1, &t2] {
        assert!(matches!(app.authenticate(&t.token), Err(AppError::Unauthenticated)));
    }
    let e = app.console_principal(&admin.tenant, "wang", Some("alice")).unwrap_err();
    assert_eq!(e.code(), "account.disabled");
    assert_eq!(audit_count(&app), before + 3, "user.disabled and two token.revoked");
    let revoked = last_record(&app, &t2.id);
    assert_eq!((revoked.kind.as_str(), revoked.reason.as_deref()), ("token.revoked", Some("离职")));
    assert!(revoked.actor_via.as_deref().is_some_and(|v| v.starts_with("token:")));
    // Unlocking is the security administrator's; the old tokens stay revoked.
    let e = rt().block_on(app.account_step(&admin, "wang", None, AccountStep::Enable, None)).unwrap_err();
    assert!(matches!(e, AppError::Forbidden { .. }));
    rt().block_on(app.account_step(&sec, "wang", None, AccountStep::Enable, None)).unwrap();
    assert!(app.authenticate(&t1.token).is_err());
    let wang = app.console_principal(&admin.tenant, "wang", Some("alice")).unwrap();
    assert_eq!(wang.via, "console:alice");
    // Expiry: a token lives its days, and lapses when idle beyond the policy's limit.
    let fresh = rt().block_on(app.create_token(&wang, "wang", "新终端", None)).unwrap();
    let week = rt().block_on(app.create_token(&wang, "wang", "一周", Some(7))).unwrap();
    let e = rt().block_on(app.create_token(&wang, "wang", "太久", Some(91))).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "days");
    days(&clock, 8);
    assert!(app.authenticate(&week.token).is_err(), "expired after 7 days");
    // The last use is written off the request's path: give the writer a moment.
    let settle = || std::thread::sleep(std::time::Duration::from_millis(200));
    app.authenticate(&fresh.token).unwrap();
    settle();
    days(&clock, 29);
    app.authenticate(&fresh.token).unwrap();
    settle();
    days(&clock, 31);
    assert!(app.authenticate(&fresh.token).is_err(), "idle for 31 days");
    // The policy is the security administrator's; a policy that does not hold is refused naming the field.
    assert!(matches!(
        rt().block_on(app.set_token_policy(&admin, None, 30, 7, None)),
        Err(AppError::Forbidden { .. })
    ));
    let e = rt().block_on(app.set_token_policy(&sec, None, 30, 31, None)).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "idle_days");
    assert!(e.zh().contains("闲置期限"), "{}", e.zh());
    rt().block_on(app.set_token_policy(&sec, None, 30, 7, Some("等保测评要求".into()))).unwrap();
    let e = rt().block_on(app.create_token(&wang, "wang", "一月", Some(31))).unwrap_err();
    assert!(e.zh().contains("1 至 30 天"), "{}", e.zh());
    assert!(app.verify_audit().unwrap().ok());
}

#[test]
fn a_persons_first_token_comes_from_an_activation_code_only_they_redeem() {
    let f = fixture();
    let d = rt()
        .block_on(f.app.register_deputy(&f.office, demo::generate(1, 3).next().unwrap(), None, None))
        .unwrap();
    let dep = NewUser {
        login: "dep1".into(),
        display_name: "代表".into(),
        roles: vec!["deputy".into()],
        deputy: Some(d.id.to_string()),
        ..Default::default()
    };
    approved_user(&f.app, &dep);
    // The console never acts as a deputy (issue 12, item 6).
    let e = f.app.console_principal(&f.admin.tenant, "dep1", Some("alice")).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Forbidden, "account.deputy_at_console"));
    assert!(e.zh().contains("--as"), "{}", e.zh());
    assert!(matches!(
        rt().block_on(f.app.issue_activation(&f.office, "dep1")),
        Err(AppError::Forbidden { .. })
    ));
    let first = rt().block_on(f.app.issue_activation(&f.admin, "dep1")).unwrap();
    let code = rt().block_on(f.app.issue_activation(&f.admin, "dep1")).unwrap();
    assert_eq!(
        rt().block_on(f.app.activate(&default_tenant(), &first.code, "手机", None)).unwrap_err().code(),
        "account.activation_invalid",
        "a newer code replaces the older"
    );
    let t = rt().block_on(f.app.activate(&default_tenant(), &code.code, "手机", None)).unwrap();
    let me = f.app.authenticate(&t.token).unwrap();
    assert_eq!((me.login.as_str(), me.deputy.map(|x| x.0)), ("dep1", Some(d.id)));
    let created = last_record(&f.app, &t.id);
    assert_eq!(created.actor_id, me.user.to_string(), "the deputy made it, not the administrator");
    assert!(created.actor_via.as_deref().is_some_and(|v| v.starts_with("activation:")));
    let again = rt().block_on(f.app.activate(&default_tenant(), &code.code, "手机", None)).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Unauthenticated);
}

#[test]
fn accounts_from_before_the_separation_are_cut_down_on_start() {
    let f = fixture();
    let d = rt()
        .block_on(f.app.register_deputy(&f.office, demo::generate(1, 5).next().unwrap(), None, None))
        .unwrap();
    // What an older version allowed: admin with business roles, an auditor who was also a leader, two
    // accounts for one deputy, a token without expiry.
    let tenant = f.admin.tenant.clone();
    let (admin_id, at) = (f.admin.user, f.app.now());
    rt().block_on(f.app.write(move |tx: &mut dyn liaison_store::WriteTx| {
        let mut admin = tx.user_by_login(&tenant, "admin")?.unwrap();
        let expected = admin.version;
        admin.roles = vec![Role::Admin, Role::Office, Role::Auditor, Role::Leader];
        admin.version += 1;
        tx.update_user(&admin, expected)?;
        let old = |login: &str, roles: Vec<Role>, deputy| liaison_store::UserRecord {
            tenant: tenant.clone(),
            id: liaison_core::ids::UserId(crate::new_id()),
            login: login.into(),
            display_name: login.into(),
            roles,
            active: true,
            created_at: at,
            deputy,
            department: None,
            kind: liaison_core::account::AccountKind::Person,
            pending: None,
            grant: Default::default(),
            version: 1,
        };
        tx.insert_user(&old("audit", vec![Role::Auditor, Role::Leader], None))?;
        for login in ["dep1", "dep2"] {
            tx.insert_user(&old(login, vec![Role::Deputy], Some(DeputyId(d.id))))?;
        }
        let tok = liaison_store::TokenRecord {
            id: "0ld0ld".into(),
            tenant: tenant.clone(),
            user: admin_id,
            label: "旧令牌".into(),
            created_at: at,
            revoked_at: None,
            expires_at: None,
            last_used_at: None,
        };
        tx.insert_token(&tok, "old-hash")?;
        Ok::<_, AppError>(())
    }))
    .unwrap();
    // Until the upgrade runs, the account acts with its administrator role only.
    let admin = f.app.principal_for_login(&f.admin.tenant, "admin").unwrap();
    assert_eq!(admin.roles, [Role::Admin]);
    let up = rt()
        .block_on(f.app.bootstrap("x"))
        .map(|_| ())
        .and_then(|()| rt().block_on(f.app.upgrade_accounts()));
    assert_eq!(up.unwrap(), AccountUpgrade::default(), "the start did it; a second run finds nothing");
    let users = f.app.users(&admin).unwrap();
    let roles =
        |login: &str| users.iter().find(|u| u.login == login).map(|u| (u.roles.clone(), u.active)).unwrap();
    assert_eq!(roles("admin"), (vec!["admin".to_owned()], true));
    assert_eq!(roles("audit"), (vec!["auditor".to_owned()], true));
    assert_eq!((roles("dep1").1, roles("dep2").1), (true, false), "the older deputy account stays");
    let tok = f.app.tokens(&admin).unwrap().into_iter().find(|t| t.id == "0ld0ld").unwrap();
    assert_eq!(tok.expires_at, Some(f.app.now() + chrono::Duration::days(90)));
    let cut = last_record(&f.app, &admin.user.to_string());
    assert_eq!((cut.kind.as_str(), cut.actor_via.as_deref()), ("user.roles_normalised", Some("system")));
    assert!(f.app.verify_audit().unwrap().ok());
}

/// A field cleared by an update is cleared in the audit trail too: the state check replays the event to
/// the state that is stored (the golden tests found `Some(None)` written as `null`, read back as "no
/// change").
#[test]
fn a_cleared_field_replays_as_cleared() {
    let f = fixture();
    let mut input = demo::generate(1, 11).next().unwrap();
    input.position = "科长".into();
    input.work_unit = "某某公司".into();
    let d = rt().block_on(f.app.register_deputy(&f.office, input, None, None)).unwrap();
    let id = DeputyId(d.id);
    let clear = DeputyPatchInput { position: Some(String::new()), ..Default::default() };
    let after = rt().block_on(f.app.update_deputy(&f.office, id, Some(d.version), &clear, None)).unwrap();
    assert_eq!(after.position, None);
    let r = f.app.verify_state().unwrap();
    assert!(r.ok(), "{:#?}", r.differences);
}
