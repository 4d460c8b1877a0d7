//! Issue 17 item 7: a deputy drawn for an activity confirms or declines it, as themselves only; staff record
//! an answer given by telephone with a note; a decline needs its reason and tells the liaison office; a
//! refusal writes nothing; the deputy reads the draw's public record.

use liaison_core::access::Role;

use super::*;

/// An open day on 2026-03-10 with two seats among the three deputies, drawn; its id and the drawn.
fn drawn(w: &World) -> (String, Vec<String>) {
    let input = ActivityInput {
        kind: "检察开放日".into(),
        title: "走进检察院".into(),
        on: "2026-03-10".into(),
        place: "本院".into(),
        seats: 2,
        levels: vec![],
        selection: "lottery".into(),
    };
    let id = rt().block_on(w.app.plan_activity(&w.office, &input)).unwrap().activity.id.to_string();
    let act = |a: ActivityAction| rt().block_on(w.app.activity_action(&w.office, &id, None, a)).unwrap();
    let prepare = ActivityAction::Prepare {
        public_source: None,
        published_on: None,
        secret_seed_reason: Some("测试".into()),
    };
    let seed = act(prepare).seed.unwrap();
    let drawn = act(ActivityAction::Draw { seed: Some(seed), public_value: None }).activity.participants;
    (id, drawn.iter().map(ToString::to_string).collect())
}

fn principal<'a>(w: &'a World, deputy: &str) -> &'a Principal {
    &w.deputies.iter().find(|(d, _)| d == deputy).unwrap().1
}

fn answer(answer: &str, reason: &str) -> ActivityAnswerInput {
    ActivityAnswerInput { answer: answer.into(), reason: reason.into(), ..Default::default() }
}

fn of_kind(w: &World, kind: &str) -> Vec<MessageView> {
    let all = w.app.messages(&w.office, &MessageFilter { limit: Some(1000), ..Default::default() }).unwrap();
    all.into_iter().filter(|m| m.kind == kind).collect()
}

fn version(w: &World, id: &str) -> u64 {
    w.app.activity(&w.office, id).unwrap().version
}

#[test]
fn a_drawn_deputy_confirms_and_declines_only_their_own_seat() {
    let w = World::new();
    let (id, drawn) = drawn(&w);
    let outsider = w.deputies.iter().find(|(d, _)| !drawn.contains(d)).unwrap().1.clone();
    let (me, other) = (principal(&w, &drawn[0]), principal(&w, &drawn[1]));
    let run = |p: &Principal, i: &ActivityAnswerInput| rt().block_on(w.app.answer_activity(p, &id, None, i));

    // My activities: the one I was drawn for, open until the day before.
    let mine = w.app.my_activities(me).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].title.as_str(), mine[0].answer_by.to_string(), mine[0].open),
        ("走进检察院", "2026-03-09".into(), true)
    );
    assert!(mine[0].reply.is_none() && mine[0].by_lot);
    assert!(w.app.my_activities(&outsider).unwrap().is_empty());
    assert!(w.app.my_activities(&w.office).is_err(), "staff have no seat of their own");

    // The one not drawn cannot answer: the activity is not theirs to see.
    let v0 = version(&w, &id);
    let e = run(&outsider, &answer("confirm", "")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // A decline without its reason names the field; a made-up answer too; nothing written.
    let e = run(me, &answer("decline", "  ")).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "reason");
    let e = run(me, &answer("maybe", "")).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "answer");
    assert_eq!(version(&w, &id), v0, "nothing written");

    // I confirm; the same again is refused; I change my mind with a reason.
    let v = run(me, &answer("confirm", "")).unwrap();
    assert!(v.people.is_empty(), "a deputy is not shown the others' labels");
    let e = run(me, &answer("confirm", "")).unwrap_err();
    assert_eq!(e.code(), "activity.already_answered");
    assert!(of_kind(&w, "activity.declined").is_empty(), "a confirmation tells nobody");
    let v = run(me, &answer("decline", "当天需出席人代会专题调研")).unwrap();
    let mine_id = DeputyId::parse(&drawn[0]).unwrap();
    let reply = v.activity.responses.get(&mine_id).unwrap();
    assert_eq!(reply.answer.code(), "declined");
    assert_eq!(reply.recorded_by, None);
    assert_eq!(v.activity.free_seats(), 1);
    // The office is told, by name, with the reason.
    let told = of_kind(&w, "activity.declined");
    assert_eq!(told.len(), 1, "{told:?}");
    rt().block_on(w.app.deliver_due(&Channels::standard(&w.app), 100)).unwrap();
    let office_inbox = w.app.inbox(&w.office, false).unwrap();
    let m = office_inbox.iter().find(|m| m.kind == "activity.declined").unwrap();
    let name = w.app.deputy(&w.office, mine_id).unwrap().name.to_string();
    assert!(m.body.contains(&name) && m.body.contains("人代会专题调研"), "{}", m.body);
    assert!(!m.body.contains(&drawn[0]), "by name, never by id");
    // The other participant is untouched, and I cannot answer for them.
    let v1 = version(&w, &id);
    let for_other = ActivityAnswerInput { deputy: drawn[1].clone(), ..answer("confirm", "") };
    assert_eq!(run(me, &for_other).unwrap_err().kind(), ErrorKind::Forbidden);
    assert_eq!(version(&w, &id), v1, "nothing written");
    assert!(!v.activity.responses.contains_key(&DeputyId::parse(&drawn[1]).unwrap()));
    let mine_again = w.app.my_activities(other).unwrap();
    assert!(mine_again[0].reply.is_none());

    // The audit says who and why.
    let auditor = Principal { roles: vec![Role::Auditor], ..w.office.clone() };
    let f = crate::trail::AuditFilter { limit: Some(10_000), ..Default::default() };
    let trail = w.app.audit_records(&auditor, &f).unwrap().items;
    let answered: Vec<_> = trail.iter().filter(|r| r.kind == "activity.answered").collect();
    assert_eq!(answered.len(), 2);
    let last = serde_json::to_string(answered.last().unwrap()).unwrap();
    assert!(last.contains("人代会专题调研") && last.contains("dep"), "{last}");

    // The day itself: closed.
    w.days(8);
    let e = run(other, &answer("confirm", "")).unwrap_err();
    assert_eq!(e.code(), "activity.answers_closed");
    assert!(!w.app.my_activities(other).unwrap()[0].open);
}

#[test]
fn staff_record_an_answer_given_by_telephone_with_a_note() {
    let w = World::new();
    let (id, drawn) = drawn(&w);
    let outsider = w.deputies.iter().find(|(d, _)| !drawn.contains(d)).unwrap().0.clone();
    let run = |p: &Principal, i: &ActivityAnswerInput| rt().block_on(w.app.answer_activity(p, &id, None, i));
    let by_phone = |deputy: &str, note: &str| ActivityAnswerInput {
        answer: "decline".into(),
        reason: "出差".into(),
        deputy: deputy.into(),
        note: note.into(),
    };
    let v0 = version(&w, &id);
    // The note is required; the deputy must be a participant; a department may not.
    let e = run(&w.office, &by_phone(&drawn[0], "")).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["note"]);
    let e = run(&w.office, &by_phone("", "")).unwrap_err();
    assert_eq!(e.field_errors().len(), 2);
    let e = run(&w.office, &by_phone(&outsider, "电话告知")).unwrap_err();
    assert_eq!(e.code(), "activity.not_a_participant");
    assert_eq!(run(&w.dept, &by_phone(&drawn[0], "电话告知")).unwrap_err().kind(), ErrorKind::Forbidden);
    // A stale version is refused.
    let stale =
        rt().block_on(w.app.answer_activity(&w.office, &id, Some(v0 - 1), &by_phone(&drawn[0], "电话告知")));
    assert_eq!(stale.unwrap_err().kind(), ErrorKind::Stale);
    assert_eq!(version(&w, &id), v0, "nothing written");

    let v = rt()
        .block_on(w.app.answer_activity(&w.office, &id, Some(v0), &by_phone(&drawn[0], "3月3日电话告知")))
        .unwrap();
    let reply = v.activity.responses.get(&DeputyId::parse(&drawn[0]).unwrap()).unwrap();
    assert_eq!(reply.recorded_by.as_deref(), Some("office用户"));
    assert!(!v.people.is_empty(), "staff see the participants by name");
    // The deputy sees who recorded it, and may still change it.
    let me = principal(&w, &drawn[0]);
    assert_eq!(
        w.app.my_activities(me).unwrap()[0].reply.as_ref().unwrap().recorded_by.as_deref(),
        Some("office用户")
    );
    rt().block_on(w.app.answer_activity(me, &id, None, &answer("confirm", ""))).unwrap();
}

#[test]
fn a_deputy_of_the_pool_reads_the_draws_public_record_verified() {
    let w = World::new();
    let (id, drawn) = drawn(&w);
    let me = principal(&w, &drawn[0]);
    let d = w.app.my_activity_draw(me, &id).unwrap();
    assert!(d.verification.ok, "{:?}", d.verification);
    assert_eq!(d.draw.drawn, drawn);
    assert_eq!(d.my_place, Some(1));
    let not_drawn = &w.deputies.iter().find(|(x, _)| !drawn.contains(x)).unwrap().1;
    let d = w.app.my_activity_draw(not_drawn, &id).unwrap();
    assert_eq!(d.my_place, None);
    assert!(w.app.my_activity_draw(&w.office, &id).is_err());
    assert_eq!(w.app.my_activity_draw(me, "nope").unwrap_err().kind(), ErrorKind::NotFound);
}
