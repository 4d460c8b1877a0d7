//! Every aggregate through the one given/when/then helper: a creation, an accepted command and a refused
//! one each, so the laws of [`Aggregate`] (a refusal changes nothing, version = number of events) are
//! checked for every workflow. The workflows' own tests cover their rules in depth.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use uuid::Uuid;

use super::testing::{given, nothing};
use crate::Aggregate;
use crate::access::Role;
use crate::account::{Account, AccountCommand, AccountKind, Acting, NewAccount, OpenAccount};
use crate::activity::{Activity, ActivityCommand, ActivityEvent, ActivityKind, PlanActivity, Selection};
use crate::appointment::{
    Appointment, AppointmentCommand, OfficialId, RequestAppointment, RequestChannel, RequestContext,
};
use crate::budget::{Budget, BudgetCommand, BudgetEvent, Category};
use crate::calendar::{Period, WorkCalendar};
use crate::channels::{
    CardCommand, CardEvent, HotlineCall, IssueCard, IssueContext, LiaisonCard, LogCall, OpenService, Route,
    SendSolicitation, Service, ServiceCommand, ServiceEvent, ServiceKind, Solicitation, SolicitationCommand,
    SolicitationEvent,
};
use crate::commendation::{
    Contribution, Evidence, EvidenceKind, Nominate, Nomination, NominationCommand, Standing,
};
use crate::deliberation::{Deliberation, DeliberationCommand, OpenDeliberation};
use crate::ids::*;
use crate::inspection::{Inspection, InspectionCommand, InspectionKind, PlanInspection};
use crate::meeting::{
    AgendaItem, AgendaKind, Meeting, MeetingCommand, Plan, PlanCommand, PlanMeeting, PlanPeriod, RecordVisit,
    Targets, Visit, VisitPlace,
};
use crate::notice::{Channel, DraftNotice, Notice, NoticeAudience, NoticeCommand};
use crate::organisation::{OrgCommand, Organisation};
use crate::registry::{
    Deputy, DeputyCommand, DeputyLevel, DeputyStatus, DuplicateReason, LongText, PersonName, RegisterDeputy,
    ShortText,
};
use crate::review::{RegisterReview, Review, ReviewCommand, ReviewKind};
use crate::scope::Grant;
use crate::suggestion::Measure;
use crate::suggestion::{
    Ctx, DepartmentRef, MeasureCommand, MeasureOrigin, OpenMeasure, Receive, Signer, Source, StaffRef,
    Suggestion, SuggestionCommand, SuggestionNumber, SuggestionPolicy,
};
use crate::tests::{date, input};

fn short(s: &str) -> ShortText {
    ShortText::parse(s).unwrap()
}
fn long(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}
fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}
fn signer(n: u128) -> Signer {
    Signer { deputy: DeputyId(uuid(n)), name: PersonName::parse("王芳").unwrap(), level: DeputyLevel::City }
}
fn staff() -> StaffRef {
    StaffRef { user: UserId(uuid(7)), name: "李主任".into() }
}
fn department() -> DepartmentRef {
    DepartmentRef { id: DepartmentId(uuid(8)), name: short("第一检察部") }
}
fn today() -> NaiveDate {
    date("2026-03-02")
}

#[test]
fn a_deputy_is_registered_once_and_changes_by_its_rules() {
    let id = DeputyId(uuid(1));
    let draft = input("张三").parse().unwrap();
    nothing::<Deputy>(&id)
        .when_created(
            RegisterDeputy {
                draft: input("张三").parse().unwrap(),
                duplicate: Some((id, DuplicateReason::SameIdNumber)),
            },
            today(),
        )
        .then_refused("deputy.duplicate");
    let (d, events) = nothing::<Deputy>(&id)
        .when_created(RegisterDeputy { draft, duplicate: None }, today())
        .then_kinds(&["deputy.registered"]);
    assert_eq!(d.status, DeputyStatus::InOffice);
    given::<Deputy>(&id, &events)
        .when(DeputyCommand::TakeOffice { date: today() }, ())
        .then_refused("deputy.illegal_transition");
    let (d, _) =
        given::<Deputy>(&id, &events).when(DeputyCommand::EndTerm { date: today() }, ()).then_accepted();
    assert_eq!((d.status, d.version), (DeputyStatus::TermEnded, 2));
}

#[test]
fn the_organisation_starts_with_its_first_command() {
    let tenant = TenantId::parse("gulou").unwrap();
    let add = || OrgCommand::AddRegion { name: short("鼓楼区") };
    let o = nothing::<Organisation>(&tenant).when_created(add(), ()).then(&[add()]);
    assert_eq!(o.version, 1);
    given::<Organisation>(&tenant, &[add()]).when(add(), ()).then_refused("org.name_taken");
    given::<Organisation>(&tenant, &[add()])
        .when(OrgCommand::AddRegion { name: short("台江区") }, ())
        .then(&[OrgCommand::AddRegion { name: short("台江区") }]);
}

#[test]
fn an_account_is_opened_and_changed_by_another_administrator() {
    let id = UserId(uuid(10));
    let acting = Acting { by: UserId(uuid(1)), now: Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap() };
    let new = |roles: Vec<Role>| NewAccount {
        id,
        kind: AccountKind::Person,
        roles,
        deputy: None,
        department: None,
        grant: Grant::default(),
    };
    nothing::<Account>(&id)
        .when_created(OpenAccount { new: new(vec![]), deputy_account: None }, acting)
        .then_refused("account.no_role");
    let (a, events) = nothing::<Account>(&id)
        .when_created(OpenAccount { new: new(vec![Role::Office]), deputy_account: None }, acting)
        .then_kinds(&["user.created", "user.roles_requested"]);
    assert!(a.pending.is_some() && a.roles.is_empty());
    given::<Account>(&id, &events)
        .when(AccountCommand::Approve, Acting { by: id, ..acting })
        .then_refused("account.own_account");
    let (a, _) = given::<Account>(&id, &events)
        .when(AccountCommand::Approve, Acting { by: UserId(uuid(2)), ..acting })
        .then_kinds(&["user.roles_granted"]);
    assert_eq!(a.roles, vec![Role::Office]);
}

#[test]
fn a_suggestion_is_received_then_decided_with_its_context() {
    let id = SuggestionId(uuid(100));
    let (policy, calendar) = (SuggestionPolicy::default(), WorkCalendar::new());
    let cx = Ctx { today: today(), policy: &policy, calendar: &calendar };
    let receive = |proposers| Receive {
        title: short("关于加强未成年人检察工作的建议"),
        content: long("建议设立联络点。"),
        source: Source::BetweenSessions,
        on: today(),
        proposers,
    };
    nothing::<Suggestion>(&id).when_created(receive(vec![]), ()).then_refused("suggestion.bad_signers");
    let (_, received) = nothing::<Suggestion>(&id)
        .when_created(receive(vec![signer(1)]), ())
        .then_kinds(&["suggestion.received"]);
    let register = || SuggestionCommand::Register { number: SuggestionNumber { year: 2026, seq: 1 } };
    let (_, registered) =
        given::<Suggestion>(&id, &received).when(register(), cx).then_kinds(&["suggestion.registered"]);
    let log: Vec<_> = received.into_iter().chain(registered).collect();
    given::<Suggestion>(&id, &log).when(register(), cx).then_refused("suggestion.illegal_transition");
}

#[test]
fn a_measure_is_opened_then_reported_on() {
    let id = MeasureId(uuid(200));
    let open = |deputies| OpenMeasure {
        title: short("整改"),
        description: long("完善联络机制"),
        origin: MeasureOrigin::Suggestion { id: SuggestionId(uuid(100)), number: None },
        owner: department(),
        deadline: date("2026-06-30"),
        deputies,
    };
    nothing::<Measure>(&id).when_created(open(vec![]), today()).then_refused("measure.no_deputies");
    let (_, opened) =
        nothing::<Measure>(&id).when_created(open(vec![signer(1)]), today()).then_kinds(&["measure.opened"]);
    given::<Measure>(&id, &opened)
        .when(MeasureCommand::ReportBack { text: long("已反馈") }, today())
        .then_refused("measure.illegal_transition");
    given::<Measure>(&id, &opened)
        .when(MeasureCommand::Complete { result: long("已完成") }, today())
        .then_kinds(&["measure.completed"]);
}

#[test]
fn a_deliberation_is_opened_then_closed_once() {
    let id = DeliberationId(uuid(300));
    let open = OpenDeliberation { session: short("市十六届人大五次会议"), opens_on: today() };
    let (_, opened) =
        nothing::<Deliberation>(&id).when_created(open, today()).then_kinds(&["deliberation.opened"]);
    let (_, closed) = given::<Deliberation>(&id, &opened)
        .when(DeliberationCommand::Close, today())
        .then_kinds(&["deliberation.closed"]);
    let log: Vec<_> = opened.into_iter().chain(closed).collect();
    given::<Deliberation>(&id, &log)
        .when(DeliberationCommand::Close, today())
        .then_refused("deliberation.closed");
}

#[test]
fn a_notice_is_drafted_then_approved_before_it_is_sent() {
    let id = NoticeId(uuid(400));
    let draft = |deputies: BTreeSet<DeputyId>| DraftNotice {
        title: short("重大事项通报"),
        content: long("内容"),
        audience: NoticeAudience::Chosen { deputies },
        channel: Channel::Letter,
        by: None,
    };
    nothing::<Notice>(&id)
        .when_created(draft(BTreeSet::new()), today())
        .then_refused("notice.empty_audience");
    let (_, drafted) = nothing::<Notice>(&id)
        .when_created(draft(BTreeSet::from([DeputyId(uuid(1))])), today())
        .then_kinds(&["notice.drafted"]);
    given::<Notice>(&id, &drafted)
        .when(NoticeCommand::Send { register: vec![] }, today())
        .then_refused("notice.illegal_transition");
    given::<Notice>(&id, &drafted)
        .when(NoticeCommand::Approve { by: staff() }, today())
        .then_kinds(&["notice.approved"]);
}

#[test]
fn a_meeting_is_planned_then_cancelled_once() {
    let id = MeetingId(uuid(500));
    let plan = |agenda| PlanMeeting {
        title: short("代表座谈会"),
        on: date("2026-04-01"),
        place: short("本院"),
        agenda,
        invited: vec![signer(1)],
    };
    nothing::<Meeting>(&id).when_created(plan(vec![]), ()).then_refused("meeting.no_agenda");
    let agenda = vec![AgendaItem { kind: AgendaKind::WorkReport, title: short("通报工作") }];
    let (_, planned) =
        nothing::<Meeting>(&id).when_created(plan(agenda), ()).then_kinds(&["meeting.planned"]);
    let cancel = || MeetingCommand::Cancel { reason: long("改期") };
    let (_, cancelled) =
        given::<Meeting>(&id, &planned).when(cancel(), today()).then_kinds(&["meeting.cancelled"]);
    let log: Vec<_> = planned.into_iter().chain(cancelled).collect();
    given::<Meeting>(&id, &log).when(cancel(), today()).then_refused("meeting.illegal_transition");
}

#[test]
fn a_plan_is_set_then_adopted_once() {
    let period = PlanPeriod { year: 2026, half: None };
    let targets = Targets { meetings: 4, ..Targets::default() };
    let (_, set) = nothing::<Plan>(&period)
        .when_created(PlanCommand::SetTargets { targets, notes: None }, today())
        .then_kinds(&["plan.targets_set"]);
    given::<Plan>(&period, &set)
        .when(PlanCommand::SetTargets { targets, notes: None }, today())
        .then_refused("meeting.nothing_to_change");
    let (_, adopted) = given::<Plan>(&period, &set)
        .when(PlanCommand::Adopt { by: staff() }, today())
        .then_kinds(&["plan.adopted"]);
    let log: Vec<_> = set.into_iter().chain(adopted).collect();
    given::<Plan>(&period, &log)
        .when(PlanCommand::Adopt { by: staff() }, today())
        .then_refused("plan.adopted");
}

#[test]
fn an_activity_is_planned_then_cancelled_before_any_draw() {
    let id = ActivityId(uuid(600));
    let plan = |seats| PlanActivity {
        kind: ActivityKind::OpenDay,
        title: short("检察开放日"),
        on: date("2026-05-20"),
        place: short("本院"),
        seats,
        levels: BTreeSet::new(),
        selection: Selection::Rotation,
        replans: None,
    };
    nothing::<Activity>(&id).when_created(plan(0), ()).then_refused("activity.no_seats");
    let (a, planned) = nothing::<Activity>(&id).when_created(plan(5), ()).then_kinds(&["activity.planned"]);
    assert!(matches!(&planned[0], ActivityEvent::Planned { activity } if activity.id == id));
    assert_eq!(a.version, 1);
    given::<Activity>(&id, &planned)
        .when(ActivityCommand::Hold { attended: BTreeSet::new() }, today())
        .then_refused("activity.illegal_transition");
    given::<Activity>(&id, &planned)
        .when(ActivityCommand::Cancel { reason: long("天气原因") }, today())
        .then_kinds(&["activity.cancelled"]);
}

#[test]
fn an_inspection_is_planned_then_held() {
    let id = InspectionId(uuid(700));
    let plan = |participants| PlanInspection {
        kind: InspectionKind::Inspection,
        title: short("视察"),
        organiser_ref: short("常委会办公厅"),
        period: (date("2026-03-01"), date("2026-03-02")),
        participants,
        materials: vec![],
        items: vec![short("办案质效")],
    };
    nothing::<Inspection>(&id).when_created(plan(vec![]), today()).then_refused("inspection.no_participants");
    let (_, planned) = nothing::<Inspection>(&id)
        .when_created(plan(vec![signer(1)]), today())
        .then_kinds(&["inspection.planned"]);
    given::<Inspection>(&id, &planned)
        .when(InspectionCommand::Report { text: long("报告") }, today())
        .then_refused("inspection.illegal_transition");
    given::<Inspection>(&id, &planned)
        .when(InspectionCommand::Hold, today())
        .then_kinds(&["inspection.held"]);
}

#[test]
fn a_review_is_registered_then_recusals_come_before_the_draw() {
    let id = ReviewId(uuid(800));
    let register = |replans| RegisterReview {
        case_ref: short("榕鼓检刑不诉〔2026〕1号"),
        kind: ReviewKind::ProposedNonProsecution,
        summary: long("拟不起诉"),
        on: today(),
        replans,
    };
    let (r, registered) =
        nothing::<Review>(&id).when_created(register(None), ()).then_kinds(&["review.registered"]);
    assert!(r.replan.is_none());
    let (r, _) = nothing::<Review>(&id)
        .when_created(register(Some("earlier".into())), ())
        .then_kinds(&["review.registered"]);
    assert!(r.replan.is_some(), "a review registered again waits for approval");
    given::<Review>(&id, &registered)
        .when(ReviewCommand::DeclareRecusal { deputy: DeputyId(uuid(1)), reason: long("近亲属") }, today())
        .then_kinds(&["review.recusal_declared"]);
    given::<Review>(&id, &registered)
        .when(ReviewCommand::RecuseAfterDraw { deputy: DeputyId(uuid(1)), reason: long("近亲属") }, today())
        .then_refused("review.illegal_transition");
}

#[test]
fn a_nomination_needs_evidence_then_an_approval() {
    let id = NominationId(uuid(900));
    let contribution = |evidence: Vec<Evidence>| Contribution {
        deputy: signer(1),
        total: evidence.iter().map(|e| e.points).sum(),
        by_kind: BTreeMap::new(),
        evidence,
    };
    let nominate = |evidence| Nominate {
        contribution: contribution(evidence),
        period: (date("2025-01-01"), date("2025-12-31")),
        reasons: long("履职积极"),
    };
    let standing = Standing { status: DeputyStatus::InOffice, earlier: &[], today: today() };
    nothing::<Nomination>(&id)
        .when_created(nominate(vec![]), standing)
        .then_refused("nomination.no_evidence");
    let evidence = vec![Evidence {
        kind: EvidenceKind::Suggestion,
        reference: "suggestion 2025-0001".into(),
        on: date("2025-03-01"),
        points: 3,
    }];
    let (_, nominated) = nothing::<Nomination>(&id)
        .when_created(nominate(evidence), standing)
        .then_kinds(&["nomination.nominated"]);
    given::<Nomination>(&id, &nominated)
        .when(NominationCommand::Accept, today())
        .then_refused("nomination.illegal_transition");
    given::<Nomination>(&id, &nominated)
        .when(NominationCommand::Approve { by: staff() }, today())
        .then_kinds(&["nomination.approved"]);
}

#[test]
fn an_appointment_is_requested_then_acknowledged_once() {
    let id = AppointmentId(uuid(1000));
    let calendar = WorkCalendar::new();
    let request = RequestAppointment {
        deputy: signer(1),
        official: (OfficialId::Leader(LeaderId(uuid(11))), short("张检察长")),
        channel: RequestChannel::Hotline,
        topic: long("反映情况"),
        periods: (Period::WorkingDays(2), Period::WorkingDays(10)),
    };
    let (_, requested) = nothing::<Appointment>(&id)
        .when_created(request, RequestContext { today: today(), calendar: &calendar })
        .then_kinds(&["appointment.requested"]);
    let now: NaiveDateTime = today().and_hms_opt(9, 0, 0).unwrap();
    let (_, acknowledged) = given::<Appointment>(&id, &requested)
        .when(AppointmentCommand::Acknowledge, now)
        .then_kinds(&["appointment.acknowledged"]);
    let log: Vec<_> = requested.into_iter().chain(acknowledged).collect();
    given::<Appointment>(&id, &log)
        .when(AppointmentCommand::Acknowledge, now)
        .then_refused("appointment.illegal_transition");
}

#[test]
fn a_budget_starts_with_its_first_line_and_is_adopted_once() {
    let year = BudgetYear(2026);
    let line = BudgetCommand::SetLine { category: Category::Meetings, fen: 100_000 };
    let spend = || BudgetCommand::Spend {
        category: Category::Meetings,
        fen: 100,
        purpose: short("座谈会"),
        reference: short("凭证1"),
        on: today(),
    };
    nothing::<Budget>(&year).when_created(spend(), today()).then_refused("budget.not_adopted");
    let (_, set) = nothing::<Budget>(&year).when_created(line, today()).then_kinds(&["budget.line_set"]);
    let (_, adopted) = given::<Budget>(&year, &set)
        .when(BudgetCommand::Adopt { by: staff() }, today())
        .then_kinds(&["budget.adopted"]);
    assert!(matches!(adopted[0], BudgetEvent::Adopted { .. }));
    let log: Vec<_> = set.into_iter().chain(adopted).collect();
    given::<Budget>(&year, &log)
        .when(BudgetCommand::Adopt { by: staff() }, today())
        .then_refused("budget.adopted");
}

#[test]
fn a_card_is_issued_then_revoked_once_by_its_events() {
    let number = CardNumber("LK-2026-0001".into());
    let mut org = Organisation::default();
    for e in org
        .decide(OrgCommand::AddOfficer {
            id: OfficerId(uuid(20)),
            name: PersonName::parse("林晓").unwrap(),
            department: None,
            regions: BTreeSet::new(),
        })
        .unwrap()
    {
        org.apply(&e);
    }
    let issue = |officer: &str| IssueCard {
        deputy: signer(1),
        officer: officer.into(),
        telephone: "0591-12345678".into(),
    };
    let cx = IssueContext { org: &org, cards: &[], today: today() };
    nothing::<LiaisonCard>(&number).when_created(issue("无名"), cx).then_refused("card.unknown_officer");
    let (card, issued) =
        nothing::<LiaisonCard>(&number).when_created(issue("林晓"), cx).then_kinds(&["card.issued"]);
    assert_eq!((card.version, card.officer_id), (1, Some(OfficerId(uuid(20)))));
    // The holder of an active card gets no second one.
    let held = [card.clone()];
    nothing::<LiaisonCard>(&CardNumber("LK-2026-0002".into()))
        .when_created(issue("林晓"), IssueContext { cards: &held, ..cx })
        .then_refused("card.active_card");
    let revoke = || CardCommand::Revoke { reason: short("调离") };
    let revoked = given::<LiaisonCard>(&number, &issued)
        .when(revoke(), date("2026-06-01"))
        .then(&[CardEvent::Revoked { on: date("2026-06-01"), reason: short("调离") }]);
    assert_eq!(revoked.version, 2);
    // The old function is the same decision.
    assert_eq!(card.revoke(date("2026-06-01"), short("调离")), Ok(revoked));
    let log: Vec<_> = issued
        .into_iter()
        .chain([CardEvent::Revoked { on: date("2026-06-01"), reason: short("调离") }])
        .collect();
    given::<LiaisonCard>(&number, &log).when(revoke(), today()).then_refused("card.revoked");
}

#[test]
fn a_service_is_resolved_or_delivered_by_its_events() {
    let id = ServiceId(uuid(30));
    let open = |kind| OpenService { deputy: signer(1), kind, description: long("协助解决实际困难") };
    let (s, opened) = nothing::<Service>(&id)
        .when_created(open(ServiceKind::PracticalHelp), today())
        .then_kinds(&["service.opened"]);
    assert!(s.resolved.is_none());
    let resolve = || ServiceCommand::Resolve { result: long("已解决") };
    let resolved = given::<Service>(&id, &opened)
        .when(resolve(), today())
        .then(&[ServiceEvent::Resolved { on: today(), result: long("已解决") }]);
    assert_eq!(s.resolve(today(), long("已解决")), Ok(resolved));
    given::<Service>(&id, &opened)
        .when(ServiceCommand::Deliver { item: short("检察简报") }, today())
        .then_refused("service.wrong_kind");
    // A visit is resolved as it is recorded.
    let (visit, visited) = nothing::<Service>(&id)
        .when_created(open(ServiceKind::HomeVisit), today())
        .then_kinds(&["service.opened"]);
    assert!(visit.resolved.is_some());
    given::<Service>(&id, &visited).when(resolve(), today()).then_refused("service.resolved");
    let (_, subscribed) = nothing::<Service>(&id)
        .when_created(open(ServiceKind::Subscription), today())
        .then_kinds(&["service.opened"]);
    let s = given::<Service>(&id, &subscribed)
        .when(ServiceCommand::Deliver { item: short("检察简报") }, today())
        .then(&[ServiceEvent::Delivered { on: today(), item: short("检察简报") }]);
    assert_eq!((s.deliveries.len(), s.version), (1, 2));
}

#[test]
fn a_solicitation_is_sent_to_someone_and_answered_once_each() {
    let id = SolicitationId(uuid(40));
    let send = |recipients| SendSolicitation {
        title: short("征求意见"),
        content: long("请提意见"),
        by_forum: false,
        recipients,
    };
    nothing::<Solicitation>(&id)
        .when_created(send(vec![]), today())
        .then_refused("solicitation.no_recipients");
    let (_, sent) = nothing::<Solicitation>(&id)
        .when_created(send(vec![DeputyId(uuid(1))]), today())
        .then_kinds(&["solicitation.sent"]);
    let respond =
        |n| SolicitationCommand::Respond { deputy: DeputyId(uuid(n)), text: long("同意"), became: None };
    given::<Solicitation>(&id, &sent).when(respond(2), ()).then_refused("solicitation.not_a_recipient");
    let responded =
        SolicitationEvent::Responded { deputy: DeputyId(uuid(1)), text: long("同意"), became: None };
    given::<Solicitation>(&id, &sent).when(respond(1), ()).then(std::slice::from_ref(&responded));
    let log: Vec<_> = sent.into_iter().chain([responded]).collect();
    given::<Solicitation>(&id, &log).when(respond(1), ()).then_refused("solicitation.already_responded");
}

#[test]
fn a_visit_is_recorded_once_after_it_happened() {
    let id = VisitId(uuid(50));
    let record = |on| RecordVisit {
        deputy: signer(1),
        on,
        place: VisitPlace::Home,
        staff: vec![short("林晓")],
        notes: long("走访了解履职情况"),
        issues: vec![],
        recorded_by: staff(),
    };
    nothing::<Visit>(&id).when_created(record(date("2026-03-03")), today()).then_refused("visit.in_future");
    let (v, recorded) =
        nothing::<Visit>(&id).when_created(record(today()), today()).then_kinds(&["visit.recorded"]);
    assert_eq!(given::<Visit>(&id, &recorded).state(), Some(&v));
}

#[test]
fn a_hotline_call_is_logged_once() {
    let id = CallId(uuid(60));
    let log = LogCall {
        at: today().and_hms_opt(10, 30, 0).unwrap(),
        deputy: Some(signer(1)),
        caller: short("王芳"),
        topic: long("咨询案件进展"),
        routed_to: Route::Other,
        reference: None,
    };
    let (call, logged) =
        nothing::<HotlineCall>(&id).when_created(log, ()).then_kinds(&["hotline.call_logged"]);
    assert_eq!((call.id, call.version()), (id, 1));
    assert_eq!(logged.len(), 1);
}
