//! Plausible dates: a date a person types into a workflow (a schedule, a deadline, a day spent) is
//! refused when it lies before 2000-01-01 or more than five years after today — a typo (`2062` for
//! `2026`, `1926`) caught with the field named, rather than a record no list will ever show as due.

use chrono::{Months, NaiveDate};

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
}
