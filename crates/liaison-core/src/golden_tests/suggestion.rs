//! The suggestion family's stored forms: suggestions along their main path and their branches, an
//! improvement measure and a session's deliberation; and the older shapes of a suggestion.

use super::*;
use crate::calendar::WorkCalendar;
use crate::deliberation::{Deliberation, DeliberationCommand, OpenDeliberation, Route};
use crate::ids::{MeasureId, SuggestionId};
use crate::suggestion::{
    AnswerClass, Audience, ContactMeans, ContactPhase, Ctx, EscalationMeans, Measure, MeasureCommand,
    MeasureOrigin, OpenMeasure, RatingChannel, Reader, Receive, RerouteGround, Satisfaction, Source,
    Suggestion, SuggestionCommand as C, SuggestionNumber, SuggestionPolicy,
};

/// The policy and calendar the suggestion's commands are decided under (the calendar with no published
/// schedule: weekends only, the statutory holidays computed).
struct Rules {
    policy: SuggestionPolicy,
    calendar: WorkCalendar,
}

impl Rules {
    fn new() -> Self {
        Self { policy: SuggestionPolicy::default(), calendar: WorkCalendar::new() }
    }
    fn on(&self, day: &str) -> Ctx<'_> {
        Ctx { today: date(day), policy: &self.policy, calendar: &self.calendar }
    }
}

fn received(id: u128, proposers: Vec<Signer>) -> Record<Suggestion> {
    Record::<Suggestion>::create(
        SuggestionId(uuid(id)),
        Receive {
            title: short("关于加强未成年人检察工作的建议"),
            content: long("建议在各乡镇设立未成年人保护联络点，定期开展法治宣传。"),
            source: Source::BetweenSessions,
            on: date("2026-03-02"),
            proposers,
        },
        (),
    )
}

fn register(seq: u32) -> C {
    C::Register { number: SuggestionNumber { year: 2026, seq } }
}
fn contact(phase: ContactPhase) -> C {
    C::LogContact {
        phase,
        means: ContactMeans::Phone,
        deputies: vec![],
        summary: long("电话征求代表对办理的意见"),
    }
}
fn rate(n: u128, rating: Satisfaction) -> C {
    let comment = (rating == Satisfaction::Dissatisfied).then(|| long("未解决实际问题"));
    C::Rate { deputy: deputy(n), rating, comment, channel: RatingChannel::OwnAccount }
}
fn reader(n: u128) -> Reader {
    Reader {
        deputy: deputy(n),
        level: crate::registry::DeputyLevel::City,
        region: short("鼓楼区"),
        delegation: None,
    }
}

/// Registered, a panel set, assigned with a co-handler, an extension declined then granted, contacted,
/// the co-handler's opinion, answered with a confidential part, published with one proposer unnamed, read
/// and rated by the body, rated by every co-signer and the panel: closed.
#[test]
fn a_suggestion_on_its_main_path_pins_its_stored_form_and_events() {
    use Satisfaction::{BasicallySatisfied as Basic, Satisfied as Good};
    let rules = Rules::new();
    let extension =
        || C::RequestExtension { until: date("2026-08-31"), reason: long("涉及多部门协调") };
    let r = received(100, vec![signer(1), signer(2), signer(3)])
        .then(register(1), rules.on("2026-03-02"))
        .then(C::SetPanel { panel: vec![signer(4)] }, rules.on("2026-03-02"))
        .then(
            C::Assign { lead: department(1), co_handlers: vec![department(2)], handler: staff(7) },
            rules.on("2026-03-02"),
        )
        .then(C::StartHandling, rules.on("2026-03-03"))
        .then(extension(), rules.on("2026-03-03"))
        .then(C::DeclineExtension { reason: long("理由不充分") }, rules.on("2026-03-04"))
        .then(extension(), rules.on("2026-03-05"))
        .then(
            C::Extend {
                until: date("2026-08-31"), reason: long("涉及多部门协调"), approved_by: staff(90)
            },
            rules.on("2026-03-05"),
        )
        .then(C::NotifyProgress { text: long("经批准，答复期限延长至8月31日") }, rules.on("2026-03-06"))
        .then(contact(ContactPhase::Before), rules.on("2026-03-10"))
        .then(
            C::GiveCoOpinion { department: department(2).id, text: long("同意主办部门意见") },
            rules.on("2026-03-20"),
        )
        .then(
            C::Answer {
                class: AnswerClass::A,
                text: long("已设立联络点。[保密]涉案未成年人张某的情况[/保密]经费已落实。"),
                promised_on: None,
            },
            rules.on("2026-04-10"),
        )
        .then(C::SetAnonymity { deputy: deputy(2), anonymous: true }, rules.on("2026-04-10"))
        .then(C::Publish { audience: Audience::All }, rules.on("2026-04-10"))
        .then(C::View { reader: reader(5) }, rules.on("2026-04-11"))
        .then(
            C::RateAsBody {
                reader: reader(5),
                rating: Good,
                comment: None,
                channel: RatingChannel::OwnAccount,
            },
            rules.on("2026-04-11"),
        )
        .then(rate(1, Good), rules.on("2026-04-13"))
        .then(rate(2, Basic), rules.on("2026-04-13"))
        .then(rate(3, Good), rules.on("2026-04-14"))
        .then(rate(4, Good), rules.on("2026-04-14"));
    assert_eq!(r.state.status.code(), "closed");
    pin(golden!("suggestion"), &r);
}

/// Answered with a promise, one co-signer dissatisfied: re-handled, answered again, dissatisfied again:
/// escalated, and closed by the recorded escalation; a measure linked on the way.
#[test]
fn a_suggestion_rehandled_then_escalated_pins_its_events() {
    use Satisfaction::{BasicallySatisfied as Basic, Dissatisfied as Bad, Satisfied as Good};
    let rules = Rules::new();
    let r = received(101, vec![signer(1), signer(2), signer(3)])
        .then(register(2), rules.on("2026-03-02"))
        .then(
            C::Assign { lead: department(1), co_handlers: vec![], handler: staff(7) },
            rules.on("2026-03-02"),
        )
        .then(
            C::Reassign {
                lead: department(3),
                co_handlers: vec![],
                handler: staff(8),
                reason: long("职能调整，改由第三检察部办理"),
            },
            rules.on("2026-03-04"),
        )
        .then(contact(ContactPhase::Before), rules.on("2026-03-10"))
        .then(
            C::Answer {
                class: AnswerClass::B,
                text: long("正在研究落实"),
                promised_on: Some(date("2026-12-31")),
            },
            rules.on("2026-04-01"),
        )
        .then(C::LinkMeasure { measure: MeasureId(uuid(200)) }, rules.on("2026-04-01"))
        .then(rate(1, Good), rules.on("2026-04-02"))
        .then(rate(2, Bad), rules.on("2026-04-02"))
        .then(rate(3, Basic), rules.on("2026-04-02"))
        .then(contact(ContactPhase::During), rules.on("2026-04-08"))
        .then(
            C::Answer { class: AnswerClass::A, text: long("再次答复"), promised_on: None },
            rules.on("2026-04-20"),
        )
        .then(rate(1, Good), rules.on("2026-04-21"))
        .then(rate(2, Bad), rules.on("2026-04-21"))
        .then(rate(3, Good), rules.on("2026-04-21"))
        .then(
            C::RecordEscalation {
                means: EscalationMeans::FaceToFace,
                leader: staff(90),
                note: long("检察长与代表当面沟通"),
            },
            rules.on("2026-04-24"),
        );
    assert_eq!(r.state.status.code(), "closed");
    pin(golden!("suggestion.rehandled"), &r);
}

/// A co-signer taken in from a duplicate, then rerouted to letters and petitions, its outcome recorded
/// and told.
#[test]
fn a_rerouted_suggestion_pins_its_events() {
    let rules = Rules::new();
    let r = received(102, vec![signer(1)])
        .then(register(3), rules.on("2026-03-02"))
        .then(C::Absorb { from: SuggestionId(uuid(103)), signers: vec![signer(2)] }, rules.on("2026-03-03"))
        .then(
            C::Reroute {
                ground: RerouteGround::PendingCase,
                petition_ref: short("XF-2026-0001"),
                notice: long("所反映问题涉及具体案件，已转控告申诉部门依法办理"),
            },
            rules.on("2026-03-04"),
        )
        .then(C::RecordRerouteOutcome { outcome: long("已依法审查并答复当事人") }, rules.on("2026-04-20"))
        .then(C::TellRerouteOutcome { notice: long("信访事项已办结") }, rules.on("2026-04-21"));
    pin(golden!("suggestion.rerouted"), &r);
}

/// One co-signer withdraws, then the item is merged into another.
#[test]
fn a_merged_suggestion_pins_its_events() {
    let rules = Rules::new();
    let r = received(103, vec![signer(1), signer(2)])
        .then(register(4), rules.on("2026-03-02"))
        .then(C::Withdraw { deputy: deputy(2), reason: long("已另行提出") }, rules.on("2026-03-03"))
        .then(C::MergeInto { target: SuggestionId(uuid(102)) }, rules.on("2026-03-03"));
    pin(golden!("suggestion.merged"), &r);
}

/// A suggestion stored before anonymity, publications, reassignments, extension requests and the body's
/// verdict existed: none of those keys. It reads with each empty, and is otherwise the record it was.
#[test]
fn a_suggestion_from_before_publications_still_reads() {
    let old: Suggestion = read_old(old_form!("suggestion.before_publications"));
    assert!(old.anonymous.is_empty() && old.publications.is_empty());
    assert!(
        old.reassignments.is_empty() && old.extension_request.is_none() && old.extensions_declined.is_empty()
    );
    assert!(old.rounds.iter().all(|r| r.outcome.as_ref().is_some_and(|o| o.body.is_none())));
    assert_eq!((old.status.code(), old.version, old.rounds.len()), ("closed", 23, 1));
}

/// A rerouted suggestion stored before its outcome was followed: no `outcome`, no `outcome_told`.
#[test]
fn a_reroute_from_before_its_outcome_was_followed_still_reads() {
    let old: Suggestion = read_old(old_form!("suggestion.reroute_before_outcomes"));
    let reroute = old.reroute.expect("the reroute");
    assert_eq!((reroute.outcome, reroute.outcome_told), (None, None));
    assert_eq!(reroute.petition_ref.as_str(), "XF-2026-0001");
}

#[test]
fn a_measure_pins_its_stored_form_and_events() {
    let today = date("2026-04-01");
    let r = Record::<Measure>::create(
        MeasureId(uuid(200)),
        OpenMeasure {
            title: short("完善未成年人保护联络机制"),
            description: long("在各乡镇设立联络点并明确联络人"),
            origin: MeasureOrigin::Suggestion {
                id: SuggestionId(uuid(101)),
                number: Some(SuggestionNumber { year: 2026, seq: 2 }),
            },
            owner: department(3),
            deadline: date("2026-06-30"),
            deputies: vec![signer(1), signer(2), signer(3)],
        },
        today,
    )
    .then(MeasureCommand::Progress { text: long("已完成六个乡镇的选址") }, date("2026-05-10"))
    .then(MeasureCommand::Complete { result: long("十二个联络点全部设立") }, date("2026-06-20"))
    .then(MeasureCommand::ReportBack { text: long("已向提出建议的代表反馈整改结果") }, date("2026-06-25"));
    assert_eq!(
        r.kinds(),
        ["measure.opened", "measure.progress_noted", "measure.completed", "measure.reported_back"]
    );
    pin(golden!("measure"), &r);
}

#[test]
fn a_deliberation_pins_its_stored_form_and_events() {
    let group = || short("鼓楼代表团");
    let r = Record::<Deliberation>::create(
        crate::ids::DeliberationId(uuid(300)),
        OpenDeliberation {
            session: short("福州市第十六届人民代表大会第五次会议"),
            opens_on: date("2026-01-10"),
        },
        date("2026-01-05"),
    )
    .then(
        DeliberationCommand::Attend {
            group: group(),
            on: date("2026-01-11"),
            staff: vec![short("林晓")],
            by: staff(7),
        },
        date("2026-01-11"),
    )
    .then(
        DeliberationCommand::RecordOpinion {
            group: group(),
            deputy: signer(1),
            text: long("建议加强公益诉讼工作"),
        },
        date("2026-01-11"),
    )
    .then(
        DeliberationCommand::Route {
            n: 1,
            route: Route::Suggestion {
                id: SuggestionId(uuid(104)),
                number: Some(SuggestionNumber { year: 2026, seq: 5 }),
            },
        },
        date("2026-01-15"),
    )
    .then(
        DeliberationCommand::Tell { n: 1, text: long("已作为建议交办并答复"), outcome_ready: true },
        date("2026-04-20"),
    )
    .then(DeliberationCommand::Close, date("2026-04-21"));
    assert_eq!(
        r.kinds(),
        [
            "deliberation.opened",
            "deliberation.attended",
            "deliberation.opinion_recorded",
            "deliberation.opinion_routed",
            "deliberation.deputy_told",
            "deliberation.closed"
        ]
    );
    pin(golden!("deliberation"), &r);
}

/// A deputy's draft of a joint suggestion: opened with two co-signers invited, one confirms, the words are
/// edited (the confirmation withdrawn), one declines, the other confirms again, the lead submits (a third,
/// invited later, left unanswered).
#[test]
fn a_draft_submitted_online_pins_its_stored_form_and_events() {
    use crate::ids::DraftId;
    use crate::suggestion::draft::{Draft, DraftCommand as D, Filed, OpenDraft};
    let lead = deputy(1);
    let r = Record::<Draft>::create(
        DraftId(uuid(120)),
        OpenDraft {
            lead: signer(1),
            title: short("关于加强社区矫正监督的建议"),
            content: long("建议检察机关加强对社区矫正执行活动的监督。"),
            co_signers: vec![signer(2), signer(3)],
        },
        date("2026-03-02"),
    )
    .then(D::Confirm { by: deputy(2), edition: 1 }, date("2026-03-03"))
    .then(
        D::Edit {
            by: lead,
            title: None,
            content: Some(long("建议检察机关加强对社区矫正执行活动的日常监督。")),
        },
        date("2026-03-04"),
    )
    .then(D::Decline { by: deputy(3), reason: Some(short("不熟悉该领域")) }, date("2026-03-05"))
    .then(D::Confirm { by: deputy(2), edition: 2 }, date("2026-03-05"))
    .then(D::Invite { by: lead, co_signers: vec![signer(4)] }, date("2026-03-06"))
    .then(
        D::Submit {
            by: lead,
            leave_unanswered: true,
            filed: Filed {
                suggestion: SuggestionId(uuid(121)),
                number: SuggestionNumber { year: 2026, seq: 9 },
            },
        },
        date("2026-03-09"),
    );
    assert_eq!(
        r.kinds(),
        [
            "draft.opened",
            "draft.invited",
            "draft.confirmed",
            "draft.edited",
            "draft.declined",
            "draft.confirmed",
            "draft.invited",
            "draft.submitted"
        ]
    );
    pin(golden!("draft"), &r);
}
