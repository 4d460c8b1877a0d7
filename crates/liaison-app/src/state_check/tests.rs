//! The state check on a real SQLite file: a clean database verifies; each edit made behind the events'
//! back (as the fault campaign made: a deputy's `work_unit` in the deputies table) is named — kind, id,
//! field, stored and replayed values — and the check goes on to name every other one.

use liaison_core::registry::DeputyInput;

use crate::registry::DeputyPatchInput;
use crate::tests::{Fixture, fixture, rt};
use crate::*;

fn register(f: &Fixture, n: usize) -> Vec<String> {
    demo::generate(n as u64, 11)
        .map(|input: DeputyInput| {
            rt().block_on(f.app.register_deputy(&f.office, input, None, None)).unwrap().id.to_string()
        })
        .collect()
}

fn sql(f: &Fixture, statement: &str) {
    f.state_edited.set(true);
    let c = liaison_store::sqlite::SqliteStore::raw_connection(&f.dir.path().join("t.db")).unwrap();
    let before = c.total_changes();
    c.execute_batch(statement).unwrap();
    assert!(c.total_changes() > before || statement.starts_with("DROP"), "{statement} changed nothing");
}

fn named<'a>(r: &'a StateReport, id: &str, field: &str) -> &'a StateDifference {
    r.differences
        .iter()
        .find(|d| d.id == id && d.field == field)
        .unwrap_or_else(|| panic!("{field} of {id} not named in {:#?}", r.differences))
}

#[test]
fn a_clean_database_verifies_and_only_the_auditor_may_ask() {
    let f = fixture();
    let ids = register(&f, 5);
    let patch = DeputyPatchInput { work_unit: Some("市第二中学".into()), ..Default::default() };
    let id = liaison_core::ids::DeputyId::parse(&ids[0]).unwrap();
    rt().block_on(f.app.update_deputy(&f.office, id, None, &patch, None)).unwrap();
    let r = f.app.verify_state().unwrap();
    assert!(r.ok(), "{:#?}", r.differences);
    assert_eq!(r.aggregates, 5, "five deputies (no organisation set up yet)");
    assert_eq!(r.events, 6, "five registrations and one change");
    assert!(matches!(f.app.verify_state_as(&f.office), Err(AppError::Forbidden { .. })));
    rt().block_on(f.app.add_user(
        &f.admin,
        &NewUser {
            login: "audit".into(),
            display_name: "审计".into(),
            roles: vec!["auditor".into()],
            ..Default::default()
        },
    ))
    .unwrap();
    let auditor = f.app.principal_for_login(&f.admin.tenant, "audit").unwrap();
    assert!(f.app.verify_state_as(&auditor).unwrap().ok());
}

/// The fault campaign's finding: an edited `work_unit` was served silently while its history said otherwise.
#[test]
fn issue13_an_edited_work_unit_is_named_with_both_values() {
    let f = fixture();
    let ids = register(&f, 3);
    let before = f.app.deputy(&f.office, liaison_core::ids::DeputyId::parse(&ids[1]).unwrap()).unwrap();
    sql(
        &f,
        &format!(
            "UPDATE deputies SET data = json_set(data, '$.data.work_unit', '某某贸易公司') WHERE id = '{}'",
            ids[1]
        ),
    );
    let r = f.app.verify_state().unwrap();
    assert!(!r.ok());
    let d = named(&r, &ids[1], "state.data.work_unit");
    assert_eq!((d.kind.as_str(), d.stored.as_str()), ("deputy", "某某贸易公司"));
    assert_eq!(Some(d.replayed.clone()), before.work_unit);
    // The duplicate keys were computed from the true work unit: they are not what the edited row implies,
    // but they are what the replayed deputy has, so only the one field is named.
    assert_eq!(r.differences.len(), 1, "{:#?}", r.differences);
}

#[test]
fn every_edit_is_named_and_the_check_goes_on_to_the_end() {
    let f = fixture();
    let ids = register(&f, 6);
    let s = rt()
        .block_on(f.app.file_suggestion(
            &f.office,
            &SuggestionInput {
                title: "关于加强公益诉讼的建议".into(),
                content: "建议加强公益诉讼线索收集。".into(),
                source: "闭会期间".into(),
                received_on: None,
                deputies: vec![ids[0].clone()],
            },
            None,
        ))
        .unwrap();
    let sid = s.suggestion.id.to_string();
    // Sort and search keys, a status, a personal field's masked copy, sealed data moved from another
    // deputy, a duplicate key removed, a row with no history, a row removed, and a workflow record's
    // status and parties.
    sql(&f, &format!("UPDATE deputies SET name_key = 'zzz', pinyin = 'zzz' WHERE id = '{}'", ids[0]));
    sql(&f, &format!("UPDATE deputies SET status = 'removed' WHERE id = '{}'", ids[1]));
    sql(
        &f,
        &format!(
            "UPDATE deputies SET masked = json_set(masked, '$.mobile', '139****9999') WHERE id = '{}'",
            ids[2]
        ),
    );
    sql(
        &f,
        &format!(
            "UPDATE deputies SET sealed = (SELECT sealed FROM deputies WHERE id = '{}') WHERE id = '{}'",
            ids[4], ids[3]
        ),
    );
    sql(&f, &format!("DELETE FROM deputy_keys WHERE deputy_id = '{}' AND key LIKE 'nb:%'", ids[4]));
    sql(&f, &format!("DELETE FROM deputies WHERE id = '{}'", ids[5]));
    sql(
        &f,
        "INSERT INTO deputies SELECT tenant_id, '00000000-0000-7000-8000-000000000001', version, name, name_key,
         pinyin, initials, level, status, region, delegation, officer_id, department_id, data, masked, sealed,
         updated_at, batch FROM deputies LIMIT 1",
    );
    sql(&f, &format!("UPDATE records SET status = 'closed' WHERE id = '{sid}'"));
    sql(&f, &format!("DELETE FROM record_parties WHERE record_id = '{sid}'"));
    sql(
        &f,
        &format!("UPDATE record_lines SET line = json_set(line, '$.a.t', '改过的标题') WHERE id = '{sid}'"),
    );
    let r = f.app.verify_state().unwrap();
    named(&r, &ids[0], "name_key");
    named(&r, &ids[0], "pinyin");
    let d = named(&r, &ids[1], "status");
    assert_eq!((d.stored.as_str(), d.replayed.as_str()), ("removed", "in_office"));
    let d = named(&r, &ids[2], "masked.mobile");
    assert_eq!(d.stored, "139****9999");
    let d = named(&r, &ids[3], "sealed");
    assert!(d.stored.starts_with("does not open"), "{d:?}");
    assert!(!r.differences.iter().any(|d| d.stored.contains("1380")), "no personal value is ever shown");
    let d = named(&r, &ids[4], "keys");
    assert!(d.stored == "—" && d.replayed.starts_with("nb:"), "{d:?}");
    named(&r, &ids[5], "row");
    named(&r, "00000000-0000-7000-8000-000000000001", "events");
    let d = named(&r, &sid, "status");
    assert_eq!(
        (d.stored.as_str(), d.replayed.as_str(), d.number.as_deref()),
        ("closed", "registered", Some("2026-0001"))
    );
    let d = named(&r, &sid, "parties");
    assert_eq!(d.replayed, format!("deputy {}", ids[0]));
    let d = named(&r, &sid, "line");
    assert!(d.stored.contains("改过的标题") && !d.replayed.contains("改过的标题"), "{d:?}");
    assert_eq!(r.aggregates, 8, "six deputies, the row with no history, the suggestion");
}

#[test]
fn an_audit_record_that_is_not_its_aggregates_event_is_named() {
    let f = fixture();
    let ids = register(&f, 2);
    // The chain forbids edits (a trigger); a record appended by something other than the service is named
    // by `audit verify` for its hash, and by the state check as an event it cannot read.
    sql(&f, "DROP TRIGGER audit_log_no_update");
    sql(
        &f,
        &format!(
            "UPDATE audit_log SET payload = '{{\"event\":{{\"type\":\"nonsense\"}}}}' WHERE aggregate_id = '{}'",
            ids[0]
        ),
    );
    let r = f.app.verify_state().unwrap();
    let d = r.differences.iter().find(|d| d.id == ids[0]).unwrap();
    assert!(d.field.starts_with("event ") && d.field.contains("deputy.registered"), "{d:?}");
    assert!(d.stored.contains("not a deputy event"), "{d:?}");
    assert!(f.app.verify_audit().unwrap().breaks.iter().any(|b| b.kind == "deputy.registered"));
}

/// The same check on PostgreSQL (cursors in one repeatable-read transaction, byte-ordered like SQLite): a
/// clean database verifies, and an edited work unit, status and record are named.
#[test]
fn on_postgresql_a_clean_database_verifies_and_edits_are_named() {
    let Some(db) = liaison_store::testing::TestDatabase::create("the state check").unwrap() else { return };
    let key = "ab".repeat(32);
    let config = Config { key: KeySource::Hex(key.clone()), ..Config::for_url(&db.url) };
    let app = App::open(&config).unwrap().with_clock(std::sync::Arc::new(|| {
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 10, 2, 0, 0).unwrap()
    }));
    let boot = rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
    let _admin = app.authenticate(&boot.admin_token.token).unwrap();
    let office = crate::tests::approved_user(
        &app,
        &NewUser {
            login: "office".into(),
            display_name: "联络室".into(),
            roles: vec!["office".into()],
            ..Default::default()
        },
    );
    rt().block_on(app.change_organisation(
        &office,
        OrgInput::AddDepartment { name: "第一检察部".into() },
        None,
        None,
    ))
    .unwrap();
    let ids: Vec<String> = demo::generate(4, 5)
        .map(|i| rt().block_on(app.register_deputy(&office, i, None, None)).unwrap().id.to_string())
        .collect();
    let s = rt()
        .block_on(app.file_suggestion(
            &office,
            &SuggestionInput {
                title: "关于加强公益诉讼的建议".into(),
                content: "建议加强公益诉讼线索收集。".into(),
                source: "闭会期间".into(),
                received_on: None,
                deputies: vec![ids[0].clone(), ids[1].clone()],
            },
            None,
        ))
        .unwrap();
    let r = app.verify_state().unwrap();
    assert!(r.ok(), "{:#?}", r.differences);
    assert_eq!(r.aggregates, 6, "four deputies, the organisation, the suggestion");

    let raw = liaison_store::postgres::PgStore::open(
        &db.url,
        liaison_store::Keys::from_hex(&key).unwrap(),
        Default::default(),
    )
    .unwrap();
    raw.raw_execute(&format!(
        "UPDATE deputies SET data = jsonb_set(data::jsonb, '{{data,work_unit}}', '\"某某贸易公司\"')::text WHERE id = '{}';
         UPDATE deputies SET status = 'term_ended' WHERE id = '{}';
         UPDATE records SET version = version + 1 WHERE id = '{}';",
        ids[2], ids[3], s.suggestion.id
    ))
    .unwrap();
    let r = app.verify_state().unwrap();
    let d = named(&r, &ids[2], "state.data.work_unit");
    assert_eq!(d.stored, "某某贸易公司");
    assert_eq!(named(&r, &ids[3], "status").stored, "term_ended");
    let d = named(&r, &s.suggestion.id.to_string(), "version");
    assert_eq!(d.number.as_deref(), Some("2026-0001"));
    assert_eq!(r.differences.len(), 3, "{:#?}", r.differences);
}

/// The token policy is a `settings` record whose events each carry the whole policy: a clean one verifies,
/// and a limit edited behind its events' back is named with both values.
#[test]
fn an_edited_token_policy_is_named() {
    let f = fixture();
    let sec = crate::tests::security_admin(&f.app);
    rt().block_on(f.app.set_token_policy(&sec, Some(0), 30, 7, None)).unwrap();
    rt().block_on(f.app.set_token_policy(&sec, Some(1), 60, 7, None)).unwrap();
    assert!(f.app.verify_state().unwrap().ok());
    sql(&f, "UPDATE records SET data = json_set(data, '$.idle_days', 30) WHERE id = 'token_policy'");
    let r = f.app.verify_state().unwrap();
    let d = named(&r, "token_policy", "state.idle_days");
    assert_eq!((d.stored.as_str(), d.replayed.as_str()), ("30", "7"));
    assert_eq!(r.differences.len(), 1, "{:#?}", r.differences);
}

/// The scorecard weights are a `settings` record too (the README tour's `audit verify --state` once failed
/// on them as "a kind the state check knows"): set twice they verify; a weight edited behind the events'
/// back is named with both values.
#[test]
fn the_scorecard_weights_verify_and_an_edited_weight_is_named() {
    let f = fixture();
    rt().block_on(f.app.set_scorecard_weights(&f.office, &["on_time=50".into()])).unwrap();
    rt().block_on(f.app.set_scorecard_weights(&f.office, &["measures=10".into()])).unwrap();
    let r = f.app.verify_state().unwrap();
    assert!(r.ok(), "{:#?}", r.differences);
    sql(&f, "UPDATE records SET data = json_set(data, '$.on_time', 90) WHERE id = 'scorecard_weights'");
    let r = f.app.verify_state().unwrap();
    let d = named(&r, "scorecard_weights", "state.on_time");
    assert_eq!((d.stored.as_str(), d.replayed.as_str()), ("90", "50"));
    assert_eq!(r.differences.len(), 1, "{:#?}", r.differences);
}
