//! Tests of the activity workflow: given/when/then for every step and refusal, the stable names and codes
//! (issue 22: the workflow was tested only through the app, so the core's own faults went uncaught).

use uuid::Uuid;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn dep(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}
fn l(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}
fn s(text: &str) -> ShortText {
    ShortText::parse(text).unwrap()
}

const TODAY: &str = "2026-04-10";
const ON: &str = "2026-04-20";

/// An open day on 20 April 2026 for two city deputies, drawn by proportional lottery.
fn given() -> Activity {
    let levels = [DeputyLevel::City].into();
    let selection = Selection::Lottery { proportional: true };
    let (a, e) = Activity::plan(
        crate::ids::ActivityId(uuid::Uuid::from_u128(0xa1)),
        ActivityKind::OpenDay,
        s("检察开放日"),
        d(ON),
        s("本院"),
        2,
        levels,
        selection,
    )
    .unwrap();
    assert_eq!(e, ActivityEvent::Planned { activity: Box::new(a.clone()) });
    a
}
fn when_on(a: &mut Activity, c: ActivityCommand, today: &str) -> Result<Vec<ActivityEvent>, ActivityError> {
    let before = a.clone();
    match a.decide(c, d(today)) {
        Ok(es) => {
            for e in &es {
                a.apply(e);
            }
            Ok(es)
        }
        Err(e) => {
            assert_eq!(*a, before, "a refusal changes nothing");
            Err(e)
        }
    }
}
fn when(a: &mut Activity, c: ActivityCommand) -> Result<Vec<ActivityEvent>, ActivityError> {
    when_on(a, c, TODAY)
}
/// Four city deputies, never chosen.
fn pool() -> Pool {
    let cands: Vec<Candidate> = (1..=4)
        .map(|n| Candidate { deputy: dep(n), level: DeputyLevel::City, times_chosen: 0, last_chosen: None })
        .collect();
    strata(&cands, 2, Selection::Lottery { proportional: true })
}
fn commit(pool: Pool, earlier: Option<&str>) -> ActivityCommand {
    ActivityCommand::Commit {
        pool,
        earlier: earlier.map(Into::into),
        fingerprint: "fp".into(),
        promise: SeedPromise::Committed { commitment: "c0ffee".into(), reason: None },
    }
}
fn draw(earlier: Option<&str>) -> ActivityCommand {
    ActivityCommand::Draw {
        seed: [9; 32],
        reveal: Reveal::Seed { seed_hash: "C0FFEE".into() },
        earlier: earlier.map(Into::into),
    }
}
fn drawn() -> Activity {
    let mut a = given();
    when(&mut a, commit(pool(), None)).unwrap();
    when(&mut a, draw(None)).unwrap();
    a
}
fn illegal(status: ActivityStatus, command: &'static str) -> Result<Vec<ActivityEvent>, ActivityError> {
    Err(ActivityError::IllegalTransition { status, command })
}

#[test]
fn an_activity_is_planned_committed_drawn_held_and_commented_on() {
    let mut a = given();
    assert_eq!(
        (a.version, a.status, a.status.code(), a.status.zh()),
        (1, ActivityStatus::Planned, "planned", "计划")
    );
    assert_eq!(a.matter(), "activity:open_day:2026-04-20:2:city:lottery");
    assert!(a.eligible(DeputyLevel::City) && !a.eligible(DeputyLevel::County));

    let es = when(&mut a, commit(pool(), None)).unwrap();
    assert_eq!(es.iter().map(ActivityEvent::kind).collect::<Vec<_>>(), ["activity.committed"]);
    assert_eq!((a.version, a.status.code(), a.status.zh()), (2, "committed", "已公布抽签承诺"));
    let record = a.draw.clone().unwrap();
    assert_eq!(
        (record.fingerprint.as_str(), record.seed.clone(), record.strata),
        ("fp", None, pool().strata)
    );

    let es = when(&mut a, draw(None)).unwrap();
    assert_eq!(es.iter().map(ActivityEvent::kind).collect::<Vec<_>>(), ["activity.drawn"]);
    assert_eq!((a.version, a.status.code(), a.status.zh()), (3, "selected", "已选定"));
    let expected = lottery::draw_pool(&pool(), &[9; 32]).unwrap();
    assert_eq!(a.participants.iter().map(ToString::to_string).collect::<Vec<_>>(), expected);
    assert_eq!(a.participants.len(), 2);
    let record = a.draw.clone().unwrap();
    assert_eq!(
        (record.seed, record.public_value, record.drawn),
        (Some(lottery::seed_hex(&[9; 32])), None, expected)
    );
    let (p0, p1) = (a.participants[0], a.participants[1]);
    let outsider = (1..=4).map(dep).find(|x| !a.participants.contains(x)).unwrap();

    // Held: not before the day (the day before is refused, the day itself accepted), participants only.
    let hold = |who: &[DeputyId]| ActivityCommand::Hold { attended: who.iter().copied().collect() };
    assert_eq!(when(&mut a, hold(&[p0])), Err(ActivityError::NotYet(d(ON))));
    assert_eq!(when_on(&mut a, hold(&[p0]), "2026-04-19"), Err(ActivityError::NotYet(d(ON))));
    assert_eq!(when_on(&mut a, hold(&[p0, outsider]), ON), Err(ActivityError::NotAParticipant(outsider)));
    let es = when_on(&mut a, hold(&[p0]), ON).unwrap();
    assert_eq!(es.iter().map(ActivityEvent::kind).collect::<Vec<_>>(), ["activity.held"]);
    assert_eq!((a.version, a.status.code(), a.status.zh()), (4, "held", "已举办"));
    assert_eq!(a.attended, [p0].into());

    // Feedback from participants only, attended or not.
    let feedback = |who, text: &str| ActivityCommand::Feedback { deputy: who, text: l(text) };
    assert_eq!(when(&mut a, feedback(outsider, "x")), Err(ActivityError::NotAParticipant(outsider)));
    let es = when(&mut a, feedback(p1, "建议多安排庭审观摩")).unwrap();
    assert_eq!(es.iter().map(ActivityEvent::kind).collect::<Vec<_>>(), ["activity.feedback_given"]);
    assert_eq!((a.version, a.feedback.get(&p1)), (5, Some(&l("建议多安排庭审观摩"))));
    // Held is final.
    assert_eq!(
        when(&mut a, ActivityCommand::Cancel { reason: l("x") }),
        illegal(ActivityStatus::Held, "cancel")
    );
    assert_eq!(when(&mut a, hold(&[p0])), illegal(ActivityStatus::Held, "hold"));
}

#[test]
fn each_step_only_in_its_status() {
    let mut a = given();
    assert_eq!(when(&mut a, draw(None)), illegal(ActivityStatus::Planned, "draw"));
    let hold = ActivityCommand::Hold { attended: BTreeSet::new() };
    assert_eq!(when(&mut a, hold.clone()), illegal(ActivityStatus::Planned, "hold"));
    let feedback = ActivityCommand::Feedback { deputy: dep(1), text: l("x") };
    assert_eq!(when(&mut a, feedback.clone()), illegal(ActivityStatus::Planned, "record feedback on"));
    when(&mut a, commit(pool(), None)).unwrap();
    assert_eq!(when(&mut a, commit(pool(), None)), illegal(ActivityStatus::Committed, "commit the draw of"));
    assert_eq!(when(&mut a, hold.clone()), illegal(ActivityStatus::Committed, "hold"));
    let mut a = drawn();
    assert_eq!(when(&mut a, draw(None)), illegal(ActivityStatus::Selected, "draw"));
    assert_eq!(when(&mut a, feedback), illegal(ActivityStatus::Selected, "record feedback on"));
    // Cancelled from any status before it is held, once.
    for mut a in [given(), drawn()] {
        let es = when(&mut a, ActivityCommand::Cancel { reason: l("场地不可用") }).unwrap();
        assert_eq!(es.iter().map(ActivityEvent::kind).collect::<Vec<_>>(), ["activity.cancelled"]);
        assert_eq!(
            (a.status.code(), a.status.zh(), a.cancelled.clone()),
            ("cancelled", "已取消", Some(l("场地不可用")))
        );
        assert_eq!(
            when(&mut a, ActivityCommand::Cancel { reason: l("x") }),
            illegal(ActivityStatus::Cancelled, "cancel")
        );
    }
    let e = ActivityError::IllegalTransition { status: ActivityStatus::Held, command: "cancel" };
    assert_eq!(
        (e.code(), e.zh().as_str()),
        ("activity.illegal_transition", "活动当前状态为“已举办”，不能执行此操作")
    );
    assert_eq!(e.en(), "cannot cancel an activity whose status is held");
}

#[test]
fn no_seats_no_candidates_and_broken_promises_are_refused() {
    let levels = BTreeSet::new();
    let selection = Selection::Rotation;
    let e = Activity::plan(
        crate::ids::ActivityId(uuid::Uuid::from_u128(0xa0)),
        ActivityKind::Forum,
        s("座谈"),
        d(ON),
        s("本院"),
        0,
        levels.clone(),
        selection,
    )
    .unwrap_err();
    assert_eq!((e.clone(), e.code(), e.is_input()), (ActivityError::NoSeats, "activity.no_seats", true));
    let (open, _) = Activity::plan(
        crate::ids::ActivityId(uuid::Uuid::from_u128(0xa0)),
        ActivityKind::Forum,
        s("座谈"),
        d(ON),
        s("本院"),
        1,
        levels,
        selection,
    )
    .unwrap();
    assert!(DeputyLevel::ALL.iter().all(|l| open.eligible(*l)), "no levels named: every level");
    assert_eq!(open.matter(), "activity:forum:2026-04-20:1::rotation");

    let mut a = given();
    // A pool with no seat, or with shares that do not fit its strata.
    let empty = strata(&[], 2, Selection::Lottery { proportional: true });
    assert_eq!(when(&mut a, commit(empty, None)), Err(ActivityError::NoCandidates));
    let mut bad = pool();
    bad.shares = Some(Apportionment { step: 0, groups: vec![] });
    let e = when(&mut a, commit(bad, None)).unwrap_err();
    assert_eq!((e.code(), e.is_input()), ("activity.no_candidates", false));
    // A public value published on or before the day the pool is fixed.
    let public = |on: &str| ActivityCommand::Commit {
        pool: pool(),
        earlier: None,
        fingerprint: "fp".into(),
        promise: SeedPromise::Public { source: s("福利彩票"), published_on: d(on) },
    };
    let e = when(&mut a, public(TODAY)).unwrap_err();
    assert_eq!(
        (e.clone(), e.code()),
        (SeedError::PublishedTooEarly(d(TODAY)).into(), "activity.public_value_too_early")
    );
    when(&mut a, public("2026-04-11")).unwrap();
    // … drawn from it only once it is published.
    let reveal = |today| {
        let c = ActivityCommand::Draw {
            seed: [7; 32],
            reveal: Reveal::PublicValue { value: s("03 15 22") },
            earlier: None,
        };
        when_on(&mut a.clone(), c, today)
    };
    let e = reveal(TODAY).unwrap_err();
    assert_eq!(
        (e.clone(), e.code()),
        (SeedError::NotYetPublished(d("2026-04-11")).into(), "activity.public_value_not_yet")
    );
    let es = reveal("2026-04-11").unwrap();
    assert!(matches!(&es[0], ActivityEvent::Drawn { public_value: Some(v), .. } if *v == s("03 15 22")));
    // A committed seed whose hash does not match.
    let mut c = given();
    when(&mut c, commit(pool(), None)).unwrap();
    let wrong = ActivityCommand::Draw {
        seed: [9; 32],
        reveal: Reveal::Seed { seed_hash: "bad".into() },
        earlier: None,
    };
    let e = when(&mut c, wrong).unwrap_err();
    assert_eq!((e.clone(), e.code()), (ActivityError::Seed(SeedError::Mismatch), "activity.seed_mismatch"));
    assert!(!e.is_input());
}

/// Issue 11, item 4, in the core: an activity planned again after an earlier one's draw was committed
/// commits and draws only once a leader approved, once.
#[test]
fn planning_again_needs_one_approval_before_the_commitment_and_the_draw() {
    let approve = |earlier: Option<&str>| ActivityCommand::ApproveReplan {
        by: "王检察长".into(),
        reason: l("原定场地不可用"),
        earlier: earlier.map(Into::into),
    };
    let (mut a, e) = given().replanning("a0".into());
    assert_eq!(e, ActivityEvent::Planned { activity: Box::new(a.clone()) });
    assert_eq!(when(&mut a, commit(pool(), None)), Err(ActivityError::ReplanNotApproved("a0".into())));
    let es = when(&mut a, approve(None)).unwrap();
    assert_eq!(
        es,
        [ActivityEvent::ReplanApproved {
            by: "王检察长".into(),
            reason: l("原定场地不可用"),
            on: d(TODAY),
            of: Some("a0".into())
        }]
    );
    assert_eq!(es[0].kind(), "activity.replan_approved");
    let approval =
        lottery::ReplanApproval {
            by: "王检察长".into(), reason: "原定场地不可用".into(), on: d(TODAY)
        };
    assert_eq!(a.replan, Some(lottery::Replan { of: "a0".into(), approval: Some(approval.clone()) }));
    let e = when(&mut a, approve(None)).unwrap_err();
    assert_eq!((e.clone(), e.code()), (ActivityError::AlreadyApproved, "activity.already_approved"));
    when(&mut a, commit(pool(), Some("a0"))).unwrap();
    when(&mut a, draw(Some("a0"))).unwrap();
    assert_eq!(a.status, ActivityStatus::Selected);

    // Not a re-plan: nothing to approve, unless the other activity is named; then the same rule.
    let mut b = given();
    let e = when(&mut b, approve(None)).unwrap_err();
    assert_eq!((e.clone(), e.code()), (ActivityError::NotAReplan, "activity.not_a_replan"));
    let e = when(&mut b, commit(pool(), Some("a9"))).unwrap_err();
    assert_eq!(
        (e.clone(), e.code()),
        (ActivityError::ReplanNotApproved("a9".into()), "activity.replan_not_approved")
    );
    when(&mut b, approve(Some("a9"))).unwrap();
    let approval = lottery::ReplanApproval { on: d(TODAY), ..approval };
    assert_eq!(b.replan, Some(lottery::Replan { of: "a9".into(), approval: Some(approval) }));
    // A draw that learns of the other activity only at the draw needs the approval too.
    let mut c = given();
    when(&mut c, commit(pool(), None)).unwrap();
    assert_eq!(when(&mut c, draw(Some("a8"))), Err(ActivityError::ReplanNotApproved("a8".into())));
    assert_eq!(
        when(&mut c, approve(Some("a8"))),
        illegal(ActivityStatus::Committed, "approve planning again")
    );
    when(&mut c, draw(None)).unwrap();
    // Folding an approval that names nothing changes nothing but the version.
    let mut d0 = given();
    let before = d0.clone();
    d0.apply(&ActivityEvent::ReplanApproved { by: "x".into(), reason: l("x"), on: d(TODAY), of: None });
    assert_eq!(d0, Activity { version: 2, ..before });
}

#[test]
fn the_other_codes_and_the_planned_event_are_pinned() {
    let e = ActivityError::NotYet(d(ON));
    assert_eq!(
        (e.code(), e.is_input(), e.zh().as_str()),
        ("activity.not_yet", false, "2026-04-20 之前不能记录为已举办")
    );
    let e = ActivityError::NotAParticipant(dep(1));
    assert_eq!(e.code(), "activity.not_a_participant");
    assert_eq!(ActivityError::NoCandidates.zh(), "登记簿中没有符合条件的代表");
    let (_, planned) = given().replanning("a0".into());
    assert_eq!(planned.kind(), "activity.planned");
}

fn answer(who: DeputyId, a: ActivityAnswer) -> ActivityCommand {
    ActivityCommand::Answer { deputy: who, answer: a, recorded_by: None }
}
fn decline(why: &str) -> ActivityAnswer {
    ActivityAnswer::Declined { reason: l(why) }
}

#[test]
fn a_participant_confirms_or_declines_until_the_day_before() {
    let mut a = drawn();
    let (p0, p1) = (a.participants[0], a.participants[1]);
    let outsider = (1..=4).map(dep).find(|x| !a.participants.contains(x)).unwrap();
    assert_eq!(a.answer_by(), d("2026-04-19"));

    // Only a participant answers.
    assert_eq!(
        when(&mut a, answer(outsider, ActivityAnswer::Confirmed)),
        Err(ActivityError::NotAParticipant(outsider))
    );
    // Confirm; the same answer again is refused.
    let es = when(&mut a, answer(p0, ActivityAnswer::Confirmed)).unwrap();
    assert_eq!(es.iter().map(ActivityEvent::kind).collect::<Vec<_>>(), ["activity.answered"]);
    assert_eq!(
        a.answer_of(p0),
        Some(&ActivityReply { answer: ActivityAnswer::Confirmed, on: d(TODAY), recorded_by: None })
    );
    assert_eq!(a.version, 4);
    assert_eq!(
        when(&mut a, answer(p0, ActivityAnswer::Confirmed)),
        Err(ActivityError::AlreadyAnswered("confirmed"))
    );
    // Change of mind: a decline with its reason frees the seat; the draw's participants stay as drawn.
    let by_phone =
        ActivityCommand::Answer {
            deputy: p0, answer: decline("出差"), recorded_by: Some("李联络".into())
        };
    when_on(&mut a, by_phone, "2026-04-12").unwrap();
    assert_eq!(
        a.answer_of(p0).map(|r| (r.on, r.recorded_by.as_deref())),
        Some((d("2026-04-12"), Some("李联络")))
    );
    assert_eq!(a.free_seats(), 1);
    assert_eq!(a.participants.len(), 2);
    let again = when(&mut a, answer(p0, decline("另有安排")));
    assert_eq!(again, Err(ActivityError::AlreadyAnswered("declined")));
    assert_eq!(again.unwrap_err().zh(), "已答复不能参加，无须重复提交");
    // The day before is the last day; on the day it is closed.
    when_on(&mut a, answer(p1, ActivityAnswer::Confirmed), "2026-04-19").unwrap();
    let late = when_on(&mut a, answer(p0, ActivityAnswer::Confirmed), ON);
    assert_eq!(late, Err(ActivityError::AnswersClosed(d("2026-04-19"))));
    let e = late.unwrap_err();
    assert_eq!((e.code(), e.is_input()), ("activity.answers_closed", false));
    assert_eq!(e.zh(), "参加确认截至活动前一日（2026-04-19），现在不能再答复或更改");

    // Held: the one who declined cannot be recorded as attending.
    let hold = |who: &[DeputyId]| ActivityCommand::Hold { attended: who.iter().copied().collect() };
    let e = when_on(&mut a, hold(&[p0, p1]), ON);
    assert_eq!(e, Err(ActivityError::DeclinedSeat(p0)));
    assert_eq!(e.unwrap_err().code(), "activity.declined_seat");
    when_on(&mut a, hold(&[p1]), ON).unwrap();
    // After it was held, nobody answers.
    assert_eq!(
        when_on(&mut a, answer(p1, decline("x")), "2026-04-12"),
        illegal(ActivityStatus::Held, "answer for")
    );
}

#[test]
fn answers_only_after_the_draw_and_before_it_ends() {
    let mut a = given();
    assert_eq!(
        when(&mut a, answer(dep(1), ActivityAnswer::Confirmed)),
        illegal(ActivityStatus::Planned, "answer for")
    );
    when(&mut a, commit(pool(), None)).unwrap();
    assert_eq!(
        when(&mut a, answer(dep(1), ActivityAnswer::Confirmed)),
        illegal(ActivityStatus::Committed, "answer for")
    );
    let mut a = drawn();
    let p0 = a.participants[0];
    when(&mut a, ActivityCommand::Cancel { reason: l("天气原因") }).unwrap();
    assert_eq!(
        when(&mut a, answer(p0, ActivityAnswer::Confirmed)),
        illegal(ActivityStatus::Cancelled, "answer for")
    );
}

#[test]
fn the_answer_serialises_with_stable_words() {
    let mut a = drawn();
    let p0 = a.participants[0];
    when(&mut a, answer(p0, decline("出差"))).unwrap();
    let json = serde_json::to_value(&a.responses).unwrap();
    assert_eq!(
        json[p0.to_string()],
        serde_json::json!({"answer": "declined", "reason": "出差", "on": TODAY})
    );
    let e = ActivityEvent::Answered {
        deputy: p0,
        answer: ActivityAnswer::Confirmed,
        on: d(TODAY),
        recorded_by: None,
    };
    let text = serde_json::to_string(&e).unwrap();
    assert_eq!(text, format!(r#"{{"type":"answered","deputy":"{p0}","answer":"confirmed","on":"{TODAY}"}}"#));
    assert_eq!(serde_json::from_str::<ActivityEvent>(&text).unwrap(), e);
    assert_eq!((ActivityAnswer::Confirmed.code(), ActivityAnswer::Confirmed.zh()), ("confirmed", "确认参加"));
    assert_eq!(decline("x").zh(), "不能参加");
    // A record stored before answers existed reads as one with none.
    let mut old = serde_json::to_value(given()).unwrap();
    old.as_object_mut().unwrap().remove("responses");
    assert!(serde_json::from_value::<Activity>(old).unwrap().responses.is_empty());
}
