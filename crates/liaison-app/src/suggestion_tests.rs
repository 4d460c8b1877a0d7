//! Suggestion use cases on a real SQLite file, with a clock the tests move: the whole R1 cycle through the
//! façade with department, leader and deputy accounts; feedback links; scope and permission refusals;
//! bad input changing nothing; due lists; figures; policy; measures; merging and rerouting.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::TimeZone;

use liaison_core::ids::DeputyId;

use crate::tests::rt;
use crate::*;

struct World {
    app: App,
    now: Arc<AtomicI64>,
    office: Principal,
    dept: Principal,
    other_dept: Principal,
    leader: Principal,
    deputies: Vec<(String, Principal)>,
    _dir: tempfile::TempDir,
}

fn user(
    app: &App,
    admin: &Principal,
    login: &str,
    role: &str,
    deputy: Option<String>,
    department: Option<&str>,
) -> Principal {
    let new = NewUser {
        login: login.into(),
        display_name: format!("{login}用户"),
        roles: vec![role.into()],
        deputy,
        department: department.map(str::to_owned),
    };
    rt().block_on(app.add_user(admin, &new)).unwrap();
    app.principal_for_login(&admin.tenant, login).unwrap()
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let now =
            Arc::new(AtomicI64::new(chrono::Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap().timestamp()));
        let n = now.clone();
        let app = App::open(&Config::for_db(&dir.path().join("t.db")))
            .unwrap()
            .with_clock(Arc::new(move || chrono::Utc.timestamp_opt(n.load(Ordering::SeqCst), 0).unwrap()));
        let boot = rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
        let admin = app.authenticate(&boot.admin_token.token).unwrap();
        let office = user(&app, &admin, "office", "office", None, None);
        for name in ["第一检察部", "第二检察部", "控告申诉检察部"] {
            rt().block_on(app.change_organisation(
                &office,
                OrgInput::AddDepartment { name: name.into() },
                None,
                None,
            ))
            .unwrap();
        }
        let dept = user(&app, &admin, "dept1", "department", None, Some("第一检察部"));
        let other_dept = user(&app, &admin, "dept2", "department", None, Some("第二检察部"));
        let leader = user(&app, &admin, "leader", "leader", None, None);
        let mut deputies = Vec::new();
        for (i, level) in ["全国", "县", "乡"].into_iter().enumerate() {
            let mut input = demo::generate(3, 7).nth(i).unwrap();
            input.level = level.into();
            let d = rt().block_on(app.register_deputy(&office, input, None, None)).unwrap();
            let p = user(&app, &admin, &format!("dep{i}"), "deputy", Some(d.id.to_string()), None);
            deputies.push((d.id.to_string(), p));
        }
        Self { app, now, office, dept, other_dept, leader, deputies, _dir: dir }
    }

    fn days(&self, n: i64) {
        self.now.fetch_add(n * 86_400, Ordering::SeqCst);
    }

    fn file(&self) -> SuggestionView {
        let input = SuggestionInput {
            title: "关于加强未成年人检察工作的建议".into(),
            content: "建议在各乡镇设立未成年人保护联络点。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: self.deputies.iter().map(|(id, _)| id.clone()).collect(),
        };
        rt().block_on(self.app.file_suggestion(&self.office, &input, None)).unwrap()
    }

    fn act(&self, p: &Principal, key: &str, a: SuggestionAction) -> Result<SuggestionView, AppError> {
        rt().block_on(self.app.suggestion_action(p, key, None, a, None))
    }

    fn ok(&self, p: &Principal, key: &str, a: SuggestionAction) -> SuggestionView {
        let name = a.name();
        self.act(p, key, a).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn assign(&self, key: &str, co: &[&str]) -> SuggestionView {
        self.ok(
            &self.office,
            key,
            SuggestionAction::Assign {
                lead: "第一检察部".into(),
                co_handlers: co.iter().map(|s| s.to_string()).collect(),
                handler: "dept1".into(),
            },
        )
    }

    fn contact(&self, key: &str, phase: &str) -> SuggestionView {
        self.ok(
            &self.dept,
            key,
            SuggestionAction::Contact {
                phase: phase.into(),
                means: "电话".into(),
                deputies: vec![],
                summary: "电话征求代表对办理工作的意见".into(),
            },
        )
    }

    fn answer(&self, key: &str, class: &str) -> Result<SuggestionView, AppError> {
        self.act(
            &self.dept,
            key,
            SuggestionAction::Answer {
                class: class.into(),
                text: "经研究，已在三个乡镇设立联络点。".into(),
                promised_on: None,
            },
        )
    }

    fn rate(&self, i: usize, key: &str, rating: &str) -> Result<SuggestionView, AppError> {
        let comment = (rating == "不满意").then(|| "联络点覆盖面不够".to_owned());
        self.act(
            &self.deputies[i].1,
            key,
            SuggestionAction::Rate { rating: rating.into(), comment, deputy: None, form_ref: None },
        )
    }

    fn history_len(&self, key: &str) -> usize {
        self.app.suggestion_history(&self.office, key).unwrap().len()
    }
}

#[test]
fn a_joint_suggestion_runs_its_whole_cycle_with_one_dissatisfied_and_rehandling() {
    let w = World::new();
    let v = w.file();
    assert_eq!(v.suggestion.number.unwrap().to_string(), "2026-0001");
    assert_eq!(v.suggestion.status, liaison_core::suggestion::SuggestionStatus::Registered);
    assert_eq!(w.file().suggestion.number.unwrap().to_string(), "2026-0002", "numbers follow per year");
    let key = "2026-0001";
    let v = w.assign(key, &["第二检察部"]);
    assert_eq!(v.suggestion.assignment.as_ref().unwrap().deadline.to_string(), "2026-06-02");
    // R1c: no answer before a contact; the co-handler's opinion is outstanding too.
    assert_eq!(w.answer(key, "A").unwrap_err().code(), "suggestion.no_prior_contact");
    w.contact(key, "办前");
    assert_eq!(w.answer(key, "A").unwrap_err().code(), "suggestion.co_opinion_outstanding");
    // Another department may not act on the lead's behalf, and may only give its own opinion.
    assert!(matches!(w.answer_as(&w.other_dept, key), Err(AppError::Forbidden { .. })));
    w.ok(
        &w.other_dept,
        key,
        SuggestionAction::CoOpinion { department: None, text: "同意主办部门意见".into() },
    );
    w.days(30);
    let v = w.answer(key, "A").unwrap();
    assert_eq!(v.suggestion.first_answer().unwrap().co_opinions.len(), 1);
    assert_eq!(v.obligations[0].kind, "feedback");
    // R1b: each deputy rates as themself; one 不满意 sends it to re-handling.
    assert!(matches!(
        w.act(
            &w.deputies[0].1,
            key,
            SuggestionAction::Rate {
                rating: "满意".into(),
                comment: None,
                deputy: Some(w.deputies[1].0.clone()),
                form_ref: None
            }
        ),
        Err(AppError::Forbidden { .. })
    ));
    w.rate(0, key, "满意").unwrap();
    assert_eq!(w.rate(0, key, "满意").unwrap_err().code(), "suggestion.already_rated");
    w.rate(1, key, "基本满意").unwrap();
    let v = w.rate(2, key, "不满意").unwrap();
    assert_eq!(v.suggestion.status, liaison_core::suggestion::SuggestionStatus::Rehandling);
    // Re-handling: its own contact and answer, then every deputy rates again, one through a one-use link
    // and one from a signed paper form transcribed by the office.
    w.days(10);
    w.contact(key, "办中");
    w.answer(key, "A").unwrap();
    let links = rt().block_on(w.app.issue_feedback_links(&w.office, key)).unwrap();
    assert_eq!(links.len(), 3);
    let token = links
        .iter()
        .find(|l| l.deputy.to_string() == w.deputies[1].0)
        .unwrap()
        .path
        .trim_start_matches("/feedback/")
        .to_owned();
    let form = w.app.feedback_form(&token).unwrap();
    assert_eq!(form.class, "A");
    rt().block_on(w.app.rate_by_link(&token, "满意", None)).unwrap();
    assert_eq!(
        rt().block_on(w.app.rate_by_link(&token, "满意", None)).unwrap_err().code(),
        "feedback_link.used"
    );
    w.rate(2, key, "满意").unwrap();
    let v = w.ok(
        &w.office,
        key,
        SuggestionAction::Rate {
            rating: "基本满意".into(),
            comment: None,
            deputy: Some(w.deputies[0].0.clone()),
            form_ref: Some("征询意见表 2026-0001-2".into()),
        },
    );
    assert_eq!(v.suggestion.status, liaison_core::suggestion::SuggestionStatus::Closed);
    let ratings = &v.suggestion.rounds[1].ratings;
    let channels: Vec<_> = ratings
        .values()
        .map(|r| serde_json::to_value(&r.channel).unwrap()["via"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        channels.contains(&"feedback_link".to_owned())
            && channels.contains(&"paper_form".to_owned())
            && channels.contains(&"own_account".to_owned())
    );
    // The record says who did what; the chain verifies.
    let h = w.app.suggestion_history(&w.office, key).unwrap();
    assert!(h.iter().any(|e| e.kind == "suggestion.rated" && e.actor.contains("反馈链接")));
    assert!(w.app.verify_audit().unwrap().ok());
    // Figures: every level shows the item; first round dissatisfied, final satisfied, one re-handling.
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let f = w
        .app
        .suggestion_figures(
            &w.office,
            d("2026-01-01"),
            d("2026-12-31"),
            liaison_core::suggestion::GroupBy::Level,
        )
        .unwrap();
    let by: Vec<(String, u32)> = f.rows.iter().map(|r| (r.counts.key.clone(), r.counts.received)).collect();
    assert_eq!(
        by,
        [
            ("national".into(), 2),
            ("provincial".into(), 0),
            ("city".into(), 0),
            ("county".into(), 2),
            ("township".into(), 2)
        ]
    );
    let national = &f.rows[0];
    assert_eq!(
        (national.first_round_satisfaction_permille, national.final_satisfaction_permille),
        (Some(0), Some(1000))
    );
    assert_eq!((national.counts.rehandled, national.resolution_permille), (1, Some(1000)));
    assert_eq!(f.total.counts.received, 2);
    // Records saved before their facts were kept (no summary) give the same figures from their data.
    let t = w.office.tenant.clone();
    let rows =
        liaison_store::read(w.app.store(), |q| q.records(&t, "suggestion", &Default::default())).unwrap();
    liaison_store::write_blocking(w.app.store(), move |tx: &mut dyn liaison_store::WriteTx| {
        for r in &rows {
            let sg: liaison_core::suggestion::Suggestion = serde_json::from_str(&r.data).unwrap();
            let row = liaison_store::RecordRow {
                number: r.number.clone(),
                due_on: r.due_on.clone(),
                version: r.version + 1,
                ..liaison_store::RecordRow::plain(
                    "suggestion",
                    &r.id,
                    0,
                    &r.status,
                    sg.received_on,
                    r.data.clone(),
                    sg_at(),
                )
            };
            tx.update_record(&t, &row, r.version)?;
        }
        Ok::<_, liaison_store::StoreError>(())
    })
    .unwrap();
    let again = w
        .app
        .suggestion_figures(
            &w.office,
            d("2026-01-01"),
            d("2026-12-31"),
            liaison_core::suggestion::GroupBy::Level,
        )
        .unwrap();
    assert_eq!(again, f);
}

fn sg_at() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

impl World {
    fn answer_as(&self, p: &Principal, key: &str) -> Result<SuggestionView, AppError> {
        self.act(p, key, SuggestionAction::Answer { class: "A".into(), text: "x".into(), promised_on: None })
    }
}

#[test]
fn refused_commands_change_nothing_and_name_the_field() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    let before = w.history_len(&key);
    let bad = [
        (
            SuggestionAction::Assign {
                lead: "不存在的部门".into(),
                co_handlers: vec![],
                handler: "dept1".into(),
            },
            "org.unknown",
        ),
        (
            SuggestionAction::Assign {
                lead: "第一检察部".into(),
                co_handlers: vec!["第一检察部".into()],
                handler: "dept1".into(),
            },
            "suggestion.bad_co_handlers",
        ),
        (
            SuggestionAction::Assign {
                lead: "第一检察部".into(),
                co_handlers: vec![],
                handler: "nobody".into(),
            },
            "not_found",
        ),
        (SuggestionAction::Lapse {}, "suggestion.illegal_transition"),
        (SuggestionAction::Reroute { ground: "其他".into(), notice: "x".into() }, "input.invalid"),
        (SuggestionAction::Panel { deputies: vec![w.deputies[0].0.clone()] }, "suggestion.panel_overlap"),
        (
            SuggestionAction::Withdraw { deputy: Some("not-a-uuid".into()), reason: "x".into() },
            "input.invalid",
        ),
    ];
    for (a, code) in bad {
        let name = a.name();
        let e = w.act(&w.office, &key, a).unwrap_err();
        assert_eq!(e.code(), code, "{name}: {e}");
    }
    w.assign(&key, &[]);
    w.contact(&key, "before");
    let before_answer = w.history_len(&key);
    for (class, promised, field) in [
        ("E", None, "class"),
        ("B", None, ""),
        ("C", Some("2026-01-01"), ""),
        ("A", Some("not a date"), "promised_on"),
    ] {
        let e = w
            .act(
                &w.dept,
                &key,
                SuggestionAction::Answer {
                    class: class.into(),
                    text: "x".into(),
                    promised_on: promised.map(str::to_owned),
                },
            )
            .unwrap_err();
        if field.is_empty() {
            assert_eq!(e.code(), "suggestion.promised_date");
        } else {
            assert_eq!(e.field_errors()[0].field, field, "{e}");
        }
    }
    let e = w
        .act(
            &w.dept,
            &key,
            SuggestionAction::Answer { class: "A".into(), text: " ".into(), promised_on: None },
        )
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "text");
    let e = w
        .act(&w.leader, &key, SuggestionAction::Extend { until: "2026-12-31".into(), reason: "复杂".into() })
        .unwrap_err();
    assert_eq!(e.code(), "suggestion.extension_out_of_range");
    assert_eq!(w.history_len(&key), before_answer, "refusals wrote nothing");
    assert!(before < before_answer);
    // A stale version is refused.
    let v = w.app.suggestion(&w.office, &key).unwrap();
    let stale = rt().block_on(w.app.suggestion_action(
        &w.dept,
        &key,
        Some(v.suggestion.version - 1),
        SuggestionAction::Notify { text: "进展".into() },
        None,
    ));
    assert!(matches!(stale, Err(AppError::Stale { .. })));
    // Bad filings name every bad field.
    let e = rt()
        .block_on(w.app.file_suggestion(
            &w.office,
            &SuggestionInput {
                title: "".into(),
                content: "x".into(),
                source: "电报".into(),
                received_on: Some("2099-01-01".into()),
                deputies: vec![],
            },
            None,
        ))
        .unwrap_err();
    let fields: Vec<_> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["title", "source", "received_on", "deputies"]);
}

#[test]
fn roles_and_scope_are_enforced() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    // Departments do not file or assign; deputies do not handle; the office cannot rate for a deputy
    // without citing a signed form; only a leader approves an extension.
    assert!(matches!(
        rt().block_on(w.app.file_suggestion(&w.dept, &SuggestionInput::default(), None)),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        w.act(
            &w.dept,
            &key,
            SuggestionAction::Assign {
                lead: "第一检察部".into(),
                co_handlers: vec![],
                handler: "dept1".into()
            }
        ),
        Err(AppError::Forbidden { .. })
    ));
    w.assign(&key, &[]);
    assert!(matches!(
        w.act(&w.deputies[0].1, &key, SuggestionAction::Notify { text: "x".into() }),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        w.act(&w.other_dept, &key, SuggestionAction::Notify { text: "x".into() }),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        w.act(
            &w.office,
            &key,
            SuggestionAction::Rate { rating: "满意".into(), comment: None, deputy: None, form_ref: None }
        ),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        w.act(&w.dept, &key, SuggestionAction::Extend { until: "2026-07-01".into(), reason: "x".into() }),
        Err(AppError::Forbidden { .. })
    ));
    let v = w.ok(
        &w.leader,
        &key,
        SuggestionAction::Extend { until: "2026-08-31".into(), reason: "涉及多部门，需调研".into() },
    );
    assert_eq!(v.suggestion.extensions[0].approved_by.name, "leader用户");
    // A deputy sees only the items they are party to.
    let other = w.file_by(&[&w.deputies[0].0]);
    assert!(matches!(w.app.suggestion(&w.deputies[1].1, &other), Err(AppError::NotFound { .. })));
    let mine = w.app.suggestions(&w.deputies[1].1, &SuggestionFilter::default(), None, 50).unwrap();
    assert_eq!(mine.items.len(), 1);
    assert!(matches!(
        w.app.suggestion_figures(
            &w.deputies[1].1,
            chrono::NaiveDate::MIN,
            chrono::NaiveDate::MAX,
            liaison_core::suggestion::GroupBy::All
        ),
        Err(AppError::Forbidden { .. })
    ));
    // A deputy account is one deputy's, with no other role.
    let admin = w.app.principal_for_login(&w.office.tenant, "admin").unwrap();
    let both = NewUser {
        login: "mixed".into(),
        display_name: "x".into(),
        roles: vec!["deputy".into(), "office".into()],
        deputy: Some(w.deputies[0].0.clone()),
        department: None,
    };
    assert_eq!(rt().block_on(w.app.add_user(&admin, &both)).unwrap_err().field_errors()[0].field, "roles");
}

impl World {
    fn file_by(&self, ids: &[&str]) -> String {
        let input = SuggestionInput {
            title: "关于公益诉讼的建议".into(),
            content: "加强生态环境公益诉讼。".into(),
            source: "hotline".into(),
            received_on: None,
            deputies: ids.iter().map(|s| s.to_string()).collect(),
        };
        rt().block_on(self.app.file_suggestion(&self.office, &input, None)).unwrap().suggestion.id.to_string()
    }
}

#[test]
fn due_lists_show_what_is_owed_by_whom_and_what_is_late() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &["第二检察部"]);
    let due = w.app.due_list(&w.office, Some("第二检察部"), None, false).unwrap();
    assert!(due.is_empty(), "nothing within the 14-day horizon yet: {due:?}");
    w.days(25);
    let due = w.app.due_list(&w.office, Some("第二检察部"), None, false).unwrap();
    assert_eq!(due.iter().map(|d| d.owed.as_str()).collect::<Vec<_>>(), ["co_opinion"]);
    assert_eq!(due[0].days_left, 6);
    w.days(10);
    let late = w.app.due_list(&w.office, None, Some("dept1"), true).unwrap();
    assert_eq!(late.iter().map(|d| d.owed.as_str()).collect::<Vec<_>>(), ["co_opinion", "progress_notice"]);
    assert!(late.iter().all(|d| d.days_left < 0));
    // Recording the lateness lets the lead answer; a progress notice clears that duty.
    w.ok(&w.dept, &key, SuggestionAction::CoOverdue { department: "第二检察部".into() });
    w.ok(&w.dept, &key, SuggestionAction::Notify { text: "已完成调研".into() });
    assert!(w.app.due_list(&w.office, None, None, true).unwrap().is_empty());
    let stored = w
        .app
        .suggestions(
            &w.office,
            &SuggestionFilter { department: Some("第二检察部".into()), ..Default::default() },
            None,
            10,
        )
        .unwrap();
    assert_eq!(stored.items.len(), 1, "co-handlers find the items they share");
}

#[test]
fn lapse_closes_only_after_the_window_and_links_expire_with_it() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "before");
    w.answer(&key, "A").unwrap();
    let links = rt().block_on(w.app.issue_feedback_links(&w.office, &key)).unwrap();
    assert_eq!(
        w.act(&w.office, &key, SuggestionAction::Lapse {}).unwrap_err().code(),
        "suggestion.feedback_window_open"
    );
    w.days(40);
    let token = links[0].path.trim_start_matches("/feedback/");
    assert_eq!(w.app.feedback_form(token).unwrap_err().code(), "feedback_link.expired");
    assert!(matches!(w.app.feedback_form("abc.def"), Err(AppError::NotFound { .. })));
    let v = w.ok(&w.office, &key, SuggestionAction::Lapse {});
    assert_eq!(v.suggestion.closure.unwrap().basis, liaison_core::suggestion::ClosureBasis::Lapsed);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let f = w
        .app
        .suggestion_figures(
            &w.office,
            d("2026-01-01"),
            d("2026-12-31"),
            liaison_core::suggestion::GroupBy::Department,
        )
        .unwrap();
    assert_eq!((f.total.counts.lapsed, f.total.final_satisfaction_permille), (1, None));
    assert_eq!(f.rows[0].counts.label, "第一检察部");
}

#[test]
fn merge_reroute_measures_and_policy() {
    let w = World::new();
    let a = w.file().suggestion.id.to_string();
    let b = w.file_by(&[&w.deputies[0].0]);
    // Merging the duplicate keeps its deputies on the surviving item.
    let v = w.ok(&w.office, &b, SuggestionAction::Merge { into: "2026-0001".into() });
    assert_eq!(v.suggestion.status, liaison_core::suggestion::SuggestionStatus::Merged);
    let survivor = w.app.suggestion(&w.office, &a).unwrap();
    assert_eq!(survivor.suggestion.absorbed.len(), 1);
    assert_eq!(survivor.suggestion.proposers.len(), 3);
    // Rerouting gives a petitions reference and tells the deputies.
    let c = w.file_by(&[&w.deputies[2].0]);
    let v = w.ok(
        &w.office,
        &c,
        SuggestionAction::Reroute {
            ground: "具体案件".into(), notice: "已转控告申诉检察部依法处理".into()
        },
    );
    let r = v.suggestion.reroute.unwrap();
    assert_eq!((r.petition_ref.as_str(), r.told.len()), ("XF-2026-0001", 1));
    // An improvement measure from the survivor, tracked to done and reported back.
    let m = rt()
        .block_on(w.app.open_measure(
            &w.office,
            &MeasureInput {
                title: "建立未成年人保护联络点".into(),
                description: "三个乡镇试点".into(),
                owner: "第一检察部".into(),
                deadline: "2026-09-30".into(),
                suggestion: Some("2026-0001".into()),
                ..Default::default()
            },
        ))
        .unwrap();
    assert_eq!(m.measure.deputies.len(), 3);
    assert_eq!(w.app.suggestion(&w.office, &a).unwrap().suggestion.measures, vec![m.measure.id]);
    let id = m.measure.id.to_string();
    assert!(matches!(
        rt().block_on(w.app.measure_action(
            &w.other_dept,
            &id,
            None,
            MeasureAction::Complete { text: "x".into() }
        )),
        Err(AppError::Forbidden { .. })
    ));
    let e = rt()
        .block_on(w.app.measure_action(&w.dept, &id, None, MeasureAction::ReportBack { text: "x".into() }))
        .unwrap_err();
    assert_eq!(e.code(), "measure.illegal_transition");
    rt().block_on(w.app.measure_action(
        &w.dept,
        &id,
        None,
        MeasureAction::Complete { text: "三个联络点已运行".into() },
    ))
    .unwrap();
    let done = rt()
        .block_on(w.app.measure_action(
            &w.dept,
            &id,
            None,
            MeasureAction::ReportBack { text: "已书面告知代表".into() },
        ))
        .unwrap();
    assert_eq!(done.measure.report.unwrap().1.len(), 3);
    assert_eq!(w.app.measures(&w.deputies[1].1, None, None).unwrap().len(), 1);
    // The policy: validated, audited, and used for new deadlines.
    let e = rt()
        .block_on(w.app.set_suggestion_policy(
            &w.office,
            &PolicyInput { answer: Some("3x".into()), ..Default::default() },
            None,
            None,
        ))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "answer");
    let e = rt()
        .block_on(w.app.set_suggestion_policy(
            &w.office,
            &PolicyInput { extension_max: Some("2m".into()), ..Default::default() },
            None,
            None,
        ))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "extension_max");
    assert!(matches!(
        rt().block_on(w.app.set_suggestion_policy(&w.dept, &PolicyInput::default(), None, None)),
        Err(AppError::Forbidden { .. })
    ));
    let p = rt()
        .block_on(w.app.set_suggestion_policy(
            &w.office,
            &PolicyInput {
                answer: Some("2m".into()),
                satisfaction: Some("majority".into()),
                ..Default::default()
            },
            Some(0),
            Some("本地实施办法".into()),
        ))
        .unwrap()
        .0;
    assert_eq!(p.answer, liaison_core::calendar::Period::Months(2));
    let d = w.file_by(&[&w.deputies[1].0]);
    let v = w.assign(&d, &[]);
    assert_eq!(
        v.suggestion.assignment.unwrap().deadline.to_string(),
        "2026-05-06",
        "2 May falls in the Labour Day holiday"
    );
}

// ---- issue 7: published answers rated by the deputies as a body; the deliberation of the work report ----

impl World {
    /// A deputy of the given level with their own account, not a co-signer.
    fn reader(&self, login: &str, level: &str, seed: u64) -> (String, Principal) {
        let admin = self.app.principal_for_login(&self.office.tenant, "admin").unwrap();
        let mut input = demo::generate(1, seed).next().unwrap();
        input.level = level.into();
        let d = rt().block_on(self.app.register_deputy(&self.office, input, None, None)).unwrap();
        (d.id.to_string(), user(&self.app, &admin, login, "deputy", Some(d.id.to_string()), None))
    }
}

#[test]
fn a_published_answer_is_rated_by_the_body_apart_from_the_proposers() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "before");
    w.ok(
        &w.dept,
        &key,
        SuggestionAction::Answer {
            class: "A".into(),
            text: "已在三个乡镇设立联络点。[保密]其中一处涉及未成年被害人张某[/保密]经费已落实。".into(),
            promised_on: None,
        },
    );
    // The leading deputy asks not to be named; the office publishes to city-level deputies.
    w.ok(&w.deputies[0].1, &key, SuggestionAction::Anonymity { deputy: None, anonymous: true });
    let e = w
        .act(&w.office, &key, SuggestionAction::Publish { scope: "level".into(), values: vec![] })
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "values");
    w.ok(&w.office, &key, SuggestionAction::Publish { scope: "level".into(), values: vec!["市".into()] });
    let (_, city) = w.reader("city1", "市", 41);
    let (_, county) = w.reader("county1", "县", 42);
    let (city2_id, _city2) = w.reader("city2", "市", 43);
    // A city deputy reads it: no withheld part, the leading deputy unnamed; the view is counted once.
    let v = rt().block_on(w.app.publication(&city, &key)).unwrap();
    assert!(!v.text.contains("张某") && v.text.contains("不予公开"), "{}", v.text);
    assert!(v.proposers.iter().any(|p| p.contains("不愿具名")));
    rt().block_on(w.app.publication(&city, &key)).unwrap();
    // A county deputy is not in the audience: it does not exist for them.
    assert!(matches!(rt().block_on(w.app.publication(&county, &key)), Err(AppError::NotFound { .. })));
    assert_eq!(w.app.publications(&county).unwrap().len(), 0);
    assert_eq!(w.app.publications(&city).unwrap().len(), 1);
    // The proposers still get the whole text.
    let own = w.app.suggestion(&w.deputies[1].1, &key).unwrap();
    assert!(
        liaison_core::suggestion::full_text(own.suggestion.first_answer().unwrap().text.as_str())
            .contains("张某")
    );
    // The body rates: own account once; the county deputy may not; nobody enters a rating for them.
    w.ok(
        &city,
        &key,
        SuggestionAction::Rate {
            rating: "不满意".into(),
            comment: Some("覆盖面不足".into()),
            deputy: None,
            form_ref: None,
        },
    );
    assert_eq!(
        w.act(
            &city,
            &key,
            SuggestionAction::Rate { rating: "满意".into(), comment: None, deputy: None, form_ref: None }
        )
        .unwrap_err()
        .code(),
        "suggestion.already_rated"
    );
    assert!(matches!(
        w.act(
            &county,
            &key,
            SuggestionAction::Rate { rating: "满意".into(), comment: None, deputy: None, form_ref: None }
        ),
        Err(AppError::NotFound { .. })
    ));
    let e = w
        .act(
            &w.office,
            &key,
            SuggestionAction::Rate {
                rating: "满意".into(),
                comment: None,
                deputy: Some(city2_id.clone()),
                form_ref: Some("表-9".into()),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "suggestion.not_a_signer", "a body rating is never transcribed");
    // One-use links for the rest of the audience: city2 rates through theirs; the page shows no secret.
    let links = rt().block_on(w.app.issue_body_links(&w.office, &key)).unwrap();
    assert_eq!(links.iter().map(|l| l.deputy.to_string()).collect::<Vec<_>>(), vec![city2_id.clone()]);
    let token = links[0].path.trim_start_matches("/feedback/").to_owned();
    let form = w.app.feedback_form(&token).unwrap();
    assert!(!form.answer.contains("张某"));
    rt().block_on(w.app.rate_by_link(&token, "满意", None)).unwrap();
    // The proposers close it (the body does not count by default); both verdicts are reported apart.
    for i in 0..3 {
        w.rate(i, &key, "满意").unwrap();
    }
    let v = rt().block_on(w.app.publication(&w.office, &key)).unwrap();
    let f = v.figures.unwrap();
    assert_eq!((f.audience, f.viewed, f.rated), (2, 2, 2));
    assert_eq!((f.satisfied, f.basically_satisfied, f.dissatisfied), (1, 0, 1));
    assert_eq!(
        (f.proposers_verdict.as_deref(), f.body_verdict.as_deref(), f.body_counts),
        (Some("satisfied"), Some("dissatisfied"), false)
    );
    let s = w.app.suggestion(&w.office, &key).unwrap();
    assert_eq!(s.suggestion.status, liaison_core::suggestion::SuggestionStatus::Closed);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let figs = w
        .app
        .suggestion_figures(
            &w.office,
            d("2026-01-01"),
            d("2026-12-31"),
            liaison_core::suggestion::GroupBy::All,
        )
        .unwrap();
    assert_eq!(
        (figs.total.counts.published, figs.total.counts.body_ratings, figs.total.counts.body_satisfied),
        (1, 2, 1)
    );
    assert_eq!((figs.total.final_satisfaction_permille, figs.total.counts.final_rated), (Some(1000), 1));
    let h = w.app.suggestion_history(&w.office, &key).unwrap();
    assert!(h.iter().any(|e| e.kind == "suggestion.body_rated" && e.actor.contains("反馈链接")));
    let published = h.iter().find(|e| e.kind == "suggestion.published").unwrap();
    assert!(
        !published.payload.to_string().contains("张某"),
        "the audit record of a publication holds the public text only"
    );
}

#[test]
fn when_the_body_counts_its_dissatisfaction_sends_the_answer_back() {
    let w = World::new();
    rt().block_on(w.app.set_suggestion_policy(
        &w.office,
        &PolicyInput { body_counts: Some(true), ..Default::default() },
        None,
        None,
    ))
    .unwrap();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "before");
    w.answer(&key, "A").unwrap();
    w.ok(&w.office, &key, SuggestionAction::Publish { scope: "all".into(), values: vec![] });
    let (_, reader) = w.reader("r1", "省", 51);
    w.ok(
        &reader,
        &key,
        SuggestionAction::Rate {
            rating: "不满意".into(),
            comment: Some("答非所问".into()),
            deputy: None,
            form_ref: None,
        },
    );
    for i in 0..3 {
        w.rate(i, &key, "满意").unwrap();
    }
    assert_eq!(
        w.app.suggestion(&w.office, &key).unwrap().suggestion.status,
        liaison_core::suggestion::SuggestionStatus::Answered,
        "waits for the window"
    );
    w.days(40);
    let v = w.ok(&w.office, &key, SuggestionAction::Lapse {});
    assert_eq!(v.suggestion.status, liaison_core::suggestion::SuggestionStatus::Rehandling);
    assert_eq!(
        v.suggestion.rounds[0].outcome.as_ref().unwrap().body.as_ref().map(|b| (b.satisfied, b.counted)),
        Some((false, true))
    );
}

#[test]
fn deliberation_opinions_are_followed_from_the_group_to_the_deputy_being_told() {
    let w = World::new();
    let e = rt()
        .block_on(
            w.app.open_deliberation(
                &w.office,
                &DeliberationInput { session: "".into(), opens_on: "x".into() },
            ),
        )
        .unwrap_err();
    assert_eq!(
        e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["session", "opens_on"]
    );
    let d = rt()
        .block_on(w.app.open_deliberation(
            &w.office,
            &DeliberationInput {
                session: "市第十六届人民代表大会第五次会议".into(),
                opens_on: "2026-03-01".into(),
            },
        ))
        .unwrap();
    let id = d.deliberation.id.clone();
    let act = |a: DeliberationAction| rt().block_on(w.app.deliberation_action(&w.office, &id, None, a));
    let opinion = |text: &str, i: usize| DeliberationAction::Opinion {
        group: "鼓楼代表团".into(),
        deputy: w.deputies[i].0.clone(),
        text: text.into(),
    };
    assert_eq!(act(opinion("希望加强公益诉讼", 0)).unwrap_err().code(), "deliberation.group_not_attended");
    act(DeliberationAction::Attend {
        group: "鼓楼代表团".into(),
        on: "2026-03-02".into(),
        staff: vec!["副检察长李明".into(), "联络室王静".into()],
    })
    .unwrap();
    act(opinion("希望加强公益诉讼，保护闽江水质", 0)).unwrap();
    act(opinion("建议公开不起诉案件的听证情况", 1)).unwrap();
    // Opinion 1 becomes a suggestion (source 大会期间, the deputy its proposer); opinion 2 a measure.
    let v = act(DeliberationAction::Route {
        n: 1,
        to: "suggestion".into(),
        owner: None,
        deadline: None,
        title: None,
    })
    .unwrap();
    let number = v.summary[0].handled_as.clone().unwrap().trim_start_matches("建议 ").to_owned();
    let e = act(DeliberationAction::Route {
        n: 2,
        to: "measure".into(),
        owner: Some("第一检察部".into()),
        deadline: Some("bad".into()),
        title: None,
    })
    .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "deadline");
    let v = act(DeliberationAction::Route {
        n: 2,
        to: "measure".into(),
        owner: Some("第一检察部".into()),
        deadline: Some("2026-12-31".into()),
        title: Some("公开听证情况".into()),
    })
    .unwrap();
    assert!(v.summary[1].handled_as.as_deref().unwrap().starts_with("整改措施"));
    let s = w.app.suggestion(&w.office, &number).unwrap();
    assert_eq!(
        (s.suggestion.source, s.suggestion.proposers[0].deputy.to_string()),
        (liaison_core::suggestion::Source::CongressSession, w.deputies[0].0.clone())
    );
    // Nobody is told before there is an outcome; the record cannot close with opinions outstanding.
    assert_eq!(
        act(DeliberationAction::Tell { n: 1, text: "已办理".into() }).unwrap_err().code(),
        "deliberation.outcome_not_ready"
    );
    assert_eq!(act(DeliberationAction::Close {}).unwrap_err().code(), "deliberation.opinions_outstanding");
    w.assign(&number, &[]);
    w.contact(&number, "before");
    w.answer(&number, "A").unwrap();
    act(DeliberationAction::Tell { n: 1, text: "已答复：设立公益诉讼线索联络点".into() }).unwrap();
    let m = w
        .app
        .measures(&w.office, None, None)
        .unwrap()
        .into_iter()
        .find(|m| m.measure.title.as_str() == "公开听证情况")
        .unwrap();
    rt().block_on(w.app.measure_action(
        &w.dept,
        &m.measure.id.to_string(),
        None,
        MeasureAction::Complete { text: "听证情况已在门户公开".into() },
    ))
    .unwrap();
    act(DeliberationAction::Tell { n: 2, text: "已整改：听证情况按月公开".into() }).unwrap();
    let v = act(DeliberationAction::Close {}).unwrap();
    assert!(v.deliberation.closed_on.is_some());
    assert!(v.summary.iter().all(|l| l.told.is_some() && l.status == "已反馈代表"));
    assert_eq!(
        act(DeliberationAction::Attend {
            group: "x".into(),
            on: "2026-03-03".into(),
            staff: vec!["y".into()]
        })
        .unwrap_err()
        .code(),
        "deliberation.closed"
    );
    assert!(matches!(w.app.deliberations(&w.deputies[0].1), Err(AppError::Forbidden { .. })));
    assert_eq!(w.app.deliberations(&w.office).unwrap().len(), 1);
}

#[test]
fn a_major_matter_notice_reaches_its_audience_and_a_response_opens_a_suggestion() {
    let w = World::new();
    let bad = NoticeInput {
        title: "".into(),
        content: "x".into(),
        scope: "level".into(),
        values: vec![],
        deputies: vec![],
        channel: "飞鸽".into(),
    };
    let e = rt().block_on(w.app.draft_notice(&w.office, &bad)).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["title", "channel"]);
    let input = NoticeInput {
        title: "关于开展公益诉讼专项监督活动的通报".into(),
        content: "本院将于二季度开展专项监督。".into(),
        scope: "level".into(),
        values: vec!["县".into(), "乡".into()],
        deputies: vec![],
        channel: "书面".into(),
    };
    let n = rt().block_on(w.app.draft_notice(&w.office, &input)).unwrap();
    let id = n.notice.id.clone();
    let act = |p: &Principal, a: NoticeAction| rt().block_on(w.app.notice_action(p, &id, None, a));
    assert_eq!(act(&w.office, NoticeAction::Send {}).unwrap_err().code(), "notice.illegal_transition");
    assert!(
        matches!(act(&w.office, NoticeAction::Approve {}), Err(AppError::Forbidden { .. })),
        "only a leader approves"
    );
    act(&w.leader, NoticeAction::Approve {}).unwrap();
    let v = act(&w.office, NoticeAction::Send {}).unwrap();
    // The county and township deputies, not the national one.
    let mut expected = vec![w.deputies[1].0.clone(), w.deputies[2].0.clone()];
    expected.sort();
    assert_eq!(v.notice.recipients.keys().map(ToString::to_string).collect::<Vec<_>>(), expected);
    assert!(matches!(w.app.notice(&w.deputies[0].1, &id), Err(AppError::NotFound { .. })));
    assert_eq!(w.app.notices(&w.deputies[1].1, None).unwrap().len(), 1);
    act(&w.office, NoticeAction::Delivery { deputy: w.deputies[1].0.clone(), delivered: true, note: None })
        .unwrap();
    act(&w.deputies[1].1, NoticeAction::Acknowledge { deputy: None }).unwrap();
    let v = act(
        &w.deputies[2].1,
        NoticeAction::Respond {
            deputy: None,
            text: "建议把乡镇也纳入专项活动".into(),
            open_suggestion: true,
        },
    )
    .unwrap();
    assert_eq!((v.recipients, v.delivered, v.acknowledged, v.responded), (2, 1, 2, 1));
    let (_, (_, opened)) =
        v.notice.recipients.iter().find_map(|(d, r)| r.response.clone().map(|x| (d, x))).unwrap();
    let s = w.app.suggestion(&w.office, &opened.unwrap().to_string()).unwrap();
    assert_eq!(s.suggestion.source, liaison_core::suggestion::Source::Notice);
    assert_eq!(
        act(
            &w.deputies[2].1,
            NoticeAction::Respond { deputy: None, text: "再说一次".into(), open_suggestion: true }
        )
        .unwrap_err()
        .code(),
        "notice.already_recorded"
    );
    assert_eq!(
        w.app.suggestions(&w.office, &SuggestionFilter::default(), None, 10).unwrap().items.len(),
        1,
        "the refused response filed nothing"
    );
    assert!(matches!(
        act(&w.deputies[0].1, NoticeAction::Acknowledge { deputy: None }),
        Err(AppError::NotFound { .. })
    ));
    assert_eq!(w.app.notices(&w.office, Some(2026)).unwrap().len(), 1);
}

#[test]
fn a_plan_counts_meetings_visits_and_notices_and_shows_who_was_not_reached() {
    let w = World::new();
    let e = rt()
        .block_on(w.app.set_plan(
            &w.office,
            &PlanInput { period: "2026H3".into(), ..Default::default() },
            None,
        ))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].field, "period");
    let plan = PlanInput {
        period: "2026".into(),
        meetings: 2,
        reached_percent: 60,
        notices: 1,
        activities: 0,
        notes: Some("全年联络工作计划".into()),
    };
    rt().block_on(w.app.set_plan(&w.office, &plan, None)).unwrap();
    assert!(matches!(rt().block_on(w.app.adopt_plan(&w.office, "2026")), Err(AppError::Forbidden { .. })));
    rt().block_on(w.app.adopt_plan(&w.leader, "2026")).unwrap();
    assert_eq!(rt().block_on(w.app.set_plan(&w.office, &plan, None)).unwrap_err().code(), "plan.adopted");
    // A meeting: invitations, held with two of three, an opinion that becomes a suggestion.
    let bad = MeetingInput {
        title: "座谈会".into(),
        on: "2026-03-05".into(),
        place: "会议室".into(),
        agenda: vec![],
        invite: vec![],
    };
    assert_eq!(rt().block_on(w.app.plan_meeting(&w.office, &bad)).unwrap_err().code(), "meeting.no_agenda");
    let m = rt()
        .block_on(w.app.plan_meeting(
            &w.office,
            &MeetingInput {
                title: "一季度人大代表座谈会".into(),
                on: "2026-03-05".into(),
                place: "本院第一会议室".into(),
                agenda: vec!["work_report:通报一季度检察工作".into(), "信访:信访案件办理情况".into()],
                invite: w.deputies.iter().map(|d| d.0.clone()).collect(),
            },
        ))
        .unwrap();
    let act = |a: MeetingAction| rt().block_on(w.app.meeting_action(&w.office, &m.id, None, a));
    assert_eq!(
        act(MeetingAction::Hold { attended: vec![w.deputies[0].0.clone()], minutes: "纪要".into() })
            .unwrap_err()
            .code(),
        "meeting.not_yet"
    );
    w.days(3);
    act(MeetingAction::Hold {
        attended: vec![w.deputies[0].0.clone(), w.deputies[1].0.clone()],
        minutes: "三位代表提出意见".into(),
    })
    .unwrap();
    let absent = OpinionInput { deputy: w.deputies[2].0.clone(), text: "x".into(), ..Default::default() };
    assert_eq!(act(MeetingAction::Opinion { opinion: absent }).unwrap_err().code(), "meeting.not_present");
    assert!(
        w.app.suggestions(&w.office, &SuggestionFilter::default(), None, 10).unwrap().items.is_empty(),
        "the refused opinion filed nothing"
    );
    let m2 = act(MeetingAction::Opinion {
        opinion: OpinionInput {
            deputy: w.deputies[0].0.clone(),
            text: "加强对涉农案件的监督".into(),
            to: Some("suggestion".into()),
            ..Default::default()
        },
    })
    .unwrap();
    assert!(m2.opinions[0].became.as_deref().unwrap().starts_with("suggestion:"));
    // A visit in the future is refused; a past one counts.
    let visit = |on: &str| VisitInput {
        deputy: w.deputies[2].0.clone(),
        on: on.into(),
        place: "工作单位".into(),
        staff: vec!["联络员林晓".into()],
        notes: "了解履职情况".into(),
        issues: vec![],
    };
    assert_eq!(
        rt().block_on(w.app.record_visit(&w.office, &visit("2026-12-01"))).unwrap_err().code(),
        "visit.in_future"
    );
    rt().block_on(w.app.record_visit(&w.office, &visit("2026-03-04"))).unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let r = w.app.reach_report(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert_eq!((r.reached, r.not_reached.len()), (3, 0));
    let r = w.app.reach_report(&w.office, d("2026-03-05"), d("2026-12-31")).unwrap();
    assert_eq!(
        r.not_reached.iter().map(|x| x.id.to_string()).collect::<Vec<_>>(),
        vec![w.deputies[2].0.clone()],
        "the visit was before"
    );
    // The coverage report shows this year's reach by level.
    let cov = w.app.coverage(&w.office).unwrap();
    assert_eq!(cov.reached_this_year.iter().map(|l| l.covered).sum::<u64>(), 3);
    assert_eq!(cov.reached_this_year.len(), 5);
    // Progress: one meeting of two, all reached, no notice yet.
    let v = w.app.plan(&w.office, "2026").unwrap();
    let got: Vec<(String, u32, bool)> =
        v.progress.iter().map(|x| (x.target.clone(), x.achieved, x.met)).collect();
    assert_eq!(
        got,
        vec![
            ("meetings".into(), 1, false),
            ("reached_percent".into(), 100, true),
            ("notices".into(), 0, false),
            ("activities".into(), 0, true)
        ]
    );
    // The calendar, and as iCalendar.
    let cal = w.app.liaison_calendar(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert_eq!(cal.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["visit", "meeting"]);
    let ics = w.app.liaison_ics(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR")
            && ics.contains("DTSTART;VALUE=DATE:20260305")
            && ics.contains("一季度人大代表座谈会"),
        "{ics}"
    );
}

#[test]
fn contributions_come_from_every_workflow_and_nominations_follow_their_steps() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    let _ = key;
    let m = rt()
        .block_on(w.app.plan_meeting(
            &w.office,
            &MeetingInput {
                title: "座谈会".into(),
                on: "2026-03-02".into(),
                place: "会议室".into(),
                agenda: vec!["work_report:通报工作".into()],
                invite: vec![w.deputies[0].0.clone()],
            },
        ))
        .unwrap();
    rt().block_on(w.app.meeting_action(
        &w.office,
        &m.id,
        None,
        MeetingAction::Hold { attended: vec![w.deputies[0].0.clone()], minutes: "纪要".into() },
    ))
    .unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let list = w.app.contributions(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert_eq!(list[0].deputy.deputy.to_string(), w.deputies[0].0, "suggestion 5 + meeting 2");
    assert_eq!((list[0].total, list[1].total), (7, 5));
    assert_eq!(list[0].evidence.len(), 2);
    rt().block_on(w.app.set_commendation_weights(&w.office, &["meeting=10".into()])).unwrap();
    assert_eq!(w.app.contributions(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap()[0].total, 15);
    assert_eq!(
        rt().block_on(w.app.set_commendation_weights(&w.office, &["party=1".into()]))
            .unwrap_err()
            .field_errors()[0]
            .field,
        "weights"
    );
    let input = NominationInput {
        deputy: w.deputies[0].0.clone(),
        reasons: "积极建言献策".into(),
        from: "2026-01-01".into(),
        to: "2026-12-31".into(),
    };
    let n = rt().block_on(w.app.nominate(&w.office, &input)).unwrap();
    assert_eq!(n.contribution.total, 15);
    let empty = NominationInput { from: "2025-01-01".into(), to: "2025-12-31".into(), ..input };
    assert_eq!(
        rt().block_on(w.app.nominate(&w.office, &empty)).unwrap_err().code(),
        "nomination.no_evidence"
    );
    let act = |p: &Principal, a: NominationAction| rt().block_on(w.app.nomination_action(p, &n.id, None, a));
    assert!(matches!(act(&w.office, NominationAction::Approve {}), Err(AppError::Forbidden { .. })));
    assert_eq!(
        act(&w.office, NominationAction::Submit { reference: "检函〔2026〕1号".into() }).unwrap_err().code(),
        "nomination.illegal_transition"
    );
    act(&w.leader, NominationAction::Approve {}).unwrap();
    act(&w.office, NominationAction::Submit { reference: "检函〔2026〕1号".into() }).unwrap();
    let done = act(&w.office, NominationAction::Accept {}).unwrap();
    assert_eq!(done.status, liaison_core::commendation::NominationStatus::Accepted);
    assert_eq!(w.app.nominations(&w.office).unwrap().len(), 1);
}

#[test]
fn a_case_review_draws_supervisors_verifiably_and_the_committee_cannot_be_skipped() {
    let w = World::new();
    // Five people's supervisors among the deputies (one recused), plus the three without the role.
    let mut supervisors = Vec::new();
    for i in 0..5 {
        let mut input = demo::generate(1, 60 + i).next().unwrap();
        input.special_roles = "人民监督员".into();
        supervisors
            .push(rt().block_on(w.app.register_deputy(&w.office, input, None, None)).unwrap().id.to_string());
    }
    let e = rt()
        .block_on(w.app.register_review(
            &w.office,
            &ReviewInput { case_ref: "".into(), kind: "other".into(), summary: "x".into() },
        ))
        .unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["case_ref", "kind"]);
    let r = rt()
        .block_on(w.app.register_review(
            &w.office,
            &ReviewInput {
                case_ref: "榕检刑不诉〔2026〕12号".into(),
                kind: "拟不起诉案件".into(),
                summary: "拟作相对不起诉".into(),
            },
        ))
        .unwrap();
    let id = r.review.id.clone();
    let act = |p: &Principal, a: ReviewAction| rt().block_on(w.app.review_action(p, &id, None, a));
    act(&w.office, ReviewAction::Recuse { deputy: supervisors[0].clone(), reason: "与被害人系同事".into() })
        .unwrap();
    assert_eq!(
        act(&w.office, ReviewAction::Prepare { count: 2, public_source: None, published_on: None })
            .unwrap_err()
            .code(),
        "review.too_few_participants"
    );
    assert_eq!(
        act(&w.office, ReviewAction::Prepare { count: 5, public_source: None, published_on: None })
            .unwrap_err()
            .code(),
        "review.pool_too_small"
    );
    let prepared =
        act(&w.office, ReviewAction::Prepare { count: 3, public_source: None, published_on: None }).unwrap();
    let seed = prepared.seed.clone().unwrap();
    let pool = &prepared.review.draw.as_ref().unwrap().strata[0].candidates;
    assert_eq!(pool.len(), 4, "only supervisors, the recused one out");
    assert!(!pool.contains(&supervisors[0]) && !pool.contains(&w.deputies[0].0));
    assert_eq!(
        act(&w.office, ReviewAction::Draw { seed: Some("00".repeat(32)), public_value: None })
            .unwrap_err()
            .code(),
        "review.seed_mismatch"
    );
    let drawn = act(&w.office, ReviewAction::Draw { seed: Some(seed.clone()), public_value: None }).unwrap();
    assert!(drawn.seed.is_none(), "the seed is shown only when prepared");
    let v = w.app.verify_draw(&w.office, &id).unwrap();
    assert!(v.ok && v.draw_matches && v.fingerprint_matches && v.commitment_matches, "{v:?}");
    // Votes: the majority objects; the chief goes against it; the committee must decide and explain.
    let ps: Vec<String> = drawn.review.participants.iter().map(ToString::to_string).collect();
    for (i, p) in ps.iter().enumerate() {
        act(&w.office, ReviewAction::Vote { deputy: p.clone(), agree: i == 0, opinion: "意见".into() })
            .unwrap();
    }
    assert!(
        matches!(
            act(&w.office, ReviewAction::Chief { agree: true, text: "不起诉".into() }),
            Err(AppError::Forbidden { .. })
        ),
        "a leader records it"
    );
    act(&w.leader, ReviewAction::Chief { agree: true, text: "决定不起诉".into() }).unwrap();
    assert_eq!(
        act(&w.office, ReviewAction::Notify { text: "x".into() }).unwrap_err().code(),
        "review.illegal_transition"
    );
    act(
        &w.leader,
        ReviewAction::Committee {
            agree: false,
            text: "提起公诉".into(),
            explanation: "采纳多数人民监督员意见".into(),
        },
    )
    .unwrap();
    let done = act(&w.office, ReviewAction::Notify { text: "经检委会决定，依法提起公诉".into() }).unwrap();
    assert_eq!(done.review.status, liaison_core::review::ReviewStatus::Notified);
    // Tampering with the recorded draw is caught by verification.
    let mut r = w.app.review(&w.office, &id).unwrap();
    r.draw.as_mut().unwrap().drawn.reverse();
    assert!(!crate::review::verify(&r).draw_matches);
    // A review counts toward the participants' contributions (R6).
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let c = w.app.contributions(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert!(c.iter().any(|x| x.by_kind.contains_key(&liaison_core::commendation::EvidenceKind::Review)));
}

#[test]
fn the_rights_check_finds_every_deputyship_by_id_number_and_is_audited() {
    let w = World::new();
    for level in ["县", "市"] {
        let mut input = demo::generate(1, 77).next().unwrap();
        input.name = "郑伟".into();
        input.level = level.into();
        input.id_number = "11010519491231002X".into();
        input.birth_date.clear();
        input.gender.clear();
        rt().block_on(w.app.register_deputy(&w.office, input, None, None)).unwrap();
    }
    let q = |id_number: &str, name: Option<&str>| RightsQuery {
        deputy: None,
        id_number: Some(id_number.into()),
        name: name.map(str::to_owned),
        reason: "榕检刑捕〔2026〕7号审查逮捕".into(),
    };
    let a = rt().block_on(w.app.rights_check(&w.office, &q("11010519491231002X", Some("郑伟")))).unwrap();
    assert!(a.is_deputy);
    let mut levels: Vec<_> = a.deputyships.iter().map(|d| d.level.as_str()).collect();
    levels.sort();
    assert_eq!(levels, ["city", "county"]);
    assert!(a.deputyships.iter().all(|d| d.permission_required && d.requirement_zh.contains("许可")));
    // A township deputy: report at once, no permission.
    let t = rt()
        .block_on(w.app.rights_check(
            &w.office,
            &RightsQuery {
                deputy: Some(w.deputies[2].0.clone()),
                reason: "核查".into(),
                ..Default::default()
            },
        ))
        .unwrap();
    assert!(!t.deputyships[0].permission_required && t.deputyships[0].requirement_zh.contains("立即报告"));
    // A wrong name gives nothing; an unknown number is not a deputy; bad input and missing reasons refused.
    assert!(
        rt().block_on(w.app.rights_check(&w.office, &q("11010519491231002X", Some("郑伟伟"))))
            .unwrap()
            .name_mismatch
    );
    let stranger = demo::generate(40, 91).map(|i| i.id_number).find(|n| !n.is_empty()).unwrap();
    let none = rt().block_on(w.app.rights_check(&w.office, &q(&stranger, None))).unwrap();
    assert!(!none.is_deputy && none.deputyships.is_empty());
    assert_eq!(
        rt().block_on(w.app.rights_check(&w.office, &q("123", None))).unwrap_err().field_errors()[0].field,
        "id_number"
    );
    assert_eq!(
        rt().block_on(
            w.app.rights_check(
                &w.office,
                &RightsQuery { reason: " ".into(), ..q("11010519491231002X", None) }
            )
        )
        .unwrap_err()
        .field_errors()[0]
            .field,
        "reason"
    );
    assert!(matches!(
        rt().block_on(w.app.rights_check(&w.deputies[0].1, &q("11010519491231002X", None))),
        Err(AppError::Forbidden { .. })
    ));
    // Every check is on the record, with its reason and without the ID number.
    assert!(w.app.verify_audit().unwrap().ok());
    let recs = liaison_store::read(w.app.store(), |q| q.history(&w.office.tenant, "by-id-number")).unwrap();
    assert_eq!(recs.len(), 3, "every check by ID number, found or not; refused ones write nothing");
    assert!(recs.iter().all(|r| r.kind == "rights.checked" && !r.payload.contains("11010519491231002X")));
    assert!(
        recs.iter()
            .any(|r| r.reason.as_deref() == Some("榕检刑捕〔2026〕7号审查逮捕") && r.seq == a.audit_seq)
    );
}

#[test]
fn activities_draw_verifiably_by_level_prefer_the_least_chosen_and_show_fairness() {
    let w = World::new();
    // Three more deputies per level for the pool (plus the three of the world).
    for (i, level) in ["全国", "县", "乡"].iter().cycle().take(9).enumerate() {
        let mut input = demo::generate(1, 200 + i as u64).next().unwrap();
        input.level = (*level).into();
        rt().block_on(w.app.register_deputy(&w.office, input, None, None)).unwrap();
    }
    let plan = |title: &str, on: &str, seats: u32, selection: &str| {
        rt().block_on(w.app.plan_activity(
            &w.office,
            &ActivityInput {
                kind: "检察开放日".into(),
                title: title.into(),
                on: on.into(),
                place: "本院".into(),
                seats,
                levels: vec![],
                selection: selection.into(),
            },
        ))
        .unwrap()
        .activity
        .id
    };
    let bad = ActivityInput {
        kind: "party".into(),
        title: "x".into(),
        on: "x".into(),
        place: "x".into(),
        seats: 0,
        levels: vec![],
        selection: "dice".into(),
    };
    let e = rt().block_on(w.app.plan_activity(&w.office, &bad)).unwrap_err();
    assert_eq!(
        e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["kind", "on", "selection"]
    );
    let a1 = plan("检察开放日（一）", "2026-03-02", 6, "lottery");
    let act = |id: &str, a: ActivityAction| rt().block_on(w.app.activity_action(&w.office, id, None, a));
    let prepared = act(&a1, ActivityAction::Prepare { public_source: None, published_on: None }).unwrap();
    let seed = prepared.seed.unwrap();
    assert_eq!(
        act(&a1, ActivityAction::Draw { seed: Some("11".repeat(32)), public_value: None })
            .unwrap_err()
            .code(),
        "activity.seed_mismatch"
    );
    let drawn =
        act(&a1, ActivityAction::Draw { seed: Some(seed.clone()), public_value: None }).unwrap().activity;
    assert_eq!(drawn.participants.len(), 6);
    assert!(w.app.verify_activity_draw(&w.office, &a1).unwrap().ok);
    assert_eq!(
        act(&a1, ActivityAction::Draw { seed: Some(seed), public_value: None }).unwrap_err().code(),
        "activity.illegal_transition",
        "one draw per commitment"
    );
    // Proportional quotas: 4 deputies of each of three levels, 6 seats → 2 each.
    let refs = liaison_store::read(w.app.store(), |q| q.current_deputy_refs(&w.office.tenant)).unwrap();
    let level_of = |d: &DeputyId| refs.iter().find(|r| r.id == *d).unwrap().level;
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for d in &drawn.participants {
        *per.entry(level_of(d).code().to_owned()).or_default() += 1;
    }
    assert_eq!(per.values().copied().collect::<Vec<_>>(), vec![2, 2, 2]);
    act(
        &a1,
        ActivityAction::Hold {
            attended: drawn.participants.iter().take(5).map(ToString::to_string).collect(),
        },
    )
    .unwrap();
    // A second activity prefers those not chosen yet: the 6 others.
    let a2 = plan("检察开放日（二）", "2026-03-02", 6, "lottery");
    let seed =
        act(&a2, ActivityAction::Prepare { public_source: None, published_on: None }).unwrap().seed.unwrap();
    let second = act(&a2, ActivityAction::Draw { seed: Some(seed), public_value: None }).unwrap().activity;
    assert!(
        second.participants.iter().all(|d| !drawn.participants.contains(d)),
        "lottery and rotation combine"
    );
    // Fairness: everyone took part once, Gini 0; the plan's progress counts held activities.
    act(&a2, ActivityAction::Hold { attended: vec![] }).unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let f = w.app.fairness(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert_eq!((f.gini_permille, f.participations), (0, 12));
    assert!(f.by_level.iter().filter(|x| x.1 > 0).all(|x| x.3 == 1000));
    let cov = w.app.coverage(&w.office).unwrap();
    assert_eq!(cov.participation_this_year.iter().map(|l| l.covered).sum::<u64>(), 12);
    rt().block_on(w.app.set_plan(
        &w.office,
        &PlanInput { period: "2026".into(), activities: 2, ..Default::default() },
        None,
    ))
    .unwrap();
    assert!(
        w.app
            .plan(&w.office, "2026")
            .unwrap()
            .progress
            .iter()
            .any(|p| p.target == "activities" && p.achieved == 2 && p.met)
    );
    // Rotation goes to the least recently chosen.
    let a3 = plan("庭审观摩", "2026-03-02", 3, "rotation");
    let seed =
        act(&a3, ActivityAction::Prepare { public_source: None, published_on: None }).unwrap().seed.unwrap();
    assert_eq!(
        act(&a3, ActivityAction::Draw { seed: Some(seed), public_value: None })
            .unwrap()
            .activity
            .participants
            .len(),
        3
    );
    assert_eq!(
        act(&a3, ActivityAction::Feedback { deputy: w.deputies[0].0.clone(), text: "x".into() })
            .unwrap_err()
            .code(),
        "activity.illegal_transition"
    );
}

#[test]
fn supervisors_are_appointed_only_when_eligible_and_join_the_review_pool() {
    let w = World::new();
    let reg = |name: &str, birth: &str, roles: &str| {
        let mut input = demo::generate(1, 300).next().unwrap();
        input.name = name.into();
        input.id_number.clear();
        input.birth_date = birth.into();
        input.special_roles = roles.into();
        input.work_unit = format!("{name}的单位");
        rt().block_on(w.app.register_deputy(&w.office, input, None, None)).unwrap().id.to_string()
    };
    let ok_id = reg("周杰", "1980-03-01", "");
    let young = reg("吴青", "2004-06-02", "");
    let sc = reg("郑常", "1970-01-01", "常委会组成人员");
    let appoint = |d: &str| {
        rt().block_on(w.app.appoint_supervisor(
            &w.office,
            &SupervisorInput {
                deputy: d.into(),
                kind: "人民监督员".into(),
                from: "2026-03-01".into(),
                to: "2030-12-31".into(),
            },
        ))
    };
    assert_eq!(appoint(&young).unwrap_err().code(), "supervisor.too_young");
    assert_eq!(appoint(&sc).unwrap_err().code(), "supervisor.excluded_role");
    let a = appoint(&ok_id).unwrap();
    assert_eq!(appoint(&ok_id).unwrap_err().code(), "supervisor.already_appointed");
    let d = w.app.deputy(&w.office, liaison_core::ids::DeputyId::parse(&ok_id).unwrap()).unwrap();
    assert!(
        d.special_roles.iter().any(|r| r == "人民监督员" || r == "peoples_supervisor"),
        "{:?}",
        d.special_roles
    );
    // The review pool now holds the new supervisor.
    let r = rt()
        .block_on(w.app.register_review(
            &w.office,
            &ReviewInput { case_ref: "案号".into(), kind: "公开听证".into(), summary: "听证".into() },
        ))
        .unwrap();
    let e = rt()
        .block_on(w.app.review_action(
            &w.office,
            &r.review.id,
            None,
            ReviewAction::Prepare { count: 3, public_source: None, published_on: None },
        ))
        .unwrap_err();
    assert_eq!(e.code(), "review.pool_too_small", "one supervisor is not enough for three places");
    let ended = rt().block_on(w.app.end_supervisor(&w.office, &a.id, "调离")).unwrap();
    assert!(ended.ended.is_some());
    assert_eq!(w.app.supervisors(&w.office).unwrap().len(), 1);
}

#[test]
fn hotline_cards_services_and_solicitations() {
    let w = World::new();
    // A deputy's call routed to the suggestion workflow is filed at once.
    let call = rt()
        .block_on(w.app.log_call(
            &w.office,
            &CallInput {
                deputy: Some(w.deputies[0].0.clone()),
                caller: "王代表".into(),
                topic: "反映社区矫正问题".into(),
                route: "建议".into(),
            },
        ))
        .unwrap();
    assert!(call.reference.as_deref().unwrap().starts_with("suggestion:"));
    assert_eq!(
        w.app.suggestions(&w.office, &SuggestionFilter::default(), None, 10).unwrap().items[0].status,
        "registered"
    );
    assert_eq!(
        rt().block_on(w.app.log_call(
            &w.office,
            &CallInput { caller: "".into(), topic: "x".into(), route: "x".into(), deputy: None }
        ))
        .unwrap_err()
        .field_errors()[0]
            .field,
        "caller"
    );
    // Cards: numbered, printable, revoked once.
    let card = rt()
        .block_on(w.app.issue_card(
            &w.office,
            &CardInput {
                deputy: w.deputies[1].0.clone(),
                officer: "林晓".into(),
                telephone: "0591-12345678".into(),
            },
        ))
        .unwrap();
    assert_eq!(card.number, "LK-2026-0001");
    let page = w.app.card_page(&w.office, &card.number).unwrap();
    assert!(page.contains("人大代表联络卡") && page.contains("林晓") && page.contains("LK-2026-0001"));
    rt().block_on(w.app.revoke_card(&w.office, &card.number, "代表调离")).unwrap();
    assert_eq!(
        rt().block_on(w.app.revoke_card(&w.office, &card.number, "again")).unwrap_err().code(),
        "card.revoked"
    );
    // Services: a problem to its result; a subscription with deliveries.
    let s = rt()
        .block_on(w.app.open_service(
            &w.office,
            &ServiceInput {
                deputy: w.deputies[2].0.clone(),
                kind: "解决实际困难".into(),
                description: "子女入学".into(),
            },
        ))
        .unwrap();
    assert_eq!(w.app.services(&w.office, true).unwrap().len(), 1);
    assert_eq!(
        rt().block_on(w.app.service_step(&w.office, &s.id, "检察简报", true)).unwrap_err().code(),
        "service.wrong_kind"
    );
    rt().block_on(w.app.service_step(&w.office, &s.id, "已协调解决", false)).unwrap();
    let sub = rt()
        .block_on(w.app.open_service(
            &w.office,
            &ServiceInput {
                deputy: w.deputies[2].0.clone(),
                kind: "资料订阅".into(),
                description: "检察简报".into(),
            },
        ))
        .unwrap();
    assert_eq!(
        rt().block_on(w.app.service_step(&w.office, &sub.id, "2026年第1期", true)).unwrap().deliveries.len(),
        1
    );
    // A solicitation to the county deputies; a response becomes a suggestion.
    let so = rt()
        .block_on(w.app.send_solicitation(
            &w.office,
            &SolicitationInput {
                title: "征求对检察工作的意见".into(),
                content: "请提意见".into(),
                by_forum: false,
                scope: "level".into(),
                values: vec!["县".into()],
                deputies: vec![],
            },
        ))
        .unwrap();
    assert_eq!(so.recipients.len(), 1);
    assert_eq!(
        rt().block_on(w.app.respond_solicitation(&w.office, &so.id, &w.deputies[0].0, "x", true))
            .unwrap_err()
            .code(),
        "solicitation.not_a_recipient"
    );
    let so = rt()
        .block_on(w.app.respond_solicitation(&w.office, &so.id, &w.deputies[1].0, "加强检察公开", true))
        .unwrap();
    assert!(so.responses[0].2.as_deref().unwrap().starts_with("suggestion:"));
    assert_eq!(
        w.app.suggestions(&w.office, &SuggestionFilter::default(), None, 10).unwrap().items.len(),
        2,
        "the refused response filed nothing"
    );
}

#[test]
fn an_activity_never_draws_a_deputy_of_another_level_or_out_of_office() {
    let w = World::new();
    let mut ids = Vec::new();
    for (i, level) in ["县", "县", "县", "乡", "乡", "乡", "市", "市", "全国"].iter().enumerate() {
        let mut input = demo::generate(1, 300 + i as u64).next().unwrap();
        input.level = (*level).into();
        let v = rt().block_on(w.app.register_deputy(&w.office, input, None, None)).unwrap();
        ids.push((v.id, *level));
    }
    // One county deputy's term has ended: never in the pool again.
    let ended = DeputyId(ids[0].0);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    rt().block_on(w.app.end_term(&w.office, ended, None, day, Some("届满".into()))).unwrap();
    let refs = liaison_store::read(w.app.store(), |q| q.current_deputy_refs(&w.office.tenant)).unwrap();
    let allowed: BTreeSet<DeputyId> = refs
        .iter()
        .filter(|r| {
            matches!(
                r.level,
                liaison_core::registry::DeputyLevel::County | liaison_core::registry::DeputyLevel::Township
            )
        })
        .map(|r| r.id)
        .collect();
    assert!(!allowed.contains(&ended));
    let act = |id: &str, a: ActivityAction| rt().block_on(w.app.activity_action(&w.office, id, None, a));
    // Ten draws with fresh seeds, more seats than half the pool: never outside the levels, never twice.
    for round in 0..10 {
        let id = rt()
            .block_on(w.app.plan_activity(
                &w.office,
                &ActivityInput {
                    kind: "庭审观摩".into(),
                    title: format!("庭审观摩（{round}）"),
                    on: "2026-04-01".into(),
                    place: "本院".into(),
                    seats: 4,
                    levels: vec!["县".into(), "乡".into()],
                    selection: if round % 2 == 0 { "lottery" } else { "rotation" }.into(),
                },
            ))
            .unwrap()
            .activity
            .id;
        let seed = act(&id, ActivityAction::Prepare { public_source: None, published_on: None })
            .unwrap()
            .seed
            .unwrap();
        let chosen = act(&id, ActivityAction::Draw { seed: Some(seed), public_value: None })
            .unwrap()
            .activity
            .participants;
        assert_eq!(chosen.len(), 4);
        assert!(chosen.iter().all(|d| allowed.contains(d)), "round {round}: {chosen:?} outside {allowed:?}");
        let distinct: BTreeSet<&DeputyId> = chosen.iter().collect();
        assert_eq!(distinct.len(), chosen.len());
        assert!(w.app.verify_activity_draw(&w.office, &id).unwrap().ok);
    }
}

#[test]
fn a_draw_seeded_by_a_public_value_waits_for_it_and_verifies() {
    let w = World::new();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(); // the world's clock
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let id = rt()
        .block_on(w.app.plan_activity(
            &w.office,
            &ActivityInput {
                kind: "检察开放日".into(),
                title: "检察开放日".into(),
                on: (today + chrono::Duration::days(30)).to_string(),
                place: "本院".into(),
                seats: 2,
                levels: vec![],
                selection: "lottery".into(),
            },
        ))
        .unwrap()
        .activity
        .id;
    let act = |a: ActivityAction| rt().block_on(w.app.activity_action(&w.office, &id, None, a));
    let prepare = |source: Option<&str>, on: Option<String>| ActivityAction::Prepare {
        public_source: source.map(str::to_owned),
        published_on: on,
    };
    // Both or neither; a value known today could steer the pool: refused, nothing written.
    let e = act(prepare(Some("双色球第2026138期开奖号码"), None)).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["published_on"]);
    let e = act(prepare(Some("双色球第2026138期开奖号码"), Some(today.to_string()))).unwrap_err();
    assert_eq!(e.code(), "activity.public_value_too_early");
    assert_eq!(w.app.activity(&w.office, &id).unwrap().version, 1);
    let v = act(prepare(Some("双色球第2026138期开奖号码"), Some(tomorrow.clone()))).unwrap();
    assert_eq!(v.seed, None, "no secret seed exists to show");
    let value = |v: &str| ActivityAction::Draw { seed: None, public_value: Some(v.into()) };
    assert_eq!(act(value("03 08 15 21 27 33 + 09")).unwrap_err().code(), "activity.public_value_not_yet");
    assert_eq!(
        act(ActivityAction::Draw { seed: Some("11".repeat(32)), public_value: None }).unwrap_err().code(),
        "activity.seed_mismatch"
    );
    assert_eq!(
        act(ActivityAction::Draw { seed: Some("11".repeat(32)), public_value: Some("1".into()) })
            .unwrap_err()
            .field_errors()[0]
            .field,
        "public_value"
    );
    w.days(1);
    let drawn = act(value("03  08 15 21 27 33 + 09")).unwrap().activity;
    assert_eq!(drawn.participants.len(), 2);
    let rec = drawn.draw.as_ref().unwrap();
    assert_eq!(rec.public_value.as_deref(), Some("03 08 15 21 27 33 + 09"), "whitespace collapsed");
    let v = w.app.verify_activity_draw(&w.office, &id).unwrap();
    assert!(v.ok && v.seed_source == "public", "{v:?}");
    // The seed is the hash of the value: a record whose value was changed afterwards no longer verifies.
    let mut forged = rec.clone();
    forged.public_value = Some("03 08 15 21 27 33 + 10".into());
    let f = crate::draw::verify(Some(&forged));
    assert!(!f.commitment_matches && !f.ok);
}

#[test]
fn a_department_account_without_its_department_acts_for_none() {
    let w = World::new();
    let s = w.file();
    let key = s.suggestion.id.to_string();
    w.assign(&key, &[]);
    // An account made before a department was required: it may not act on any department's item.
    let legacy = Principal { department: None, ..w.dept.clone() };
    let contact = SuggestionAction::Contact {
        phase: "before".into(),
        means: "电话".into(),
        deputies: vec![],
        summary: "电话沟通".into(),
    };
    let e = w.act(&legacy, &key, contact).unwrap_err();
    assert!(matches!(e, AppError::Forbidden { action: "handle_other_department" }), "{e:?}");
    assert_eq!(w.app.suggestion(&w.office, &key).unwrap().suggestion.version, s.suggestion.version + 1);
    w.contact(&key, "before");
}

#[test]
fn appointment_windows_follow_the_deployment_policy() {
    let w = World::new();
    let request = || {
        rt().block_on(w.app.request_appointment(
            &w.office,
            &AppointmentInput {
                deputy: w.deputies[0].0.clone(),
                official: "检察长".into(),
                channel: "联络卡".into(),
                topic: "反映企业合规问题".into(),
            },
        ))
        .unwrap()
    };
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Monday 2026-03-02: by default acknowledged within 2 working days, met within 10.
    let a = request();
    assert_eq!((a.acknowledge_by, a.meet_by), (d("2026-03-04"), d("2026-03-16")));
    let set = |ack: &str, meet: &str| {
        rt().block_on(w.app.set_suggestion_policy(
            &w.office,
            &PolicyInput {
                appointment_acknowledge: Some(ack.into()),
                appointment_meet: Some(meet.into()),
                ..Default::default()
            },
            None,
            Some("本院约见工作规定".into()),
        ))
    };
    let e = set("0d", "5d").unwrap_err();
    assert_eq!(e.field_errors()[0].field, "appointment_acknowledge");
    assert_eq!(request().meet_by, d("2026-03-16"), "a refused policy changes nothing");
    set("1d", "5d").unwrap();
    let b = request();
    assert_eq!((b.acknowledge_by, b.meet_by), (d("2026-03-03"), d("2026-03-09")));
}
