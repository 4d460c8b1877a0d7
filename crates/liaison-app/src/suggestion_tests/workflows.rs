//! Use-case tests of the other institutional rules (R2–R6), the channels and the guarantees, on the world of
//! the suggestion tests.

use std::collections::{BTreeMap, BTreeSet};

use liaison_core::Localized;

use super::*;

/// An account that is both in the office and a leader drafts a notice: another leader approves it, not
/// the drafter (two people for every notice).
#[test]
fn the_drafter_of_a_notice_does_not_approve_it() {
    let w = World::new();
    let both = Principal {
        roles: vec![liaison_core::access::Role::Office, liaison_core::access::Role::Leader],
        ..w.leader.clone()
    };
    let input = NoticeInput {
        title: "关于开展公益诉讼专项监督活动的通报".into(),
        content: "本院将于二季度开展专项监督。".into(),
        scope: "all".into(),
        values: vec![],
        deputies: vec![],
        channel: "书面".into(),
    };
    let n = rt().block_on(w.app.draft_notice(&both, &input)).unwrap();
    let id = n.notice.id.to_string();
    let e = rt().block_on(w.app.notice_action(&both, &id, None, NoticeAction::Approve {})).unwrap_err();
    assert_eq!(e.code(), "notice.self_approval");
    assert!(e.zh().contains("不能审批自己起草的通报"), "{}", e.zh());
    assert_eq!(
        w.app.notice(&w.office, &id).unwrap().notice.status,
        liaison_core::notice::NoticeStatus::Draft
    );
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
    let id = n.notice.id;
    let act =
        |p: &Principal, a: NoticeAction| rt().block_on(w.app.notice_action(p, &id.to_string(), None, a));
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
    assert!(matches!(w.app.notice(&w.deputies[0].1, &id.to_string()), Err(AppError::NotFound { .. })));
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
    // A deputy sees only its own part of a notice addressed to many (issue 12, item 5).
    assert_eq!(
        v.notice.recipients.keys().map(ToString::to_string).collect::<Vec<_>>(),
        [w.deputies[2].0.clone()]
    );
    let mine = w.app.notice(&w.deputies[1].1, &id.to_string()).unwrap();
    assert_eq!(mine.notice.recipients.len(), 1);
    assert!(w.app.notices(&w.deputies[1].1, None).unwrap().iter().all(|n| n.notice.recipients.len() == 1));
    let v = w.app.notice(&w.office, &id.to_string()).unwrap();
    assert_eq!((v.recipients, v.delivered, v.acknowledged, v.responded), (2, 1, 2, 1));
    assert!(v.people.values().all(|p| !p.name.is_empty()) && v.people.len() == 2, "recipients by name");
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
    assert!(matches!(
        rt().block_on(w.app.adopt_plan(&w.office, "2026", None)),
        Err(AppError::Forbidden { .. })
    ));
    rt().block_on(w.app.adopt_plan(&w.leader, "2026", None)).unwrap();
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
    let act = |a: MeetingAction| rt().block_on(w.app.meeting_action(&w.office, &m.id.to_string(), None, a));
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
        &m.id.to_string(),
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
    let act = |p: &Principal, a: NominationAction| {
        rt().block_on(w.app.nomination_action(p, &n.id.to_string(), None, a))
    };
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
    let id = r.review.id;
    let act =
        |p: &Principal, a: ReviewAction| rt().block_on(w.app.review_action(p, &id.to_string(), None, a));
    act(&w.office, ReviewAction::Recuse { deputy: supervisors[0].clone(), reason: "与被害人系同事".into() })
        .unwrap();
    assert_eq!(
        act(
            &w.office,
            ReviewAction::Prepare {
                count: 2,
                public_source: None,
                published_on: None,
                secret_seed_reason: Some("测试：保密种子".into())
            }
        )
        .unwrap_err()
        .code(),
        "review.too_few_participants"
    );
    assert_eq!(
        act(
            &w.office,
            ReviewAction::Prepare {
                count: 5,
                public_source: None,
                published_on: None,
                secret_seed_reason: Some("测试：保密种子".into())
            }
        )
        .unwrap_err()
        .code(),
        "review.pool_too_small"
    );
    let prepared = act(
        &w.office,
        ReviewAction::Prepare {
            count: 3,
            public_source: None,
            published_on: None,
            secret_seed_reason: Some("测试：保密种子".into()),
        },
    )
    .unwrap();
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
    let v = w.app.verify_draw(&w.office, &id.to_string()).unwrap();
    assert!(v.ok && v.draw_matches && v.fingerprint_matches && v.commitment_matches, "{v:?}");
    // Issue 11, item 5: a conflict found after the draw: the participant is recused, the next one the same
    // stream draws takes the place, and the record (published whole) still verifies.
    let out = drawn.review.participants[0].to_string();
    let drawn =
        act(&w.office, ReviewAction::Recuse { deputy: out.clone(), reason: "发现与犯罪嫌疑人系亲属".into() })
            .unwrap();
    let rec = drawn.review.draw.clone().unwrap();
    assert_eq!((rec.replacements.len(), rec.replacements[0].out.as_str()), (1, out.as_str()));
    assert!(!drawn.review.participants.iter().any(|p| p.to_string() == out));
    assert_eq!(drawn.review.participants.len(), 3);
    assert!(pool.contains(&rec.replacements[0].replacement), "the replacement comes from the same pool");
    assert!(w.app.verify_draw(&w.office, &id.to_string()).unwrap().ok);
    assert!(crate::verify_published(&serde_json::to_string(&drawn.review).unwrap()).unwrap().ok);
    assert_eq!(
        act(&w.office, ReviewAction::Recuse { deputy: out.clone(), reason: "x".into() }).unwrap_err().code(),
        "review.not_a_participant"
    );
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
    // Issue 11, item 4: the same case planned again after its draw was committed waits for a leader.
    let again = rt()
        .block_on(w.app.register_review(
            &w.office,
            &ReviewInput {
                case_ref: "榕检刑不诉〔2026〕12号".into(),
                kind: "拟不起诉案件".into(),
                summary: "再次评议".into(),
            },
        ))
        .unwrap();
    assert_eq!(again.review.replan.as_ref().map(|r| r.of.as_str()), Some(id.to_string().as_str()));
    let act2 = |p: &Principal, a: ReviewAction| {
        rt().block_on(w.app.review_action(p, &again.review.id.to_string(), None, a))
    };
    let prepare = || ReviewAction::Prepare {
        count: 3,
        public_source: None,
        published_on: None,
        secret_seed_reason: Some("测试：保密种子".into()),
    };
    assert_eq!(act2(&w.office, prepare()).unwrap_err().code(), "review.replan_not_approved");
    assert!(matches!(
        act2(&w.office, ReviewAction::ApproveReplan { reason: "x".into() }),
        Err(AppError::Forbidden { .. })
    ));
    let ok = act2(&w.leader, ReviewAction::ApproveReplan { reason: "原评议人员多人回避，需重新抽选".into() })
        .unwrap();
    assert_eq!(ok.review.replan.unwrap().approval.unwrap().reason, "原评议人员多人回避，需重新抽选");
    act2(&w.office, prepare()).unwrap();
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
    let mut r = w.app.review(&w.office, &id.to_string()).unwrap();
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
    let prepared = act(
        &a1.to_string(),
        ActivityAction::Prepare {
            public_source: None,
            published_on: None,
            secret_seed_reason: Some("测试：保密种子".into()),
        },
    )
    .unwrap();
    let seed = prepared.seed.unwrap();
    assert_eq!(
        act(&a1.to_string(), ActivityAction::Draw { seed: Some("11".repeat(32)), public_value: None })
            .unwrap_err()
            .code(),
        "activity.seed_mismatch"
    );
    let drawn = act(&a1.to_string(), ActivityAction::Draw { seed: Some(seed.clone()), public_value: None })
        .unwrap()
        .activity;
    assert_eq!(drawn.participants.len(), 6);
    assert!(w.app.verify_activity_draw(&w.office, &a1.to_string()).unwrap().ok);
    // Issue 11, item 2: the published record is bound whole; any edit fails and names the field.
    let published = serde_json::to_value(&drawn).unwrap();
    assert!(crate::verify_published(&published.to_string()).unwrap().ok);
    let edited = |path: &[&str], value: serde_json::Value| {
        let mut v = published.clone();
        let mut at = &mut v;
        for k in &path[..path.len() - 1] {
            at = if let Ok(i) = k.parse::<usize>() { &mut at[i] } else { &mut at[*k] };
        }
        let last = path[path.len() - 1];
        match last.parse::<usize>() {
            Ok(i) => at[i] = value,
            Err(_) => at[last] = value,
        }
        let r = crate::verify_published(&v.to_string()).unwrap();
        assert!(!r.ok, "{path:?} edited still verifies");
        r.problems.iter().map(|p| p.field.clone()).collect::<Vec<_>>()
    };
    assert_eq!(edited(&["seats"], 7.into()), ["seats"]);
    assert_eq!(edited(&["levels"], serde_json::json!(["county"])), ["levels"]);
    assert_eq!(
        edited(&["selection"], serde_json::json!({"by": "lottery", "proportional": false})),
        ["selection"]
    );
    assert_eq!(edited(&["on"], "2026-03-03".into()), ["on"]);
    let other = published["participants"][1].clone();
    assert_eq!(edited(&["participants", "0"], other), ["participants"]);
    assert_eq!(edited(&["draw", "strata", "0", "quota"], 9.into()), ["strata", "drawn", "seats"]);
    assert_eq!(edited(&["draw", "commitment"], "00".into()), ["strata", "seed"]);
    assert_eq!(edited(&["draw", "format"], 1.into()), ["strata"]);
    let first = published["draw"]["drawn"][0].clone();
    assert_eq!(edited(&["draw", "drawn", "1"], first), ["drawn", "participants"]);
    assert_eq!(
        act(&a1.to_string(), ActivityAction::Draw { seed: Some(seed), public_value: None })
            .unwrap_err()
            .code(),
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
        &a1.to_string(),
        ActivityAction::Hold {
            attended: drawn.participants.iter().take(5).map(ToString::to_string).collect(),
        },
    )
    .unwrap();
    // A second activity prefers those not chosen yet: the 6 others.
    let a2 = plan("检察开放日（二）", "2026-03-02", 6, "lottery");
    let seed = act(
        &a2.to_string(),
        ActivityAction::Prepare {
            public_source: None,
            published_on: None,
            secret_seed_reason: Some("测试：保密种子".into()),
        },
    )
    .unwrap()
    .seed
    .unwrap();
    let second =
        act(&a2.to_string(), ActivityAction::Draw { seed: Some(seed), public_value: None }).unwrap().activity;
    assert!(
        second.participants.iter().all(|d| !drawn.participants.contains(d)),
        "lottery and rotation combine"
    );
    // Fairness counts attendance (issue 11, item 3): everyone was drawn once, 5 + 6 attended; the seats
    // drawn are reported apart; the plan's progress counts held activities.
    act(
        &a2.to_string(),
        ActivityAction::Hold { attended: second.participants.iter().map(ToString::to_string).collect() },
    )
    .unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let f = w.app.fairness(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert_eq!((f.participations, f.seats_drawn, f.cancelled_draws), (11, 12, 0));
    assert!(f.by_level.iter().filter(|x| x.deputies > 0).all(|x| x.drawn == x.deputies));
    assert_eq!(f.by_level.iter().map(|x| x.attended).sum::<u32>(), 11);
    assert_eq!(f.gini_permille, 83, "11 of 12 attended once: Σ(2i−n−1)x/(n·Σx) = 11/132");
    let cov = w.app.coverage(&w.office).unwrap();
    assert_eq!(cov.participation_this_year.iter().map(|l| l.covered).sum::<u64>(), 11);
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
    let seed = act(
        &a3.to_string(),
        ActivityAction::Prepare {
            public_source: None,
            published_on: None,
            secret_seed_reason: Some("测试：保密种子".into()),
        },
    )
    .unwrap()
    .seed
    .unwrap();
    assert_eq!(
        act(&a3.to_string(), ActivityAction::Draw { seed: Some(seed), public_value: None })
            .unwrap()
            .activity
            .participants
            .len(),
        3
    );
    assert_eq!(
        act(&a3.to_string(), ActivityAction::Feedback { deputy: w.deputies[0].0.clone(), text: "x".into() })
            .unwrap_err()
            .code(),
        "activity.illegal_transition"
    );
    // Issue 11, item 4: no redraw until it pleases. An activity cancelled after its draw was committed
    // counts in the fairness report, and the same matter (kind and day) planned again waits for a leader.
    let public = |on: &str| ActivityAction::Prepare {
        public_source: Some("中国福利彩票双色球第2026030期开奖号码".into()),
        published_on: Some(on.into()),
        secret_seed_reason: None,
    };
    let a4 = plan("检察开放日（三）", "2026-04-15", 2, "lottery");
    act(&a4.to_string(), public("2026-03-05")).unwrap();
    act(&a4.to_string(), ActivityAction::Cancel { reason: "场地冲突".into() }).unwrap();
    let f = w.app.fairness(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert_eq!(f.cancelled_draws, 1);
    let a5 = plan("检察开放日（三，改期前）", "2026-04-15", 2, "lottery");
    let v = w.app.activity(&w.office, &a5.to_string()).unwrap();
    assert_eq!(v.replan.as_ref().map(|r| r.of.as_str()), Some(a4.to_string().as_str()));
    assert_eq!(
        act(&a5.to_string(), public("2026-03-05")).unwrap_err().code(),
        "activity.replan_not_approved"
    );
    let approve = ActivityAction::ApproveReplan { reason: "场地改定，经批准重新安排".into() };
    assert!(
        matches!(act(&a5.to_string(), approve.clone()), Err(AppError::Forbidden { .. })),
        "a leader approves"
    );
    rt().block_on(w.app.activity_action(&w.leader, &a5.to_string(), None, approve)).unwrap();
    act(&a5.to_string(), public("2026-03-05")).unwrap();
    let other_day = plan("检察开放日（四）", "2026-04-16", 2, "lottery");
    assert!(w.app.activity(&w.office, &other_day.to_string()).unwrap().replan.is_none(), "another matter");
    // Two planned for one matter before either was cancelled (the walk's bypass): the second cannot fix
    // its draw while the first's is committed, nor draw once the first is cancelled, without a leader.
    let c1 = plan("视察（一）", "2026-04-20", 2, "lottery");
    let c2 = plan("视察（二）", "2026-04-20", 2, "lottery");
    act(&c1.to_string(), public("2026-03-05")).unwrap();
    let e = act(&c2.to_string(), public("2026-03-05")).unwrap_err();
    assert_eq!(e.code(), "activity.replan_not_approved");
    // The first is committed, not cancelled: the message does not say it was (the README's walk).
    let zh = liaison_core::Localized::zh(&e);
    assert!(zh.contains("尚未抽签") && !zh.contains("已在公布抽签承诺后取消"), "{zh}");
    rt().block_on(w.app.activity_action(
        &w.leader,
        &c2.to_string(),
        None,
        ActivityAction::ApproveReplan { reason: "上午、下午各一场，经批准".into() },
    ))
    .unwrap();
    act(&c2.to_string(), public("2026-03-05")).unwrap();
    assert_eq!(w.app.activity(&w.office, &c2.to_string()).unwrap().replan.unwrap().of, c1.to_string());
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
            &r.review.id.to_string(),
            None,
            ReviewAction::Prepare {
                count: 3,
                public_source: None,
                published_on: None,
                secret_seed_reason: Some("测试：保密种子".into()),
            },
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
    w.add_officer("林晓");
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
    rt().block_on(w.app.revoke_card(&w.office, &card.number, None, "代表调离")).unwrap();
    assert_eq!(
        rt().block_on(w.app.revoke_card(&w.office, &card.number, None, "again")).unwrap_err().code(),
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
        rt().block_on(w.app.service_step(&w.office, &s.id.to_string(), None, "检察简报", true))
            .unwrap_err()
            .code(),
        "service.wrong_kind"
    );
    rt().block_on(w.app.service_step(&w.office, &s.id.to_string(), None, "已协调解决", false)).unwrap();
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
        rt().block_on(w.app.service_step(&w.office, &sub.id.to_string(), None, "2026年第1期", true))
            .unwrap()
            .deliveries
            .len(),
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
        rt().block_on(w.app.respond_solicitation(
            &w.office,
            &so.id.to_string(),
            None,
            &w.deputies[0].0,
            "x",
            true
        ))
        .unwrap_err()
        .code(),
        "solicitation.not_a_recipient"
    );
    let so = rt()
        .block_on(w.app.respond_solicitation(
            &w.office,
            &so.id.to_string(),
            None,
            &w.deputies[1].0,
            "加强检察公开",
            true,
        ))
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
        let seed = act(
            &id.to_string(),
            ActivityAction::Prepare {
                public_source: None,
                published_on: None,
                secret_seed_reason: Some("测试：保密种子".into()),
            },
        )
        .unwrap()
        .seed
        .unwrap();
        let chosen = act(&id.to_string(), ActivityAction::Draw { seed: Some(seed), public_value: None })
            .unwrap()
            .activity
            .participants;
        assert_eq!(chosen.len(), 4);
        assert!(chosen.iter().all(|d| allowed.contains(d)), "round {round}: {chosen:?} outside {allowed:?}");
        let distinct: BTreeSet<&DeputyId> = chosen.iter().collect();
        assert_eq!(distinct.len(), chosen.len());
        assert!(w.app.verify_activity_draw(&w.office, &id.to_string()).unwrap().ok);
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
    let act = |a: ActivityAction| rt().block_on(w.app.activity_action(&w.office, &id.to_string(), None, a));
    let prepare = |source: Option<&str>, on: Option<String>| ActivityAction::Prepare {
        public_source: source.map(str::to_owned),
        published_on: on,
        secret_seed_reason: None,
    };
    // Issue 11, item 4: the public value is the default: neither it nor a reason for a secret seed is
    // refused, naming the field.
    let e = act(prepare(None, None)).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["public_source"]);
    // Both or neither; a value known today could steer the pool: refused, nothing written.
    let e = act(prepare(Some("双色球第2026138期开奖号码"), None)).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["published_on"]);
    let e = act(prepare(Some("双色球第2026138期开奖号码"), Some(today.to_string()))).unwrap_err();
    assert_eq!(e.code(), "activity.public_value_too_early");
    assert_eq!(w.app.activity(&w.office, &id.to_string()).unwrap().version, 1);
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
    let v = w.app.verify_activity_draw(&w.office, &id.to_string()).unwrap();
    assert!(v.ok && v.seed_source == "public", "{v:?}");
    // The seed is the hash of the value: a record whose value was changed afterwards no longer verifies.
    let mut forged = rec.clone();
    forged.public_value = Some("03 08 15 21 27 33 + 10".into());
    let f = crate::draw::verify(Some(&forged));
    assert!(!f.commitment_matches && !f.ok);
}

#[test]
fn appointment_windows_follow_the_deployment_policy() {
    let w = World::new();
    w.add_leader("张明", "检察长");
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

/// Issue 11 item 14: a rectification deadline in the past, or a schedule in an implausible year, is
/// refused as bad input naming the field, and nothing is written.
#[test]
fn an_inspection_refuses_past_deadlines_and_implausible_dates() {
    let w = World::new();
    let plan = |from: &str| InspectionInput {
        kind: "评议".into(),
        title: "公益诉讼工作评议".into(),
        organiser_ref: "市人大常委会〔2026〕5号".into(),
        from: from.into(),
        to: "2026-03-03".into(),
        participants: vec![w.deputies[1].0.clone()],
        materials: vec![],
        items: vec!["办案质效".into()],
    };
    let e = rt().block_on(w.app.plan_inspection(&w.office, &plan("1926-03-01"))).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("inspection.implausible_date", ErrorKind::Invalid));
    assert!(e.zh().contains("开始日期"), "{}", e.zh());
    assert!(w.app.inspections(&w.office).unwrap().is_empty());
    let id = rt().block_on(w.app.plan_inspection(&w.office, &plan("2026-03-01"))).unwrap().inspection.id;
    rt().block_on(w.app.inspection_action(&w.office, &id.to_string(), None, InspectionAction::Hold {}))
        .unwrap();
    let rectify = |deadline: &str| InspectionAction::Rectify {
        title: "加强释法说理".into(),
        owner: "第一检察部".into(),
        deadline: deadline.into(),
    };
    // Today is 2026-03-02 in the world.
    let e = rt()
        .block_on(w.app.inspection_action(&w.office, &id.to_string(), None, rectify("2026-03-01")))
        .unwrap_err();
    assert_eq!((e.code(), e.kind()), ("inspection.deadline_in_past", ErrorKind::Invalid));
    assert!(e.zh().contains("整改期限") && e.zh().contains("2026-03-01"), "{}", e.zh());
    let v = w.app.inspection(&w.office, &id.to_string()).unwrap();
    assert!(v.inspection.rectifications.is_empty());
    let v = rt()
        .block_on(w.app.inspection_action(&w.office, &id.to_string(), None, rectify("2026-03-02")))
        .unwrap();
    assert_eq!(v.inspection.rectifications.len(), 1);
}

/// Issue 11 item 11: a contribution counts only the deputy's own work (no point for a rerouted
/// case-specific opinion, none for being visited); one nomination per deputy and period; a deputy who
/// left office is refused by name.
#[test]
fn contributions_count_own_work_only_and_a_deputy_is_nominated_once_per_period() {
    let w = World::new();
    let rerouted = w.file_by(&[&w.deputies[0].0]);
    w.ok(
        &w.office,
        &rerouted,
        SuggestionAction::Reroute {
            ground: "具体案件".into(), notice: "已转控告申诉检察部依法处理".into()
        },
    );
    rt().block_on(w.app.record_visit(
        &w.office,
        &VisitInput {
            deputy: w.deputies[1].0.clone(),
            on: "2026-03-01".into(),
            place: "工作单位".into(),
            staff: vec!["联络员林晓".into()],
            notes: "了解履职情况".into(),
            issues: vec![],
        },
    ))
    .unwrap();
    w.file_by(&[&w.deputies[2].0]);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let list = w.app.contributions(&w.office, d("2026-01-01"), d("2026-12-31")).unwrap();
    let total = |i: usize| {
        list.iter().find(|c| c.deputy.deputy.to_string() == w.deputies[i].0).map(|c| c.total).unwrap()
    };
    assert_eq!((total(0), total(1), total(2)), (0, 0, 5), "rerouted and visited earn nothing");
    let input = |i: usize, from: &str, to: &str| NominationInput {
        deputy: w.deputies[i].0.clone(),
        reasons: "积极建言献策".into(),
        from: from.into(),
        to: to.into(),
    };
    let n = rt().block_on(w.app.nominate(&w.office, &input(2, "2026-01-01", "2026-12-31"))).unwrap();
    let e = rt().block_on(w.app.nominate(&w.office, &input(2, "2026-03-01", "2026-12-31"))).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("nomination.already_nominated", ErrorKind::Conflict));
    assert!(e.zh().contains(&n.id.to_string()), "{}", e.zh());
    let e = rt().block_on(w.app.nominate(&w.office, &input(2, "1926-01-01", "2026-12-31"))).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("nomination.implausible_date", ErrorKind::Invalid));
    assert_eq!(w.app.nominations(&w.office).unwrap().len(), 1, "nothing written by the refusals");
    // A deputy who left office: the reason, with the deputy's name.
    let gone = liaison_core::ids::DeputyId::parse(&w.deputies[0].0).unwrap();
    let name = rt()
        .block_on(w.app.remove_deputy(
            &w.office,
            gone,
            None,
            d("2026-03-01"),
            liaison_core::registry::RemovalReason::Resigned,
            Some("本人辞职".into()),
        ))
        .unwrap()
        .name;
    let e = rt().block_on(w.app.nominate(&w.office, &input(0, "2026-01-01", "2026-12-31"))).unwrap_err();
    assert_eq!(e.code(), "nomination.not_in_office");
    assert!(e.zh().contains(&name) && e.zh().contains("不在任"), "{}", e.zh());
}

/// Issue 11 item 10: the same voucher is spent once; an expense entered in error is reversed by a new
/// entry (same permission as spending), once, never a reversal; the line gets its amount back.
#[test]
fn a_voucher_is_spent_once_and_an_expense_is_reversed_by_a_new_entry() {
    let w = World::new();
    let act = |p: &Principal, a: BudgetAction| rt().block_on(w.app.budget_action(p, 2026, None, a));
    act(&w.office, BudgetAction::Line { category: "会议".into(), amount: "10000".into() }).unwrap();
    act(&w.leader, BudgetAction::Adopt {}).unwrap();
    let spend = |reference: &str| BudgetAction::Spend {
        category: "会议".into(),
        amount: "4000".into(),
        purpose: "代表座谈会".into(),
        reference: reference.into(),
        on: None,
    };
    act(&w.office, spend("会字17号")).unwrap();
    let e = act(&w.office, spend("会字17号")).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("budget.duplicate_reference", ErrorKind::Conflict));
    assert!(e.zh().contains("第 1 笔"), "{}", e.zh());
    let reverse = |n: u32, reason: &str| BudgetAction::Reverse { n, reason: reason.into(), on: None };
    assert!(matches!(act(&w.dept, reverse(1, "重复报销")), Err(AppError::Forbidden { .. })));
    assert_eq!(act(&w.office, reverse(1, " ")).unwrap_err().field_errors()[0].field, "reason");
    let e = act(&w.office, BudgetAction::Reverse { n: 1, reason: "x".into(), on: Some("1999-01-01".into()) })
        .unwrap_err();
    assert_eq!((e.code(), e.kind()), ("budget.implausible_date", ErrorKind::Invalid));
    let v = act(&w.office, reverse(1, "重复报销")).unwrap();
    let x = &v.execution[0];
    assert_eq!((x.spent, x.reversed, x.reversals, x.available), (0, 400_000, 1, 1_000_000));
    assert_eq!(v.budget.lines.values().next().unwrap().expenses.len(), 2, "a new entry, the first kept");
    assert_eq!(act(&w.office, reverse(1, "再冲")).unwrap_err().code(), "budget.already_reversed");
    assert_eq!(act(&w.office, reverse(2, "再冲")).unwrap_err().code(), "budget.reversal_of_reversal");
    // The voucher, reversed, may be entered again (corrected).
    act(&w.office, spend("会字17号")).unwrap();
    assert_eq!(w.app.budget(&w.office, 2026).unwrap().execution[0].spent, 400_000);
}

impl World {
    pub(super) fn add_leader(&self, name: &str, title: &str) {
        rt().block_on(self.app.change_organisation(
            &self.office,
            OrgInput::AddLeader { name: name.into(), title: Some(title.into()) },
            None,
            None,
        ))
        .unwrap();
    }

    fn add_officer(&self, name: &str) {
        rt().block_on(self.app.change_organisation(
            &self.office,
            OrgInput::AddOfficer { name: name.into(), department: None, regions: vec![] },
            None,
            None,
        ))
        .unwrap();
    }
}

/// Issue 11 item 12: a card names an officer of the organisation and a real telephone number, and is
/// refused beside the deputy's active card (revoke it first); a refusal writes nothing.
#[test]
fn a_card_is_issued_to_a_real_officer_with_a_real_number_and_never_beside_an_active_one() {
    let w = World::new();
    w.add_officer("林晓");
    let issue = |officer: &str, telephone: &str| {
        rt().block_on(w.app.issue_card(
            &w.office,
            &CardInput {
                deputy: w.deputies[1].0.clone(),
                officer: officer.into(),
                telephone: telephone.into(),
            },
        ))
    };
    let e = issue("张三", "0591-12345678").unwrap_err();
    assert_eq!((e.code(), e.kind()), ("card.unknown_officer", ErrorKind::Invalid));
    assert!(e.zh().contains("张三"), "{}", e.zh());
    let e = issue("林晓", "abc").unwrap_err();
    assert_eq!((e.code(), e.kind()), ("card.invalid_telephone", ErrorKind::Invalid));
    assert!(w.app.cards(&w.office).unwrap().is_empty(), "refusals write nothing");
    let first = issue("林晓", "13800138000").unwrap();
    assert_eq!(first.number, "LK-2026-0001", "no number lost to the refusals");
    let e = issue("林晓", "0591-12345678").unwrap_err();
    assert_eq!((e.code(), e.kind()), ("card.active_card", ErrorKind::Conflict));
    assert!(e.zh().contains("LK-2026-0001") && e.zh().contains("请先注销"), "{}", e.zh());
    rt().block_on(w.app.revoke_card(&w.office, &first.number, None, "遗失")).unwrap();
    let second = issue("林晓", "0591-12345678").unwrap();
    assert_eq!((second.number.as_str(), second.telephone.as_str()), ("LK-2026-0002", "0591-12345678"));
}

/// Issue 11 item 13: the official is a person of the organisation — `张明` and `检察长张明` are one diary,
/// so they cannot be double-booked; a name nobody answers to is refused; a meeting set after its meet-by
/// day needs a reason and shows as late.
#[test]
fn an_appointment_is_with_a_person_of_the_organisation_and_late_scheduling_is_explained() {
    let w = World::new();
    w.add_leader("张明", "检察长");
    w.add_officer("林晓");
    let request = |i: usize, official: &str| {
        rt().block_on(w.app.request_appointment(
            &w.office,
            &AppointmentInput {
                deputy: w.deputies[i].0.clone(),
                official: official.into(),
                channel: "主动约见".into(),
                topic: "通报工作".into(),
            },
        ))
    };
    let e = request(0, "副检察长王五").unwrap_err();
    assert_eq!((e.code(), e.kind()), ("appointment.unknown_official", ErrorKind::Invalid));
    assert!(e.zh().contains("副检察长王五"), "{}", e.zh());
    assert!(w.app.appointments(&w.office, None).unwrap().is_empty(), "nothing written");
    let a = request(0, "检察长张明").unwrap();
    let b = request(1, "张明").unwrap();
    assert_eq!(a.official_id, b.official_id);
    assert_eq!(b.official.as_str(), "检察长张明");
    let officer = request(2, "林晓").unwrap();
    assert!(matches!(officer.official_id, Some(liaison_core::appointment::OfficialId::Officer(_))));
    let schedule = |id: &str, from: &str, to: &str, late_reason: Option<&str>| {
        rt().block_on(w.app.appointment_action(
            &w.office,
            id,
            None,
            AppointmentAction::Schedule {
                from: from.into(),
                to: to.into(),
                place: "接待室".into(),
                late_reason: late_reason.map(Into::into),
            },
        ))
    };
    // Today is 2026-03-02; met by 2026-03-16.
    let v = schedule(&a.id.to_string(), "2026-03-05 10:00", "2026-03-05 11:00", None).unwrap();
    assert!(!v.late);
    let e = schedule(&b.id.to_string(), "2026-03-05 10:30", "2026-03-05 11:30", None).unwrap_err();
    assert_eq!(e.code(), "appointment.clash", "one person, however written");
    assert_eq!(w.app.appointments(&w.office, Some("张明")).unwrap().len(), 2);
    // The deputy cannot be in two places either, and a start that has passed is refused (a user walk).
    let same_deputy = request(0, "林晓").unwrap();
    let e = schedule(&same_deputy.id.to_string(), "2026-03-05 10:30", "2026-03-05 11:30", None).unwrap_err();
    assert_eq!(e.code(), "appointment.clash", "the deputy's own appointment");
    let e = schedule(&same_deputy.id.to_string(), "2026-03-01 10:00", "2026-03-01 11:00", None).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("appointment.in_the_past", ErrorKind::Invalid));
    let e = schedule(&b.id.to_string(), "2026-03-17 10:00", "2026-03-17 11:00", None).unwrap_err();
    assert_eq!((e.code(), e.kind()), ("appointment.late_without_reason", ErrorKind::Invalid));
    assert!(e.zh().contains("2026-03-16"), "{}", e.zh());
    let e = schedule(&b.id.to_string(), "2099-03-17 10:00", "2099-03-17 11:00", Some("x")).unwrap_err();
    assert_eq!(e.code(), "appointment.implausible_date");
    let v =
        schedule(&b.id.to_string(), "2026-03-17 10:00", "2026-03-17 11:00", Some("检察长外出调研")).unwrap();
    assert!(v.late);
    assert_eq!(v.late_reason.as_ref().map(|r| r.as_str()), Some("检察长外出调研"));
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!((json["late"].as_bool(), json["late_reason"].as_str()), (Some(true), Some("检察长外出调研")));
}

/// Issue 11, item 15: one due list for every workflow — a suggestion's answer, an inspection's
/// rectification item, an appointment to acknowledge and a notice not yet acknowledged — each with its
/// owner and days left, filtered by kind and department; a department account sees its own only.
#[test]
fn everything_that_is_due_is_in_one_list() {
    let w = World::new();
    w.add_leader("张明", "检察长");
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    // An inspection's rectification item for 第二检察部, due in a week.
    let id = rt()
        .block_on(w.app.plan_inspection(
            &w.office,
            &InspectionInput {
                kind: "评议".into(),
                title: "公益诉讼工作评议".into(),
                organiser_ref: "市人大常委会〔2026〕5号".into(),
                from: "2026-03-01".into(),
                to: "2026-03-02".into(),
                participants: vec![w.deputies[1].0.clone()],
                materials: vec![],
                items: vec!["办案质效".into()],
            },
        ))
        .unwrap()
        .inspection
        .id;
    rt().block_on(w.app.inspection_action(&w.office, &id.to_string(), None, InspectionAction::Hold {}))
        .unwrap();
    let rectify = InspectionAction::Rectify {
        title: "加强释法说理".into(),
        owner: "第二检察部".into(),
        deadline: "2026-03-09".into(),
    };
    rt().block_on(w.app.inspection_action(&w.office, &id.to_string(), None, rectify)).unwrap();
    // An appointment to acknowledge.
    rt().block_on(w.app.request_appointment(
        &w.office,
        &AppointmentInput {
            deputy: w.deputies[2].0.clone(),
            official: "张明".into(),
            channel: "热线".into(),
            topic: "反映涉企案件办理情况".into(),
        },
    ))
    .unwrap();
    // A notice sent and not yet acknowledged.
    let n = rt()
        .block_on(w.app.draft_notice(
            &w.office,
            &NoticeInput {
                title: "关于开展公益诉讼专项监督活动的通报".into(),
                content: "本院将于二季度开展专项监督。".into(),
                scope: "level".into(),
                values: vec!["县".into()],
                deputies: vec![],
                channel: "书面".into(),
            },
        ))
        .unwrap();
    rt().block_on(w.app.notice_action(&w.leader, &n.notice.id.to_string(), None, NoticeAction::Approve {}))
        .unwrap();
    rt().block_on(w.app.notice_action(&w.office, &n.notice.id.to_string(), None, NoticeAction::Send {}))
        .unwrap();
    let all = w.app.due(&w.office, &DueFilter { within_days: Some(120), ..DueFilter::default() }).unwrap();
    let kinds: Vec<(&str, &str)> = all.iter().map(|d| (d.kind.as_str(), d.owed.as_str())).collect();
    for k in [
        ("suggestion", "answer"),
        ("inspection", "rectification"),
        ("appointment", "appointment_acknowledge"),
        ("notice", "notice_acknowledgement"),
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    let r = all.iter().find(|d| d.owed == "rectification").unwrap();
    assert_eq!((r.department.as_deref(), r.days_left), (Some("第二检察部"), 7));
    let a = all.iter().find(|d| d.kind == "appointment").unwrap();
    assert_eq!(a.handler.as_deref(), Some("检察长张明"));
    assert!(all.windows(2).all(|x| x[0].due <= x[1].due), "earliest first");
    let only = |f: DueFilter| {
        w.app
            .due(&w.office, &DueFilter { within_days: Some(120), ..f })
            .unwrap()
            .into_iter()
            .map(|d| d.owed)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        only(DueFilter { kind: Some("inspection".into()), ..DueFilter::default() }),
        ["rectification"]
    );
    assert_eq!(
        only(DueFilter { kind: Some("appointment_acknowledge".into()), ..DueFilter::default() }),
        ["appointment_acknowledge"],
        "a duty's own kind filters too"
    );
    let e =
        w.app.due(&w.office, &DueFilter { kind: Some("bogus".into()), ..DueFilter::default() }).unwrap_err();
    assert_eq!(
        e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["kind"],
        "a typo is no empty list"
    );
    assert_eq!(
        only(DueFilter { department: Some("第二检察部".into()), ..DueFilter::default() }),
        ["rectification"]
    );
    // A department account: its own department's duties only (dept1 works in 第一检察部).
    let mine = w.app.due(&w.dept, &DueFilter { within_days: Some(120), ..DueFilter::default() }).unwrap();
    assert!(
        !mine.is_empty() && mine.iter().all(|d| d.department.as_deref() == Some("第一检察部")),
        "{mine:?}"
    );
    assert!(
        w.app.due(&w.office, &DueFilter { overdue_only: true, ..DueFilter::default() }).unwrap().is_empty()
    );
}
