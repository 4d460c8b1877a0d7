//! Tests of `appointment`: given/when/then and property tests.

use uuid::Uuid;

use super::*;
use crate::ids::DeputyId;
use crate::registry::{DeputyLevel, PersonName};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn org() -> Organisation {
    use crate::organisation::{Leader, Officer};
    let mut o = Organisation::default();
    for (n, name, title) in [(9, "张明", Some("检察长")), (10, "李强", None), (11, "林晓", None)] {
        let l = Leader {
            id: LeaderId(Uuid::from_u128(n)),
            name: PersonName::parse(name).unwrap(),
            title: title.map(|t| ShortText::parse(t).unwrap()),
        };
        o.leaders.insert(l.id, l);
    }
    for (n, name, active) in [(20, "林晓", true), (21, "陈静", false)] {
        let x = Officer {
            id: OfficerId(Uuid::from_u128(n)),
            name: PersonName::parse(name).unwrap(),
            department: None,
            regions: Default::default(),
            active,
        };
        o.officers.insert(x.id, x);
    }
    o
}

#[test]
fn the_official_is_a_person_of_the_organisation_however_written() {
    let o = org();
    let zhang = OfficialId::Leader(LeaderId(Uuid::from_u128(9)));
    for written in ["张明", "检察长张明", " 检察长张明 ", "检察长", &Uuid::from_u128(9).to_string()]
    {
        let (id, shown) = find_official(&o, written).unwrap();
        assert_eq!((id, shown.as_str()), (zhang, "检察长张明"), "{written}");
    }
    assert_eq!(find_official(&o, "李强").unwrap().0.key(), format!("leader:{}", Uuid::from_u128(10)));
    let e = find_official(&o, "王五").unwrap_err();
    assert_eq!(e, AppointmentError::UnknownOfficial("王五".into()));
    assert!(e.zh().contains("王五") && e.is_input(), "{}", e.zh());
    assert_eq!(find_official(&o, "副检察长"), Err(AppointmentError::UnknownOfficial("副检察长".into())));
    assert_eq!(find_official(&o, "陈静"), Err(AppointmentError::UnknownOfficial("陈静".into())), "inactive");
    assert_eq!(find_official(&o, "林晓"), Err(AppointmentError::AmbiguousOfficial("林晓".into())));
    let officer = find_official(&o, &Uuid::from_u128(20).to_string()).unwrap();
    assert_eq!(officer.0, OfficialId::Officer(OfficerId(Uuid::from_u128(20))));
}

#[test]
fn a_meeting_set_after_its_meet_by_day_needs_a_reason_and_shows_as_late() {
    let who = Signer {
        deputy: DeputyId(Uuid::from_u128(1)),
        name: PersonName::parse("王芳").unwrap(),
        level: DeputyLevel::City,
    };
    let (mut a, _) = Appointment::request(
        crate::ids::AppointmentId(uuid::Uuid::from_u128(1)),
        who,
        find_official(&org(), "张明").unwrap(),
        RequestChannel::Initiative,
        LongText::parse("通报工作").unwrap(),
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        (Period::WorkingDays(2), Period::WorkingDays(10)),
        &WorkCalendar::new(),
    );
    assert_eq!(a.meet_by, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap());
    let schedule = |from: &str, to: &str, why: Option<&str>| AppointmentCommand::Schedule {
        from: at(from),
        to: at(to),
        place: ShortText::parse("接待室").unwrap(),
        busy: vec![],
        late_reason: why.map(|w| LongText::parse(w).unwrap()),
    };
    let now = at("2026-06-02 09:00");
    let e = a.decide(schedule("2026-06-01 09:00", "2026-06-01 10:00", None), now).unwrap_err();
    assert_eq!(e, AppointmentError::InThePast(at("2026-06-01 09:00")), "a start that has passed");
    let e = a.decide(schedule("2026-06-16 09:00", "2026-06-16 10:00", None), now).unwrap_err();
    assert_eq!(e, AppointmentError::LateWithoutReason { meet_by: a.meet_by });
    assert!(e.zh().contains("逾期安排原因"), "{}", e.zh());
    let e = a.decide(schedule("2062-06-16 09:00", "2062-06-16 10:00", Some("x")), now).unwrap_err();
    assert!(matches!(e, AppointmentError::Date(ref x) if x.field == "from"), "{e:?}");
    for ev in a.decide(schedule("2026-06-16 09:00", "2026-06-16 10:00", Some("检察长出差")), now).unwrap()
    {
        a.apply(&ev);
    }
    assert!(a.late);
    assert_eq!(a.late_reason.as_ref().map(|r| r.as_str()), Some("检察长出差"));
    // Moved back within the window: no longer late, the reason not kept.
    for ev in a.decide(schedule("2026-06-15 09:00", "2026-06-15 10:00", Some("x")), now).unwrap() {
        a.apply(&ev);
    }
    assert!(!a.late && a.late_reason.is_none());
    // Records stored before these fields still read.
    let mut old = serde_json::to_value(&a).unwrap();
    let o = old.as_object_mut().unwrap();
    o.remove("late");
    o.remove("late_reason");
    o.remove("official_id");
    let back: Appointment = serde_json::from_value(old).unwrap();
    assert_eq!((back.late, back.official_id), (false, None));
}

#[test]
fn requested_acknowledged_scheduled_without_clash_and_held() {
    let who = Signer {
        deputy: DeputyId(Uuid::from_u128(1)),
        name: PersonName::parse("王芳").unwrap(),
        level: DeputyLevel::City,
    };
    let mut cal = WorkCalendar::new();
    cal.add_year(
        2026,
        "t",
        &[(
            "劳动节".into(),
            NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 5, 5).unwrap(),
        )],
        &[],
    )
    .unwrap();
    let (mut a, _) = Appointment::request(
        crate::ids::AppointmentId(uuid::Uuid::from_u128(1)),
        who,
        (OfficialId::Leader(LeaderId(Uuid::from_u128(9))), ShortText::parse("检察长张明").unwrap()),
        RequestChannel::Card,
        LongText::parse("反映企业合规问题").unwrap(),
        NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
        (Period::WorkingDays(2), Period::WorkingDays(10)),
        &cal,
    );
    assert_eq!(a.acknowledge_by, NaiveDate::from_ymd_opt(2026, 5, 7).unwrap(), "across the holiday");
    let run = |a: &mut Appointment, c, now: &str| -> Result<(), AppointmentError> {
        let before = a.clone();
        let r = a.decide(c, at(now));
        match r {
            Ok(es) => {
                for e in &es {
                    a.apply(e);
                }
                Ok(())
            }
            Err(e) => {
                assert_eq!(*a, before);
                Err(e)
            }
        }
    };
    let place = || ShortText::parse("接待室").unwrap();
    assert!(matches!(
        run(&mut a, AppointmentCommand::Hold { record: LongText::parse("x").unwrap() }, "2026-05-06 09:00"),
        Err(AppointmentError::IllegalTransition { .. })
    ));
    run(&mut a, AppointmentCommand::Acknowledge, "2026-05-06 09:00").unwrap();
    let busy = vec![(at("2026-05-08 09:00"), at("2026-05-08 10:00"))];
    assert_eq!(
        run(
            &mut a,
            AppointmentCommand::Schedule {
                from: at("2026-05-08 09:30"),
                to: at("2026-05-08 10:30"),
                place: place(),
                busy: busy.clone(),
                late_reason: None,
            },
            "2026-05-06 10:00"
        ),
        Err(AppointmentError::Clash(at("2026-05-08 09:00"), at("2026-05-08 10:00")))
    );
    assert_eq!(
        run(
            &mut a,
            AppointmentCommand::Schedule {
                from: at("2026-05-08 11:00"),
                to: at("2026-05-08 10:00"),
                place: place(),
                busy: vec![],
                late_reason: None,
            },
            "2026-05-06 10:00"
        ),
        Err(AppointmentError::BadTimes)
    );
    run(
        &mut a,
        AppointmentCommand::Schedule {
            from: at("2026-05-08 10:00"),
            to: at("2026-05-08 11:00"),
            place: place(),
            busy,
            late_reason: None,
        },
        "2026-05-06 10:00",
    )
    .unwrap();
    assert_eq!(
        run(&mut a, AppointmentCommand::Hold { record: LongText::parse("x").unwrap() }, "2026-05-08 09:00"),
        Err(AppointmentError::NotYet(at("2026-05-08 10:00")))
    );
    run(
        &mut a,
        AppointmentCommand::Hold { record: LongText::parse("承诺两周内书面答复").unwrap() },
        "2026-05-08 11:00",
    )
    .unwrap();
    assert_eq!(a.status, AppointmentStatus::Held);
    assert_eq!(a.next_due(), None);
}
