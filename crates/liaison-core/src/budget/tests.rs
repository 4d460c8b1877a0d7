//! Tests of `budget`: given/when/then, golden values and property tests.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::ids::UserId;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn t(s: &str) -> ShortText {
    ShortText::parse(s).unwrap()
}
fn by() -> StaffRef {
    StaffRef { user: UserId(Uuid::nil()), name: "检察长".into() }
}
fn when(b: &mut Budget, c: BudgetCommand) -> Result<(), BudgetError> {
    let before = b.clone();
    match b.decide(c, d("2026-06-30")) {
        Ok(es) => {
            for e in &es {
                b.apply(e);
            }
            Ok(())
        }
        Err(e) => {
            assert_eq!(*b, before);
            Err(e)
        }
    }
}
/// An expense with a voucher of its own.
fn spend(fen: u64) -> BudgetCommand {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    spend_with(fen, &format!("凭证{k}"))
}
fn spend_with(fen: u64, reference: &str) -> BudgetCommand {
    BudgetCommand::Spend {
        category: Category::Meetings,
        fen,
        purpose: t("座谈会"),
        reference: t(reference),
        on: d("2026-06-01"),
    }
}
fn reverse(n: u32) -> BudgetCommand {
    BudgetCommand::Reverse { n, reason: t("重复报销，冲销"), on: d("2026-06-20") }
}
fn adopted(fen: u64) -> Budget {
    let mut b = Budget::new(2026);
    when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen }).unwrap();
    when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
    b
}

#[test]
fn a_voucher_is_spent_once_and_the_error_names_the_earlier_expense() {
    let mut b = adopted(10_000);
    when(&mut b, spend_with(1_000, "会字2026-17号")).unwrap();
    let e = when(&mut b, spend_with(1_000, "会字2026-17号")).unwrap_err();
    assert_eq!(
        e,
        BudgetError::DuplicateReference {
            reference: "会字2026-17号".into(),
            earlier: 1,
            on: d("2026-06-01")
        }
    );
    assert!(e.zh().contains("第 1 笔") && e.zh().contains("凭证号"), "{}", e.zh());
    assert_eq!(b.lines[&Category::Meetings].spent, 1_000);
}

#[test]
fn a_reversal_cancels_one_expense_once_with_its_reason_and_restores_the_line() {
    let mut b = adopted(10_000);
    assert_eq!(when(&mut b, reverse(1)), Err(BudgetError::NoExpense(1)));
    when(&mut b, spend_with(4_000, "V-1")).unwrap();
    when(&mut b, spend_with(3_000, "V-2")).unwrap();
    assert_eq!(b.lines[&Category::Meetings].available(), 3_000);
    let early = BudgetCommand::Reverse { n: 1, reason: t("错记"), on: d("2026-05-31") };
    assert_eq!(
        when(&mut b, early),
        Err(BudgetError::ReversalBeforeExpense { n: 1, expense_on: d("2026-06-01") })
    );
    let far = BudgetCommand::Reverse { n: 1, reason: t("错记"), on: d("2099-06-01") };
    assert!(matches!(when(&mut b, far), Err(BudgetError::Date(e)) if e.field == "on"));
    when(&mut b, reverse(1)).unwrap();
    let line = &b.lines[&Category::Meetings];
    assert_eq!((line.spent, line.reversed, line.available()), (3_000, 4_000, 7_000));
    let r = line.expenses.last().unwrap();
    assert_eq!((r.n, r.reverses, r.fen, r.purpose.as_str()), (3, Some(1), 4_000, "重复报销，冲销"));
    assert_eq!(line.expenses[0].reverses, None, "the expense itself is never edited");
    assert_eq!(when(&mut b, reverse(1)), Err(BudgetError::AlreadyReversed { n: 1, by: 3 }));
    assert_eq!(when(&mut b, reverse(3)), Err(BudgetError::ReversalOfReversal(3)));
    // The execution figures show it; a reversed voucher may be entered again, corrected.
    let e = &b.execution(d("2026-06-30"))[0];
    assert_eq!((e.spent, e.reversed, e.reversals, e.available), (3_000, 4_000, 1, 7_000));
    when(&mut b, spend_with(400, "V-1")).unwrap();
    assert_eq!(when(&mut b, spend_with(400, "V-2")).unwrap_err().code(), "budget.duplicate_reference");
    // Older records without reversals still read.
    let old = r#"{"planned":1,"supplemented":0,"spent":0,"expenses":[]}"#;
    assert_eq!(serde_json::from_str::<Line>(old).unwrap().reversed, 0);
}

/// 2 of 3 yuan spent is 66.7% executed (per mille rounded, not truncated to 666).
#[test]
fn the_execution_rate_is_rounded() {
    let mut b = Budget::new(2026);
    when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 300 }).unwrap();
    when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
    when(&mut b, spend(200)).unwrap();
    assert_eq!(b.execution(d("2026-06-30"))[0].execution_permille, 667);
}

#[test]
fn amounts_parse_as_fen() {
    assert_eq!(parse_yuan("1,234.56"), Ok(123_456));
    assert_eq!(parse_yuan("800"), Ok(80_000));
    assert_eq!(parse_yuan("0.5"), Ok(50));
    // "+5" and "1.+5" parse as numbers in Rust: only the digit checks refuse them.
    for bad in ["", "-5", "1.234", "abc", "1.2.3", "+5", "1.+5", ".5"] {
        assert!(parse_yuan(bad).is_err(), "{bad}");
    }
    assert_eq!(yuan(123_456), "1234.56");
}

#[test]
fn no_spending_outside_or_beyond_the_budget_until_an_appropriation_is_approved() {
    let mut b = Budget::new(2026);
    assert_eq!(when(&mut b, spend(100)), Err(BudgetError::NotAdopted));
    when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 10_000 }).unwrap();
    when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
    assert_eq!(
        when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 1 }),
        Err(BudgetError::Adopted)
    );
    let outside = BudgetCommand::Spend {
        category: Category::Visits,
        fen: 1,
        purpose: t("走访"),
        reference: t("凭证2"),
        on: d("2026-06-01"),
    };
    assert_eq!(when(&mut b, outside), Err(BudgetError::NoLine(Category::Visits)));
    let last_year = BudgetCommand::Spend {
        category: Category::Meetings,
        fen: 1,
        purpose: t("x"),
        reference: t("x"),
        on: d("2025-12-31"),
    };
    assert_eq!(when(&mut b, last_year), Err(BudgetError::OutsideYear(d("2025-12-31"))));
    when(&mut b, spend(8_000)).unwrap();
    assert_eq!(
        when(&mut b, spend(3_000)),
        Err(BudgetError::OverBudget { category: Category::Meetings, available: 2_000 })
    );
    when(
        &mut b,
        BudgetCommand::Request { category: Category::Meetings, fen: 5_000, reason: t("增加座谈会") },
    )
    .unwrap();
    assert_eq!(
        when(&mut b, spend(3_000)),
        Err(BudgetError::OverBudget { category: Category::Meetings, available: 2_000 }),
        "not before approval"
    );
    when(&mut b, BudgetCommand::Approve { n: 1, by: by() }).unwrap();
    assert_eq!(when(&mut b, BudgetCommand::Approve { n: 1, by: by() }), Err(BudgetError::NoRequest(1)));
    when(&mut b, spend(3_000)).unwrap();
    let e = &b.execution(d("2026-06-30"))[0];
    assert_eq!(
        (e.planned, e.supplemented, e.spent, e.available, e.execution_permille),
        (10_000, 5_000, 11_000, 4_000, 733)
    );
    assert!(e.projected_shortfall > 0, "{e:?}: at this pace the line runs out");
}

/// A budget with these lines and spending, built from its events (no refusal in the way).
fn spent(year: i32, lines: &[(Category, u64, u64)]) -> Budget {
    let mut b = Budget::new(year);
    for &(category, planned, _) in lines {
        b.apply(&BudgetEvent::LineSet { category, fen: planned });
    }
    b.apply(&BudgetEvent::Adopted { by: by(), on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap() });
    for (k, &(category, _, fen)) in lines.iter().enumerate() {
        let expense = Expense {
            n: k as u32 + 1,
            on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            fen,
            purpose: t("座谈会"),
            reference: t(&format!("V{k}")),
            reverses: None,
        };
        b.apply(&BudgetEvent::Spent { category, expense });
    }
    b
}

/// The year-end projection is spent × days in the year / days elapsed (today included), less what the
/// line has: 31 March 2026 is day 90 of 365; 9 000 fen at that pace is 36 500 by 31 December.
#[test]
fn the_projection_on_a_fixed_day_is_exact() {
    let b = spent(2026, &[(Category::Meetings, 30_000, 9_000), (Category::Visits, 40_000, 9_000)]);
    let e = b.execution(d("2026-03-31"));
    assert_eq!((e[0].category, e[0].projected_shortfall), (Category::Meetings, 6_500));
    assert_eq!((e[1].category, e[1].projected_shortfall), (Category::Visits, 0), "36 500 < 40 000");
    assert_eq!(e[0].available, 21_000);
    assert_eq!(e[0].execution_permille, 300);
    // 1 January is day 1: 100 fen × 365.
    let b = spent(2026, &[(Category::Meetings, 30_000, 100)]);
    assert_eq!(b.execution(d("2026-01-01"))[0].projected_shortfall, 36_500 - 30_000);
    // On 31 December the pace is what was spent; after the year, the same.
    let b = spent(2026, &[(Category::Meetings, 30_000, 30_000)]);
    assert_eq!(b.execution(d("2026-12-31"))[0].projected_shortfall, 0);
    assert_eq!(b.execution(d("2027-02-01"))[0].projected_shortfall, 0);
    let b = spent(2026, &[(Category::Meetings, 30_000, 15_000)]);
    // 2 July 2026 is day 183: 15 000 × 365 / 183 = 29 918 (rounded down), within the line.
    assert_eq!(b.execution(d("2026-07-02"))[0].projected_shortfall, 0);
    // Before the year begins nothing is projected (and nothing overflows the day before).
    assert_eq!(b.execution(d("2025-12-31"))[0].projected_shortfall, 0);
    assert_eq!(b.execution(d("2025-06-01"))[0].projected_shortfall, 0);
}

/// A leap year has 366 days: 31 March 2028 is day 91; 9 100 fen × 366 / 91 = 36 600.
#[test]
fn the_projection_in_a_leap_year_counts_366_days() {
    let b = spent(2028, &[(Category::Meetings, 36_000, 9_100)]);
    assert_eq!(b.execution(d("2028-03-31"))[0].projected_shortfall, 600);
    // 29 February 2028 is day 60: 600 × 366 / 60 = 3 660.
    let b = spent(2028, &[(Category::Meetings, 3_000, 600)]);
    assert_eq!(b.execution(d("2028-02-29"))[0].projected_shortfall, 660);
}

#[test]
fn exactly_the_balance_may_be_spent_and_not_one_fen_more() {
    let mut b = adopted(10_000);
    when(&mut b, spend(4_000)).unwrap();
    assert_eq!(
        when(&mut b, spend(6_001)),
        Err(BudgetError::OverBudget { category: Category::Meetings, available: 6_000 })
    );
    when(&mut b, spend(6_000)).unwrap();
    assert_eq!(b.lines[&Category::Meetings].available(), 0);
    assert_eq!(b.lines[&Category::Meetings].spent, 10_000);
    assert_eq!(
        when(&mut b, spend(1)),
        Err(BudgetError::OverBudget { category: Category::Meetings, available: 0 })
    );
    assert_eq!(when(&mut b, spend(0)), Err(BudgetError::ZeroAmount));
    let e = &b.execution(d("2026-06-30"))[0];
    assert_eq!((e.available, e.execution_permille), (0, 1000));
}

#[test]
fn rejecting_request_two_of_two_decides_request_two() {
    let mut b = adopted(10_000);
    let request = |fen| BudgetCommand::Request { category: Category::Meetings, fen, reason: t("追加") };
    when(&mut b, request(1_000)).unwrap();
    when(&mut b, request(2_000)).unwrap();
    assert_eq!(
        b.appropriations.iter().map(|a| (a.n, a.fen)).collect::<Vec<_>>(),
        vec![(1, 1_000), (2, 2_000)]
    );
    when(&mut b, BudgetCommand::Reject { n: 2, reason: t("不予追加") }).unwrap();
    assert_eq!(b.appropriations[0].decision, None, "request 1 still open");
    assert_eq!(b.appropriations[1].decision, Some(Err(t("不予追加"))));
    assert_eq!(when(&mut b, BudgetCommand::Reject { n: 2, reason: t("x") }), Err(BudgetError::NoRequest(2)));
    assert_eq!(when(&mut b, BudgetCommand::Approve { n: 2, by: by() }), Err(BudgetError::NoRequest(2)));
    assert_eq!(when(&mut b, BudgetCommand::Approve { n: 3, by: by() }), Err(BudgetError::NoRequest(3)));
    when(&mut b, BudgetCommand::Approve { n: 1, by: by() }).unwrap();
    assert_eq!(b.lines[&Category::Meetings].supplemented, 1_000, "only the approved request");
    assert!(matches!(b.appropriations[0].decision, Some(Ok(_))));
    assert_eq!(b.lines[&Category::Meetings].available(), 11_000);
    when(&mut b, request(500)).unwrap();
    assert_eq!(b.appropriations[2].n, 3);
    assert_eq!(b.appropriations[2].on, d("2026-06-30"));
}

/// Entries are numbered across the lines in the order entered (reversals included), from 1.
#[test]
fn expenses_and_reversals_are_numbered_across_lines() {
    let mut b = Budget::new(2026);
    when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 10_000 }).unwrap();
    when(&mut b, BudgetCommand::SetLine { category: Category::Visits, fen: 10_000 }).unwrap();
    when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
    let visit = |fen, reference: &str| BudgetCommand::Spend {
        category: Category::Visits,
        fen,
        purpose: t("走访"),
        reference: t(reference),
        on: d("2026-06-02"),
    };
    when(&mut b, spend_with(100, "M-1")).unwrap();
    when(&mut b, visit(200, "V-1")).unwrap();
    when(&mut b, spend_with(300, "M-2")).unwrap();
    when(&mut b, reverse(2)).unwrap();
    when(&mut b, visit(250, "V-1")).unwrap();
    let numbers = |c: Category| b.lines[&c].expenses.iter().map(|e| (e.n, e.reverses)).collect::<Vec<_>>();
    assert_eq!(numbers(Category::Meetings), vec![(1, None), (3, None)]);
    assert_eq!(numbers(Category::Visits), vec![(2, None), (4, Some(2)), (5, None)]);
    assert_eq!(b.reversal_of(2).map(|r| r.n), Some(4));
    assert_eq!(b.reversal_of(1), None);
    let v = &b.lines[&Category::Visits];
    assert_eq!((v.spent, v.reversed, v.available()), (250, 200, 9_750));
    assert_eq!(b.version, 8, "one per event");
}

proptest! {
    /// Whatever is attempted, a line's spending never exceeds its plan plus its approved appropriations.
    #[test]
    fn a_line_never_goes_negative(ops in proptest::collection::vec((0u8..5, 1u64..5_000), 1..40)) {
        let mut b = Budget::new(2026);
        when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 10_000 }).unwrap();
        when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
        for (op, fen) in ops {
            let c = match op {
                0 | 1 => spend(fen),
                2 => BudgetCommand::Request { category: Category::Meetings, fen, reason: t("追加") },
                3 => BudgetCommand::Approve { n: b.appropriations.len() as u32, by: by() },
                _ => reverse(1 + (fen % 8) as u32),
            };
            let _ = when(&mut b, c);
            for l in b.lines.values() {
                prop_assert!(l.spent <= l.planned + l.supplemented);
                let approved: u64 = b.appropriations.iter().filter(|a| matches!(a.decision, Some(Ok(_)))).map(|a| a.fen).sum();
                prop_assert_eq!(l.supplemented, approved);
                // Spending is what was spent less what was reversed, each expense reversed at most once.
                let gross: u64 = l.expenses.iter().filter(|e| e.reverses.is_none()).map(|e| e.fen).sum();
                prop_assert_eq!(l.spent + l.reversed, gross);
                let mut reversed: Vec<u32> = l.expenses.iter().filter_map(|e| e.reverses).collect();
                let all = reversed.len();
                reversed.sort_unstable();
                reversed.dedup();
                prop_assert_eq!(reversed.len(), all);
            }
        }
    }
}

/// The events' stored names, and which refusals are about the input (a 400, not a 409): both reach the
/// audit trail and the HTTP status, neither was pinned (issue 22).
#[test]
fn event_kinds_and_input_refusals_are_pinned() {
    let e =
        Expense { n: 1, on: d("2026-03-02"), fen: 100, purpose: t("x"), reference: t("r"), reverses: None };
    let request = Appropriation {
        n: 1,
        category: Category::Other,
        fen: 100,
        reason: t("x"),
        on: d("2026-03-02"),
        decision: None,
    };
    let kinds: Vec<&str> = [
        BudgetEvent::LineSet { category: Category::Other, fen: 1 },
        BudgetEvent::Adopted { by: by(), on: d("2026-01-05") },
        BudgetEvent::Spent { category: Category::Other, expense: e.clone() },
        BudgetEvent::Reversed { category: Category::Other, reversal: e },
        BudgetEvent::Requested { appropriation: request },
        BudgetEvent::Approved { n: 1, by: by(), on: d("2026-03-03") },
        BudgetEvent::Rejected { n: 1, reason: t("x") },
    ]
    .iter()
    .map(BudgetEvent::kind)
    .collect();
    assert_eq!(
        kinds,
        [
            "budget.line_set",
            "budget.adopted",
            "budget.spent",
            "budget.expense_reversed",
            "budget.appropriation_requested",
            "budget.appropriation_approved",
            "budget.appropriation_rejected",
        ]
    );
    let date = crate::dates::plausible("on", d("1800-01-01"), d("2026-03-02")).unwrap_err();
    let input = [
        BudgetError::ZeroAmount,
        BudgetError::OutsideYear(d("2027-01-01")),
        BudgetError::ReversalBeforeExpense { n: 1, expense_on: d("2026-03-02") },
        BudgetError::Date(date),
    ];
    assert!(input.iter().all(BudgetError::is_input));
    let state = [
        BudgetError::Adopted,
        BudgetError::NotAdopted,
        BudgetError::NoLine(Category::Other),
        BudgetError::OverBudget { category: Category::Other, available: 0 },
        BudgetError::NoRequest(2),
        BudgetError::DuplicateReference { reference: "r".into(), earlier: 1, on: d("2026-03-02") },
        BudgetError::NoExpense(3),
        BudgetError::ReversalOfReversal(2),
        BudgetError::AlreadyReversed { n: 1, by: 2 },
    ];
    assert!(!state.iter().any(BudgetError::is_input));
}

#[test]
fn a_budget_that_plans_nothing_is_not_adopted() {
    let mut b = Budget::new(2026);
    assert_eq!(when(&mut b, BudgetCommand::Adopt { by: by() }), Err(BudgetError::Empty));
    when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 0 }).ok();
    assert_eq!(when(&mut b, BudgetCommand::Adopt { by: by() }), Err(BudgetError::Empty), "a line of nothing");
    assert_eq!(b.adopted, None);
    when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 1 }).unwrap();
    assert!(when(&mut b, BudgetCommand::Adopt { by: by() }).is_ok(), "one fen planned is a budget");
    assert_eq!(BudgetError::Empty.code(), "budget.empty");
    assert!(!BudgetError::Empty.is_input(), "the budget's state, not the request, is at fault");
}
