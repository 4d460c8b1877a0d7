//! Plausible dates: a date a person types into a workflow (a schedule, a deadline, a day spent) is
//! refused when it lies before 2000-01-01 or more than five years after today — a typo (`2062` for
//! `2026`, `1926`) caught with the field named, rather than a record no list will ever show as due.
//!
//! And China time, the one place it is computed: the clock and the calendar day of an instant in China
//! Standard Time (UTC+8, no daylight saving), its year, and a period that is the current year by default.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Utc};

use crate::Localized;
use crate::error::field_zh;

/// The earliest date a workflow accepts from its user.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far ahead of today a workflow accepts a date, in years.
pub const YEARS_AHEAD: u32 = 5;

/// The latest date accepted on `today`.
pub fn latest(today: NaiveDate) -> NaiveDate {
    today.checked_add_months(Months::new(12 * YEARS_AHEAD)).unwrap_or(NaiveDate::MAX)
}

/// A date outside the plausible range, with the field it was given in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {date} is not a plausible date (from {earliest} to {latest})")]
pub struct ImplausibleDate {
    /// The field's name in the API (`deadline`, `from` …).
    pub field: &'static str,
    /// The date given.
    pub date: NaiveDate,
    /// The earliest accepted.
    pub earliest: NaiveDate,
    /// The latest accepted (today + five years).
    pub latest: NaiveDate,
}

impl Localized for ImplausibleDate {
    fn zh(&self) -> String {
        format!(
            "{}（{}）：日期 {} 不合理，须在 {} 至 {} 之间",
            field_zh(self.field),
            self.field,
            self.date,
            self.earliest,
            self.latest
        )
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// `date` if it is plausible on `today`: not before 2000-01-01, not more than five years ahead.
pub fn plausible(
    field: &'static str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ImplausibleDate> {
    let latest = latest(today);
    if date < EARLIEST || date > latest {
        return Err(ImplausibleDate { field, date, earliest: EARLIEST, latest });
    }
    Ok(date)
}

/// The clock time in China (China Standard Time: UTC+8, no daylight saving) of an instant.
pub fn china_time(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::hours(8)).naive_utc()
}

/// The instant of a clock time in China (the inverse of [`china_time`]): a scheduled appointment, the
/// midnight a day in China begins.
pub fn from_china_time(t: NaiveDateTime) -> DateTime<Utc> {
    (t - Duration::hours(8)).and_utc()
}

/// The calendar day in China of an instant: the day deadlines count in.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    china_time(at).date()
}

/// The year in China of an instant ("this year" for `now`).
pub fn china_year(at: DateTime<Utc>) -> i32 {
    china_date(at).year()
}

/// A period from `from` to `to` (inclusive), the current year by default: `from` defaults to 1 January of
/// the year `now` falls in, China time, and `to` to 31 December of `from`'s year.
pub fn year_by_default(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> (NaiveDate, NaiveDate) {
    let from =
        from.unwrap_or_else(|| NaiveDate::from_ymd_opt(china_year(now), 1, 1).unwrap_or(NaiveDate::MIN));
    let to = to.unwrap_or_else(|| NaiveDate::from_ymd_opt(from.year(), 12, 31).unwrap_or(NaiveDate::MAX));
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_before_2000_or_beyond_five_years_are_refused_with_the_field() {
        let today = d("2026-11-28");
        assert_eq!(plausible("deadline", d("2000-01-01"), today), Ok(d("2000-01-01")));
        assert_eq!(plausible("deadline", d("2031-11-28"), today), Ok(d("2031-11-28")));
        let e = plausible("deadline", d("1999-12-31"), today).unwrap_err();
        assert_eq!(e.field, "deadline");
        assert!(e.zh().contains("期限"), "{}", e.zh());
        assert_eq!(e.en(), "deadline: 1999-12-31 is not a plausible date (from 2000-01-01 to 2031-11-28)");
        let e = plausible("from", d("2031-11-29"), today).unwrap_err();
        assert_eq!((e.field, e.latest), ("from", d("2031-11-28")));
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_clock_time_in_china_is_the_instant_eight_hours_earlier_in_utc() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(from_china_time(t("2026-06-01 00:00:00")), at("2026-05-31T16:00:00Z"));
        assert_eq!(from_china_time(t("2026-01-01 09:30:00")), at("2026-01-01T01:30:00Z"));
        assert_eq!(china_time(from_china_time(t("2026-12-31 23:59:59"))), t("2026-12-31 23:59:59"));
    }

    #[test]
    fn china_time_is_eight_hours_ahead_of_utc_and_the_year_turns_at_its_midnight() {
        assert_eq!(china_time(at("2026-06-01T01:00:00Z")).to_string(), "2026-06-01 09:00:00");
        assert_eq!(china_time(at("2026-06-01T20:30:00Z")).to_string(), "2026-06-02 04:30:00");
        assert_eq!(china_date(at("2025-12-31T15:59:59Z")), d("2025-12-31"));
        assert_eq!(china_date(at("2025-12-31T16:00:00Z")), d("2026-01-01"));
        assert_eq!(china_year(at("2025-12-31T15:59:59Z")), 2025);
        assert_eq!(china_year(at("2025-12-31T16:00:00Z")), 2026);
    }

    #[test]
    fn a_period_is_the_current_year_in_china_by_default() {
        let now = at("2025-12-31T16:00:00Z"); // 2026-01-01 00:00 in China
        assert_eq!(year_by_default(None, None, now), (d("2026-01-01"), d("2026-12-31")));
        // `to` defaults to the end of `from`'s year, not of the current one.
        assert_eq!(year_by_default(Some(d("2024-03-05")), None, now), (d("2024-03-05"), d("2024-12-31")));
        assert_eq!(year_by_default(None, Some(d("2026-02-01")), now), (d("2026-01-01"), d("2026-02-01")));
        let given = (Some(d("2023-01-02")), Some(d("2023-06-30")));
        assert_eq!(year_by_default(given.0, given.1, now), (d("2023-01-02"), d("2023-06-30")));
    }
}
