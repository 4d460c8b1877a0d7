//! Suggestion use cases on a real SQLite file, with a clock the tests move: the whole R1 cycle through the
//! façade with department, leader and deputy accounts; feedback links; scope and permission refusals;
//! bad input changing nothing; due lists; figures; policy; measures; merging and rerouting.

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
    /// Set by a test that edited stored state behind the events' back (and checked that it was named).
    state_edited: std::cell::Cell<bool>,
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
        ..Default::default()
    };
    assert_eq!(admin.login, "admin");
    crate::tests::approved_user(app, &new)
}

/// Every test on this world ends with the state check: what is stored is what the events replay to
/// (issue 13 item 3) — whatever the workflows did.
impl Drop for World {
    fn drop(&mut self) {
        if !std::thread::panicking() && !self.state_edited.get() {
            let r = self.app.verify_state().unwrap();
            assert!(r.ok(), "stored state differs from its events: {:#?}", r.differences);
            assert!(r.aggregates > 0 && r.events > 0, "{r:?}");
        }
    }
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
        Self {
            app,
            now,
            office,
            dept,
            other_dept,
            leader,
            deputies,
            state_edited: Default::default(),
            _dir: dir,
        }
    }

    /// The test edited stored state behind the events' back: the state check names `field` of `id`.
    fn state_edited(&self, id: &str, field: &str) {
        let r = self.app.verify_state().unwrap();
        assert!(
            r.differences.iter().any(|d| d.id == id && d.field == field),
            "{field} of {id} not named: {:#?}",
            r.differences
        );
        self.state_edited.set(true);
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
    let links = rt().block_on(w.app.issue_feedback_links_for_tests(&w.office, key)).unwrap();
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
    // The deputy a rating concerns is named, with level and region, never a bare id (issue 11, item 18).
    let rated: Vec<&str> =
        h.iter().filter(|e| e.kind == "suggestion.rated").filter_map(|e| e.concerns.as_deref()).collect();
    assert!(!rated.is_empty() && rated.iter().all(|c| c.contains('（') && !c.contains('-')), "{rated:?}");
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
    w.state_edited(&v.suggestion.id.to_string(), "parties");
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
        // Issue 11, item 8: a handler of another department (dept2 works in 第二检察部).
        (
            SuggestionAction::Assign {
                lead: "第一检察部".into(),
                co_handlers: vec![],
                handler: "dept2".into(),
            },
            "input.invalid",
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
        ..Default::default()
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
    let links = rt().block_on(w.app.issue_feedback_links_for_tests(&w.office, &key)).unwrap();
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
    let links = rt().block_on(w.app.issue_body_links_for_tests(&w.office, &key)).unwrap();
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

/// Issue 12 item 5: the `[保密]` parts of an answer (and of a co-handler's opinion) reach only the lead
/// department, the office and the proposers — in views, in what an action returns, and in the history.
#[test]
fn confidential_parts_reach_only_the_lead_the_office_and_the_proposers() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &["第二检察部"]);
    w.ok(
        &w.other_dept,
        &key,
        SuggestionAction::CoOpinion {
            department: None,
            text: "同意。[保密]涉案人李某另案处理[/保密]".into(),
        },
    );
    w.contact(&key, "before");
    w.ok(
        &w.dept,
        &key,
        SuggestionAction::Answer {
            class: "A".into(),
            text: "已设立联络点。[保密]其中一处涉及未成年被害人张某[/保密]经费已落实。".into(),
            promised_on: None,
        },
    );
    let admin = w.app.principal_for_login(&w.office.tenant, "admin").unwrap();
    let officer = user(&w.app, &admin, "officer", "officer", None, None);
    let auditor = user(&w.app, &admin, "auditor", "auditor", None, None);
    let secrets = ["张某", "李某"];
    let shows = |p: &Principal| {
        let v = serde_json::to_string(&w.app.suggestion(p, &key).unwrap()).unwrap();
        let h = serde_json::to_string(&w.app.suggestion_history(p, &key).unwrap()).unwrap();
        secrets.map(|s| (v.contains(s), h.contains(s)))
    };
    for p in [&w.office, &w.dept, &w.deputies[0].1, &w.deputies[2].1] {
        assert_eq!(shows(p), [(true, true); 2], "{} sees the whole answer", p.login);
    }
    // The audit administrator reads no suggestion at all (issue 12 item 1).
    assert_eq!(w.app.suggestion(&auditor, &key).unwrap_err().code(), "auth.forbidden");
    for p in [&w.leader, &officer, &w.other_dept] {
        assert_eq!(shows(p), [(false, false); 2], "{} sees the public text only", p.login);
        let v = w.app.suggestion(p, &key).unwrap();
        assert!(v.suggestion.first_answer().unwrap().text.as_str().contains("不予公开"));
    }
    // What an action returns follows the same rule: a reader of a publication rating it, a link.
    w.ok(&w.deputies[0].1, &key, SuggestionAction::Anonymity { deputy: None, anonymous: true });
    let unnamed = w.app.deputy(&w.office, DeputyId::parse(&w.deputies[0].0).unwrap()).unwrap().name;
    w.ok(&w.office, &key, SuggestionAction::Publish { scope: "level".into(), values: vec!["市".into()] });
    let (_, city) = w.reader("city1", "市", 41);
    w.reader("city2", "市", 43);
    let rated = w.ok(
        &city,
        &key,
        SuggestionAction::Rate { rating: "满意".into(), comment: None, deputy: None, form_ref: None },
    );
    let text = serde_json::to_string(&rated).unwrap();
    assert!(!text.contains("张某") && !text.contains("李某"), "{text}");
    // … and a deputy's own part only: not the co-signers' ratings or contacts, not the unnamed's name.
    assert!(!text.contains(&unnamed), "{text}");
    assert!(rated.suggestion.contacts.is_empty() && rated.suggestion.rounds[0].ratings.is_empty());
    let links = rt().block_on(w.app.issue_body_links_for_tests(&w.office, &key)).unwrap();
    let token = links[0].path.trim_start_matches("/feedback/").to_owned();
    let by_link = rt().block_on(w.app.rate_by_link(&token, "满意", None)).unwrap();
    let text = serde_json::to_string(&by_link).unwrap();
    assert!(!text.contains("张某") && !text.contains("李某") && !text.contains(&unnamed), "{text}");
    assert_eq!(by_link.suggestion.publications[0].ratings.len(), 1, "its own rating only");
    // A co-signer reads the item: the body's ratings and views are each reader's own.
    let own = w.app.suggestion(&w.deputies[1].1, &key).unwrap();
    assert!(
        own.suggestion.publications[0].ratings.is_empty() && own.suggestion.publications[0].viewed.is_empty()
    );
    let h = w.app.suggestion_history(&w.deputies[1].1, &key).unwrap();
    assert!(!h.iter().any(|e| e.kind == "suggestion.body_rated"), "not the readers' ratings");
    let h = w.app.suggestion_history(&w.office, &key).unwrap();
    assert_eq!(h.iter().filter(|e| e.kind == "suggestion.body_rated").count(), 2, "the office sees both");
    // What is addressed to many outside suggestions is not a deputy account's to read at all.
    let d = &w.deputies[1].1;
    let forbidden = |r: Result<usize, AppError>| matches!(r, Err(AppError::Forbidden { .. }));
    assert!(forbidden(w.app.activities(d).map(|v| v.len())));
    assert!(forbidden(w.app.solicitations(d).map(|v| v.len())));
    assert!(forbidden(w.app.calls(d).map(|v| v.len())));
    assert!(forbidden(w.app.services(d, false).map(|v| v.len())));
    assert!(forbidden(w.app.meeting(d, "x").map(|_| 0)));
    assert!(forbidden(w.app.plan(d, "2026").map(|_| 0)));
}

/// Issue 12 item 8: a department opens improvement measures for itself only (another owner was a 201).
#[test]
fn a_department_opens_measures_only_for_itself() {
    let w = World::new();
    let input = |owner: &str| MeasureInput {
        title: "规范听证程序".into(),
        description: "逐案公开听证".into(),
        owner: owner.into(),
        deadline: "2026-09-30".into(),
        opinion: Some("听证应当公开".into()),
        deputies: vec![w.deputies[0].0.clone()],
        ..Default::default()
    };
    let e = rt().block_on(w.app.open_measure(&w.other_dept, &input("第一检察部"))).unwrap_err();
    assert!(matches!(e, AppError::Forbidden { .. }), "{e:?}");
    assert!(w.app.measures(&w.office, None, None).unwrap().is_empty(), "nothing written");
    let own = rt().block_on(w.app.open_measure(&w.other_dept, &input("第二检察部"))).unwrap();
    assert_eq!(own.measure.owner.name.as_str(), "第二检察部");
    rt().block_on(w.app.open_measure(&w.office, &input("第一检察部"))).expect("the office opens for any");
}

/// Issue 12 item 18: implausible dates are refused in deliberations and measures, naming the field;
/// nothing is written.
#[test]
fn deliberations_and_measures_refuse_implausible_dates() {
    use liaison_core::Localized;
    let w = World::new();
    for day in ["0001-01-01", "9999-12-31", "1901-03-01", "2099-03-01"] {
        let e = rt()
            .block_on(w.app.open_deliberation(
                &w.office,
                &DeliberationInput { session: "市人代会".into(), opens_on: day.into() },
            ))
            .unwrap_err();
        assert!(
            e.zh().contains("opens_on") || e.field_errors().iter().any(|f| f.field == "opens_on"),
            "{day}: {e:?}"
        );
        let e = rt()
            .block_on(w.app.open_measure(
                &w.office,
                &MeasureInput {
                    title: "规范听证程序".into(),
                    description: "逐案公开听证".into(),
                    owner: "第一检察部".into(),
                    deadline: day.into(),
                    opinion: Some("听证应当公开".into()),
                    deputies: vec![w.deputies[0].0.clone()],
                    ..Default::default()
                },
            ))
            .unwrap_err();
        assert!(
            e.zh().contains("deadline") || e.field_errors().iter().any(|f| f.field == "deadline"),
            "{day}: {e:?}"
        );
    }
    assert!(w.app.deliberations(&w.office).unwrap().is_empty(), "nothing written");
    assert!(w.app.measures(&w.office, None, None).unwrap().is_empty(), "nothing written");
    let d = rt()
        .block_on(w.app.open_deliberation(
            &w.office,
            &DeliberationInput { session: "市人代会".into(), opens_on: "2026-03-01".into() },
        ))
        .unwrap();
    let e = rt()
        .block_on(w.app.deliberation_action(
            &w.office,
            &d.deliberation.id.to_string(),
            None,
            DeliberationAction::Attend {
                group: "第一组".into(),
                on: "2099-03-02".into(),
                staff: vec!["王检察官".into()],
            },
        ))
        .unwrap_err();
    assert!(e.zh().contains("（on）"), "{e:?}");
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
    let id = d.deliberation.id;
    let act =
        |a: DeliberationAction| rt().block_on(w.app.deliberation_action(&w.office, &id.to_string(), None, a));
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
    // The annual report's annex names each opinion with what became of it: the suggestion it was turned
    // into, with that item's lead department and class; the measure.
    let year = chrono::Datelike::year(&liaison_core::dates::china_date(w.app.now()));
    let req = crate::report::ReportRequest { year: Some(year), ..Default::default() };
    let r = w.app.annual_report(&w.office, &req).unwrap();
    let opinions: Vec<_> = r.annex.iter().filter(|a| a.kind == "审议意见").collect();
    assert_eq!(opinions.len(), 2, "{opinions:?}");
    assert_eq!(
        (opinions[0].department.as_str(), &*opinions[0].class),
        ("第一检察部", liaison_core::suggestion::AnswerClass::A.zh())
    );
    assert!(opinions[0].outcome.contains(&format!("作为建议 {number} 办理")), "{}", opinions[0].outcome);
    assert!(opinions[1].outcome.contains("作为改进措施办理") && opinions[1].department.is_empty());
    assert!(r.annex.iter().any(|a| a.kind == "建议" && a.number == number));
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

/// The other rules (R2–R6), the channels and the guarantees, on the same world.
mod activity_answers;
mod agenda;
mod deputy_messages;
/// Issue 17: the messages the events queue and the worker that delivers them.
mod drafts;
mod login_links;
mod messages;
mod workflows;

/// Issue 11, item 9: a suggestion received on `-0001-01-01` was accepted and afterwards every list answered
/// 500. Implausible days are refused naming the field; and a stored record that cannot be read is reported
/// apart while the rest of the list is served.
#[test]
fn absurd_dates_are_refused_and_one_unreadable_record_never_takes_a_list_down() {
    let w = World::new();
    let file_on = |on: &str| {
        let input = SuggestionInput {
            title: "关于加强未成年人检察工作的建议".into(),
            content: "建议在各乡镇设立未成年人保护联络点。".into(),
            source: "闭会期间".into(),
            received_on: Some(on.into()),
            deputies: w.deputies.iter().map(|(id, _)| id.clone()).collect(),
        };
        rt().block_on(w.app.file_suggestion(&w.office, &input, None))
    };
    for (on, code) in [
        ("-0001-01-01", "implausible_date"),
        ("0001-01-01", "implausible_date"),
        ("9999-12-31", "implausible_date"),
        ("2026-03-03", "implausible_date"),
        ("2000-01-01", "implausible_date"),
    ] {
        let e = file_on(on).unwrap_err();
        let fe = e.field_errors();
        assert_eq!(
            fe.iter().map(|f| (f.field.as_str(), f.code)).collect::<Vec<_>>(),
            [("received_on", code)],
            "{on}"
        );
    }
    assert_eq!(
        w.app.suggestions(&w.office, &Default::default(), None, 50).unwrap().items.len(),
        0,
        "nothing was filed"
    );
    let good = w.file();
    w.file();
    // Damage one stored record: the list serves the other and names the damaged one.
    let t = w.office.tenant.clone();
    let id = good.suggestion.id.to_string();
    let rows =
        liaison_store::read(w.app.store(), |q| q.records(&t, "suggestion", &Default::default())).unwrap();
    let r = rows.into_iter().find(|r| r.id == id).unwrap();
    liaison_store::write_blocking(w.app.store(), move |tx: &mut dyn liaison_store::WriteTx| {
        let row = liaison_store::RecordRow {
            number: r.number.clone(),
            version: r.version + 1,
            ..liaison_store::RecordRow::plain(
                "suggestion",
                &r.id,
                0,
                &r.status,
                chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                r#"{"id": "damaged"#.into(),
                sg_at(),
            )
        };
        tx.update_record(&t, &row, r.version)
    })
    .unwrap();
    let page = w.app.suggestions(&w.office, &Default::default(), None, 50).unwrap();
    assert_eq!((page.items.len(), page.unreadable.len()), (1, 1));
    assert_eq!(page.unreadable[0].id, id);
    assert!(w.app.due_list(&w.office, None, None, false).is_ok(), "the due list is served too");
    w.state_edited(&id, "state");
}

/// Issue 11, item 16: a deadline in a year whose schedule is not published says that it is provisional,
/// in the item's view and in the due list; one in a published year does not.
#[test]
fn deadlines_in_an_unpublished_year_say_they_are_provisional() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    let v = w.assign(&key, &[]);
    let answer = v.obligations.iter().find(|o| o.kind == "answer").unwrap();
    assert_eq!((answer.due.to_string().as_str(), answer.provisional.as_deref()), ("2026-06-02", None));
    w.days(250);
    let key = w.file().suggestion.id.to_string();
    let v = w.assign(&key, &[]);
    let answer = v.obligations.iter().find(|o| o.kind == "answer").unwrap();
    assert!(answer.due.to_string().starts_with("2027-"), "{answer:?}");
    assert_eq!(
        answer.provisional.as_deref(),
        Some("假定2027年：仅法定节假日，未含调休；2027年节假日安排公布后期限可能调整")
    );
    w.days(85);
    let due = w.app.due_list(&w.office, None, None, false).unwrap();
    assert!(due.iter().any(|d| d.due.to_string().starts_with("2027-") && d.provisional.is_some()), "{due:?}");
}

/// Issue 11, item 8, through the use cases: a handler of another department is refused; the office
/// re-assigns with a reason (the deadline stays) and the new department handles it; the department asks for
/// an extension, which is the leader's duty until decided; a rerouted item stays on the due list until its
/// outcome is recorded and the deputies are told.
#[test]
fn corrections_are_recorded_and_followed_until_done() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    let v = w.assign(&key, &[]);
    let deadline = v.suggestion.assignment.as_ref().unwrap().deadline;
    let reassign = |handler: &str| SuggestionAction::Reassign {
        lead: "第二检察部".into(),
        co_handlers: vec![],
        handler: handler.into(),
        reason: "主办部门有误".into(),
    };
    assert_eq!(w.act(&w.office, &key, reassign("dept1")).unwrap_err().code(), "input.invalid");
    assert!(matches!(w.act(&w.dept, &key, reassign("dept2")), Err(AppError::Forbidden { .. })));
    let v = w.ok(&w.office, &key, reassign("dept2"));
    let a = v.suggestion.assignment.as_ref().unwrap();
    assert_eq!((a.lead.name.as_str(), a.deadline), ("第二检察部", deadline), "the deadline stays");
    assert_eq!(v.suggestion.reassignments[0].reason.as_str(), "主办部门有误");
    // The first department no longer acts on it; the second does.
    let ask = SuggestionAction::RequestExtension {
        until: "2026-08-31".into(),
        reason: "涉及多部门协调".into(),
    };
    assert!(w.act(&w.dept, &key, ask.clone()).is_err());
    w.ok(&w.other_dept, &key, ask);
    let due = w.app.due_list(&w.office, None, None, false).unwrap();
    assert!(due.iter().any(|d| d.owed == "extension_decision"), "{due:?}");
    let v = w.ok(&w.leader, &key, SuggestionAction::DeclineExtension { reason: "理由不充分".into() });
    assert!(v.suggestion.extension_request.is_none() && v.suggestion.extensions_declined.len() == 1);
    // Rerouted: the outcome, then telling the deputies, are duties until done.
    let c = w.file().suggestion.id.to_string();
    w.ok(
        &w.office,
        &c,
        SuggestionAction::Reroute {
            ground: "具体案件".into(), notice: "已转控告申诉检察部".into()
        },
    );
    let owed = |w: &World| {
        w.app.due_list(&w.office, None, None, false).unwrap().into_iter().map(|d| d.owed).collect::<Vec<_>>()
    };
    w.days(55);
    assert!(owed(&w).contains(&"petition_outcome".to_owned()), "{:?}", owed(&w));
    assert_eq!(
        w.act(&w.office, &c, SuggestionAction::RerouteTold { notice: "x".into() }).unwrap_err().code(),
        "suggestion.no_reroute_outcome"
    );
    w.ok(&w.office, &c, SuggestionAction::RerouteOutcome { outcome: "已依法审查答复".into() });
    assert!(owed(&w).contains(&"petition_notice".to_owned()));
    w.ok(&w.office, &c, SuggestionAction::RerouteTold { notice: "已电话告知代表".into() });
    assert!(!owed(&w).iter().any(|o| o.starts_with("petition")));
}

/// Issue 11, item 16: the running answer deadlines that assumed 2027 are recomputed once its schedule is
/// loaded — listed first with a dry run, then written, each recorded on its item — and every deadline says
/// how it was computed.
#[test]
fn deadlines_are_recomputed_when_a_newer_schedule_is_loaded() {
    let w = World::new();
    w.days(253); // 2026-11-10
    let key = w.file().suggestion.id.to_string();
    let v = w.assign(&key, &[]);
    let due = v.suggestion.assignment.as_ref().unwrap().deadline;
    assert_eq!(due.to_string(), "2027-02-10");
    assert!(v.deadline_basis.as_deref().is_some_and(|b| b.contains("假定2027年")), "{:?}", v.deadline_basis);
    assert!(
        rt().block_on(w.app.recompute_deadlines(&w.office, false)).unwrap().is_empty(),
        "nothing moved yet"
    );
    let mut text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/cn-holidays.toml")).unwrap();
    text.push_str(
        "\n[2027]\nsource = \"test\"\nholidays = [ { name = \"春节\", from = \"2027-02-05\", to = \"2027-02-11\" } ]\nworkdays = [\"2027-02-14\"]\n",
    );
    let newer = w.app.clone().with_calendar(crate::calendar::from_toml(&text).unwrap());
    assert!(matches!(
        rt().block_on(newer.recompute_deadlines(&w.dept, true)),
        Err(AppError::Forbidden { .. })
    ));
    let planned = rt().block_on(newer.recompute_deadlines(&w.office, true)).unwrap();
    assert_eq!(
        planned.iter().map(|c| (c.from.to_string(), c.to.to_string())).collect::<Vec<_>>(),
        [("2027-02-10".to_owned(), "2027-02-12".to_owned())]
    );
    assert_eq!(
        w.app.suggestion(&w.office, &key).unwrap().suggestion.assignment.unwrap().deadline,
        due,
        "a dry run writes nothing"
    );
    let done = rt().block_on(newer.recompute_deadlines(&w.office, false)).unwrap();
    assert_eq!(done, planned);
    let v = newer.suggestion(&w.office, &key).unwrap();
    assert_eq!(v.suggestion.assignment.as_ref().unwrap().deadline.to_string(), "2027-02-12");
    assert!(
        v.deadline_basis.as_deref().is_some_and(|b| !b.contains("假定") && b.contains("春节")),
        "{:?}",
        v.deadline_basis
    );
    let history = newer.suggestion_history(&w.office, &key).unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.reason.as_deref()),
        ("suggestion.deadline_recomputed", Some("节假日安排更新，重新计算答复期限"))
    );
    for bad in ["0d", "99999d", "61m", "3y"] {
        let e = newer.explain_deadline("2027-01-25", bad).unwrap_err();
        assert_eq!(
            e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
            ["period"],
            "{bad}"
        );
    }
    let x = newer.explain_deadline("2027-01-25", "10d").unwrap();
    assert_eq!(
        x.basis.due.to_string(),
        "2027-02-14",
        "10 working days across the published Spring Festival, Sunday 14th a make-up day"
    );
    assert!(x.note_zh.contains("春节") && !x.note_zh.contains("假定"), "{}", x.note_zh);
}

/// Issue 12 item 6: a rating link is a deputy's credential. Only the liaison office issues them; a new issue
/// revokes the deputy's earlier unused link (only the latest works), and the trail records who issued and
/// what was revoked.
#[test]
fn only_the_office_issues_links_and_a_new_issue_revokes_the_earlier_ones() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "before");
    w.answer(&key, "A").unwrap();
    for p in [&w.dept, &w.leader, &w.deputies[0].1] {
        let e = rt().block_on(w.app.resend_feedback_links(p, &key, None)).unwrap_err();
        assert_eq!(e.code(), "auth.forbidden", "{e:?}");
        // The refusal says what was refused in words, its code after it.
        assert_eq!(
            liaison_core::Localized::zh(&e),
            "无权执行此操作：签发代表评价链接（仅联络室；再次签发即作废旧链接）（issue_links）"
        );
    }
    let first = rt().block_on(w.app.issue_feedback_links_for_tests(&w.office, &key)).unwrap();
    let second = rt().block_on(w.app.issue_feedback_links_for_tests(&w.office, &key)).unwrap();
    assert!(!first.is_empty() && first.len() == second.len());
    for (a, b) in first.iter().zip(&second) {
        let (old, new) = (a.path.trim_start_matches("/feedback/"), b.path.trim_start_matches("/feedback/"));
        assert!(
            matches!(w.app.feedback_form(old), Err(AppError::NotFound { .. })),
            "the earlier link is dead"
        );
        let said = liaison_core::Localized::zh(&w.app.feedback_form(old).unwrap_err());
        assert!(said.contains("已被联络室新签发的链接取代"), "the deputy is told what happened: {said}");
        assert!(w.app.feedback_form(new).is_ok(), "the latest link works");
    }
    let history = w.app.suggestion_history(&w.office, &key).unwrap();
    let issues: Vec<_> = history.iter().filter(|h| h.kind == "suggestion.feedback_links_issued").collect();
    assert_eq!(issues.len(), 2);
    assert!(issues.iter().all(|h| h.actor.contains("office")), "{issues:?}");
    assert_eq!(issues[0].payload["revoked"].as_array().unwrap().len(), 0);
    assert_eq!(
        issues[1].payload["revoked"].as_array().unwrap().len(),
        first.len(),
        "{:?}",
        issues[1].payload
    );
}

/// A change's reason is a sentence or two for the trail: past 500 characters it is refused, naming
/// `reason`, and nothing changes; 500 are accepted.
#[test]
fn a_reason_longer_than_the_limit_is_refused_and_changes_nothing() {
    let w = World::new();
    let s = w.file();
    let key = s.suggestion.id.to_string();
    let assign = || SuggestionAction::Assign {
        lead: "第一检察部".into(),
        co_handlers: vec![],
        handler: "dept1".into(),
    };
    let long = "因".repeat(crate::runner::REASON_MAX_CHARS + 1);
    let e = rt().block_on(w.app.suggestion_action(&w.office, &key, None, assign(), Some(long))).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["reason"]);
    let zh = liaison_core::Localized::zh(&e);
    assert!(zh.contains("500"), "{zh}");
    assert!(w.app.suggestion(&w.office, &key).unwrap().suggestion.assignment.is_none(), "nothing assigned");
    let enough = "因".repeat(crate::runner::REASON_MAX_CHARS);
    rt().block_on(w.app.suggestion_action(&w.office, &key, None, assign(), Some(enough))).unwrap();
}
