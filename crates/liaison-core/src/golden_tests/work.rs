//! The liaison work's stored forms: meetings and the yearly plan, notices, inspections, the budget and
//! commendation nominations.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::budget::{Budget, BudgetCommand, Category};
use crate::commendation::{
    Contribution, Evidence, EvidenceKind, Nominate, Nomination, NominationCommand, Standing,
};
use crate::ids::{BudgetYear, InspectionId, MeetingId, NominationId, NoticeId};
use crate::inspection::{Inspection, InspectionCommand, InspectionKind, PlanInspection};
use crate::meeting::{
    AgendaItem, AgendaKind, Meeting, MeetingCommand, Plan, PlanCommand, PlanMeeting, PlanPeriod,
    RaisedOpinion, Targets,
};
use crate::notice::{Channel, DraftNotice, Notice, NoticeAudience, NoticeCommand};
use crate::registry::{DeputyLevel, DeputyStatus};
use crate::suggestion::{Audience, Reader};

fn plan_meeting() -> PlanMeeting {
    PlanMeeting {
        title: short("2026年第一季度代表座谈会"),
        on: date("2026-04-01"),
        place: short("本院第一会议室"),
        agenda: vec![
            AgendaItem { kind: AgendaKind::WorkReport, title: short("通报一季度检察工作") },
            AgendaItem { kind: AgendaKind::Cases, title: short("典型案例介绍") },
        ],
        invited: vec![signer(1), signer(2)],
    }
}

/// Planned, one more deputy invited, held, an opinion raised and filed as a suggestion.
#[test]
fn a_meeting_pins_its_stored_form_and_events() {
    let r = Record::<Meeting>::create(MeetingId(uuid(500)), plan_meeting(), ())
        .then(MeetingCommand::Invite { deputies: vec![signer(3)] }, date("2026-03-20"))
        .then(
            MeetingCommand::Hold {
                attended: BTreeSet::from([deputy(1), deputy(3)]),
                minutes: long("听取代表对检察工作的意见建议"),
            },
            date("2026-04-01"),
        )
        .then(
            MeetingCommand::RaiseOpinion {
                opinion: RaisedOpinion {
                    deputy: deputy(3),
                    text: long("建议加强农村地区法治宣传"),
                    became: Some("suggestion:00000000-0000-0000-0000-00000000006b".into()),
                },
            },
            date("2026-04-02"),
        );
    assert_eq!(r.kinds(), ["meeting.planned", "meeting.invited", "meeting.held", "meeting.opinion_raised"]);
    pin(golden!("meeting"), &r);
}

#[test]
fn a_cancelled_meeting_pins_its_events() {
    let r = Record::<Meeting>::create(MeetingId(uuid(501)), plan_meeting(), ())
        .then(MeetingCommand::Cancel { reason: long("因疫情防控改期") }, date("2026-03-25"));
    assert_eq!(r.kinds(), ["meeting.planned", "meeting.cancelled"]);
    pin(golden!("meeting.cancelled"), &r);
}

#[test]
fn a_plan_pins_its_stored_form_and_events() {
    let period = PlanPeriod { year: 2026, half: None };
    let targets = Targets { meetings: 4, reached_percent: 60, notices: 6, activities: 2 };
    let r = Record::<Plan>::create(
        period,
        PlanCommand::SetTargets { targets, notes: Some(long("每季度至少一次座谈会")) },
        date("2026-01-05"),
    )
    .then(
        PlanCommand::SetTargets { targets: Targets { meetings: 5, ..targets }, notes: None },
        date("2026-01-06"),
    )
    .then(PlanCommand::Adopt { by: staff(90) }, date("2026-01-10"));
    assert_eq!(r.kinds(), ["plan.targets_set", "plan.targets_set", "plan.adopted"]);
    pin(golden!("plan"), &r);
}

fn city_reader(n: u128) -> Reader {
    Reader { deputy: deputy(n), level: DeputyLevel::City, region: short("鼓楼区"), delegation: None }
}

/// Drafted, edited, approved, sent to the register's city deputies; a delivery, an acknowledgement and a
/// response.
#[test]
fn a_notice_pins_its_stored_form_and_events() {
    let r = Record::<Notice>::create(
        NoticeId(uuid(400)),
        DraftNotice {
            title: short("重大事项通报"),
            content: long("本院将开展未成年人检察专项活动"),
            audience: NoticeAudience::Chosen { deputies: BTreeSet::from([deputy(1)]) },
            channel: Channel::Letter,
            by: Some(StaffRef { user: UserId(uuid(7)), name: "联络室王芳".into() }),
        },
        date("2026-03-02"),
    )
    .then(
        NoticeCommand::Edit {
            title: None,
            content: None,
            audience: Some(NoticeAudience::Register {
                audience: Audience::Levels(BTreeSet::from([DeputyLevel::City])),
            }),
            channel: Some(Channel::Sms),
        },
        date("2026-03-02"),
    )
    .then(NoticeCommand::Approve { by: staff(90) }, date("2026-03-03"))
    .then(
        NoticeCommand::Send {
            register: vec![
                city_reader(1),
                city_reader(4),
                Reader {
                    deputy: deputy(2),
                    level: DeputyLevel::County,
                    region: short("鼓楼区"),
                    delegation: None,
                },
            ],
        },
        date("2026-03-04"),
    )
    .then(
        NoticeCommand::RecordDelivery {
            deputy: deputy(4), delivered: false, note: Some(short("号码停机"))
        },
        date("2026-03-04"),
    )
    .then(NoticeCommand::Acknowledge { deputy: deputy(1) }, date("2026-03-05"))
    .then(
        NoticeCommand::Respond {
            deputy: deputy(1),
            text: long("建议邀请代表参加"),
            suggestion: Some(crate::ids::SuggestionId(uuid(105))),
        },
        date("2026-03-06"),
    );
    assert_eq!(
        r.kinds(),
        [
            "notice.drafted",
            "notice.edited",
            "notice.approved",
            "notice.sent",
            "notice.delivery_recorded",
            "notice.acknowledged",
            "notice.responded"
        ]
    );
    pin(golden!("notice"), &r);
}

/// Planned, held, scored and commented on, a rectification added and done, reported.
#[test]
fn an_inspection_pins_its_stored_form_and_events() {
    let r = Record::<Inspection>::create(
        InspectionId(uuid(700)),
        PlanInspection {
            kind: InspectionKind::Inspection,
            title: short("代表视察公益诉讼工作"),
            organiser_ref: short("市人大常委会办公厅〔2026〕5号"),
            period: (date("2026-03-10"), date("2026-03-11")),
            participants: vec![signer(1), signer(2)],
            materials: vec![short("公益诉讼工作情况汇报")],
            items: vec![short("办案质效"), short("检察建议落实")],
        },
        date("2026-03-02"),
    )
    .then(InspectionCommand::Hold, date("2026-03-10"))
    .then(InspectionCommand::Score { deputy: deputy(1), item: 0, score: 92 }, date("2026-03-10"))
    .then(InspectionCommand::Score { deputy: deputy(2), item: 1, score: 85 }, date("2026-03-10"))
    .then(
        InspectionCommand::Opinion { deputy: deputy(2), text: long("检察建议的跟踪落实需加强") },
        date("2026-03-11"),
    )
    .then(
        InspectionCommand::AddRectification {
            title: short("建立检察建议跟踪台账"),
            owner: department(8),
            deadline: date("2026-05-31"),
        },
        date("2026-03-12"),
    )
    .then(
        InspectionCommand::CompleteRectification { n: 1, result: long("台账已建立并按月更新") },
        date("2026-05-20"),
    )
    .then(InspectionCommand::Report { text: long("视察意见已全部整改落实") }, date("2026-05-25"));
    assert_eq!(
        r.kinds(),
        [
            "inspection.planned",
            "inspection.held",
            "inspection.scored",
            "inspection.scored",
            "inspection.opinion_given",
            "inspection.rectification_added",
            "inspection.rectification_done",
            "inspection.reported"
        ]
    );
    pin(golden!("inspection"), &r);
}

/// Lines set and adopted, expenses, one reversed, a supplementary appropriation approved and one rejected.
#[test]
fn a_budget_pins_its_stored_form_and_events() {
    let spend = |fen, purpose, reference, on| BudgetCommand::Spend {
        category: Category::Meetings,
        fen,
        purpose: short(purpose),
        reference: short(reference),
        on: date(on),
    };
    let r = Record::<Budget>::create(
        BudgetYear(2026),
        BudgetCommand::SetLine { category: Category::Meetings, fen: 5_000_000 },
        date("2026-01-05"),
    )
    .then(BudgetCommand::SetLine { category: Category::Visits, fen: 2_000_000 }, date("2026-01-05"))
    .then(BudgetCommand::Adopt { by: staff(90) }, date("2026-01-10"))
    .then(spend(120_000, "一季度代表座谈会", "记-2026-0031", "2026-04-01"), date("2026-04-02"))
    .then(spend(80_000, "代表视察用车", "记-2026-0032", "2026-04-03"), date("2026-04-03"))
    .then(
        BudgetCommand::Reverse { n: 2, reason: short("误记入会议经费"), on: date("2026-04-05") },
        date("2026-04-05"),
    )
    .then(
        BudgetCommand::Request { category: Category::Visits, fen: 500_000, reason: short("增加走访") },
        date("2026-05-01"),
    )
    .then(BudgetCommand::Approve { n: 1, by: staff(91) }, date("2026-05-03"))
    .then(
        BudgetCommand::Request {
            category: Category::Meetings, fen: 900_000, reason: short("增开座谈会")
        },
        date("2026-05-04"),
    )
    .then(BudgetCommand::Reject { n: 2, reason: short("现有额度足够") }, date("2026-05-06"));
    assert_eq!(
        r.kinds(),
        [
            "budget.line_set",
            "budget.line_set",
            "budget.adopted",
            "budget.spent",
            "budget.spent",
            "budget.expense_reversed",
            "budget.appropriation_requested",
            "budget.appropriation_approved",
            "budget.appropriation_requested",
            "budget.appropriation_rejected"
        ]
    );
    pin(golden!("budget"), &r);
}

/// A budget stored before reversals existed: no `reversed` on its lines, no `reverses` on its expenses.
#[test]
fn a_budget_from_before_reversals_still_reads() {
    let b: Budget = read_old(old_form!("budget.before_reversals"));
    let line = &b.lines[&Category::Meetings];
    assert_eq!((line.reversed, line.spent), (0, 120_000));
    assert!(line.expenses.iter().all(|e| e.reverses.is_none()));
}

fn nominate(n: u128) -> Nominate {
    let evidence = vec![
        Evidence {
            kind: EvidenceKind::Suggestion,
            reference: "suggestion 2025-0012".into(),
            on: date("2025-03-01"),
            points: 3,
        },
        Evidence {
            kind: EvidenceKind::Suggestion,
            reference: "suggestion 2025-0040".into(),
            on: date("2025-06-11"),
            points: 3,
        },
    ];
    Nominate {
        contribution: Contribution {
            deputy: signer(n),
            total: 6,
            by_kind: BTreeMap::from([(EvidenceKind::Suggestion, 6)]),
            evidence,
        },
        period: (date("2025-01-01"), date("2025-12-31")),
        reasons: long("履职积极，建议质量高"),
    }
}

#[test]
fn a_nomination_pins_its_stored_form_and_events() {
    let standing = Standing { status: DeputyStatus::InOffice, earlier: &[], today: date("2026-01-15") };
    let r = Record::<Nomination>::create(NominationId(uuid(900)), nominate(1), standing)
        .then(NominationCommand::Approve { by: staff(90) }, date("2026-01-20"))
        .then(NominationCommand::Submit { reference: short("榕检〔2026〕8号") }, date("2026-01-25"))
        .then(NominationCommand::Accept, date("2026-03-01"));
    assert_eq!(
        r.kinds(),
        ["nomination.nominated", "nomination.approved", "nomination.submitted", "nomination.accepted"]
    );
    pin(golden!("nomination"), &r);
    let standing = Standing { status: DeputyStatus::InOffice, earlier: &[], today: date("2026-01-15") };
    let declined = Record::<Nomination>::create(NominationId(uuid(901)), nominate(2), standing)
        .then(NominationCommand::Approve { by: staff(90) }, date("2026-01-20"))
        .then(NominationCommand::Submit { reference: short("榕检〔2026〕9号") }, date("2026-01-25"))
        .then(NominationCommand::Decline { note: long("名额已满") }, date("2026-03-01"));
    assert_eq!(declined.kinds()[3], "nomination.declined");
    pin(golden!("nomination.declined"), &declined);
}

/// A notice and its `drafted` event stored before the drafter was recorded: read with no drafter (and
/// approved by any leader, as before).
#[test]
fn a_notice_from_before_drafters_still_reads() {
    let n: Notice = read_old(old_form!("notice.before_drafters"));
    assert_eq!((n.drafted_by, n.status), (None, crate::notice::NoticeStatus::Sent));
    let e: crate::notice::NoticeEvent = read_old(old_form!("notice_event.drafted_before_drafters"));
    assert!(matches!(e, crate::notice::NoticeEvent::Drafted { by: None, .. }), "{e:?}");
}
