//! Tests of `meeting`: given/when/then and property tests.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::organisation::DeputyRef;
use crate::registry::{DeputyLevel, PersonName};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn signer(n: u128) -> Signer {
    Signer {
        deputy: DeputyId(Uuid::from_u128(n)),
        name: PersonName::parse("王芳").unwrap(),
        level: DeputyLevel::County,
    }
}
fn dref(n: u128, level: DeputyLevel, region: &str) -> DeputyRef {
    DeputyRef {
        id: DeputyId(Uuid::from_u128(n)),
        name: "代表".into(),
        level,
        region: region.into(),
        delegation: None,
        officer: None,
        department: None,
    }
}
fn given() -> Meeting {
    let e = Meeting::plan(
        ShortText::parse("人大代表座谈会").unwrap(),
        d("2026-05-10"),
        ShortText::parse("本院会议室").unwrap(),
        vec![AgendaItem {
            kind: AgendaKind::WorkReport, title: ShortText::parse("通报一季度工作").unwrap()
        }],
        vec![signer(1), signer(2)],
    )
    .unwrap();
    Meeting::from_planned(crate::ids::MeetingId(uuid::Uuid::from_u128(1)), &e).unwrap()
}
fn when(m: &mut Meeting, c: MeetingCommand, today: &str) -> Result<(), MeetingError> {
    let before = m.clone();
    match m.decide(c, d(today)) {
        Ok(es) => {
            for e in &es {
                m.apply(e);
            }
            Ok(())
        }
        Err(e) => {
            assert_eq!(*m, before);
            Err(e)
        }
    }
}

#[test]
fn a_meeting_is_planned_held_and_its_opinions_recorded() {
    assert_eq!(
        Meeting::plan(
            ShortText::parse("x").unwrap(),
            d("2026-05-10"),
            ShortText::parse("y").unwrap(),
            vec![],
            vec![]
        ),
        Err(MeetingError::NoAgenda)
    );
    let mut m = given();
    let minutes = LongText::parse("代表提出意见三条").unwrap();
    assert_eq!(
        when(
            &mut m,
            MeetingCommand::Hold { attended: BTreeSet::new(), minutes: minutes.clone() },
            "2026-05-09"
        ),
        Err(MeetingError::NotYet(d("2026-05-10")))
    );
    let stranger = DeputyId(Uuid::from_u128(9));
    assert_eq!(
        when(
            &mut m,
            MeetingCommand::Hold { attended: [stranger].into(), minutes: minutes.clone() },
            "2026-05-10"
        ),
        Err(MeetingError::NotPresent(stranger))
    );
    assert_eq!(
        when(&mut m, MeetingCommand::Invite { deputies: vec![signer(1)] }, "2026-05-01"),
        Err(MeetingError::NothingToChange)
    );
    when(&mut m, MeetingCommand::Invite { deputies: vec![signer(3)] }, "2026-05-01").unwrap();
    when(
        &mut m,
        MeetingCommand::Hold { attended: [signer(1).deputy, signer(3).deputy].into(), minutes },
        "2026-05-10",
    )
    .unwrap();
    let raise = |n| MeetingCommand::RaiseOpinion {
        opinion: RaisedOpinion {
            deputy: signer(n).deputy,
            text: LongText::parse("加强信访工作").unwrap(),
            became: None,
        },
    };
    assert_eq!(
        when(&mut m, raise(2), "2026-05-10"),
        Err(MeetingError::NotPresent(signer(2).deputy)),
        "invited but absent"
    );
    when(&mut m, raise(1), "2026-05-10").unwrap();
    assert!(matches!(
        when(&mut m, MeetingCommand::Cancel { reason: LongText::parse("x").unwrap() }, "2026-05-11"),
        Err(MeetingError::IllegalTransition { .. })
    ));
    assert_eq!(m.opinions.len(), 1);
}

#[test]
fn periods_parse_and_bound_their_days() {
    let h1 = PlanPeriod::parse("2026h1").unwrap();
    assert_eq!((h1.from(), h1.to(), h1.to_string()), (d("2026-01-01"), d("2026-06-30"), "2026H1".to_owned()));
    assert_eq!(PlanPeriod::parse("2026").unwrap().to(), d("2026-12-31"));
    for bad in ["2026H3", "26", "", "2026-1"] {
        assert!(PlanPeriod::parse(bad).is_err(), "{bad}");
    }
    let p = progress(
        &Targets { meetings: 2, reached_percent: 50, notices: 1, activities: 0 },
        &Achieved { meetings: 2, reached: 1, deputies: 4, notices: 0, activities: 0 },
    );
    assert_eq!(
        p.iter().map(|x| (x.achieved, x.met)).collect::<Vec<_>>(),
        vec![(2, true), (25, false), (0, false), (0, true)]
    );
}

proptest! {
    /// Reach counts each deputy once, across meetings and visits inside the period only; every level has
    /// a row; reached + not reached = the register.
    #[test]
    fn reach_counts_every_deputy_once(att in proptest::collection::vec(proptest::collection::btree_set(1u128..20, 0..8), 0..4), visits in proptest::collection::vec((1u128..20, 0i64..400), 0..10)) {
        let deputies: Vec<DeputyRef> = (1..20).map(|n| dref(n, DeputyLevel::ALL[(n % 5) as usize], if n % 2 == 0 { "鼓楼区" } else { "台江区" })).collect();
        let meetings: Vec<Meeting> = att.iter().map(|a| {
            let mut m = given();
            for n in a { if !m.invited.iter().any(|i| i.deputy == signer(*n).deputy) { m.invited.push(signer(*n)); } }
            let es = m.decide(MeetingCommand::Hold { attended: a.iter().map(|n| signer(*n).deputy).collect(), minutes: LongText::parse("纪要").unwrap() }, d("2026-05-10")).unwrap();
            for e in &es { m.apply(e); }
            m
        }).collect();
        let vs: Vec<Visit> = visits.iter().map(|(n, off)| Visit {
            id: crate::ids::VisitId(uuid::Uuid::from_u128(99)), deputy: signer(*n), on: d("2026-01-01") + chrono::Duration::days(*off), place: VisitPlace::Home,
            staff: vec![], notes: LongText::parse("走访").unwrap(), issues: vec![], recorded_by: StaffRef { user: crate::ids::UserId(Uuid::nil()), name: "x".into() },
        }).collect();
        let r = reach(&deputies, &meetings, &vs, d("2026-01-01"), d("2026-12-31"));
        let mut expected: BTreeSet<u128> = att.iter().flatten().copied().collect();
        expected.extend(visits.iter().filter(|(_, off)| *off < 365).map(|(n, _)| *n));
        prop_assert_eq!(r.reached as usize, expected.len());
        prop_assert_eq!(r.reached as usize + r.not_reached.len(), deputies.len());
        prop_assert_eq!(r.by_level.len(), 5);
        prop_assert_eq!(r.by_level.iter().map(|x| x.2).sum::<u32>(), r.reached);
    }
}
