//! Given/when/then tests of every suggestion transition and refusal, the satisfaction policies, the
//! figures, improvement measures, and property tests driving random command sequences.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use uuid::Uuid;

use std::collections::BTreeSet;

use super::*;
use crate::calendar::WorkCalendar;
use crate::ids::{DepartmentId, DeputyId, MeasureId, SuggestionId, UserId};
use crate::registry::{DeputyLevel, LongText, PersonName, ShortText};

mod transfer;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn text(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}
fn deputy(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}
fn signer(n: u128, level: DeputyLevel) -> Signer {
    Signer {
        deputy: deputy(n),
        name: PersonName::parse(&format!("代表{}", "甲乙丙丁戊己庚辛".chars().nth(n as usize % 8).unwrap()))
            .unwrap(),
        level,
    }
}
fn dept(n: u128) -> DepartmentRef {
    DepartmentRef {
        id: DepartmentId(Uuid::from_u128(n)),
        name: ShortText::parse(&format!("第{n}检察部")).unwrap(),
    }
}
fn staff(n: u128) -> StaffRef {
    StaffRef { user: UserId(Uuid::from_u128(n)), name: format!("承办人{n}") }
}

/// A suggestion under test, its event log, the calendar and the day.
#[derive(Clone)]
struct World {
    s: Suggestion,
    log: Vec<SuggestionEvent>,
    today: NaiveDate,
    policy: SuggestionPolicy,
    cal: WorkCalendar,
}

impl World {
    /// Given a joint suggestion from deputies 1 (national), 2 (county), 3 (township), received on 2026-03-02.
    fn given() -> Self {
        let e = Suggestion::receive(
            ShortText::parse("关于加强未成年人检察工作的建议").unwrap(),
            text("建议在各乡镇设立未成年人保护联络点。"),
            Source::BetweenSessions,
            date("2026-03-02"),
            vec![
                signer(1, DeputyLevel::National),
                signer(2, DeputyLevel::County),
                signer(3, DeputyLevel::Township),
            ],
        )
        .unwrap();
        let s = Suggestion::from_received(SuggestionId(Uuid::from_u128(100)), &e).unwrap();
        let mut cal = WorkCalendar::new();
        cal.add_year(
            2026,
            "test",
            &[("劳动节".into(), date("2026-05-01"), date("2026-05-05"))],
            &[date("2026-05-09")],
        )
        .unwrap();
        Self { s, log: vec![e], today: date("2026-03-02"), policy: SuggestionPolicy::default(), cal }
    }

    fn on(mut self, d: &str) -> Self {
        self.today = date(d);
        self
    }

    fn when(&mut self, c: SuggestionCommand) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        let ctx = Ctx { today: self.today, policy: &self.policy, calendar: &self.cal };
        let before = self.s.clone();
        match self.s.decide(c, ctx) {
            Ok(es) => {
                for e in &es {
                    self.s.apply(e);
                }
                self.log.extend(es.iter().cloned());
                Ok(es)
            }
            Err(e) => {
                assert_eq!(self.s, before, "a refused command changed the state");
                Err(e)
            }
        }
    }

    fn ok(mut self, c: SuggestionCommand) -> Self {
        let name = c.name();
        if let Err(e) = self.when(c) {
            panic!("{name} refused: {e}");
        }
        self
    }

    fn registered(self) -> Self {
        self.ok(SuggestionCommand::Register { number: SuggestionNumber { year: 2026, seq: 1 } })
    }

    fn assigned(self, co: Vec<DepartmentRef>) -> Self {
        self.registered().ok(SuggestionCommand::Assign { lead: dept(1), co_handlers: co, handler: staff(7) })
    }

    fn contacted(self, phase: ContactPhase) -> Self {
        self.ok(SuggestionCommand::LogContact {
            phase,
            means: ContactMeans::Phone,
            deputies: vec![],
            summary: text("电话征求代表对办理的意见"),
        })
    }

    fn answered(self, class: AnswerClass, promised: Option<&str>) -> Self {
        self.ok(SuggestionCommand::Answer {
            class, text: text("答复内容"), promised_on: promised.map(date)
        })
    }

    fn rate(&mut self, n: u128, r: Satisfaction) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        let comment = (r == Satisfaction::Dissatisfied).then(|| text("未解决实际问题"));
        self.when(SuggestionCommand::Rate {
            deputy: deputy(n),
            rating: r,
            comment,
            channel: RatingChannel::OwnAccount,
        })
    }

    fn rated_all(mut self, r: [Satisfaction; 3]) -> Self {
        for (i, x) in r.into_iter().enumerate() {
            self.rate(i as u128 + 1, x).unwrap();
        }
        self
    }

    fn replays(&self) -> bool {
        Suggestion::replay(self.s.id, &self.log).as_ref() == Some(&self.s)
    }
}

use Satisfaction::{BasicallySatisfied as Basic, Dissatisfied as Bad, Satisfied as Good};
use SuggestionStatus as S;

#[test]
fn receipt_needs_distinct_co_signers() {
    let r = |p| {
        Suggestion::receive(ShortText::parse("t").unwrap(), text("c"), Source::Hotline, date("2026-01-05"), p)
    };
    assert_eq!(r(vec![]), Err(SuggestionError::BadSigners));
    assert_eq!(
        r(vec![signer(1, DeputyLevel::City), signer(1, DeputyLevel::City)]),
        Err(SuggestionError::BadSigners)
    );
    assert!(r(vec![signer(1, DeputyLevel::City)]).is_ok());
}

#[test]
fn numbers_read_and_write_as_year_and_four_digits() {
    let n = SuggestionNumber::parse("2026-0007").unwrap();
    assert_eq!((n.year, n.seq, n.to_string()), (2026, 7, "2026-0007".to_owned()));
    for bad in ["2026-7", "26-0001", "2026-0000", "2026/0001", ""] {
        assert!(SuggestionNumber::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_happy_path_closes_only_on_the_evaluation() {
    let w = World::given().assigned(vec![]);
    assert_eq!(w.s.status, S::Assigned);
    let a = w.s.assignment.clone().unwrap();
    assert_eq!((a.assigned_on, a.deadline), (date("2026-03-02"), date("2026-06-02")));
    let w = w.contacted(ContactPhase::Before).on("2026-04-10").answered(AnswerClass::A, None);
    // R1a: an answer sent does not close it.
    assert_eq!(w.s.status, S::Answered);
    let ans = w.s.first_answer().unwrap();
    assert_eq!(ans.recipients, vec![deputy(1), deputy(2), deputy(3)], "every co-signer gets the answer");
    // 20 working days after 2026-04-10 across the 劳动节 holiday (05-01..05) and the make-up day (05-09).
    assert_eq!(ans.feedback_due, date("2026-05-12"));
    let mut w = w.rated_all([Good, Basic, Good]);
    assert_eq!(w.s.status, S::Closed);
    assert_eq!(w.s.closure.as_ref().unwrap().basis, ClosureBasis::Satisfied);
    assert!(w.replays());
    assert!(matches!(w.rate(1, Good), Err(SuggestionError::IllegalTransition { .. })));
}

#[test]
fn r1c_no_answer_before_a_contact_in_the_round() {
    let mut w = World::given().assigned(vec![]);
    let answer = SuggestionCommand::Answer { class: AnswerClass::A, text: text("x"), promised_on: None };
    assert_eq!(w.when(answer.clone()), Err(SuggestionError::NoPriorContact));
    // A "during" contact is not the 办前 contact.
    let mut w = w.contacted(ContactPhase::During);
    assert_eq!(w.when(answer.clone()), Err(SuggestionError::NoPriorContact));
    let mut w = w.contacted(ContactPhase::Before);
    assert!(w.when(answer).is_ok());
    // After the answer, an 办前 contact no longer fits.
    let mut w2 =
        World::given().assigned(vec![]).contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert!(matches!(
        w2.when(SuggestionCommand::LogContact {
            phase: ContactPhase::Before,
            means: ContactMeans::Phone,
            deputies: vec![],
            summary: text("x")
        }),
        Err(SuggestionError::ContactPhase { .. })
    ));
    let w2 = w2.contacted(ContactPhase::After);
    assert_eq!(w2.s.contacts.len(), 2);
}

#[test]
fn contacts_name_only_co_signers() {
    let mut w = World::given().assigned(vec![]);
    let r = w.when(SuggestionCommand::LogContact {
        phase: ContactPhase::Before,
        means: ContactMeans::Visit,
        deputies: vec![deputy(9)],
        summary: text("x"),
    });
    assert_eq!(r, Err(SuggestionError::NotASigner(deputy(9))));
}

#[test]
fn one_dissatisfied_sends_it_to_rehandling_then_a_second_escalates() {
    let mut w = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-04-01")
        .answered(AnswerClass::B, Some("2026-12-31"))
        .rated_all([Good, Bad, Basic]);
    assert_eq!(w.s.status, S::Rehandling);
    assert_eq!(w.s.rounds[0].outcome.as_ref().unwrap().verdict, Verdict::Dissatisfied);
    assert_eq!(w.s.rounds[1].due, date("2026-06-01"), "re-handling: two months");
    // Re-handling needs its own contact.
    let answer =
        SuggestionCommand::Answer { class: AnswerClass::A, text: text("再次答复"), promised_on: None };
    assert_eq!(w.when(answer.clone()), Err(SuggestionError::NoPriorContact));
    let mut w = w.contacted(ContactPhase::During);
    w.when(answer).unwrap();
    assert_eq!(w.s.rounds[1].answer.as_ref().unwrap().recipients.len(), 3);
    let mut w = w.rated_all([Good, Bad, Good]);
    assert_eq!(w.s.status, S::Escalated);
    // Issue 11, item 7: the escalation has its own period (10 working days), not due the day it arises.
    let esc: Vec<_> =
        w.s.obligations(&w.policy, &w.cal)
            .into_iter()
            .filter(|o| o.kind == ObligationKind::Escalation)
            .collect();
    assert_eq!(
        esc.iter().map(|o| o.due).collect::<Vec<_>>(),
        [date("2026-04-15")],
        "2026-04-01 + 10 working days (the test schedule has no Qingming)"
    );
    assert!(matches!(w.when(SuggestionCommand::RecordLapse), Err(SuggestionError::IllegalTransition { .. })));
    let w = w.ok(SuggestionCommand::RecordEscalation {
        means: EscalationMeans::FaceToFace,
        leader: staff(90),
        note: text("检察长与代表当面沟通"),
    });
    assert_eq!(w.s.status, S::Closed);
    assert_eq!(w.s.closure.as_ref().unwrap().basis, ClosureBasis::Escalated);
    assert!(w.replays());
}

#[test]
fn policies_decide_rounds() {
    assert!(SatisfactionPolicy::AllAtLeastBasic.satisfied(&[Good, Basic]));
    assert!(!SatisfactionPolicy::AllAtLeastBasic.satisfied(&[Good, Bad]));
    assert!(SatisfactionPolicy::Majority.satisfied(&[Good, Good, Bad]));
    assert!(!SatisfactionPolicy::Majority.satisfied(&[Good, Bad]));
    assert!(SatisfactionPolicy::Threshold { percent: 60 }.satisfied(&[Good, Basic, Bad]));
    assert!(!SatisfactionPolicy::Threshold { percent: 70 }.satisfied(&[Good, Basic, Bad]));
    assert!(!SatisfactionPolicy::Majority.satisfied(&[]));
    assert_eq!(SatisfactionPolicy::parse("threshold:80"), Ok(SatisfactionPolicy::Threshold { percent: 80 }));
    assert!(SatisfactionPolicy::parse("threshold:0").is_err());
    assert!(SatisfactionPolicy::parse("most").is_err());
    // Under the majority policy one 不满意 of three closes it.
    let mut w = World::given();
    w.policy.satisfaction = SatisfactionPolicy::Majority;
    let w = w
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .answered(AnswerClass::A, None)
        .rated_all([Good, Bad, Good]);
    assert_eq!(w.s.status, S::Closed);
}

#[test]
fn ratings_come_from_evaluators_once_with_a_comment_when_dissatisfied() {
    let mut w =
        World::given().assigned(vec![]).contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert_eq!(w.rate(9, Good), Err(SuggestionError::NotASigner(deputy(9))));
    assert_eq!(
        w.when(SuggestionCommand::Rate {
            deputy: deputy(1),
            rating: Bad,
            comment: None,
            channel: RatingChannel::OwnAccount
        }),
        Err(SuggestionError::CommentRequired)
    );
    w.when(SuggestionCommand::Rate {
        deputy: deputy(1),
        rating: Good,
        comment: None,
        channel: RatingChannel::PaperForm {
            form_ref: ShortText::parse("征询表2026-001").unwrap(),
            transcribed_by: staff(5),
        },
    })
    .unwrap();
    assert_eq!(w.rate(1, Good), Err(SuggestionError::AlreadyRated(deputy(1))));
    assert!(matches!(w.s.rounds[0].ratings[&deputy(1)].channel, RatingChannel::PaperForm { .. }));
    assert_eq!(w.s.status, S::Answered, "two of three still to rate");
}

#[test]
fn a_panel_rates_too_and_cannot_overlap_the_co_signers() {
    let mut w = World::given().registered();
    assert_eq!(
        w.when(SuggestionCommand::SetPanel { panel: vec![signer(2, DeputyLevel::County)] }),
        Err(SuggestionError::PanelOverlap(deputy(2)))
    );
    let mut w = w
        .ok(SuggestionCommand::SetPanel { panel: vec![signer(5, DeputyLevel::City)] })
        .ok(SuggestionCommand::Assign { lead: dept(1), co_handlers: vec![], handler: staff(7) })
        .contacted(ContactPhase::Before)
        .answered(AnswerClass::A, None)
        .rated_all([Good, Good, Good]);
    assert_eq!(w.s.status, S::Answered, "the panel member has not rated");
    w.rate(5, Bad).unwrap();
    assert_eq!(w.s.status, S::Rehandling);
}

#[test]
fn r1a_lapse_only_after_the_window_and_counted_apart() {
    let mut w = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-04-10")
        .answered(AnswerClass::A, None);
    assert_eq!(
        w.when(SuggestionCommand::RecordLapse),
        Err(SuggestionError::FeedbackWindowOpen { due: date("2026-05-12") })
    );
    let mut w = w.on("2026-05-13");
    w.when(SuggestionCommand::RecordLapse).unwrap();
    assert_eq!(w.s.status, S::Closed);
    assert_eq!(w.s.closure.as_ref().unwrap().basis, ClosureBasis::Lapsed);
    let f = figures([&w.s], date("2026-01-01"), date("2026-12-31"), GroupBy::All, date("2026-06-01"));
    assert_eq!((f.total.lapsed, f.total.final_rated, f.total.first_round_rated), (1, 0, 0));
}

/// Issue 11, item 6: one co-signer 基本满意, the others silent: the lapse is never a rating. Under the
/// default policy (all at least 基本满意) the silent ones could have been 不满意, so the round lapses; the
/// figures count the item and the silent deputies as lapsed, and no satisfaction.
#[test]
fn a_lapse_with_some_ratings_never_counts_the_silent_as_satisfied() {
    let mut w = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-04-10")
        .answered(AnswerClass::A, None);
    w.rate(1, Basic).unwrap();
    let mut w = w.on("2026-05-13");
    w.when(SuggestionCommand::RecordLapse).unwrap();
    let o = w.s.rounds[0].outcome.clone().unwrap();
    assert_eq!((o.verdict, o.rated, o.evaluators, o.by_lapse), (Verdict::Lapsed, 1, 3, true));
    assert_eq!((w.s.status, w.s.closure.as_ref().unwrap().basis), (S::Closed, ClosureBasis::Lapsed));
    for by in [GroupBy::All, GroupBy::Level, GroupBy::Department] {
        let f = figures([&w.s], date("2026-01-01"), date("2026-12-31"), by, date("2026-06-01"));
        let t = &f.total;
        assert_eq!(
            (t.lapsed, t.lapsed_deputies, t.first_round_rated, t.first_round_satisfied, t.final_rated),
            (1, 2, 0, 0, 0),
            "{by:?}"
        );
        assert!(
            f.rows.iter().filter(|r| r.received > 0).all(|r| r.lapsed == 1 && r.first_round_satisfied == 0)
        );
        assert_eq!(t.first_round_permille(), None);
    }
}

/// A 不满意 given before the window closed is a real judgement, silent co-signers or not: re-handling.
#[test]
fn a_lapse_after_a_dissatisfied_rating_sends_the_item_to_rehandling() {
    let mut w = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-04-10")
        .answered(AnswerClass::A, None);
    w.rate(1, Bad).unwrap();
    let mut w = w.on("2026-05-13");
    w.when(SuggestionCommand::RecordLapse).unwrap();
    let o = w.s.rounds[0].outcome.clone().unwrap();
    assert_eq!((o.verdict, o.by_lapse), (Verdict::Dissatisfied, true));
    assert_eq!(w.s.status, S::Rehandling);
}

/// Under the majority policy two 满意 of three suffice whatever the third would have said: satisfied on the
/// ratings given, and the silent deputy still counted apart.
#[test]
fn a_lapse_decides_on_the_ratings_given_only_when_they_suffice_alone() {
    let policy =
        SuggestionPolicy { satisfaction: SatisfactionPolicy::Majority, ..SuggestionPolicy::default() };
    let mut w = World::given();
    w.policy = policy;
    let mut w =
        w.assigned(vec![]).contacted(ContactPhase::Before).on("2026-04-10").answered(AnswerClass::A, None);
    w.rate(1, Good).unwrap();
    w.rate(2, Good).unwrap();
    let mut w = w.on("2026-05-13");
    w.when(SuggestionCommand::RecordLapse).unwrap();
    let o = w.s.rounds[0].outcome.clone().unwrap();
    assert_eq!((o.verdict, o.rated, o.evaluators), (Verdict::Satisfied, 2, 3));
    let f = figures([&w.s], date("2026-01-01"), date("2026-12-31"), GroupBy::All, date("2026-06-01"));
    let t = &f.total;
    assert_eq!((t.first_round_rated, t.first_round_satisfied, t.lapsed, t.lapsed_deputies), (1, 1, 1, 1));
}

#[test]
fn co_handlers_opinions_are_attached_or_recorded_overdue() {
    let mut w = World::given().assigned(vec![dept(2), dept(3)]).contacted(ContactPhase::Before);
    assert_eq!(w.s.assignment.as_ref().unwrap().co_handlers[0].due, date("2026-04-02"));
    let answer = SuggestionCommand::Answer { class: AnswerClass::A, text: text("x"), promised_on: None };
    assert_eq!(w.when(answer.clone()), Err(SuggestionError::CoOpinionOutstanding(dept(2).id)));
    let mut w = w.ok(SuggestionCommand::GiveCoOpinion { department: dept(2).id, text: text("协办意见") });
    assert_eq!(
        w.when(SuggestionCommand::GiveCoOpinion { department: dept(2).id, text: text("again") }),
        Err(SuggestionError::CoOpinionGiven)
    );
    assert_eq!(
        w.when(SuggestionCommand::GiveCoOpinion { department: dept(9).id, text: text("x") }),
        Err(SuggestionError::NotACoHandler(dept(9).id))
    );
    assert_eq!(
        w.when(SuggestionCommand::RecordCoHandlerOverdue { department: dept(3).id }),
        Err(SuggestionError::CoOpinionNotDue { due: date("2026-04-02") })
    );
    let mut w = w.on("2026-04-03").ok(SuggestionCommand::RecordCoHandlerOverdue { department: dept(3).id });
    w.when(answer).unwrap();
    let a = w.s.first_answer().unwrap();
    assert_eq!(a.co_opinions.len(), 2);
    assert_eq!(a.co_opinions[0].opinion.as_ref().map(|t| t.as_str()), Some("协办意见"));
    assert_eq!(a.co_opinions[1].opinion, None);
}

#[test]
fn the_lead_cannot_also_co_handle() {
    let mut w = World::given().registered();
    assert_eq!(
        w.when(SuggestionCommand::Assign { lead: dept(1), co_handlers: vec![dept(1)], handler: staff(7) }),
        Err(SuggestionError::BadCoHandlers)
    );
    assert_eq!(
        w.when(SuggestionCommand::Assign {
            lead: dept(1),
            co_handlers: vec![dept(2), dept(2)],
            handler: staff(7)
        }),
        Err(SuggestionError::BadCoHandlers)
    );
}

#[test]
fn returns_go_to_the_office_only_within_the_window() {
    let mut w = World::given().assigned(vec![]);
    assert_eq!(
        w.when(SuggestionCommand::Return { department: dept(2).id, reason: text("x") }),
        Err(SuggestionError::NotTheLead("return"))
    );
    let mut late = World::given().assigned(vec![]).on("2026-03-10");
    assert_eq!(
        late.when(SuggestionCommand::Return { department: dept(1).id, reason: text("x") }),
        Err(SuggestionError::ReturnWindowClosed { closed_on: date("2026-03-09") })
    );
    let w = w
        .on("2026-03-09")
        .ok(SuggestionCommand::Return { department: dept(1).id, reason: text("不属本部门职能") });
    assert_eq!(w.s.status, S::Returned);
    assert!(w.s.assignment.is_none());
    // Only the office re-assigns it, with a fresh deadline.
    let w = w.ok(SuggestionCommand::Assign { lead: dept(2), co_handlers: vec![], handler: staff(8) });
    assert_eq!(w.s.assignment.as_ref().unwrap().deadline, date("2026-06-09"));
    assert_eq!(w.s.returns.len(), 1);
    assert!(w.replays());
}

#[test]
fn extensions_need_a_later_date_within_the_maximum() {
    let mut w = World::given().assigned(vec![]);
    let ext = |d: &str| SuggestionCommand::Extend {
        until: date(d),
        reason: text("涉及多部门协调"),
        approved_by: staff(90),
    };
    assert_eq!(
        w.when(ext("2026-05-01")),
        Err(SuggestionError::ExtensionOutOfRange { current: date("2026-06-02"), max: date("2026-09-02") })
    );
    assert!(matches!(w.when(ext("2026-09-03")), Err(SuggestionError::ExtensionOutOfRange { .. })));
    let w = w.ok(ext("2026-08-31"));
    assert_eq!(w.s.assignment.as_ref().unwrap().deadline, date("2026-08-31"));
    assert_eq!(w.s.assignment.as_ref().unwrap().original_deadline, date("2026-06-02"));
    assert_eq!(w.s.answer_due(), Some(date("2026-08-31")));
}

#[test]
fn class_b_and_c_carry_a_promise_and_a_follow_up() {
    let mut w = World::given().assigned(vec![]).contacted(ContactPhase::Before);
    for (class, promised) in
        [(AnswerClass::B, None), (AnswerClass::C, Some("2026-03-01")), (AnswerClass::A, Some("2026-12-01"))]
    {
        assert_eq!(
            w.when(SuggestionCommand::Answer { class, text: text("x"), promised_on: promised.map(date) }),
            Err(SuggestionError::PromisedDate)
        );
    }
    let mut w = w.answered(AnswerClass::C, Some("2026-10-01")).rated_all([Good, Good, Basic]);
    assert_eq!(w.s.status, S::Closed);
    assert!(
        w.s.obligations(&w.policy, &w.cal)
            .iter()
            .any(|o| o.kind == ObligationKind::FollowUp && o.due == date("2026-10-01"))
    );
    w.when(SuggestionCommand::RecordSolved { text: text("已落实") }).unwrap();
    assert_eq!(w.s.follow_up.as_ref().unwrap().recipients.len(), 3);
    assert_eq!(
        w.when(SuggestionCommand::RecordSolved { text: text("again") }),
        Err(SuggestionError::NoFollowUp)
    );
    let f = figures([&w.s], date("2026-01-01"), date("2026-12-31"), GroupBy::All, date("2026-11-01"));
    assert_eq!(
        (f.total.resolved_a, f.total.resolved_later, f.total.resolution_permille()),
        (0, 1, Some(1000))
    );
}

#[test]
fn merging_keeps_every_deputy_answered() {
    let mut dup = World::given().registered();
    assert_eq!(dup.when(SuggestionCommand::MergeInto { target: dup.s.id }), Err(SuggestionError::SelfMerge));
    let dup = dup.ok(SuggestionCommand::MergeInto { target: SuggestionId(Uuid::from_u128(200)) });
    assert_eq!(dup.s.status, S::Merged);
    let dup_id = SuggestionId(Uuid::from_u128(201));
    let target = World::given().assigned(vec![]).ok(SuggestionCommand::Absorb {
        from: dup_id,
        signers: vec![signer(3, DeputyLevel::Township), signer(4, DeputyLevel::City)],
    });
    assert_eq!(target.s.proposers.len(), 4, "the shared deputy is not added twice");
    let t = target.contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert_eq!(t.s.first_answer().unwrap().recipients.len(), 4);
    let mut t = t;
    assert!(matches!(
        t.when(SuggestionCommand::Absorb { from: SuggestionId(Uuid::from_u128(300)), signers: vec![] }),
        Err(SuggestionError::IllegalTransition { .. })
    ));
}

#[test]
fn withdrawal_is_by_each_co_signer_and_complete_with_the_last() {
    let mut w = World::given().registered();
    assert_eq!(
        w.when(SuggestionCommand::Withdraw { deputy: deputy(9), reason: text("x") }),
        Err(SuggestionError::NotASigner(deputy(9)))
    );
    let w = w
        .ok(SuggestionCommand::Withdraw { deputy: deputy(1), reason: text("问题已解决") })
        .ok(SuggestionCommand::Withdraw { deputy: deputy(2), reason: text("问题已解决") });
    assert_eq!(w.s.status, S::Registered);
    let w = w.ok(SuggestionCommand::Withdraw { deputy: deputy(3), reason: text("问题已解决") });
    assert_eq!(w.s.status, S::Withdrawn);
    assert_eq!(w.s.withdrawn.len(), 3);
}

#[test]
fn rerouting_tells_every_deputy_and_only_before_an_answer() {
    let w = World::given().registered().ok(SuggestionCommand::Reroute {
        ground: RerouteGround::PendingCase,
        petition_ref: ShortText::parse("XF-2026-0001").unwrap(),
        notice: text("所反映问题涉及具体案件，已转控告申诉部门依法办理"),
    });
    assert_eq!(w.s.status, S::Rerouted);
    assert_eq!(w.s.reroute.as_ref().unwrap().told.len(), 3);
    let mut answered =
        World::given().assigned(vec![]).contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert!(matches!(
        answered.when(SuggestionCommand::Reroute {
            ground: RerouteGround::PersonalMatter,
            petition_ref: ShortText::parse("x").unwrap(),
            notice: text("x")
        }),
        Err(SuggestionError::IllegalTransition { .. })
    ));
}

#[test]
fn illegal_transitions_are_refused_with_their_status() {
    let mut w = World::given();
    for c in [
        SuggestionCommand::Assign { lead: dept(1), co_handlers: vec![], handler: staff(1) },
        SuggestionCommand::StartHandling,
        SuggestionCommand::Answer { class: AnswerClass::A, text: text("x"), promised_on: None },
        SuggestionCommand::RecordLapse,
        SuggestionCommand::NotifyProgress { text: text("x") },
        SuggestionCommand::RecordEscalation {
            means: EscalationMeans::FaceToFace,
            leader: staff(1),
            note: text("x"),
        },
    ] {
        let name = c.name();
        assert_eq!(
            w.when(c),
            Err(SuggestionError::IllegalTransition { status: S::Received, command: name }),
            "{name}"
        );
    }
    let mut w = w.registered();
    assert!(matches!(
        w.when(SuggestionCommand::Register { number: SuggestionNumber { year: 2026, seq: 2 } }),
        Err(SuggestionError::IllegalTransition { .. })
    ));
    assert_eq!(w.when(SuggestionCommand::RecordSolved { text: text("x") }), Err(SuggestionError::NoFollowUp));
}

#[test]
fn every_open_item_knows_its_next_deadline() {
    let w = World::given().registered();
    let next = w.s.next_deadline(&w.policy, &w.cal).unwrap();
    assert_eq!((next.kind, next.due), (ObligationKind::Assignment, date("2026-03-09")), "5 working days");
    let w = w.ok(SuggestionCommand::Assign { lead: dept(1), co_handlers: vec![dept(2)], handler: staff(7) });
    let obs = w.s.obligations(&w.policy, &w.cal);
    let kinds: Vec<_> = obs.iter().map(|o| (o.kind, o.due)).collect();
    assert_eq!(
        kinds,
        vec![
            (ObligationKind::CoOpinion, date("2026-04-02")),
            (ObligationKind::ProgressNotice, date("2026-04-02")),
            (ObligationKind::Answer, date("2026-06-02")),
        ]
    );
    assert_eq!(obs[0].department, Some(dept(2).id));
    // A progress notice moves the next notice's due day.
    let w = w.on("2026-03-20").ok(SuggestionCommand::NotifyProgress { text: text("正在调研") });
    let p =
        w.s.obligations(&w.policy, &w.cal)
            .into_iter()
            .find(|o| o.kind == ObligationKind::ProgressNotice)
            .unwrap();
    assert_eq!(p.due, date("2026-04-20"));
    let done = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .answered(AnswerClass::A, None)
        .rated_all([Good, Good, Good]);
    assert!(done.s.obligations(&done.policy, &done.cal).is_empty());
}

/// Two joint items: one answered A on time and rated well; one answered D late, with one 不满意.
fn answered_and_rated() -> (World, World) {
    let a = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-04-01")
        .answered(AnswerClass::A, None)
        .rated_all([Good, Good, Good]);
    let b = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-07-01")
        .answered(AnswerClass::D, None)
        .rated_all([Good, Bad, Good]);
    (a, b)
}

#[test]
fn figures_by_level_show_every_level_and_count_joint_items_per_level() {
    let (a, b) = answered_and_rated();
    let f = figures([&a.s, &b.s], date("2026-01-01"), date("2026-12-31"), GroupBy::Level, date("2026-07-10"));
    assert_eq!(f.rows.len(), 5);
    let national = &f.rows[0];
    assert_eq!(
        (national.key.as_str(), national.received, national.answered, national.answered_on_time),
        ("national", 2, 2, 1)
    );
    assert_eq!(national.overdue, 1, "b was answered after its 06-02 deadline");
    assert_eq!((national.first_round_rated, national.first_round_satisfied), (2, 1));
    assert_eq!(national.rehandled, 1);
    assert_eq!(f.rows[2].received, 0, "city: no co-signer of that level, but the row is there");
    assert_eq!(f.total.received, 2);
    assert_eq!(f.total.resolved_a, 1);
    let by_dept = figures(
        [&a.s, &b.s],
        date("2026-01-01"),
        date("2026-12-31"),
        GroupBy::Department,
        date("2026-07-10"),
    );
    assert_eq!(by_dept.rows.len(), 1);
    assert_eq!(by_dept.rows[0].label, "第1检察部");
    let outside = figures([&a.s], date("2025-01-01"), date("2025-12-31"), GroupBy::All, date("2026-07-10"));
    assert_eq!(outside.total.received, 0);
}

#[test]
fn measures_are_tracked_to_done_and_reported_back() {
    let e = Measure::open(
        ShortText::parse("建立未成年人保护联络点").unwrap(),
        text("在三个乡镇试点"),
        MeasureOrigin::Suggestion { id: SuggestionId(Uuid::from_u128(100)), number: None },
        dept(1),
        date("2026-09-30"),
        vec![signer(1, DeputyLevel::National)],
        date("2026-04-01"),
    )
    .unwrap();
    let mut m = Measure::from_opened(MeasureId(Uuid::from_u128(1)), &e).unwrap();
    let today = date("2026-05-01");
    assert!(matches!(
        m.decide(MeasureCommand::ReportBack { text: text("x") }, today),
        Err(MeasureError::IllegalTransition { .. })
    ));
    for c in [
        MeasureCommand::Progress { text: text("已选址") },
        MeasureCommand::Complete { result: text("三个联络点已运行") },
    ] {
        for e in m.decide(c, today).unwrap() {
            m.apply(&e);
        }
    }
    assert!(!m.overdue(date("2026-12-01")));
    for e in m.decide(MeasureCommand::ReportBack { text: text("已向代表书面反馈") }, today).unwrap() {
        m.apply(&e);
    }
    assert_eq!(m.status, MeasureStatus::ReportedBack);
    assert_eq!(m.report.as_ref().unwrap().1, vec![deputy(1)]);
    assert_eq!(m.version, 4);
    let late = Measure::open(
        ShortText::parse("x").unwrap(),
        text("x"),
        MeasureOrigin::Opinion { text: text("座谈会上提出") },
        dept(1),
        date("2026-03-01"),
        vec![signer(1, DeputyLevel::National)],
        date("2026-04-01"),
    );
    assert_eq!(late, Err(MeasureError::DeadlineInPast(date("2026-03-01"))));
}

#[test]
fn policies_are_validated() {
    assert_eq!(SuggestionPolicy::default().validate(), Ok(()));
    let p =
        SuggestionPolicy { extension_max: crate::calendar::Period::Months(2), ..SuggestionPolicy::default() };
    assert_eq!(p.validate().unwrap_err().field, "extension_max");
    let p =
        SuggestionPolicy { feedback: crate::calendar::Period::WorkingDays(0), ..SuggestionPolicy::default() };
    assert_eq!(p.validate().unwrap_err().field, "feedback");
}

#[derive(Debug, Clone)]
enum Op {
    Wait(u8),
    Register,
    Assign(bool),
    Return,
    Contact(u8),
    Notify,
    CoOpinion,
    CoOverdue,
    Extend(u8),
    Answer(u8),
    Rate(u8, u8),
    Lapse,
    Escalate,
    Solved,
    Withdraw(u8),
    Reroute,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u8..40).prop_map(Op::Wait),
        Just(Op::Register),
        any::<bool>().prop_map(Op::Assign),
        Just(Op::Return),
        (0u8..3).prop_map(Op::Contact),
        Just(Op::Notify),
        Just(Op::CoOpinion),
        Just(Op::CoOverdue),
        (0u8..200).prop_map(Op::Extend),
        (0u8..4).prop_map(Op::Answer),
        (1u8..5, 0u8..3).prop_map(|(d, r)| Op::Rate(d, r)),
        Just(Op::Lapse),
        Just(Op::Escalate),
        Just(Op::Solved),
        (1u8..4).prop_map(Op::Withdraw),
        Just(Op::Reroute),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// Random command sequences; after each step: a refused command changes nothing; the version counts
    /// the events; no answer without a contact logged before it in its round; no closure without the
    /// policy met, a recorded lapse or a recorded escalation; every co-signer gets every answer; the answer
    /// deadline moves only by an assignment or an approved extension, never past the maximum; and the
    /// event log replays to the state.
    #[test]
    fn suggestion_invariants_hold_under_random_commands(ops in proptest::collection::vec(op(), 1..60), panel in any::<bool>()) {
        let mut w = World::given();
        if panel {
            w = w.ok(SuggestionCommand::SetPanel { panel: vec![signer(4, DeputyLevel::City)] });
        }
        for o in ops {
            let c = match o {
                Op::Wait(d) => { w.today += Duration::days(i64::from(d)); continue; }
                Op::Register => SuggestionCommand::Register { number: SuggestionNumber { year: 2026, seq: 1 } },
                Op::Assign(co) => SuggestionCommand::Assign { lead: dept(1), co_handlers: if co { vec![dept(2)] } else { vec![] }, handler: staff(7) },
                Op::Return => SuggestionCommand::Return { department: dept(1).id, reason: text("误交") },
                Op::Contact(p) => SuggestionCommand::LogContact {
                    phase: [ContactPhase::Before, ContactPhase::During, ContactPhase::After][p as usize],
                    means: ContactMeans::Phone, deputies: vec![], summary: text("沟通"),
                },
                Op::Notify => SuggestionCommand::NotifyProgress { text: text("进展") },
                Op::CoOpinion => SuggestionCommand::GiveCoOpinion { department: dept(2).id, text: text("意见") },
                Op::CoOverdue => SuggestionCommand::RecordCoHandlerOverdue { department: dept(2).id },
                Op::Extend(d) => {
                    let base = w.s.assignment.as_ref().map_or(w.today, |a| a.deadline);
                    SuggestionCommand::Extend { until: base + Duration::days(i64::from(d)), reason: text("延期"), approved_by: staff(90) }
                }
                Op::Answer(k) => {
                    let class = [AnswerClass::A, AnswerClass::B, AnswerClass::C, AnswerClass::D][k as usize];
                    let promised_on = matches!(class, AnswerClass::B | AnswerClass::C).then(|| w.today + Duration::days(90));
                    SuggestionCommand::Answer { class, text: text("答复"), promised_on }
                }
                Op::Rate(d, r) => {
                    let rating = [Good, Basic, Bad][r as usize];
                    SuggestionCommand::Rate { deputy: deputy(u128::from(d)), rating, comment: Some(text("意见")), channel: RatingChannel::OwnAccount }
                }
                Op::Lapse => SuggestionCommand::RecordLapse,
                Op::Escalate => SuggestionCommand::RecordEscalation { means: EscalationMeans::SpecialExplanation, leader: staff(90), note: text("说明") },
                Op::Solved => SuggestionCommand::RecordSolved { text: text("已解决") },
                Op::Withdraw(d) => SuggestionCommand::Withdraw { deputy: deputy(u128::from(d)), reason: text("撤回") },
                Op::Reroute => SuggestionCommand::Reroute { ground: RerouteGround::PersonalMatter, petition_ref: ShortText::parse("XF-1").unwrap(), notice: text("已转") },
            };
            let before = w.s.clone();
            let deadline_before = before.assignment.as_ref().map(|a| a.deadline);
            let r = w.when(c);
            prop_assert_eq!(w.s.version as usize, w.log.len());
            if let Ok(events) = &r {
                for e in events {
                    match e {
                        SuggestionEvent::Answered { round, answer } => {
                            // R1c: a contact in this round, logged before the answer.
                            let prior = before.contacts.iter().any(|c| c.round == *round && c.on <= answer.on);
                            prop_assert!(prior, "answer without a prior contact");
                            prop_assert_eq!(&answer.recipients, &before.proposer_ids());
                        }
                        SuggestionEvent::Closed { closure } => {
                            let decided = w.s.rounds.last().and_then(|r| r.outcome.clone());
                            match closure.basis {
                                ClosureBasis::Satisfied => {
                                    let o = decided.unwrap();
                                    prop_assert_eq!(o.verdict, Verdict::Satisfied);
                                    let ratings: Vec<_> = w.s.rounds.last().unwrap().ratings.values().map(|r| r.rating).collect();
                                    prop_assert!(w.policy.satisfaction.satisfied(&ratings));
                                    prop_assert!(o.by_lapse || o.rated == o.evaluators);
                                }
                                ClosureBasis::Lapsed => prop_assert_eq!(decided.unwrap().verdict, Verdict::Lapsed),
                                ClosureBasis::Escalated => prop_assert!(w.s.escalation.as_ref().is_some_and(|(_, r)| r.is_some())),
                            }
                        }
                        _ => {}
                    }
                }
                let deadline_after = w.s.assignment.as_ref().map(|a| a.deadline);
                if deadline_after != deadline_before && deadline_after.is_some() {
                    let moved_by = events.iter().any(|e| matches!(e, SuggestionEvent::Extended { .. } | SuggestionEvent::Assigned { .. }));
                    prop_assert!(moved_by, "deadline moved without an extension");
                }
                if let Some(a) = &w.s.assignment {
                    let max = w.cal.deadline(a.assigned_on, w.policy.extension_max).due;
                    prop_assert!(a.deadline <= max);
                }
            }
            // Co-signers only leave (no merge here): whoever still signs got every answer.
            for a in w.s.rounds.iter().filter_map(|r| r.answer.as_ref()) {
                for p in &w.s.proposers {
                    prop_assert!(a.recipients.contains(&p.deputy), "a co-signer missed an answer");
                }
            }
            prop_assert!(w.replays(), "the event log does not replay to the state");
        }
    }
}

#[test]
fn more_refusals_each_with_its_typed_error() {
    let illegal = |r: Result<Vec<SuggestionEvent>, SuggestionError>, status: SuggestionStatus| {
        assert!(
            matches!(r, Err(SuggestionError::IllegalTransition { status: s, .. }) if s == status),
            "{r:?}"
        );
    };
    // Handling starts once.
    let mut w = World::given().assigned(vec![dept(2)]).ok(SuggestionCommand::StartHandling);
    illegal(w.when(SuggestionCommand::StartHandling), S::InHandling);
    // After the answer: no co-opinion, no extension, no return, no panel, no merge.
    let mut w = w
        .ok(SuggestionCommand::GiveCoOpinion { department: dept(2).id, text: text("意见") })
        .contacted(ContactPhase::Before)
        .answered(AnswerClass::A, None);
    illegal(
        w.when(SuggestionCommand::GiveCoOpinion { department: dept(2).id, text: text("x") }),
        S::Answered,
    );
    illegal(
        w.when(SuggestionCommand::Extend {
            until: date("2026-07-01"),
            reason: text("x"),
            approved_by: staff(9),
        }),
        S::Answered,
    );
    illegal(w.when(SuggestionCommand::Return { department: dept(1).id, reason: text("x") }), S::Answered);
    illegal(w.when(SuggestionCommand::SetPanel { panel: vec![signer(5, DeputyLevel::City)] }), S::Answered);
    illegal(w.when(SuggestionCommand::MergeInto { target: SuggestionId(Uuid::from_u128(9)) }), S::Answered);
    // A measure is linked once.
    let m = MeasureId(Uuid::from_u128(3));
    let mut w = w.ok(SuggestionCommand::LinkMeasure { measure: m });
    assert_eq!(w.when(SuggestionCommand::LinkMeasure { measure: m }), Err(SuggestionError::NothingToChange));
    // Nothing is done to a rerouted item.
    let mut r = World::given().registered().ok(SuggestionCommand::Reroute {
        ground: RerouteGround::PersonalMatter,
        petition_ref: ShortText::parse("XF-2026-0002").unwrap(),
        notice: text("属个人事项，已转信访部门"),
    });
    illegal(r.when(SuggestionCommand::Withdraw { deputy: deputy(1), reason: text("x") }), S::Rerouted);
    illegal(r.when(SuggestionCommand::LinkMeasure { measure: m }), S::Rerouted);
    illegal(
        r.when(SuggestionCommand::Assign { lead: dept(1), co_handlers: vec![], handler: staff(1) }),
        S::Rerouted,
    );
    // An unchanged panel is refused as such; a co-handler's lateness is recorded once.
    let mut p = World::given()
        .registered()
        .ok(SuggestionCommand::SetPanel { panel: vec![signer(5, DeputyLevel::City)] });
    assert_eq!(
        p.when(SuggestionCommand::SetPanel { panel: vec![signer(5, DeputyLevel::City)] }),
        Err(SuggestionError::NothingToChange)
    );
    let mut c = World::given()
        .assigned(vec![dept(2)])
        .on("2026-04-03")
        .ok(SuggestionCommand::RecordCoHandlerOverdue { department: dept(2).id });
    assert_eq!(
        c.when(SuggestionCommand::RecordCoHandlerOverdue { department: dept(2).id }),
        Err(SuggestionError::NothingToChange)
    );
    // Errors speak Chinese by default.
    assert!(SuggestionError::NoPriorContact.zh().contains("办前沟通"));
    assert_eq!(SuggestionError::NoPriorContact.code(), "suggestion.no_prior_contact");
}

// ---- published answers (R1b: judged by the deputies as a body) ----

fn reader(n: u128, level: DeputyLevel, region: &str) -> Reader {
    Reader { deputy: deputy(n), level, region: ShortText::parse(region).unwrap(), delegation: None }
}

fn published(policy: SuggestionPolicy, audience: Audience) -> World {
    let mut w = World::given();
    w.policy = policy;
    w.assigned(vec![])
        .contacted(ContactPhase::Before)
        .ok(SuggestionCommand::Answer {
            class: AnswerClass::A,
            text: text("已设立联络点。[保密]涉案未成年人张某的情况[/保密]经费已落实。"),
            promised_on: None,
        })
        .ok(SuggestionCommand::SetAnonymity { deputy: deputy(2), anonymous: true })
        .ok(SuggestionCommand::Publish { audience })
}

#[test]
fn a_publication_withholds_confidential_parts_and_unnamed_proposers() {
    let w = published(SuggestionPolicy::default(), Audience::All);
    let p = &w.s.publications[0];
    assert_eq!(p.text, format!("已设立联络点。{WITHHELD}经费已落实。"));
    assert_eq!(p.withheld, 1);
    assert!(!p.proposers_shown.iter().any(|n| n.contains("代表丙")), "{:?}", p.proposers_shown);
    assert!(p.proposers_shown.contains(&"代表（不愿具名）".to_owned()));
    assert_eq!(
        full_text(w.s.first_answer().unwrap().text.as_str()),
        "已设立联络点。涉案未成年人张某的情况经费已落实。"
    );
    assert!(w.replays());
    // Unpaired markers are refused when answering.
    let mut bad = World::given().assigned(vec![]).contacted(ContactPhase::Before);
    assert_eq!(
        bad.when(SuggestionCommand::Answer {
            class: AnswerClass::A,
            text: text("a[保密]b"),
            promised_on: None
        }),
        Err(SuggestionError::UnbalancedMarkers)
    );
    assert_eq!(
        bad.when(SuggestionCommand::Answer {
            class: AnswerClass::A,
            text: text("a[/保密]b[保密]c"),
            promised_on: None
        }),
        Err(SuggestionError::UnbalancedMarkers)
    );
}

#[test]
fn the_body_rates_once_in_its_own_track_within_the_audience() {
    let mut w = published(SuggestionPolicy::default(), Audience::Levels([DeputyLevel::City].into()));
    let body = |w: &mut World, r: Reader, rating, channel| {
        let comment = (rating == Bad).then(|| text("说明不够具体"));
        w.when(SuggestionCommand::RateAsBody { reader: r, rating, comment, channel })
    };
    assert_eq!(
        body(&mut w, reader(20, DeputyLevel::County, "鼓楼区"), Good, RatingChannel::OwnAccount),
        Err(SuggestionError::NotInAudience(deputy(20)))
    );
    assert_eq!(
        body(&mut w, reader(1, DeputyLevel::City, "鼓楼区"), Good, RatingChannel::OwnAccount),
        Err(SuggestionError::OwnEvaluation(deputy(1)))
    );
    let form =
        RatingChannel::PaperForm { form_ref: ShortText::parse("表1").unwrap(), transcribed_by: staff(3) };
    assert_eq!(
        body(&mut w, reader(21, DeputyLevel::City, "鼓楼区"), Good, form),
        Err(SuggestionError::NotTheDeputysOwn)
    );
    body(&mut w, reader(21, DeputyLevel::City, "鼓楼区"), Good, RatingChannel::OwnAccount).unwrap();
    assert_eq!(
        body(&mut w, reader(21, DeputyLevel::City, "鼓楼区"), Bad, RatingChannel::OwnAccount),
        Err(SuggestionError::AlreadyRated(deputy(21)))
    );
    body(
        &mut w,
        reader(22, DeputyLevel::City, "台江区"),
        Bad,
        RatingChannel::FeedbackLink { link: "l1".into() },
    )
    .unwrap();
    // Views are counted once; a rating counts as a view.
    let v = w.when(SuggestionCommand::View { reader: reader(23, DeputyLevel::City, "鼓楼区") }).unwrap();
    assert_eq!(v.len(), 1);
    assert!(
        w.when(SuggestionCommand::View { reader: reader(23, DeputyLevel::City, "鼓楼区") })
            .unwrap()
            .is_empty()
    );
    let p = &w.s.publications[0];
    assert_eq!((p.viewed.len(), p.ratings.len(), p.distribution()), (3, 2, (1, 0, 1)));
    // A third reader, 基本满意: one of each.
    body(&mut w, reader(24, DeputyLevel::City, "台江区"), Basic, RatingChannel::OwnAccount).unwrap();
    assert_eq!(w.s.publications[0].distribution(), (1, 1, 1));
    // By default the body's verdict does not count: the co-signers close it; both verdicts are kept.
    let w = w.rated_all([Good, Good, Basic]);
    assert_eq!(w.s.status, S::Closed);
    let o = w.s.rounds[0].outcome.clone().unwrap();
    assert_eq!(o.body, Some(BodyVerdict { satisfied: false, rated: 3, counted: false }));
    let f = figures([&w.s], date("2026-01-01"), date("2026-12-31"), GroupBy::All, date("2026-06-01"));
    // Three ratings (满意 + 基本满意 + 不满意), two of them at least 基本满意.
    assert_eq!((f.total.published, f.total.body_ratings, f.total.body_satisfied), (1, 3, 2));
    assert_eq!((f.total.final_permille(), f.total.body_permille()), (Some(1000), Some(667)));
    // The window closes.
    let mut late = published(SuggestionPolicy::default(), Audience::All).on("2026-06-01");
    assert!(matches!(
        late.when(SuggestionCommand::RateAsBody {
            reader: reader(30, DeputyLevel::City, "x"),
            rating: Good,
            comment: None,
            channel: RatingChannel::OwnAccount
        }),
        Err(SuggestionError::PublicationClosed(_))
    ));
}

#[test]
fn when_the_body_counts_a_published_round_waits_for_its_window_and_needs_both_verdicts() {
    let policy = SuggestionPolicy { body_counts: true, ..SuggestionPolicy::default() };
    let mut w = published(policy, Audience::All);
    w.when(SuggestionCommand::RateAsBody {
        reader: reader(30, DeputyLevel::City, "鼓楼区"),
        rating: Bad,
        comment: Some(text("未回应核心问题")),
        channel: RatingChannel::OwnAccount,
    })
    .unwrap();
    let w = w.rated_all([Good, Good, Good]);
    assert_eq!(w.s.status, S::Answered, "the round waits for the end of the window");
    let mut w = w.on("2026-04-01");
    w.when(SuggestionCommand::RecordLapse).unwrap();
    let o = w.s.rounds[0].outcome.clone().unwrap();
    assert_eq!(
        (o.verdict, o.by_lapse, o.body.as_ref().map(|b| b.counted)),
        (Verdict::Dissatisfied, false, Some(true))
    );
    assert_eq!(w.s.status, S::Rehandling, "the body's 不满意 counted");
}

#[test]
fn publishing_needs_an_answer_an_audience_and_happens_once_per_round() {
    let mut w = World::given().assigned(vec![]);
    assert!(matches!(
        w.when(SuggestionCommand::Publish { audience: Audience::All }),
        Err(SuggestionError::IllegalTransition { .. })
    ));
    let mut w = w.contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert_eq!(
        w.when(SuggestionCommand::Publish { audience: Audience::Regions(BTreeSet::new()) }),
        Err(SuggestionError::EmptyAudience)
    );
    let mut w = w.ok(SuggestionCommand::Publish { audience: Audience::All });
    assert_eq!(
        w.when(SuggestionCommand::Publish { audience: Audience::All }),
        Err(SuggestionError::AlreadyPublished(1))
    );
    assert_eq!(
        w.when(SuggestionCommand::SetAnonymity { deputy: deputy(9), anonymous: true }),
        Err(SuggestionError::NotASigner(deputy(9)))
    );
    assert_eq!(
        w.when(SuggestionCommand::SetAnonymity { deputy: deputy(1), anonymous: false }),
        Err(SuggestionError::NothingToChange)
    );
    let mut fresh = World::given();
    assert_eq!(
        fresh.when(SuggestionCommand::View { reader: reader(1, DeputyLevel::City, "x") }),
        Err(SuggestionError::NotPublished)
    );
}

proptest! {
    /// Whatever the text and its confidential parts, a publication never carries a withheld part, and the
    /// co-signers' text carries all of it.
    #[test]
    fn a_withheld_part_never_reaches_the_body(parts in proptest::collection::vec((any::<bool>(), "[a-z甲乙丙 ]{0,12}"), 1..8)) {
        let mut raw = String::new();
        let mut secrets = Vec::new();
        for (i, (secret, s)) in parts.iter().enumerate() {
            if *secret {
                let token = format!("机密{i}号{s}");
                raw.push_str(&format!("[保密]{token}[/保密]"));
                secrets.push(token);
            } else {
                raw.push_str(s);
            }
        }
        prop_assume!(!raw.trim().is_empty());
        let mut w = World::given().assigned(vec![]).contacted(ContactPhase::Before);
        w.when(SuggestionCommand::Answer { class: AnswerClass::A, text: text(&raw), promised_on: None }).unwrap();
        w.when(SuggestionCommand::Publish { audience: Audience::All }).unwrap();
        let p = &w.s.publications[0];
        for s in &secrets {
            prop_assert!(!p.text.contains(s.as_str()), "{s} reached the body");
            prop_assert!(full_text(&raw).contains(s.as_str()));
        }
        prop_assert_eq!(p.withheld as usize, secrets.len());
        prop_assert!(!p.text.contains("[保密]") && !p.text.contains("[/保密]"));
    }

    /// Random ratings by co-signers and by the body: nobody rates twice in a round, co-signers never land
    /// in the body's ratings nor the body in theirs, and a refusal changes nothing.
    #[test]
    fn no_deputy_rates_twice_in_a_round(ops in proptest::collection::vec((1u128..8, 0u8..3, any::<bool>()), 1..40)) {
        let mut w = published(SuggestionPolicy { body_counts: true, ..SuggestionPolicy::default() }, Audience::All);
        for (d, r, as_body) in ops {
            let rating = [Good, Basic, Bad][r as usize];
            let comment = Some(text("意见"));
            let c = if as_body {
                SuggestionCommand::RateAsBody { reader: reader(d, DeputyLevel::County, "鼓楼区"), rating, comment, channel: RatingChannel::OwnAccount }
            } else {
                SuggestionCommand::Rate { deputy: deputy(d), rating, comment, channel: RatingChannel::OwnAccount }
            };
            let before = w.s.clone();
            if w.when(c).is_err() {
                prop_assert_eq!(&w.s, &before);
            }
            let p = &w.s.publications[0];
            let own = &w.s.rounds[0].ratings;
            for d in p.ratings.keys() {
                prop_assert!(!w.s.evaluators().contains(d));
                prop_assert!(!own.contains_key(d));
            }
            for d in own.keys() {
                prop_assert!(w.s.evaluators().contains(d));
            }
            prop_assert!(w.replays());
        }
    }
}

#[test]
fn stored_facts_give_the_same_figures_and_stay_small() {
    let (a, b) = answered_and_rated();
    let open = World::given().assigned(vec![]);
    let items = [&a.s, &b.s, &open.s];
    let stored: Vec<SuggestionFacts> = items
        .iter()
        .map(|s| {
            let json = serde_json::to_string(&SuggestionFacts::of(s)).unwrap();
            assert!(json.len() < 300, "{} bytes: {json}", json.len());
            serde_json::from_str(&json).unwrap()
        })
        .collect();
    for (s, f) in items.iter().zip(&stored) {
        assert_eq!(*f, SuggestionFacts::of(s), "the facts survive storage");
    }
    for g in [GroupBy::All, GroupBy::Level, GroupBy::Department, GroupBy::Handler] {
        for today in ["2026-03-03", "2026-06-30", "2026-12-31"] {
            assert_eq!(
                figures(items, date("2026-01-01"), date("2026-12-31"), g, date(today)),
                figures_of_facts(&stored, date("2026-01-01"), date("2026-12-31"), g, date(today)),
            );
        }
    }
}

/// Rates shown to people are rounded to the nearest per mille: 2 of 3 is 66.7%, not 66.6%.
#[test]
fn figure_rates_are_rounded_not_truncated() {
    let r = FigureRow {
        answered: 3,
        answered_on_time: 2,
        first_round_rated: 3,
        first_round_satisfied: 1,
        ..Default::default()
    };
    assert_eq!((r.on_time_permille(), r.first_round_permille()), (Some(667), Some(333)));
}

/// Issue 11, item 8: the office re-assigns before the answer, with a reason; the deadlines stay; kept
/// co-handlers keep their due day, new ones owe theirs from the re-assignment; after the answer it is refused.
#[test]
fn the_office_reassigns_before_the_answer_and_the_deadlines_stay() {
    let w = World::given().assigned(vec![dept(2)]).on("2026-03-10");
    let before = w.s.assignment.clone().unwrap();
    let reassign = |co: Vec<DepartmentRef>| SuggestionCommand::Reassign {
        lead: dept(5),
        co_handlers: co,
        handler: staff(55),
        reason: text("主办部门有误，改由第五检察部主办"),
    };
    let mut w = w;
    assert_eq!(w.when(reassign(vec![dept(5)])), Err(SuggestionError::BadCoHandlers), "lead as co-handler");
    let w = w.ok(reassign(vec![dept(2), dept(3)]));
    let a = w.s.assignment.clone().unwrap();
    assert_eq!((a.lead.id, a.handler.user), (dept(5).id, staff(55).user));
    assert_eq!(
        (a.deadline, a.original_deadline, a.assigned_on),
        (before.deadline, before.original_deadline, before.assigned_on)
    );
    assert_eq!(a.co_handlers[0].due, before.co_handlers[0].due, "a kept co-handler keeps its due day");
    assert_eq!(
        a.co_handlers[1].due,
        date("2026-04-10"),
        "a new co-handler owes its opinion a month from now"
    );
    let r = &w.s.reassignments[0];
    assert_eq!(
        (r.on, r.from_lead.id, r.from_handler.user),
        (date("2026-03-10"), before.lead.id, before.handler.user)
    );
    let mut same = w.clone();
    assert_eq!(same.when(reassign(vec![dept(2), dept(3)])), Err(SuggestionError::NothingToChange));
    // Another handler in the same lead department, or only the co-handlers changed: a change.
    let other_handler = SuggestionCommand::Reassign {
        lead: dept(5),
        co_handlers: vec![dept(2), dept(3)],
        handler: staff(56),
        reason: text("承办人调岗"),
    };
    let moved = same.clone().ok(other_handler);
    assert_eq!(moved.s.assignment.as_ref().map(|a| a.handler.user), Some(staff(56).user));
    let fewer = same.clone().ok(reassign(vec![dept(2)]));
    assert_eq!(fewer.s.assignment.as_ref().map(|a| a.co_handlers.len()), Some(1));
    assert!(w.replays());
    let mut answered =
        World::given().assigned(vec![]).contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert!(matches!(answered.when(reassign(vec![])), Err(SuggestionError::IllegalTransition { .. })));
}

/// Issue 11, item 8: the lead department asks for an extension; it is a leader's duty until decided; once
/// granted, telling the deputies is a duty until a progress notice follows; a declined request is recorded.
#[test]
fn an_extension_is_requested_decided_and_told() {
    let mut w = World::given().assigned(vec![]);
    let ask = |d: &str| SuggestionCommand::RequestExtension {
        until: date(d),
        reason: text("涉及多部门协调"),
    };
    assert!(matches!(w.when(ask("2026-05-01")), Err(SuggestionError::ExtensionOutOfRange { .. })));
    let mut w = w.ok(ask("2026-08-31"));
    assert_eq!(w.when(ask("2026-08-30")), Err(SuggestionError::ExtensionPending));
    let kinds =
        |w: &World| w.s.obligations(&w.policy, &w.cal).iter().map(|o| (o.kind, o.due)).collect::<Vec<_>>();
    assert!(kinds(&w).contains(&(ObligationKind::ExtensionDecision, date("2026-03-09"))), "{:?}", kinds(&w));
    let declined = w.clone().ok(SuggestionCommand::DeclineExtension { reason: text("理由不充分") });
    assert_eq!((declined.s.extension_request.is_none(), declined.s.extensions_declined.len()), (true, 1));
    let mut d2 = declined.clone();
    assert_eq!(
        d2.when(SuggestionCommand::DeclineExtension { reason: text("x") }),
        Err(SuggestionError::NoExtensionRequest)
    );
    let w = w.on("2026-03-05").ok(SuggestionCommand::Extend {
        until: date("2026-08-31"),
        reason: text("涉及多部门协调"),
        approved_by: staff(90),
    });
    assert!(w.s.extension_request.is_none(), "the grant decides the request");
    assert!(
        kinds(&w).iter().any(|(k, d)| *k == ObligationKind::ExtensionNotice && *d == date("2026-03-12")),
        "{:?}",
        kinds(&w)
    );
    let w = w.ok(SuggestionCommand::NotifyProgress {
        text: text("经批准，答复期限延长至8月31日，原因是涉及多部门协调"),
    });
    assert!(!kinds(&w).iter().any(|(k, _)| *k == ObligationKind::ExtensionNotice));
    assert!(w.replays());
}

/// Issue 11, item 8: a rerouted item is followed until its outcome is recorded and the deputies are told.
#[test]
fn a_rerouted_item_is_followed_until_the_deputies_are_told_its_outcome() {
    let mut w = World::given().registered().ok(SuggestionCommand::Reroute {
        ground: RerouteGround::PendingCase,
        petition_ref: ShortText::parse("XF-2026-0001").unwrap(),
        notice: text("所反映问题涉及具体案件，已转控告申诉部门依法办理"),
    });
    let kinds =
        |w: &World| w.s.obligations(&w.policy, &w.cal).iter().map(|o| (o.kind, o.due)).collect::<Vec<_>>();
    assert_eq!(
        kinds(&w),
        [(ObligationKind::PetitionOutcome, date("2026-05-06"))],
        "2 months: 2 May, in the 1–5 May holiday"
    );
    assert_eq!(
        w.when(SuggestionCommand::TellRerouteOutcome { notice: text("x") }),
        Err(SuggestionError::NoRerouteOutcome)
    );
    let w = w.on("2026-04-01").ok(SuggestionCommand::RecordRerouteOutcome {
        outcome: text("控告申诉部门已依法审查并答复"),
    });
    assert_eq!(kinds(&w), [(ObligationKind::PetitionNotice, date("2026-04-08"))]);
    let mut w =
        w.ok(SuggestionCommand::TellRerouteOutcome { notice: text("已电话告知代表办理结果") });
    assert!(kinds(&w).is_empty());
    assert_eq!(
        w.when(SuggestionCommand::TellRerouteOutcome { notice: text("x") }),
        Err(SuggestionError::NothingToChange)
    );
    assert!(w.replays());
}

/// Issue 11, item 16: a deadline computed on an assumed year is recomputed when that year's schedule is
/// loaded, and the change is an event (recorded like every other); once extended, the extension governs.
#[test]
fn a_deadline_on_an_assumed_year_is_recomputed_when_the_schedule_is_loaded() {
    let mut w = World::given().on("2026-11-10").assigned(vec![]);
    assert_eq!(w.s.answer_due(), Some(date("2027-02-10")), "3 months; 2027 assumed (statutory days only)");
    assert_eq!(w.when(SuggestionCommand::RecomputeDeadline), Err(SuggestionError::NothingToChange));
    w.cal
        .add_year(
            2027,
            "test",
            &[("春节".into(), date("2027-02-05"), date("2027-02-11"))],
            &[date("2027-02-14")],
        )
        .unwrap();
    let w = w.ok(SuggestionCommand::RecomputeDeadline);
    assert_eq!(w.s.answer_due(), Some(date("2027-02-12")), "the published holiday runs to 11 February");
    assert!(matches!(
        w.log.last(),
        Some(SuggestionEvent::DeadlineRecomputed { from, to }) if *from == date("2027-02-10") && *to == date("2027-02-12")
    ));
    assert!(w.replays());
    let mut extended = World::given().assigned(vec![]).ok(SuggestionCommand::Extend {
        until: date("2026-08-31"),
        reason: text("涉及多部门协调"),
        approved_by: staff(90),
    });
    assert!(matches!(
        extended.when(SuggestionCommand::RecomputeDeadline),
        Err(SuggestionError::IllegalTransition { .. })
    ));
}

proptest! {
    /// Issue 11, item 6: a lapse is never a rating. Whatever some of the three co-signers said and the others
    /// did not, under any satisfaction rule: the round is satisfied only if the ratings given meet the rule
    /// even with every silent co-signer counted 不满意; a silence always shows as a lapse in the figures, and
    /// the satisfied count never exceeds the items decided by real ratings.
    #[test]
    fn a_silent_deputy_is_never_counted_satisfied(
        given in proptest::collection::vec(proptest::option::of(0usize..3), 3),
        rule in 0usize..3,
        percent in 1u8..=100,
    ) {
        let satisfaction = [SatisfactionPolicy::AllAtLeastBasic, SatisfactionPolicy::Majority, SatisfactionPolicy::Threshold { percent }][rule];
        let mut w = World::given();
        w.policy = SuggestionPolicy { satisfaction, ..SuggestionPolicy::default() };
        let mut w = w.assigned(vec![]).contacted(ContactPhase::Before).on("2026-04-10").answered(AnswerClass::A, None);
        let mut said = Vec::new();
        for (i, r) in given.iter().enumerate() {
            if let Some(r) = r {
                let rating = [Good, Basic, Bad][*r];
                if w.s.status == S::Answered {
                    w.rate(i as u128 + 1, rating).unwrap();
                    said.push(rating);
                }
            }
        }
        let silent = 3 - said.len();
        if w.s.status == S::Answered {
            let mut w2 = w.on("2026-05-13");
            w2.when(SuggestionCommand::RecordLapse).unwrap();
            w = w2;
        }
        let o = w.s.rounds[0].outcome.clone().unwrap();
        let mut padded = said.clone();
        padded.extend(std::iter::repeat_n(Bad, silent));
        if o.verdict == Verdict::Satisfied {
            prop_assert!(satisfaction.satisfied(&padded), "{:?} with {} silent counted satisfied", said, silent);
        }
        let f = figures([&w.s], date("2026-01-01"), date("2026-12-31"), GroupBy::Level, date("2026-06-01"));
        prop_assert_eq!(f.total.lapsed_deputies as usize, silent);
        prop_assert_eq!(f.total.lapsed, u32::from(silent > 0));
        prop_assert!(f.total.first_round_satisfied <= f.total.first_round_rated);
        if o.verdict == Verdict::Lapsed {
            prop_assert_eq!(f.total.first_round_rated, 0);
            prop_assert!(f.rows.iter().all(|r| r.first_round_satisfied == 0));
        }
    }
}

/// Issue 22: the figures of nine items built through `decide`/`apply`, every count exact; the same from
/// their stored facts.
#[test]
fn figures_of_items_built_by_their_commands_are_exact() {
    let (a, b) = answered_and_rated(); // a: A on time, satisfied; b: D late, 不满意, re-handling.
    let open = World::given().assigned(vec![]); // due 06-02, never answered
    let lapsed = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .on("2026-04-10")
        .answered(AnswerClass::A, None)
        .on("2026-05-13")
        .ok(SuggestionCommand::RecordLapse);
    let solved = World::given()
        .assigned(vec![])
        .contacted(ContactPhase::Before)
        .answered(AnswerClass::C, Some("2026-10-01"))
        .rated_all([Good, Good, Basic])
        .ok(SuggestionCommand::RecordSolved { text: text("已落实") });
    let merged = World::given()
        .registered()
        .ok(SuggestionCommand::MergeInto { target: SuggestionId(Uuid::from_u128(200)) });
    let rerouted = World::given().registered().ok(SuggestionCommand::Reroute {
        ground: RerouteGround::PendingCase,
        petition_ref: ShortText::parse("XF-2026-0001").unwrap(),
        notice: text("已转控告申诉部门依法办理"),
    });
    let withdrawn = (1..=3).fold(World::given().registered(), |w, n| {
        w.ok(SuggestionCommand::Withdraw { deputy: deputy(n), reason: text("问题已解决") })
    });
    let mut public = published(SuggestionPolicy::default(), Audience::All);
    for (n, rating) in [(21, Good), (22, Bad)] {
        let comment = (rating == Bad).then(|| text("说明不够具体"));
        public
            .when(SuggestionCommand::RateAsBody {
                reader: reader(n, DeputyLevel::City, "鼓楼区"),
                rating,
                comment,
                channel: RatingChannel::OwnAccount,
            })
            .unwrap();
    }
    let public = public.rated_all([Good, Good, Good]);
    let worlds = [&a, &b, &open, &lapsed, &solved, &merged, &rerouted, &withdrawn, &public];
    let items: Vec<&Suggestion> = worlds.iter().map(|w| &w.s).collect();
    assert_eq!(
        items.iter().map(|s| s.status).collect::<Vec<_>>(),
        [
            S::Closed,
            S::Rehandling,
            S::Assigned,
            S::Closed,
            S::Closed,
            S::Merged,
            S::Rerouted,
            S::Withdrawn,
            S::Closed
        ]
    );
    let at = |today: &str| {
        figures(items.iter().copied(), date("2026-01-01"), date("2026-12-31"), GroupBy::All, date(today))
    };
    let f = at("2026-07-10");
    let expected = FigureRow {
        key: "all".into(),
        label: "合计".into(),
        received: 9,
        rerouted: 1,
        merged: 1,
        withdrawn: 1,
        transferred: 0,
        answered: 5,
        answered_on_time: 4,
        overdue: 2,
        first_round_rated: 4,
        first_round_satisfied: 3,
        final_rated: 4,
        final_satisfied: 3,
        lapsed: 1,
        lapsed_deputies: 3,
        resolved_a: 3,
        resolved_later: 1,
        rehandled: 1,
        closed: 4,
        open: 2,
        published: 1,
        body_ratings: 2,
        body_satisfied: 1,
    };
    assert_eq!(f.total, expected);
    assert_eq!(
        (f.total.on_time_permille(), f.total.first_round_permille(), f.total.resolution_permille()),
        (Some(800), Some(750), Some(800))
    );
    assert_eq!(f.total.body_permille(), Some(500));
    // The unanswered item is due 06-02: not overdue that day, overdue from the next, and 38 days later.
    assert_eq!((at("2026-06-02").total.overdue, at("2026-06-03").total.overdue), (1, 2));
    let facts: Vec<SuggestionFacts> = items.iter().map(|s| SuggestionFacts::of(s)).collect();
    for today in ["2026-06-02", "2026-06-03", "2026-07-10"] {
        for g in [GroupBy::All, GroupBy::Level, GroupBy::Department] {
            assert_eq!(
                figures_of_facts(&facts, date("2026-01-01"), date("2026-12-31"), g, date(today)),
                figures(items.iter().copied(), date("2026-01-01"), date("2026-12-31"), g, date(today)),
            );
        }
    }
}
