//! One fixture of facts whose every count and rate is known: eleven items received in the first half of
//! 2026 (two more outside it), figured on 10 July 2026.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const FROM: &str = "2026-01-01";
const TO: &str = "2026-06-30";

/// An item of the first department, national level, with nothing happened yet.
fn item(received: &str, status: SuggestionStatus) -> SuggestionFacts {
    SuggestionFacts {
        received_on: d(received),
        status,
        levels: vec![DeputyLevel::National],
        lead: Some(("d1".into(), "第一检察部".into())),
        handler: Some(("u7".into(), "承办人7".into())),
        first_answer_on_time: None,
        answered_late: false,
        unanswered_due: None,
        first_verdict: None,
        final_verdict: None,
        lapsed: false,
        lapsed_deputies: 0,
        resolution: Resolution::Not,
        rehandled: false,
        published: false,
        body_ratings: 0,
        body_satisfied: 0,
    }
}

fn unassigned(mut f: SuggestionFacts) -> SuggestionFacts {
    (f.lead, f.handler) = (None, None);
    f
}

fn fixture() -> Vec<SuggestionFacts> {
    use SuggestionStatus as S;
    use Verdict::{Dissatisfied as Bad, Lapsed, Satisfied as Good};
    vec![
        // A: received on the first day, joint national + county, answered on time, class A, satisfied on
        // the ratings given when the window closed (one silent), published, the body 3 ratings, 2 good.
        SuggestionFacts {
            levels: vec![DeputyLevel::National, DeputyLevel::County],
            first_answer_on_time: Some(true),
            first_verdict: Some(Good),
            final_verdict: Some(Good),
            lapsed: true,
            lapsed_deputies: 1,
            resolution: Resolution::A,
            published: true,
            body_ratings: 3,
            body_satisfied: 2,
            ..item(FROM, S::Closed)
        },
        // B: answered late, 不满意, re-handled, satisfied the second time; class B solved later.
        SuggestionFacts {
            first_answer_on_time: Some(false),
            answered_late: true,
            first_verdict: Some(Bad),
            final_verdict: Some(Good),
            rehandled: true,
            resolution: Resolution::SolvedLater,
            ..item("2026-02-01", S::Closed)
        },
        // G: answered on time, nobody rated: closed on a lapse, two silent deputies.
        SuggestionFacts {
            first_answer_on_time: Some(true),
            first_verdict: Some(Lapsed),
            final_verdict: Some(Lapsed),
            lapsed: true,
            lapsed_deputies: 2,
            ..item("2026-02-10", S::Closed)
        },
        // H: answered on time, 不满意, in re-handling, its second answer due in twenty days.
        SuggestionFacts {
            first_answer_on_time: Some(true),
            first_verdict: Some(Bad),
            final_verdict: Some(Bad),
            rehandled: true,
            unanswered_due: Some(d("2026-07-30")),
            ..item("2026-03-01", S::Rehandling)
        },
        // I: answered late, not rated yet.
        SuggestionFacts {
            first_answer_on_time: Some(false),
            answered_late: true,
            ..item("2026-03-15", S::Answered)
        },
        // J: answered on time, published, no body rating yet.
        SuggestionFacts {
            first_answer_on_time: Some(true),
            published: true,
            ..item("2026-04-01", S::Answered)
        },
        // C: unanswered, due 5 July: overdue by five days on 10 July.
        SuggestionFacts { unanswered_due: Some(d("2026-07-05")), ..item("2026-04-10", S::Assigned) },
        // D: received on the last day, unanswered, due on 10 July itself: not overdue that day.
        SuggestionFacts { unanswered_due: Some(d("2026-07-10")), ..item(TO, S::Assigned) },
        // Merged, rerouted and withdrawn before assignment.
        unassigned(item("2026-05-01", S::Merged)),
        unassigned(item("2026-05-02", S::Rerouted)),
        unassigned(item("2026-05-03", S::Withdrawn)),
        // Outside the period, on each side: counted nowhere.
        SuggestionFacts {
            first_answer_on_time: Some(true),
            resolution: Resolution::A,
            ..item("2025-12-31", S::Closed)
        },
        SuggestionFacts { answered_late: true, rehandled: true, ..item("2026-07-01", S::Rehandling) },
    ]
}

fn figured(group_by: GroupBy, today: &str) -> Figures {
    figures_of_facts(&fixture(), d(FROM), d(TO), group_by, d(today))
}

/// The first department's row: everything but the three unassigned items.
fn first_department() -> FigureRow {
    FigureRow {
        key: "d1".into(),
        label: "第一检察部".into(),
        received: 8,
        rerouted: 0,
        merged: 0,
        withdrawn: 0,
        transferred: 0,
        answered: 6,
        answered_on_time: 4,
        overdue: 3,
        first_round_rated: 3,
        first_round_satisfied: 1,
        final_rated: 3,
        final_satisfied: 2,
        lapsed: 2,
        lapsed_deputies: 3,
        resolved_a: 1,
        resolved_later: 1,
        rehandled: 2,
        closed: 3,
        open: 5,
        published: 2,
        body_ratings: 3,
        body_satisfied: 2,
    }
}

fn total() -> FigureRow {
    FigureRow {
        key: "all".into(),
        label: "合计".into(),
        received: 11,
        rerouted: 1,
        merged: 1,
        withdrawn: 1,
        ..first_department()
    }
}

fn rates(r: &FigureRow) -> [Option<u32>; 5] {
    [
        r.on_time_permille(),
        r.first_round_permille(),
        r.final_permille(),
        r.resolution_permille(),
        r.body_permille(),
    ]
}

#[test]
fn every_count_and_rate_of_the_fixture() {
    let f = figured(GroupBy::All, "2026-07-10");
    assert_eq!((f.from, f.to, f.group_by), (d(FROM), d(TO), GroupBy::All));
    assert!(f.rows.is_empty());
    assert_eq!(f.total, total());
    // On time 4 of 6, first round 1 of 3, final 2 of 3, resolution (1 + 1) of 6, the body 2 of 3.
    assert_eq!(rates(&f.total), [Some(667), Some(333), Some(667), Some(333), Some(667)]);
}

/// Overdue is `today > due`: not on the due day, from the day after, however long ago.
#[test]
fn overdue_counts_from_the_day_after_the_due_day() {
    let overdue = |today| figured(GroupBy::All, today).total.overdue;
    // B and I answered late are overdue whatever the day.
    assert_eq!(overdue("2026-07-04"), 2);
    assert_eq!(overdue("2026-07-05"), 2, "C is due today");
    assert_eq!(overdue("2026-07-06"), 3, "C one day late");
    assert_eq!(overdue("2026-07-10"), 3, "C five days late; D due today");
    assert_eq!(overdue("2026-07-11"), 4, "C six days late, D one");
    assert_eq!(overdue("2026-07-31"), 5, "H's second answer too");
}

#[test]
fn by_department_and_handler_the_unassigned_row_has_no_rates() {
    let none = FigureRow {
        key: "none".into(),
        label: "未交办".into(),
        received: 3,
        rerouted: 1,
        merged: 1,
        withdrawn: 1,
        ..FigureRow::default()
    };
    let f = figured(GroupBy::Department, "2026-07-10");
    assert_eq!(f.rows, vec![none.clone(), first_department()]);
    assert_eq!(f.total, total());
    assert_eq!(rates(&f.rows[0]), [None; 5], "nothing answered, rated or published: no rate, no panic");
    let h = figured(GroupBy::Handler, "2026-07-10");
    let handler = FigureRow { key: "u7".into(), label: "承办人7".into(), ..first_department() };
    assert_eq!(h.rows, vec![none, handler]);
}

/// Every level has a row; a joint item counts in each of its levels' rows and once in the total.
#[test]
fn by_level_every_level_has_a_row_and_an_empty_one_has_no_rates() {
    let f = figured(GroupBy::Level, "2026-07-10");
    let keys: Vec<&str> = f.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["national", "provincial", "city", "county", "township"]);
    assert_eq!(f.rows[0], FigureRow { key: "national".into(), label: "全国".into(), ..total() });
    let county = FigureRow {
        key: "county".into(),
        label: "县".into(),
        received: 1,
        answered: 1,
        answered_on_time: 1,
        first_round_rated: 1,
        first_round_satisfied: 1,
        final_rated: 1,
        final_satisfied: 1,
        lapsed: 1,
        lapsed_deputies: 1,
        resolved_a: 1,
        closed: 1,
        published: 1,
        body_ratings: 3,
        body_satisfied: 2,
        ..FigureRow::default()
    };
    assert_eq!(f.rows[3], county);
    assert_eq!(rates(&f.rows[3]), [Some(1000), Some(1000), Some(1000), Some(1000), Some(667)]);
    for empty in [1, 2, 4] {
        assert_eq!(f.rows[empty].received, 0);
        assert_eq!(rates(&f.rows[empty]), [None; 5], "{}", f.rows[empty].key);
    }
    assert_eq!(f.total, total());
}

#[test]
fn no_items_no_rates() {
    for g in [GroupBy::All, GroupBy::Level, GroupBy::Department, GroupBy::Handler] {
        let f = figures_of_facts(&[], d(FROM), d(TO), g, d("2026-07-10"));
        assert_eq!(f.total, FigureRow { key: "all".into(), label: "合计".into(), ..FigureRow::default() });
        assert_eq!(rates(&f.total), [None; 5]);
        assert_eq!(f.rows.len(), if g == GroupBy::Level { 5 } else { 0 }, "{g:?}");
    }
    // A period that holds none of the fixture.
    let f = figures_of_facts(&fixture(), d("2027-01-01"), d("2027-12-31"), GroupBy::All, d("2027-12-31"));
    assert_eq!(f.total.received, 0);
}

/// The stored form leaves out what is at its default and keeps every count that is not: an item with
/// nothing happened is its day, status, level and people; a lapse's silent deputies and the body's
/// ratings survive storage (a count dropped here would drop out of the figures).
#[test]
fn stored_facts_leave_out_the_defaults_and_keep_every_count() {
    let bare = item("2026-03-01", SuggestionStatus::Assigned);
    let json = serde_json::to_string(&bare).unwrap();
    assert_eq!(
        json,
        r#"{"r":"2026-03-01","s":"assigned","l":["national"],"d":["d1","第一检察部"],"h":["u7","承办人7"]}"#
    );
    let none =
        SuggestionFacts { levels: vec![], ..unassigned(item("2026-03-01", SuggestionStatus::Received)) };
    assert_eq!(serde_json::to_string(&none).unwrap(), r#"{"r":"2026-03-01","s":"received"}"#);
    for f in fixture() {
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<SuggestionFacts>(&json).unwrap(), f, "{json}");
    }
    let a = serde_json::to_string(&fixture()[0]).unwrap();
    for kept in [r#""xd":1"#, r#""br":3"#, r#""bs":2"#, r#""x":true"#, r#""o":"a""#, r#""p":true"#] {
        assert!(a.contains(kept), "{kept} in {a}");
    }
}

#[test]
fn permille_rounds_to_the_nearest() {
    assert_eq!(permille(2, 3), Some(667));
    assert_eq!(permille(1, 3), Some(333));
    assert_eq!(permille(0, 3), Some(0));
    assert_eq!(permille(0, 0), None);
}

#[test]
fn group_by_parses_its_four_words() {
    assert_eq!(GroupBy::parse("all"), Ok(GroupBy::All));
    assert_eq!(GroupBy::parse(""), Ok(GroupBy::All));
    assert_eq!(GroupBy::parse(" level "), Ok(GroupBy::Level));
    assert_eq!(GroupBy::parse("department"), Ok(GroupBy::Department));
    assert_eq!(GroupBy::parse("handler"), Ok(GroupBy::Handler));
    assert!(GroupBy::parse("region").is_err());
}

#[test]
fn sums_of_consecutive_runs_merged_in_order_are_the_figures_of_them_all() {
    // The fixture, a second department and handler (one of them named like the first, another id), and
    // the whole repeated: every split into runs, merged in order, gives the figures figured whole.
    let mut facts = fixture();
    let mut second = item("2026-03-03", SuggestionStatus::Registered);
    (second.lead, second.handler) =
        (Some(("d2".into(), "第二检察部".into())), Some(("u8".into(), "承办人8".into())));
    let mut same_name = item("2026-03-04", SuggestionStatus::Closed);
    same_name.lead = Some(("d9".into(), "第一检察部".into()));
    facts.extend([second, same_name]);
    facts.extend(fixture());
    let (from, to, today) = (d(FROM), d(TO), d("2026-07-10"));
    for group_by in [GroupBy::All, GroupBy::Level, GroupBy::Department, GroupBy::Handler] {
        let whole = figures_of_facts(&facts, from, to, group_by, today);
        assert!(whole.total.received > 20, "the fixture twice and more, in the period");
        for runs in [1, 2, 3, 5, facts.len()] {
            let mut parts = facts.chunks(facts.len().div_ceil(runs)).map(|run| {
                let mut sums = FigureSums::new(from, to, group_by, today);
                run.iter().for_each(|f| sums.add(f));
                sums
            });
            let mut merged = parts.next().unwrap();
            parts.for_each(|later| merged.merge(later));
            assert_eq!(merged.finish(), whole, "{group_by:?} in {runs} runs");
        }
    }
    // No item: the same empty rows (every level at zero) either way.
    let none = FigureSums::new(from, to, GroupBy::Level, today);
    let mut merged = none.clone();
    merged.merge(none);
    assert_eq!(merged.finish(), figures_of_facts(&[], from, to, GroupBy::Level, today));
}
