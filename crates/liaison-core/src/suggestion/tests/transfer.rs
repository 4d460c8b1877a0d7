//! The transfer to the competent procuratorate (转办): given an item, when it is transferred or a transfer
//! is received, then its events, its status and what it records — or the refusal, nothing changed.

use super::*;
use crate::ids::TenantId;

fn transfer(to: &str, received_as: u128) -> SuggestionCommand {
    SuggestionCommand::Transfer {
        to: TenantId::parse(to).unwrap(),
        to_name: ShortText::parse("杭州市人民检察院").unwrap(),
        reason: text("所提事项属市院管辖"),
        notice: text("您的建议已转杭州市人民检察院办理"),
        received_as: SuggestionId(Uuid::from_u128(received_as)),
    }
}

fn origin(suggestion: u128) -> TransferOrigin {
    TransferOrigin {
        from: TenantId::parse("xh").unwrap(),
        from_name: ShortText::parse("西湖区人民检察院").unwrap(),
        suggestion: SuggestionId(Uuid::from_u128(suggestion)),
        number: Some(SuggestionNumber { year: 2026, seq: 7 }),
        reason: text("所提事项属市院管辖"),
        on: date("2026-03-04"),
    }
}

#[test]
fn a_transfer_tells_every_co_signer_and_is_final_here() {
    let w = World::given().assigned(vec![]).ok(transfer("hz", 200));
    assert_eq!(w.s.status, SuggestionStatus::Transferred);
    assert!(w.s.status.is_final() && w.s.status.left_unhandled());
    let t = w.s.transfer.as_ref().expect("the transfer is recorded");
    assert_eq!(t.told, w.s.proposer_ids());
    assert_eq!((t.to.as_str(), t.received_as, t.on), ("hz", SuggestionId(Uuid::from_u128(200)), w.today));
    assert_eq!(w.log.last().map(SuggestionEvent::kind), Some("suggestion.transferred"));
    // Nothing is owed on it here any more: no deadline, no follow-up.
    assert_eq!(w.s.next_deadline(&w.policy, &w.cal), None);
    // The event log alone rebuilds it.
    assert_eq!(Suggestion::replay(w.s.id, &w.log).as_ref(), Some(&w.s));
}

#[test]
fn a_transfer_is_refused_after_an_answer_once_final_and_to_itself() {
    let mut answered =
        World::given().assigned(vec![]).contacted(ContactPhase::Before).answered(AnswerClass::A, None);
    assert!(matches!(answered.when(transfer("hz", 200)), Err(SuggestionError::IllegalTransition { .. })));
    let mut transferred = World::given().registered().ok(transfer("hz", 200));
    assert!(matches!(transferred.when(transfer("nb", 201)), Err(SuggestionError::IllegalTransition { .. })));
    let mut w = World::given().registered();
    assert_eq!(w.when(transfer("hz", 100)), Err(SuggestionError::SelfTransfer));
    assert_eq!(SuggestionError::SelfTransfer.code(), "suggestion.self_transfer");
}

#[test]
fn a_received_transfer_records_its_origin_once_before_anything_else() {
    let w = World::given().registered().ok(SuggestionCommand::ReceiveTransfer { origin: origin(50) });
    assert_eq!(w.s.transferred_from, Some(origin(50)));
    assert_eq!(w.s.status, SuggestionStatus::Registered);
    // Handled here as any item: assigned, with its deadline.
    let mut w = w.ok(SuggestionCommand::Assign { lead: dept(1), co_handlers: vec![], handler: staff(7) });
    assert!(w.s.answer_due().is_some());
    // Only once, and only on an item just made.
    assert!(matches!(
        w.when(SuggestionCommand::ReceiveTransfer { origin: origin(51) }),
        Err(SuggestionError::IllegalTransition { .. })
    ));
    let mut again = World::given().registered().ok(SuggestionCommand::ReceiveTransfer { origin: origin(50) });
    assert!(matches!(
        again.when(SuggestionCommand::ReceiveTransfer { origin: origin(52) }),
        Err(SuggestionError::IllegalTransition { .. })
    ));
    let mut own = World::given().registered();
    assert_eq!(
        own.when(SuggestionCommand::ReceiveTransfer { origin: origin(100) }),
        Err(SuggestionError::SelfTransfer)
    );
}

#[test]
fn a_transferred_item_is_counted_apart_from_those_handled() {
    let w = World::given().registered().ok(transfer("hz", 200));
    let f = figures(
        std::slice::from_ref(&w.s),
        date("2026-01-01"),
        date("2026-12-31"),
        GroupBy::All,
        date("2026-12-31"),
    );
    let row = &f.total;
    assert_eq!((row.received, row.transferred, row.open, row.overdue, row.answered), (1, 1, 0, 0, 0));
}
