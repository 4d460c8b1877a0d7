//! The channels' stored forms: liaison cards, hotline calls, services, solicitations, visits and
//! appointments. A card, a call, a service and a visit are also their own audit payloads (the app writes
//! the state with each event), so their state's fixture pins the audit trail too.

use std::collections::BTreeSet;

use super::*;
use crate::appointment::{
    Appointment, AppointmentCommand, OfficialId, RequestAppointment, RequestChannel, RequestContext,
};
use crate::calendar::{Period, WorkCalendar};
use crate::channels::{
    CardCommand, HotlineCall, IssueCard, IssueContext, LiaisonCard, LogCall, OpenService, Route,
    SendSolicitation, Service, ServiceCommand, ServiceKind, Solicitation, SolicitationCommand,
};
use crate::ids::{
    AppointmentId, CallId, CardNumber, LeaderId, OfficerId, ServiceId, SolicitationId, VisitId,
};
use crate::meeting::{RaisedOpinion, RecordVisit, Visit, VisitPlace};
use crate::organisation::{OrgCommand, Organisation};

fn organisation() -> Organisation {
    let mut org = Organisation::default();
    let command = OrgCommand::AddOfficer {
        id: OfficerId(uuid(20)),
        name: crate::registry::PersonName::parse("林晓").expect("a name"),
        department: None,
        regions: BTreeSet::new(),
    };
    for e in org.decide(command).expect("an officer is added") {
        org.apply(&e);
    }
    org
}

#[test]
fn a_liaison_card_pins_its_stored_form_and_events() {
    let org = organisation();
    let issue = IssueCard { deputy: signer(1), officer: "林晓".into(), telephone: "0591-12345678".into() };
    let r = Record::<LiaisonCard>::create(
        CardNumber("LK-2026-0001".into()),
        issue,
        IssueContext { org: &org, cards: &[], today: date("2026-03-02") },
    )
    .then(CardCommand::Revoke { reason: short("联络员调离") }, date("2026-06-01"));
    assert_eq!(r.kinds(), ["card.issued", "card.revoked"]);
    pin(golden!("card"), &r);
}

/// A card stored before cards kept a version or named their officer by id: read at version 1, with no
/// officer id.
#[test]
fn a_card_from_before_versions_and_officer_ids_still_reads() {
    let card: LiaisonCard = read_old(old_form!("card.before_versions"));
    assert_eq!((card.version, card.officer_id), (1, None));
    assert_eq!(card.officer.as_str(), "林晓");
}

#[test]
fn a_hotline_call_pins_its_stored_form_and_event() {
    let r = Record::<HotlineCall>::create(
        CallId(uuid(60)),
        LogCall {
            at: at("2026-03-02 10:30"),
            deputy: Some(signer(1)),
            caller: short("王芳"),
            topic: long("反映某小区违建问题，希望检察机关关注"),
            routed_to: Route::Suggestion,
            reference: Some("suggestion:00000000-0000-0000-0000-000000000064".into()),
        },
        (),
    );
    assert_eq!(r.kinds(), ["hotline.call_logged"]);
    pin(golden!("call"), &r);
}

#[test]
fn a_service_pins_its_stored_form_and_events() {
    let open = |kind, text| OpenService { deputy: signer(1), kind, description: long(text) };
    let helped = Record::<Service>::create(
        ServiceId(uuid(30)),
        open(ServiceKind::PracticalHelp, "协助解决履职中遇到的实际困难"),
        date("2026-03-02"),
    )
    .then(ServiceCommand::Resolve { result: long("已协调相关部门解决") }, date("2026-03-10"));
    assert_eq!(helped.kinds(), ["service.opened", "service.resolved"]);
    pin(golden!("service"), &helped);
    let subscribed = Record::<Service>::create(
        ServiceId(uuid(31)),
        open(ServiceKind::Subscription, "订阅检察简报"),
        date("2026-03-02"),
    )
    .then(ServiceCommand::Deliver { item: short("检察简报2026年第1期") }, date("2026-03-15"));
    assert_eq!(subscribed.kinds(), ["service.opened", "service.delivered"]);
    pin(golden!("service.subscription"), &subscribed);
}

#[test]
fn a_solicitation_pins_its_stored_form_and_events() {
    let r = Record::<Solicitation>::create(
        SolicitationId(uuid(40)),
        SendSolicitation {
            title: short("关于检察工作报告的征求意见"),
            content: long("请对2025年检察工作报告稿提出意见"),
            by_forum: true,
            recipients: vec![deputy(1), deputy(2)],
        },
        date("2026-03-02"),
    )
    .then(SolicitationCommand::Respond { deputy: deputy(1), text: long("同意"), became: None }, ())
    .then(
        SolicitationCommand::Respond {
            deputy: deputy(2),
            text: long("建议增加公益诉讼的内容"),
            became: Some("suggestion:00000000-0000-0000-0000-000000000069".into()),
        },
        (),
    );
    assert_eq!(r.kinds(), ["solicitation.sent", "solicitation.responded", "solicitation.responded"]);
    pin(golden!("solicitation"), &r);
}

#[test]
fn a_visit_pins_its_stored_form_and_event() {
    let r = Record::<Visit>::create(
        VisitId(uuid(50)),
        RecordVisit {
            deputy: signer(1),
            on: date("2026-03-02"),
            place: VisitPlace::Home,
            staff: vec![short("林晓"), short("周宁")],
            notes: long("走访了解履职情况"),
            issues: vec![RaisedOpinion {
                deputy: deputy(1),
                text: long("希望多组织检察开放日"),
                became: Some("suggestion:00000000-0000-0000-0000-00000000006a".into()),
            }],
            recorded_by: staff(7),
        },
        date("2026-03-02"),
    );
    assert_eq!(r.kinds(), ["visit.recorded"]);
    pin(golden!("visit"), &r);
}

/// Requested by hotline, acknowledged, set after its meet-by day (with the reason), held.
#[test]
fn an_appointment_pins_its_stored_form_and_events() {
    let calendar = WorkCalendar::new();
    let r = Record::<Appointment>::create(
        AppointmentId(uuid(1000)),
        RequestAppointment {
            deputy: signer(1),
            official: (OfficialId::Leader(LeaderId(uuid(11))), short("张明检察长")),
            channel: RequestChannel::Hotline,
            topic: long("反映辖区未成年人保护问题"),
            periods: (Period::WorkingDays(2), Period::WorkingDays(10)),
        },
        RequestContext { today: date("2026-03-02"), calendar: &calendar },
    )
    .then(AppointmentCommand::Acknowledge, at("2026-03-03 09:00"))
    .then(
        AppointmentCommand::Schedule {
            from: at("2026-03-20 09:00"),
            to: at("2026-03-20 10:00"),
            place: short("本院接待室"),
            busy: vec![(at("2026-03-20 14:00"), at("2026-03-20 16:00"))],
            late_reason: Some(long("检察长外出学习，代表同意延后")),
        },
        at("2026-03-04 15:00"),
    )
    .then(AppointmentCommand::Hold { record: long("听取代表意见，承诺专项督办") }, at("2026-03-20 10:05"));
    assert_eq!(
        r.kinds(),
        ["appointment.requested", "appointment.acknowledged", "appointment.scheduled", "appointment.held"]
    );
    assert!(r.state.late);
    pin(golden!("appointment"), &r);
}

/// An appointment declined with an alternative.
#[test]
fn a_declined_appointment_pins_its_events() {
    let calendar = WorkCalendar::new();
    let r = Record::<Appointment>::create(
        AppointmentId(uuid(1001)),
        RequestAppointment {
            deputy: signer(2),
            official: (OfficialId::Leader(LeaderId(uuid(11))), short("张明检察长")),
            channel: RequestChannel::Hotline,
            topic: long("咨询案件进展"),
            periods: (Period::WorkingDays(2), Period::WorkingDays(10)),
        },
        RequestContext { today: date("2026-03-02"), calendar: &calendar },
    )
    .then(
        AppointmentCommand::Decline {
            reason: long("涉及个案，不宜约见"),
            alternative: long("由案件管理部门书面答复"),
        },
        at("2026-03-03 09:00"),
    );
    assert_eq!(r.kinds(), ["appointment.requested", "appointment.declined"]);
    pin(golden!("appointment.declined"), &r);
}

/// An appointment stored before the official was checked (free text) and before late ones were marked:
/// no `official_id`, `late` or `late_reason`.
#[test]
fn an_appointment_from_before_officials_were_checked_still_reads() {
    let a: Appointment = read_old(old_form!("appointment.before_official_ids"));
    assert_eq!((a.official_id, a.late, a.late_reason), (None, false, None));
    assert_eq!(a.official.as_str(), "张明检察长");
}

#[test]
fn a_supervisor_appointment_pins_its_stored_form_and_events() {
    use crate::ids::SupervisorAppointmentId;
    use crate::supervisor::{Appoint, SupervisorAppointment, SupervisorCommand, SupervisorKind};
    let r = Record::<SupervisorAppointment>::create(
        SupervisorAppointmentId(uuid(70)),
        Appoint {
            deputy: deputy(1),
            name: "王芳".into(),
            kind: SupervisorKind::Peoples,
            from: date("2026-01-01"),
            to: date("2030-12-31"),
            born: Some(date("1980-05-01")),
            roles: BTreeSet::new(),
        },
        (),
    )
    .then(SupervisorCommand::End { reason: "调离本地".into() }, date("2027-03-01"));
    assert_eq!(r.kinds(), ["supervisor.appointed", "supervisor.ended"]);
    pin(golden!("supervisor"), &r);
}

#[test]
fn a_supervisor_appointment_from_before_versions_still_reads() {
    use crate::supervisor::SupervisorAppointment;
    let a: SupervisorAppointment = read_old(old_form!("supervisor.before_versions"));
    assert_eq!((a.version, a.name.as_str(), a.ended.is_none()), (1, "王芳", true));
}
