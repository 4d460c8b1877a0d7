//! Tests of the draft: every transition and every refusal (given/when/then), and a property test driving
//! random commands by random deputies.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::Aggregate;
use crate::Localized;
use crate::aggregate::testing::{given, nothing};
use crate::registry::{DeputyLevel, PersonName};

const NAMES: [&str; 6] = ["王芳", "李明", "张伟", "刘洋", "陈静", "杨磊"];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn today() -> NaiveDate {
    d("2026-03-02")
}
fn dep(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}
fn signer(n: u128) -> Signer {
    Signer {
        deputy: dep(n),
        name: PersonName::parse(NAMES[(n as usize) % NAMES.len()]).unwrap(),
        level: DeputyLevel::City,
    }
}
fn t(s: &str) -> ShortText {
    ShortText::parse(s).unwrap()
}
fn l(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}
fn id() -> DraftId {
    DraftId(Uuid::from_u128(7))
}
fn filed() -> Filed {
    Filed { suggestion: SuggestionId(Uuid::from_u128(9)), number: SuggestionNumber { year: 2026, seq: 12 } }
}
const LEAD: u128 = 1;

fn opened() -> DraftEvent {
    DraftEvent::Opened {
        lead: signer(LEAD),
        title: t("加强未成年人检察工作"),
        content: l("建议如下……"),
        on: today(),
    }
}
fn invited(ns: &[u128]) -> DraftEvent {
    DraftEvent::Invited { co_signers: ns.iter().map(|n| signer(*n)).collect(), on: today() }
}
fn confirmed(n: u128, edition: u32) -> DraftEvent {
    DraftEvent::Confirmed { deputy: dep(n), edition, on: today() }
}
fn declined(n: u128) -> DraftEvent {
    DraftEvent::Declined { deputy: dep(n), reason: None, on: today() }
}
fn open_cmd(co: &[u128]) -> OpenDraft {
    OpenDraft {
        lead: signer(LEAD),
        title: t("加强未成年人检察工作"),
        content: l("建议如下……"),
        co_signers: co.iter().map(|n| signer(*n)).collect(),
    }
}

#[test]
fn opened_alone_or_with_co_signers_invited() {
    let d0 = nothing::<Draft>(&id()).when_created(open_cmd(&[]), today()).then(&[opened()]);
    assert_eq!((d0.status, d0.edition, d0.invitations.len()), (DraftStatus::Open, 1, 0));
    let d2 =
        nothing::<Draft>(&id()).when_created(open_cmd(&[2, 3]), today()).then(&[opened(), invited(&[2, 3])]);
    assert_eq!(d2.pending(), 2);
    assert!(d2.concerns(dep(2)) && d2.concerns(LEAD_ID) && !d2.concerns(dep(4)));
    // The opening refuses what an invitation refuses.
    nothing::<Draft>(&id()).when_created(open_cmd(&[1]), today()).then_refused("draft.lead_invited");
    nothing::<Draft>(&id())
        .when_created(open_cmd(&[2, 2]), today())
        .then_refused("draft.duplicate_co_signer");
}

const LEAD_ID: DeputyId = DeputyId(Uuid::from_u128(LEAD));

#[test]
fn invitations_are_the_leads_distinct_and_bounded() {
    let g = || given::<Draft>(&id(), &[opened(), invited(&[2])]);
    g().when(DraftCommand::Invite { by: LEAD_ID, co_signers: vec![signer(3)] }, today())
        .then(&[invited(&[3])]);
    g().when(DraftCommand::Invite { by: dep(2), co_signers: vec![signer(3)] }, today())
        .then_refused("draft.not_the_lead");
    g().when(DraftCommand::Invite { by: LEAD_ID, co_signers: vec![] }, today())
        .then_refused("draft.no_co_signers");
    g().when(DraftCommand::Invite { by: LEAD_ID, co_signers: vec![signer(LEAD)] }, today())
        .then_refused("draft.lead_invited");
    let e = g()
        .when(DraftCommand::Invite { by: LEAD_ID, co_signers: vec![signer(2)] }, today())
        .then_refused("draft.already_invited");
    assert!(e.zh().contains("张伟"), "named, not by id: {}", e.zh());
    g().when(DraftCommand::Invite { by: LEAD_ID, co_signers: vec![signer(3), signer(3)] }, today())
        .then_refused("draft.duplicate_co_signer");
    let many: Vec<Signer> = (10..10 + MAX_CO_SIGNERS as u128).map(signer).collect();
    g().when(DraftCommand::Invite { by: LEAD_ID, co_signers: many.clone() }, today())
        .then_refused("draft.too_many_co_signers");
    let fifty = given::<Draft>(&id(), &[opened()])
        .when(DraftCommand::Invite { by: LEAD_ID, co_signers: many }, today())
        .then_accepted()
        .0;
    assert_eq!(fifty.invitations.len(), MAX_CO_SIGNERS);
    // One who declined may be invited again: pending once more, and no longer counted twice.
    let again = given::<Draft>(&id(), &[opened(), invited(&[2]), declined(2)])
        .when(DraftCommand::Invite { by: LEAD_ID, co_signers: vec![signer(2)] }, today())
        .then(&[invited(&[2])]);
    assert_eq!((again.invitations.len(), again.pending()), (1, 1));
}

#[test]
fn each_co_signer_answers_only_for_themself() {
    let g = || given::<Draft>(&id(), &[opened(), invited(&[2, 3])]);
    let s = g().when(DraftCommand::Confirm { by: dep(2), edition: 1 }, today()).then(&[confirmed(2, 1)]);
    assert!(matches!(s.invitation(dep(2)).unwrap().answer, Answer::Confirmed { edition: 1, .. }));
    g().when(DraftCommand::Decline { by: dep(3), reason: Some(t("另有安排")) }, today())
        .then(&[DraftEvent::Declined { deputy: dep(3), reason: Some(t("另有安排")), on: today() }]);
    // Someone not invited (the lead included) answers nothing.
    g().when(DraftCommand::Confirm { by: dep(4), edition: 1 }, today()).then_refused("draft.not_invited");
    g().when(DraftCommand::Confirm { by: LEAD_ID, edition: 1 }, today()).then_refused("draft.not_invited");
    g().when(DraftCommand::Decline { by: dep(4), reason: None }, today()).then_refused("draft.not_invited");
    // An answer once; a confirmation may be taken back by declining, a decline stands.
    let c = || given::<Draft>(&id(), &[opened(), invited(&[2, 3]), confirmed(2, 1), declined(3)]);
    c().when(DraftCommand::Confirm { by: dep(2), edition: 1 }, today())
        .then_refused("draft.already_answered");
    c().when(DraftCommand::Confirm { by: dep(3), edition: 1 }, today())
        .then_refused("draft.already_answered");
    c().when(DraftCommand::Decline { by: dep(3), reason: None }, today())
        .then_refused("draft.already_answered");
    c().when(DraftCommand::Decline { by: dep(2), reason: None }, today()).then(&[declined(2)]);
    // The edition read must be the current one.
    let e = g()
        .when(DraftCommand::Confirm { by: dep(2), edition: 2 }, today())
        .then_refused("draft.edited_since");
    assert_eq!(e.field(), Some("edition"));
}

#[test]
fn an_edit_withdraws_the_confirmations_of_the_earlier_words() {
    let g = || given::<Draft>(&id(), &[opened(), invited(&[2, 3, 4]), confirmed(2, 1), declined(3)]);
    let edit = |title: Option<&str>, content: Option<&str>| DraftCommand::Edit {
        by: LEAD_ID,
        title: title.map(t),
        content: content.map(l),
    };
    let s = g().when(edit(None, Some("修改后的建议")), today()).then(&[DraftEvent::Edited {
        title: t("加强未成年人检察工作"),
        content: l("修改后的建议"),
        edition: 2,
        reopened: vec![dep(2)],
    }]);
    assert_eq!(s.invitation(dep(2)).unwrap().answer, Answer::Pending);
    assert!(matches!(s.invitation(dep(3)).unwrap().answer, Answer::Declined { .. }), "a decline stands");
    assert_eq!((s.edition, s.pending()), (2, 2));
    // The edition read before the edit no longer confirms.
    let after = given::<Draft>(
        &id(),
        &[
            opened(),
            invited(&[2, 3, 4]),
            confirmed(2, 1),
            declined(3),
            DraftEvent::Edited {
                title: t("加强未成年人检察工作"),
                content: l("修改后的建议"),
                edition: 2,
                reopened: vec![dep(2)],
            },
        ],
    );
    after.when(DraftCommand::Confirm { by: dep(2), edition: 1 }, today()).then_refused("draft.edited_since");
    g().when(edit(Some("加强未成年人检察工作"), Some("建议如下……")), today()).then_refused("draft.unchanged");
    g().when(edit(None, None), today()).then_refused("draft.unchanged");
    g().when(DraftCommand::Edit { by: dep(2), title: Some(t("别的")), content: None }, today())
        .then_refused("draft.not_the_lead");
}

#[test]
fn submitted_with_the_confirmed_when_all_answered_or_the_lead_leaves_the_rest() {
    let submit = |by, leave_unanswered| DraftCommand::Submit { by, leave_unanswered, filed: filed() };
    let pending = || given::<Draft>(&id(), &[opened(), invited(&[2, 3, 4]), confirmed(2, 1), declined(3)]);
    let e = pending().when(submit(LEAD_ID, false), today()).then_refused("draft.unanswered");
    assert_eq!(e, DraftError::Unanswered(1));
    pending().when(submit(dep(2), true), today()).then_refused("draft.not_the_lead");
    let s = pending().when(submit(LEAD_ID, true), today()).then(&[DraftEvent::Submitted {
        filed: filed(),
        proposers: vec![LEAD_ID, dep(2)],
        lapsed: vec![dep(4)],
        on: today(),
    }]);
    assert_eq!((s.status, s.filed, s.closed_on), (DraftStatus::Submitted, Some(filed()), Some(today())));
    assert_eq!(s.invitation(dep(4)).unwrap().answer, Answer::Lapsed);
    // Every invitation answered: submitted without saying anything more.
    let answered = given::<Draft>(&id(), &[opened(), invited(&[2, 3]), confirmed(2, 1), declined(3)]);
    assert_eq!(answered.state().unwrap().proposers(LEAD_ID, false).unwrap(), vec![signer(LEAD), signer(2)]);
    answered.when(submit(LEAD_ID, false), today()).then(&[DraftEvent::Submitted {
        filed: filed(),
        proposers: vec![LEAD_ID, dep(2)],
        lapsed: vec![],
        on: today(),
    }]);
    // The lead alone (nobody invited) is a suggestion of one deputy.
    given::<Draft>(&id(), &[opened()]).when(submit(LEAD_ID, false), today()).then_kinds(&["draft.submitted"]);
}

#[test]
fn nothing_changes_a_submitted_or_withdrawn_draft() {
    let submitted =
        DraftEvent::Submitted { filed: filed(), proposers: vec![LEAD_ID], lapsed: vec![dep(2)], on: today() };
    let withdrawn = DraftEvent::Withdrawn { reason: Some(t("已另行提出")), on: today() };
    let w = given::<Draft>(&id(), &[opened(), invited(&[2])])
        .when(DraftCommand::Withdraw { by: LEAD_ID, reason: Some(t("已另行提出")) }, today())
        .then(std::slice::from_ref(&withdrawn));
    assert_eq!((w.status, w.withdrawal_reason.clone()), (DraftStatus::Withdrawn, Some(t("已另行提出"))));
    given::<Draft>(&id(), &[opened(), invited(&[2])])
        .when(DraftCommand::Withdraw { by: dep(2), reason: None }, today())
        .then_refused("draft.not_the_lead");
    for closed in [submitted, withdrawn] {
        let g = || given::<Draft>(&id(), &[opened(), invited(&[2]), closed.clone()]);
        let commands = [
            DraftCommand::Invite { by: LEAD_ID, co_signers: vec![signer(3)] },
            DraftCommand::Edit { by: LEAD_ID, title: Some(t("新标题")), content: None },
            DraftCommand::Confirm { by: dep(2), edition: 1 },
            DraftCommand::Decline { by: dep(2), reason: None },
            DraftCommand::Submit { by: LEAD_ID, leave_unanswered: true, filed: filed() },
            DraftCommand::Withdraw { by: LEAD_ID, reason: None },
        ];
        for c in commands {
            let e = g().when(c, today()).then_refused("draft.illegal_transition");
            assert!(e.zh().contains("不能执行此操作"));
        }
    }
}

#[test]
fn every_refusal_says_why_in_both_languages() {
    let errors = [
        DraftError::IllegalTransition { status: DraftStatus::Submitted, command: "edit" },
        DraftError::NotTheLead,
        DraftError::NotInvited,
        DraftError::AlreadyAnswered,
        DraftError::EditedSince { read: 1, current: 2 },
        DraftError::NoCoSigners,
        DraftError::LeadInvited,
        DraftError::DuplicateCoSigner(PersonName::parse("王芳").unwrap()),
        DraftError::AlreadyInvited(PersonName::parse("王芳").unwrap()),
        DraftError::TooManyCoSigners { max: MAX_CO_SIGNERS },
        DraftError::Unchanged,
        DraftError::Unanswered(2),
    ];
    let mut codes = std::collections::HashSet::new();
    for e in errors {
        assert!(codes.insert(e.code()), "{} twice", e.code());
        assert!(e.code().starts_with("draft."));
        assert!(!e.zh().is_empty() && !e.en().is_empty());
        assert_eq!(
            e.is_input(),
            e.field() == Some("co_signers") || e.field() == Some("content"),
            "{}",
            e.code()
        );
    }
    for s in DraftStatus::ALL {
        assert!(!s.code().is_empty() && !s.zh().is_empty());
    }
}

fn command(op: u8, who: u128, edition: u32) -> DraftCommand {
    let by = dep(who);
    match op {
        0 => DraftCommand::Invite { by, co_signers: vec![signer(2 + (u128::from(edition) % 4))] },
        1 => DraftCommand::Edit { by, title: None, content: Some(l(&format!("第{edition}稿"))) },
        2 => DraftCommand::Confirm { by, edition },
        3 => DraftCommand::Decline { by, reason: None },
        4 => DraftCommand::Submit { by, leave_unanswered: edition.is_multiple_of(2), filed: filed() },
        _ => DraftCommand::Withdraw { by, reason: None },
    }
}

proptest! {
    /// Whatever deputies try in whatever order: the lead is never a co-signer, invitations are distinct and
    /// within the limit, every confirmation standing is of the current words, and a submission names as
    /// proposers exactly the lead and those who confirmed the words submitted.
    #[test]
    fn only_confirmed_words_are_signed(
        ops in proptest::collection::vec((0u8..6, 1u128..6, 1u32..4), 1..40),
        co in proptest::collection::vec(2u128..6, 0..3),
    ) {
        let mut co = co;
        co.sort_unstable();
        co.dedup();
        let Ok(events) = Draft::create(&id(), open_cmd(&co), today()) else { unreachable!() };
        let mut s = Draft::replay(&id(), &events).unwrap();
        for (op, who, edition) in ops {
            let before = s.clone();
            match s.decide(command(op, who, edition), today()) {
                Err(_) => prop_assert_eq!(&s, &before),
                Ok(es) => {
                    prop_assert!(before.status == DraftStatus::Open, "a closed draft changed");
                    for e in &es {
                        if let DraftEvent::Submitted { proposers, .. } = e {
                            let mut want = vec![LEAD_ID];
                            want.extend(before.invitations.iter().filter(|i| {
                                matches!(i.answer, Answer::Confirmed { edition, .. } if edition == before.edition)
                            }).map(|i| i.signer.deputy));
                            prop_assert_eq!(proposers, &want);
                        }
                        s.apply(e);
                    }
                }
            }
            let mut ids: Vec<_> = s.invitations.iter().map(|i| i.signer.deputy).collect();
            prop_assert!(!ids.contains(&LEAD_ID));
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), s.invitations.len());
            prop_assert!(s.invitations.len() <= MAX_CO_SIGNERS);
            for i in &s.invitations {
                if let Answer::Confirmed { edition, .. } = i.answer {
                    prop_assert_eq!(edition, s.edition);
                }
            }
            prop_assert_eq!(s.status == DraftStatus::Submitted, s.filed.is_some());
        }
    }
}
