//! The liaison calendar gathers every dated record: activities, inspections and case reviews beside the
//! meetings, visits and appointments, and its iCalendar file keeps RFC 5545's structure.

use super::*;

#[test]
fn the_calendar_shows_activities_inspections_reviews_and_timed_appointments() {
    let w = World::new();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let activity = rt()
        .block_on(w.app.plan_activity(
            &w.office,
            &ActivityInput {
                kind: "检察开放日".into(),
                title: "走进检察院".into(),
                on: "2026-05-20".into(),
                place: "本院".into(),
                seats: 2,
                levels: vec![],
                selection: "lottery".into(),
            },
        ))
        .unwrap();
    // An inspection that began before the calendar's first day still shows: it runs into it.
    let inspection = rt()
        .block_on(w.app.plan_inspection(
            &w.office,
            &InspectionInput {
                kind: "评议".into(),
                title: "公益诉讼工作评议".into(),
                organiser_ref: "市人大常委会〔2026〕5号".into(),
                from: "2026-02-27".into(),
                to: "2026-03-03".into(),
                participants: vec![w.deputies[1].0.clone()],
                materials: vec![],
                items: vec!["办案质效".into()],
            },
        ))
        .unwrap();
    let review = rt()
        .block_on(w.app.register_review(
            &w.office,
            &ReviewInput {
                case_ref: "榕检刑不诉〔2026〕12号".into(),
                kind: "拟不起诉案件".into(),
                summary: "拟作相对不起诉".into(),
            },
        ))
        .unwrap();
    w.add_leader("张明", "检察长");
    let a = rt()
        .block_on(w.app.request_appointment(
            &w.office,
            &AppointmentInput {
                deputy: w.deputies[0].0.clone(),
                official: "检察长".into(),
                channel: "联络卡".into(),
                topic: "反映企业合规问题".into(),
            },
        ))
        .unwrap();
    let step =
        |action| rt().block_on(w.app.appointment_action(&w.office, &a.id.to_string(), None, action)).unwrap();
    step(AppointmentAction::Acknowledge {});
    step(AppointmentAction::Schedule {
        from: "2026-03-10 09:30".into(),
        to: "2026-03-10 11:00".into(),
        place: "接待室".into(),
        late_reason: None,
    });

    let cal = w.app.liaison_calendar(&w.office, d("2026-03-01"), d("2026-12-31")).unwrap();
    let kinds: Vec<(&str, String)> = cal.iter().map(|e| (e.kind.as_str(), e.id.clone())).collect();
    assert_eq!(
        kinds,
        [
            ("inspection", inspection.inspection.id.to_string()),
            ("review", review.review.id.to_string()),
            ("appointment", a.id.to_string()),
            ("activity", activity.activity.id.to_string()),
        ],
        "{cal:?}"
    );
    assert_eq!((cal[0].on, cal[0].until), (d("2026-02-27"), Some(d("2026-03-03"))));
    assert_eq!(cal[2].time.map(|t| t.0.format("%H:%M").to_string()).as_deref(), Some("09:30"));

    let ics = w.app.liaison_ics(&w.office, d("2026-03-01"), d("2026-12-31")).unwrap();
    crate::agenda::tests::check_rfc5545(&ics).unwrap_or_else(|e| panic!("{e}\n{ics}"));
    for line in [
        "DTSTART;VALUE=DATE:20260227",
        "DTEND;VALUE=DATE:20260304",
        "DTSTART:20260310T013000Z",
        "DTEND:20260310T030000Z",
        "DTSTART;VALUE=DATE:20260520",
        "DTEND;VALUE=DATE:20260521",
    ] {
        assert!(ics.contains(&format!("{line}\r\n")), "{line} missing:\n{ics}");
    }
    // Before it, nothing of the inspection: it ended on the 3rd.
    let later = w.app.liaison_calendar(&w.office, d("2026-03-04"), d("2026-12-31")).unwrap();
    assert!(later.iter().all(|e| e.kind != "inspection"), "{later:?}");
}
