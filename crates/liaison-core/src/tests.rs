//! Crate-level tests: the purity allow-list, given/when/then tests of the registry and organisation
//! rules, and property tests that drive random command sequences and check the invariants after each.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use crate::ids::*;
use crate::organisation::*;
use crate::registry::*;

/// Architecture invariant: the core's dependency list is an allow-list. Adding a crate here is a design
/// decision (it must do no I/O, read no clock, draw no randomness): change DESIGN/ARCHITECTURE first.
#[test]
fn dependency_allow_list() {
    const ALLOWED: &[&str] = &["serde", "thiserror", "chrono", "uuid", "pinyin", "rand_chacha", "rand_core"];
    // Allowed only as optional, each behind its feature, off by default: `utoipa` (feature `schema`) is a
    // description library with no I/O; it derives the API document's schemas from the types themselves
    // (`ToSchema` on the state types the API serves as stored), and the core stays usable without it.
    const OPTIONAL: &[(&str, &str)] = &[("utoipa", "schema")];
    let manifest = include_str!("../Cargo.toml");
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    let lines: Vec<(&str, &str)> = deps
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| (l.split(['=', '.', ' ']).next().unwrap().trim(), l))
        .collect();
    assert!(!lines.is_empty());
    let features = manifest.split("\n[features]").nth(1).unwrap_or("").split("\n[").next().unwrap();
    for (n, line) in &lines {
        if let Some((_, feature)) = OPTIONAL.iter().find(|(o, _)| o == n) {
            assert!(line.contains("optional = true"), "`{n}` may only be an optional dependency: {line}");
            let enables = format!("{feature} = [\"dep:{n}\"]");
            assert!(features.lines().any(|l| l.trim() == enables), "`{n}` only behind `{enables}`");
            let default = features.lines().find(|l| l.trim_start().starts_with("default"));
            assert!(
                default.is_none_or(|d| !d.contains(feature)),
                "feature `{feature}` must stay off by default"
            );
        } else {
            assert!(ALLOWED.contains(n), "liaison-core may not depend on `{n}`: it must stay pure");
            assert!(
                !line.contains("optional"),
                "`{n}`: an optional dependency must be listed as one: {line}"
            );
        }
    }
    // The chrono clock and the uuid generators must stay off.
    let root = include_str!("../../../Cargo.toml");
    let chrono = root.lines().find(|l| l.starts_with("chrono")).unwrap();
    assert!(chrono.contains("default-features = false") && !chrono.contains("clock"), "{chrono}");
    // The PRNG takes its seed as an argument: no OS randomness in the core.
    for l in root.lines().filter(|l| l.starts_with("rand_chacha") || l.starts_with("rand_core")) {
        assert!(l.contains("default-features = false") && !l.contains("os_rng"), "{l}");
    }
    let uuid = root.lines().find(|l| l.starts_with("uuid")).unwrap();
    assert!(
        uuid.contains("default-features = false") && !uuid.contains("v4") && !uuid.contains("v7"),
        "{uuid}"
    );
}

pub(crate) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn input(name: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: "女".into(),
        level: "县".into(),
        term: "第十八届".into(),
        region: "鼓楼区".into(),
        delegation: "鼓楼代表团".into(),
        work_unit: "某街道办事处".into(),
        mobile: "138 0013 8000".into(),
        term_start: "2022-01-10".into(),
        ..DeputyInput::default()
    }
}

fn id(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}

/// Given a deputy registered from `input`, when `cmd`, then the result.
fn given_registered(i: DeputyInput, today: &str) -> Deputy {
    let e = Deputy::register(i.parse().unwrap(), None, date(today)).unwrap();
    Deputy::from_registered(id(1), &e).unwrap()
}

fn when(d: &mut Deputy, cmd: DeputyCommand) -> Result<Vec<DeputyEvent>, RegistryError> {
    let events = d.decide(cmd)?;
    for e in &events {
        d.apply(e);
    }
    Ok(events)
}

#[test]
fn a_valid_input_parses_and_a_bad_one_names_every_field() {
    let d = input("张伟").parse().unwrap();
    assert_eq!(d.level, DeputyLevel::County);
    assert_eq!(d.term.get(), 18);
    assert_eq!(d.contact.mobile.unwrap().as_str(), "13800138000");
    let mut bad = input("张3");
    bad.mobile = "12345".into();
    bad.term_start = "2022-13-01".into();
    bad.level = "村".into();
    let errs = bad.parse().unwrap_err();
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "level", "mobile", "term_start"]);
    assert_eq!(errs[2].code, "invalid_mobile");
    assert!(errs[2].message_zh.contains("手机"));
}

#[test]
fn id_number_is_checked_and_must_agree_with_gender_and_birth_date() {
    assert!(IdNumber::parse("11010519491231002X").is_ok());
    assert_eq!(IdNumber::parse("110105194912310021").unwrap_err(), crate::ValueError::IdNumber("checksum"));
    assert_eq!(IdNumber::parse("11010519491331002X").unwrap_err(), crate::ValueError::IdNumber("checksum"));
    let mut i = input("李娜");
    i.id_number = "11010519491231002x".into();
    let d = i.parse().unwrap();
    assert_eq!(d.birth_date, Some(date("1949-12-31")));
    assert_eq!(d.id_number.unwrap().masked(), "**************002X");
    i.gender = "男".into();
    assert_eq!(i.parse().unwrap_err()[0].field, "gender");
}

/// Issue 12 item 18: invisible characters that reorder or hide text (bidi overrides, zero-width) are
/// refused in every name and label; a person's name is written in Chinese characters, Latin letters, the
/// middle dot or a script of China's minority languages — not in look-alikes (Cyrillic "а" among Latin
/// letters, Greek, full-width Latin, CJK compatibility ideographs, Kangxi radicals).
#[test]
fn names_and_labels_refuse_invisible_characters_and_look_alikes() {
    for bad in [
        "王\u{202E}芳",
        "王\u{200B}芳",
        "王\u{2066}芳\u{2069}",
        "王\u{200D}芳",
        "王\u{FEFF}芳",
        "王\u{061C}芳",
    ] {
        let e = PersonName::parse(bad).unwrap_err();
        assert_eq!(e.code(), "invisible_characters", "{bad:?}");
        assert!(crate::Localized::zh(&e).contains("U+"), "{bad:?}: {}", crate::Localized::zh(&e));
        assert_eq!(ShortText::parse(&format!("鼓楼区{bad}")).unwrap_err().code(), "invisible_characters");
    }
    for good in [
        "王芳",
        "欧阳𫖯",
        "阿依古丽·买买提",
        "Mary Smith",
        "Nguyễn Văn",
        "Lǚ Zhì",
        "བཀྲ་ཤིས",
        "ᠪᠠᠲᠤ",
        "ئابدۇرېشىت",
        "김철수",
        "ꆈꌠ",
        "Иванов Пётр",
    ] {
        assert!(PersonName::parse(good).is_ok(), "{good}");
    }
    for bad in ["Mаry", "Ωmega", "Ｍary", "王\u{F9DC}", "⼯芳", "さくら", "王芳1", "王芳!"] {
        let e = PersonName::parse(bad).unwrap_err();
        assert!(matches!(e.code(), "bad_characters" | "mixed_scripts"), "{bad}: {e:?}");
        assert!(crate::Localized::zh(&e).contains("U+"), "{bad}: {}", crate::Localized::zh(&e));
    }
    assert_eq!(PersonName::parse("Mаry").unwrap_err().code(), "mixed_scripts");
    // Read back from storage as it was written before the rule, a name stays readable.
    assert!(serde_json::from_str::<PersonName>("\"Ωmega\"").is_ok());
    // The register's input names the field.
    let mut i = input("王\u{202E}芳");
    i.region = "鼓楼\u{200B}区".into();
    let errs = i.parse().unwrap_err();
    assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name", "region"]);
}

#[test]
fn values_mask_themselves() {
    assert_eq!(MobileNumber::parse("+86 138-0013-8000").unwrap().masked(), "138****8000");
    assert_eq!(Landline::parse("(0571)88886666").unwrap().as_str(), "0571-88886666");
    assert_eq!(Landline::parse("0571-88886666").unwrap().masked(), "0571-****6666");
    assert_eq!(Email::parse("Zhang@Example.COM").unwrap().masked(), "Z***@example.com");
    assert!(Email::parse("no-at-sign").is_err());
    assert!(MobileNumber::parse("12800138000").is_err());
    assert!(Landline::parse("88886666").is_err());
}

#[test]
fn registration_status_follows_the_term_dates() {
    assert_eq!(given_registered(input("王芳"), "2026-01-01").status, DeputyStatus::InOffice);
    assert_eq!(given_registered(input("王芳"), "2021-12-01").status, DeputyStatus::Registered);
    let mut ended = input("王芳");
    ended.term_end = "2025-01-01".into();
    assert_eq!(given_registered(ended, "2026-01-01").status, DeputyStatus::TermEnded);
}

#[test]
fn a_duplicate_is_refused_with_the_existing_record() {
    let e = Deputy::register(
        input("王芳").parse().unwrap(),
        Some((id(9), DuplicateReason::SameIdNumber)),
        date("2026-01-01"),
    );
    assert_eq!(
        e.unwrap_err(),
        RegistryError::Duplicate { existing: id(9), reason: DuplicateReason::SameIdNumber }
    );
}

#[test]
fn duplicate_keys_cover_the_three_rules() {
    let mut i = input("王芳");
    i.birth_date = "1980-02-03".into();
    let keys = duplicate_keys(&i.parse().unwrap(), Some("abc"));
    let reasons: Vec<_> = keys.iter().map(|k| k.reason).collect();
    assert_eq!(
        reasons,
        [
            DuplicateReason::SameIdNumber,
            DuplicateReason::SameNameAndBirthDate,
            DuplicateReason::SameNameAndWorkUnit
        ]
    );
    assert_eq!(keys[1].key, "nb:county:王芳|1980-02-03");
}

#[test]
fn lifecycle_transitions_and_refusals() {
    let mut d = given_registered(input("赵敏"), "2026-01-01");
    assert_eq!(
        when(&mut d, DeputyCommand::TakeOffice { date: date("2026-01-02") }).unwrap_err(),
        RegistryError::IllegalTransition { status: DeputyStatus::InOffice, command: "take office" }
    );
    assert_eq!(
        when(&mut d, DeputyCommand::EndTerm { date: date("2021-01-01") }).unwrap_err(),
        RegistryError::BeforeTermStart { date: date("2021-01-01"), term_start: date("2022-01-10") }
    );
    let v = d.version;
    when(&mut d, DeputyCommand::Remove { date: date("2026-03-01"), reason: RemovalReason::Resigned })
        .unwrap();
    assert_eq!(
        (d.status, d.version, d.removal),
        (DeputyStatus::Removed, v + 1, Some(RemovalReason::Resigned))
    );
    let patch = DeputyPatch { work_unit: Some(None), ..DeputyPatch::default() };
    assert!(matches!(
        when(&mut d, DeputyCommand::Update(Box::new(patch))),
        Err(RegistryError::IllegalTransition { command: "update", .. })
    ));
    assert!(when(&mut d, DeputyCommand::AssignOfficer(Some(OfficerId(Uuid::from_u128(5))))).is_err());
}

#[test]
fn an_update_that_changes_nothing_is_refused() {
    let mut d = given_registered(input("赵敏"), "2026-01-01");
    let same = DeputyPatch { name: Some(PersonName::parse("赵敏").unwrap()), ..DeputyPatch::default() };
    assert_eq!(
        when(&mut d, DeputyCommand::Update(Box::new(same))).unwrap_err(),
        RegistryError::NothingToChange
    );
    let change = DeputyPatch {
        contact: ContactPatch {
            mobile: Some(Some(MobileNumber::parse("13900000000").unwrap())),
            ..Default::default()
        },
        ..DeputyPatch::default()
    };
    let events = when(&mut d, DeputyCommand::Update(Box::new(change))).unwrap();
    let (redacted, touched) = events[0].without_personal_data();
    assert_eq!(touched, ["mobile"]);
    assert!(!serde_json::to_string(&redacted).unwrap().contains("13900000000"));
}

fn st(s: &str) -> ShortText {
    ShortText::parse(s).unwrap()
}

fn org_with(regions: &[&str], officers: &[(u128, &[&str])]) -> Organisation {
    let mut org = Organisation::default();
    let mut run = |c: OrgCommand| {
        for e in org.decide(c).unwrap() {
            org.apply(&e);
        }
    };
    for r in regions {
        run(OrgCommand::AddRegion { name: st(r) });
    }
    let leader = LeaderId(Uuid::from_u128(100));
    run(OrgCommand::AddLeader { id: leader, name: PersonName::parse("钱院长").unwrap(), title: None });
    let dept = DepartmentId(Uuid::from_u128(200));
    run(OrgCommand::AddDepartment { id: dept, name: st("第一检察部") });
    for r in regions {
        run(OrgCommand::SetRegionLeader { region: st(r), leader: Some(leader) });
        run(OrgCommand::AddDepartmentRegion { department: dept, region: st(r) });
    }
    for (n, rs) in officers {
        run(OrgCommand::AddOfficer {
            id: OfficerId(Uuid::from_u128(*n)),
            name: PersonName::parse(&format!("联络员{}", "甲乙丙丁戊".chars().nth(*n as usize % 5).unwrap()))
                .unwrap(),
            department: None,
            regions: rs.iter().map(|r| st(r)).collect(),
        });
    }
    org
}

fn dref(n: u128, region: &str) -> DeputyRef {
    DeputyRef {
        id: id(n),
        name: format!("代表{n}"),
        level: DeputyLevel::County,
        region: region.into(),
        delegation: None,
        officer: None,
        department: None,
    }
}

#[test]
fn organisation_refuses_unknown_and_duplicate_entries() {
    let org = org_with(&["鼓楼区"], &[]);
    assert_eq!(
        org.decide(OrgCommand::AddRegion { name: st("鼓楼区") }).unwrap_err().code(),
        "org.name_taken"
    );
    let e = org.decide(OrgCommand::SetRegionLeader { region: st("台江区"), leader: None }).unwrap_err();
    assert_eq!(e, OrgError::Unknown { what: "region", id: "台江区".into() });
    let e = org
        .decide(OrgCommand::AddOfficer {
            id: OfficerId(Uuid::from_u128(9)),
            name: PersonName::parse("孙丽").unwrap(),
            department: None,
            regions: BTreeSet::from([st("仓山区")]),
        })
        .unwrap_err();
    assert_eq!(e.code(), "org.unknown");
}

#[test]
fn a_delegation_pairs_with_one_department_only() {
    let mut org = org_with(&["鼓楼区"], &[]);
    let d2 = DepartmentId(Uuid::from_u128(201));
    for e in org.decide(OrgCommand::AddDepartment { id: d2, name: st("第二检察部") }).unwrap() {
        org.apply(&e);
    }
    let pair = |d| OrgCommand::PairDelegation { department: d, delegation: st("鼓楼代表团") };
    for e in org.decide(pair(DepartmentId(Uuid::from_u128(200)))).unwrap() {
        org.apply(&e);
    }
    assert_eq!(org.decide(pair(d2)).unwrap_err().code(), "org.delegation_taken");
}

#[test]
fn coverage_lists_every_gap() {
    let org = org_with(&["鼓楼区"], &[(1, &["鼓楼区"])]);
    let mut covered = dref(1, "鼓楼区");
    covered.officer = Some(OfficerId(Uuid::from_u128(1)));
    covered.department = Some(DepartmentId(Uuid::from_u128(200)));
    let r = coverage(&org, [covered, dref(2, "鼓楼区"), dref(3, "马尾区")]);
    assert_eq!((r.deputies, r.covered), (3, 1));
    assert_eq!(r.gaps[0].gaps, [Gap::NoOfficer, Gap::NoDepartment]);
    assert_eq!(
        r.gaps[1].gaps,
        [Gap::NoOfficer, Gap::UnknownRegion { region: "马尾区".into() }, Gap::NoDepartment]
    );
    assert_eq!(r.by_level[&DeputyLevel::County], LevelCoverage { deputies: 3, covered: 1 });
}

#[test]
fn auto_assignment_keeps_regions_and_balances_loads() {
    let org = org_with(&["鼓楼区", "台江区"], &[(1, &["鼓楼区"]), (2, &["鼓楼区"]), (3, &["台江区"])]);
    let mut deputies: Vec<DeputyRef> = (10..20).map(|n| dref(n, "鼓楼区")).collect();
    deputies.push(dref(30, "台江区"));
    deputies.push(dref(31, "马尾区"));
    let plan = plan_auto_assignment(&org, &deputies);
    assert_eq!(plan.officers.len(), 12);
    let to = |n: u128| plan.officers.iter().find(|(d, _, _)| *d == id(n)).unwrap();
    assert_eq!(to(30).1, OfficerId(Uuid::from_u128(3)));
    assert!(!to(31).2, "马尾区 has no officer: flagged outside region");
    let gulou_to_1 = plan.officers.iter().filter(|(_, o, _)| o.0.as_u128() == 1).count();
    assert_eq!(gulou_to_1, 5, "ten 鼓楼区 deputies split five and five");
    assert_eq!(plan.loads, LoadSummary { officers: 3, max: 5, min: 2 });
}

#[derive(Debug, Clone)]
enum Op {
    Update(u8),
    TakeOffice,
    EndTerm(u16),
    Remove(u16),
    Assign(Option<u8>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::Update),
        Just(Op::TakeOffice),
        (0u16..2000).prop_map(Op::EndTerm),
        (0u16..2000).prop_map(Op::Remove),
        proptest::option::of(0u8..3).prop_map(Op::Assign),
    ]
}

proptest! {
    /// Random command sequences: the version counts events exactly, an ended deputy never returns to the
    /// current register, no current deputy has an end date, and a refused command changes nothing.
    #[test]
    fn deputy_invariants_hold_under_random_commands(ops in proptest::collection::vec(op(), 1..40), start in 0u16..800) {
        let mut i = input("周杰");
        i.term_start = (date("2022-01-01") + chrono::Duration::days(i64::from(start))).to_string();
        let mut d = given_registered(i, "2023-01-01");
        let mut events = 1u64;
        let mut was_ended = !d.status.is_current();
        for o in ops {
            let cmd = match o {
                Op::Update(n) => DeputyCommand::Update(Box::new(DeputyPatch {
                    position: Some(Some(ShortText::parse(&format!("职务{}", n % 4)).unwrap())),
                    ..DeputyPatch::default()
                })),
                Op::TakeOffice => DeputyCommand::TakeOffice { date: d.data.term_start },
                Op::EndTerm(k) => DeputyCommand::EndTerm { date: date("2022-01-01") + chrono::Duration::days(i64::from(k)) },
                Op::Remove(k) => DeputyCommand::Remove {
                    date: date("2022-01-01") + chrono::Duration::days(i64::from(k)),
                    reason: RemovalReason::Transferred,
                },
                Op::Assign(n) => DeputyCommand::AssignOfficer(n.map(|n| OfficerId(Uuid::from_u128(u128::from(n))))),
            };
            let before = d.clone();
            match d.decide(cmd) {
                Ok(es) => for e in &es { d.apply(e); events += 1; },
                Err(_) => prop_assert_eq!(&d, &before),
            }
            prop_assert_eq!(d.version, events);
            if was_ended { prop_assert!(!d.status.is_current()); }
            was_ended |= !d.status.is_current();
            prop_assert_eq!(d.status.is_current(), d.ended_on.is_none());
            if let Some(e) = d.ended_on { prop_assert!(e >= d.data.term_start); }
        }
    }

    /// After automatic assignment, every deputy has an active officer and a department, and no officer
    /// carries more than one deputy above another officer who covers the same single region.
    #[test]
    fn auto_assignment_closes_every_officer_gap(n in 1usize..120, officers in 1u128..6) {
        let regions = ["鼓楼区", "台江区", "仓山区"];
        let spec: Vec<(u128, Vec<&str>)> = (1..=officers).map(|k| (k, vec![regions[(k % 3) as usize]])).collect();
        let spec_refs: Vec<(u128, &[&str])> = spec.iter().map(|(k, r)| (*k, r.as_slice())).collect();
        let org = org_with(&regions, &spec_refs);
        let deputies: Vec<DeputyRef> = (0..n).map(|k| dref(k as u128 + 1000, regions[k % 3])).collect();
        let plan = plan_auto_assignment(&org, &deputies);
        let assigned: Vec<DeputyRef> = deputies.iter().cloned().map(|mut d| {
            d.officer = plan.officers.iter().find(|(x, _, _)| *x == d.id).map(|(_, o, _)| *o);
            d.department = plan.departments.iter().find(|(x, _, _)| *x == d.id).map(|(_, x, _)| *x);
            d
        }).collect();
        let report = coverage(&org, assigned);
        prop_assert_eq!(report.covered, n as u64);
        for r in regions {
            let loads: Vec<u64> = org.officers.values().filter(|o| o.regions.iter().any(|x| x.as_str() == r))
                .map(|o| report.officer_loads[&o.id]).collect();
            if let (Some(max), Some(min)) = (loads.iter().max(), loads.iter().min()) {
                prop_assert!(max - min <= 1, "region {} loads {:?}", r, loads);
            }
        }
    }
}

#[test]
fn name_rules_yield_to_different_id_numbers() {
    let m = |reason, h: Option<&str>| KeyMatch {
        existing: id(7),
        reason,
        existing_id_hash: h.map(str::to_owned),
    };
    // Namesakes born the same day with different ID numbers: different people.
    assert_eq!(same_person(Some("a"), &[m(DuplicateReason::SameNameAndBirthDate, Some("b"))]), None);
    // One side lacks an ID number: the name rule decides.
    assert_eq!(
        same_person(None, &[m(DuplicateReason::SameNameAndWorkUnit, Some("b"))]),
        Some((id(7), DuplicateReason::SameNameAndWorkUnit))
    );
    // The ID-number rule wins over a name rule.
    assert_eq!(
        same_person(
            Some("a"),
            &[m(DuplicateReason::SameNameAndWorkUnit, None), m(DuplicateReason::SameIdNumber, Some("a"))]
        ),
        Some((id(7), DuplicateReason::SameIdNumber))
    );
}

proptest! {
    /// A deadline of n working days is n working days after its start, and falls on a working day, across
    /// holidays, make-up days and years the calendar does not know.
    #[test]
    fn working_day_deadlines_count_exactly(start in 0i64..900, n in 0u32..45) {
        use crate::calendar::{Period, WorkCalendar};
        let mut cal = WorkCalendar::new();
        cal.add_year(2026, "test", &[("春节".into(), date("2026-02-15"), date("2026-02-23"))], &[date("2026-02-14"), date("2026-02-28")]).unwrap();
        let s = date("2025-10-01") + chrono::Duration::days(start);
        let dl = cal.deadline(s, Period::WorkingDays(n));
        prop_assert_eq!(cal.working_days_between(s, dl.due), n);
        if n > 0 {
            prop_assert!(cal.is_working_day(dl.due).0);
        }
        prop_assert_eq!(dl.assumed_years.contains(&2026), false);
    }
}
