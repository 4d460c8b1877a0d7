//! The calendar's tests: schedule validation, statutory holidays in years without a published schedule,
//! and the explanation of a deadline.

use chrono::{Datelike, NaiveDate};

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn holiday(name: &str, from: &str, to: &str) -> (String, NaiveDate, NaiveDate) {
    (name.to_owned(), d(from), d(to))
}

/// 2026 as published (the part these tests touch), 2027 and later unpublished.
fn with_2026() -> WorkCalendar {
    let mut cal = WorkCalendar::new();
    cal.add_year(
        2026,
        "test",
        &[holiday("元旦", "2026-01-01", "2026-01-03"), holiday("国庆节", "2026-10-01", "2026-10-07")],
        &[d("2026-01-04"), d("2026-10-10")],
    )
    .unwrap();
    cal
}

/// A 2027 schedule for the tests only (not the State Council's): 春节 9 days with two Saturdays worked.
fn add_2027(cal: &mut WorkCalendar) {
    cal.add_year(
        2027,
        "test: not a published notice",
        &[holiday("元旦", "2027-01-01", "2027-01-03"), holiday("春节", "2027-02-05", "2027-02-13")],
        &[d("2027-01-30"), d("2027-02-20")],
    )
    .unwrap();
}

#[test]
fn add_year_refuses_a_holiday_range_that_ends_before_it_begins() {
    let mut cal = WorkCalendar::new();
    let e = cal.add_year(2027, "x", &[holiday("春节", "2027-02-13", "2027-02-05")], &[]).unwrap_err();
    assert_eq!(
        e,
        CalendarError::BackwardsRange { name: "春节".into(), from: d("2027-02-13"), to: d("2027-02-05") }
    );
    assert_eq!(cal.years().count(), 0, "nothing of a refused year is kept");
    assert_eq!(
        (e.code(), e.zh().as_str()),
        ("calendar.backwards_range", "假期“春节”的结束日期 2027-02-05 早于开始日期 2027-02-13")
    );
    // A one-day holiday (from = to) is a range.
    assert_eq!(cal.add_year(2027, "x", &[holiday("元旦", "2027-01-01", "2027-01-01")], &[]), Ok(()));
    assert_eq!(cal.holiday(d("2027-01-01")), Some("元旦"));
}

#[test]
fn add_year_refuses_a_make_up_working_day_on_a_weekday() {
    let mut cal = WorkCalendar::new();
    // Wednesday 3 March 2027.
    let e = cal.add_year(2027, "x", &[], &[d("2027-03-03")]).unwrap_err();
    assert_eq!(e, CalendarError::BadWorkday(d("2027-03-03")));
    assert_eq!(
        (e.code(), e.zh().as_str()),
        (
            "calendar.workday_not_weekend",
            "调休上班日 2027-03-03 是星期三，不是周六或周日：只有周末才能调为工作日"
        )
    );
    assert_eq!(e.en(), "make-up working day 2027-03-03 is a Wed, not a Saturday or Sunday");
    // Friday and Monday are weekdays too; Saturday 6 and Sunday 7 March are accepted.
    for weekday in ["2027-03-05", "2027-03-08"] {
        let e = WorkCalendar::new().add_year(2027, "x", &[], &[d(weekday)]).unwrap_err();
        assert_eq!(e, CalendarError::BadWorkday(d(weekday)));
    }
    let mut ok = WorkCalendar::new();
    assert_eq!(ok.add_year(2027, "x", &[], &[d("2027-03-06"), d("2027-03-07")]), Ok(()));
    assert_eq!(ok.is_working_day(d("2027-03-06")), (true, true));
}

#[test]
fn add_year_refuses_a_make_up_working_day_inside_a_holiday() {
    let mut cal = WorkCalendar::new();
    // Saturday 6 February 2027, inside the Spring Festival break.
    let e = cal
        .add_year(2027, "x", &[holiday("春节", "2027-02-05", "2027-02-13")], &[d("2027-02-06")])
        .unwrap_err();
    assert_eq!(e, CalendarError::WorkdayInHoliday { date: d("2027-02-06"), name: "春节".into() });
    assert_eq!(
        (e.code(), e.zh().as_str()),
        ("calendar.workday_in_holiday", "调休上班日 2027-02-06 在假期“春节”之内")
    );
    assert_eq!(e.en(), "make-up working day 2027-02-06 falls inside the holiday 春节");
}

#[test]
fn add_year_refuses_dates_outside_the_year_and_a_year_twice() {
    let mut cal = WorkCalendar::new();
    let e = cal.add_year(2027, "x", &[holiday("元旦", "2026-12-31", "2027-01-01")], &[]).unwrap_err();
    assert_eq!(e, CalendarError::WrongYear { year: 2027, date: d("2026-12-31") });
    let e = cal.add_year(2027, "x", &[], &[d("2028-01-08")]).unwrap_err();
    assert_eq!(e, CalendarError::WrongYear { year: 2027, date: d("2028-01-08") });
    add_2027(&mut cal);
    assert_eq!(cal.add_year(2027, "x", &[], &[]).unwrap_err(), CalendarError::Duplicate(2027));
    let codes = [
        (
            CalendarError::WrongYear { year: 2027, date: d("2028-01-08") },
            "calendar.wrong_year",
            "2028-01-08 不在 2027 年内",
        ),
        (CalendarError::Duplicate(2027), "calendar.duplicate_year", "2027 年的安排已在日历中"),
    ];
    for (e, code, zh) in codes {
        assert_eq!((e.code(), e.zh().as_str()), (code, zh));
    }
}

#[test]
fn new_years_day_2027_is_no_longer_counted_as_a_working_day() {
    // Before: a year without a schedule counted Monday to Friday, so 1 working day from Thursday
    // 31 December 2026 was Friday 1 January 2027 (元旦).
    let cal = with_2026();
    let dl = cal.deadline(d("2026-12-31"), Period::WorkingDays(1));
    assert_eq!((dl.due, dl.assumed_years.clone()), (d("2027-01-04"), vec![2027]));
    assert!(dl.is_provisional());
    assert_eq!(cal.is_working_day(d("2027-01-01")), (false, false));
    assert_eq!(cal.holiday(d("2027-01-01")), Some("元旦"));
    assert_eq!(cal.day_off(d("2027-01-01")), Some(DayOff::Statutory { holiday: Festival::NewYear }));
}

#[test]
fn five_working_days_from_new_years_eve_2027_with_new_year_2028_on_a_saturday() {
    // 1 January 2028 is a Saturday: no extra day off is assumed (no 补假, no 调休).
    let cal = with_2026();
    let basis = cal.explain(d("2027-12-31"), Period::WorkingDays(5));
    assert_eq!(basis.due, d("2028-01-07"));
    assert_eq!(basis.assumed_years, [2028]);
    assert_eq!(
        basis.skipped,
        [
            SkippedDay { date: d("2028-01-01"), reason: DayOff::Statutory { holiday: Festival::NewYear } },
            SkippedDay { date: d("2028-01-02"), reason: DayOff::Weekend },
        ]
    );
    assert_eq!(
        basis.note_zh(),
        "自2027-12-31起算5个工作日（当日不计入），届满日2028-01-07；跳过2028-01-01 元旦（法定节假日，推算）、\
         2028-01-02 周末；假定2028年：仅法定节假日，未含调休。"
    );
    assert_eq!(
        basis.note_en(),
        "5 working days from 2027-12-31 (not counted): due 2028-01-07; skipped 2028-01-01 New Year's Day \
         (statutory, computed), 2028-01-02 weekend; assumes 2028: statutory days only, no make-up days."
    );
    // The messages people read are these notes; an assumed year makes the deadline provisional.
    assert_eq!((basis.zh(), basis.en()), (basis.note_zh(), basis.note_en()));
    assert!(basis.is_provisional());
}

#[test]
fn a_deadline_across_the_2027_spring_festival_skips_new_years_eve_and_the_three_days() {
    let cal = with_2026();
    let basis = cal.explain(d("2027-02-03"), Period::WorkingDays(5));
    assert_eq!(basis.due, d("2027-02-12"));
    let skipped: Vec<_> = basis.skipped.iter().map(|s| (s.date, s.reason.clone())).collect();
    let sf = DayOff::Statutory { holiday: Festival::SpringFestival };
    assert_eq!(
        skipped,
        [
            (d("2027-02-05"), sf.clone()),
            (d("2027-02-06"), sf.clone()),
            (d("2027-02-07"), sf.clone()),
            (d("2027-02-08"), sf),
        ]
    );
    assert_eq!(
        crate::Localized::zh(&basis),
        "自2027-02-03起算5个工作日（当日不计入），届满日2027-02-12；跳过2027-02-05至2027-02-08 \
         春节（法定节假日，推算）；假定2027年：仅法定节假日，未含调休。"
    );
    assert!(basis.note_zh().ends_with("假定2027年：仅法定节假日，未含调休。"));
    assert!(basis.note_en().ends_with("assumes 2027: statutory days only, no make-up days."));
}

#[test]
fn weekends_are_never_working_days_in_a_year_without_a_schedule() {
    let cal = with_2026();
    for day in d("2027-01-01").iter_days().take_while(|x| x.year() <= 2031) {
        let (working, published) = cal.is_working_day(day);
        assert!(!published);
        if matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            assert!(!working, "{day}");
        }
        if statutory_holiday(day).is_some() {
            assert!(!working, "{day}");
        }
        assert_eq!(working, cal.day_off(day).is_none(), "{day}");
    }
    // 254 working days in 2027: 261 weekdays less the 7 statutory days that fall on weekdays.
    assert_eq!(cal.working_days_between(d("2026-12-31"), d("2027-12-31")), 261 - 7);
}

#[test]
fn a_month_period_ending_on_national_day_moves_and_says_from_where() {
    let cal = with_2026();
    let basis = cal.explain(d("2027-09-01"), Period::Months(1));
    assert_eq!((basis.due, basis.moved_from), (d("2027-10-04"), Some(d("2027-10-01"))));
    assert_eq!(
        basis.note_en(),
        "1 month from 2027-09-01 (not counted): due 2027-10-04; skipped 2027-10-01 to 2027-10-03 National Day \
         (statutory, computed); 2027-10-01 is a day off, moved to 2027-10-04; assumes 2027: statutory days \
         only, no make-up days."
    );
    assert_eq!(cal.deadline(d("2027-09-01"), Period::Months(1)).due, basis.due);
}

#[test]
fn a_deadline_in_published_years_is_not_provisional_and_names_the_published_holiday() {
    let cal = with_2026();
    let basis = cal.explain(d("2026-09-30"), Period::WorkingDays(5));
    assert_eq!(basis.due, d("2026-10-13"));
    assert!(!basis.is_provisional());
    assert_eq!(
        basis.note_zh(),
        "自2026-09-30起算5个工作日（当日不计入），届满日2026-10-13；跳过2026-10-01至2026-10-07 国庆节、\
         2026-10-11 周末。"
    );
}

#[test]
fn a_published_schedule_replaces_the_statutory_assumption() {
    let mut cal = with_2026();
    let before = cal.deadline(d("2027-02-03"), Period::WorkingDays(5));
    assert_eq!((before.due, before.is_provisional()), (d("2027-02-12"), true));
    add_2027(&mut cal);
    let after = cal.deadline(d("2027-02-03"), Period::WorkingDays(5));
    // 4 February, then the break to the 13th, then 15–18 February.
    assert_eq!((after.due, after.assumed_years), (d("2027-02-18"), vec![]));
    assert_eq!(cal.holiday(d("2027-02-12")), Some("春节"));
    assert_eq!(cal.is_working_day(d("2027-02-20")), (true, true), "a Saturday worked (调休)");
    assert_eq!(cal.day_off(d("2027-02-09")), Some(DayOff::Published { holiday: "春节".into() }));
    // 2028 is still assumed.
    assert_eq!(cal.deadline(d("2027-12-30"), Period::WorkingDays(2)).assumed_years, [2028]);
}

#[test]
fn explain_agrees_with_deadline_everywhere() {
    let mut cal = with_2026();
    add_2027(&mut cal);
    for start in d("2026-09-20").iter_days().take(600).step_by(3) {
        for n in [0, 1, 3, 5, 10, 15, 30] {
            let (dl, basis) =
                (cal.deadline(start, Period::WorkingDays(n)), cal.explain(start, Period::WorkingDays(n)));
            assert_eq!((dl.due, &dl.assumed_years), (basis.due, &basis.assumed_years), "{start} +{n}");
            let span = u32::try_from((basis.due - start).num_days()).unwrap();
            assert_eq!(span, n + basis.skipped.len() as u32, "{start} +{n}");
            assert_eq!(basis.moved_from, None);
        }
        for n in [1, 2, 3] {
            let (dl, basis) = (cal.deadline(start, Period::Months(n)), cal.explain(start, Period::Months(n)));
            assert_eq!((dl.due, &dl.assumed_years), (basis.due, &basis.assumed_years), "{start} +{n}m");
            assert_eq!(basis.moved_from.is_some(), !basis.skipped.is_empty());
        }
    }
}

#[test]
fn the_explanation_serializes_small_and_the_deadline_unchanged() {
    let cal = with_2026();
    let basis = cal.explain(d("2027-02-03"), Period::WorkingDays(2));
    let json = serde_json::to_value(&basis).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "start": "2027-02-03",
            "period": { "unit": "working_days", "count": 2 },
            "due": "2027-02-09",
            "skipped": [
                { "date": "2027-02-05", "reason": { "kind": "statutory", "holiday": "spring_festival" } },
                { "date": "2027-02-06", "reason": { "kind": "statutory", "holiday": "spring_festival" } },
                { "date": "2027-02-07", "reason": { "kind": "statutory", "holiday": "spring_festival" } },
                { "date": "2027-02-08", "reason": { "kind": "statutory", "holiday": "spring_festival" } },
            ],
            "assumed_years": [2027],
        })
    );
    let back: DeadlineBasis = serde_json::from_value(json).unwrap();
    assert_eq!(back, basis);
    let dl = cal.deadline(d("2027-02-03"), Period::WorkingDays(2));
    assert_eq!(
        serde_json::to_value(&dl).unwrap(),
        serde_json::json!({ "due": "2027-02-09", "assumed_years": [2027] })
    );
    let published = serde_json::to_value(DayOff::Published { holiday: "国庆节".into() }).unwrap();
    assert_eq!(published, serde_json::json!({ "kind": "published", "holiday": "国庆节" }));
}

/// January 2030 has no published schedule: its working days, written out by hand from a printed calendar
/// (1 January a Tuesday and 元旦; 春节 falls in February), not computed by the code under test.
#[test]
fn the_working_days_of_january_2030_are_the_weekdays_less_new_years_day() {
    const WORKING: [u32; 22] =
        [2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 28, 29, 30, 31];
    const WEEKEND: [u32; 8] = [5, 6, 12, 13, 19, 20, 26, 27];
    let cal = with_2026();
    for day in 1..=31 {
        let date = NaiveDate::from_ymd_opt(2030, 1, day).unwrap();
        let (working, published) = cal.is_working_day(date);
        assert!(!published, "{date}");
        assert_eq!(working, WORKING.contains(&day), "{date}");
        let expected = if day == 1 {
            Some(DayOff::Statutory { holiday: Festival::NewYear })
        } else if WEEKEND.contains(&day) {
            Some(DayOff::Weekend)
        } else {
            None
        };
        assert_eq!(cal.day_off(date), expected, "{date}");
    }
    assert_eq!(cal.working_days_between(d("2029-12-31"), d("2030-01-31")), 22);
    assert_eq!(cal.working_days_between(d("2030-01-04"), d("2030-01-07")), 1, "Friday to Monday");
    assert_eq!(cal.working_days_between(d("2030-01-07"), d("2030-01-07")), 0);
    // Friday 28 December 2029 + 3 working days: Monday 31, (1 January off), Wednesday 2, Thursday 3.
    assert_eq!(cal.deadline(d("2029-12-28"), Period::WorkingDays(3)).due, d("2030-01-03"));
    // Friday 4 January + 1 working day: Monday 7 (the weekend skipped).
    assert_eq!(cal.deadline(d("2030-01-04"), Period::WorkingDays(1)).due, d("2030-01-07"));
    // One month after 5 December 2029 lands on Saturday 5 January 2030 and moves to Monday 7.
    let basis = cal.explain(d("2029-12-05"), Period::Months(1));
    assert_eq!((basis.due, basis.moved_from), (d("2030-01-07"), Some(d("2030-01-05"))));
    assert_eq!(basis.assumed_years, vec![2030]);
    // One month after 7 December lands on Monday 7 January and stays.
    let basis = cal.explain(d("2029-12-07"), Period::Months(1));
    assert_eq!((basis.due, basis.moved_from), (d("2030-01-07"), None));
}

/// A deadline inside published years is not provisional; the schedule keeps its source (issue 22).
#[test]
fn a_deadline_within_published_years_is_final_and_the_schedule_keeps_its_source() {
    let cal = with_2026();
    let dl = cal.deadline(d("2026-03-02"), Period::WorkingDays(5));
    assert_eq!((dl.due, dl.assumed_years.clone(), dl.is_provisional()), (d("2026-03-09"), vec![], false));
    let sources: Vec<(i32, &str)> = cal.years().map(|(y, s)| (*y, s.source.as_str())).collect();
    assert_eq!(sources, [(2026, "test")], "the notice it comes from is kept");
}
