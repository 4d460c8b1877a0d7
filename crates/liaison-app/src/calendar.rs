//! The official holiday schedule as data: `data/cn-holidays.toml` (the State Council's yearly notices,
//! 2025 and 2026) is built in; a deployment loads a newer file (the same format, with the new year added
//! when its notice is published) with `from_toml`. A year in the file is counted by its published schedule;
//! a year not in it by its statutory holidays only (see `liaison_core::calendar`), and deadlines through it
//! say so (`Deadline::assumed_years`, `WorkCalendar::explain`).
//!
//! Format: one table per year, `source` (the notice), `holidays` (named inclusive ranges) and `workdays`
//! (weekend days that are working days).

use liaison_core::Localized;
use liaison_core::calendar::{Schedule, WorkCalendar};

use crate::AppError;

/// The schedule shipped with this version.
pub const OFFICIAL: &str = include_str!("../../../data/cn-holidays.toml");

fn bad(zh: String, en: String) -> AppError {
    AppError::BadFile { code: "calendar.invalid", zh, en }
}

/// Parse a holiday schedule; every problem names the year and the reason.
pub fn from_toml(text: &str) -> Result<WorkCalendar, AppError> {
    let doc: Schedule = toml::from_str(text).map_err(|e| {
        bad(format!("节假日安排文件格式有误：{e}"), format!("the holiday schedule is not valid: {e}"))
    })?;
    WorkCalendar::from_schedule(&doc).map_err(|e| bad(e.zh(), e.en()))
}

/// The built-in schedule.
pub fn official() -> Result<WorkCalendar, AppError> {
    from_toml(OFFICIAL)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use liaison_core::calendar::Period;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_shipped_schedule_loads_with_its_holidays_and_make_up_days() {
        let cal = official().unwrap();
        assert_eq!(cal.years().map(|(y, _)| *y).collect::<Vec<_>>(), [2025, 2026]);
        assert_eq!(cal.is_working_day(d("2026-02-14")), (true, true), "a Saturday worked (调休)");
        assert_eq!(cal.is_working_day(d("2026-02-16")), (false, true), "a Monday off (春节)");
        assert_eq!(cal.holiday(d("2026-02-16")), Some("春节"));
        assert_eq!(cal.is_working_day(d("2026-10-08")), (true, true));
        assert_eq!(
            cal.is_working_day(d("2027-01-04")),
            (true, false),
            "2027 is not published yet: a Monday is a working day"
        );
        assert_eq!(cal.is_working_day(d("2027-01-01")), (false, false), "元旦 is statutory");
    }

    #[test]
    fn working_day_deadlines_skip_holidays_and_count_make_up_days() {
        let cal = official().unwrap();
        // From Wednesday 30 September 2026: 1–7 October off; 8 (Thu), 9 (Fri), 10 (Sat, worked), 12, 13.
        let dl = cal.deadline(d("2026-09-30"), Period::WorkingDays(5));
        assert_eq!((dl.due, dl.assumed_years.is_empty()), (d("2026-10-13"), true));
        // Return of a misassigned suggestion: 5 working days across the Spring Festival.
        assert_eq!(cal.deadline(d("2026-02-12"), Period::WorkingDays(5)).due, d("2026-02-26"));
        assert_eq!(cal.working_days_between(d("2026-09-30"), d("2026-10-13")), 5);
    }

    #[test]
    fn month_deadlines_land_on_the_same_day_or_the_next_working_day() {
        let cal = official().unwrap();
        assert_eq!(
            cal.deadline(d("2026-07-01"), Period::Months(3)).due,
            d("2026-10-08"),
            "1 October is a holiday"
        );
        assert_eq!(
            cal.deadline(d("2026-01-31"), Period::Months(1)).due,
            d("2026-02-28"),
            "month end; a worked Saturday"
        );
        let dl = cal.deadline(d("2026-11-30"), Period::Months(3));
        assert_eq!(
            (dl.due, dl.assumed_years),
            (d("2027-03-01"), vec![2027]),
            "28 Feb 2027 is a Sunday; 2027 assumed"
        );
    }

    /// A 2027 table for this test only (not the State Council's notice).
    const TEST_2027: &str = r#"
[2027]
source = "test only"
holidays = [
  { name = "元旦", from = "2027-01-01", to = "2027-01-03" },
  { name = "春节", from = "2027-02-05", to = "2027-02-13" },
]
workdays = ["2027-01-30", "2027-02-20"]
"#;

    #[test]
    fn a_deadline_provisional_for_2027_is_settled_by_a_newer_file_with_2027() {
        let built_in = official().unwrap();
        let start = d("2027-02-03");
        let provisional = built_in.deadline(start, Period::WorkingDays(5));
        assert_eq!((provisional.due, provisional.assumed_years), (d("2027-02-12"), vec![2027]));
        assert!(
            built_in
                .explain(start, Period::WorkingDays(5))
                .note_zh()
                .ends_with("假定2027年：仅法定节假日，未含调休。")
        );

        let newer = from_toml(&format!("{OFFICIAL}{TEST_2027}")).unwrap();
        assert_eq!(newer.years().map(|(y, _)| *y).collect::<Vec<_>>(), [2025, 2026, 2027]);
        let settled = newer.deadline(start, Period::WorkingDays(5));
        assert_eq!(
            (settled.due, settled.assumed_years),
            (d("2027-02-18"), vec![]),
            "the published break, not 4 days"
        );
        let basis = newer.explain(start, Period::WorkingDays(5));
        assert!(!basis.is_provisional());
        assert!(!basis.note_zh().contains("假定"), "{}", basis.note_zh());
        // Deadlines that never touch 2027 are the same either way.
        let within_2026 = built_in.deadline(d("2026-09-30"), Period::WorkingDays(5));
        assert_eq!(newer.deadline(d("2026-09-30"), Period::WorkingDays(5)), within_2026);
    }

    #[test]
    fn a_bad_schedule_is_refused_with_the_year_and_the_reason() {
        let weekday_as_workday = "[2026]\nsource = \"x\"\nworkdays = [\"2026-03-02\"]\n";
        let e = from_toml(weekday_as_workday).unwrap_err();
        assert_eq!(
            liaison_core::Localized::zh(&e),
            "2026 年的安排有误：调休上班日 2026-03-02 是星期一，不是周六或周日：只有周末才能调为工作日"
        );
        assert_eq!(
            e.to_string(),
            "the 2026 schedule is invalid: make-up working day 2026-03-02 is a Mon, not a Saturday or Sunday"
        );
        let wrong_year = "[2026]\nsource = \"x\"\nholidays = [{ name = \"元旦\", from = \"2025-01-01\", to = \"2025-01-01\" }]\n";
        assert!(from_toml(wrong_year).unwrap_err().to_string().contains("not in 2026"));
        assert_eq!(from_toml("[2026]\nsource = 1\n").unwrap_err().code(), "calendar.invalid");
        let backwards = "[2026]\nsource = \"x\"\nholidays = [{ name = \"春节\", from = \"2026-02-23\", to = \"2026-02-15\" }]\n";
        assert!(from_toml(backwards).unwrap_err().to_string().contains("ends (2026-02-15) before it begins"));
        let inside_a_holiday = "[2026]\nsource = \"x\"\nholidays = [{ name = \"春节\", from = \"2026-02-15\", to = \"2026-02-23\" }]\nworkdays = [\"2026-02-21\"]\n";
        assert!(
            from_toml(inside_a_holiday)
                .unwrap_err()
                .to_string()
                .contains("make-up working day 2026-02-21 falls inside the holiday 春节")
        );
    }
}
